// naming::find_policy_pack: a bundled pack by name from the first search directory that has
// it, a path as given, an unknown name as an error that lists the bundled names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "naming/policy_pack_lookup.h"

namespace promvet::naming {
namespace {

namespace fs = std::filesystem;

class PackLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("promvet-pack-lookup-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "installed");
    fs::create_directories(root_ / "source");
    fs::create_directories(root_ / "work");
  }
  void TearDown() override { fs::remove_all(root_); }
  void put(const fs::path& rel) { std::ofstream(root_ / rel) << "name: x\n"; }
  std::vector<std::string> dirs() const {
    return {(root_ / "missing").string(), (root_ / "installed").string(), (root_ / "source").string()};
  }
  fs::path root_;
};

TEST(PackName, OnlyPlainWordsAreNames) {
  EXPECT_TRUE(looks_like_pack_name("vllm"));
  EXPECT_TRUE(looks_like_pack_name("my-team_2"));
  EXPECT_FALSE(looks_like_pack_name(""));
  EXPECT_FALSE(looks_like_pack_name("policies/vllm.yaml"));
  EXPECT_FALSE(looks_like_pack_name("vllm.yaml"));
  EXPECT_FALSE(looks_like_pack_name("../vllm"));
}

TEST_F(PackLookupTest, NameFoundInFirstDirectoryThatHasIt) {
  put("installed/vllm.yaml");
  put("source/vllm.yaml");
  put("source/dynamo.yaml");
  PackLookup found = find_policy_pack("vllm", dirs());
  EXPECT_EQ(found.error, "");
  EXPECT_TRUE(found.bundled);
  EXPECT_EQ(found.path, (root_ / "installed" / "vllm.yaml").string());
  found = find_policy_pack("dynamo", dirs());
  EXPECT_EQ(found.path, (root_ / "source" / "dynamo.yaml").string());
}

// The packs' directory was renamed rules/ -> policies/: an old path still reads the pack, with a
// note; a path through an existing rules/ directory is left alone.
TEST_F(PackLookupTest, OldRulesDirectoryIsReadFromPoliciesWithANote) {
  fs::create_directories(root_ / "work" / "policies");
  put("work/policies/vllm.yaml");
  PackLookup found = find_policy_pack("rules/vllm.yaml", dirs(), (root_ / "work").string());
  EXPECT_EQ(found.error, "");
  EXPECT_EQ(found.path, (root_ / "work" / "policies" / "vllm.yaml").string());
  EXPECT_NE(found.note.find("rules/ is now policies/"), std::string::npos) << found.note;
  fs::create_directories(root_ / "work" / "rules");
  put("work/rules/vllm.yaml");
  found = find_policy_pack("rules/vllm.yaml", dirs(), (root_ / "work").string());
  EXPECT_EQ(found.path, (root_ / "work" / "rules" / "vllm.yaml").string());
  EXPECT_EQ(found.note, "");
  found = find_policy_pack("rules/nosuch.yaml", dirs(), (root_ / "work").string());
  EXPECT_EQ(found.path, (root_ / "work" / "rules" / "nosuch.yaml").string());  // reported by the reader
  EXPECT_EQ(found.note, "");
}

TEST_F(PackLookupTest, PathIsKeptAndRelativeToBaseDir) {
  put("installed/vllm.yaml");
  PackLookup found = find_policy_pack("team/vllm.yaml", dirs(), (root_ / "work").string());
  EXPECT_EQ(found.error, "");
  EXPECT_FALSE(found.bundled);
  EXPECT_EQ(found.path, (root_ / "work" / "team" / "vllm.yaml").string());
  found = find_policy_pack("/abs/p.yaml", dirs(), (root_ / "work").string());
  EXPECT_EQ(found.path, "/abs/p.yaml");
  found = find_policy_pack("p.yaml", dirs());
  EXPECT_EQ(found.path, "p.yaml");
}

TEST_F(PackLookupTest, NameWithoutBundledPackFallsBackToAFileOfThatName) {
  put("work/teampack");
  PackLookup found = find_policy_pack("teampack", dirs(), (root_ / "work").string());
  EXPECT_EQ(found.error, "");
  EXPECT_FALSE(found.bundled);
  EXPECT_EQ(found.path, (root_ / "work" / "teampack").string());
}

TEST_F(PackLookupTest, UnknownNameListsBundledNames) {
  put("installed/vllm.yaml");
  put("source/vllm.yaml");
  put("source/prometheus.yaml");
  put("source/README.md");  // not a pack
  PackLookup found = find_policy_pack("vlm", dirs(), (root_ / "work").string());
  EXPECT_EQ(found.path, "");
  EXPECT_EQ(found.error,
            "no bundled policy pack named \"vlm\" and no file of that name; bundled packs: prometheus, vllm");
  EXPECT_EQ(bundled_pack_names(dirs()), (std::vector<std::string>{"prometheus", "vllm"}));
}

TEST_F(PackLookupTest, NoSearchDirectoryExists) {
  PackLookup found = find_policy_pack("vllm", {(root_ / "nowhere").string()});
  EXPECT_NE(found.error.find("bundled packs: none found (searched " + (root_ / "nowhere").string() + ")"),
            std::string::npos)
      << found.error;
}

}  // namespace
}  // namespace promvet::naming
