#!/usr/bin/env bash
# Load benchmark of `newsidx serve` on loopback.
#
#   bench/serve_load.sh [CORPUS.jsonl] [--secs 60] [--clients 32] [--mix] [--idle-only]
#
# Builds an index of CORPUS (default ../shared/data/news/news_all.jsonl,
# split into four files so that an index run can update it), samples 500
# query words from it (examples/sample_words.rs, seed 42), starts the
# server on 127.0.0.1 and runs examples/serve_load.rs twice:
#   1. idle: CLIENTS clients send one- and two-word searches for SECS;
#   2. the same while `newsidx index` runs again and again on the folder,
#      adding and then removing a quarter of the articles (each run
#      commits, and the server swaps in each new commit).
# With --mix, half the searches are keywords (one or two words), a quarter
# questions (the CMRC-trial questions of
# ../shared/data/retrieval/cmrc2018_trial/queries.jsonl) and a quarter
# pasted headlines (200 titles of CORPUS, seed 42), and each kind's
# latency is reported too. With --idle-only the whole corpus is indexed
# and only phase 1 runs.
# Prints one JSON line per phase and a markdown table (also written to
# bench/out/serve_load.md). Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out/serve
CORPUS=../shared/data/news/news_all.jsonl
SECS=60
CLIENTS=32
MIX=
IDLE_ONLY=
while [ $# -gt 0 ]; do
    case "$1" in
        --secs) SECS=$2; shift ;;
        --clients) CLIENTS=$2; shift ;;
        --mix) MIX=1 ;;
        --idle-only) IDLE_ONLY=1 ;;
        -h | --help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        -*) echo "serve_load.sh: unknown option $1" >&2; exit 2 ;;
        *) CORPUS=$1 ;;
    esac
    shift
done
[ -f "$CORPUS" ] || { echo "serve_load.sh: $CORPUS: no such file" >&2; exit 2; }
mkdir -p "$OUT/bin"

echo "serve_load.sh: cargo build --release" >&2
cargo build --release --message-format=json-render-diagnostics --bin newsidx \
    --example serve_load --example sample_words \
    | python3 -c '
import json, shutil, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable"):
        shutil.copy2(m["executable"], sys.argv[1])
' "$OUT/bin"
BIN=$OUT/bin

