#!/usr/bin/env bash
# The scale test: a ~1 GB corpus made from news_all.jsonl (see make_big.py).
#
#   bench/scale.sh [BIG_DIR] [--size-gb N]
#
# Makes BIG_DIR (default bench/out/big) with bench/make_big.py unless it
# already holds big-*.jsonl files, then runs bench/run.sh on it once
# (--quick --no-peers --scale): index wall time and peak RSS under
# /usr/bin/time -v, index size, in-process and whole-process query latency
# over 120 words sampled from the big corpus. The table goes to stdout and
# bench/out/scale.md. It keeps both cores busy for about 10 minutes.
set -euo pipefail

cd "$(dirname "$0")/.."
BIG=bench/out/big
SIZE=1
while [ $# -gt 0 ]; do
    case "$1" in
        --size-gb) SIZE=$2; shift ;;
        -h | --help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) BIG=$1 ;;
    esac
    shift
done
if ! ls "$BIG"/big-*.jsonl >/dev/null 2>&1; then
    echo "scale.sh: making a ${SIZE} GB corpus in $BIG" >&2
    python3 bench/make_big.py "$BIG" --size-gb "$SIZE"
fi
exec bench/run.sh "$BIG" --quick --no-peers --scale --name scale
