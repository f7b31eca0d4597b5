#include "expfmt/scan.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include <fast_float/fast_float.h>

#include "base/names.h"
#include "base/strings.h"

namespace promvet::expfmt::parser_detail {

namespace {

using base::iequals;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Exact powers of ten as doubles (10^22 is the largest that is exact).
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// The common values ("1027", "0.25", "93859.6"): digits with at most one '.',
// no exponent, the digits read as an integer m at most 2^53. Then m and the
// power of ten are both exact doubles, so one IEEE division is the correctly
// rounded result (Clinger's fast path), as fast_float would give. False when
// the token is not of that shape; the caller then asks fast_float.
bool parse_plain_decimal(const char* p, const char* end, double& out) {
  if (end - p > 20) return false;  // 19 digits and '.' cannot overflow m
  std::uint64_t m = 0;
  const char* const first = p;
  for (; p < end && static_cast<unsigned>(*p - '0') <= 9; ++p) m = m * 10 + static_cast<unsigned>(*p - '0');
  std::size_t digits = static_cast<std::size_t>(p - first);
  std::size_t frac = 0;
  if (p < end && *p == '.') {
    const char* const dot = ++p;
    for (; p < end && static_cast<unsigned>(*p - '0') <= 9; ++p) m = m * 10 + static_cast<unsigned>(*p - '0');
    frac = static_cast<std::size_t>(p - dot);
    digits += frac;
  }
  if (p != end || digits == 0 || digits > 19 || m > (std::uint64_t{1} << 53)) return false;
  out = frac > 0 ? static_cast<double>(m) / kPow10[frac] : static_cast<double>(m);
  return true;
}

// Decimal float after an optional sign; only digits, '.', exponent allowed,
// so fast_float never sees inf/nan spellings or a second sign.
bool parse_decimal(std::string_view s, std::size_t i, bool neg, double& out) {
  if (i >= s.size()) return false;
  if (!is_digit(s[i]) && s[i] != '.') return false;
  if (parse_plain_decimal(s.data() + i, s.data() + s.size(), out)) {
    if (neg) out = -out;
    return true;
  }
  const char* first = s.data() + i;
  const char* last = s.data() + s.size();
  auto r = fast_float::from_chars(first, last, out);
  if (r.ec != std::errc() || r.ptr != last) return false;
  if (std::isinf(out)) return false;  // out of range, as strconv.ErrRange
  if (neg) out = -out;
  return true;
}

// Index after an optional leading '+' or '-'; neg tells which it was.
std::size_t skip_sign(std::string_view s, bool& neg) {
  neg = !s.empty() && s[0] == '-';
  return !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
}

}  // namespace

bool is_legacy_name(std::string_view s, bool colon) {
  return colon ? base::is_legacy_metric_name(s) : base::is_legacy_label_name(s);
}

bool parse_float(std::string_view s, double& out) {
  if (s.empty()) return false;
  bool neg = false;
  std::size_t i = skip_sign(s, neg);
  if (i >= s.size()) return false;
  char c = s[i];
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    std::string_view rest = s.substr(i);
    if (iequals(rest, "inf") || iequals(rest, "infinity")) {
      out = neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
      return true;
    }
    if (i == 0 && iequals(rest, "nan")) {
      out = std::numeric_limits<double>::quiet_NaN();
      return true;
    }
    return false;
  }
  return parse_decimal(s, i, neg, out);
}

bool parse_real(std::string_view s, double& out) {
  if (s.empty()) return false;
  bool neg = false;
  std::size_t i = skip_sign(s, neg);
  return parse_decimal(s, i, neg, out);
}

bool parse_int64(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  bool neg = false;
  std::size_t i = skip_sign(s, neg);
  if (i >= s.size()) return false;
  std::uint64_t v = 0;
  const std::uint64_t limit = neg ? (std::uint64_t{1} << 63) : (std::uint64_t{1} << 63) - 1;
  for (; i < s.size(); ++i) {
    if (!is_digit(s[i])) return false;
    std::uint64_t d = static_cast<std::uint64_t>(s[i] - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  out = neg ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  return true;
}

std::string quote(std::string_view s) {
  constexpr std::size_t kMax = 120;
  bool cut = s.size() > kMax;
  if (cut) s = s.substr(0, kMax);
  std::string out;
  out.reserve(s.size() + 8);
  out.push_back('"');
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t bad = invalid_utf8_at(s);
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && bad != std::string_view::npos && i >= bad)) {
      // Past the first invalid sequence every high byte is shown as \x.. so
      // the message itself stays valid UTF-8.
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  if (cut) out += "...";
  return out;
}

bool FlatHashSet::insert(std::uint64_t h, std::size_t cap) {
  if (h == 0) h = 1;  // 0 marks an empty slot
  if (slots_.empty()) slots_.assign(16, 0);
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    if (slots_[i] == h) return false;
    if (slots_[i] == 0) {
      if (size_ >= cap) return false;
      slots_[i] = h;
      if (++size_ * 4 > slots_.size() * 3) grow();
      return true;
    }
  }
}

bool FlatHashSet::contains(std::uint64_t h) const {
  if (h == 0) h = 1;
  if (slots_.empty()) return false;
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    if (slots_[i] == h) return true;
    if (slots_[i] == 0) return false;
  }
}

void FlatHashSet::clear() {
  if (size_ == 0) return;
  if (slots_.size() > (std::size_t{1} << 16)) {
    std::vector<std::uint64_t>(std::size_t{1} << 12, 0).swap(slots_);
  } else {
    std::fill(slots_.begin(), slots_.end(), 0);
  }
  size_ = 0;
}

void FlatHashSet::grow() {
  std::vector<std::uint64_t> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, 0);
  std::size_t mask = slots_.size() - 1;
  for (std::uint64_t h : old) {
    if (h == 0) continue;
    std::size_t i = h & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = h;
  }
}

}  // namespace promvet::expfmt::parser_detail
