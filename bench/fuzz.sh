#!/usr/bin/env bash
# Runs the property tests (tests/props.rs) long: every property for
# CASES cases or SECS seconds, whichever comes first, from SEED.
#
#   bench/fuzz.sh                     # 1,000,000 cases or 600 s per property
#   CASES=50000 SECS=120 bench/fuzz.sh
#   SEED=7 bench/fuzz.sh props::dates # one property, other cases
#
# Each property prints "property NAME: N cases in S s"; a failure prints the
# smallest failing input proptest found (in the log), and the script exits
# non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${CASES:-1000000}
SECS=${SECS:-600}
SEED=${SEED:-$(date +%s)}
FILTER=${1:-props::}
cargo test --release --test integration --no-run
echo "fuzz: up to $CASES cases or $SECS s per property, seed $SEED"
LOG=target/fuzz-$SEED.log
status=0
PROPTEST_CASES=$CASES NEWSIDX_FUZZ_SECS=$SECS NEWSIDX_FUZZ_SEED=$SEED \
    cargo test --release --test integration "$FILTER" -- --test-threads=1 --nocapture \
    >"$LOG" 2>&1 || status=$?
grep -E '^property |panicked|^test result' "$LOG" || true
echo "fuzz: full output in $LOG"
exit $status
