// Bundled metadata packs (docs/metadata.md): the pack format written by `promvet inventory --pack`
// and read back, the loader's limits and its errors on bad pack files (each names the file and
// never crashes), the directory loader, the regeneration of a pack from a bundled exposition,
// and the shipped packs themselves.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "checks/builtin_metadata.h"
#include "inventory/inventory.h"
#include "inventory/metadata_pack.h"
#include "test_support.h"

namespace pv = promvet;
namespace fs = std::filesystem;
using pv::inventory::parse_metadata_pack;
using namespace std::string_literals;

namespace {

const char* kGood =
    "# promvet metadata pack 1\n"
    "# pack: demo\n"
    "# family\ttype\tunit\tlabels\tversion\n"
    "demo_queue_total\tgauge\t\tqueue\t1.0\n"
    "demo_requests_total\tcounter\t\tcode,method\t1.0\n"
    "demo_seconds\thistogram\tseconds\tle\t1.0\n"
    "# end: 3 families\n";

// A fresh directory under /tmp, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("promvet-metadata-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

}  // namespace

TEST(MetadataPack, ParsesFamiliesWithTypeUnitLabelsAndVersion) {
  pv::inventory::ReadPack r = parse_metadata_pack("demo.tsv", kGood);
  ASSERT_TRUE(r.pack) << r.error;
  EXPECT_EQ(r.pack->name, "demo");
  ASSERT_EQ(r.pack->families.size(), 3u);
  const auto& f = r.pack->families[0];
  EXPECT_EQ(f.name, "demo_queue_total");
  EXPECT_EQ(f.type, pv::expfmt::MetricType::kGauge);
  EXPECT_EQ(f.labels, "queue");
  EXPECT_EQ(f.version, "1.0");
  EXPECT_EQ(r.pack->families[2].unit, "seconds");
  EXPECT_EQ(r.pack->families[2].type, pv::expfmt::MetricType::kHistogram);
}

TEST(MetadataPack, WrittenFromAnInventoryAndReadBack) {
  pv::inventory::Source source;
  source.name = "mem";
  source.kind = "file";
  pv::inventory::Inventory inv = pv::inventory::build_from_text(
      "# TYPE a_total counter\na_total{x=\"1\",y=\"2\"} 3\n# TYPE b gauge\n# HELP b not kept\nb 1\n", source);
  std::string text = pv::inventory::to_metadata_pack(inv, "p", "2.0");
  EXPECT_EQ(text.find("not kept"), std::string::npos) << "help texts are not copied into packs";
  pv::inventory::ReadPack r = parse_metadata_pack("p.tsv", text);
  ASSERT_TRUE(r.pack) << r.error;
  ASSERT_EQ(r.pack->families.size(), 2u);
  EXPECT_EQ(r.pack->families[0].name, "a_total");
  EXPECT_EQ(r.pack->families[0].type, pv::expfmt::MetricType::kCounter);
  EXPECT_EQ(r.pack->families[0].labels, "x,y");
  EXPECT_EQ(r.pack->families[1].version, "2.0");
}

