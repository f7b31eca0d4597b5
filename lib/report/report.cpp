#include "report/report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace promvet::report {
namespace {

// The caret line copies tabs from the source so it lines up in a terminal;
// every other byte becomes a space. Columns are byte columns.
std::string caret_line(std::string_view source, std::uint32_t column) {
  std::string caret;
  for (std::uint32_t i = 1; i < column && i - 1 < source.size(); ++i) {
    caret += source[i - 1] == '\t' ? '\t' : ' ';
  }
  caret += '^';
  return caret;
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

void write_text(std::ostream& out, const std::vector<checks::Finding>& findings,
                const TextOptions& options) {
  for (const checks::Finding& f : findings) {
    if (f.line > 0) {
      out << fmt::format("{}:{}:{}: {}: {} [{}]\n", f.file, f.line, f.column,
                         checks::severity_name(f.severity), f.message, f.check_id);
    } else {
      out << fmt::format("{}: {}: {} [{}]\n", f.file, checks::severity_name(f.severity),
                         f.message, f.check_id);
    }
    if (options.caret && f.line > 0 && !f.source_line.empty()) {
      std::string src = printable(f.source_line);
      out << src << '\n' << caret_line(src, f.column) << '\n';
    }
    for (const checks::FindingNote& n : f.notes)
      out << fmt::format("{}:{}:{}: note: {}\n", f.file, n.line, n.column, n.message);
  }
}

void write_json(std::ostream& out, const std::vector<checks::Finding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const checks::Finding& f : findings) {
    nlohmann::json j = {{"check", f.check_id},
                        {"severity", checks::severity_name(f.severity)},
                        {"message", f.message},
                        {"file", f.file},
                        {"line", f.line},
                        {"column", f.column},
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
