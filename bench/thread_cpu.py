#!/usr/bin/env python3
"""CPU seconds of a command, split by thread kind.

    bench/thread_cpu.py [--out FILE] -- CMD [ARGS...]

Runs CMD under GNU time (`/usr/bin/time -v`) and samples
/proc/PID/task/*/stat of CMD every 0.1 s, keeping each thread's last
user + system time. Threads are grouped by name with trailing digits
removed (tantivy's `thrd-tantivy-index0`, `merge_thread_1`,
`docstore-compressor`; newsidx's own threads carry the name of the
program). Prints one JSON object on stdout: `cpu` (user + sys of the whole
process as GNU time reports it), `user`, `sys`, `rss_mb` (peak RSS),
`wall`, `by_thread` (seconds per thread kind) and `rc`. A thread that ends
between two samples loses at most 0.1 s of its CPU in `by_thread`; the
totals are exact. CMD's stdout and stderr pass through.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time


def main():
    args = sys.argv[1:]
    out = None
    if args[:1] == ["--out"]:
        out, args = args[1], args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        sys.exit(__doc__.strip())
    tick = os.sysconf("SC_CLK_TCK")
    fd, tfile = tempfile.mkstemp(suffix=".time")
    os.close(fd)
    p = subprocess.Popen(["/usr/bin/time", "-v", "-o", tfile] + args)
    child = None
    threads = {}
    while p.poll() is None:
        if child is None:
            try:
                c = open(f"/proc/{p.pid}/task/{p.pid}/children").read().split()
                child = int(c[0]) if c else None
            except OSError:
                pass
        if child is not None:
            try:
                tids = os.listdir(f"/proc/{child}/task")
            except OSError:
                tids = []
            for tid in tids:
                try:
                    s = open(f"/proc/{child}/task/{tid}/stat").read()
                except OSError:
                    continue
                comm = s[s.index("(") + 1:s.rindex(")")]
                f = s[s.rindex(")") + 2:].split()
                threads[tid] = (comm, (int(f[11]) + int(f[12])) / tick)
        time.sleep(0.1)
    kinds = {}
    for comm, cpu in threads.values():
        k = re.sub(r"\d+$", "", comm)
        kinds[k] = kinds.get(k, 0.0) + cpu
    t = open(tfile).read()
    os.unlink(tfile)
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", t).group(1)
    res = {
        "cpu": round(user + sys_, 2), "user": user, "sys": sys_,
        "rss_mb": round(rss / 1024), "wall": wall,
        "by_thread": {k: round(v, 2) for k, v in sorted(kinds.items(), key=lambda x: -x[1])},
        "rc": p.returncode,
    }
    text = json.dumps(res, ensure_ascii=False)
    print(text)
    if out:
        with open(out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
