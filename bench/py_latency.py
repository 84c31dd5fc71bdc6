#!/usr/bin/env python3
"""Query latency from Python (`import newsidx`), measured the way
`examples/query_latency.rs` measures it in Rust, to compare the two.

    bench/py_latency.py --index IDX WORDS_FILE [--repeat R]

Opens the index with `newsidx.Index`, runs every word once to warm up (the
first query also loads jieba's dictionary, timed apart), then runs the
whole list `--repeat` times with the defaults (top 10, 3 passages per hit,
near-duplicates collapsed: `SearchOptions::default()`), each search timed
with `time.perf_counter` around `Index.search`, so the figure includes the
call, the GIL given up and taken back, and the hits turned into dicts.
Prints one JSON object with the same keys as query_latency
(`p50_ms`, `p90_ms`, `p99_ms`, `max_ms`, `mean_ms`, …).

Needs the package installed (`pip install ./python`).
"""

from __future__ import annotations

import argparse
import json
import math
import time

import newsidx


def quantile(v, q):
    """Nearest rank, as query_latency.rs."""
    i = min(max(math.ceil(len(v) * q), 1), len(v)) - 1
    return v[i]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", "-i", default="index")
    ap.add_argument("words")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    with open(a.words, encoding="utf-8") as f:
        words = [line.strip() for line in f if line.strip()]
    start = time.perf_counter()
    idx = newsidx.Index(a.index)
    open_ms = (time.perf_counter() - start) * 1000
    first_ms = 0.0
    totals = []
    for i, w in enumerate(words):
        start = time.perf_counter()
        totals.append(idx.search(w).total_hits)
        if i == 0:
            first_ms = (time.perf_counter() - start) * 1000
    times = []
    slowest = (0.0, "")
    for _ in range(a.repeat):
        for w in words:
            start = time.perf_counter()
            idx.search(w)
            ms = (time.perf_counter() - start) * 1000
            times.append(ms)
            slowest = max(slowest, (ms, w))
    times.sort()
    print(json.dumps({
        "index": a.index,
        "docs": idx.stats()["articles"],
        "queries": len(times),
        "words": len(words),
        "words_with_hits": sum(1 for n in totals if n > 0),
        "open_ms": open_ms,
        "first_query_ms": first_ms,
        "p50_ms": quantile(times, 0.50),
        "p90_ms": quantile(times, 0.90),
        "p99_ms": quantile(times, 0.99),
        "max_ms": times[-1],
        "mean_ms": sum(times) / len(times),
        "slowest": slowest[1],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
