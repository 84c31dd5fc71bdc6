#!/usr/bin/env python3
"""Makes a large synthetic corpus from news_all.jsonl for the scale test.

    bench/make_big.py OUT_DIR [--size-gb 1] [--source ../shared/data/news/news_all.jsonl]
                      [--file-mb 64] [--seed 5]

Copy 0 is the source as it is. Every further copy k gives each article the
id `ID~k` and a new body: its own sentences (split after 。！？!? and line
breaks) in a shuffled order, each replaced with probability 1/2 by a sentence
drawn from anywhere in the source; titles, dates and sources are kept. So
the vocabulary and the sentence statistics are those of real news, no two
articles are identical, and near-duplicate collapsing still has work to do.
Copies are added until the files reach --size-gb (10^9 bytes), written as
JSON Lines files of about --file-mb each (big-000.jsonl, big-001.jsonl, …),
like a dump split into parts. The same arguments always give the same bytes.
"""

import argparse
import json
import os
import random
import re
import sys

SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?\n]+|[^。！？!?\n]+$")


def sentences(text):
    return [s for s in SENTENCE.findall(text) if s.strip()]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir")
    p.add_argument("--size-gb", type=float, default=1.0)
    p.add_argument("--source", default="../shared/data/news/news_all.jsonl")
    p.add_argument("--file-mb", type=float, default=64.0)
    p.add_argument("--seed", type=int, default=5)
    args = p.parse_args()

    with open(args.source, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    split = [sentences(r.get("body") or "") for r in records]
    pool = [s for ss in split for s in ss]
    if not pool:
        sys.exit(f"make_big: {args.source}: no text")
    os.makedirs(args.out_dir, exist_ok=True)
    for name in os.listdir(args.out_dir):
        if name.startswith("big-") and name.endswith(".jsonl"):
            os.remove(os.path.join(args.out_dir, name))

    rng = random.Random(args.seed)
    target = int(args.size_gb * 1e9)
    per_file = int(args.file_mb * 1e6)
    written = 0
    file_no = 0
    in_file = 0
    out = None
    copy = 0
    articles = 0
    while written < target:
        for r, ss in zip(records, split):
            if written >= target:
                break
            if copy == 0:
                rec = r
            else:
                body = list(ss)
                rng.shuffle(body)
                body = [s if rng.random() < 0.5 else rng.choice(pool) for s in body]
                rec = dict(r)
                rec["id"] = f"{r.get('id', articles)}~{copy}"
                rec["body"] = "".join(body)
            line = (json.dumps(rec, ensure_ascii=False) + "\n").encode()
            if out is None or in_file >= per_file:
                if out is not None:
                    out.close()
                out = open(os.path.join(args.out_dir, f"big-{file_no:03}.jsonl"), "wb")
                file_no += 1
                in_file = 0
            out.write(line)
            in_file += len(line)
            written += len(line)
            articles += 1
        copy += 1
    if out is not None:
        out.close()
    print(f"make_big: {articles:,} articles ({copy} copies of {len(records):,}), "
          f"{written / 1e6:,.0f} MB in {file_no} files under {args.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
