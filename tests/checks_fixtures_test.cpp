// Runs every fixture under testdata/checks/{promql,rules,dashboard,inventory,policy,source}/<check>/
// through the lint driver with all registered checks, and compares the findings with the
// expectations written in the fixture (tests/fixture_expectations.h: `# expect:` lines, a sidecar
// `<file>.expect` for JSON dashboards, and the `# fixture:` header naming the checks compared and
// setting max_bytes (the loader's limit) or today (runs the suppression audit on that date)).
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
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checks/lint_source.h"
#include "checks/registry.h"
#include "inventory/inventory.h"
#include "naming/policy.h"
#include "sources/dashboard.h"
#include "sources/query_file.h"
#include "sources/rules.h"
#include "checks/suppression_audit.h"
#include "fixture_expectations.h"
#include "test_support.h"

namespace promvet::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFamilies[] = {"promql", "rules", "dashboard", "inventory", "policy", "source"};

// Inputs of a fixture directory that are not lint fixtures: an inventory, or the naming-policy
// pack of an exposition fixture (tests/expfmt_lint_fixtures_test.cpp runs those).
bool is_inventory_file(const fs::path& p) {
  std::string name = p.filename().string();
  return name == "inventory.prom" || name == "inventory.json" || name == "policy.yaml" || name == "pack.yaml";
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

std::vector<checks::Finding> lint_fixture(const std::string& path, const std::string& content,
                                          const FixtureHeader& header = {}) {
  std::string ext = fs::path(path).extension().string();
  sources::LoadOptions load;
  load.max_bytes = header.number("max_bytes", load.max_bytes);
  auto load_as = [&](std::string_view text) {
    return ext == ".json"     ? sources::load_dashboard(path, text, load)
           : ext == ".promql" ? sources::load_queries(path, text, load)
                              : sources::load_rules(path, text, load);
  };
  sources::SourceFile file = load_as(content);
  const checks::Registry& registry = checks::builtin_registry();
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
  auto today = header.options.find("today");
  if (today == header.options.end()) return checks::lint_source(file, content, options);
  checks::SuppressionAuditOptions audit;
  audit.dashboard = ext == ".json";
  audit.today = today->second;
  return checks::lint_auditing_suppressions(std::move(file), content, load_as, options, audit).findings;
}

class CheckFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckFixture, ReportsExactlyTheExpectedFindings) {
  std::string path = source_dir() + "/testdata/checks/" + GetParam();
  std::string content = read_file(path);
  const bool json = fs::path(path).extension() == ".json";
  std::string sidecar = json && fs::exists(path + ".expect") ? read_file(path + ".expect") : "";
  std::vector<std::string> errors;
  std::vector<Expectation> expected = json ? sidecar_expectations(sidecar, path + ".expect", &errors)
                                           : inline_expectations(split_lines(content), is_comment);
  for (const std::string& e : errors) ADD_FAILURE() << e;
  const FixtureHeader header = fixture_header(split_lines(json ? sidecar : content));
  std::vector<checks::Finding> found = lint_fixture(path, content, header);
  found.erase(std::remove_if(found.begin(), found.end(),
                             [&](const checks::Finding& f) { return !header.compares(f.check_id); }),
              found.end());
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

// Ids of the registry without a fixture directory, each for its reason; the list may only shrink.
const std::set<std::string>& ids_without_fixture() {
  static const std::set<std::string> ids = {
      // The CLI's refusal of what a URL answers with: no file can hold it (tests/cli_metrics_test.cpp).
      "expfmt/content-type",
  };
  return ids;
}

// Every id of the registry has a fixture directory, but those listed above.
TEST(CheckFixtures, EveryIdHasAFixtureDirectory) {
  for (const checks::CheckInfo& c : checks::builtin_registry().catalogue()) {
    std::string id(c.id);
    bool has = fs::is_directory(fs::path(source_dir()) / "testdata" / "checks" / id);
    if (ids_without_fixture().count(id)) {
      EXPECT_FALSE(has) << id << " has a fixture now: take it off ids_without_fixture()";
    } else {
      EXPECT_TRUE(has) << "no testdata/checks/" << id << "/";
    }
  }
}

// Every id of `promvet lint` (checks and the loaders' ids) has a fixture directory, and it makes
// the id fire at least once.
TEST(CheckFixtures, EveryLintIdHasAFiringFixture) {
  for (const checks::CheckInfo& c : checks::builtin_registry().catalogue(checks::kLintCommand)) {
    std::string id(c.id);
    if (ids_without_fixture().count(id)) continue;
    fs::path dir = fs::path(source_dir()) / "testdata" / "checks" / id;
    ASSERT_TRUE(fs::is_directory(dir)) << "no testdata/checks/" << id << "/";
    size_t fired = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string ext = entry.path().extension().string();
      if (is_inventory_file(entry.path())) continue;
      if (ext != ".yaml" && ext != ".yml" && ext != ".promql" && ext != ".json") continue;
      std::string content = read_file(entry.path().string());
      std::string sidecar = ext == ".json" && fs::exists(entry.path().string() + ".expect")
                                ? read_file(entry.path().string() + ".expect")
                                : "";
      FixtureHeader header = fixture_header(split_lines(ext == ".json" ? sidecar : content));
      for (const checks::Finding& f : lint_fixture(entry.path().string(), content, header)) fired += f.check_id == id;
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
  EXPECT_EQ(inline_expectations(split_lines(incorrect), is_comment).size(), n)
      << "every incorrect expression has exactly one expectation";
}

// Fixture directories belong to ids of the registry (checks, or ids the loaders report such as
// rules/unknown-field): no orphans left after a rename.
TEST(CheckFixtures, EveryFixtureDirectoryBelongsToARegisteredCheck) {
  const checks::Registry& registry = checks::builtin_registry();
  auto listed = [&](const std::string& id) { return registry.info(id) != nullptr; };
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
