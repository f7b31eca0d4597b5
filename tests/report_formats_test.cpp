// SARIF (validated by Microsoft's SARIF Multitool when installed), GitHub annotations and
// checkstyle XML (checked well-formed by Python's XML parser).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "report/report.h"
#include "test_support.h"

namespace promvet::test {
namespace {

std::vector<checks::Finding> sample_findings() {
  checks::Finding a;
  a.check_id = "promql/invalid";
  a.severity = checks::Severity::kError;
  a.message = "unexpected identifier \"bar\" in label matching, expected \",\" or \"}\"";
  a.file = "dashboards/a b.json";
  a.line = 12;
  a.column = 30;
  a.end_line = 12;
  a.end_column = 33;
  a.source_line = "      \"expr\": \"foo{a=\\\"b\\\" bar}\",";
  a.expr = "foo{a=\"b\" bar}";
  a.panel = "Errors, 5xx: <all> & more";
  checks::Finding b;
  b.check_id = "rules/unknown-field";
  b.severity = checks::Severity::kWarning;
  b.message = "field exprr not found in type rulefmt.RuleNode\n(50% sure)";
  b.file = "rules.yml";
  b.line = 4;
  b.column = 7;
  checks::Finding c;
  c.check_id = "source/too-large";
  c.severity = checks::Severity::kInfo;
  c.message = "file has no position";
  c.file = "big.json";
  return {a, b, c};
}

std::string sarif_multitool() {
  if (const char* env = std::getenv("PROMVET_SARIF_MULTITOOL")) return env;
  std::string bundled = source_dir() + "/.tools/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";
  return access(bundled.c_str(), X_OK) == 0 ? bundled : std::string();
}

TEST(ReportFormats, SarifHasRulesResultsAndRegions) {
  std::ostringstream out;
  report::write_sarif(out, sample_findings(), {"1.2.3"});
  nlohmann::json doc = nlohmann::json::parse(out.str());
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "promvet");
  EXPECT_EQ(run["tool"]["driver"]["version"], "1.2.3");
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 3u);
  ASSERT_EQ(run["results"].size(), 3u);
  const auto& r0 = run["results"][0];
  EXPECT_EQ(r0["level"], "error");
  EXPECT_EQ(r0["ruleId"], "promql/invalid");
  const auto& region = r0["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(region["startLine"], 12);
  EXPECT_EQ(region["startColumn"], 30);
  EXPECT_EQ(region["endColumn"], 33);
  EXPECT_EQ(r0["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "dashboards/a%20b.json");
  EXPECT_EQ(run["results"][2]["level"], "note");
  EXPECT_FALSE(run["results"][2]["locations"][0]["physicalLocation"].contains("region"));
}

TEST(ReportFormats, SarifPassesTheSarifMultitoolValidator) {
  std::string tool = sarif_multitool();
  if (tool.empty())
    GTEST_SKIP()
        << "Microsoft SARIF Multitool not installed (tools/dev.sh test installs it with npm into .tools/sarif; "
           "or set PROMVET_SARIF_MULTITOOL)";
  std::ostringstream out;
  report::write_sarif(out, sample_findings(), {"1.2.3"});
  std::string in = write_temp("report.sarif", out.str());
  std::string log = in + ".validation.sarif";
  std::remove(log.c_str());  // the validator will not overwrite
  CommandResult r = run(shell_quote(tool) + " validate " + shell_quote(in) + " -o " + shell_quote(log), 120);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Analysis completed successfully"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(": error "), std::string::npos) << r.out;
  // The validator's own log lists every rule it applied; none may have failed with level error.
  nlohmann::json validation = nlohmann::json::parse(read_file(log));
  for (const auto& result : validation["runs"][0]["results"])
    EXPECT_NE(result.value("level", ""), "error") << result.dump();
  std::remove(in.c_str());
  std::remove(log.c_str());
}

TEST(ReportFormats, GithubAnnotationsEscapeDataAndProperties) {
  std::ostringstream out;
  report::write_github(out, sample_findings());
  std::istringstream lines(out.str());
  std::string l0, l1, l2;
  std::getline(lines, l0);
  std::getline(lines, l1);
  std::getline(lines, l2);
  EXPECT_EQ(l0,
            "::error file=dashboards/a b.json,line=12,col=30,endLine=12,endColumn=33,title=promql/invalid::"
            "unexpected identifier \"bar\" in label matching, expected \",\" or \"}\"");
  EXPECT_EQ(l1,
            "::warning file=rules.yml,line=4,col=7,title=rules/unknown-field::"
            "field exprr not found in type rulefmt.RuleNode%0A(50%25 sure)");
  EXPECT_EQ(l2, "::notice file=big.json,title=source/too-large::file has no position");
}

TEST(ReportFormats, CheckstyleIsWellFormedXml) {
  std::ostringstream out;
  auto findings = sample_findings();
  findings[1].message += " <&> \x01";
  report::write_checkstyle(out, findings);
  std::string xml = out.str();
  EXPECT_NE(xml.find("<file name=\"dashboards/a b.json\">"), std::string::npos);
  EXPECT_NE(xml.find("source=\"promvet.promql/invalid\""), std::string::npos);
  EXPECT_NE(xml.find("&lt;&amp;&gt;"), std::string::npos);
  if (!have_program("python3")) GTEST_SKIP() << "python3 not found: cannot check well-formedness";
  std::string path = write_temp("checkstyle.xml", xml);
  CommandResult r =
      run("python3 -c \"import sys,xml.etree.ElementTree as E; t=E.parse(sys.argv[1]); "
          "print(len(t.getroot().findall('file')), len(t.getroot().findall('file/error')))\" " +
              shell_quote(path),
          60);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "3 3\n");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace promvet::test

namespace promvet::test {
namespace {

// The text report's source and caret lines, as write_text documents them: a line with a control
// character (but tab) is printed escaped, tabs are kept in the caret line. Every position of the
// character in lines of 1 to 40 bytes (write_text looks at 8 bytes at a time), each control
// character and a few bytes beside them, against a byte-by-byte reference.
TEST(ReportFormats, TextEscapesControlCharactersAnywhereInTheSourceLine) {
  auto expected = [](const checks::Finding& f) {
    std::string src;
    for (unsigned char ch : f.source_line) {
      if (ch < 0x20 && ch != '\t') {
        static const char* const kHex = "0123456789abcdef";
        src += "\\x";
        src += kHex[ch >> 4];
        src += kHex[ch & 15];
      } else {
        src += static_cast<char>(ch);
      }
    }
    std::string caret;
    for (size_t i = 0; i + 1 < f.column && i < src.size(); ++i) caret += src[i] == '\t' ? '\t' : ' ';
    return f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ": warning: m [c/id]\n" + src +
           "\n" + caret + "^\n";
  };
  size_t escaped = 0;
  for (size_t len = 1; len <= 40; ++len) {
    for (size_t at = 0; at < len; ++at) {
      for (int ch : {0x00, 0x01, 0x09, 0x0a, 0x1b, 0x1f, 0x20, 0x7f, 0x80, 0xc3}) {
        checks::Finding f;
        f.check_id = "c/id";
        f.severity = checks::Severity::kWarning;
        f.message = "m";
        f.file = "f.yaml";
        f.line = 3;
        f.column = static_cast<uint32_t>(1 + (at * 7) % (len + 3));
        f.source_line = std::string(len, 'x');
        f.source_line[at] = static_cast<char>(ch);
        std::ostringstream out;
        report::write_text(out, {f});
        ASSERT_EQ(out.str(), expected(f)) << "length " << len << ", byte " << ch << " at " << at;
        escaped += out.str().find("\\x") != std::string::npos;
      }
    }
  }
  EXPECT_EQ(escaped, 820u * 5);  // 0x00, 0x01, 0x0a, 0x1b and 0x1f at each of the 820 places
}

}  // namespace
}  // namespace promvet::test
