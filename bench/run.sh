#!/usr/bin/env bash
# Benchmarks newsidx against raw jieba-rs, ripgrep, SQLite FTS5, whoosh and
# tantivy with tantivy-jieba.
#
#   bench/run.sh [CORPUS] [--quick] [--no-peers] [--scale] [--words FILE] [--name NAME]
#
# CORPUS is a .jsonl/.json/.txt/.md file or a folder of them (default:
# ../shared/data/news/news_all.jsonl). Installs what is missing (ripgrep and
# GNU time from apt, whoosh and jieba from PyPI into bench/out/venv), builds
# the release binary and the benchmark examples, runs bench/bench.py and
# prints one markdown table, also written to bench/out/latest.md.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=bench/out
CORPUS=../shared/data/news/news_all.jsonl
PASS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick | --no-peers | --scale) PASS+=("$1") ;;
        --words | --threads | --name) PASS+=("$1" "$2"); shift ;;
        -h | --help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) CORPUS=$1 ;;
    esac
    shift
done
if [ ! -e "$CORPUS" ]; then
    echo "run.sh: $CORPUS: no such file or folder" >&2
    exit 2
fi
rm -rf "$OUT/bin"
mkdir -p "$OUT/bin"

# --- tools -----------------------------------------------------------------
SUDO=
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO=sudo
APT_UPDATED=
apt_install() {
    if [ -z "$APT_UPDATED" ]; then
        $SUDO apt-get update -qq
        APT_UPDATED=1
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v rg >/dev/null || { echo "run.sh: installing ripgrep" >&2; apt_install ripgrep; }
[ -x /usr/bin/time ] || { echo "run.sh: installing GNU time" >&2; apt_install time; }

PY=python3
if [[ " ${PASS[*]-} " != *" --no-peers "* ]]; then
    VENV=$OUT/venv
    if [ ! -x "$VENV/bin/python" ]; then
        echo "run.sh: creating $VENV" >&2
        python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$VENV"; }
    fi
    if ! "$VENV/bin/python" -c 'import whoosh, jieba' 2>/dev/null; then
        echo "run.sh: installing whoosh and jieba into $VENV" >&2
        "$VENV/bin/pip" install -q whoosh jieba
    fi
    PY=$VENV/bin/python
fi

# --- build -----------------------------------------------------------------
# The executables are taken from cargo's own report (wherever the target
# folder is) and copied out of it, since a target folder shared with other
# checkouts may get another `newsidx` while the benchmark runs.
echo "run.sh: cargo build --release" >&2
cargo build --release --message-format=json-render-diagnostics --bin newsidx \
    --example segment_floor --example query_latency --example sample_words \
    | python3 -c '
import json, shutil, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable"):
        shutil.copy2(m["executable"], sys.argv[1])
        print("run.sh: using", m["executable"], file=sys.stderr)
' "$OUT/bin"
for exe in newsidx segment_floor query_latency sample_words; do
    [ -x "$OUT/bin/$exe" ] || { echo "run.sh: build did not produce $exe" >&2; exit 2; }
done
# The tantivy + tantivy-jieba peer is a crate of its own (its own lock file
# and target folder), outside newsidx's dependency tree.
if [[ " ${PASS[*]-} " != *" --no-peers "* ]]; then
    echo "run.sh: cargo build --release (bench/tantivy_peer)" >&2
    cargo build --release --manifest-path bench/tantivy_peer/Cargo.toml --target-dir "$OUT/peer-target"
    cp "$OUT/peer-target/release/tantivy_peer" "$OUT/bin/"
fi

# --- measure ---------------------------------------------------------------
exec python3 bench/bench.py "$CORPUS" --bin "$OUT/bin" --out "$OUT" --python "$PY" ${PASS[@]+"${PASS[@]}"}
