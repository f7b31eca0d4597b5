#pragma once
// The list of checks `promvet lint` runs. Explicit: registry.cpp calls each family's register
// function (lib/checks/<family>/module.cpp), which adds its checks in id order. No
// self-registering statics.
#include <memory>
#include <string_view>
#include <vector>

#include "checks/check.h"

namespace promvet::checks {

class Registry {
 public:
  void add(std::unique_ptr<Check> check);
  const std::vector<std::unique_ptr<Check>>& checks() const { return checks_; }
  const Check* find(std::string_view id) const;

 private:
  std::vector<std::unique_ptr<Check>> checks_;
};

// Every built-in check.
Registry make_registry();

void register_promql_checks(Registry& r);     // lib/checks/promql/module.cpp
void register_rules_checks(Registry& r);      // lib/checks/rules/module.cpp
void register_dashboard_checks(Registry& r);  // lib/checks/dashboard/module.cpp
void register_inventory_checks(Registry& r);  // lib/checks/inventory/module.cpp
void register_policy_checks(Registry& r);     // lib/checks/policy/module.cpp

}  // namespace promvet::checks
