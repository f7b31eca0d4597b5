#!/usr/bin/env bash
# Runs every input of a grown corpus once through a (normally ASan+UBSan) fuzz build.
#   fuzz/replay_corpus.sh BUILD_DIR TARGET CORPUS_DIR
set -euo pipefail
build=${1:?build dir} target=${2:?target} corpus=${3:?corpus dir}
n=$(ls "$corpus" | wc -l)
start=$(date +%s)
"$build/fuzz/$target" -runs=0 -rss_limit_mb=4096 -timeout=30 "$corpus" >"$corpus.replay.log" 2>&1 \
  || { tail -40 "$corpus.replay.log"; echo "FAIL: $target on $corpus"; exit 1; }
echo "$target: replayed $n inputs through $build in $(( $(date +%s) - start )) s, no finding"
