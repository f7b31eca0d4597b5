#include "fixture_expectations.h"

#include <regex>
#include <sstream>

namespace promvet::test {

bool FixtureHeader::compares(const std::string& id) const {
  if (checks.empty()) return true;
  for (const std::string& c : checks) {
    if (c == id) return true;
    if (c.size() > 2 && c.compare(c.size() - 2, 2, "/*") == 0 && id.compare(0, c.size() - 1, c, 0, c.size() - 1) == 0)
      return true;
  }
  return false;
}

std::uint64_t FixtureHeader::number(const std::string& key, std::uint64_t fallback) const {
  auto it = options.find(key);
  return it == options.end() ? fallback : std::stoull(it->second);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

bool is_comment(const std::string& line) {
  size_t i = line.find_first_not_of(" \t");
  return i != std::string::npos && line[i] == '#';
}

std::vector<Expectation> inline_expectations(const std::vector<std::string>& lines,
                                             const std::function<bool(const std::string&)>& free_comment) {
  static const std::regex kExpect(
      R"(#\s*expect(\+(\d+))?(@(\d+))?:\s*(\S+)\s*(?:\[(info|warning|error)\]\s*)?(.*?)\s*$)");
  std::vector<Expectation> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_search(lines[i], m, kExpect)) continue;
    Expectation e;
    e.id = m[5];
    e.severity = m[6];
    e.substring = m[7];
    e.column = m[4].matched ? static_cast<uint32_t>(std::stoul(m[4])) : 0;
    e.where = "line " + std::to_string(i + 1);
    if (m[1].matched) {
      e.line = i + 1 + std::stoul(m[2]);
    } else {
      size_t j = i + 1;
      while (j < lines.size() && free_comment(lines[j])) ++j;
      e.line = j + 1;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Expectation> sidecar_expectations(const std::string& text, const std::string& where,
                                              std::vector<std::string>* errors) {
  static const std::regex kLine(R"(^(\d+):(\d+)\s+(\S+)\s*(?:\[(info|warning|error)\]\s*)?(.*?)\s*$)");
  std::vector<Expectation> out;
  std::vector<std::string> lines = split_lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i][0] == '#') continue;
    std::smatch m;
    if (!std::regex_match(lines[i], m, kLine)) {
      errors->push_back(where + ":" + std::to_string(i + 1) + ": bad expectation line");
      continue;
    }
    Expectation e;
    e.line = std::stoull(m[1]);
    e.column = static_cast<uint32_t>(std::stoul(m[2]));
    e.id = m[3];
    e.severity = m[4];
    e.substring = m[5];
    e.where = where + ":" + std::to_string(i + 1);
    out.push_back(std::move(e));
  }
  return out;
}

FixtureHeader fixture_header(const std::vector<std::string>& lines) {
  static const std::regex kHeader(R"(^\s*#\s*fixture:\s*(.*)$)");
  FixtureHeader h;
  for (const std::string& line : lines) {
    std::smatch m;
    if (!std::regex_match(line, m, kHeader)) continue;
    std::istringstream words(m[1].str());
    for (std::string word; words >> word;) {
      size_t eq = word.find('=');
      if (eq == std::string::npos) continue;
      std::string key = word.substr(0, eq), value = word.substr(eq + 1);
      if (key != "checks") {
        h.options[key] = value;
        continue;
      }
      std::istringstream ids(value);
      for (std::string id; std::getline(ids, id, ',');)
        if (!id.empty()) h.checks.push_back(id);
    }
  }
  return h;
}

}  // namespace promvet::test
