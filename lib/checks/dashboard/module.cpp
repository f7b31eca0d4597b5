// The dashboard/* checks, in id order.
#include "checks/registry.h"
#include "checks/dashboard/datasource.h"
#include "checks/dashboard/multi_value_in_name.h"
#include "checks/dashboard/recursive_variable.h"
#include "checks/dashboard/undefined_variable.h"
#include "checks/dashboard/unused_variable.h"

namespace promvet::checks {

void register_dashboard_checks(Registry& r) {
  r.add(std::make_unique<DatasourceCheck>());
  r.add(std::make_unique<MultiValueInNameCheck>());
  r.add(std::make_unique<RecursiveVariableCheck>());
  r.add(std::make_unique<UndefinedVariableCheck>());
  r.add(std::make_unique<UnusedVariableCheck>());
}

}  // namespace promvet::checks
