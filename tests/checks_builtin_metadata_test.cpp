// Bundled metadata in type inference: its place in the evidence order (inventory > bundled
// metadata > use in the file > name), a pack that disagrees with the name (a gauge named
// `_total`) winning and saying so, which series of a family it types, and `promvet lint` /
// `promvet metadata` with, without and with broken packs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checks/builtin_metadata.h"
#include "checks/metric_types.h"
#include "inventory/metadata_pack.h"
#include "promql/parse.h"
#include "test_support.h"

namespace pv = promvet;
using pv::checks::FamilyType;
using pv::checks::TypeOrigin;

namespace {

// Metadata of one pack "demo" at version 1.0.
pv::checks::BuiltinMetadata demo_metadata() {
  pv::inventory::ReadPack r = pv::inventory::parse_metadata_pack("demo.tsv",
                                                                 "# promvet metadata pack 1\n# pack: demo\n"
                                                                 "demo_queue_total\tgauge\t\t\t1.0\n"
                                                                 "demo_rpc_seconds\tsummary\t\t\t1.0\n"
                                                                 "demo_slots\tgauge\t\t\t1.0\n"
                                                                 "demo_wait_seconds\thistogram\t\t\t1.0\n"
                                                                 "# end: 4 families\n");
  EXPECT_TRUE(r.pack) << r.error;
  pv::checks::BuiltinMetadata m;
  if (r.pack) m.add(std::move(*r.pack));
  return m;
}

class FakeInventory final : public pv::checks::TypeSource {
 public:
  explicit FakeInventory(std::map<std::string, FamilyType> types) : types_(std::move(types)) {}
  std::optional<FamilyType> type_of_family(std::string_view family) const override {
    auto it = types_.find(std::string(family));
    return it == types_.end() ? std::nullopt : std::optional<FamilyType>(it->second);
  }

 private:
  std::map<std::string, FamilyType> types_;
};

struct File {
  std::vector<pv::sources::Expression> sources;
  std::vector<pv::promql::ExprPtr> asts;
  std::vector<pv::checks::ParsedExpression> parsed;
  std::unique_ptr<pv::checks::MetricTypes> types;
  File(const std::vector<std::string>& queries, const pv::checks::TypeSource* inventory,
       const pv::checks::TypeSource* metadata) {
    sources.reserve(queries.size());
    for (const std::string& q : queries) {
      pv::sources::Expression e;
      e.text = q;
      sources.push_back(std::move(e));
    }
    for (const pv::sources::Expression& e : sources) {
      pv::promql::ParseResult r = pv::promql::parse(e.text);
      EXPECT_TRUE(r.ok()) << e.text;
      if (!r.ok()) continue;
      parsed.push_back({&e, r.expr.get()});
      asts.push_back(std::move(r.expr));
    }
    types = std::make_unique<pv::checks::MetricTypes>(parsed, inventory, metadata);
  }
};

}  // namespace

TEST(BuiltinMetadataTypes, EvidenceOrderInventoryThenMetadataThenUsageThenName) {
  pv::checks::BuiltinMetadata metadata = demo_metadata();
  // The file reads demo_wait_seconds_bucket with `le` (usage: histogram), and demo_rpc_seconds
  // with a quantile (usage: summary).
  std::vector<std::string> q = {"histogram_quantile(0.9, rate(demo_wait_seconds_bucket{le!=\"\"}[5m]))",
                                "demo_rpc_seconds{quantile=\"0.9\"}"};
  // Name only.
  File none(q, nullptr, nullptr);
  EXPECT_EQ(none.types->of("demo_queue_total").origin, TypeOrigin::Name);
  EXPECT_TRUE(none.types->of("demo_queue_total").counter_like());
  EXPECT_EQ(none.types->of("demo_wait_seconds_count").origin, TypeOrigin::Usage);
  // Metadata beats usage and name.
  File meta(q, nullptr, &metadata);
  EXPECT_EQ(meta.types->of("demo_queue_total").origin, TypeOrigin::Metadata);
  EXPECT_EQ(meta.types->of("demo_wait_seconds_count").origin, TypeOrigin::Metadata);
  EXPECT_EQ(meta.types->of("demo_wait_seconds_count").family_type, FamilyType::Histogram);
  EXPECT_EQ(meta.types->of("demo_rpc_seconds").origin, TypeOrigin::Metadata);
  // A metric no pack knows falls through to usage and name.
  EXPECT_EQ(meta.types->of("other_total").origin, TypeOrigin::Name);
  // The inventory beats the metadata.
  FakeInventory inventory({{"demo_queue_total", FamilyType::Counter}});
  File inv(q, &inventory, &metadata);
  EXPECT_EQ(inv.types->of("demo_queue_total").origin, TypeOrigin::Inventory);
  EXPECT_TRUE(inv.types->of("demo_queue_total").counter_like());
  EXPECT_EQ(inv.types->of("demo_slots").origin, TypeOrigin::Metadata) << "what the inventory lacks, metadata answers";
}

