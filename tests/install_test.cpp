// `cmake --install` of this build tree into a scratch prefix, then what a user of the install
// does: find_package(promvet) from a separate project (testdata/install_consumer/), the installed
// binary (--version, explain from the installed docs), the bash completion (docs/install.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.h"

namespace promvet::test {
namespace {

namespace fs = std::filesystem;

// A prefix of its own per test process (ctest runs the tests of this file in parallel).
class Install : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_program("cmake")) GTEST_SKIP() << "cmake is not on PATH: install rules not tested";
    dir_ = fs::temp_directory_path() / ("promvet-install-test-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    prefix_ = (dir_ / "prefix").string();
    CommandResult r =
        run("cmake --install " + shell_quote(PROMVET_BUILD_DIR) + " --prefix " + shell_quote(prefix_), 120);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  void TearDown() override {
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);  // kept for a look when a test fails
  }
  std::string installed(const std::string& rel) const { return prefix_ + "/" + rel; }

  fs::path dir_;
  std::string prefix_;
};

TEST_F(Install, LaysOutBinaryLibraryHeadersPackageRulesDocs) {
  for (const char* rel :
       {"bin/promvet", "lib/promvet/libpromvet_fetch.so", "lib/libpromvet_checks.a", "lib/libpromvet_promql.a",
        "lib/libpromvet_promql_antlr.a", "include/promvet/checks/finding.h", "include/promvet/promql/parse.h",
        "include/promvet/checks/promql/counter_without_rate.h", "lib/cmake/promvet/promvetConfig.cmake",
        "lib/cmake/promvet/promvetConfigVersion.cmake", "lib/cmake/promvet/promvetTargets.cmake",
        "share/promvet/policies/prometheus.yaml", "share/promvet/policies/vllm.yaml",
        "share/doc/promvet/checks/promql/counter-without-rate.md", "share/doc/promvet/install.md",
        "share/bash-completion/completions/promvet"}) {
    EXPECT_TRUE(fs::exists(installed(rel))) << rel;
  }
  // Private headers stay private: no *_internal.h, no generated ANTLR header, and no installed
  // header includes either.
  int headers = 0;
  for (const auto& e : fs::recursive_directory_iterator(installed("include"))) {
    if (!e.is_regular_file()) continue;
    ++headers;
    std::string name = e.path().filename().string();
    EXPECT_EQ(name.find("_internal.h"), std::string::npos) << e.path();
    EXPECT_EQ(name.find("PromQL"), std::string::npos) << e.path();
    std::string text = read_file(e.path().string());
    EXPECT_EQ(text.find("antlr"), std::string::npos) << e.path();
    EXPECT_EQ(text.find("_internal.h"), std::string::npos) << e.path();
    EXPECT_EQ(text.find("re2/"), std::string::npos) << e.path();
  }
  EXPECT_GT(headers, 20);
}

