#!/usr/bin/env bash
# A long run of one fuzz target, resumable: the corpus it grows stays in WORK/TARGET.
#   fuzz/run_campaign.sh BUILD_DIR TARGET RUNS WORK [extra libFuzzer flags]
# Stops after RUNS executions (or on a finding: the crash file lands in WORK/). The last lines
# of WORK/TARGET.log are the final stats docs/fuzzing.md records. A plain build
# (-DPROMVET_FUZZ_ASAN=OFF) runs several times faster; replay its corpus through the ASan+UBSan
# build afterwards with fuzz/replay_corpus.sh.
set -euo pipefail
build=${1:?build dir} target=${2:?target} runs=${3:?runs} work=${4:?work dir}
shift 4
source "$(dirname "$0")/targets.sh"
mkdir -p "$work/$target"
mapfile -t seeds < <(target_seeds "$target" "$work/om-seeds")
cd "$work"
start=$(date +%s) rc=0
"$build/fuzz/$target" -runs="$runs" -max_len=4096 -rss_limit_mb=2048 -timeout=10 "${FUZZ_FLAGS[@]}" \
  -dict="$(target_dict "$target")" -print_final_stats=1 -artifact_prefix="$work/" "$@" \
  "$work/$target" "${seeds[@]}" >"$work/$target.log" 2>&1 || rc=$?
echo "$target: exit $rc after $(( $(date +%s) - start )) s; corpus $(ls "$work/$target" | wc -l) inputs" \
  | tee -a "$work/$target.log"
exit $rc
