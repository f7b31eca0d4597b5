// The inventory/* checks, in id order. They need an inventory (`promvet lint --inventory`, or
// `inventory:` in .promvet.yaml) and stay silent without one.
#include "checks/inventory/unknown_label.h"
#include "checks/inventory/unknown_label_value.h"
#include "checks/inventory/unknown_metric.h"
#include "checks/registry.h"

namespace promvet::checks {

void register_inventory_checks(Registry& r) {
  r.add(std::make_unique<UnknownLabelCheck>());
  r.add(std::make_unique<UnknownLabelValueCheck>());
  r.add(std::make_unique<UnknownMetricCheck>());
}

}  // namespace promvet::checks
