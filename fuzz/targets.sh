# Sourced by run_smoke.sh and run_campaign.sh: each target's dictionary and seed directories.
fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FUZZ_TARGETS=(expfmt_text_fuzz openmetrics_fuzz inject_fuzz promql_fuzz
              lint_queries_fuzz lint_dashboard_fuzz lint_rules_fuzz)

# libFuzzer's entropic schedule counts, for every feature of every execution, how often it was
# hit while its count is at most the threshold (default 255), searching a list of all such
# "rare" features linearly. The lint targets reach 30,000-40,000 features, so that search was
# half of lint_rules_fuzz's time and a quarter of promql_fuzz's. At 16 only features hit at most
# 16 times count as rare (the inputs holding them still get more energy), the list stays short,
# and in the same CPU time both targets executed about twice as many inputs and reached more
# coverage (docs/fuzzing.md, "Throughput").
FUZZ_FLAGS=(-entropic_feature_frequency_threshold=16)

target_dict() {
  case $1 in
    expfmt_text_fuzz|openmetrics_fuzz|inject_fuzz) echo "$fuzz_dir/expfmt.dict" ;;
    promql_fuzz|lint_queries_fuzz) echo "$fuzz_dir/promql.dict" ;;
    lint_dashboard_fuzz) echo "$fuzz_dir/dashboard.dict" ;;
    lint_rules_fuzz) echo "$fuzz_dir/rules.dict" ;;
    *) echo "unknown fuzz target: $1" >&2; return 1 ;;
  esac
}

# target_seeds TARGET OM_SEED_DIR: the seed directories (the OpenMetrics conformance cases,
# copied into OM_SEED_DIR when ../shared is present, seed both exposition parsers).
target_seeds() {
  local shared="$fuzz_dir/../../shared/corpus/openmetrics-parsers"
  case $1 in
    expfmt_text_fuzz|openmetrics_fuzz)
      [ "$1" = expfmt_text_fuzz ] && echo "$fuzz_dir/corpus/text" || echo "$fuzz_dir/corpus/openmetrics"
      if [ -d "$shared" ]; then
        mkdir -p "$2"
        for d in "$shared"/*/; do cp "$d/metrics" "$2/$(basename "$d")"; done
        echo "$2"
      fi ;;
    *) echo "$fuzz_dir/corpus/${1%_fuzz}" ;;
  esac
}
