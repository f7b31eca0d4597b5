#include "checks/inventory_types.h"

#include "checks/builtin_metadata.h"
#include "inventory/inventory.h"

namespace promvet::checks {

std::optional<FamilyType> InventoryTypes::type_of_family(std::string_view family) const {
  const inventory::Family* f = inventory_.find(family);
  if (!f) return std::nullopt;
  FamilyType t = to_family_type(f->type);
  if (t == FamilyType::Unknown) return std::nullopt;
  return t;
}

}  // namespace promvet::checks
