// The check registry: one entry per id, the driver's handling of CheckInfo::needs and stages,
// and the did-you-mean for ids that are not in it (.promvet.yaml, metrics --disable).
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "checks/config.h"
#include "checks/lint_source.h"
#include "checks/registry.h"
#include "inventory/inventory.h"
#include "naming/policy.h"
#include "sources/dashboard.h"
#include "sources/query_file.h"
#include "test_support.h"

namespace promvet::checks {
namespace {

TEST(Registry, EveryIdOnceWithFamilyAndSummary) {
  std::set<std::string_view> seen;
  for (const CheckInfo& c : builtin_registry().catalogue()) {
    EXPECT_TRUE(seen.insert(c.id).second) << c.id << " twice";
    EXPECT_NE(c.id.find('/'), std::string_view::npos) << c.id;
    EXPECT_FALSE(c.summary.empty()) << c.id;
    EXPECT_NE(c.commands, 0) << c.id;
    // Only a runnable check runs in the driver's stages.
    bool runnable = builtin_registry().find(c.id) != nullptr;
    bool driver_stage = c.stage == Stage::kParse || c.stage == Stage::kProject ||
                        (c.stage == Stage::kFile && c.id.rfind("source/", 0) != 0);
    EXPECT_EQ(runnable, driver_stage) << c.id;
  }
  EXPECT_GE(seen.size(), 90u);
}

TEST(Registry, ListsEachCommandsShare) {
  const Registry& r = builtin_registry();
  EXPECT_TRUE(r.names("promql/invalid", kLintCommand));
  EXPECT_TRUE(r.names("rules/unknown-field", kLintCommand));
  EXPECT_TRUE(r.names("source/*", kLintCommand));
  EXPECT_FALSE(r.names("expfmt/no-help", kLintCommand));
  EXPECT_TRUE(r.names("expfmt/no-help", kMetricsCommand));
  EXPECT_TRUE(r.names("policy/deprecated-metric", kLintCommand));
  EXPECT_TRUE(r.names("policy/deprecated-metric", kMetricsCommand));
  EXPECT_FALSE(r.names("policy/unit", kLintCommand));
  EXPECT_FALSE(r.names("nope/*", kLintCommand));
}

TEST(Registry, UnknownIdsGetADidYouMean) {
  const Registry& r = builtin_registry();
  EXPECT_EQ(unknown_check_error(r, "promql/invalid", kLintCommand), "");
  EXPECT_EQ(unknown_check_error(r, "promql/invlid", kLintCommand),
            "no such check \"promql/invlid\"; did you mean \"promql/invalid\"?");
  EXPECT_EQ(unknown_check_error(r, "expfmt/no-hlep", kMetricsCommand),
            "no such check \"expfmt/no-hlep\"; did you mean \"expfmt/no-help\"?");
  EXPECT_EQ(unknown_check_error(r, "something/else-entirely", kLintCommand),
            "no such check \"something/else-entirely\" (see --list-checks)");
}

TEST(Registry, ConfigIdsAreChecked) {
  Config config;
  config.path = ".promvet.yaml";
  std::string error;
  EXPECT_TRUE(check_config_ids(config, builtin_registry(), &error));
  config.disable = {"promql/invalid", "rules/*"};
  config.severity["rules/duplicate-rule"] = Severity::kError;
  EXPECT_TRUE(check_config_ids(config, builtin_registry(), &error)) << error;
  config.disable.push_back("dashboard/undefined-varible");
  EXPECT_FALSE(check_config_ids(config, builtin_registry(), &error));
  EXPECT_EQ(error,
            ".promvet.yaml: disable: no such check \"dashboard/undefined-varible\"; did you mean "
            "\"dashboard/undefined-variable\"?");
}

// A check that reports once per file, with the needs it is given.
class NeedyCheck final : public Check {
 public:
  NeedyCheck(std::string_view id, std::uint8_t needs, Stage stage = Stage::kFile)
      : id_(id), needs_(needs), stage_(stage) {}
  CheckInfo info() const override { return {id_, Severity::kWarning, "test", stage_, needs_}; }
  void run(const FileContext& ctx, Reporter& out) const override {
    out.report_file(0, 0, "ran", ctx.file.expressions.empty() ? nullptr : &ctx.file.expressions.front());
  }

