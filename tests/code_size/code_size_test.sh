#!/usr/bin/env bash
# tools/code_size.py's own tests (run by ctest as CodeSize.CounterAndLimits): it counts every
# function of tests/code_size/sample.cpp as clang-tidy would, fails on a function or file over its
# limit, accepts one an allowlist names, and fails on an allowlist entry that matches nothing.
set -uo pipefail
cd "$(dirname "$0")/../.."
tool=tools/code_size.py
sample=tests/code_size/sample.cpp
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# expect CODE PATTERN ARGS...: exit status CODE and a line of output matching PATTERN.
expect() {
  local code=$1 pattern=$2; shift 2
  local out rc
  out=$(python3 "$tool" "$@" 2>&1); rc=$?
  [ "$rc" -eq "$code" ] || fail "code_size $* exited $rc, not $code: $out"
  grep -qE -- "$pattern" <<<"$out" || fail "code_size $* printed no line matching '$pattern': $out"
}

diff -u tests/code_size/sample.expected <(python3 "$tool" --list "$sample") || fail "--list differs from sample.expected"

expect 0 "0 over the limits" --max-function-lines 5 "$sample"
expect 1 "sample.cpp:37: function 'trailing' is 5 lines \(limit 4\)" --max-function-lines 4 "$sample"
expect 1 "sample.cpp:49: function 'c_linkage' is 5 lines \(limit 4\)" --max-function-lines 4 "$sample"
expect 1 "sample.cpp: 61 lines \(limit 50\)" --max-file-lines 50 "$sample"

allow=$(mktemp); trap 'rm -f "$allow"' EXIT
printf '# test allowlist\n%s trailing a reason\n%s c_linkage a reason\n' "$sample" "$sample" >"$allow"
expect 0 "0 over the limits, 2 allowed" --max-function-lines 4 --allowlist "$allow" "$sample"
expect 1 "allowlist entry '$sample c_linkage' matches nothing" --max-function-lines 5 --allowlist "$allow" "$sample"
printf '%s trailing\n' "$sample" >"$allow"
expect 2 "the reason is required" --allowlist "$allow" "$sample"

# Unbalanced braces are an error, never a silent pass.
broken=$(mktemp --suffix=.cpp); trap 'rm -f "$allow" "$broken"' EXIT
printf 'void f() {\n  if (x) {\n}\n' >"$broken"
expect 2 "cannot count its functions: unbalanced braces" "$broken"

[ "$failed" -eq 0 ] && echo "code_size tests passed"
exit "$failed"
