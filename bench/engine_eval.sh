#!/usr/bin/env bash
# Search quality through a Sphinx cluster against the local index: for each
# tuning set of ../shared/data/retrieval, the set's passages indexed alone
# (as bench/quality.sh's "alone" rows) and exported straight from the same
# file to 3 Sphinx shards on loopback (`export --to sphinx --shards 3`,
# `start.sh`); `newsidx eval` on the index and `newsidx eval --engine` on
# the cluster, one table row each; the cluster is stopped (`stop.sh`)
# before the next set. Needs searchd and indexer (sphinxsearch).
#
#   bench/engine_eval.sh
#
# Environment: NEWSIDX (binary, default target/release/newsidx),
# DATA (default ../shared/data), WORK (default target/engine-eval),
# PORT_BASE (default 41000; ports P..P+7 of each set in turn).
set -euo pipefail
cd "$(dirname "$0")/.."

NEWSIDX=${NEWSIDX:-target/release/newsidx}
DATA=${DATA:-../shared/data}
WORK=${WORK:-target/engine-eval}
PORT_BASE=${PORT_BASE:-41000}
SETS=(cmrc2018_trial drcd_dev dureader_robust_half)
[[ -x $NEWSIDX ]] || { echo "no binary at $NEWSIDX (cargo build --release)" >&2; exit 2; }
command -v searchd >/dev/null && command -v indexer >/dev/null ||
  { echo "searchd and indexer are needed (apt-get install sphinxsearch)" >&2; exit 2; }
mkdir -p "$WORK"

row() { # row SET LABEL EVAL-ARGS...
  local set=$1 label=$2; shift 2
  "$NEWSIDX" eval --json "$@" \
    --queries "$DATA/retrieval/$set/queries.jsonl" --qrels "$DATA/retrieval/$set/qrels.tsv" 2>/dev/null |
    python3 bench/eval_row.py "$set" "$label"
}

echo "| set | first stage | queries | MRR@10 | nDCG@10 | R@10 | R@100 |"
echo "|---|---|---:|---:|---:|---:|---:|"
for s in "${SETS[@]}"; do
  corpus=$DATA/retrieval/$s/corpus.jsonl
  [[ -f $corpus ]] || { echo "missing $corpus" >&2; exit 2; }
  "$NEWSIDX" index --rebuild --quiet -i "$WORK/$s-index" "$corpus"
  rm -rf "$WORK/$s-sphinx"
  "$NEWSIDX" export "$corpus" --to sphinx --out "$WORK/$s-sphinx" --shards 3 \
    --port-base "$PORT_BASE" >/dev/null 2>&1
  "$WORK/$s-sphinx/start.sh" >/dev/null
  trap '"$WORK/$s-sphinx/stop.sh" >/dev/null 2>&1 || true' EXIT
  row "$s" local -i "$WORK/$s-index"
  row "$s" "sphinx, 3 shards" --engine "$WORK/$s-sphinx"
  "$WORK/$s-sphinx/stop.sh" >/dev/null
  trap - EXIT
done
