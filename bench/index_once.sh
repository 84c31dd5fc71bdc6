#!/usr/bin/env bash
# Index CPU (user+sys) of the news dump and the raw dumps, old vs new binary, alternating.
# usage: bench/index_once.sh OLD_BIN NEW_BIN [DATA] [RUNS]  (DATA: ../shared/data)
set -u
OLD=$1 NEW=$2 DATA=${3:-../shared/data} RUNS=${4:-3}
W=$(mktemp -d)
cpu() { /usr/bin/time -f "%U %S %e" -o $W/t "$@" >/dev/null 2>&1; awk '{printf "%.2f %.2f\n", $1+$2, $3}' $W/t; }
for r in $(seq $RUNS); do
  for b in old new; do
    BIN=$OLD; [ $b = new ] && BIN=$NEW
    rm -rf $W/idx_$b
    echo "full $b $(cpu $BIN -i $W/idx_$b index --quiet $DATA/news/news_all.jsonl $DATA/news/raw)"
  done
done
# One big file changed: a copy of news_all.jsonl indexed, then one line appended, indexed again.
for r in $(seq $RUNS); do
  for b in old new; do
    BIN=$OLD; [ $b = new ] && BIN=$NEW
    rm -rf $W/idx_c_$b $W/d_$b; mkdir -p $W/d_$b
    cp $DATA/news/news_all.jsonl $W/d_$b/news.jsonl
    $BIN -i $W/idx_c_$b index --quiet $W/d_$b >/dev/null 2>&1
    head -1 $DATA/news/news_all.jsonl | sed 's/"id": *"[^"]*"/"id":"changed-1"/' >> $W/d_$b/news.jsonl
    echo "changed $b $(cpu $BIN -i $W/idx_c_$b index --quiet $W/d_$b)"
    touch $W/d_$b/news.jsonl
    echo "touched $b $(cpu $BIN -i $W/idx_c_$b index --quiet $W/d_$b)"
  done
done
rm -rf "$W"
