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
  const size_t at = buf.size();
  buf.resize(at + pad);  // spaces written at once: a finding's column is often far in (a rule file's expr)
  std::fill_n(buf.data() + at, pad, ' ');
  for (size_t i = source.substr(0, pad).find('\t'); i != std::string_view::npos;
       i = source.substr(0, pad).find('\t', i + 1))
    buf[at + i] = '\t';
  buf.push_back('^');
}

// No control character but tab: the line is printed as it is.
bool plain_line(std::string_view line) {
  bool control = false;
  for (char c : line) control |= static_cast<unsigned char>(c) < 0x20 && c != '\t';  // no early exit: vectorised
  return !control;
}

// "{file}:{line}:{column}: " and the rest of a finding's first line, appended piece by piece (a
// format string is parsed at every call, a third of the report's time on a big rule file).
void append_finding_line(fmt::memory_buffer& buf, const checks::Finding& f) {
  auto add = [&](std::string_view s) { buf.append(s.data(), s.data() + s.size()); };
  add(f.file);
  if (f.line > 0) {
    buf.push_back(':');
    add(fmt::format_int(f.line).str());
    buf.push_back(':');
    add(fmt::format_int(f.column).str());
  }
  add(": ");
  add(checks::severity_name(f.severity));
  add(": ");
  add(f.message);
  add(" [");
  add(f.check_id);
  add("]\n");
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
    append_finding_line(buf, f);
    if (options.caret && f.line > 0 && !f.source_line.empty()) {
      // Most source lines are printable as they are: no copy then.
      const std::string_view line = f.source_line;
      const bool plain = plain_line(line);
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
