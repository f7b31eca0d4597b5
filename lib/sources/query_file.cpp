#include "sources/query_file.h"
#include "sources/diagnostic_ids.h"

#include <string>

namespace promvet::sources {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Adds the ids after `marker` ("promvet: disable=") in a comment line to `ids`.
bool read_marker(std::string_view comment, std::string_view marker, std::vector<std::string>& ids) {
  size_t at = comment.find(marker);
  if (at == std::string_view::npos) return false;
  std::string_view rest = comment.substr(at + marker.size());
  while (!rest.empty()) {
    size_t comma = rest.find_first_of(", \t");
    std::string_view id = rest.substr(0, comma);
    if (!id.empty()) ids.emplace_back(id);
    if (comma == std::string_view::npos || rest[comma] != ',') break;
    rest.remove_prefix(comma + 1);
  }
  return true;
}

}  // namespace

SourceFile load_queries(std::string_view path, std::string_view content, const LoadOptions& options) {
  SourceFile out;
  out.path = std::string(path);
  if (content.size() > options.max_bytes) {
    Diagnostic d;
    d.check_id = ids::kTooLarge;
    d.message = "file is larger than " + std::to_string(options.max_bytes) + " bytes";
    out.diagnostics.push_back(std::move(d));
    return out;
  }
  std::vector<std::string> pending;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    size_t line_end = nl == std::string_view::npos ? content.size() : nl;
    std::string_view line = content.substr(pos, line_end - pos);
    std::string_view text = trim(line);
    if (!text.empty() && text.front() == '#') {
      if (!read_marker(text, "promvet: disable-file=", out.file_disabled_checks))
        read_marker(text, "promvet: disable=", pending);
    } else if (!text.empty()) {
      Expression e;
      e.kind = ExpressionKind::Query;
      e.text = std::string(text);
      e.original = e.text;
      uint32_t begin = static_cast<uint32_t>(pos + static_cast<size_t>(text.data() - line.data()));
      e.map.to_file.resize(text.size() + 1);
      for (size_t i = 0; i <= text.size(); ++i) e.map.to_file[i] = begin + static_cast<uint32_t>(i);
      e.disabled_checks = std::move(pending);
      pending.clear();
      out.expressions.push_back(std::move(e));
    }
    pos = line_end + 1;
  }
  return out;
}

}  // namespace promvet::sources
