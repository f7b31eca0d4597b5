#include "base/names.h"

namespace promvet::base {
namespace {

bool is_legacy_name(std::string_view s, bool colon) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':') ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool is_legacy_metric_name(std::string_view name) { return is_legacy_name(name, true); }
bool is_legacy_label_name(std::string_view name) { return is_legacy_name(name, false); }

}  // namespace promvet::base