TEST(BuiltinMetadataTypes, PackWinsOverTheNameAndSaysSo) {
  pv::checks::BuiltinMetadata metadata = demo_metadata();
  File f({"demo_queue_total > 5"}, nullptr, &metadata);
  pv::checks::SeriesType t = f.types->of("demo_queue_total");
  EXPECT_EQ(t.family_type, FamilyType::Gauge);
  EXPECT_FALSE(t.counter_like());
  EXPECT_TRUE(t.gauge_like());
  EXPECT_EQ(t.evidence(), "in the bundled metadata of demo 1.0");
}

TEST(BuiltinMetadataTypes, OnlyTheSeriesOfAFamilyTakeItsType) {
  pv::checks::BuiltinMetadata metadata = demo_metadata();
  File f({"up"}, nullptr, &metadata);
  // demo_slots is a gauge: demo_slots_count and demo_slots_total are other metrics, typed by name.
  EXPECT_EQ(f.types->of("demo_slots_count").origin, TypeOrigin::Name);
  EXPECT_EQ(f.types->of("demo_slots_total").origin, TypeOrigin::Name);
  // demo_wait_seconds is a histogram: its _bucket/_sum/_count are its series; `_total` is not.
  EXPECT_EQ(f.types->of("demo_wait_seconds_bucket").origin, TypeOrigin::Metadata);
  EXPECT_EQ(f.types->of("demo_wait_seconds_sum").origin, TypeOrigin::Metadata);
  EXPECT_NE(f.types->of("demo_wait_seconds_total").origin, TypeOrigin::Metadata);
}

namespace {

std::string rules_file() {
  return pv::test::write_temp(
      "metadata-rules.yml",
      "groups:\n- name: g\n  rules:\n"
      "  - alert: Locks\n    expr: pg_locks_count > 10\n    for: 5m\n    labels: {severity: warning}\n"
      "  - alert: Inodes\n    expr: container_fs_inodes_total > 1\n    for: 5m\n    labels: {severity: warning}\n"
      "  - alert: Pcie\n    expr: rate(DCGM_FI_PROF_PCIE_TX_BYTES[5m]) > 1\n    for: 5m\n    labels: {severity: warning}\n"
      "  - alert: Kvbm\n    expr: kvbm_offload_blocks_d2h > 1\n    for: 5m\n    labels: {severity: warning}\n");
}

}  // namespace

TEST(BuiltinMetadataCli, LintTakesTypesFromThePacksUnlessTurnedOff) {
  std::string rules = rules_file();
  auto on = pv::test::run(pv::test::cli() + " lint " + pv::test::shell_quote(rules));
  EXPECT_EQ(on.exit_code, 1) << on.err;
  // A gauge named _total is no counter; a gauge under rate() and a counter without _total are caught.
  EXPECT_EQ(on.out.find("container_fs_inodes_total\" is a counter"), std::string::npos) << on.out;
  EXPECT_EQ(on.out.find("pg_locks_count\" is a"), std::string::npos) << on.out;
  EXPECT_NE(on.out.find("rate() over \"DCGM_FI_PROF_PCIE_TX_BYTES\", which is a gauge (in the bundled metadata of "
                        "dcgm_exporter"),
            std::string::npos)
      << on.out;
  EXPECT_NE(on.out.find("\"kvbm_offload_blocks_d2h\" is a counter (in the bundled metadata of kvbm"), std::string::npos)
      << on.out;

  auto off = pv::test::run(pv::test::cli() + " lint --no-builtin-metadata " + pv::test::shell_quote(rules));
  EXPECT_NE(off.out.find("\"container_fs_inodes_total\" is a counter (by its name)"), std::string::npos) << off.out;
  EXPECT_EQ(off.out.find("bundled metadata"), std::string::npos) << off.out;

  std::string dir =
      std::filesystem::path(rules).parent_path().string() + "/promvet-metadata-cfg-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/.promvet.yaml") << "builtin_metadata: false\n";
  std::filesystem::copy_file(rules, dir + "/rules.yml", std::filesystem::copy_options::overwrite_existing);
  auto config_off = pv::test::run(pv::test::cli() + " lint " + pv::test::shell_quote(dir + "/rules.yml"));
  EXPECT_EQ(config_off.out.find("bundled metadata"), std::string::npos) << config_off.out;
  EXPECT_NE(config_off.out.find("container_fs_inodes_total\" is a counter"), std::string::npos) << config_off.out;
  std::ofstream(dir + "/.promvet.yaml") << "builtin_metadata: maybe\n";
  auto config_bad = pv::test::run(pv::test::cli() + " lint " + pv::test::shell_quote(dir + "/rules.yml"));
  EXPECT_EQ(config_bad.exit_code, 2);
  EXPECT_NE(config_bad.err.find("builtin_metadata: expected true or false"), std::string::npos) << config_bad.err;
  std::filesystem::remove_all(dir);
}

