#!/usr/bin/env bash
# The server under load with issue 26's routes mixed in.
#
#   bench/serve_mix.sh BIN IDX [--secs 20] [--clients 8]
#
# IDX: an index built with `BIN index --entities` (e.g. of
# ../shared/data/news/news_all.jsonl). Draws 200 query words from the
# index (`terms` of four broad queries), starts `BIN serve` on 127.0.0.1
# (a free port), and runs bench/serve_mix.py three times in the same run:
# searches only; searches with one client sending /api/count, /api/terms
# and /api/kwic back to back; every client mixing them in (70 % searches). The server is stopped by its pid. One JSON line per phase.
set -euo pipefail
BIN=$1; IDX=$2; shift 2
SECS=20; CLIENTS=8
while [ $# -gt 0 ]; do
    case "$1" in
        --secs) SECS=$2; shift ;;
        --clients) CLIENTS=$2; shift ;;
        *) echo "serve_mix.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
DIR=$(mktemp -d)
for q in 中国 经济 国际 社会; do
    "$BIN" -i "$IDX" terms "$q" -n 50 --json
done | python3 -c '
import json, sys
seen = []
for line in sys.stdin:
    r = json.loads(line)
    if r.get("type") == "term" and r["term"] not in seen:
        seen.append(r["term"])
print("\n".join(seen[:200]))' > "$DIR/words.txt"
"$BIN" serve -i "$IDX" --addr 127.0.0.1:0 2> "$DIR/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
ADDR=
for _ in $(seq 1 100); do
    ADDR=$(sed -n 's|^newsidx: listening on http://\(.*\)/$|\1|p' "$DIR/server.log")
    [ -n "$ADDR" ] && break
    sleep 0.1
done
[ -n "$ADDR" ] || { echo "serve_mix.sh: server did not start" >&2; exit 2; }
PY="python3 $(dirname "$0")/serve_mix.py --addr $ADDR --words $DIR/words.txt --clients $CLIENTS"
$PY --mix mixed --secs 3 >/dev/null   # warm-up
$PY --mix search --secs "$SECS"
$PY --mix side --secs "$SECS"
$PY --mix mixed --secs "$SECS"
