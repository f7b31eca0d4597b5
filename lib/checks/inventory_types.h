#pragma once
// Metric types from an inventory, for MetricTypes: the TYPE a family was exposed with.
//
//   inventory::Inventory inv = ...;
//   InventoryTypes types(inv);          // must not outlive inv
//   MetricTypes t(expressions, &types);
//
// Answers only for families whose type is known: "unknown" and "untyped" families give nullopt,
// so name and usage inference still apply to them. Thread-safety: const, shareable.
#include "checks/metric_types.h"

namespace promvet::inventory {
class Inventory;
}

namespace promvet::checks {

class InventoryTypes final : public TypeSource {
 public:
  explicit InventoryTypes(const inventory::Inventory& inventory) : inventory_(inventory) {}
  std::optional<FamilyType> type_of_family(std::string_view family) const override;

 private:
  const inventory::Inventory& inventory_;
};

}  // namespace promvet::checks
