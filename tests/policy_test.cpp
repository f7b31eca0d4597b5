// lib/naming/policy.h: pack loading (positioned schema errors), the checks
// each pack rule drives, and the shipped packs in rules/.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "expfmt/parser.h"
#include "checks/registry.h"
#include "naming/policy.h"
#include "naming/policy_internal.h"
#include "test_support.h"

namespace promvet::naming {
namespace {

std::vector<std::string> load_errors(const std::string& yaml) {
  std::vector<PolicyError> errors;
  std::optional<Policy> p = Policy::parse(yaml, "pack.yaml", &errors);
  EXPECT_FALSE(p.has_value());
  std::vector<std::string> out;
  for (const PolicyError& e : errors) out.push_back(e.to_string());
  return out;
}

Policy load(const std::string& yaml, const std::string& file = "pack.yaml") {
  std::vector<PolicyError> errors;
  std::optional<Policy> p = Policy::parse(yaml, file, &errors);
  for (const PolicyError& e : errors) ADD_FAILURE() << e.to_string();
  if (!p) std::abort();
  return *p;
}

// "line:col id message" per problem.
std::vector<std::string> check(const Policy& policy, const std::string& exposition,
                               expfmt::Format format = expfmt::Format::kText) {
  PolicyChecker checker(policy);
  expfmt::Parser parser(expfmt::ParserOptions{format}, checker);
  parser.feed(exposition);
  parser.finish();
  EXPECT_TRUE(parser.ok());
  std::vector<std::string> out;
  for (const PolicyProblem& p : checker.take_problems())
    out.push_back(std::to_string(p.pos.line) + ":" + std::to_string(p.pos.column) + " " + std::string(p.check_id) +
                  " " + p.message);
  return out;
}

TEST(PolicyLoad, UnknownKeysAreErrorsAtTheKey) {
  EXPECT_EQ(load_errors("name: x\nrequired_prefixes: [a]\n"),
            std::vector<std::string>{
                "pack.yaml:2:1: unknown key \"required_prefixes\" in a policy pack (known: name, product, description, "
                "source, scope, exclude, required_prefix, name_pattern, label_name_pattern, required_labels, "
                "forbidden_labels, label_rules, units, deprecated, rule_policies)"});
  EXPECT_EQ(load_errors("name: x\ndeprecated:\n  - name: a\n    since: '1'\n    replaced_by: b\n"),
            std::vector<std::string>{"pack.yaml:5:5: unknown key \"replaced_by\" in a deprecated entry (known: name, "
                                     "replacement, since, removed, note, source)"});
}

TEST(PolicyLoad, CollectsEveryErrorWithItsPositionInFileOrder) {
  std::vector<std::string> errors = load_errors(
      "name: x\n"
      "name_pattern: '[a-'\n"
      "required_labels: [ok, '', __reserved]\n"
      "units:\n"
      "  - use: _seconds\n"
      "deprecated:\n"
      "  - name: old_metric\n"
      "scope: [not, a, string]\n");
  ASSERT_EQ(errors.size(), 6u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0].rfind("pack.yaml:2:15: \"name_pattern\": invalid RE2 pattern \"[a-\": missing ]", 0), 0u)
      << errors[0];
  EXPECT_EQ(errors[1], "pack.yaml:3:23: \"required_labels\": label name is empty");
  EXPECT_EQ(
      errors[2],
      "pack.yaml:3:27: \"required_labels\": label name \"__reserved\" is reserved: names starting with \"__\" are "
      "for Prometheus' own use");
  EXPECT_EQ(errors[3], "pack.yaml:5:5: units entry needs \"match\"");
  EXPECT_EQ(errors[4],
            "pack.yaml:7:5: deprecated entry \"old_metric\" needs \"since\" (the version that deprecated it)");
  EXPECT_EQ(errors[5], "pack.yaml:8:8: \"scope\" must be a string");
}

TEST(PolicyLoad, SyntaxErrorsAndShapeErrorsArePositioned) {
  std::vector<std::string> e = load_errors("name: x\nunits: [\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].rfind("pack.yaml:3:1: invalid YAML", 0), 0u) << e[0];
  EXPECT_EQ(load_errors("- a\n- b\n"),
            std::vector<std::string>{"pack.yaml:1:1: a policy pack must be a mapping with at least \"name\""});
  EXPECT_EQ(load_errors("description: no name\n"),
            std::vector<std::string>{"pack.yaml:1:1: a policy pack needs \"name\""});
  EXPECT_EQ(load_errors("name: x\nunits: {match: a}\n"),
            std::vector<std::string>{"pack.yaml:2:8: \"units\" must be a list of {match, use, reason, source}"});
  // Invalid UTF-8 is refused by the YAML reader, at the byte (as go-yaml does).
  EXPECT_EQ(load_errors("name: x\ndeprecated:\n  - name: 'bad\xff'\n    since: '1'\n"),
            std::vector<std::string>{"pack.yaml:3:15: invalid YAML: invalid leading UTF-8 octet"});
}

TEST(PolicyLoad, ShippedPacksLoad) {
  for (const char* name : {"prometheus", "vllm", "dynamo"}) {
    std::string path = test::source_dir() + "/policies/" + name + ".yaml";
    std::vector<PolicyError> errors;
    std::optional<Policy> p = Policy::parse(test::read_file(path), path, &errors);
    ASSERT_TRUE(p.has_value()) << path << ": " << (errors.empty() ? "" : errors[0].to_string());
    EXPECT_EQ(p->name(), name);
  }
}

// `source` names the upstream file and commit a fact was checked against: a string or a
// list, each "owner/repo@commit:path" and an optional note, in the pack and in every entry.
TEST(PolicyLoad, SourcesAreOwnerRepoAtCommitColonPath) {
  Policy p = load(
      "name: x\n"
      "source: 'o/r@0123456789ab:docs/a.md the naming page'\n"
      "units:\n"
      "  - match: '_ms$'\n"
      "    source: ['o/r@abcdef0:lib/u.rs', 'o/r@abcdef0:lib/v.rs line 3: \"x\"']\n"
      "label_rules:\n"
      "  - match: '^a_'\n"
      "    required: [b]\n"
      "    source: o/r@abcdef0:lib/l.rs\n"
      "deprecated:\n"
      "  - name: old\n"
      "    since: '1'\n"
      "  - name: older\n"
      "    since: '1'\n"
      "    source: o/r@abcdef0:lib/d.rs\n");
  EXPECT_EQ(p.sources(), std::vector<std::string>{"o/r@0123456789ab:docs/a.md the naming page"});
  EXPECT_EQ(p.units()[0].sources,
            (std::vector<std::string>{"o/r@abcdef0:lib/u.rs", "o/r@abcdef0:lib/v.rs line 3: \"x\""}));
  EXPECT_EQ(p.deprecated()[1].sources, std::vector<std::string>{"o/r@abcdef0:lib/d.rs"});
  EXPECT_EQ(p.unsourced_entries(), std::vector<std::string>{"deprecated \"old\""});

  EXPECT_EQ(load_errors("name: x\n"
                        "source: [o/r@v1.2.3:a.md, 'o/r@ABCDEF0:a.md', o/r@abcdef0, 'r@abcdef0:a.md', "
                        "[o/r@abcdef0:a]]\n"
                        "units:\n"
                        "  - match: a\n"
                        "    source: {repo: o/r}\n"),
            (std::vector<std::string>{
                "pack.yaml:2:10: \"source\": \"o/r@v1.2.3:a.md\" must be owner/repo@commit:path (a commit of 7 to 40 "
                "lowercase hex digits), optionally followed by a space and a note",
                "pack.yaml:2:27: \"source\": \"o/r@ABCDEF0:a.md\" must be owner/repo@commit:path (a commit of 7 to 40 "
                "lowercase hex digits), optionally followed by a space and a note",
                "pack.yaml:2:47: \"source\": \"o/r@abcdef0\" must be owner/repo@commit:path (a commit of 7 to 40 "
                "lowercase hex digits), optionally followed by a space and a note",
                "pack.yaml:2:60: \"source\": \"r@abcdef0:a.md\" must be owner/repo@commit:path (a commit of 7 to 40 "
                "lowercase hex digits), optionally followed by a space and a note",
                "pack.yaml:2:78: \"source\" must be a string",
                "pack.yaml:5:13: \"source\" must be a list of strings",
            }));

  // The commit's length bounds, 7 and 40 hex digits, are inclusive.
  const std::string c40(40, 'a');
  std::vector<PolicyError> none;
  EXPECT_TRUE(Policy::parse("name: x\nsource: [o/r@abcdef0:a.md, o/r@" + c40 + ":a.md]\n", "pack.yaml", &none));
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(load_errors("name: x\nsource: [o/r@abcdef:a.md, o/r@" + c40 + "a:a.md]\n"),
            (std::vector<std::string>{
                "pack.yaml:2:10: \"source\": \"o/r@abcdef:a.md\" must be owner/repo@commit:path (a commit of 7 to 40 "
                "lowercase hex digits), optionally followed by a space and a note",
                "pack.yaml:2:27: \"source\": \"o/r@" + c40 +
                    "a:a.md\" must be owner/repo@commit:path (a commit of 7 to 40 "
                    "lowercase hex digits), optionally followed by a space and a note",
            }));
}

// source_reference() scans what an RE2 pattern used to match (policy_internal.h): the same answer
// for the strings made of the pieces that matter, and for the shipped packs' sources.
TEST(PolicyLoad, SourceReference) {
  const RE2 pattern(R"(^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+@([0-9a-f]+):[^\s]+(\s.*)?$)");
  auto by_re2 = [&](const std::string& s) {
    re2::StringPiece commit;
    return RE2::FullMatch(s, pattern, &commit) && commit.size() >= 7 && commit.size() <= 40;
  };
  const std::vector<std::string> owners = {"", "o", "O-9", "_o", ".o", "o.b_c-d", "o/x", "é", "o r"};
  const std::vector<std::string> repos = {"", "r", "r.x-y_z", "-", "r/s", "r@s", "ré"};
  const std::vector<std::string> commits = {"",
                                            "abcdef",
                                            "abcdef0",
                                            "ABCDEF0",
                                            "0123456789abcdef",
                                            "abcdefg",
                                            std::string(40, 'a'),
                                            std::string(41, 'a'),
                                            "abc:def0123"};
  const std::vector<std::string> paths = {"", "a.md", "a/b:c@d", "é/ü.md", "a\vb", std::string(1, '\0') + "x"};
  const std::vector<std::string> notes = {"",  " note", "\tnote: x", "\nnote", " a\nb", "  ",
                                          " ", "\r",    "\f\f",      " ü é",   "\n"};
  const std::vector<std::string> ats = {"@", ""}, colons = {":", ""}, slashes = {"/", ""};
  size_t compared = 0, valid = 0;
  for (const auto& o : owners)
    for (const auto& sl : slashes)
      for (const auto& r : repos)
        for (const auto& at : ats)
          for (const auto& c : commits)
            for (const auto& co : colons)
              for (const auto& p : paths)
                for (const auto& n : notes) {
                  const std::string s = o + sl + r + at + c + co + p + n;
                  const bool expected = by_re2(s);
                  EXPECT_EQ(naming::source_reference(s), expected) << s;
                  ++compared;
                  valid += expected;
                }
  EXPECT_GT(valid, 1000u);  // both answers are well represented
  EXPECT_GT(compared - valid, 1000u);
  for (const char* name : {"vllm", "prometheus", "dynamo", "mixin"}) {
    Policy p = load(test::read_file(test::source_dir() + "/policies/" + name + ".yaml"));
    for (const std::string& s : p.sources()) EXPECT_TRUE(by_re2(s) && naming::source_reference(s)) << s;
  }
}

// The shipped packs encode other projects' facts: each names where it was
// checked, the pack as a whole and every entry.
TEST(PolicyPacks, ShippedPacksNameTheirSourcesForEveryEntry) {
  for (const char* name : {"prometheus", "vllm", "dynamo"}) {
    Policy p = load(test::read_file(test::source_dir() + "/policies/" + name + ".yaml"));
    EXPECT_FALSE(p.sources().empty()) << name;
    EXPECT_EQ(p.unsourced_entries(), std::vector<std::string>{}) << name;
  }
}

TEST(PolicyCheck, EveryRuleFiresOncePerFamilyAtItsPosition) {
  Policy p = load(
      "name: team\n"
      "exclude: ['^go_']\n"
      "required_prefix: [team_, shared_]\n"
      "name_pattern: '^[a-z_]+$'\n"
      "label_name_pattern: '^[a-z_]+$'\n"
      "required_labels: [service]\n"
      "forbidden_labels: [pod_ip]\n"
      "units:\n"
      "  - match: '_ms$'\n"
      "    use: _seconds\n"
      "    reason: base units\n");
  EXPECT_EQ(
      check(p,
            "# TYPE other_latency_ms gauge\n"
            "other_latency_ms{service=\"a\",Zone=\"x\",pod_ip=\"1\"} 1\n"
            "other_latency_ms{service=\"b\",Zone=\"y\",pod_ip=\"2\"} 1\n"
            "team_Up{service=\"a\"} 1\n"
            "team_requests_total 3\n"
            "# TYPE go_goroutines gauge\n"
            "go_goroutines 7\n"),
      (std::vector<std::string>{
          "1:1 policy/required-prefix metric \"other_latency_ms\" does not start with \"team_\" or \"shared_\"",
          "1:1 policy/unit metric \"other_latency_ms\" matches unit rule \"_ms$\"; use \"_seconds\" (base units)",
          "2:30 policy/label-name-pattern label \"Zone\" of \"other_latency_ms\" does not match the label name "
          "pattern \"^[a-z_]+$\" of pack \"team\"",
          "2:39 policy/forbidden-label \"other_latency_ms\" has label \"pod_ip\", which pack \"team\" forbids",
          "4:1 policy/name-pattern metric \"team_Up\" does not match the name pattern \"^[a-z_]+$\" of pack \"team\"",
          "5:1 policy/required-label \"team_requests_total\" has no \"service\" label; pack \"team\" requires it on "
          "every series of \"team_requests_total\"",
      }));
}

TEST(PolicyCheck, LabelRulesApplyToTheFamiliesTheySelect) {
  Policy p = load(
      "name: d\n"
      "label_rules:\n"
      "  - match: '^front_'\n"
      "    required: [model]\n"
      "  - match: '^back_'\n"
      "    forbidden: [model]\n");
  EXPECT_EQ(check(p, "front_requests_total 1\nback_requests_total{model=\"m\"} 1\nother{model=\"m\"} 1\n"),
            (std::vector<std::string>{
                "1:1 policy/required-label \"front_requests_total\" has no \"model\" label; pack \"d\" requires it on "
                "every series of \"front_requests_total\"",
                "2:21 policy/forbidden-label \"back_requests_total\" has label \"model\", which pack \"d\" forbids"}));
}

TEST(PolicyCheck, DeprecatedMatchesFamilyOrSampleNameInBothFormats) {
  Policy p = load(
      "name: v\nproduct: vLLM\ndeprecated:\n"
      "  - {name: 'old_seconds', replacement: 'new_seconds', since: '0.11.0'}\n"
      "  - {name: 'gone_total', since: '0.8.0', removed: '0.10.0', note: 'no offloading'}\n");
  // Text: histogram family by name; a counter family named with _total.
  EXPECT_EQ(
      check(p,
            "# TYPE old_seconds histogram\nold_seconds_bucket{le=\"+Inf\"} 1\nold_seconds_sum 1\n"
            "old_seconds_count 1\n# TYPE gone_total counter\ngone_total 1\n"),
      (std::vector<std::string>{
          "1:1 policy/deprecated-metric \"old_seconds\" is deprecated since vLLM 0.11.0; use \"new_seconds\"",
          "5:1 policy/deprecated-metric \"gone_total\" is deprecated since vLLM 0.8.0 and removed in 0.10.0; it has "
          "no replacement (no offloading)"}));
  // OpenMetrics: the counter family is "gone", its sample "gone_total".
  EXPECT_EQ(check(p, "gone_total 1\n# EOF\n", expfmt::Format::kOpenMetrics).size(), 1u);
  EXPECT_NE(p.find_deprecated("old_seconds_bucket"), nullptr);
  EXPECT_EQ(p.find_deprecated("gone"), nullptr);  // the OpenMetrics case above matched via the sample name
  EXPECT_EQ(p.find_deprecated("old_seconds_bucket")->replacement, "new_seconds");
  EXPECT_EQ(p.find_deprecated("new_seconds"), nullptr);
  EXPECT_EQ(p.find_deprecated("old"), nullptr);
}

TEST(PolicyCheck, ScopeAndExcludeKeepOtherFamiliesQuiet) {
  Policy p = load("name: s\nscope: '^app_'\nexclude: ['^app_internal_']\nrequired_labels: [env]\n");
  // other_x: out of scope; app_internal_y: excluded; app_z: checked.
  EXPECT_EQ(
      check(p, "other_x 1\napp_internal_y 1\napp_z 1\n"),
      std::vector<std::string>{"3:1 policy/required-label \"app_z\" has no \"env\" label; pack \"s\" requires it on "
                               "every series of \"app_z\""});
}

Policy shipped(const std::string& name) {
  std::string path = test::source_dir() + "/policies/" + name + ".yaml";
  return load(test::read_file(path), path);
}

TEST(PolicyPacks, VllmFlagsTheOldDashboardsMetricsAndNotTheNewOnes) {
  Policy p = shipped("vllm");
  std::vector<std::string> got = check(p,
                                       "# TYPE vllm:gpu_cache_usage_perc gauge\n"
                                       "vllm:gpu_cache_usage_perc{model_name=\"m\"} 0.5\n"
                                       "# TYPE vllm:kv_cache_usage_perc gauge\n"
                                       "vllm:kv_cache_usage_perc{model_name=\"m\"} 0.5\n"
                                       "# TYPE vllm:time_per_output_token_seconds histogram\n"
                                       "vllm:time_per_output_token_seconds_bucket{le=\"+Inf\",model_name=\"m\"} 1\n"
                                       "vllm:time_per_output_token_seconds_sum{model_name=\"m\"} 1\n"
                                       "vllm:time_per_output_token_seconds_count{model_name=\"m\"} 1\n"
                                       "# TYPE vllm:num_requests_swapped gauge\n"
                                       "vllm:num_requests_swapped{model_name=\"m\"} 0\n"
                                       "# TYPE python_gc_collections_total counter\n"
                                       "python_gc_collections_total{generation=\"0\"} 1\n"
                                       "# TYPE vllm:cache_config_info gauge\n"
                                       "vllm:cache_config_info{block_size=\"16\"} 1\n");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0],
            "1:1 policy/deprecated-metric \"vllm:gpu_cache_usage_perc\" is deprecated since vLLM 0.9.2 and removed in "
            "0.12.0; use \"vllm:kv_cache_usage_perc\" (same 0..1 fraction under the new name; hidden in 0.11 behind "
            "--show-hidden-metrics-for-version=0.10)");
  EXPECT_EQ(got[1],
            "5:1 policy/deprecated-metric \"vllm:time_per_output_token_seconds\" is deprecated since vLLM 0.11.0 and "
            "removed in 0.15.0; use \"vllm:inter_token_latency_seconds\" (the same histogram and buckets under the new "
            "name; hidden in 0.12 behind --show-hidden-metrics-for-version=0.11)");
  EXPECT_EQ(got[2],
            "9:1 policy/deprecated-metric \"vllm:num_requests_swapped\" is deprecated since vLLM 0.8.0 and removed in "
            "0.9.1; it has no replacement (the V1 engine does not swap requests to CPU (no KV cache offloading))");
}

