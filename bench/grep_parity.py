#!/usr/bin/env python3
"""Grep parity: does `newsidx search` find every article a grep would?

Samples random 2–4 character substrings (letters, digits and ideographs
only) from the titles and bodies of ../shared/data/news/news_all.jsonl,
counts the articles whose title or body contains each one verbatim after
newsidx's own normalisation, and compares that count with `total_hits` of
`newsidx search --json '"SUBSTRING"'` on an index of the same file.

The normalisation table (full-width → half-width, lower case, Traditional →
Simplified) is read from the binary itself: `newsidx analyze` is given
every character on its own line and prints its normalised form.

    bench/grep_parity.py [--n 1000] [--seed 1] [--any | --unquoted] [--newsidx BIN] [--index DIR]

--any samples any 2–4 characters without white space (punctuation,
symbols and emoji too; quote characters left out) instead of letters,
digits and ideographs only.

--unquoted searches each sample as typed, unquoted, with
`search SAMPLE -n 1000 --no-collapse` (through --batch), and checks the
run rule: for every sample with at most 1,000 matching articles, every
article grep finds must be among the hits (recall 1.0); for every sample
that `analyze --mode query` reports as matched as typed (or one word),
`total_hits` must equal grep's count. Samples there hold at least one CJK
character (runs of Chinese text); their ids are compared, so the data's
records need an `id`.

Prints recall (articles found / articles containing the text, summed over
samples), overall and by kind of sample (all CJK, mixed, no CJK), the
samples with fewer hits than grep, and those with more.
Standard library only. Builds the index when DIR has none.
"""

import argparse
import json
import os
import random
import subprocess
import sys


def fold_table(newsidx):
    """char → normalised char for every character the corpus can hold
    that newsidx changes, read from `newsidx analyze`."""
    cps = [c for c in range(0x21, 0x30000) if not (0xD800 <= c < 0xE000)]
    chars = [chr(c) for c in cps if chr(c).isalnum()]
    proc = subprocess.run(
        [newsidx, "analyze", "--mode", "words", "--json", "-i", os.devnull],
        input=("\n".join(chars) + "\n").encode("utf-8"),
        capture_output=True,
        check=True,
    )
    table = {}
    for c, line in zip(chars, proc.stdout.decode("utf-8").split("\n")):
        toks = json.loads(line)["tokens"]
        if len(toks) == 1 and toks[0]["text"] != c and len(toks[0]["text"]) == 1:
            table[ord(c)] = toks[0]["text"]
    return table


