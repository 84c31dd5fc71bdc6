#!/usr/bin/env python3
"""Local `newsidx search` against `newsidx search --engine` over a query list.

Usage: bench/engine_compare.py BIN INDEX ENGINE QUERIES [--runs N]

For each query (one per line, passed as one argument) it checks
that total_hits and relaxed_hits agree, that the ids of every hit
(uncollapsed, up to 25000) are the same set, that by date the dates come in
the same order (first 200), and reports the relevance top-10 overlap. It
also times whole processes (each query N times, both ways) and prints the
median and p99 latency in milliseconds. Exit 1 when a query disagrees.
"""

import json
import statistics
import subprocess
import sys
import time


def run(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    ms = (time.perf_counter() - t) * 1000
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    hits = [l for l in lines if l.get("type") == "hit"]
    summary = next((l for l in lines if l.get("type") == "summary"), {})
    return hits, summary, ms, p.returncode, p.stderr.strip()


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


def main():
    args = sys.argv[1:]
    runs = 3
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i : i + 2]
    binary, index, engine, queries = args
    local = [binary, "search", "--json", "-i", index]
    far = [binary, "search", "--json", "--engine", engine]
    qs = [l.rstrip("\n") for l in open(queries, encoding="utf-8") if l.strip()]
    bad, overlaps, times = 0, [], {"local": [], "engine": []}
    for line in qs:
        q = [line]
        every = q + ["-n", "25000", "--no-collapse", "--passages", "0"]
        lh, ls, _, lc, _ = run(local + every)
        eh, es, _, ec, err = run(far + every)
        same_total = (ls.get("total_hits"), ls.get("relaxed_hits")) == (
            es.get("total_hits"),
            es.get("relaxed_hits"),
        )
        same_ids = {h["id"] for h in lh} == {h["id"] for h in eh}
        by_date = q + ["--sort", "date", "-n", "200", "--no-collapse", "--passages", "0"]
        ld = [h.get("date") for h in run(local + by_date)[0]]
        ed = [h.get("date") for h in run(far + by_date)[0]]
        ok = same_total and same_ids and ld == ed and lc == ec
        bad += not ok
        top_l = {h["id"] for h in run(local + q)[0]}
        top_e = {h["id"] for h in run(far + q)[0]}
        if top_l:
            overlaps.append(len(top_l & top_e) / len(top_l))
        for _ in range(runs):
            times["local"].append(run(local + q)[2])
            times["engine"].append(run(far + q)[2])
        mark = "ok " if ok else "BAD"
        print(
            f"{mark} {line}\ttotal {ls.get('total_hits')}/{es.get('total_hits')}"
            f" relaxed {ls.get('relaxed_hits')}/{es.get('relaxed_hits')}"
            f" ids {'=' if same_ids else '≠'} dates {'=' if ld == ed else '≠'}"
            + (f" [{err}]" if ec != lc else "")
        )
    print(f"queries: {len(qs)}, agreeing exactly: {len(qs) - bad}")
    if overlaps:
        print(
            f"relevance top-10 overlap: mean {statistics.mean(overlaps):.3f}, "
            f"min {min(overlaps):.2f} over {len(overlaps)} queries with hits"
        )
    for k, v in times.items():
        print(f"latency {k}: median {statistics.median(v):.1f} ms, p99 {p99(v):.1f} ms ({len(v)} runs)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
