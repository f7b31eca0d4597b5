// The dashboard/* checks, in id order.
#include "checks/registry.h"
#include "checks/dashboard/datasource.h"
#include "checks/dashboard/undefined_variable.h"
#include "checks/dashboard/unused_variable.h"

namespace promvet::checks {

void register_dashboard_checks(Registry& r) {
  r.add(std::make_unique<DatasourceCheck>());
  r.add(std::make_unique<UndefinedVariableCheck>());
  r.add(std::make_unique<UnusedVariableCheck>());
}

}  // namespace promvet::checks
