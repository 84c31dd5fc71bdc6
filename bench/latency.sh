#!/usr/bin/env bash
# In-process latency of questions, pasted headlines and keywords (issue 28).
#
#   bench/latency.sh BASE_BIN NEW_BIN [CORPUS.jsonl] [--runs 2]
#
# Indexes CORPUS (default ../shared/data/news/news_all.jsonl) with NEW_BIN
# into bench/out/latency/index (reused when present), writes three query
# files into bench/out/latency/: the first 200 CMRC-trial questions
# (../shared/data/retrieval/cmrc2018_trial/queries.jsonl), 200 titles of
# the corpus (seed 42: pasted headlines) and 200 keywords
# (examples/sample_words.rs, seed 42). Each set runs as one
# `search --json --batch` per binary, BASE and NEW in turn, RUNS times;
# prints the median and p99 of the summaries' `elapsed_ms` for each run,
# the machine's load (uptime) before and after, and checks that both
# binaries return the same hits.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:?usage: bench/latency.sh BASE_BIN NEW_BIN [CORPUS] [--runs N]}
NEW=${2:?usage: bench/latency.sh BASE_BIN NEW_BIN [CORPUS] [--runs N]}
shift 2
CORPUS=../shared/data/news/news_all.jsonl
RUNS=2
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift ;;
        *) CORPUS=$1 ;;
    esac
    shift
done
OUT=bench/out/latency
mkdir -p "$OUT"
[ -d "$OUT/index" ] || "$NEW" index -q -i "$OUT/index" "$CORPUS"
python3 - "$CORPUS" "$OUT" <<'PY'
import json, random, sys
corpus, out = sys.argv[1], sys.argv[2]
qs = [json.loads(l)["text"] for l in open("../shared/data/retrieval/cmrc2018_trial/queries.jsonl", encoding="utf-8")]
open(f"{out}/questions.txt", "w", encoding="utf-8").write("\n".join(q.replace("\n", " ") for q in qs[:200]) + "\n")
titles = []
for l in open(corpus, encoding="utf-8"):
    t = (json.loads(l).get("title") or "").strip()
    if t:
        titles.append(t.replace("\n", " "))
open(f"{out}/headlines.txt", "w", encoding="utf-8").write("\n".join(random.Random(42).sample(titles, 200)) + "\n")
PY
if [ ! -s "$OUT/keywords.txt" ]; then
    cargo build --release --quiet --example sample_words
    target/release/examples/sample_words "$CORPUS" --count 200 --seed 42 > "$OUT/keywords.txt"
fi
echo "load before: $(uptime)"
for set in questions headlines keywords; do
    for r in $(seq "$RUNS"); do
        for who in base new; do
            bin=$BASE; [ "$who" = new ] && bin=$NEW
            "$bin" -i "$OUT/index" search --json --batch "$OUT/$set.txt" > "$OUT/$set.$who.$r.jsonl" || true
        done
    done
    python3 - "$OUT" "$set" "$RUNS" <<'PY'
import json, statistics, sys
out, s, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def load(f):
    recs = [json.loads(l) for l in open(f, encoding="utf-8")]
    ms = sorted(r["elapsed_ms"] for r in recs if r["type"] == "summary")
    hits = [(r["query"], r["id"]) for r in recs if r["type"] == "hit"]
    return ms, hits
for who in ["base", "new"]:
    cells = []
    for r in range(1, runs + 1):
        ms, _ = load(f"{out}/{s}.{who}.{r}.jsonl")
        p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
        cells.append(f"p50 {statistics.median(ms):.2f} / p99 {p99:.1f}")
    print(f"| {s} | {who} | " + " | ".join(cells) + " |")
same = load(f"{out}/{s}.base.1.jsonl")[1] == load(f"{out}/{s}.new.1.jsonl")[1]
print(f"{s}: same hits: {same}")
PY
done
echo "load after: $(uptime)"
