#include "report/report.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace promvet::report {
namespace {

// The caret line copies tabs from the source so it lines up in a terminal;
// every other byte becomes a space. Columns are byte columns.
void append_caret_line(std::string& buf, std::string_view source, std::uint32_t column) {
  const size_t pad = std::min<size_t>(column > 0 ? column - 1 : 0, source.size());
  const size_t at = buf.size();
  buf.append(pad, ' ');  // spaces written at once: a finding's column is often far in (a rule file's expr)
  for (size_t i = source.substr(0, pad).find('\t'); i != std::string_view::npos;
       i = source.substr(0, pad).find('\t', i + 1))
    buf[at + i] = '\t';
  buf.push_back('^');
}

bool control_byte(char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; }

// No control character but tab: the line is printed as it is. Eight bytes at a time (a byte
// loop was most of the report's time on a big rule file's long source lines): a word holds a
// byte below 0x20 exactly when (w - 0x20 in each byte) & ~w has a byte's high bit set, and only
// such a word (a tab, or a control character) is looked at byte by byte.
bool plain_line(std::string_view line) {
  constexpr uint64_t kSpaces = 0x2020202020202020ULL, kHigh = 0x8080808080808080ULL;
  size_t i = 0;
  for (; i + 8 <= line.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, line.data() + i, 8);
    if (((w - kSpaces) & ~w & kHigh) == 0) continue;
    for (size_t k = i; k < i + 8; ++k)
      if (control_byte(line[k])) return false;
  }
  for (; i < line.size(); ++i)
    if (control_byte(line[i])) return false;
  return true;
}

// "{file}:{line}:{column}: " and the rest of a finding's first line, appended piece by piece into
// a std::string (each piece one memcpy; a format string was parsed at every call, and fmt's
// buffer copied the pieces byte by byte: most of the report's time on a big rule file).
void append_finding_line(std::string& buf, const checks::Finding& f) {
  buf.append(f.file);
  if (f.line > 0) {
    buf.push_back(':');
    buf.append(fmt::format_int(f.line).c_str());
    buf.push_back(':');
    buf.append(fmt::format_int(f.column).c_str());
  }
  buf.append(": ");
  buf.append(checks::severity_name(f.severity));
  buf.append(": ");
  buf.append(f.message);
  buf.append(" [");
  buf.append(f.check_id);
  buf.append("]\n");
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
  std::string buf;
  buf.reserve(2 * kBlock);
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
