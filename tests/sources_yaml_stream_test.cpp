// The reader-level checks of go-yaml (libyaml makes them without naming the byte): control
// characters and invalid UTF-8 refuse the whole rule file, at the offending byte. When promtool
// is installed each case also runs through `promtool check rules`, which must refuse (or
// accept) it with the same words.
#include "sources/yaml_stream.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sources/rules.h"
#include "test_support.h"

namespace promvet::sources {
namespace {

const std::string kHead = "groups:\n- name: g\n  rules:\n  - record: a:b\n    expr: up";
const size_t kAt = kHead.size();  // where the case's bytes go: inside the expression

struct Bad {
  const char* name;
  std::string bytes;
  const char* go_yaml;  // promtool's words
  const char* detail;
  size_t delta;  // the offending byte, after kAt
};

const Bad kBad[] = {
    {"nul", std::string(1, '\0'), "control characters are not allowed", "U+0000", 0},
    {"bell", "\x07", "control characters are not allowed", "U+0007", 0},
    {"del", "\x7f", "control characters are not allowed", "U+007F", 0},
    {"c1_control", "\xc2\x80", "control characters are not allowed", "U+0080", 0},
    {"noncharacter", "\xef\xbf\xbe", "control characters are not allowed", "U+FFFE", 0},
    {"lone_continuation", "\x80", "invalid leading UTF-8 octet", "byte 0x80", 0},
    {"ff", "\xff", "invalid leading UTF-8 octet", "byte 0xff", 0},
    {"bad_trailing", "\xc3(", "invalid trailing UTF-8 octet", "byte 0x28", 1},
    {"overlong", "\xc0\xaf", "invalid length of a UTF-8 sequence", "overlong encoding of U+002F", 0},
    {"surrogate", "\xed\xa0\x80", "invalid Unicode character", "U+D800", 0},
    {"above_max", "\xf4\x90\x80\x80", "invalid Unicode character", "U+110000", 0},
};

TEST(YamlStream, RefusesWhatGoYamlRefuses) {
  for (const Bad& c : kBad) {
    SCOPED_TRACE(c.name);
    std::string file = kHead + c.bytes + "\n";
    auto err = check_yaml_stream(file);
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->offset, kAt + c.delta);
    EXPECT_EQ(err->message, std::string("yaml: ") + c.go_yaml + " (" + c.detail + ")");
    // The rule file loader reports it and nothing else.
    SourceFile f = load_rules("t.yaml", file);
    ASSERT_EQ(f.diagnostics.size(), 1u);
    EXPECT_EQ(f.diagnostics[0].check_id, "source/invalid-yaml");
    EXPECT_EQ(f.diagnostics[0].offset, kAt + c.delta);
    EXPECT_TRUE(f.expressions.empty());
  }
}

// Printable ASCII is skipped eight bytes at a time: the offending byte is found at every
// position of such a block, and printable text around it is accepted whatever its length.
TEST(YamlStream, FindsTheByteAtEveryAlignment) {
  for (const Bad& c : kBad) {
    for (size_t pad = 0; pad < 20; ++pad) {
      SCOPED_TRACE(std::string(c.name) + " after " + std::to_string(pad) + " bytes");
      const std::string text = "a: " + std::string(pad, 'x') + c.bytes + "yz";
      auto err = check_yaml_stream(text);
      ASSERT_TRUE(err.has_value());
      EXPECT_EQ(err->offset, 3 + pad + c.delta);
    }
  }
  for (size_t len = 0; len < 20; ++len) {
    EXPECT_FALSE(check_yaml_stream(std::string(len, '~') + "\t\r\n").has_value()) << len;
    EXPECT_FALSE(check_yaml_stream(std::string(len, ' ')).has_value()) << len;
  }
}

TEST(YamlStream, TruncatedSequenceAtTheEnd) {
  auto err = check_yaml_stream(kHead + "\xe2\x82");
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->offset, kAt);
  EXPECT_EQ(err->message, "yaml: incomplete UTF-8 octet sequence (byte 0xe2 at the end)");
}

const std::string kGood[] = {
    "\t",                   // tab
    " # caf\xc3\xa9",       // é in a comment
    " # \xc2\x85",          // NEL
    " # \xef\xbb\xbf",      // a BOM inside the text is printable
    " # \xf0\x9f\x94\xa5",  // 4-byte sequence
    " # \xef\xbf\xbd",      // U+FFFD itself
    "\r",
};

TEST(YamlStream, AcceptsWhatGoYamlAccepts) {
  for (const std::string& g : kGood) {
    std::string file = kHead + g + "\n";
    EXPECT_FALSE(check_yaml_stream(file).has_value()) << file;
    EXPECT_TRUE(load_rules("t.yaml", file).diagnostics.empty()) << file;
  }
  EXPECT_FALSE(check_yaml_stream("\xef\xbb\xbfgroups: []\n").has_value());
  // UTF-16 is the YAML parser's business, not a run of invalid octets.
  EXPECT_FALSE(check_yaml_stream(std::string("\xff\xfeg\0r\0", 6)).has_value());
}

TEST(YamlStream, PromtoolAgrees) {
  if (!test::have_program("promtool")) GTEST_SKIP() << "promtool not installed";
  for (const Bad& c : kBad) {
    SCOPED_TRACE(c.name);
    std::string path = test::write_temp(std::string("yaml-stream-") + c.name + ".yaml", kHead + c.bytes + "\n");
    test::CommandResult r = test::run("promtool check rules " + test::shell_quote(path) + " 2>&1");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find(std::string("yaml: ") + c.go_yaml), std::string::npos) << "promtool said:\n" << r.out;
    std::remove(path.c_str());
  }
  for (const std::string& g : kGood) {
    std::string path = test::write_temp("yaml-stream-good.yaml", kHead + g + "\n");
    test::CommandResult r = test::run("promtool check rules " + test::shell_quote(path) + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << g << "\npromtool said:\n" << r.out;
    std::remove(path.c_str());
  }
}

}  // namespace
}  // namespace promvet::sources
