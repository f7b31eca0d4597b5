// The policy/* checks of `promvet lint`, in id order (the exposition side is in lib/naming).
#include "checks/policy/deprecated_metric.h"
#include "checks/registry.h"

namespace promvet::checks {

void register_policy_checks(Registry& r) { r.add(std::make_unique<DeprecatedMetricCheck>()); }

}  // namespace promvet::checks
