#include "checks/registry.h"

namespace promvet::checks {

void Registry::add(std::unique_ptr<Check> check) { checks_.push_back(std::move(check)); }

const Check* Registry::find(std::string_view id) const {
  for (const auto& c : checks_)
    if (c->info().id == id) return c.get();
  return nullptr;
}

Registry make_registry() {
  Registry r;
  register_dashboard_checks(r);
  register_inventory_checks(r);
  register_policy_checks(r);
  register_promql_checks(r);
  register_rules_checks(r);
  return r;
}

}  // namespace promvet::checks
