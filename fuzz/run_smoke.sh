#!/usr/bin/env bash
# Runs every fuzz target for a few seconds over its seed corpus (plus the
# shared OpenMetrics conformance cases when present). Fails on any crash.
#   fuzz/run_smoke.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:?build dir}
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../../shared/corpus/openmetrics-parsers"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # target dict seed-dir...
  local target=$1 dict=$2; shift 2
  local corpus="$work/$target"
  mkdir -p "$corpus"
  echo "== $target (${seconds}s)"
  "$build/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 -dict="$here/$dict" -print_final_stats=1 "$corpus" "$@" 2>"$work/$target.log" \
    || { tail -50 "$work/$target.log"; echo "FAIL: $target"; exit 1; }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/$target.log" | tr '\n' ' '
  echo
}

om_seeds=()
if [ -d "$shared" ]; then
  mkdir -p "$work/om-seeds"
  for d in "$shared"/*/; do cp "$d/metrics" "$work/om-seeds/$(basename "$d")"; done
  om_seeds=("$work/om-seeds")
fi
run expfmt_text_fuzz expfmt.dict "$here/corpus/text" "${om_seeds[@]}"
run openmetrics_fuzz expfmt.dict "$here/corpus/openmetrics" "${om_seeds[@]}"
run inject_fuzz expfmt.dict "$here/corpus/inject"
run promql_fuzz promql.dict "$here/corpus/promql"
run lint_queries_fuzz promql.dict "$here/corpus/lint_queries"
run lint_dashboard_fuzz dashboard.dict "$here/corpus/lint_dashboard"
run lint_rules_fuzz rules.dict "$here/corpus/lint_rules"
echo "fuzz smoke: all targets ran without a finding"