TEST(MetadataPack, BadPacksAreErrorsNamingTheFileAndLine) {
  std::string good = kGood;
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"", "bad.tsv:1: empty file"},
      {"{\"json\": true}\n", "bad.tsv:1: not a metadata pack"},
      {good.substr(0, good.size() - 1), "bad.tsv:7: the last line does not end in a newline: truncated"},
      {good.substr(0, good.find("demo_seconds")), "no \"# end: N families\" line: truncated"},
      {good.substr(0, good.find("demo_requests")) +
           "demo_requests_total\tcounter\t\tcode,method\t1.0\n# end: 3 families\n",
       "bad.tsv:6: the end line counts 3 families but 2 were read"},
      {good + "late\tgauge\t\t\t1\n", "bad.tsv:8: text after the end line"},
      {"# promvet metadata pack 1\nx\tgauge\t\t\t1\n# end: 1 families\n", "bad.tsv:2: a family before"},
      {"# promvet metadata pack 1\n# pack: p\nx\tgauge\t\t1\n# end: 1 families\n",
       "bad.tsv:3: expected 5 tab-separated fields"},
      {"# promvet metadata pack 1\n# pack: p\nx\tcountr\t\t\t1\n# end: 1 families\n",
       "bad.tsv:3: unknown type \"countr\""},
      {"# promvet metadata pack 1\n# pack: p\n1x\tgauge\t\t\t1\n# end: 1 families\n", "bad.tsv:3: invalid metric name"},
      {"# promvet metadata pack 1\n# pack: p\nx\tgauge\t\ta,,b\t1\n# end: 1 families\n",
       "bad.tsv:3: invalid label list"},
      {"# promvet metadata pack 1\n# pack: p\nx\tgauge\t\t\t\n# end: 1 families\n",
       "bad.tsv:3: missing or invalid version"},
      {"# promvet metadata pack 1\n# pack: p\ny\tgauge\t\t\t1\nx\tgauge\t\t\t1\n# end: 2 families\n",
       "bad.tsv:4: \"x\" is out of order or repeated"},
      {"# promvet metadata pack 1\n# pack: ../p\n# end: 0 families\n", "bad.tsv:2: invalid pack name"},
      {"# promvet metadata pack 1\n# pack: p\n# end: many families\n", "bad.tsv:3: malformed end line"},
      {"# promvet metadata pack 1\n# pack: p\nx\0y\tgauge\t\t\t1\n# end: 1 families\n"s,
       "bad.tsv:3: invalid metric name"},
  };
  for (const Case& c : cases) {
    pv::inventory::ReadPack r = parse_metadata_pack("bad.tsv", c.text);
    EXPECT_FALSE(r.pack) << c.text;
    EXPECT_NE(r.error.find(c.error), std::string::npos) << "got: " << r.error << "\nwant: " << c.error;
  }
  // Every prefix of a good pack (a truncated download or copy) is an error, never a shorter pack.
  for (std::size_t n = 0; n < good.size(); ++n) {
    pv::inventory::ReadPack r = parse_metadata_pack("cut.tsv", good.substr(0, n));
    EXPECT_FALSE(r.pack) << n;
    EXPECT_EQ(r.error.rfind("cut.tsv:", 0), 0u) << r.error;
  }
}

TEST(MetadataPack, LoaderRefusesAnOversizedFile) {
  std::string big(pv::inventory::kMaxPackBytes + 1, 'x');
  pv::inventory::ReadPack r = parse_metadata_pack("big.tsv", big);
  EXPECT_FALSE(r.pack);
  EXPECT_NE(r.error.find("big.tsv:1: larger than 16 MiB"), std::string::npos) << r.error;
}

TEST(MetadataPack, LoaderRefusesTooManyFamilies) {
  // A pack of exactly kMaxPackFamilies families loads; one more is refused at the line that
  // exceeds the limit, not after building it.
  auto pack_of = [](std::size_t n) {
    std::string text = "# promvet metadata pack 1\n# pack: many\n";
    char name[32];
    for (std::size_t i = 0; i < n; ++i) {
      std::snprintf(name, sizeof name, "m%07zu", i);
      text += name;
      text += "\tgauge\t\t\t1\n";
    }
    return text + "# end: " + std::to_string(n) + " families\n";
  };
  pv::inventory::ReadPack at_limit = parse_metadata_pack("many.tsv", pack_of(pv::inventory::kMaxPackFamilies));
  ASSERT_TRUE(at_limit.pack) << at_limit.error;
  EXPECT_EQ(at_limit.pack->families.size(), pv::inventory::kMaxPackFamilies);
  pv::inventory::ReadPack over = parse_metadata_pack("many.tsv", pack_of(pv::inventory::kMaxPackFamilies + 1));
  EXPECT_FALSE(over.pack);
  EXPECT_NE(over.error.find("many.tsv:" + std::to_string(pv::inventory::kMaxPackFamilies + 3) +
                            ": more than 200000 families"),
            std::string::npos)
      << over.error;
}

