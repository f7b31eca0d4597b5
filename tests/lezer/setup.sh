#!/usr/bin/env bash
# Installs the PromQL grammar of Prometheus' web UI (@prometheus-io/lezer-promql, the version
# pinned in tests/lezer/package.json) for tests/promql_lezer_oracle_test.cpp.
#   tests/lezer/setup.sh [DIR]    default DIR: .tools/lezer in the repository (not committed)
# Best effort, like the SARIF validator in tools/dev.sh: without npm or the registry the test
# skips and says why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../.tools/lezer}
pinned=$(sed -n 's/.*"@prometheus-io\/lezer-promql": "\(.*\)".*/\1/p' "$here/package.json")
installed="$dir/node_modules/@prometheus-io/lezer-promql/package.json"
if [ -f "$installed" ] && grep -q "\"version\": \"$pinned\"" "$installed" && cmp -s "$here/package.json" "$dir/package.json"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "note: npm not found; the lezer oracle test will skip" >&2
  exit 0
fi
mkdir -p "$dir"
cp "$here/package.json" "$dir/package.json"
npm install --no-package-lock --no-audit --no-fund --prefix "$dir" >/dev/null 2>&1 \
  || echo "note: could not install @prometheus-io/lezer-promql@$pinned with npm; the lezer oracle test will skip" >&2
