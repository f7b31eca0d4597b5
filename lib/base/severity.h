#pragma once
// The one severity of the project: of a check's registry entry, of a loader's diagnostic
// (sources::Diagnostic), of an exposition parser's diagnostic (expfmt::Diagnostic), of a
// finding, of a `.promvet.yaml` override and of every report format. It lives in the bottom
// layer so that each of those layers names the same type and none converts between spellings.
#include <cstdint>
#include <optional>
#include <string_view>

namespace promvet::base {

enum class Severity : std::uint8_t { kInfo, kWarning, kError };

// "info", "warning", "error": the word findings print and `.promvet.yaml` accepts.
std::string_view severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

}  // namespace promvet::base
