#!/bin/sh
# The outputs `index --entities` feeds, for comparing two builds byte for
# byte (BENCHMARKS.md, "`index --entities`: where the extra CPU goes"):
# terms (words and the three kinds of names), search and count of 15
# queries, and search/count/terms of six name filters; 108 files in OUT,
# timings blanked. Build INDEX with `--threads 1` (document order between
# segments depends on the threads). Usage:
#   NEWSIDX=path/to/newsidx bench/same_outputs.sh INDEX OUT
#   diff -r OUT_A OUT_B
set -eu
INDEX=$1
OUT=$2
NEWSIDX=${NEWSIDX:-target/release/newsidx}
mkdir -p "$OUT"
blank() { sed -E 's/"(took_ms|elapsed_ms|ms|seconds|took)":[0-9.e+-]+/"\1":0/g'; }
n=0
run() {
  n=$((n + 1))
  { "$NEWSIDX" -i "$INDEX" "$@" 2>&1 || echo "exit $?"; } | blank > "$OUT/$(printf %03d $n)"
}
for q in 经济 中国 合作 美国 体育 习近平 乌克兰 航天 冬奥会 疫情 人工智能 北京 气候 台湾 教育; do
  run terms "$q" --json -n 60
  for kind in people places orgs; do run terms "$q" --kind "$kind" --json -n 40; done
  run search "$q" --json -n 20
  run count "$q" --by month --json
done
for q in 'person:习近平' 'person:王毅 合作' 'place:北京' 'org:国务院' \
         'person:拜登 place:美国' 'place:上海 -person:习近平'; do
  run search "$q" --json -n 20
  run count "$q" --by month --json
  run terms "$q" --kind people --json -n 40
done
echo "$n commands" >&2
