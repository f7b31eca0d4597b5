#!/usr/bin/env bash
# One entry point for building and running promvet on a fresh Debian 12 box.
#   tools/dev.sh examples     install missing packages, build, lint testdata/examples/
#   tools/dev.sh test         install missing packages, build, run every test (ctest)
#   tools/dev.sh sanitize     the test suite built with ASan+UBSan (PROMVET_SANITIZE)
#   tools/dev.sh fuzz-smoke   build the libFuzzer targets with clang, run each briefly
#   tools/dev.sh bench        issue 21's benchmarks against promtool, side by side (tools/bench/compare.py)
#   tools/dev.sh format       clang-format (.clang-format) the C++ sources in place; format --check only reports
#   tools/dev.sh sizes        file and function sizes (tools/code_size.py) cross-checked with clang-tidy
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  ca-certificates g++ make cmake pkg-config python3 curl
  libcli11-dev libfmt-dev nlohmann-json3-dev libre2-dev libyaml-dev libfast-float-dev
  libcurl4-openssl-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev
  antlr4 libantlr4-runtime-dev  # PromQL grammar generated at build time
  git pre-commit  # the pre-commit hooks' integration test
  prometheus  # promtool: the oracle for parity tests and benchmarks; the server for the API integration test
  chromium    # renders the usage report's HTML in a test
)
FUZZ_PACKAGES=(clang libclang-rt-14-dev)
STYLE_PACKAGES=(clang-tidy)  # Debian 12's, version 14
JOBS=$(nproc 2>/dev/null || echo 2)

# Microsoft's SARIF Multitool (a self-contained binary published on npm) validates our SARIF
# output in a test; best effort: without npm or the registry the test skips and says why.
install_sarif_validator() {
  local dir="$PWD/.tools/sarif"
  [ -x "$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ] && return 0
  if command -v npm >/dev/null 2>&1; then
    npm install --no-save --no-audit --no-fund --prefix "$dir" @microsoft/sarif-multitool@5.7.0 >/dev/null 2>&1 \
      || echo "note: could not install the SARIF Multitool with npm; its test will skip" >&2
  else
    echo "note: npm not found; the SARIF validation test will skip" >&2
  fi
}

# Node.js and npm for the two npm-installed test tools (the SARIF Multitool, lezer-promql): from
# Debian only when missing, so that a Node.js installed otherwise (NodeSource bundles npm) is kept.
install_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
  install_packages nodejs npm
}

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {  # build DIR [cmake args...]
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j"$JOBS"
}

case "${1:-}" in
  examples)
    install_packages "${PACKAGES[@]}"
    build build
    echo "== promvet metrics testdata/examples/*.prom testdata/examples/*.om"
    set +e
    build/tools/promvet metrics testdata/examples/*.prom testdata/examples/*.om
    rc=$?
    echo "== exit code $rc (0 clean, 1 findings, 2 could not run)"
    echo "== promvet lint --policy mixin testdata/examples/dashboards testdata/examples/rules"
    build/tools/promvet lint --policy mixin testdata/examples/dashboards testdata/examples/rules
    rc_lint=$?
    set -e
    echo "== exit code $rc_lint (0 clean, 1 findings, 2 could not run)"
    [ $rc -le 1 ] && [ $rc_lint -le 1 ]
    ;;
  test)
    install_packages "${PACKAGES[@]}"
    install_node
    install_sarif_validator
    tests/lezer/setup.sh  # Prometheus' web UI PromQL grammar: the lezer oracle test (skips without it)
    build build
    ctest --test-dir build --output-on-failure -j"$JOBS" --timeout 600
    ;;
  sanitize)
    install_packages "${PACKAGES[@]}"
    install_node
    tests/lezer/setup.sh
    build build-sanitize -DPROMVET_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROMVET_BUILD_BENCHMARKS=OFF
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      ctest --test-dir build-sanitize --output-on-failure -j"$JOBS" --timeout 900
    ;;
  fuzz-smoke)
    install_packages "${PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
    build build-fuzz -DPROMVET_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo
    fuzz/run_smoke.sh build-fuzz "${FUZZ_SECONDS:-20}"
    ;;
  bench)
    install_packages "${PACKAGES[@]}"
    build build
    tools/bench/compare.py "${@:2}"
    build/tools/bench_promql
    ;;
  format)
    install_packages clang-format  # Debian 12's is version 14, which .clang-format is written for
    # Every C++ source we wrote (not build trees, not tests/code_size's fixture, whose line
    # numbers its test expects); --check changes nothing, prints each difference and fails.
    mapfile -t files < <(git ls-files 'lib/*.cpp' 'lib/*.h' 'tools/*.cpp' 'tools/*.h' 'tests/*.cpp' 'tests/*.h' \
      'fuzz/*.cpp' 'fuzz/*.h' ':!tests/code_size/*')
    if [ "${2:-}" = "--check" ]; then
      clang-format --dry-run --Werror "${files[@]}"
    else
      clang-format -i "${files[@]}"
    fi
    ;;
  sizes)
    install_packages "${PACKAGES[@]}" "${STYLE_PACKAGES[@]}"
    build build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
    rc=0  # both run; either failing fails
    tools/code_size.py --allowlist tools/code_size_allowlist.txt lib tools || rc=1
    tools/code_size.py --compare-clang-tidy build --jobs "$JOBS" lib tools || rc=1
    exit $rc
    ;;
  *)
    sed -n '2,10p' "$0" >&2
    exit 2
    ;;
esac
