#include "base/duration.h"

#include <limits>

#include "base/go_quote.h"

namespace promvet::base {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct Unit {
  std::string_view name;
  uint64_t ms;
};
// Largest first: the order ParseDuration requires and String() prints.
constexpr Unit kUnits[] = {{"y", 365ULL * 24 * 3600 * 1000},
                           {"w", 7ULL * 24 * 3600 * 1000},
                           {"d", 24ULL * 3600 * 1000},
                           {"h", 3600ULL * 1000},
                           {"m", 60ULL * 1000},
                           {"s", 1000},
                           {"ms", 1}};

}  // namespace

DurationResult parse_duration(std::string_view text, DurationWording wording) {
  DurationResult r;
  if (text == "0") return r;
  if (text.empty()) {
    r.error = "empty duration string";
    return r;
  }
  const bool promtool2 = wording == DurationWording::kPromtool2;
  const auto fail = [&](std::string message) {
    r.ms = 0;
    r.error = std::move(message);
    return r;
  };
  const auto invalid = [&] { return fail("not a valid duration string: " + go_quote(text)); };
  // promtool 2 checks the whole syntax first (a regular expression), the range after.
  bool out_of_range = false;
  // Prometheus holds a duration as int64 nanoseconds.
  constexpr uint64_t kNsPerMs = 1000000;
  constexpr uint64_t kMaxNs = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  uint64_t total_ns = 0;
  size_t next_unit = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    if (!is_digit(text[pos])) return invalid();
    uint64_t n = 0;
    bool too_long = false;  // beyond uint64: strconv.ParseUint fails
    for (; pos < text.size() && is_digit(text[pos]); ++pos)
      if (__builtin_mul_overflow(n, uint64_t{10}, &n) ||
          __builtin_add_overflow(n, static_cast<uint64_t>(text[pos] - '0'), &n))
        too_long = true;
    if (too_long && !promtool2) return invalid();
    const size_t unit_begin = pos;
    while (pos < text.size() && !is_digit(text[pos])) ++pos;
    if (pos == unit_begin) return invalid();
    const std::string_view unit = text.substr(unit_begin, pos - unit_begin);
    size_t k = 0;
    while (k < std::size(kUnits) && kUnits[k].name != unit) ++k;
    if (k == std::size(kUnits)) {
      if (promtool2) return invalid();
      return fail("unknown unit " + go_quote(unit) + " in duration " + go_quote(text));
    }
    if (k < next_unit) return invalid();  // out of order or repeated
    next_unit = k + 1;
    const uint64_t unit_ns = kUnits[k].ms * kNsPerMs;
    if (too_long || n > (uint64_t{1} << 63) / unit_ns || (total_ns += n * unit_ns) > kMaxNs) {
      if (!promtool2) return fail("duration out of range");
      out_of_range = true;
    }
  }
  if (out_of_range) return fail("duration out of range");
  r.ms = static_cast<int64_t>(total_ns / kNsPerMs);
  return r;
}

std::string format_duration_ms(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  uint64_t v;
  if (ms < 0) {
    out = "-";
    v = static_cast<uint64_t>(-(ms + 1)) + 1;
  } else {
    v = static_cast<uint64_t>(ms);
  }
  for (const Unit& u : kUnits) {
    // Years and weeks only when they divide exactly: 90d reads better than 12w6d.
    const bool exact_only = u.name == "y" || u.name == "w";
    if (exact_only && v % u.ms != 0) continue;
    const uint64_t n = v / u.ms;
    if (n > 0) {
      out += std::to_string(n);
      out += u.name;
      v -= n * u.ms;
    }
  }
  return out;
}

}  // namespace promvet::base