// vLLM 0.9.2 renamed the prefix-cache counters (removed in 0.12.0); the V0 hit-rate gauge
// has no drop-in replacement, so the pack offers none and says how to compute the ratio.
TEST(PolicyPacks, VllmPrefixCacheCountersAndTheHitRateGauge) {
  Policy p = shipped("vllm");
  std::vector<std::string> got = check(p,
                                       "# TYPE vllm:gpu_prefix_cache_queries_total counter\n"
                                       "vllm:gpu_prefix_cache_queries_total{model_name=\"m\",engine=\"0\"} 9\n"
                                       "# TYPE vllm:gpu_prefix_cache_hits_total counter\n"
                                       "vllm:gpu_prefix_cache_hits_total{model_name=\"m\",engine=\"0\"} 3\n"
                                       "# TYPE vllm:prefix_cache_hits_total counter\n"
                                       "vllm:prefix_cache_hits_total{model_name=\"m\",engine=\"0\"} 3\n"
                                       "# TYPE vllm:gpu_prefix_cache_hit_rate gauge\n"
                                       "vllm:gpu_prefix_cache_hit_rate{model_name=\"m\"} 0.3\n");
  ASSERT_EQ(got.size(), 3u) << ::testing::PrintToString(got);
  EXPECT_EQ(got[0].rfind("1:1 policy/deprecated-metric \"vllm:gpu_prefix_cache_queries_total\" is deprecated since "
                         "vLLM 0.9.2 and removed in 0.12.0; use \"vllm:prefix_cache_queries\"",
                         0),
            0u)
      << got[0];
  EXPECT_EQ(got[1].rfind("3:1 policy/deprecated-metric \"vllm:gpu_prefix_cache_hits_total\" is deprecated since "
                         "vLLM 0.9.2 and removed in 0.12.0; use \"vllm:prefix_cache_hits\"",
                         0),
            0u)
      << got[1];
  EXPECT_EQ(got[2],
            "7:1 policy/deprecated-metric \"vllm:gpu_prefix_cache_hit_rate\" is deprecated since vLLM 0.8.0 and "
            "removed in 0.9.1; it has no replacement (V1 counts prefix-cache tokens instead; the 0..1 hit ratio over a "
            "window is "
            "rate(vllm:prefix_cache_hits_total[5m]) / rate(vllm:prefix_cache_queries_total[5m]) "
            "(vllm:gpu_prefix_cache_hits_total and vllm:gpu_prefix_cache_queries_total before 0.9.2))");
  // A query of the old counter gets the new counter's sample name; the gauge gets no name to paste.
  const DeprecatedMetric* d = p.find_deprecated("vllm:gpu_prefix_cache_hits_total");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->replacement, "vllm:prefix_cache_hits");
  d = p.find_deprecated("vllm:gpu_prefix_cache_hit_rate");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->replacement, "");
}