# The corpus in four parts: three indexed at the start, the fourth added
# and removed by the index runs of phase 2.
rm -rf "$OUT/corpus" "$OUT/spare" "$OUT/index"
mkdir -p "$OUT/corpus" "$OUT/spare"
python3 - "$CORPUS" "$OUT" "$IDLE_ONLY" <<'PY'
import sys
src, out, idle_only = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(src, encoding="utf-8").read().splitlines(keepends=True)
n = len(lines)
for i in range(4):
    part = lines[i * n // 4:(i + 1) * n // 4]
    spare = i == 3 and not idle_only
    dest = f"{out}/spare/part3.jsonl" if spare else f"{out}/corpus/part{i}.jsonl"
    open(dest, "w", encoding="utf-8").writelines(part)
PY
echo "serve_load.sh: indexing $(ls "$OUT/corpus" | wc -l)/4 of $CORPUS" >&2
"$BIN/newsidx" index "$OUT/corpus" -i "$OUT/index" -q
"$BIN/sample_words" "$CORPUS" --count 500 --seed 42 > "$OUT/words.txt"
MIX_ARGS=()
if [ -n "$MIX" ]; then
    python3 - "$CORPUS" "$OUT" <<'PY'
import json, random, sys
corpus, out = sys.argv[1], sys.argv[2]
qs = [json.loads(l)["text"] for l in open("../shared/data/retrieval/cmrc2018_trial/queries.jsonl", encoding="utf-8")]
open(f"{out}/questions.txt", "w", encoding="utf-8").write("\n".join(q.replace("\n", " ") for q in qs) + "\n")
titles = [t.replace("\n", " ") for t in ((json.loads(l).get("title") or "").strip() for l in open(corpus, encoding="utf-8")) if t]
open(f"{out}/headlines.txt", "w", encoding="utf-8").write("\n".join(random.Random(42).sample(titles, 200)) + "\n")
PY
    MIX_ARGS=(--questions "$OUT/questions.txt" --headlines "$OUT/headlines.txt")
fi

"$BIN/newsidx" serve -i "$OUT/index" --addr 127.0.0.1:0 2> "$OUT/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
ADDR=
for _ in $(seq 1 100); do
    ADDR=$(sed -n 's|^newsidx: listening on http://\(.*\)/$|\1|p' "$OUT/server.log")
    [ -n "$ADDR" ] && break
    sleep 0.1
done
[ -n "$ADDR" ] || { echo "serve_load.sh: server did not start" >&2; cat "$OUT/server.log" >&2; exit 2; }
echo "serve_load.sh: server $SERVER on $ADDR" >&2

load() {
    "$BIN/serve_load" --addr "$ADDR" --words "$OUT/words.txt" ${MIX_ARGS[@]+"${MIX_ARGS[@]}"} \
        --clients "$CLIENTS" --secs "$SECS" --pid "$SERVER"
}

# Warm-up (page cache, source tables), not measured.
"$BIN/serve_load" --addr "$ADDR" --words "$OUT/words.txt" ${MIX_ARGS[@]+"${MIX_ARGS[@]}"} \
    --clients 4 --secs 3 --pid "$SERVER" >/dev/null

echo "serve_load.sh: phase 1, idle index, ${SECS}s (load: $(uptime | sed 's/.*load/load/'))" >&2
IDLE=$(load)
echo "$IDLE"
if [ -n "$IDLE_ONLY" ]; then
    python3 - "$IDLE" "$CLIENTS" "$SECS" <<'PY' | tee "$OUT/../serve_load.md"
import json, sys
r, clients, secs = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
print(f"| phase ({clients} clients, {secs} s) | searches/s | p50 ms | p99 ms | max ms | errors | RSS first 10 s | RSS last 10 s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
print(f"| idle index | {r['searches_per_s']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.0f} | {r['errors']} | {r['rss_first_10s_mb']:.0f} MB | {r['rss_last_10s_mb']:.0f} MB |")
for kind, k in r.get("by_kind", {}).items():
    print(f"| idle index: {kind} | {k['searches'] / r['secs']:.0f} | {k['p50_ms']:.1f} | {k['p99_ms']:.1f} | | | | |")
PY
    echo "serve_load.sh: load after: $(uptime | sed 's/.*load/load/')" >&2
    exit 0
fi

echo "serve_load.sh: phase 2, while index runs update the index, ${SECS}s" >&2
(
    end=$((SECONDS + SECS))
    runs=0
    while [ $SECONDS -lt $end ]; do
        if [ -e "$OUT/corpus/part3.jsonl" ]; then
            mv "$OUT/corpus/part3.jsonl" "$OUT/spare/"
        else
            mv "$OUT/spare/part3.jsonl" "$OUT/corpus/"
        fi
        "$BIN/newsidx" index "$OUT/corpus" -i "$OUT/index" -q --threads 1
        runs=$((runs + 1))
    done
    echo "$runs" > "$OUT/index_runs"
) &
INDEXER=$!
BUSY=$(load)
wait $INDEXER
echo "$BUSY"
RELOADS=$(grep -c "opened the index's new commit" "$OUT/server.log" || true)

python3 - "$IDLE" "$BUSY" "$(cat "$OUT/index_runs")" "$RELOADS" "$CLIENTS" "$SECS" <<'PY' | tee "$OUT/../serve_load.md"
import json, sys
idle, busy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
runs, reloads, clients, secs = sys.argv[3:7]
print(f"| phase ({clients} clients, {secs} s) | searches/s | p50 ms | p99 ms | max ms | errors | RSS first 10 s | RSS last 10 s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, r in [("idle index", idle), (f"while `index` runs ({runs} runs, {reloads} commits swapped in)", busy)]:
    print(f"| {name} | {r['searches_per_s']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.0f} | {r['errors']} | {r['rss_first_10s_mb']:.0f} MB | {r['rss_last_10s_mb']:.0f} MB |")
    for kind, k in r.get("by_kind", {}).items():
        print(f"| {name}: {kind} | {k['searches'] / r['secs']:.0f} | {k['p50_ms']:.1f} | {k['p99_ms']:.1f} | | | | |")
PY
