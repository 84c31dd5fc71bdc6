#!/usr/bin/env python3
"""Fit the re-ranking weights on the tuning sets.

The re-ranking (src/search/mod.rs, `rerank`) orders the top candidates of
the first stage by

    score / best score + Σ weight_k × feature_k

over the features of `proximity::Features` (window, wide, coverage,
title_cover, title_words, length, pairs, answer). `newsidx eval --features FILE`
writes each query's candidates with their first-stage score, features and
relevance; this script reads one such file per tuning set and searches
the weights that maximise the mean MRR@10 over the sets by coordinate
ascent, starting from the given weights.

It also reports a two-fold check: weights fitted on the even-numbered
queries of every set, measured on the odd-numbered ones (and the other
way round), against the starting weights on the same halves; a fit that
only gains on the queries it saw is over-fitted. With --targets the
objective printed ("objective") is the mean minus ten times every
shortfall, also on the halves (where the targets are only a guide).

    bench/fit_rerank.py FEATURES.jsonl... [--start window=1,title_cover=0.3]
        [--only window,wide,...] [--targets 0.985,0.955,0.78]
        [--held HELD.jsonl,...]

With --held (one file per FEATURES file, in the same order, "-" for none:
the held-back folds of the news families of bench/news_sets.py), the
starting and the fitted weights are also measured on those queries, which
the fit never saw.

Standard library only. Never run it on the held-out sets.
"""
import argparse
import json
import sys

FEATURES = ["window", "wide", "coverage", "title_cover", "title_words", "length", "pairs",
            "answer"]
# Names of the matching `newsidx eval --set` settings.
SETTINGS = {
    "window": "proximity",
    "wide": "wide",
    "coverage": "coverage",
    "title_cover": "title_cover",
    "title_words": "title_words_share",
    "length": "length",
    "pairs": "pairs",
    "answer": "answer",
}
GRID = [-0.4, -0.2, -0.1, -0.05, -0.02, 0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5,
        0.6, 0.8, 1.0, 1.2, 1.5, 2.0]


def load(path):
    """Queries of one set: (relevance list, base list, feature rows)."""
    queries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            q = json.loads(line)
            cands = q["candidates"]
            if not cands:
                queries.append(([], [], []))
                continue
            top = max(c["score"] for c in cands) or 1.0
            queries.append((
                [c["rel"] > 0 for c in cands],
                [c["score"] / top for c in cands],
                [[c[k] for k in FEATURES] for c in cands],
            ))
    return queries


def mrr(queries, w):
    """MRR@10 of the re-ranked candidates (ties keep first-stage order)."""
    total = 0.0
    for rel, base, rows in queries:
        if not any(rel):
            continue
        scored = [b + sum(wk * xk for wk, xk in zip(w, x)) for b, x in zip(base, rows)]
        order = sorted(range(len(scored)), key=lambda i: (-scored[i], i))
        for rank, i in enumerate(order[:10], 1):
            if rel[i]:
                total += 1.0 / rank
                break
    return total / max(1, len(queries))


TARGETS = []


def objective(sets, w):
    """Mean MRR@10 over the sets, minus 10× every shortfall below a target."""
    per = [mrr(qs, w) for qs in sets]
    short = sum(max(0.0, t - m) for t, m in zip(TARGETS, per))
    return sum(per) / len(per) - 10.0 * short


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("files", nargs="+", help="newsidx eval --features output, one per set")
    ap.add_argument("--start",
                    default="window=0.4,wide=0.5,coverage=0.2,title_cover=0.5,length=-0.1,"
                            "pairs=0.2,answer=0.2",
                    help="starting weights, FEATURE=VALUE,... (others 0); "
                         "default: newsidx's own (src/search/query.rs, Weights)")
    ap.add_argument("--only", default=",".join(FEATURES),
                    help="features the fit may change (others stay at --start)")
    ap.add_argument("--targets", default="",
                    help="MRR@10 each set must reach, in file order, e.g. 0.985,0.955,0.78: "
                         "a shortfall costs ten times a gain elsewhere")
    ap.add_argument("--held", default="",
                    help="comma-separated held-back features files, one per FILE ('-' for none)")
    args = ap.parse_args()
    TARGETS.extend(float(t) for t in filter(None, args.targets.split(",")))
    start = [0.0] * len(FEATURES)
    for kv in filter(None, args.start.split(",")):
        k, v = kv.split("=")
        start[FEATURES.index(k)] = float(v)
    free = [FEATURES.index(k) for k in args.only.split(",")]
    sets = [load(p) for p in args.files]

    def fit_free(sets_, w0):
        # Coordinate ascent over the free features only.
        w = list(w0)
        best = objective(sets_, w)
        for _ in range(3):
            improved = False
            for k in free:
                for v in GRID:
                    trial = w[:k] + [v] + w[k + 1:]
                    o = objective(sets_, trial)
                    if o > best + 1e-6:
                        best, w, improved = o, trial, True
            if not improved:
                break
        return w, best

    def show(label, w):
        per = " ".join("%.4f" % mrr(qs, w) for qs in sets)
        print("%-8s %s  objective %.4f  [%s]" % (label, per, objective(sets, w),
              ", ".join("%s=%g" % (SETTINGS[k], v) for k, v in zip(FEATURES, w) if v)))

    show("start", start)
    w, _ = fit_free(sets, start)
    show("fitted", w)
    if args.held:
        held = [load(p) if p != "-" else None for p in args.held.split(",")]
        for label, wt in (("start", start), ("fitted", w)):
            print("held %-6s %s" % (label, " ".join(
                "%.4f" % mrr(qs, wt) if qs is not None else "   -  " for qs in held)))
    # Two-fold check.
    halves = [[qs[i::2] for qs in sets] for i in (0, 1)]
    for a, b in ((0, 1), (1, 0)):
        wa, _ = fit_free(halves[a], start)
        print("fold %d→%d: start %.4f, fitted %.4f on unseen half  [%s]" % (
            a, b, objective(halves[b], start), objective(halves[b], wa),
            ", ".join("%s=%g" % (SETTINGS[k], v) for k, v in zip(FEATURES, wa) if v)))
    print("eval settings: " + " ".join("--set %s=%g" % (SETTINGS[k], v)
                                       for k, v in zip(FEATURES, w)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
