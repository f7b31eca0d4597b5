#pragma once
// Prometheus durations (prometheus/common model.Duration): parsing with ParseDuration's rules
// and messages, printing as Duration.String().
#include <cstdint>
#include <string>
#include <string_view>

namespace promvet::base {

struct DurationResult {
  int64_t ms = 0;
  // "empty duration string", `not a valid duration string: "1m1h"`,
  // `unknown unit "x" in duration "5x"`, "duration out of range"; empty when valid.
  std::string error;
};
// Whose wording: prometheus/common v0.42 (2023) rewrote ParseDuration. Before it, as in promtool
// 2.42 (the oracle of the rule-file tests), any malformed string is "not a valid duration string"
// and a number too large for its unit "duration out of range"; since, an unknown unit has its own
// message, digits beyond uint64 are "not a valid duration string", and the first problem wins.
enum class DurationWording { kPrometheus3, kPromtool2 };

// model.ParseDuration: "0", or numbers each followed by one of y w d h m s ms, units in
// decreasing order and each at most once; at most int64 nanoseconds (about 292 years).
DurationResult parse_duration(std::string_view text, DurationWording wording = DurationWording::kPrometheus3);

// model.Duration.String() of a number of milliseconds: 1h30m, 90d, 2w, 500ms, -5m, "0s".
std::string format_duration_ms(int64_t ms);

}  // namespace promvet::base
