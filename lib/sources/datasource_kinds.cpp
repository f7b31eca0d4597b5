#include "sources/datasource_kinds.h"

#include "base/strings.h"

#include <string>

namespace promvet::sources {

bool names_prometheus_like_datasource(std::string_view type_or_name) {
  const std::string lower = base::ascii_lower(type_or_name);
  for (std::string_view p : {"prometheus", "victoria", "thanos", "mimir", "cortex"})
    if (lower.find(p) != std::string::npos) return true;
  return false;
}

}  // namespace promvet::sources
