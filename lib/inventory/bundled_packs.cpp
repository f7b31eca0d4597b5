#include "inventory/bundled_packs.h"

#include <algorithm>

#include "inventory/bundled_packs_data_internal.h"

namespace promvet::inventory::bundled {
namespace {

std::string_view text(data::Text t) { return std::string_view(data::kPool + t.offset, t.size); }

}  // namespace

std::size_t pack_count() { return data::kPackCount; }
std::string_view pack_name(std::size_t pack) { return text(data::kPacks[pack].name); }
std::string_view pack_path(std::size_t pack) { return text(data::kPacks[pack].path); }
std::size_t pack_first(std::size_t pack) { return data::kPacks[pack].first; }
std::size_t pack_size(std::size_t pack) { return data::kPacks[pack].size; }
std::size_t family_count() { return data::kFamilyCount; }
std::size_t distinct_family_count() { return data::kByNameCount; }

PackFamily family(std::size_t i) {
  const data::Family& f = data::kFamilies[i];
  PackFamily out;
  out.name = text(f.name);
  out.type = static_cast<expfmt::MetricType>(f.type);
  out.unit = text(f.unit);
  out.labels = text(f.labels);
  out.version = text(f.version);
  return out;
}

std::size_t pack_of(std::size_t i) {
  const data::Pack* end = data::kPacks + data::kPackCount;
  const data::Pack* p =
      std::upper_bound(data::kPacks, end, i, [](std::size_t n, const data::Pack& pack) { return n < pack.first; });
  return static_cast<std::size_t>(p - data::kPacks) - 1;
}

std::optional<std::size_t> find(std::string_view name) {
  const std::uint32_t* end = data::kByName + data::kByNameCount;
  const std::uint32_t* it = std::lower_bound(
      data::kByName, end, name, [](std::uint32_t i, std::string_view n) { return text(data::kFamilies[i].name) < n; });
  if (it == end || text(data::kFamilies[*it].name) != name) return std::nullopt;
  return *it;
}

}  // namespace promvet::inventory::bundled
