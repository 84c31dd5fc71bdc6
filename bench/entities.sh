#!/bin/sh
# The top-20 people, places and organisations `newsidx terms` lists for
# twenty queries on an index of news_all (BENCHMARKS.md, "Entities"):
# query<TAB>kind<TAB>rank<TAB>entity<TAB>articles, one line each.
# Usage: bench/entities.sh INDEX > lists.tsv
set -eu
INDEX=${1:-index}
NEWSIDX=${NEWSIDX:-target/release/newsidx}
for q in 长江 疫情 外交部 航天 经济 教育 农业 科技创新 脱贫 一带一路 \
         台湾 美国 香港 乡村振兴 冬奥会 气候变化 人工智能 粮食 文物 新冠疫苗; do
  for kind in people places orgs; do
    "$NEWSIDX" -i "$INDEX" terms "$q" --kind "$kind" -n 20 --csv \
      | tail -n +2 \
      | awk -F, -v q="$q" -v k="$kind" '{ printf "%s\t%s\t%d\t%s\t%s\n", q, k, NR, $1, $3 }' || true
  done
done
