#!/usr/bin/env bash
# Behaviour snapshot: runs one newsidx binary over a fixed set of commands and
# writes every output (stdout, stderr, exit code) into OUT, one file per
# command, with timings blanked. Two snapshots from two binaries compare with
# `diff -r OUT_A OUT_B`: a refactor that changes nothing shows no difference.
#
#   bench/behaviour.sh BIN OUT [DATA]
#
# BIN   the newsidx binary to check
# OUT   a new folder for the outputs (its index goes to OUT.index)
# DATA  the shared data folder (default ../shared/data); without it only the
#       bundled corpus is used
#
# The index is built by the same binary with --threads 1 (with several
# threads, articles of equal score can swap places from one build to the
# next). The server is started on a free loopback port and stopped by pid.
set -u
BIN=$(realpath "$1")
OUT=$2
DATA=${3:-../shared/data}
IDX="$OUT.index"
EIDX="$OUT.entities"
rm -rf "$OUT" "$IDX" "$EIDX"
mkdir -p "$OUT"
n=0

# Blanks what changes from run to run: elapsed times.
scrub() {
  sed -E "s#$OUT#OUT#g" | sed -E 's/"(elapsed|took)_ms":[0-9.e+-]+/"\1_ms":0/g; s/"opened_at":[0-9]+/"opened_at":0/g; s/[0-9]+(\.[0-9]+)? ?ms\b/N ms/g; s/[0-9]+(\.[0-9]+)? ?s elapsed/N s elapsed/g; s/in [0-9]+(\.[0-9]+)? ?s\b/in N s/g'
}

# run NAME ARGS...: one command, its stdout, stderr and exit code.
run() {
  local name=$1
  shift
  n=$((n + 1))
  "$BIN" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" </dev/null
  echo "exit $?" >>"$OUT/$name.err"
  scrub <"$OUT/$name.out" >"$OUT/$name.tmp" && mv "$OUT/$name.tmp" "$OUT/$name.out"
  scrub <"$OUT/$name.err" >"$OUT/$name.tmp" && mv "$OUT/$name.tmp" "$OUT/$name.err"
}

# run_in NAME INPUT ARGS...: as run, with INPUT on stdin.
run_in() {
  local name=$1 input=$2
  shift 2
  n=$((n + 1))
  "$BIN" "$@" <"$input" >"$OUT/$name.out" 2>"$OUT/$name.err"
  echo "exit $?" >>"$OUT/$name.err"
  scrub <"$OUT/$name.out" >"$OUT/$name.tmp" && mv "$OUT/$name.tmp" "$OUT/$name.out"
  scrub <"$OUT/$name.err" >"$OUT/$name.tmp" && mv "$OUT/$name.tmp" "$OUT/$name.err"
}

SOURCES=(corpus)
NEWS="$DATA/news/news_all.jsonl"
[ -f "$NEWS" ] && SOURCES+=("$NEWS")
[ -d "$DATA/seed" ] && SOURCES+=("$DATA/seed")

run index -i "$IDX" index --rebuild --threads 1 "${SOURCES[@]}"
run index_again -i "$IDX" index --threads 1 "${SOURCES[@]}"
run index_entities -i "$EIDX" index --rebuild --threads 1 --entities corpus
export NEWSIDX_INDEX="$IDX"

QUERIES=(
  北京 上海 中国 习近平 美国 经济 疫情 人工智能 "马斯克 收购" 新闻联播
  萨克斯坦 去年同 '"人工智能公司"' "苹果 OR 华为" "经济 -美国" title:北京
  body:上海 "source:新华社 经济" "中国 title:发展" "发展 OR 改革 -美国"
  "T-92理想上可与什么一起串联" "蒋巨峰担任什么职务？" "今年一季度国内生产总值同比增长多少"
  "北京冬奥会开幕式在国家体育场举行" GPU "航天 -GPU" 2024 "“一带一路”" 京与 zzzxqy
)
printf '%s\n' "${QUERIES[@]}" >"$OUT.queries"
i=0
for q in "${QUERIES[@]}"; do
  i=$((i + 1))
  run "search_${i}_json" search --json -n 20 -- "$q"
  run "search_${i}_date" search --json --sort date -n 10 -- "$q"
  run "search_${i}_range" search --json --since 2023-01-01 --until 2024-06-30 -- "$q"
  run "search_${i}_human" search --color always -- "$q"
  run "count_${i}_year" count --by year --json -- "$q"
