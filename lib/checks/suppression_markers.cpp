#include "checks/suppression_markers.h"

#include <ctime>

namespace promvet::checks {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

uint32_t u32(size_t v) { return static_cast<uint32_t>(v); }

// Reads `<id>[,<id>]... [until=DATE]` from s[pos..line_end); `stop` are the characters that end
// an id besides blanks and commas.
void read_ids_and_until(std::string_view s, size_t pos, size_t line_end, std::string_view stop, SuppressionMarker& m) {
  auto ends_id = [&](char c) {
    return is_blank(c) || c == ',' || c == '\r' || c == '\n' || stop.find(c) != std::string_view::npos;
  };
  for (;;) {
    size_t b = pos;
    while (pos < line_end && !ends_id(s[pos])) ++pos;
    if (pos > b) m.ids.push_back({std::string(s.substr(b, pos - b)), u32(b), u32(pos)});
    size_t k = pos;
    while (k < line_end && is_blank(s[k])) ++k;
    if (k < line_end && s[k] == ',') {
      pos = k + 1;
      while (pos < line_end && is_blank(s[pos])) ++pos;
      continue;
    }
    pos = k;
    break;
  }
  constexpr std::string_view kUntil = "until=";
  if (s.substr(pos, kUntil.size()) != kUntil) return;
  size_t b = pos + kUntil.size(), e = b;
  while (e < line_end && !ends_id(s[e])) ++e;
  m.until = std::string(s.substr(b, e - b));
  m.until_offset = u32(b);
  m.until_end_offset = u32(e);
}

}  // namespace

std::vector<SuppressionMarker> find_comment_markers(std::string_view s) {
  std::vector<SuppressionMarker> out;
  uint32_t line = 0;
  size_t p = 0;
  while (p <= s.size()) {
    size_t e = s.find('\n', p);
    if (e == std::string_view::npos) e = s.size();
    for (size_t h = s.find('#', p); h != std::string_view::npos && h < e; h = s.find('#', h + 1)) {
      if (h > p && !is_blank(s[h - 1])) continue;
      size_t q = h + 1;
      while (q < e && is_blank(s[q])) ++q;
      if (s.substr(q, 8) != "promvet:") continue;
      SuppressionMarker m;
      m.offset = u32(q);
      m.line = line;
      q += 8;
      while (q < e && is_blank(s[q])) ++q;
      std::string_view rest = s.substr(q, e - q);
      size_t skip = 0;
      if (rest.rfind("disable-next-line=", 0) == 0) {
        m.form = MarkerForm::kDisableNextLine;
        skip = 18;
      } else if (rest.rfind("disable-file=", 0) == 0) {
        m.form = MarkerForm::kDisableFile;
        skip = 13;
      } else if (rest.rfind("disable=", 0) == 0) {
        skip = 8;
      } else {
        continue;
      }
      read_ids_and_until(s, q + skip, e, "#", m);
      if (!m.ids.empty()) out.push_back(std::move(m));
    }
    if (e == s.size()) break;
    p = e + 1;
    ++line;
  }
  return out;
}

std::vector<SuppressionMarker> find_description_markers(std::string_view s) {
  std::vector<SuppressionMarker> out;
  for (size_t at = s.find("promvet:"); at != std::string_view::npos; at = s.find("promvet:", at + 1)) {
    // The string this is in: back to its unescaped opening quote, then `"description"` and `:`.
    size_t open = at;
    for (;;) {
      open = s.rfind('"', open == 0 ? 0 : open - 1);
      if (open == std::string_view::npos || open == 0) break;
      size_t backslashes = 0;
      while (open - backslashes > 0 && s[open - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) break;
    }
    if (open == std::string_view::npos || open == 0) continue;
    size_t k = open;
    while (k > 0 && (is_blank(s[k - 1]) || s[k - 1] == '\n' || s[k - 1] == '\r')) --k;
    if (k == 0 || s[k - 1] != ':') continue;
    --k;
    while (k > 0 && (is_blank(s[k - 1]) || s[k - 1] == '\n' || s[k - 1] == '\r')) --k;
    constexpr std::string_view kKey = "\"description\"";
    if (k < kKey.size() || s.substr(k - kKey.size(), kKey.size()) != kKey) continue;
    size_t close = s.find('"', at);  // a marker's text has no quote; the string ends at or after it
    size_t end = close == std::string_view::npos ? s.size() : close;
    size_t q = at + 8;
    while (q < end && s[q] == ' ') ++q;
    if (s.substr(q, 8) != "disable=") continue;
    SuppressionMarker m;
    m.offset = u32(at);
    size_t line = 0;
    for (size_t i = 0; i < at; ++i) line += s[i] == '\n';
    m.line = u32(line);
    read_ids_and_until(s, q + 8, end, "\";\\", m);
    if (!m.ids.empty()) out.push_back(std::move(m));
  }
  return out;
}

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  int y = std::stoi(std::string(d.substr(0, 4))), m = std::stoi(std::string(d.substr(5, 2))),
      day = std::stoi(std::string(d.substr(8, 2)));
  if (m < 1 || m > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string utc_today() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace promvet::checks
