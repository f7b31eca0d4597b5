// SARIF, GitHub annotations and checkstyle: the machine formats CI systems read.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "report/report.h"

namespace promvet::report {
namespace {

const char* sarif_level(checks::Severity s) {
  switch (s) {
    case checks::Severity::kError: return "error";
    case checks::Severity::kWarning: return "warning";
    case checks::Severity::kInfo: return "note";
  }
  return "warning";
}

// GitHub's workflow-command escaping: data escapes % CR LF; properties also ':' and ','.
std::string github_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string github_property(std::string_view s) {
  std::string out;
  for (char c : github_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

// A file path as an RFC 3986 relative reference: unreserved bytes and '/' stay, the rest is
// percent-encoded (spaces, '%', ':' which would read as a scheme, non-ASCII bytes).
std::string uri_reference(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 has no representation for most control characters: drop them.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void write_sarif(std::ostream& out, const std::vector<checks::Finding>& findings, const SarifOptions& options) {
  std::map<std::string, size_t> rule_index;
  nlohmann::json rules = nlohmann::json::array();
  nlohmann::json results = nlohmann::json::array();
  for (const checks::Finding& f : findings) {
    auto [it, added] = rule_index.emplace(f.check_id, rule_index.size());
    if (added) {
      rules.push_back({{"id", f.check_id},
                       {"shortDescription", {{"text", f.check_id}}},
                       {"helpUri", options.docs_base_uri + f.check_id + ".md"}});
    }
    nlohmann::json result = {{"ruleId", f.check_id},
                             {"ruleIndex", it->second},
                             {"level", sarif_level(f.severity)},
                             {"message", {{"text", f.message}}}};
    nlohmann::json location = {{"artifactLocation", {{"uri", uri_reference(f.file)}}}};
    if (f.line > 0) {
      nlohmann::json region = {{"startLine", f.line}, {"startColumn", std::max<uint32_t>(1, f.column)}};
      if (f.end_line > 0) {
        region["endLine"] = f.end_line;
        region["endColumn"] = std::max<uint32_t>(1, f.end_column);
      }
      if (!f.source_line.empty()) region["snippet"] = {{"text", f.source_line}};
      location["region"] = region;
    }
    result["locations"] = nlohmann::json::array({{{"physicalLocation", location}}});
    results.push_back(std::move(result));
  }
  nlohmann::json driver = {
      {"name", "promvet"}, {"informationUri", "https://github.com/promvet/promvet"}, {"rules", rules}};
  if (!options.tool_version.empty()) driver["version"] = options.tool_version;
  nlohmann::json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", nlohmann::json::array(
                   {{{"tool", {{"driver", driver}}}, {"columnKind", "unicodeCodePoints"}, {"results", results}}})}};
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void write_github(std::ostream& out, const std::vector<checks::Finding>& findings) {
  for (const checks::Finding& f : findings) {
    const char* level = f.severity == checks::Severity::kError     ? "error"
                        : f.severity == checks::Severity::kWarning ? "warning"
                                                                   : "notice";
    std::string props = "file=" + github_property(f.file);
    if (f.line > 0) {
      props += fmt::format(",line={},col={}", f.line, f.column);
      if (f.end_line > 0) props += fmt::format(",endLine={},endColumn={}", f.end_line, f.end_column);
    }
    props += ",title=" + github_property(f.check_id);
    out << "::" << level << ' ' << props << "::" << github_data(f.message) << '\n';
  }
}

void write_checkstyle(std::ostream& out, const std::vector<checks::Finding>& findings) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  // Findings arrive grouped by file (the CLI prints file by file); one <file> per run of them.
  size_t i = 0;
  while (i < findings.size()) {
    const std::string& file = findings[i].file;
    out << "  <file name=\"" << xml_escape(file) << "\">\n";
    for (; i < findings.size() && findings[i].file == file; ++i) {
      const checks::Finding& f = findings[i];
      out << fmt::format(
          "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"promvet.{}\"/>\n", f.line,
          f.column, checks::severity_name(f.severity), xml_escape(f.message), xml_escape(f.check_id));
    }
    out << "  </file>\n";
  }
  out << "</checkstyle>\n";
}

}  // namespace promvet::report
