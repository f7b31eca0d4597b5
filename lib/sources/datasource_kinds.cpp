#include "sources/datasource_kinds.h"

#include <string>

namespace promvet::sources {

bool names_prometheus_like_datasource(std::string_view type_or_name) {
  std::string lower(type_or_name);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (std::string_view p : {"prometheus", "victoria", "thanos", "mimir", "cortex"})
    if (lower.find(p) != std::string::npos) return true;
  return false;
}

}  // namespace promvet::sources
