// End-to-end tests of `promvet inventory` and of `promvet lint --inventory` / `inventory:`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "test_support.h"

namespace promvet::test {
namespace {

namespace fs = std::filesystem;

CommandResult promvet(const std::string& args) { return run(shell_quote(cli()) + " " + args, 60); }

const std::string kVllm = testdata("inventory/vllm.prom");
const std::string kApp = testdata("inventory/app.om");

// A fresh directory under /tmp for files that must sit together (config and inventory).
std::string temp_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("promvet-test-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

void write(const std::string& path, const std::string& content) { std::ofstream(path, std::ios::binary) << content; }

nlohmann::json parse_json(const std::string& text) { return nlohmann::json::parse(text, nullptr, false); }

TEST(CliInventory, WritesFamiliesTypesAndLabelsToTheOutputFile) {
  std::string out = temp_dir("write") + "/inv.json";
  CommandResult r = promvet("inventory " + shell_quote(kVllm) + " " + shell_quote(kApp) + " -o " + shell_quote(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("wrote 9 metric families"), std::string::npos) << r.err;
  nlohmann::json j = parse_json(read_file(out));
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["sources"].size(), 2u);
  EXPECT_EQ(j["families"]["vllm:request_success_total"]["type"], "counter");
  EXPECT_EQ(j["families"]["vllm:request_success_total"]["series"], 3);
  EXPECT_EQ(j["families"]["vllm:request_success_total"]["labels"]["finished_reason"]["values"]["stop"], 1);
  EXPECT_EQ(j["families"]["request_duration_seconds"]["unit"], "seconds");
  EXPECT_EQ(j["families"]["http_requests"]["type"], "counter");
}

TEST(CliInventory, ReadsStdinAndAddsTargetLabels) {
  CommandResult r = run("cat " + shell_quote(kVllm) + " | " + shell_quote(cli()) +
                        " inventory - --target-label job=vllm --target-label cluster=eu");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = parse_json(r.out);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["sources"][0]["name"], "<stdin>");
  EXPECT_EQ(j["sources"][0]["target_labels"]["job"], "vllm");
  EXPECT_EQ(j["families"]["vllm:num_requests_running"]["labels"]["job"]["values"]["vllm"], 1);
  EXPECT_EQ(j["families"]["vllm:num_requests_running"]["labels"]["cluster"]["values"]["eu"], 1);
}

TEST(CliInventory, CapsLabelValues) {
  CommandResult r = promvet("inventory " + shell_quote(kVllm) + " --max-label-values 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = parse_json(r.out);
  auto reason = j["families"]["vllm:request_success_total"]["labels"]["finished_reason"];
  EXPECT_EQ(reason["values"].size(), 2u);
  EXPECT_EQ(reason["capped"], true);
}

TEST(CliInventory, MergesSavedInventories) {
  std::string dir = temp_dir("merge");
  ASSERT_EQ(promvet("inventory " + shell_quote(kVllm) + " --target-label job=a -o " + dir + "/a.json").exit_code, 0);
  ASSERT_EQ(promvet("inventory " + shell_quote(kVllm) + " --target-label job=b -o " + dir + "/b.json").exit_code, 0);
  CommandResult r = promvet("inventory " + dir + "/a.json " + dir + "/b.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = parse_json(r.out);
  auto running = j["families"]["vllm:num_requests_running"];
  EXPECT_EQ(running["series"], 2);
  EXPECT_EQ(running["labels"]["job"]["values"].size(), 2u);
}

TEST(CliInventory, UsageAndInputErrorsExit2) {
  EXPECT_EQ(promvet("inventory").exit_code, 2);
  CommandResult r = promvet("inventory " + shell_quote(kVllm) + " --target-label job");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not of the form name=value"), std::string::npos) << r.err;
  r = promvet("inventory /nonexistent/metrics.prom");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
  std::string bad = write_temp("bad-inventory.json", R"({"version": 1, "families": {"x": {"type": 7}}})");
  r = promvet("inventory " + shell_quote(bad));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("families.\"x\".type: expected a string"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

// Lint: a query file with a typo in a metric, a label and a value.
const char* kQueries =
    "vllm:num_request_running\n"
    "sum by (model_name) (vllm:num_requests_waiting{engine=\"1\"})\n"
    "avg(vllm:gpu_cache_usage_perc)\n";

TEST(CliLintInventory, ReportsInventoryFindingsOnlyWithAnInventory) {
  std::string dir = temp_dir("lint");
  std::string queries = dir + "/q.promql";
  write(queries, kQueries);
  CommandResult r = promvet("lint --config /dev/null " + shell_quote(queries));
  ASSERT_NE(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out.find("inventory/"), std::string::npos) << r.out;

  ASSERT_EQ(promvet("inventory " + shell_quote(kVllm) + " -o " + dir + "/inv.json").exit_code, 0);
  r = promvet("lint --inventory " + dir + "/inv.json -o json " + shell_quote(queries));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json j = parse_json(r.out);
  ASSERT_TRUE(j.is_array() || j.is_object()) << r.out;
  EXPECT_NE(r.out.find("did you mean \\\"vllm:num_requests_running\\\"?"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("has engine=\\\"1\\\"; values seen: \\\"0\\\""), std::string::npos) << r.out;
  // Without a policy pack the rename is a guess by spelling, or nothing.
  EXPECT_EQ(r.out.find("renamed"), std::string::npos) << r.out;
}

TEST(CliLintInventory, ConfigInventoryAndPoliciesAreRelativeToTheConfig) {
  std::string dir = temp_dir("config");
  fs::create_directories(dir + "/q");
  write(dir + "/q/q.promql", kQueries);
  ASSERT_EQ(promvet("inventory " + shell_quote(kVllm) + " -o " + dir + "/inv.json").exit_code, 0);
  fs::copy_file(source_dir() + "/policies/vllm.yaml", dir + "/vllm.yaml");
  write(dir + "/.promvet.yaml", "inventory: inv.json\npolicies: [vllm.yaml]\n");
  CommandResult r = promvet("lint " + shell_quote(dir + "/q/q.promql"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("it was renamed to \"vllm:kv_cache_usage_perc\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[inventory/unknown-metric]"), std::string::npos) << r.out;
}

TEST(CliLintInventory, AcceptsAnExpositionAsInventoryAndTakesTypesFromIt) {
  std::string dir = temp_dir("types");
  // "jobs_done" is a counter only by the inventory's TYPE; "queue_total" is a gauge there.
  write(dir + "/inv.prom", "# TYPE jobs_done counter\njobs_done 3\n# TYPE queue_total gauge\nqueue_total 1\n");
  write(dir + "/q.promql", "jobs_done\nqueue_total\n");
  CommandResult r = promvet("lint --config /dev/null " + dir + "/q.promql");
  EXPECT_EQ(r.out.find("\"jobs_done\" is a counter"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"queue_total\" is a counter (by its name)"), std::string::npos) << r.out;
  r = promvet("lint --config /dev/null --inventory " + dir + "/inv.prom " + dir + "/q.promql");
  EXPECT_NE(r.out.find("\"jobs_done\" is a counter (in the inventory)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"queue_total\" is a counter"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("inventory/"), std::string::npos) << r.out;
}

TEST(CliLintInventory, UnreadableOrMalformedInventoryExits2) {
  std::string q = write_temp("q.promql", "up\n");
  CommandResult r = promvet("lint --config /dev/null --inventory /nonexistent/inv.json " + shell_quote(q));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
  std::string bad = write_temp("bad-lint-inventory.json", "{\"version\": 9, \"families\": {}}");
  r = promvet("lint --config /dev/null --inventory " + shell_quote(bad) + " " + shell_quote(q));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unsupported version 9"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace promvet::test
