// The promql/* checks, in id order.
#include "checks/registry.h"
#include "checks/promql/counter_without_rate.h"

namespace promvet::checks {

void register_promql_checks(Registry& r) {
  r.add(std::make_unique<CounterWithoutRateCheck>());
}

}  // namespace promvet::checks