TEST(BuiltinMetadata, LoadsADirectoryFirstPackWinsAndNamesABadFile) {
  TempDir dir;
  dir.write("a.tsv", kGood);
  dir.write(
      "b.tsv",
      "# promvet metadata pack 1\n# pack: other\ndemo_queue_total\tcounter\t\t\t9\nzz\tgauge\t\t\t9\n# end: 2 families\n");
  dir.write("README", "not a pack: ignored (only *.tsv are packs)\n");
  pv::checks::LoadedMetadata m = pv::checks::BuiltinMetadata::load_dir(dir.path.string());
  ASSERT_TRUE(m.metadata) << m.error;
  EXPECT_EQ(m.metadata->packs().size(), 2u);
  EXPECT_EQ(m.metadata->family_count(), 4u);
  EXPECT_EQ(m.metadata->type_of_family("demo_queue_total"), pv::checks::FamilyType::Gauge);  // a.tsv first
  EXPECT_EQ(m.metadata->where("demo_queue_total"), "demo 1.0");
  EXPECT_EQ(m.metadata->type_of_family("zz"), pv::checks::FamilyType::Gauge);
  EXPECT_EQ(m.metadata->type_of_family("missing"), std::nullopt);

  dir.write("c.tsv", std::string(kGood).substr(0, 120));  // truncated
  m = pv::checks::BuiltinMetadata::load_dir(dir.path.string());
  EXPECT_FALSE(m.metadata);
  EXPECT_NE(m.error.find((dir.path / "c.tsv").string() + ":"), std::string::npos) << m.error;

  // Corrupt rather than truncated: random bytes where a pack should be.
  fs::remove(dir.path / "c.tsv");
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919 + 13) & 0xff);
  dir.write("d.tsv", garbage);
  m = pv::checks::BuiltinMetadata::load_dir(dir.path.string());
  EXPECT_FALSE(m.metadata);
  EXPECT_NE(m.error.find((dir.path / "d.tsv").string() + ":1: "), std::string::npos) << m.error;

  m = pv::checks::BuiltinMetadata::load_dir((dir.path / "nope").string());
  EXPECT_FALSE(m.metadata);
  EXPECT_NE(m.error.find("not a directory of metadata packs"), std::string::npos) << m.error;
}

