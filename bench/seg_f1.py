#!/usr/bin/env python3
"""Word segmentation P/R/F1 of `newsidx analyze --mode words` on SIGHAN 2005.

Runs the analyser over ../shared/data/segmentation/icwb2/testing/<set>_test.utf8
and scores it against gold/<set>_test_gold.utf8 the standard (SIGHAN
`score`) way: a word is a span of character offsets, and a
predicted word is correct when the gold segmentation has the same span
(spans counted over the whole file).
Whitespace is ignored on both sides.

    bench/seg_f1.py [--newsidx BIN] [--data DIR] [SET ...]   (default: pku msr)

Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys


def spans(words):
    """Character spans (start, end) of a sequence of words."""
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def read_lines(path):
    with open(path, encoding="utf-8-sig", newline="\n") as f:
        return [line.rstrip("\r\n") for line in f]


def score(pred_lines, gold_lines):
    """(precision, recall, f1, gold words). Spans are taken over the whole
    file, not per line: a few gold lines of MSR break at a different place
    than the raw text (a closing quote moved to the previous line)."""
    pw = [w for line in pred_lines for w in line.split()]
    gw = [w for line in gold_lines for w in line.split()]
    if "".join(pw) != "".join(gw):
        a, b = "".join(pw), "".join(gw)
        i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        raise SystemExit(f"text differs at character {i}: {a[i:i + 20]!r} vs {b[i:i + 20]!r}")
    ps, gs = spans(pw), spans(gw)
    correct = len(ps & gs)
    p = correct / len(ps) if ps else 0.0
    r = correct / len(gs) if gs else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, len(gs)


def original_words(newsidx, text_lines):
    """Segment with `analyze --json`, returning the *original* text of each
    word (the analyser prints normalised words; the gold keeps full-width
    characters), so that both sides spell the same text."""
    proc = subprocess.run(
        [newsidx, "analyze", "--mode", "words", "--json", "-i", os.devnull],
        input=("\n".join(text_lines) + "\n").encode("utf-8"),
        capture_output=True,
        check=True,
    )
    out = []
    for line in proc.stdout.decode("utf-8").split("\n")[:-1]:
        d = json.loads(line)
        raw = d["text"].encode("utf-8")
        out.append(" ".join(raw[t["start"]:t["end"]].decode("utf-8") for t in d["tokens"]))
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--newsidx", default=os.path.join(root, "target", "release", "newsidx"))
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "segmentation", "icwb2"))
    ap.add_argument("sets", nargs="*", default=["pku", "msr"])
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        print(f"seg_f1: no data at {a.data}; skipped", file=sys.stderr)
        return 0
    print("| set | words (gold) | P | R | F1 |")
    print("|---|---:|---:|---:|---:|")
    for s in a.sets:
        text = read_lines(os.path.join(a.data, "testing", f"{s}_test.utf8"))
        gold = read_lines(os.path.join(a.data, "gold", f"{s}_test_gold.utf8"))
        pred = original_words(a.newsidx, text)
        p, r, f, n = score(pred, gold)
        print(f"| {s} | {n} | {p:.4f} | {r:.4f} | {f:.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
