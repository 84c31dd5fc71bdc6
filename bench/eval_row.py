#!/usr/bin/env python3
"""One markdown table row from `newsidx eval --json` on stdin.

    newsidx eval --json ... | bench/eval_row.py SET LABEL

Prints `| SET | LABEL | queries | MRR@10 | nDCG@10 | R@10 | R@100 |`; the
row printer of bench/quality.sh and bench/engine_eval.sh.
"""
import json
import sys

d = json.load(sys.stdin)
print("| %s | %s | %d | %.4f | %.4f | %.4f | %.4f |" % (
    sys.argv[1], sys.argv[2], d["queries"],
    d["mrr@10"], d["ndcg@10"], d["recall@10"], d["recall@100"]))
