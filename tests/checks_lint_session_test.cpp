// The lint session of the library (checks::run_session): parallel files, the project-level hook
// (rules/duplicate across files), the configuration's filters and severities, the baseline.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "checks/baseline.h"
#include "checks/lint_session.h"
#include "checks/registry.h"
#include "sources/rules.h"
#include "test_support.h"

namespace promvet::checks {
namespace {

const char* kRules = R"(groups:
  - name: g
    rules:
      - record: job:requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
      - record: job:bad:rate5m
        expr: sum(rate(x[5m])
)";

// Loads from memory; "missing.yaml" cannot be read.
InputLoader memory_loader(const std::map<std::string, std::string>& files) {
  return [files](const SessionInput& in, const sources::LoadOptions& load) {
    LoadedInput out;
    auto it = files.find(in.path);
    if (it == files.end()) {
      out.io_error = "no such file";
      return out;
    }
    out.content = it->second;
    out.file = sources::load_rules(in.path, out.content, load);
    out.reload = [path = in.path, load](std::string_view text) { return sources::load_rules(path, text, load); };
    return out;
  };
}

std::vector<std::string> where(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings)
    out.push_back(f.file + ":" + std::to_string(f.line) + " " + f.check_id + " " +
                  std::string(severity_name(f.severity)));
  return out;
}

TEST(LintSession, LintsEveryFileThenTheProjectThenAppliesTheConfig) {
  LintOptions options;
  options.registry = &builtin_registry();
  Config config;
  std::string error;
  ASSERT_TRUE(configure_lint(config, {}, &options, &error)) << error;
  std::vector<SessionInput> inputs = {{"a.yaml", true}, {"b.yaml", true}, {"missing.yaml", true}};
  InputLoader load = memory_loader({{"a.yaml", kRules}, {"b.yaml", kRules}});
  for (unsigned jobs : {1u, 3u}) {
    SessionOptions session;
    session.jobs = jobs;
    SessionResult r = run_session(inputs, load, config, options, session);
    ASSERT_EQ(r.files.size(), 3u);
    EXPECT_EQ(r.files[2].io_error, "no such file");
    EXPECT_EQ(where(r.findings),
              (std::vector<std::string>{"a.yaml:7 promql/invalid error", "b.yaml:4 rules/duplicate warning",
                                        "b.yaml:6 rules/duplicate warning", "b.yaml:7 promql/invalid error"}));
  }
  config.severity["promql/invalid"] = Severity::kWarning;
  config.disable = {"rules/*"};
  SessionResult r = run_session(inputs, load, config, options, {});
  EXPECT_EQ(where(r.findings),
            (std::vector<std::string>{"a.yaml:7 promql/invalid warning", "b.yaml:7 promql/invalid warning"}));
  // The baseline keeps what it already knows out.
  Baseline baseline;
  std::string path = test::write_temp("session-baseline.json", Baseline::to_json({r.findings[0]}));
  ASSERT_TRUE(Baseline::load(path, &baseline, &error)) << error;
  SessionOptions with_baseline;
  with_baseline.baseline = &baseline;
  EXPECT_EQ(where(run_session(inputs, load, config, options, with_baseline).findings),
            std::vector<std::string>{"b.yaml:7 promql/invalid warning"});
}

TEST(LintSession, ConfigureReportsABadScrapeInterval) {
  Config config;
  config.path = ".promvet.yaml";
  config.scrape_interval = "0s";
  LintOptions options;
  std::string error;
  EXPECT_FALSE(configure_lint(config, {}, &options, &error));
  EXPECT_EQ(error, ".promvet.yaml: scrape_interval: not a positive duration: 0s");
  config.scrape_interval = "30s";
  ASSERT_TRUE(configure_lint(config, {{"promql-experimental-functions"}, false, ""}, &options, &error)) << error;
  EXPECT_EQ(options.settings.scrape_interval_seconds, 30);
  EXPECT_EQ(options.settings.prometheus_features, std::vector<std::string>{"promql-experimental-functions"});
  EXPECT_FALSE(options.prometheus_config);
}

}  // namespace
}  // namespace promvet::checks