def is_cjk(c):
    """The characters newsidx indexes as bigrams (src/analysis/bigram.rs)."""
    u = ord(c)
    return (0x3040 <= u <= 0x30FF or 0x3400 <= u <= 0x4DBF or 0x4E00 <= u <= 0x9FFF
            or 0xAC00 <= u <= 0xD7AF or 0xF900 <= u <= 0xFAFF or 0x20000 <= u <= 0x3FFFF)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--any", action="store_true", help="also sample punctuation and symbols")
    ap.add_argument("--unquoted", action="store_true", help="search samples unquoted, check recall and counts")
    ap.add_argument("--newsidx", default=os.path.join(root, "target", "release", "newsidx"))
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "news", "news_all.jsonl"))
    ap.add_argument("--index", default=os.path.join(root, "target", "quality", "news"))
    a = ap.parse_args()
    if not os.path.isfile(a.data):
        print(f"grep_parity: no data at {a.data}; skipped", file=sys.stderr)
        return 0
    if not os.path.isfile(os.path.join(a.index, "meta.json")):
        subprocess.run([a.newsidx, "index", "--quiet", "-i", a.index, a.data], check=True)

    table = fold_table(a.newsidx)
    fields = []  # normalised title and body of every article
    ids = []
    with open(a.data, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            fields.append(((d.get("title") or "").translate(table), (d.get("body") or "").translate(table)))
            ids.append(d.get("id"))

    rng = random.Random(a.seed)
    samples = []
    while len(samples) < a.n:
        title, body = rng.choice(fields)
        text = title if rng.random() < 0.2 else body
        k = rng.randint(2, 4)
        if len(text) < k:
            continue
        i = rng.randrange(len(text) - k + 1)
        s = text[i:i + k]
        if a.any:
            if not any(c.isspace() or c in '"“”「」\\' for c in s):
                samples.append(s)
        elif all(c.isalnum() for c in s) and (not a.unquoted or any(is_cjk(c) for c in s)):
            samples.append(s)

    if a.unquoted:
        return unquoted(a, samples, fields, ids)

    def kind(s):
        if not all(c.isalnum() for c in s):
            return "separators"
        cjk = sum(1 for c in s if is_cjk(c))
        return "cjk" if cjk == len(s) else ("mixed" if cjk else "latin/digits")

    per_kind = {}  # kind → [samples, expected, found]
    expected_total = found_total = 0
    fewer, more = [], []
    for s in samples:
        expected = sum(1 for t, b in fields if s in t or s in b)
        proc = subprocess.run(
            [a.newsidx, "search", "-i", a.index, "--json", "-n", "1", "--passages", "0", f'"{s}"'],
            capture_output=True,
        )
        got = 0
        for line in proc.stdout.decode("utf-8").splitlines():
            d = json.loads(line)
            if d.get("type") == "summary":
                got = d["total_hits"]
        expected_total += expected
        found_total += min(got, expected)
        k = per_kind.setdefault(kind(s), [0, 0, 0])
        k[0] += 1
        k[1] += expected
        k[2] += min(got, expected)
        if got < expected:
            fewer.append((s, expected, got))
        elif got > expected:
            more.append((s, expected, got))

    recall = found_total / expected_total if expected_total else 1.0
    print(f"samples {len(samples)}  articles expected {expected_total}  found {found_total}  recall {recall:.5f}")
    for k, (n, e, f) in sorted(per_kind.items()):
        print(f"  {k:13} samples {n:4}  expected {e:7}  found {f:7}  recall {f / e if e else 1.0:.5f}")
    print(f"samples with fewer hits than grep: {len(fewer)}")
    for s, e, g in fewer:
        print(f"  fewer {s!r}: grep {e}, newsidx {g}")
    print(f"samples with more hits than grep: {len(more)}")
    for s, e, g in more[:20]:
        print(f"  more  {s!r}: grep {e}, newsidx {g}")
    return 0


def unquoted(a, samples, fields, ids):
    """Searches every sample unquoted; checks recall and matched-as-typed counts."""
    batch = "\n".join(samples) + "\n"
    proc = subprocess.run(
        [a.newsidx, "search", "-i", a.index, "--batch", "-n", "1000", "--no-collapse", "--passages", "0"],
        input=batch.encode("utf-8"), capture_output=True,
    )
    got = {}  # query → (set of ids, total_hits)
    for line in proc.stdout.decode("utf-8").splitlines():
        d = json.loads(line)
        q = d.get("query")
        entry = got.setdefault(q, [set(), None])
        if d["type"] == "hit":
            entry[0].add(d["id"])
        elif d["type"] == "summary":
            entry[1] = d["total_hits"]
    proc = subprocess.run(
        [a.newsidx, "analyze", "-i", a.index, "--mode", "query", "--json"],
        input=batch.encode("utf-8"), capture_output=True, check=True,
    )
    verdicts = {}
    for s, line in zip(samples, proc.stdout.decode("utf-8").splitlines()):
        d = json.loads(line)
        runs = d.get("runs") or []
        verdicts[s] = "question" if d.get("question") else ("words" if any(r["searched"] == "words" for r in runs) else "typed")
    by_verdict = {}  # verdict → [samples, recall checked, recall ok, count checked, count ok]
    missed, wrong = [], []
    expected_total = found_total = 0
    for s in samples:
        want = {ids[i] for i, (t, b) in enumerate(fields) if s in t or s in b}
        hit_ids, total = got.get(s, [set(), None])
        v = verdicts.get(s, "?")
        row = by_verdict.setdefault(v, [0, 0, 0, 0, 0])
        row[0] += 1
        if len(want) <= 1000:
            row[1] += 1
            expected_total += len(want)
            found_total += len(want & hit_ids)
            if want <= hit_ids:
                row[2] += 1
            else:
                missed.append((s, v, len(want), len(want - hit_ids)))
        if v == "typed":
            row[3] += 1
            if total == len(want):
                row[4] += 1
            else:
                wrong.append((s, len(want), total))
    recall = found_total / expected_total if expected_total else 1.0
    print(f"unquoted: samples {len(samples)}  with <= 1000 articles: articles expected {expected_total}  found {found_total}  recall {recall:.5f}")
    for v, (n, rc, ro, cc, co) in sorted(by_verdict.items()):
        print(f"  {v:9} samples {n:4}  recall 1.0 on {ro}/{rc}  total_hits == grep on {co}/{cc}")
    print(f"samples missing articles: {len(missed)}")
    for s, v, e, m in missed[:30]:
        print(f"  missed {s!r} ({v}): grep {e}, missing {m}")
    print(f"samples matched as typed whose total_hits differs from grep: {len(wrong)}")
    for s, e, g in wrong[:30]:
        print(f"  count {s!r}: grep {e}, newsidx {g}")
    return 0 if not missed and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
