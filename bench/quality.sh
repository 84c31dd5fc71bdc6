#!/usr/bin/env bash
# Search quality on the BEIR-like question → passage sets in ../shared/data.
#
# Builds (1) one POOLED index of every tuning set's passages plus the news
# corpus as distractors and (2) one index per set, then runs `newsidx eval`
# on every set against both; then (3) the news-search families of
# bench/news_sets.py (known_item, entity_topic, lcsts, long_answer; built
# into bench/out/news if missing), one index each, evaluated on their fit and
# held-back folds. Prints one table of MRR@10, nDCG@10, Recall@10 and
# Recall@100.
#
#   bench/quality.sh              tuning sets (retrieval/) and news families
#   bench/quality.sh --holdout    held-out sets (holdout/), pooled the same
#                                 way: for reporting only, never for tuning
#                                 (no news families)
#   bench/quality.sh --news       the news families only
#
# Environment: NEWSIDX (binary, default target/release/newsidx),
# DATA (default ../shared/data), WORK (index folder, default
# target/quality), REUSE=1 keeps indexes that already exist,
# EVAL_ARGS (extra arguments for eval, e.g. "--set coord=0.5"),
# FEATURES=DIR writes each row's re-ranking candidates to
# DIR/<set>-<index>.features.jsonl (for bench/fit_rerank.py),
# NEWS (news families folder, default bench/out/news), PYTHON (a Python
# with jieba 0.42.1 for bench/news_sets.py; default: bench/out/venv,
# created with it when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

NEWSIDX=${NEWSIDX:-target/release/newsidx}
DATA=${DATA:-../shared/data}
WORK=${WORK:-target/quality}
KIND=retrieval
SETS=(cmrc2018_trial drcd_dev dureader_robust_half)
FAMILIES=(known_item entity_topic lcsts long_answer)
case "${1:-}" in
  --holdout)
    KIND=holdout
    SETS=(cmrc2018_dev drcd_test dureader_robust_half)
    FAMILIES=() ;;
  --news) SETS=() ;;
  "") ;;
  *) echo "quality.sh: unknown option $1 (--holdout, --news)" >&2; exit 2 ;;
esac
NEWS_ALL=$DATA/news/news_all.jsonl
NEWS=${NEWS:-bench/out/news}
[[ -x $NEWSIDX ]] || { echo "no binary at $NEWSIDX (cargo build --release)" >&2; exit 2; }
for s in "${SETS[@]}"; do
  [[ -f $DATA/$KIND/$s/corpus.jsonl ]] || { echo "missing $DATA/$KIND/$s" >&2; exit 2; }
done
mkdir -p "$WORK"
missing=()
for f in "${FAMILIES[@]}"; do [[ -f $NEWS/$f/qrels-held.tsv ]] || missing+=("$f"); done
if [[ ${#missing[@]} -gt 0 ]]; then
  PY=${PYTHON:-}
  if [[ -z $PY ]]; then
    PY=bench/out/venv/bin/python
    [[ -x $PY ]] || python3 -m venv bench/out/venv >&2
    "$PY" -c 'import jieba' 2>/dev/null || bench/out/venv/bin/pip install -q jieba==0.42.1 >&2
  fi
  only=$(IFS=,; echo "${missing[*]}")
  "$PY" bench/news_sets.py --data "$DATA" --out "$NEWS" --only "$only"
fi

build() { # build DIR PATH...
  local dir=$1; shift
  if [[ ${REUSE:-0} == 1 && -f $dir/meta.json ]]; then return; fi
  "$NEWSIDX" index --rebuild --quiet -i "$dir" "$@"
}

pooled=$WORK/$KIND-pooled
if [[ ${#SETS[@]} -gt 0 ]]; then
  corpora=()
  for s in "${SETS[@]}"; do corpora+=("$DATA/$KIND/$s/corpus.jsonl"); done
  build "$pooled" "${corpora[@]}" "$NEWS_ALL"
  for s in "${SETS[@]}"; do build "$WORK/$KIND-$s" "$DATA/$KIND/$s/corpus.jsonl"; done
fi
for f in "${FAMILIES[@]}"; do build "$WORK/news-$f" "$NEWS/$f/corpus.jsonl"; done

row() { # row SET LABEL INDEX QUERIES QRELS
  local feat=()
  if [[ -n ${FEATURES:-} ]]; then
    mkdir -p "$FEATURES"
    feat=(--features "$FEATURES/$1-${2//, /-}.features.jsonl")
  fi
  "$NEWSIDX" eval -i "$3" --json ${EVAL_ARGS:-} "${feat[@]}" \
    --queries "$4" --qrels "$5" 2>/dev/null | python3 bench/eval_row.py "$1" "$2"
}

echo "| set | index | queries | MRR@10 | nDCG@10 | R@10 | R@100 |"
echo "|---|---|---:|---:|---:|---:|---:|"
q() { echo "$DATA/$KIND/$1/queries.jsonl" "$DATA/$KIND/$1/qrels.tsv"; }
for s in "${SETS[@]}"; do row "$s" pooled "$pooled" $(q "$s"); done
for s in "${SETS[@]}"; do row "$s" alone "$WORK/$KIND-$s" $(q "$s"); done
for f in "${FAMILIES[@]}"; do
  for fold in fit held; do
    row "$f" "news, $fold" "$WORK/news-$f" "$NEWS/$f/queries.jsonl" "$NEWS/$f/qrels-$fold.tsv"
  done
done
