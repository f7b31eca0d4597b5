#pragma once
// The check registry: the one list of every id promvet can print. Runnable checks are Check
// objects; ids reported elsewhere (the loaders in lib/sources, the exposition parser and lints in
// lib/expfmt, the policy checks in lib/naming) are info entries (CheckInfo without a Check). Both
// commands' --list-checks, --disable, .promvet.yaml, the docs test and the fixture test read it.
//
// Explicit: make_registry() calls each family's register function (lib/checks/<family>/module.cpp),
// which adds its checks in id order. No self-registering statics.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "checks/check.h"

namespace promvet::checks {

class Registry {
 public:
  void add(std::unique_ptr<Check> check);
  // An id reported by a loader, the exposition parser or a lint outside lib/checks.
  void add_info(const CheckInfo& info);

  // The runnable checks, in registration order.
  const std::vector<std::unique_ptr<Check>>& checks() const { return checks_; }
  // The same in the order the lint driver runs them (kParse checks first, then registration
  // order), each with its info and, for an ExpressionCheck, that view of it: worked out once
  // here rather than sorted, cast and asked for its info on every linted file.
  struct Planned {
    const Check* check;
    CheckInfo info;
    const ExpressionCheck* expression;  // null: a whole-file check
  };
  const std::vector<Planned>& run_order() const { return run_order_; }
  const Check* find(std::string_view id) const;

  // Every id (Check objects and info entries), sorted by id.
  std::vector<CheckInfo> catalogue() const;
  // The ids one command reports (kLintCommand, kMetricsCommand), sorted by id.
  std::vector<CheckInfo> catalogue(Command command) const;
  const CheckInfo* info(std::string_view id) const;
  // Whether `pattern` names an id of the command, or a whole family ("rules/*").
  bool names(std::string_view pattern, Command command) const;
  // The id of the command closest to `pattern` (a typo), or "" when none is close.
  std::string closest(std::string_view pattern, Command command) const;

 private:
  std::vector<std::unique_ptr<Check>> checks_;
  std::vector<CheckInfo> infos_;  // every id, in registration order
  std::vector<Planned> run_order_;
  size_t parse_stage_checks_ = 0;  // the first entries of run_order_
};

// Every built-in check and id.
Registry make_registry();
// The same, built once per process (immutable; for listings and id look-ups).
const Registry& builtin_registry();

// "no such check \"x\"; did you mean \"y\"?" (or "(see --list-checks)"), for --disable and
// .promvet.yaml; empty when `pattern` names an id or family of the command.
std::string unknown_check_error(const Registry& registry, std::string_view pattern, Command command);

void register_dashboard_checks(Registry& r);  // lib/checks/dashboard/module.cpp
void register_expfmt_checks(Registry& r);     // lib/checks/expfmt/module.cpp (info entries)
void register_inventory_checks(Registry& r);  // lib/checks/inventory/module.cpp
void register_policy_checks(Registry& r);     // lib/checks/policy/module.cpp
void register_promql_checks(Registry& r);     // lib/checks/promql/module.cpp
void register_rules_checks(Registry& r);      // lib/checks/rules/module.cpp
void register_source_checks(Registry& r);     // lib/checks/source/module.cpp (info entries)

}  // namespace promvet::checks