// The V0 metrics deprecated in 0.8 and removed in 0.9.1, with the one drop-in rename among them.
TEST(PolicyPacks, VllmV0MetricsDeprecatedIn08) {
  Policy p = shipped("vllm");
  for (const char* name : {"vllm:num_requests_swapped", "vllm:cpu_cache_usage_perc", "vllm:cpu_prefix_cache_hit_rate",
                           "vllm:gpu_prefix_cache_hit_rate", "vllm:time_in_queue_requests",
                           "vllm:model_forward_time_milliseconds", "vllm:model_execute_time_milliseconds"}) {
    const DeprecatedMetric* d = p.find_deprecated(name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_EQ(d->since, "0.8.0") << name;
    EXPECT_EQ(d->removed, "0.9.1") << name;
    bool renamed = std::string(name) == "vllm:time_in_queue_requests";
    EXPECT_EQ(d->replacement, renamed ? "vllm:request_queue_time_seconds" : "") << name;
  }
  EXPECT_EQ(check(p,
                  "# TYPE vllm:time_in_queue_requests histogram\n"
                  "vllm:time_in_queue_requests_sum{model_name=\"m\"} 1\n"),
            std::vector<std::string>{
                "1:1 policy/deprecated-metric \"vllm:time_in_queue_requests\" is deprecated since vLLM 0.8.0 and "
                "removed in 0.9.1; use \"vllm:request_queue_time_seconds\" (it duplicated "
                "vllm:request_queue_time_seconds, a histogram in seconds like it)"});
}

// vLLM's /realtime WebSocket middleware exports three families with no labels at all:
// no model_name to require. Engine families still need it.
TEST(PolicyPacks, VllmWebsocketMetricsNeedNoModelName) {
  Policy p = shipped("vllm");
  EXPECT_EQ(check(p,
                  "# TYPE vllm:websocket_connections_active gauge\n"
                  "vllm:websocket_connections_active 1\n"
                  "# TYPE vllm:websocket_connections counter\n"
                  "vllm:websocket_connections_total 4\n"
                  "# TYPE vllm:websocket_connection_duration_seconds histogram\n"
                  "vllm:websocket_connection_duration_seconds_bucket{le=\"+Inf\"} 3\n"
                  "vllm:websocket_connection_duration_seconds_sum 12\n"
                  "vllm:websocket_connection_duration_seconds_count 3\n"
                  "# TYPE vllm:num_requests_running gauge\n"
                  "vllm:num_requests_running{engine=\"0\"} 1\n"),
            std::vector<std::string>{"10:1 policy/required-label \"vllm:num_requests_running\" has no "
                                     "\"model_name\" label; pack \"vllm\" requires it on every series of "
                                     "\"vllm:num_requests_running\""});
}

// Data-driven: every vllm: metric the old seed dashboard queries but the new
// one no longer does is in the pack's deprecated list, and nothing the new
// dashboard uses is.
TEST(PolicyPacks, VllmPackCoversTheRenamesBetweenTheTwoSeedDashboards) {
  std::string seeds = test::shared_dir() + "/seeds";
  if (test::shared_dir().empty()) GTEST_SKIP() << "shared seeds not present";
  std::string old_dash, new_dash;
  try {
    old_dash = test::read_file(seeds + "/000_e67918bb489c1a50.txt");
    new_dash = test::read_file(seeds + "/001_4f276929c4243c57.txt");
  } catch (...) {
    GTEST_SKIP() << "seed dashboards not present";
  }
  if (old_dash.empty() || new_dash.empty()) GTEST_SKIP() << "seed dashboards not present";
  auto names = [](const std::string& text) {
    std::set<std::string> out;
    for (std::size_t at = text.find("vllm:"); at != std::string::npos; at = text.find("vllm:", at + 1)) {
      std::size_t end = at + 5;
      while (end < text.size() && ((text[end] >= 'a' && text[end] <= 'z') || text[end] == '_')) ++end;
      out.insert(text.substr(at, end - at));
    }
    return out;
  };
  Policy p = shipped("vllm");
  std::set<std::string> old_names = names(old_dash), new_names = names(new_dash);
  int dropped = 0;
  for (const std::string& n : old_names) {
    if (new_names.count(n) || n.size() <= 6) continue;
    ++dropped;
    EXPECT_NE(p.find_deprecated(n), nullptr) << n << " disappeared between the dashboards but is not deprecated";
  }
  EXPECT_GE(dropped, 4);  // time_per_output_token_seconds_*, gpu/cpu_cache_usage_perc, num_requests_swapped
  for (const std::string& n : new_names) EXPECT_EQ(p.find_deprecated(n), nullptr) << n;
}

TEST(PolicyPacks, DynamoPrefixesLabelsAndVagueSuffixes) {
  Policy p = shipped("dynamo");
  EXPECT_EQ(check(p,
                  "# TYPE dynamo_component_requests_total counter\n"
                  "dynamo_component_requests_total{dynamo_namespace=\"ns\",dynamo_component=\"backend\"} 3\n"
                  "# TYPE dynamo_frontend_requests_total counter\n"
                  "dynamo_frontend_requests_total{model=\"qwen/qwen3-0.6b\"} 3\n"
                  "# TYPE dynamo_frontend_queued_requests gauge\n"
                  "dynamo_frontend_queued_requests 7\n"
                  "# TYPE dynamo_worker_load gauge\n"
                  "dynamo_worker_load 1\n"
                  "# TYPE dynamo_component_request_time gauge\n"
                  "dynamo_component_request_time 1\n"
                  "# TYPE nats_client_connections gauge\n"
                  "nats_client_connections 1\n"),
            (std::vector<std::string>{
                "2:1 policy/required-label \"dynamo_component_requests_total\" has no \"dynamo_endpoint\" label; pack "
                "\"dynamo\" requires it on every series of \"dynamo_component_requests_total\"",
                "6:1 policy/required-label \"dynamo_frontend_queued_requests\" has no \"model\" label; pack \"dynamo\" "
                "requires it on every series of \"dynamo_frontend_queued_requests\"",
                "7:1 policy/required-prefix metric \"dynamo_worker_load\" does not start with \"dynamo_component_\" or "
                "\"dynamo_frontend_\" or \"dynamo_router_\" or \"dynamo_kvindexer_\" or \"dynamo_request_plane_\" or "
                "\"dynamo_transport_\" or \"dynamo_work_handler_\" or \"dynamo_tokio_\" or "
                "\"dynamo_routing_overhead_\" or \"dynamo_operator_\" or \"dynamo_planner_\" or \"dynamo_kvrouter_\"",
                "9:1 policy/unit metric \"dynamo_component_request_time\" matches unit rule \"_time(_total)?$\"; use "
                "\"_seconds (or _ms)\" (name the unit of a duration)",
            }));
}

// The prefixes Dynamo's source defines are accepted (names from prometheus_names.rs, the
// operator and the router at df888f6860e2); one that only its metrics guide mentions is not.
TEST(PolicyPacks, DynamoAcceptsEveryPrefixItsSourceDefines) {
  Policy p = shipped("dynamo");
  std::vector<std::string> got =
      check(p,
            "# TYPE dynamo_work_handler_network_transit_seconds histogram\n"
            "dynamo_work_handler_network_transit_seconds_bucket{le=\"+Inf\"} 1\n"
            "dynamo_work_handler_network_transit_seconds_sum 0.1\n"
            "dynamo_work_handler_network_transit_seconds_count 1\n"
            "# TYPE dynamo_router_overhead_total_ms histogram\n"
            "dynamo_router_overhead_total_ms_bucket{le=\"+Inf\",router_id=\"1\"} 1\n"
            "dynamo_router_overhead_total_ms_sum{router_id=\"1\"} 2\n"
            "dynamo_router_overhead_total_ms_count{router_id=\"1\"} 1\n"
            "# TYPE dynamo_routing_overhead_scheduling_ms gauge\n"
            "dynamo_routing_overhead_scheduling_ms 1\n"
            "# TYPE dynamo_operator_reconcile_total counter\n"
            "dynamo_operator_reconcile_total{resource_type=\"graph\",namespace=\"ns\",result=\"ok\"} 2\n"
            "# TYPE dynamo_planner_num_decode_replicas gauge\n"
            "dynamo_planner_num_decode_replicas 2\n"
            "# TYPE dynamo_tokio_global_queue_depth gauge\n"
            "dynamo_tokio_global_queue_depth 0\n"
            "# TYPE dynamo_request_plane_inflight gauge\n"
            "dynamo_request_plane_inflight 0\n"
            "# TYPE dynamo_transport_tcp_pool_active gauge\n"
            "dynamo_transport_tcp_pool_active 1\n"
            "# TYPE dynamo_kvindexer_workers gauge\n"
            "dynamo_kvindexer_workers 1\n"
            "# TYPE dynamo_preprocessor_requests_total counter\n"
            "dynamo_preprocessor_requests_total 1\n");
  ASSERT_EQ(got.size(), 1u) << ::testing::PrintToString(got);
  EXPECT_EQ(got[0].rfind("23:1 policy/required-prefix metric \"dynamo_preprocessor_requests_total\" does not "
                         "start with",
                         0),
            0u)
      << got[0];
}

TEST(PolicyPacks, PrometheusConventions) {
  Policy p = shipped("prometheus");
  std::vector<std::string> got = check(p,
                                       "# TYPE http_request_duration_seconds histogram\n"
                                       "http_request_duration_seconds_bucket{le=\"+Inf\"} 1\n"
                                       "http_request_duration_seconds_sum 1\n"
                                       "http_request_duration_seconds_count 1\n"
                                       "# TYPE disk_usage_percent gauge\n"
                                       "disk_usage_percent 1\n"
                                       "# TYPE job:requests:rate5m gauge\n"
                                       "job:requests:rate5m 1\n"
                                       "# TYPE latency_ms_total counter\n"
                                       "latency_ms_total{Method=\"GET\"} 1\n"
                                       "# TYPE items_status gauge\n"
                                       "items_status 1\n");
  ASSERT_EQ(got.size(), 4u) << ::testing::PrintToString(got);
  EXPECT_EQ(got[0].rfind("5:1 policy/unit metric \"disk_usage_percent\"", 0), 0u) << got[0];
  EXPECT_NE(got[0].find("use \"_ratio\""), std::string::npos);
  EXPECT_EQ(got[1].rfind("7:1 policy/name-pattern metric \"job:requests:rate5m\"", 0), 0u) << got[1];
  EXPECT_EQ(got[2].rfind("9:1 policy/unit metric \"latency_ms_total\"", 0), 0u) << got[2];
  EXPECT_EQ(got[3].rfind("10:18 policy/label-name-pattern label \"Method\"", 0), 0u) << got[3];
}

TEST(PolicyCatalogue, IdsAreSortedAndDocumented) {
  std::vector<checks::CheckInfo> cat;
  for (const checks::CheckInfo& c : checks::builtin_registry().catalogue(checks::kMetricsCommand))
    if (c.id.rfind("policy/", 0) == 0) cat.push_back(c);
  ASSERT_EQ(cat.size(), 7u);
  for (std::size_t i = 1; i < cat.size(); ++i) EXPECT_LT(cat[i - 1].id, cat[i].id);
  for (const checks::CheckInfo& info : cat) {
    std::string doc = test::source_dir() + "/docs/checks/" + std::string(info.id) + ".md";
    EXPECT_FALSE(test::read_file(doc).empty()) << doc;
  }
}

}  // namespace
}  // namespace promvet::naming
