#!/usr/bin/env bash
# Runs every fuzz target for a few seconds over its seed corpus (plus the
# shared OpenMetrics conformance cases when present). Fails on any crash.
#   fuzz/run_smoke.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:?build dir}
seconds=${2:-20}
source "$(dirname "$0")/targets.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for target in "${FUZZ_TARGETS[@]}"; do
  corpus="$work/$target"
  mkdir -p "$corpus"
  mapfile -t seeds < <(target_seeds "$target" "$work/om-seeds")
  echo "== $target (${seconds}s)"
  "$build/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 "${FUZZ_FLAGS[@]}" -dict="$(target_dict "$target")" -print_final_stats=1 "$corpus" "${seeds[@]}" \
    2>"$work/$target.log" || { tail -50 "$work/$target.log"; echo "FAIL: $target"; exit 1; }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/$target.log" | tr '\n' ' '
  echo
done
echo "fuzz smoke: all targets ran without a finding"