done
run search_offset search --json --offset 5 -n 5 北京
run search_nocollapse search --json --no-collapse -n 20 新闻联播
run search_norelax search --json --no-relax "T-92理想上可与什么一起串联"
run search_passages search --json --passages 1 经济
run_in search_batch "$OUT.queries" search --json --batch
run_in count_batch "$OUT.queries" count --json --batch
run count_source count --by source 经济
run count_source_json count --by source --json 经济
run count_month count --by month --json 北京
run count_norm count --by year --normalize --query 北京 --query 上海 --json
run count_csv count --by year --csv --query 北京 --query 上海
run count_week count --by week --since 2024-01-01 --until 2024-03-01 北京
run stats stats
run stats_json stats --json
run terms terms 北京 -n 20
run terms_json terms 经济 --json
run kwic kwic 北京 -n 30
run kwic_json kwic 经济 --json -n 30
run kwic_csv kwic 上海 --csv -n 30
run synonyms synonyms
run inspect_corpus inspect --all --body corpus
run inspect_corpus_json inspect --json --all --body corpus
[ -d "$DATA/news/raw" ] && run inspect_raw inspect --json "$DATA/news/raw"
[ -d "$DATA/seed" ] && run inspect_seed inspect --all --body "$DATA/seed"
for m in words index query; do
  run "analyze_$m" analyze --mode "$m" --json "马斯克收购推特，北京冬奥会 COVID-19 臺灣"
done
run analyze_plain analyze "今天北京下雨了"
RET="$DATA/retrieval/cmrc2018_trial"
if [ -d "$RET" ]; then
  run eval_cmrc eval --queries "$RET/queries.jsonl" --qrels "$RET/qrels.tsv"
  run eval_cmrc_json eval --queries "$RET/queries.jsonl" --qrels "$RET/qrels.tsv" --per-query --json
fi
run ent_person -i "$EIDX" search --json 'person:王毅'
run ent_place -i "$EIDX" count --json --by year 'place:北京'
run ent_terms -i "$EIDX" terms --kind people 北京 --json
# errors
run err_query search '"unclosed'
run err_date search --since 2024-13-45 北京
run err_index -i "$OUT.missing" search 北京
run err_option search --sort nope 北京
for c in "" index search count terms stats inspect eval analyze serve kwic synonyms completions man; do
  run "help_${c:-top}" $c --help
done

# The API, on a free loopback port, stopped by pid.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" -i "$IDX" serve --addr "127.0.0.1:$PORT" >"$OUT.serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break
  sleep 0.1
done
api() {
  local name=$1 path=$2
  n=$((n + 1))
  curl -s -o "$OUT/api_$name.out" -w '%{http_code}\n' "http://127.0.0.1:$PORT$path" >"$OUT/api_$name.err"
  scrub <"$OUT/api_$name.out" >"$OUT/api_$name.tmp" && mv "$OUT/api_$name.tmp" "$OUT/api_$name.out"
}
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
api search "/api/search?q=$(enc 北京)"
api search_date "/api/search?q=$(enc 经济)&sort=date&limit=5"
api search_source "/api/search?q=$(enc 经济)&source=$(enc 新华社)"
api search_question "/api/search?q=$(enc 蒋巨峰担任什么职务？)"
api search_bad "/api/search?q=$(enc '"unclosed')"
api count "/api/count?q=$(enc 北京)&by=year"
api count_norm "/api/count?q=$(enc 北京)&q=$(enc 上海)&by=year&normalize=true"
api terms "/api/terms?q=$(enc 北京)"
api kwic "/api/kwic?q=$(enc 北京)"
api kwic_csv "/api/kwic.csv?q=$(enc 北京)"
api stats "/api/stats"
api health "/api/health"
first=$("$BIN" search --json -n 1 北京 | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')
api article "/api/articles/$(enc "$first")?q=$(enc 北京)"
api article_missing "/api/articles/nope"
api page "/"
kill "$PID"
wait "$PID" 2>/dev/null
echo "$n outputs in $OUT" >&2