 private:
  std::string_view id_;
  std::uint8_t needs_;
  Stage stage_;
};

std::vector<std::string> ids_of(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const Finding& f : findings) ids.push_back(f.check_id);
  return ids;
}

TEST(Driver, SkipsACheckWhoseNeedsAreUnmet) {
  Registry r;
  r.add(std::make_unique<NeedyCheck>("test/nothing", kNeedsNothing));
  r.add(std::make_unique<NeedyCheck>("test/inventory", kNeedsInventory));
  r.add(std::make_unique<NeedyCheck>("test/policies", kNeedsPolicies));
  r.add(std::make_unique<NeedyCheck>("test/dashboard", kNeedsParsedDashboard));
  r.add(std::make_unique<NeedyCheck>("test/prometheus", kNeedsPrometheusConfig));
  r.add(std::make_unique<NeedyCheck>("test/both", kNeedsInventory | kNeedsPolicies));
  LintOptions options;
  options.registry = &r;
  std::string queries = "up\n";
  sources::SourceFile file = sources::load_queries("q.promql", queries);
  EXPECT_EQ(ids_of(lint_source(file, queries, options)), std::vector<std::string>{"test/nothing"});

  inventory::Source source;
  source.name = "i.prom";
  source.kind = "file";
  inventory::Inventory empty = inventory::build_from_text("", source);
  options.inventory = &empty;  // an empty inventory says nothing
  EXPECT_EQ(ids_of(lint_source(file, queries, options)), std::vector<std::string>{"test/nothing"});
  inventory::Inventory inv = inventory::build_from_text("# TYPE up gauge\nup 1\n", source);
  options.inventory = &inv;
  std::vector<naming::PolicyError> errors;
  std::vector<naming::Policy> policies;
  policies.push_back(*naming::Policy::parse("name: p\nproduct: p\n", "p.yaml", &errors));
  options.policies = &policies;
  options.prometheus_config = true;
  EXPECT_EQ(
      ids_of(lint_source(file, queries, options)),
      (std::vector<std::string>{"test/nothing", "test/inventory", "test/policies", "test/prometheus", "test/both"}));

  std::string dashboard = R"({"title": "d", "panels": [{"title": "p", "targets": [{"expr": "up"}]}]})";
  sources::SourceFile parsed = sources::load_dashboard("d.json", dashboard);
  EXPECT_EQ(ids_of(lint_source(parsed, dashboard, options)),
            (std::vector<std::string>{"test/nothing", "test/inventory", "test/policies", "test/dashboard",
                                      "test/prometheus", "test/both"}));
  std::string broken = R"({"title": "d", "panels": [{"title": "p", "targets": [{"expr": "up"}]})";
  sources::SourceFile salvaged = sources::load_dashboard("d.json", broken);
  std::vector<std::string> got = ids_of(lint_source(salvaged, broken, options));
  EXPECT_EQ(std::count(got.begin(), got.end(), "test/dashboard"), 0) << "salvaged: variables unknown";
  EXPECT_EQ(std::count(got.begin(), got.end(), "test/nothing"), 1);
}

TEST(Driver, ParseErrorsGoThroughTheCollectorFirst) {
  Registry r;
  r.add(std::make_unique<NeedyCheck>("test/file", kNeedsNothing));
  r.add(std::make_unique<NeedyCheck>("test/parse", kNeedsNothing, Stage::kParse));
  LintOptions options;
  options.registry = &r;
  std::string queries = "up\n";
  sources::SourceFile file = sources::load_queries("q.promql", queries);
  // Same position: the kParse check's finding comes first although registered second.
  EXPECT_EQ(ids_of(lint_source(file, queries, options)), (std::vector<std::string>{"test/parse", "test/file"}));
  // Without a registry promql/invalid still runs, with its suppressions.
  std::string bad = "sum(up\n";
  sources::SourceFile broken = sources::load_queries("q.promql", bad);
  EXPECT_EQ(ids_of(lint_source(broken, bad)), std::vector<std::string>{"promql/invalid"});
  broken.file_disabled_checks.push_back("promql/invalid");
  EXPECT_TRUE(lint_source(broken, bad).empty());
}

}  // namespace
}  // namespace promvet::checks
