// The rules/* checks, in id order.
#include "checks/registry.h"

namespace promvet::checks {

void register_rules_checks(Registry& r) {
  (void)r;
}

}  // namespace promvet::checks
