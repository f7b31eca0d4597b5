// Runs every fixture under testdata/checks/{promql,rules,dashboard,inventory}/<check>/ through the lint
// driver with all registered checks, and compares the findings with the expectations written
// in the fixture (clang-tidy CHECK-MESSAGES style):
//   YAML and .promql files: `# expect: <id> <message substring>` binds to the next line that is
//   not a comment; `# expect+N:` binds N lines below; `# expect@C:` / `# expect+N@C:` also
//   require column C. `[info]`, `[warning]` or `[error]` right after the id also requires that
//   severity (a finding that rests on weak evidence is reported as info).
//   JSON dashboards: a sidecar `<file>.expect` with `<line>:<col> <id> [severity] <message substring>`.
// A finding without an expectation fails as much as an expectation without a finding, so a
// fixture without expectations asserts silence.
// testdata/acceptance/ holds the acceptance tables of the check catalogue: correct.promql
// (real-world expressions that must stay silent) and incorrect.promql (one mistake per line, each
// with its one expected finding); they run through the same comparison.
// A directory holding `inventory.prom` (an exposition) or `inventory.json` (a saved inventory) is
// linted with that inventory and the naming-policy packs in policies/*.yaml (fixtures of policy/*
// checks and of rules/metadata-policy get the packs too); a `policy.yaml` there is one more pack
// for the directory's fixtures. Those files are not fixtures themselves.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checks/lint_catalogue.h"
#include "checks/lint_source.h"
#include "checks/registry.h"
#include "inventory/inventory.h"
#include "naming/policy.h"
#include "sources/dashboard.h"
#include "sources/query_file.h"
#include "sources/rules.h"
#include "test_support.h"

namespace promvet::test {
namespace {

namespace fs = std::filesystem;

struct Expectation {
  uint64_t line = 0;
  uint32_t column = 0;  // 0: any
  std::string id, substring;
  std::string where;     // fixture line that wrote it, for failure messages
  std::string severity;  // "info", "warning", "error", or empty: any
};

constexpr const char* kFamilies[] = {"promql", "rules", "dashboard", "inventory", "policy"};

bool is_inventory_file(const fs::path& p) {
  std::string name = p.filename().string();
  return name == "inventory.prom" || name == "inventory.json" || name == "policy.yaml";
}

std::vector<std::string> fixture_files() {
  std::vector<std::string> out;
  for (const char* family : kFamilies) {
    fs::path dir = fs::path(source_dir()) / "testdata" / "checks" / family;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      std::string ext = entry.path().extension().string();
      if (is_inventory_file(entry.path())) continue;
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".promql" || ext == ".json"))
        out.push_back(fs::relative(entry.path(), fs::path(source_dir()) / "testdata" / "checks").string());
    }
  }
  fs::path acceptance = fs::path(source_dir()) / "testdata" / "acceptance";
  if (fs::is_directory(acceptance))
    for (const auto& entry : fs::directory_iterator(acceptance))
      if (entry.path().extension() == ".promql")
        out.push_back(fs::relative(entry.path(), fs::path(source_dir()) / "testdata" / "checks").string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

bool is_comment(const std::string& line) {
  size_t i = line.find_first_not_of(" \t");
  return i != std::string::npos && line[i] == '#';
}

std::vector<Expectation> inline_expectations(const std::string& content) {
  static const std::regex kExpect(
      R"(#\s*expect(\+(\d+))?(@(\d+))?:\s*(\S+)\s*(?:\[(info|warning|error)\]\s*)?(.*?)\s*$)");
  std::vector<std::string> lines = split_lines(content);
  std::vector<Expectation> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_search(lines[i], m, kExpect)) continue;
    Expectation e;
    e.id = m[5];
    e.severity = m[6];
    e.substring = m[7];
    e.column = m[4].matched ? static_cast<uint32_t>(std::stoul(m[4])) : 0;
    e.where = "line " + std::to_string(i + 1);
    if (m[1].matched) {
      e.line = i + 1 + std::stoul(m[2]);
    } else {
      size_t j = i + 1;
      while (j < lines.size() && is_comment(lines[j])) ++j;
      e.line = j + 1;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Expectation> sidecar_expectations(const std::string& path) {
  std::vector<Expectation> out;
  if (!fs::exists(path)) return out;
  static const std::regex kLine(R"(^(\d+):(\d+)\s+(\S+)\s*(?:\[(info|warning|error)\]\s*)?(.*?)\s*$)");
  std::vector<std::string> lines = split_lines(read_file(path));
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i][0] == '#') continue;
    std::smatch m;
    EXPECT_TRUE(std::regex_match(lines[i], m, kLine)) << path << ":" << i + 1 << ": bad expectation line";
    if (m.empty()) continue;
    out.push_back({std::stoull(m[1]), static_cast<uint32_t>(std::stoul(m[2])), m[3], m[5],
                   path + ":" + std::to_string(i + 1), m[4]});
  }
  return out;
}