TEST_F(Install, FindPackageFromASeparateProject) {
  std::string build = (dir_ / "consumer").string();
  std::string configure = "cmake -S " + shell_quote(testdata("install_consumer")) + " -B " + shell_quote(build) +
                          " -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" + shell_quote(prefix_) +
                          " -DCMAKE_CXX_COMPILER=" + shell_quote(PROMVET_CXX_COMPILER);
  // A sanitizer build installs instrumented libraries: the consumer must link the runtime too.
  if (std::string(PROMVET_CONSUMER_FLAGS).size())
    configure += " -DCMAKE_CXX_FLAGS=" + shell_quote(PROMVET_CONSUMER_FLAGS) +
                 " -DCMAKE_EXE_LINKER_FLAGS=" + shell_quote(PROMVET_CONSUMER_FLAGS);
  CommandResult r = run(configure, 120);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run("cmake --build " + shell_quote(build), 180);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  r = run(shell_quote(build + "/consumer"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("parse: ok: sum by (job) (rate(http_requests_total[5m]))"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("finding: promql/counter-without-rate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("findings: "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("findings: 0\n"), std::string::npos) << r.out;
}

TEST_F(Install, InstalledBinaryVersionAndExplainFromInstalledDocs) {
  std::string bin = shell_quote(installed("bin/promvet"));
  CommandResult r = run("env -u PROMVET_DOCS_DIR " + bin + " --version");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind(std::string("promvet ") + PROMVET_VERSION, 0), 0u) << r.out;

  // Mark the installed page: the text must come from the prefix, not from the source tree.
  std::string page = installed("share/doc/promvet/checks/promql/counter-without-rate.md");
  ASSERT_TRUE(fs::exists(page));
  std::ofstream(page, std::ios::app) << "\ninstalled-copy-marker\n";
  r = run("env -u PROMVET_DOCS_DIR " + bin + " explain promql/counter-without-rate");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("installed-copy-marker"), std::string::npos) << r.out;
}

TEST_F(Install, InstalledBinaryHasTheMetadataPacksBuiltInAndReadsADirectoryOnRequest) {
  // docs/metadata.md: the packs are compiled into the binary, which needs no file for them; the
  // TSV files and their SOURCES records are installed as the packs' record, and a directory of
  // packs named by $PROMVET_METADATA_DIR is read at run time instead.
  for (const char* rel :
       {"share/promvet/metadata/postgres_exporter.tsv", "share/promvet/metadata/postgres_exporter.sources"})
    EXPECT_TRUE(fs::exists(installed(rel))) << rel;
  std::string bin = shell_quote(installed("bin/promvet"));
  CommandResult r = run("env -u PROMVET_METADATA_DIR " + bin + " metadata pg_locks_count");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("pack:    postgres_exporter (lib/inventory/metadata/postgres_exporter.tsv, built in)"),
            std::string::npos)
      << r.out;
  std::string dir = installed("share/promvet/metadata");
  r = run("PROMVET_METADATA_DIR=" + shell_quote(dir) + " " + bin + " metadata pg_locks_count");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("pack:    postgres_exporter (" + dir + "/postgres_exporter.tsv)"), std::string::npos) << r.out;
}

// --policy NAME from the installed share/promvet/policies, wherever the prefix is: a pack that only
// the prefix has is found, and an unknown name lists it among the bundled packs.
TEST_F(Install, InstalledBinaryFindsBundledPolicyPacksByName) {
  std::string bin = shell_quote(installed("bin/promvet"));
  std::string rules = shell_quote(testdata("examples/rules"));
  CommandResult r = run("env -u PROMVET_POLICIES_DIR " + bin + " lint --policy vllm " + rules);
  EXPECT_NE(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find("policy pack"), std::string::npos) << r.err;
  std::ofstream(installed("share/promvet/policies/prefixonly.yaml")) << "name: prefixonly\n";
  r = run("env -u PROMVET_POLICIES_DIR " + bin + " lint --policy prefixonly " + rules);
  EXPECT_NE(r.exit_code, 2) << r.err;
  r = run("env -u PROMVET_POLICIES_DIR " + bin + " lint --policy nosuch " + rules);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bundled packs: dynamo, mixin, prefixonly, prometheus, vllm"), std::string::npos) << r.err;
}

TEST_F(Install, BashCompletion) {
  if (!have_program("bash")) GTEST_SKIP() << "bash is not on PATH";
  std::string script = shell_quote(installed("share/bash-completion/completions/promvet"));
  CommandResult r = run("bash -c \"source " + script + " && complete -p promvet\"");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("-F _promvet promvet"), std::string::npos) << r.out;

  // Subcommands, a subcommand's flags, enumerated values, check ids from the installed docs.
  auto complete = [&](const std::string& words, int cword) {
    return run("PATH=" + shell_quote(installed("bin")) + ":$PATH bash -c \"source " + script + " && COMP_WORDS=(" +
               words + ") && COMP_CWORD=" + std::to_string(cword) + " && _promvet && echo \\${COMPREPLY[*]}\"")
        .out;
  };
  EXPECT_EQ(complete("promvet li", 1), "lint\n");
  EXPECT_NE(complete("promvet lint --fail", 2).find("--fail-on"), std::string::npos);
  EXPECT_EQ(complete("promvet lint -o sa", 3), "sarif\n");
  EXPECT_EQ(complete("promvet explain promql/counter-w", 2), "promql/counter-without-rate\n");
  EXPECT_NE(complete("promvet lint --policy vl", 3).find("vllm"), std::string::npos);  // a bundled pack's name
}

}  // namespace
}  // namespace promvet::test