TEST(BuiltinMetadataCli, HandWrittenIncreaseOfAPackCounterIsNoCounterWithoutRate) {
  // kvbm_offload_blocks_d2h is a counter only by its pack (no `_total`). Its raw value is a
  // finding; `x - x offset 1h` is an increase written by hand, and is not.
  std::string q = pv::test::write_temp("metadata-increase.promql",
                                       "kvbm_offload_blocks_d2h > 1\n"
                                       "kvbm_offload_blocks_d2h - kvbm_offload_blocks_d2h offset 1h\n"
                                       "(kvbm_onboard_blocks_h2d - kvbm_onboard_blocks_h2d offset 10m) / 600\n");
  auto r = pv::test::run(pv::test::cli() + " lint --kind queries " + pv::test::shell_quote(q));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find(":1:1: warning: \"kvbm_offload_blocks_d2h\" is a counter (in the bundled metadata of kvbm"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("promql:2:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("promql:3:"), std::string::npos) << r.out;
}

TEST(BuiltinMetadataCli, GaugeNamedTotalInAPackUnderRateSaysThePackWins) {
  // keda_trigger_registered_total is a gauge (kedacore/keda declares a GaugeVec): left raw it is
  // no finding, under rate() the finding names the pack, not the name.
  std::string q = pv::test::write_temp("metadata-keda.promql",
                                       "sum(keda_trigger_registered_total)\n"
                                       "rate(keda_trigger_registered_total[5m])\n");
  auto on = pv::test::run(pv::test::cli() + " lint --kind queries " + pv::test::shell_quote(q));
  EXPECT_EQ(on.out.find("promql:1:"), std::string::npos) << on.out;
  EXPECT_NE(on.out.find(":2:1: warning: rate() over \"keda_trigger_registered_total\", which is a gauge (in the "
                        "bundled metadata of keda "),
            std::string::npos)
      << on.out;
  auto off = pv::test::run(pv::test::cli() + " lint --no-builtin-metadata --kind queries " + pv::test::shell_quote(q));
  EXPECT_NE(off.out.find(":1:5: warning: \"keda_trigger_registered_total\" is a counter (by its name)"),
            std::string::npos)
      << off.out;
  EXPECT_EQ(off.out.find("promql:2:"), std::string::npos) << off.out;
}

TEST(BuiltinMetadataCli, NeverASourceOfUnknownMetricFindings) {
  // With an inventory that lacks the pack's metrics, inventory/unknown-metric still judges by the
  // inventory alone: the packs only type.
  std::string inv = pv::test::write_temp("metadata-inv.prom", "# TYPE up gauge\nup 1\n");
  std::string q = pv::test::write_temp("metadata-q.promql", "up + pg_locks_count\n");
  auto with = pv::test::run(pv::test::cli() + " lint --kind queries --inventory " + pv::test::shell_quote(inv) + " " +
                            pv::test::shell_quote(q));
  auto without = pv::test::run(pv::test::cli() + " lint --no-builtin-metadata --kind queries --inventory " +
                               pv::test::shell_quote(inv) + " " + pv::test::shell_quote(q));
  auto count = [](const std::string& s) {
    std::size_t n = 0;
    for (std::size_t p = s.find("inventory/unknown-metric"); p != std::string::npos;
         p = s.find("inventory/unknown-metric", p + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(count(with.out), count(without.out)) << with.out << "\n---\n" << without.out;
}

TEST(BuiltinMetadataCli, BrokenPackIsAClearErrorNamingTheFile) {
  std::string dir = "/tmp/promvet-metadata-broken-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/cut.tsv") << "# promvet metadata pack 1\n# pack: cut\nx\tgauge\t\t\t1\n";  // no end line
  std::string env = "PROMVET_METADATA_DIR=" + pv::test::shell_quote(dir) + " ";
  auto lint = pv::test::run(env + pv::test::cli() + " lint " + pv::test::shell_quote(rules_file()));
  EXPECT_EQ(lint.exit_code, 2);
  EXPECT_NE(lint.err.find(dir + "/cut.tsv:3: no \"# end: N families\" line: truncated"), std::string::npos) << lint.err;
  auto off =
      pv::test::run(env + pv::test::cli() + " lint --no-builtin-metadata " + pv::test::shell_quote(rules_file()));
  EXPECT_EQ(off.exit_code, 1) << off.err;  // the packs are not read at all
  auto lookup = pv::test::run(env + pv::test::cli() + " metadata x");
  EXPECT_EQ(lookup.exit_code, 2);
  std::filesystem::remove_all(dir);
}

TEST(BuiltinMetadataCli, MetadataLooksUpOneMetric) {
  auto r = pv::test::run(pv::test::cli() + " metadata pg_locks_count kvbm_offload_blocks_d2h no_such_metric_xyz");
  EXPECT_EQ(r.exit_code, 1);  // one name is unknown
  EXPECT_NE(r.out.find("pg_locks_count: gauge\n  pack:    postgres_exporter"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("labels:  datname mode"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("kvbm_offload_blocks_d2h: counter"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no_such_metric_xyz: not in the bundled metadata"), std::string::npos) << r.out;
  auto list = pv::test::run(pv::test::cli() + " metadata");
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("\nnode_exporter\t"), std::string::npos) << list.out;
  auto builtin = pv::test::run(pv::test::cli() + " inventory --builtin");
  EXPECT_EQ(builtin.exit_code, 0) << builtin.err;
  EXPECT_NE(builtin.out.find("\"builtin:postgres_exporter\""), std::string::npos);
}
