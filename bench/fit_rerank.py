#!/usr/bin/env python3
"""Fit the re-ranking weights on the tuning sets.

The re-ranking (src/search/rerank/mod.rs) orders the top candidates of
the first stage by

    score / best score + Σ weight_k × feature_k

over the features of `search::rerank::features::Features` (window, wide, coverage,
title_cover, title_words, length, pairs, answer, passage, lead, characters,
best_passage). `newsidx eval --features FILE`
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
        [--held HELD.jsonl,...] [--reading description]

With --reading (keywords, question or description: how newsidx read the
query, which `eval --features` writes beside each query), only the
queries read that way are re-ranked by the weights being fitted (newsidx
keeps one set of re-ranking weights for descriptions, `--set
description.NAME=V`, and one for keywords and questions); the others keep
the weights of --fixed (default: newsidx's own keyword weights), and every
MRR@10 printed is still over all the queries of a set.

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
            "answer", "passage", "lead", "characters", "best_passage"]
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
    "passage": "passage",
    "lead": "lead",
    "characters": "characters",
    "best_passage": "best_passage",
}
GRID = [-0.4, -0.2, -0.1, -0.05, -0.02, 0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5,
        0.6, 0.8, 1.0, 1.2, 1.5, 2.0]


class Set:
    """The queries of one set: those the fitted weights re-rank (`inside`,
    each a (relevance list, base list, feature rows)), and how many others
    there are and the sum of their reciprocal ranks under fixed weights."""

    def __init__(self, inside, outside, fixed):
        self.inside = inside
        self.others = len(outside)
        self.others_rr = mrr(outside, fixed) * len(outside)

    def __len__(self):
        return len(self.inside) + self.others

    def full(self, mrr_inside):
        """MRR@10 over the whole set, given that of the queries inside."""
        return (mrr_inside * len(self.inside) + self.others_rr) / max(1, len(self))

    def mrr(self, w):
        """MRR@10 over the whole set when the queries inside are re-ranked by w."""
        return self.full(mrr(self.inside, w))


def load(path, reading=None, fixed=None):
    """The queries of one features file (all of them inside without a
    reading; else those read as `reading`, the others under `fixed`)."""
    inside, outside = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            q = json.loads(line)
            cands = q["candidates"]
            if not cands:
                row = ([], [], [])
            else:
                top = max(c["score"] for c in cands) or 1.0
                row = ([c["rel"] > 0 for c in cands],
                       [c["score"] / top for c in cands],
                       [[c.get(k, 0.0) for k in FEATURES] for c in cands])
            if reading is None or q.get("reading") == reading:
                inside.append(row)
            else:
                outside.append(row)
    return Set(inside, outside, fixed or [0.0] * len(FEATURES))


def rank_mrr(queries, scores_of):
    """MRR@10 when `scores_of(query index, candidate index)` scores the
    candidates (ties keep first-stage order): the rank of the best relevant
    candidate is one plus the others that beat it."""
    total = 0.0
    for qi, (rel, _, _) in enumerate(queries):
        if not any(rel):
            continue
        scored = scores_of(qi)
        best = None
        for i, r in enumerate(rel):
            if r and (best is None or scored[i] > scored[best]):
                best = i
        sb = scored[best]
        rank = 1
        for i, r in enumerate(rel):
            if not r and (scored[i] > sb or (scored[i] == sb and i < best)):
                rank += 1
                if rank > 10:
                    break
        if rank <= 10:
            total += 1.0 / rank
    return total / max(1, len(queries))


def mrr(queries, w):
    """MRR@10 of the re-ranked candidates (ties keep first-stage order)."""
    return rank_mrr(queries, lambda qi: [
        b + sum(wk * xk for wk, xk in zip(w, x))
        for b, x in zip(queries[qi][1], queries[qi][2])])


def mrr_along(queries, w, k):
    """MRR@10 as a function of feature k's weight, the others fixed at w:
    the sum without k is computed once."""
    rest = [[b + sum(wj * xj for j, (wj, xj) in enumerate(zip(w, x)) if j != k)
             for b, x in zip(base, rows)] for _, base, rows in queries]
    xk = [[x[k] for x in rows] for _, _, rows in queries]
    return lambda v: rank_mrr(queries, lambda qi: [r + v * x for r, x in zip(rest[qi], xk[qi])])


TARGETS = []
# newsidx's re-ranking weights of keywords and questions (Rerank::KEYWORDS).
KEYWORDS = ("window=0.2,wide=0.8,title_cover=0.4,title_words=0.2,"
            "pairs=0.15,answer=0.15,passage=0.2,lead=0.15")


def parse_weights(text):
    """FEATURE=VALUE,... as a weight list (features not named are 0)."""
    w = [0.0] * len(FEATURES)
    for kv in filter(None, text.split(",")):
        k, v = kv.split("=")
        w[FEATURES.index(k)] = float(v)
    return w


def objective(sets, w):
    """Mean MRR@10 over the sets, minus 10× every shortfall below a target."""
    per = [s.mrr(w) for s in sets]
    short = sum(max(0.0, t - m) for t, m in zip(TARGETS, per))
    return sum(per) / len(per) - 10.0 * short


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("files", nargs="+", help="newsidx eval --features output, one per set")
    ap.add_argument("--start", default=KEYWORDS,
                    help="starting weights, FEATURE=VALUE,... (others 0); "
                         "default: newsidx's keyword weights (src/search/weights.rs, Rerank)")
    ap.add_argument("--only", default=",".join(FEATURES),
                    help="features the fit may change (others stay at --start)")
    ap.add_argument("--targets", default="",
                    help="MRR@10 each set must reach, in file order, e.g. 0.985,0.955,0.78: "
                         "a shortfall costs ten times a gain elsewhere")
    ap.add_argument("--held", default="",
                    help="comma-separated held-back features files, one per FILE ('-' for none)")
    ap.add_argument("--reading", choices=["keywords", "question", "description"],
                    help="fit only the queries read this way; the others keep --fixed")
    ap.add_argument("--fixed", default=KEYWORDS,
                    help="with --reading: the weights of the other queries, FEATURE=VALUE,...")
    args = ap.parse_args()
    TARGETS.extend(float(t) for t in filter(None, args.targets.split(",")))
    start = parse_weights(args.start)
    fixed = parse_weights(args.fixed)
    free = [FEATURES.index(k) for k in args.only.split(",")]
    sets = [load(p, args.reading, fixed) for p in args.files]

    def fit_free(sets_, w0):
        # Coordinate ascent over the free features only.
        w = list(w0)
        best = objective(sets_, w)
        for _ in range(3):
            improved = False
            for k in free:
                along = [mrr_along(s.inside, w, k) for s in sets_]
                for v in GRID:
                    per = [s.full(f(v)) for s, f in zip(sets_, along)]
                    short = sum(max(0.0, t - m) for t, m in zip(TARGETS, per))
                    o = sum(per) / len(per) - 10.0 * short
                    if o > best + 1e-6:
                        best, w, improved = o, w[:k] + [v] + w[k + 1:], True
                        along = [mrr_along(s.inside, w, k) for s in sets_]
            if not improved:
                break
        return w, best

    def show(label, w):
        per = " ".join("%.4f" % s.mrr(w) for s in sets)
        print("%-8s %s  objective %.4f  [%s]" % (label, per, objective(sets, w),
              ", ".join("%s=%g" % (SETTINGS[k], v) for k, v in zip(FEATURES, w) if v)))

    show("start", start)
    w, _ = fit_free(sets, start)
    show("fitted", w)
    if args.held:
        held = [load(p, args.reading, fixed) if p != "-" else None
                for p in args.held.split(",")]
        for label, wt in (("start", start), ("fitted", w)):
            print("held %-6s %s" % (label, " ".join(
                "%.4f" % s.mrr(wt) if s is not None else "   -  " for s in held)))
    # Two-fold check (the held-back folds stand for it when given).
    halves = [[Set(s.inside[i::2], [], fixed) for s in sets] for i in (0, 1)]
    for a, b in ((0, 1), (1, 0)) if not args.held else ():
        wa, _ = fit_free(halves[a], start)
        print("fold %d→%d: start %.4f, fitted %.4f on unseen half  [%s]" % (
            a, b, objective(halves[b], start), objective(halves[b], wa),
            ", ".join("%s=%g" % (SETTINGS[k], v) for k, v in zip(FEATURES, wa) if v)))
    prefix = "description." if args.reading == "description" else ""
    print("eval settings: " + " ".join("--set %s%s=%g" % (prefix, SETTINGS[k], v)
                                       for k, v in zip(FEATURES, w)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
