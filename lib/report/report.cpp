#include "report/report.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace promvet::report {
namespace {

// The caret line copies tabs from the source so it lines up in a terminal;
// every other byte becomes a space. Columns are byte columns.
void append_caret_line(fmt::memory_buffer& buf, std::string_view source, std::uint32_t column) {
  const size_t pad = std::min<size_t>(column > 0 ? column - 1 : 0, source.size());
  for (size_t i = 0; i < pad; ++i) buf.push_back(source[i] == '\t' ? '\t' : ' ');
  buf.push_back('^');
}

// Invalid UTF-8 in user input must not make the JSON writer throw.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t') {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void write_text(std::ostream& out, const std::vector<checks::Finding>& findings, const TextOptions& options) {
  // Formatted into one buffer, written in big blocks: a rule file can have tens of thousands of
  // findings, and a stream write per piece of each cost more than formatting them.
  constexpr size_t kBlock = 1 << 16;
  fmt::memory_buffer buf;
  auto flush = [&] {
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    buf.clear();
  };
  for (const checks::Finding& f : findings) {
    if (f.line > 0) {
      fmt::format_to(std::back_inserter(buf), "{}:{}:{}: {}: {} [{}]\n", f.file, f.line, f.column,
                     checks::severity_name(f.severity), f.message, f.check_id);
    } else {
      fmt::format_to(std::back_inserter(buf), "{}: {}: {} [{}]\n", f.file, checks::severity_name(f.severity), f.message,
                     f.check_id);
    }
    if (options.caret && f.line > 0 && !f.source_line.empty()) {
      // Most source lines are printable as they are: no copy then.
      const std::string_view line = f.source_line;
      const bool plain = std::none_of(line.begin(), line.end(),
                                      [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; });
      const std::string escaped = plain ? std::string() : printable(line);
      const std::string_view src = plain ? line : std::string_view(escaped);
      buf.append(src);
      buf.push_back('\n');
      append_caret_line(buf, src, f.column);
      buf.push_back('\n');
    }
    for (const checks::FindingNote& n : f.notes)
      fmt::format_to(std::back_inserter(buf), "{}:{}:{}: note: {}\n", f.file, n.line, n.column, n.message);
    if (buf.size() >= kBlock) flush();
  }
  flush();
}

void write_json(std::ostream& out, const std::vector<checks::Finding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const checks::Finding& f : findings) {
    nlohmann::json j = {{"check", f.check_id},  {"severity", checks::severity_name(f.severity)},
                        {"message", f.message}, {"file", f.file},
                        {"line", f.line},       {"column", f.column},
                        {"metric", f.metric}};
    // PromQL findings also say where the text ends and which expression, dashboard and panel.
    if (f.end_line > 0) {
      j["end_line"] = f.end_line;
      j["end_column"] = f.end_column;
    }
    if (!f.expr.empty()) j["expr"] = f.expr;
    if (!f.dashboard.empty()) j["dashboard"] = f.dashboard;
    if (!f.panel.empty()) j["panel"] = f.panel;
    if (!f.suggestion.empty()) j["suggestion"] = f.suggestion;
    if (!f.notes.empty()) {
      nlohmann::json notes = nlohmann::json::array();
      for (const checks::FindingNote& n : f.notes)
        notes.push_back({{"line", n.line}, {"column", n.column}, {"message", n.message}});
      j["notes"] = std::move(notes);
    }
    list.push_back(std::move(j));
  }
  nlohmann::json doc = {{"findings", list}};
  // Replace invalid UTF-8 instead of throwing: the input may be binary junk.
  out << doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace promvet::report
