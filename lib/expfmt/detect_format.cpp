// detect_format: picks text 0.0.4 or OpenMetrics from what a caller knows
// before parsing (see parser.h).
#include <string_view>

#include "expfmt/parser.h"

namespace promvet::expfmt {

namespace {

bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    for (; k < needle.size(); ++k) {
      char c = hay[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != needle[k]) break;
    }
    if (k == needle.size()) return true;
  }
  return false;
}

bool om_only_type(std::string_view w) {
  return w == "info" || w == "stateset" || w == "gaugehistogram" || w == "unknown";
}

bool head_says_openmetrics(std::string_view head) {
  if (head.find(" # {") != std::string_view::npos) return true;
  std::size_t pos = 0;
  while (pos < head.size()) {
    std::size_t nl = head.find('\n', pos);
    bool complete = nl != std::string_view::npos;
    std::string_view line = head.substr(pos, complete ? nl - pos : std::string_view::npos);
    pos = complete ? nl + 1 : head.size();
    if (line.substr(0, 7) == "# UNIT ") return true;
    if (line.substr(0, 7) == "# TYPE " && complete) {
      std::size_t sp = line.rfind(' ');
      if (sp > 7 && om_only_type(line.substr(sp + 1))) return true;
    }
  }
  return false;
}

bool tail_ends_with_eof(std::string_view tail) {
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.remove_suffix(1);
  constexpr std::string_view kEof = "# EOF";
  if (tail.size() < kEof.size() || tail.substr(tail.size() - kEof.size()) != kEof) return false;
  return tail.size() == kEof.size() || tail[tail.size() - kEof.size() - 1] == '\n';
}

}  // namespace

Format detect_format(std::string_view content_type, std::string_view head, std::string_view tail) {
  if (icontains(content_type, "application/openmetrics-text")) return Format::kOpenMetrics;
  if (tail_ends_with_eof(tail) || head_says_openmetrics(head)) return Format::kOpenMetrics;
  return Format::kText;
}

}  // namespace promvet::expfmt
