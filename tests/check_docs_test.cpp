// Every check id promvet can report (the check registry, which both commands'
// --list-checks print) has its docs page, and every docs page belongs to a check
// id: the registry and docs/checks/<id>.md cannot drift apart.
#include <dirent.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "checks/registry.h"
#include "test_support.h"

namespace promvet::test {
namespace {

std::set<std::string> listed_ids_of(const std::string& command) {
  CommandResult r = run("'" + cli() + "' " + command + " --list-checks");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> ids;
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    std::string id = line.substr(0, line.find(' '));
    if (!id.empty()) ids.insert(id);
  }
  return ids;
}

std::set<std::string> registry_ids() {
  std::set<std::string> ids;
  for (const checks::CheckInfo& c : checks::builtin_registry().catalogue()) ids.emplace(c.id);
  return ids;
}

// `promvet metrics` and `promvet lint` each list their share of the registry; together, all of it.
TEST(CheckDocs, TheTwoListingsTogetherAreTheRegistry) {
  std::set<std::string> ids = listed_ids_of("metrics");
  for (const std::string& id : listed_ids_of("lint")) ids.insert(id);
  EXPECT_EQ(ids, registry_ids());
}

std::set<std::string> documented_ids() {
  std::set<std::string> ids;
  std::string root = source_dir() + "/docs/checks";
  DIR* families = opendir(root.c_str());
  if (!families) return ids;
  while (dirent* family = readdir(families)) {
    std::string fam = family->d_name;
    if (fam == "." || fam == "..") continue;
    DIR* pages = opendir((root + "/" + fam).c_str());
    if (!pages) continue;
    while (dirent* page = readdir(pages)) {
      std::string name = page->d_name;
      if (name.size() > 3 && name.substr(name.size() - 3) == ".md") {
        ids.insert(fam + "/" + name.substr(0, name.size() - 3));
      }
    }
    closedir(pages);
  }
  closedir(families);
  return ids;
}

TEST(CheckDocs, EveryListedCheckHasADocsPageAndViceVersa) {
  std::set<std::string> listed = registry_ids();
  std::set<std::string> documented = documented_ids();
  ASSERT_GE(listed.size(), 20u);  // expfmt/invalid, content-type, 13 lints, 7 policy checks
  for (const std::string& id : listed) EXPECT_TRUE(documented.count(id)) << "no docs/checks/" << id << ".md";
  for (const std::string& id : documented) EXPECT_TRUE(listed.count(id)) << "docs page for unknown check " << id;
}

TEST(CheckDocs, EveryPageStartsWithItsIdAsTitle) {
  for (const std::string& id : documented_ids()) {
    std::string text = read_file(source_dir() + "/docs/checks/" + id + ".md");
    EXPECT_EQ(text.rfind("# " + id + "\n", 0), 0u) << id;
  }
}

}  // namespace
}  // namespace promvet::test
