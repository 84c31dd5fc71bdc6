#!/usr/bin/env python3
"""Whole-process query latency: each query its own `newsidx search` process.

    bench/whole_process.py INDEX BIN1[,BIN2...] QUERIES.txt [QUERIES2.txt ...]

For every query of every file, runs `BIN search QUERY --json -i INDEX` for
each binary in turn (so a busy moment slows them alike), timed around
fork/exec/wait, and prints per file and binary the median, p99 and max in
ms. Run it twice: the first run warms the page cache.
"""
import statistics
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    index, bins, files = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
    for path in files:
        with open(path, encoding="utf-8") as f:
            queries = [line.strip() for line in f if line.strip()]
        took = {b: [] for b in bins}
        for q in queries:
            for b in bins:
                t = time.perf_counter()
                subprocess.run([b, "search", q, "--json", "-i", index],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                took[b].append((time.perf_counter() - t) * 1000)
        for b in bins:
            v = sorted(took[b])
            p99 = v[min(len(v) - 1, int(round(0.99 * (len(v) - 1))))]
            print(f"{path.split('/')[-1]} {b.split('/')[-1]} n={len(v)} "
                  f"p50={statistics.median(v):.1f} p99={p99:.1f} max={v[-1]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
