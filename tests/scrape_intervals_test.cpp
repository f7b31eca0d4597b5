// Scrape intervals per job and per path (promql/range-too-short): the job a selector picks, the
// Prometheus configuration's global and per-job intervals, .promvet.yaml rules, and the CLI.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "checks/config.h"
#include "checks/scrape_intervals.h"
#include "promql/parse.h"
#include "test_support.h"

namespace promvet::test {
namespace {

checks::CheckSettings settings_with_jobs() {
  checks::CheckSettings s;
  s.scrape_interval_seconds = 15;
  checks::JobInterval fast{"fast-.*", true, 5, nullptr};
  std::string error;
  EXPECT_TRUE(checks::compile_job_rule(&fast, &error)) << error;
  s.job_intervals.push_back(fast);
  s.job_intervals.push_back({"node", false, 60, nullptr});
  s.job_intervals.push_back({"kubelet", false, 30, nullptr});
  s.job_intervals.push_back({"fast-api", false, 120, nullptr});  // after the regex: never used
  return s;
}

checks::SelectedInterval interval_of(const checks::CheckSettings& s, const std::string& query) {
  promql::ParseResult r = promql::parse(query);
  EXPECT_TRUE(r.ok()) << query;
  const auto* sel = promql::as<promql::VectorSelector>(r.expr.get());
  EXPECT_NE(sel, nullptr) << query;
  return sel ? checks::selector_interval(s, *sel) : checks::SelectedInterval{};
}

TEST(ScrapeIntervals, SelectorPicksItsJobByMatcher) {
  checks::CheckSettings s = settings_with_jobs();
  EXPECT_EQ(interval_of(s, "up{job=\"node\"}").seconds, 60);
  EXPECT_EQ(interval_of(s, "up{job=\"node\"}").job, "node");
  EXPECT_EQ(interval_of(s, "up{job=\"fast-api\"}").seconds, 5);  // first match wins
  // No job matcher, or a job no rule names: the file's default.
  EXPECT_EQ(interval_of(s, "up").seconds, 15);
  EXPECT_EQ(interval_of(s, "up").job, "");
  EXPECT_EQ(interval_of(s, "up{job=\"other\"}").seconds, 15);
  EXPECT_EQ(interval_of(s, "up{job=\"other\"}").job, "");
  // Several jobs: the shortest interval, so only a range too short for all of them is reported.
  EXPECT_EQ(interval_of(s, "up{job=~\"node|kubelet\"}").seconds, 30);
  EXPECT_EQ(interval_of(s, "up{job=~\"node|other\"}").seconds, 15);
  // Another regex: the job names known by name that it matches.
  EXPECT_EQ(interval_of(s, "up{job=~\"n.*\"}").seconds, 60);
  EXPECT_EQ(interval_of(s, "up{job=~\"(node|kube.*)\"}").seconds, 30);
  EXPECT_EQ(interval_of(s, "up{job=~\"zz.*\"}").seconds, 15);
  // A negative matcher does not say which job it is.
  EXPECT_EQ(interval_of(s, "up{job!=\"node\"}").seconds, 15);
  // A value from a Grafana variable is whatever the dashboard picks: not resolved.
  promql::ParseResult r = promql::parse("up{job=\"node\"}");
  ASSERT_TRUE(r.ok());
  sources::Expression e;
  e.text = "up{job=\"node\"}";
  e.variable_spans.push_back({"job", 8, 12, false});
  const auto* sel = promql::as<promql::VectorSelector>(r.expr.get());
  ASSERT_NE(sel, nullptr);
  EXPECT_EQ(checks::selector_interval(s, *sel, &e).seconds, 15);
  EXPECT_EQ(checks::selector_interval(s, *sel).seconds, 60);
}

TEST(ScrapeIntervals, PrometheusConfigurationGlobalAndPerJob) {
  std::string path = write_temp("prometheus.yml",
                                "global:\n  scrape_interval: 30s\nscrape_configs:\n"
                                "  - job_name: node\n    scrape_interval: 1m\n"
                                "  - job_name: api\n    static_configs: [{targets: [a:80]}]\n");
  checks::PrometheusIntervals p;
  std::string error;
  ASSERT_TRUE(checks::load_prometheus_intervals(path, &p, &error)) << error;
  EXPECT_EQ(p.global_seconds, 30);
  ASSERT_EQ(p.jobs.size(), 2u);
  EXPECT_EQ(p.jobs[0].job, "node");
  EXPECT_EQ(p.jobs[0].seconds, 60);
  EXPECT_EQ(p.jobs[1].job, "api");
  EXPECT_EQ(p.jobs[1].seconds, 30);
  std::remove(path.c_str());

  // Prometheus' own default when global.scrape_interval is unset: 1m.
  path = write_temp("prometheus.yml", "scrape_configs:\n  - job_name: a\n");
  ASSERT_TRUE(checks::load_prometheus_intervals(path, &p, &error)) << error;
  EXPECT_EQ(p.global_seconds, 60);
  EXPECT_EQ(p.jobs.at(0).seconds, 60);
  std::remove(path.c_str());

  path = write_temp("prometheus.yml", "scrape_configs:\n  - job_name: a\n    scrape_interval: 10x\n");
  EXPECT_FALSE(checks::load_prometheus_intervals(path, &p, &error));
  EXPECT_EQ(error, path + ":3:22: scrape_interval: unknown unit \"x\" in duration \"10x\"");
  std::remove(path.c_str());
}

TEST(ScrapeIntervals, ConfigRulesByJobAndPath) {
  std::string path = write_temp("promvet-config.yaml",
                                "scrape_intervals:\n  - {job: \"node|kubelet\", interval: 1m}\n"
                                "  - {path: \"fast/*\", interval: 5s}\nprometheus_config: prom/prometheus.yml\n");
  checks::Config c;
  std::string error;
  ASSERT_TRUE(checks::load_config(path, &c, &error)) << error;
  ASSERT_EQ(c.scrape_intervals.size(), 2u);
  EXPECT_EQ(c.scrape_intervals[0].job, "node|kubelet");
  EXPECT_EQ(c.scrape_intervals[0].seconds, 60);
  EXPECT_FALSE(c.scrape_interval_set);
  EXPECT_EQ(c.resolve(c.prometheus_config), c.dir + "/prom/prometheus.yml");
  EXPECT_EQ(c.path_interval(c.dir + "/fast/x.json").value_or(0), 5);
  EXPECT_FALSE(c.path_interval(c.dir + "/slow/x.json"));
  std::remove(path.c_str());

  struct Case {
    const char* yaml;
    const char* message;
  } bad[] = {
      {"scrape_intervals:\n  - {interval: 1m}\n", ":2:5: a scrape_intervals entry needs exactly one of job:"},
      {"scrape_intervals:\n  - {job: a, path: b, interval: 1m}\n", ":2:5: a scrape_intervals entry needs exactly one"},
      {"scrape_intervals:\n  - {job: a}\n", ":2:5: a scrape_intervals entry needs interval:"},
      {"scrape_intervals:\n  - {job: \"a(\", interval: 1m}\n", ":2:11: invalid job regex \"a(\""},
      {"scrape_intervals:\n  - {job: a, interval: 0s}\n", ":2:24: interval: must be greater than 0"},
      {"scrape_intervals:\n  - {job: a, every: 1m}\n", ":2:14: unknown key \"every\" in a scrape_intervals entry"},
  };
  for (const Case& b : bad) {
    path = write_temp("promvet-config.yaml", b.yaml);
    EXPECT_FALSE(checks::load_config(path, &c, &error)) << b.yaml;
    EXPECT_EQ(error.rfind(path + b.message, 0), 0u) << error;
    std::remove(path.c_str());
  }
}

// End to end: the same rule file gives a finding or none depending on the job's interval.
TEST(ScrapeIntervals, LintUsesJobPathAndPrometheusIntervals) {
  std::string marker = write_temp("scrape-intervals", "");
  std::string root = marker + ".d";
  std::remove(marker.c_str());
  ASSERT_EQ(run("mkdir -p " + shell_quote(root + "/fast")).exit_code, 0);
  const std::string rules =
      "groups:\n- name: g\n  rules:\n"
      "  - record: job:x:rate2m\n    expr: rate(x_total{job=\"node\"}[2m])\n"
      "  - record: job:x:rate2m_api\n    expr: rate(x_total{job=\"api\"}[2m])\n"
      "  - record: job:x:rate30s\n    expr: rate(x_total[30s])\n";
  std::ofstream(root + "/rules.yaml") << rules;
  std::ofstream(root + "/fast/rules.yaml") << rules;
  std::ofstream(root + "/prometheus.yml")
      << "global:\n  scrape_interval: 10s\nscrape_configs:\n  - job_name: node\n    scrape_interval: 1m\n";
  std::ofstream(root + "/.promvet.yaml") << "prometheus_config: prometheus.yml\n"
                                            "scrape_intervals:\n  - {path: \"fast/*\", interval: 5s}\n";
  CommandResult r = run(shell_quote(cli()) + " lint " + shell_quote(root + "/rules.yaml") + " " +
                        shell_quote(root + "/fast/rules.yaml"));
  // node is scraped every minute: [2m] is too short there, in both files (jobs beat paths).
  EXPECT_NE(r.out.find("rules.yaml:5:35: warning: range [2m] of rate() is shorter than 4x the scrape interval of "
                       "job \"node\" (1m)"),
            std::string::npos)
      << r.out << r.err;
  EXPECT_NE(r.out.find("fast/rules.yaml:5:35: warning: range [2m] of rate()"), std::string::npos) << r.out;
  // The default is the global 10s (40s needed) in rules.yaml, 5s (20s) under fast/.
  EXPECT_NE(r.out.find("/rules.yaml:9:23: warning: range [30s] of rate() is shorter than 4x the scrape interval (10s)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("fast/rules.yaml:9:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(":7:"), std::string::npos) << r.out;  // api: the default, [2m] is enough
  // --prometheus-config overrides the configuration's; an explicit scrape_interval beats its global.
  std::ofstream(root + "/other.yml") << "scrape_configs:\n  - job_name: node\n    scrape_interval: 15s\n";
  std::ofstream(root + "/.promvet.yaml") << "prometheus_config: prometheus.yml\nscrape_interval: 5s\n";
  r = run(shell_quote(cli()) + " lint --prometheus-config " + shell_quote(root + "/other.yml") + " " +
          shell_quote(root + "/rules.yaml"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::ofstream(root + "/.promvet.yaml") << "prometheus_config: missing.yml\n";
  r = run(shell_quote(cli()) + " lint " + shell_quote(root + "/rules.yaml"));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("missing.yml: cannot read the Prometheus configuration"), std::string::npos) << r.err;
  run("rm -rf " + shell_quote(root));
}

}  // namespace
}  // namespace promvet::test