TEST(BuiltinMetadata, RegeneratesAPackFromABundledExposition) {
  // What tools/metadata/generate.sh does after scraping: `promvet inventory --pack`.
  auto r = pv::test::run(pv::test::cli() + " inventory --pack sample_exporter --pack-version 1.2.3 " +
                         pv::test::shell_quote(pv::test::testdata("metadata/sample.prom")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, pv::test::read_file(pv::test::testdata("metadata/sample.tsv")));
  pv::inventory::ReadPack p = parse_metadata_pack("sample.tsv", r.out);
  ASSERT_TRUE(p.pack) << p.error;
  EXPECT_EQ(p.pack->families.size(), 5u);

  auto bad = pv::test::run(pv::test::cli() + " inventory --pack 'a/b' --pack-version 1 " +
                           pv::test::shell_quote(pv::test::testdata("metadata/sample.prom")));
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(BuiltinMetadata, ShippedPacksLoadAndKnowTheGaugesNamedLikeCounters) {
  pv::checks::LoadedMetadata m =
      pv::checks::BuiltinMetadata::load_dir(pv::test::source_dir() + "/lib/inventory/metadata");
  ASSERT_TRUE(m.metadata) << m.error;
  EXPECT_GE(m.metadata->packs().size(), 20u);
  EXPECT_GE(m.metadata->family_count(), 5000u);
  using pv::checks::FamilyType;
  // The false positives of issue 17, each from the pack of the exporter that exposes it.
  const std::pair<const char*, FamilyType> facts[] = {
      {"pg_stat_activity_count", FamilyType::Gauge},
      {"pg_locks_count", FamilyType::Gauge},
      {"container_fs_inodes_total", FamilyType::Gauge},
      {"minio_cluster_drive_offline_total", FamilyType::Gauge},
      {"argocd_repo_pending_request_total", FamilyType::Gauge},
      {"DCGM_FI_PROF_PCIE_TX_BYTES", FamilyType::Gauge},
      {"mysql_global_variables_max_prepared_stmt_count", FamilyType::Gauge},
      {"kvbm_offload_blocks_d2h", FamilyType::Counter},
      {"node_cpu_seconds_total", FamilyType::Counter},
      {"vllm:num_requests_running", FamilyType::Gauge},
      {"prometheus_http_request_duration_seconds", FamilyType::Histogram},
      // Gauges named `_total` of the real-world corpus (testdata/realworld), each declared a gauge
      // in its exporter's source; two of them under the names of older releases.
      {"cortex_ruler_managers_total", FamilyType::Gauge},
      {"keda_resource_registered_total", FamilyType::Gauge},
      {"keda_trigger_registered_total", FamilyType::Gauge},
      {"erlang_vm_memory_system_bytes_total", FamilyType::Gauge},
      {"erlang_vm_statistics_run_queues_length_total", FamilyType::Gauge},
      {"erlang_vm_statistics_run_queues_length", FamilyType::Gauge},
      {"prometheus_tsdb_storage_blocks_bytes_total", FamilyType::Gauge},
      {"smb_sessions_total", FamilyType::Gauge},
      {"index_memory_used_total", FamilyType::Gauge},
      {"django_migrations_unapplied_total", FamilyType::Gauge},
      {"dynamo_operator_resources_total", FamilyType::Gauge},
      // prometheus_client adds `_total` to a counter's name; prometheus.erl does not.
      {"django_http_requests_total_by_method_total", FamilyType::Counter},
      {"erlang_vm_statistics_context_switches", FamilyType::Counter},
  };
  for (const auto& [name, type] : facts) EXPECT_EQ(m.metadata->type_of_family(name), type) << name;
  // Declared gauges whose values are cumulative counts are left out on purpose
  // (tools/metadata/from_sources.py, facts/smbmetrics.prom): a pack must not call them gauges.
  for (const char* name : {"erlang_vm_dist_send_bytes", "erlang_vm_dist_recv_cnt", "erlang_vm_dist_proc_reductions",
                           "smb_smb2_request_total", "smb_vfs_io_total"})
    EXPECT_EQ(m.metadata->type_of_family(name), std::nullopt) << name;
  // Packs that list the same family agree on its type (first-pack-wins must not hide a conflict).
  for (const auto& p : m.metadata->packs())
    for (const pv::inventory::PackFamily& f : p->families()) {
      auto first = m.metadata->find(f.name);
      ASSERT_TRUE(first);
      if (pv::checks::to_family_type(f.type) != pv::checks::FamilyType::Unknown &&
          pv::checks::to_family_type(first->family.type) != pv::checks::FamilyType::Unknown) {
        EXPECT_EQ(first->family.type, f.type) << f.name << " in " << p->name() << " and " << first->pack->name();
      }
    }
  // Every pack has its SOURCES record next to it.
  for (const auto& p : m.metadata->packs()) {
    fs::path sources = fs::path(p->path()).replace_extension(".sources");
    EXPECT_TRUE(fs::exists(sources)) << sources;
  }
}

// The packs compiled in at build time (inventory/bundled_packs.h) are the shipped TSV files, read
// by the run-time loader: the same packs in the same order, the same families field by field, and
// the same answer for every name, including which pack a name listed twice comes from.
TEST(BuiltinMetadata, CompiledInPacksAreExactlyTheShippedFiles) {
  pv::checks::LoadedMetadata files =
      pv::checks::BuiltinMetadata::load_dir(pv::test::source_dir() + "/lib/inventory/metadata");
  ASSERT_TRUE(files.metadata) << files.error;
  pv::checks::BuiltinMetadata built_in = pv::checks::BuiltinMetadata::bundled();
  const auto& want = files.metadata->packs();
  const auto& got = built_in.packs();
  ASSERT_EQ(got.size(), want.size());
  EXPECT_EQ(built_in.family_count(), files.metadata->family_count());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& w = *want[i];
    const auto& g = *got[i];
    EXPECT_EQ(g.name(), w.name());
    EXPECT_TRUE(g.built_in());
    EXPECT_FALSE(w.built_in());
    EXPECT_EQ(g.path(), "lib/inventory/metadata/" + fs::path(w.path()).filename().string());
    ASSERT_EQ(g.size(), w.size()) << w.name();
    auto gf = g.families().begin();
    for (const pv::inventory::PackFamily& f : w.families()) {
      pv::inventory::PackFamily h = *gf;
      ++gf;
      EXPECT_EQ(h.name, f.name);
      EXPECT_EQ(h.type, f.type) << f.name;
      EXPECT_EQ(h.unit, f.unit) << f.name;
      EXPECT_EQ(h.labels, f.labels) << f.name;
      EXPECT_EQ(h.version, f.version) << f.name;
      auto a = built_in.find(f.name);
      auto b = files.metadata->find(f.name);
      ASSERT_TRUE(a && b) << f.name;
      EXPECT_EQ(a->pack->name(), b->pack->name()) << f.name;
      EXPECT_EQ(a->family.version, b->family.version) << f.name;
      EXPECT_EQ(built_in.where(f.name), files.metadata->where(f.name));
    }
  }
  // Names between, before and after the sorted table's entries are not found.
  for (const char* absent : {"", "a", "node_cpu_seconds_tota", "node_cpu_seconds_total_", "zzzz", "~"})
    EXPECT_FALSE(built_in.find(absent)) << absent;
}

// A pack added after the compiled-in ones never overrides them, and its own names are found.
TEST(BuiltinMetadata, PackAddedToTheCompiledInOnesComesAfterThem) {
  pv::checks::BuiltinMetadata m = pv::checks::BuiltinMetadata::bundled();
  std::size_t before = m.family_count();
  pv::inventory::ReadPack r =
      parse_metadata_pack("extra.tsv",
                          "# promvet metadata pack 1\n# pack: extra\nnode_cpu_seconds_total\tgauge\t\t\t9\n"
                          "zz_extra_only\tgauge\t\t\t9\n# end: 2 families\n");
  ASSERT_TRUE(r.pack) << r.error;
  m.add(std::move(*r.pack));
  EXPECT_EQ(m.family_count(), before + 1);
  EXPECT_EQ(m.type_of_family("node_cpu_seconds_total"), pv::checks::FamilyType::Counter);
  EXPECT_EQ(m.where("zz_extra_only"), "extra 9");
}

// The build step behind bundled_packs.h: a bad pack stops the build with the parser's
// "path:line: message" and leaves no table behind; good packs give one.
TEST(MetadataPackCompiler, ABadPackFailsTheBuildNamingFileAndLine) {
  TempDir dir;
  dir.write("a.tsv", kGood);
  dir.write("cut.tsv", "# promvet metadata pack 1\n# pack: cut\nx\tgauge\t\t\t1\n");  // no end line
  std::string out = (dir.path / "table.cpp").string();
  auto compile = [&](const std::string& packs) {
    return pv::test::run(pv::test::shell_quote(PROMVET_METADATA_PACK_COMPILER) + " " + pv::test::shell_quote(out) +
                         " " + pv::test::shell_quote(dir.path.string()) + " " + packs);
  };
  auto bad = compile(pv::test::shell_quote((dir.path / "a.tsv").string()) + " " +
                     pv::test::shell_quote((dir.path / "cut.tsv").string()));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find((dir.path / "cut.tsv").string() + ":3: no \"# end: N families\" line: truncated"),
            std::string::npos)
      << bad.err;
  EXPECT_FALSE(fs::exists(out));
  auto missing = compile(pv::test::shell_quote((dir.path / "nope.tsv").string()));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.tsv"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(out));

  auto good = compile(pv::test::shell_quote((dir.path / "a.tsv").string()));
  ASSERT_EQ(good.exit_code, 0) << good.err;
  std::string table = pv::test::read_file(out);
  EXPECT_NE(table.find("kPackCount = 1;"), std::string::npos) << table;
  EXPECT_NE(table.find("kFamilyCount = 3;"), std::string::npos) << table;
  EXPECT_NE(table.find("demo_requests_total"), std::string::npos) << table;
}
