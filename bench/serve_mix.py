#!/usr/bin/env python3
"""Load of `newsidx serve` with issue 26's routes mixed in (stdlib only).

    bench/serve_mix.py --addr 127.0.0.1:PORT --words WORDS.txt [--secs 20]
                       [--clients 8] [--mix search|mixed] [--seed 42]

CLIENTS threads send requests back to back for SECS seconds, each drawing
one word of WORDS (one a line) at random. `--mix search`: only
/api/search?q=W. `--mix mixed`: 70 % /api/search, 10 % /api/count
(?q=W&vs=W2&by=month&normalize=1), 10 % /api/terms (?q=W&kind=people|
places|orgs|words), 10 % /api/kwic (?q=W&limit=50). `--mix side`: every
client searches but one, which sends the count, terms and kwic requests
(a third each) back to back. Prints one JSON line:
requests per second overall and per route, p50/p90/p99/max in ms, errors.
"""
import argparse, json, random, statistics, threading, time, urllib.parse, urllib.request


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(p / 100 * len(xs)))], 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--words", required=True)
    ap.add_argument("--secs", type=float, default=20)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--mix", choices=["search", "mixed", "side"], default="mixed")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    words = [w.strip() for w in open(a.words, encoding="utf-8") if w.strip()]
    base = f"http://{a.addr}"
    lat = {}
    errors = {}
    lock = threading.Lock()
    end = time.monotonic() + a.secs

    def request(rng, i):
        w = rng.choice(words)
        r = rng.random() if a.mix == "mixed" else 0.0
        if a.mix == "side" and i == 0:
            r = 0.7 + 0.3 * rng.random()
        if r < 0.7:
            return "search", "/api/search?" + urllib.parse.urlencode({"q": w})
        if r < 0.8:
            q = {"q": w, "vs": rng.choice(words), "by": "month", "normalize": "1"}
            return "count", "/api/count?" + urllib.parse.urlencode(q)
        if r < 0.9:
            kind = rng.choice(["people", "places", "orgs", "words"])
            return "terms", "/api/terms?" + urllib.parse.urlencode({"q": w, "kind": kind})
        return "kwic", "/api/kwic?" + urllib.parse.urlencode({"q": w, "limit": "50"})

    def client(i):
        rng = random.Random(a.seed * 1000 + i)
        mine, bad = {}, {}
        while time.monotonic() < end:
            route, path = request(rng, i)
            t = time.monotonic()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as resp:
                    resp.read()
                    ok = resp.status == 200
            except Exception:
                ok = False
            ms = (time.monotonic() - t) * 1000
            if ok:
                mine.setdefault(route, []).append(ms)
            else:
                bad[route] = bad.get(route, 0) + 1
        with lock:
            for k, v in mine.items():
                lat.setdefault(k, []).extend(v)
            for k, v in bad.items():
                errors[k] = errors.get(k, 0) + v

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - start
    every = [x for v in lat.values() for x in v]
    out = {"mix": a.mix, "clients": a.clients, "secs": round(took, 1),
           "requests_per_s": round(len(every) / took, 1), "routes": {}}
    for k in ["all"] + sorted(lat):
        xs = every if k == "all" else lat[k]
        out["routes"][k] = {"n": len(xs), "per_s": round(len(xs) / took, 1),
                            "p50_ms": pct(xs, 50), "p90_ms": pct(xs, 90),
                            "p99_ms": pct(xs, 99), "max_ms": round(max(xs), 1) if xs else None,
                            "errors": sum(errors.values()) if k == "all" else errors.get(k, 0)}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
