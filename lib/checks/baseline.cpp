#include "checks/baseline.h"

#include <nlohmann/json.hpp>

#include "io/bounded_read.h"

namespace promvet::checks {
namespace {

// About 200 bytes a finding: over half a million findings. Only keeps /dev/zero from filling memory.
constexpr std::uint64_t kMaxBaselineBytes = 128u << 20;

std::string trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string key(const std::string& check, const std::string& file, const std::string& message,
                const std::string& line_text) {
  std::string k = check;
  for (const std::string* part : {&file, &message, &line_text}) {
    k += '\x1f';
    k += *part;
  }
  return k;
}

std::string key(const Finding& f) { return key(f.check_id, f.file, f.message, trimmed(f.source_line)); }

}  // namespace

bool Baseline::load(const std::string& path, Baseline* out, std::string* error) {
  std::string text;
  if (!io::read_file(path, kMaxBaselineBytes, &text, error)) return false;
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array()) {
    *error = path + ": not a promvet baseline (expected {\"version\": 1, \"findings\": [...]})";
    return false;
  }
  for (const auto& f : doc["findings"]) {
    if (!f.is_object()) continue;
    out->counts_[key(f.value("check", ""), f.value("file", ""), f.value("message", ""), f.value("line_text", ""))]++;
  }
  return true;
}

std::string Baseline::to_json(const std::vector<Finding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const Finding& f : findings)
    list.push_back(
        {{"check", f.check_id}, {"file", f.file}, {"message", f.message}, {"line_text", trimmed(f.source_line)}});
  nlohmann::json doc = {{"version", 1}, {"findings", list}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::vector<Finding> Baseline::new_findings(const std::vector<Finding>& findings) const {
  std::map<std::string, int> left = counts_;
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    auto it = left.find(key(f));
    if (it != left.end() && it->second > 0) {
      --it->second;
      continue;
    }
    out.push_back(f);
  }
  return out;
}

}  // namespace promvet::checks
