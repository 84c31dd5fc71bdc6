#!/usr/bin/env bash
# Search quality on the BEIR-like question → passage sets in ../shared/data.
#
# Builds (1) one POOLED index of every tuning set's passages plus the news
# corpus as distractors and (2) one index per set, then runs `newsidx eval`
# on every set against both and prints a table of MRR@10, nDCG@10,
# Recall@10 and Recall@100.
#
#   bench/quality.sh              tuning sets (retrieval/)
#   bench/quality.sh --holdout    held-out sets (holdout/), pooled the same
#                                 way: for reporting only, never for tuning
#
# Environment: NEWSIDX (binary, default target/release/newsidx),
# DATA (default ../shared/data), WORK (index folder, default
# target/quality), REUSE=1 keeps indexes that already exist,
# EVAL_ARGS (extra arguments for eval, e.g. "--set coord=0.5").
set -euo pipefail
cd "$(dirname "$0")/.."

NEWSIDX=${NEWSIDX:-target/release/newsidx}
DATA=${DATA:-../shared/data}
WORK=${WORK:-target/quality}
KIND=retrieval
SETS=(cmrc2018_trial drcd_dev dureader_robust_half)
if [[ "${1:-}" == "--holdout" ]]; then
  KIND=holdout
  SETS=(cmrc2018_dev drcd_test dureader_robust_half)
fi
NEWS=$DATA/news/news_all.jsonl
[[ -x $NEWSIDX ]] || { echo "no binary at $NEWSIDX (cargo build --release)" >&2; exit 2; }
for s in "${SETS[@]}"; do
  [[ -f $DATA/$KIND/$s/corpus.jsonl ]] || { echo "missing $DATA/$KIND/$s" >&2; exit 2; }
done
mkdir -p "$WORK"

build() { # build DIR PATH...
  local dir=$1; shift
  if [[ ${REUSE:-0} == 1 && -f $dir/meta.json ]]; then return; fi
  "$NEWSIDX" index --rebuild --quiet -i "$dir" "$@"
}

pooled=$WORK/$KIND-pooled
corpora=()
for s in "${SETS[@]}"; do corpora+=("$DATA/$KIND/$s/corpus.jsonl"); done
build "$pooled" "${corpora[@]}" "$NEWS"
for s in "${SETS[@]}"; do build "$WORK/$KIND-$s" "$DATA/$KIND/$s/corpus.jsonl"; done

row() { # row LABEL INDEX SET
  local json
  json=$("$NEWSIDX" eval -i "$2" --json ${EVAL_ARGS:-} \
    --queries "$DATA/$KIND/$3/queries.jsonl" --qrels "$DATA/$KIND/$3/qrels.tsv" 2>/dev/null)
  python3 -c 'import json,sys
d=json.loads(sys.argv[3])
print("| %s | %s | %d | %.4f | %.4f | %.4f | %.4f |" % (sys.argv[1], sys.argv[2], d["queries"],
      d["mrr@10"], d["ndcg@10"], d["recall@10"], d["recall@100"]))' "$3" "$1" "$json"
}

echo "| set | index | queries | MRR@10 | nDCG@10 | R@10 | R@100 |"
echo "|---|---|---:|---:|---:|---:|---:|"
for s in "${SETS[@]}"; do row pooled "$pooled" "$s"; done
for s in "${SETS[@]}"; do row alone "$WORK/$KIND-$s" "$s"; done
