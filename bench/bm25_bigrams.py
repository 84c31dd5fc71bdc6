#!/usr/bin/env python3
"""A plain BM25 over character bigrams: the lexical baseline for a family.

Every document (title + body) and every query is lower-cased, cut into runs
of letters, digits and ideographs, and each run into overlapping character
bigrams (a run of one character is its own term); BM25 with k1 and b over
those terms; MRR@10 and Recall@10 on the qrels given. No stop words, no
phrases, no re-ranking: what an engine with an n-gram tokenizer does out of
the box, measured on the same files `newsidx eval` reads.

    python3 bench/bm25_bigrams.py CORPUS.jsonl QUERIES.jsonl QRELS.tsv [--k1 0.9] [--b 0.4]
"""
import argparse
import collections
import json
import math
import re
import sys

RUN = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def terms(text):
    out = []
    for run in RUN.findall(text.lower()):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("queries")
    ap.add_argument("qrels")
    ap.add_argument("--k1", type=float, default=0.9)
    ap.add_argument("--b", type=float, default=0.4)
    args = ap.parse_args()
    ids, lengths = [], []
    postings = collections.defaultdict(list)
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            tf = collections.Counter(terms("%s\n%s" % (d.get("title") or "", d.get("body") or "")))
            n = len(ids)
            ids.append(d["id"])
            lengths.append(sum(tf.values()))
            for t, c in tf.items():
                postings[t].append((n, c))
    avg = sum(lengths) / max(1, len(lengths))
    rel = collections.defaultdict(set)
    with open(args.qrels, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 3 and cols[2].isdigit() and int(cols[2]) > 0:
                rel[cols[0]].add(cols[1])
    mrr, hit10, judged = 0.0, 0, 0
    with open(args.queries, encoding="utf-8") as f:
        for line in f:
            q = json.loads(line)
            if q["id"] not in rel:
                continue
            judged += 1
            scores = collections.defaultdict(float)
            for t in set(terms(q["text"])):
                plist = postings.get(t, ())
                if not plist:
                    continue
                idf = math.log(1 + (len(ids) - len(plist) + 0.5) / (len(plist) + 0.5))
                for n, c in plist:
                    norm = args.k1 * (1 - args.b + args.b * lengths[n] / avg)
                    scores[n] += idf * c * (args.k1 + 1) / (c + norm)
            top = sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:10]
            for rank, (n, _) in enumerate(top, 1):
                if ids[n] in rel[q["id"]]:
                    mrr += 1 / rank
                    hit10 += 1
                    break
    print(json.dumps({"queries": judged, "mrr@10": round(mrr / max(1, judged), 4),
                      "recall@10": round(hit10 / max(1, judged), 4), "k1": args.k1, "b": args.b}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
