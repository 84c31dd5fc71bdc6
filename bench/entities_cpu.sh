#!/bin/sh
# Index CPU of `index --entities` against a default index, whole process,
# interleaved rounds (BENCHMARKS.md, "`index --entities`: where the extra
# CPU goes"). Prints one line per run: round, label, user s, sys s, wall s.
# Usage: bench/entities_cpu.sh ROUNDS CORPUS OUTDIR LABEL=BINARY[:--entities] ...
set -eu
ROUNDS=$1 CORPUS=$2 OUT=$3
shift 3
for r in $(seq "$ROUNDS"); do
  for spec in "$@"; do
    label=${spec%%=*} rest=${spec#*=}
    bin=${rest%%:*} flags=
    [ "$bin" != "$rest" ] && flags=${rest#*:}
    rm -rf "$OUT/cpu-idx"
    t=$( { /usr/bin/time -f "%U %S %e" "$bin" index -q $flags -i "$OUT/cpu-idx" "$CORPUS" 2>&1 >/dev/null; } | tail -1)
    echo "$r $label $t"
  done
done
rm -rf "$OUT/cpu-idx"
