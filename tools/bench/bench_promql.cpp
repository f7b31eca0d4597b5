// PromQL front-end benchmark. In-process (google-benchmark, one thread): expressions/s for
// parse+check and parse only over realistic generated rules (../shared/tools/gen_rules.py), and
// the nesting-limit cases. Then side by side with promtool: `promvet parse --each-line` over the
// extracted expressions against `promtool check rules` over the rule file (promtool also parses
// YAML and templates, so the ratio favours promvet by that much; both figures are printed).
//
// With --exprs FILE (one expression a line, e.g. tools/bench/gen_promql.py 100000 > FILE: every
// metric name different) the expressions come from FILE instead and the promtool side is skipped.
//
//   bench_promql [--rules FILE | --exprs FILE] [--promvet PATH] [--promtool PATH] [google-benchmark flags]
#include <benchmark/benchmark.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "io/bounded_read.h"
#include "io/yaml_tree.h"
#include "promql/parse.h"

namespace {

std::string g_rules = "";
std::string g_exprs_file = "";
std::string g_promvet = PROMVET_CLI;
std::string g_promtool = "promtool";
std::vector<std::string> g_exprs;

void load_expressions() {
  if (!g_exprs_file.empty()) {
    std::ifstream in(g_exprs_file);
    if (!in) {
      fmt::print(stderr, "cannot read {}\n", g_exprs_file);
      std::exit(2);
    }
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) g_exprs.push_back(line);
    return;
  }
  if (g_rules.empty()) {
    g_rules = std::string(PROMVET_BINARY_DIR) + "/bench_rules.yaml";
    std::string gen = std::string(PROMVET_SOURCE_DIR) + "/../shared/tools/gen_rules.py";
    if (std::ifstream(g_rules).good() == false) {
      std::string cmd = fmt::format("python3 '{}' 200 100 > '{}'", gen, g_rules);
      if (std::system(cmd.c_str()) != 0) {
        fmt::print(stderr, "cannot generate rules with {}; pass --rules FILE\n", gen);
        std::exit(2);
      }
    }
  }
  std::string text, error;
  promvet::yaml::Document doc;
  promvet::yaml::ParseError syntax;
  if (!promvet::io::read_file(g_rules, 1u << 30, &text, &error) || !promvet::yaml::load(text, &doc, &syntax)) {
    fmt::print(stderr, "{}: {}{}\n", g_rules, error, syntax.message);
    std::exit(2);
  }
  for (const auto& group : doc.root()["groups"].items())
    for (const auto& rule : group["rules"].items())
      if (rule["expr"]) g_exprs.push_back(rule["expr"].value());
}

void run_all(benchmark::State& state, bool check) {
  promvet::promql::ParseOptions options;
  options.type_check = check;
  size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& e : g_exprs) {
      auto r = promvet::promql::parse(e, options);
      if (!r.ok()) state.SkipWithError("a generated expression did not parse");
      benchmark::DoNotOptimize(r.expr);
      bytes += e.size();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * g_exprs.size()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_ParseAndCheck(benchmark::State& state) { run_all(state, true); }
void BM_ParseOnly(benchmark::State& state) { run_all(state, false); }

void BM_Nested(benchmark::State& state) {
  auto depth = static_cast<size_t>(state.range(0));
  std::string e = std::string(depth, '(') + "1" + std::string(depth, ')');
  for (auto _ : state) benchmark::DoNotOptimize(promvet::promql::parse(e));
}

BENCHMARK(BM_ParseAndCheck)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Nested)->Arg(100)->Arg(999)->Arg(100000)->Unit(benchmark::kMicrosecond);

double wall_seconds(const std::string& cmd) {
  auto start = std::chrono::steady_clock::now();
  int rc = std::system(cmd.c_str());
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rc == -1 || (WIFEXITED(rc) && WEXITSTATUS(rc) > 1)) return -1;
  return s;
}

void side_by_side() {
  std::string exprs_file = std::string(PROMVET_BINARY_DIR) + "/bench_exprs.txt";
  {
    std::ofstream out(exprs_file);
    for (const std::string& e : g_exprs) out << e << '\n';
  }
  std::string paren_file = std::string(PROMVET_BINARY_DIR) + "/bench_paren_rules.yaml";
  {
    std::ofstream out(paren_file);
    out << "groups:\n- name: g\n  rules:\n  - record: r\n    expr: '" << std::string(100000, '(') << "1"
        << std::string(100000, ')') << "'\n";
  }
  double promvet = wall_seconds(fmt::format("'{}' parse --each-line '{}' > /dev/null", g_promvet, exprs_file));
  double promtool = wall_seconds(fmt::format("'{}' check rules '{}' > /dev/null 2>&1", g_promtool, g_rules));
  double promtool_paren = wall_seconds(fmt::format("'{}' check rules '{}' > /dev/null 2>&1", g_promtool, paren_file));
  fmt::print("\nside by side, {} expressions from {}\n", g_exprs.size(), g_rules);
  fmt::print("  promvet parse --each-line  {:8.3f} s  {:9.0f} expr/s\n", promvet, g_exprs.size() / promvet);
  if (promtool > 0) {
    fmt::print("  promtool check rules       {:8.3f} s  {:9.0f} expr/s\n", promtool, g_exprs.size() / promtool);
    fmt::print("  ratio (promtool / promvet) {:8.2f}x\n", promtool / promvet);
    fmt::print("  100k nested parentheses: promtool check rules {:.3f} s\n", promtool_paren);
  } else {
    fmt::print("  promtool not available: no side-by-side figure\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc) g_rules = argv[++i];
    else if (a == "--exprs" && i + 1 < argc) g_exprs_file = argv[++i];
    else if (a == "--promvet" && i + 1 < argc) g_promvet = argv[++i];
    else if (a == "--promtool" && i + 1 < argc) g_promtool = argv[++i];
    else rest.push_back(argv[i]);
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  load_expressions();
  benchmark::RunSpecifiedBenchmarks();
  if (g_exprs_file.empty()) side_by_side();
  return 0;
}