std::vector<checks::Finding> lint_fixture(const std::string& path, const std::string& content) {
  std::string ext = fs::path(path).extension().string();
  sources::SourceFile file = ext == ".json"     ? sources::load_dashboard(path, content)
                             : ext == ".promql" ? sources::load_queries(path, content)
                                                : sources::load_rules(path, content);
  static const checks::Registry registry = checks::make_registry();
  checks::LintOptions options;
  options.registry = &registry;
  fs::path dir = fs::path(path).parent_path();
  std::optional<inventory::Inventory> inv;
  if (fs::exists(dir / "inventory.prom")) {
    inventory::Source source;
    source.name = "inventory.prom";
    source.kind = "file";
    inv = inventory::build_from_text(read_file((dir / "inventory.prom").string()), source);
  } else if (fs::exists(dir / "inventory.json")) {
    inventory::ReadInventory r = inventory::from_json(read_file((dir / "inventory.json").string()));
    EXPECT_TRUE(r.inventory) << (dir / "inventory.json").string() << ": " << r.error;
    inv = std::move(r.inventory);
  }
  std::vector<naming::Policy> policies;
  bool metadata_fixture = path.find("/testdata/checks/rules/metadata-policy/") != std::string::npos;
  bool policy_fixture = path.find("/testdata/checks/policy/") != std::string::npos || metadata_fixture;
  if (inv) options.inventory = &*inv;
  if (inv || policy_fixture) {
    std::vector<std::string> packs;
    for (const auto& entry : fs::directory_iterator(fs::path(source_dir()) / "policies"))
      if (entry.path().extension() == ".yaml") packs.push_back(entry.path().string());
    std::sort(packs.begin(), packs.end());
    for (const std::string& pack : packs) {
      std::vector<naming::PolicyError> errors;
      std::optional<naming::Policy> p = naming::Policy::parse(read_file(pack), pack, &errors);
      EXPECT_TRUE(p) << pack;
      // A pack of rule-file conventions (mixin) applies to its own fixtures only.
      if (p && (metadata_fixture || p->rule_policies().empty())) policies.push_back(std::move(*p));
    }
    if (fs::exists(dir / "policy.yaml")) {
      std::vector<naming::PolicyError> errors;
      const std::string pack = (dir / "policy.yaml").string();
      std::optional<naming::Policy> p = naming::Policy::parse(read_file(pack), pack, &errors);
      EXPECT_TRUE(p) << pack << (errors.empty() ? "" : ": " + errors.front().message);
      if (p) policies.push_back(std::move(*p));
    }
    options.policies = &policies;
  }
  return checks::lint_source(file, content, options);
}

class CheckFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckFixture, ReportsExactlyTheExpectedFindings) {
  std::string path = source_dir() + "/testdata/checks/" + GetParam();
  std::string content = read_file(path);
  std::vector<Expectation> expected = fs::path(path).extension() == ".json" ? sidecar_expectations(path + ".expect")
                                                                             : inline_expectations(content);
  std::vector<checks::Finding> found = lint_fixture(path, content);
  std::vector<bool> used(found.size(), false);
  for (const Expectation& e : expected) {
    bool matched = false;
    for (size_t i = 0; i < found.size() && !matched; ++i) {
      const checks::Finding& f = found[i];
      if (used[i] || f.line != e.line || f.check_id != e.id) continue;
      if (e.column && f.column != e.column) continue;
      if (!e.severity.empty() && checks::severity_name(f.severity) != e.severity) continue;
      if (f.message.find(e.substring) == std::string::npos) continue;
      used[i] = matched = true;
    }
    EXPECT_TRUE(matched) << GetParam() << ": expected (" << e.where << ") at line " << e.line
                         << (e.column ? ":" + std::to_string(e.column) : "") << ": [" << e.id << "] "
                         << (e.severity.empty() ? "" : e.severity + ": ") << e.substring;
  }
  for (size_t i = 0; i < found.size(); ++i) {
    const checks::Finding& f = found[i];
    EXPECT_TRUE(used[i]) << GetParam() << ":" << f.line << ":" << f.column << ": unexpected finding: " << f.message
                         << " [" << f.check_id << "]";
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CheckFixture, ::testing::ValuesIn(fixture_files()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CheckFixture);

// Every registered check has a fixture directory, and it makes the check fire at least once.
TEST(CheckFixtures, EveryRegisteredCheckHasAFiringFixture) {
  checks::Registry registry = checks::make_registry();
  for (const auto& check : registry.checks()) {
    std::string id(check->info().id);
    fs::path dir = fs::path(source_dir()) / "testdata" / "checks" / id;
    ASSERT_TRUE(fs::is_directory(dir)) << "no testdata/checks/" << id << "/";
    size_t fired = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string ext = entry.path().extension().string();
      if (is_inventory_file(entry.path())) continue;
      if (ext != ".yaml" && ext != ".yml" && ext != ".promql" && ext != ".json") continue;
      std::string content = read_file(entry.path().string());
      for (const checks::Finding& f : lint_fixture(entry.path().string(), content)) fired += f.check_id == id;
    }
    EXPECT_GT(fired, 0u) << id << " never fires on its own fixtures";
  }
}

// The acceptance tables are as large as the issue asks: ≥ 100 correct and ≥ 100 incorrect
// expressions, every incorrect one with exactly one expected finding.
TEST(CheckFixtures, AcceptanceTablesHoldAtLeastAHundredExpressionsEach) {
  auto expressions = [](const std::string& name) {
    size_t n = 0;
    for (const std::string& line : split_lines(read_file(source_dir() + "/testdata/acceptance/" + name)))
      if (line.find_first_not_of(" \t") != std::string::npos && !is_comment(line)) ++n;
    return n;
  };
  EXPECT_GE(expressions("correct.promql"), 100u);
  std::string incorrect = read_file(source_dir() + "/testdata/acceptance/incorrect.promql");
  size_t n = expressions("incorrect.promql");
  EXPECT_GE(n, 100u);
  EXPECT_EQ(inline_expectations(incorrect).size(), n) << "every incorrect expression has exactly one expectation";
}

// Fixture directories belong to registered checks or to ids the loaders report (rules/unknown-field,
// rules/logql-skipped): no orphans left after a rename.
TEST(CheckFixtures, EveryFixtureDirectoryBelongsToARegisteredCheck) {
  checks::Registry registry = checks::make_registry();
  auto listed = [](const std::string& id) {
    for (const checks::LintCheckInfo& c : checks::lint_catalogue())
      if (c.id == id) return true;
    return false;
  };
  for (const char* family : kFamilies) {
    fs::path dir = fs::path(source_dir()) / "testdata" / "checks" / family;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string id = std::string(family) + "/" + entry.path().filename().string();
      EXPECT_TRUE(registry.find(id) != nullptr || listed(id)) << "testdata/checks/" << id << " has no registered check";
    }
  }
}

}  // namespace
}  // namespace promvet::test
