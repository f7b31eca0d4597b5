#include "checks/registry.h"

#include <algorithm>

#include "checks/inventory/lookup.h"

namespace promvet::checks {

void Registry::add(std::unique_ptr<Check> check) {
  infos_.push_back(check->info());
  const Planned planned{check.get(), infos_.back(), dynamic_cast<const ExpressionCheck*>(check.get())};
  if (planned.info.stage == Stage::kParse)
    run_order_.insert(run_order_.begin() + static_cast<std::ptrdiff_t>(parse_stage_checks_++), planned);
  else run_order_.push_back(planned);
  checks_.push_back(std::move(check));
}

void Registry::add_info(const CheckInfo& info) { infos_.push_back(info); }

const Check* Registry::find(std::string_view id) const {
  for (const auto& c : checks_)
    if (c->info().id == id) return c.get();
  return nullptr;
}

std::vector<CheckInfo> Registry::catalogue() const {
  std::vector<CheckInfo> all = infos_;
  std::sort(all.begin(), all.end(), [](const CheckInfo& a, const CheckInfo& b) { return a.id < b.id; });
  return all;
}

std::vector<CheckInfo> Registry::catalogue(Command command) const {
  std::vector<CheckInfo> all = catalogue();
  all.erase(std::remove_if(all.begin(), all.end(), [&](const CheckInfo& c) { return !(c.commands & command); }),
            all.end());
  return all;
}

const CheckInfo* Registry::info(std::string_view id) const {
  for (const CheckInfo& c : infos_)
    if (c.id == id) return &c;
  return nullptr;
}

bool Registry::names(std::string_view pattern, Command command) const {
  const bool family = pattern.size() > 2 && pattern.substr(pattern.size() - 2) == "/*";
  for (const CheckInfo& c : infos_) {
    if (!(c.commands & command)) continue;
    if (family ? c.id.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0 : c.id == pattern) return true;
  }
  return false;
}

std::string Registry::closest(std::string_view pattern, Command command) const {
  // A third of the length, at least 2: "promql/invlid" → "promql/invalid", not any id.
  const size_t max = std::max<size_t>(2, pattern.size() / 3);
  std::string best;
  size_t best_distance = max + 1;
  for (const CheckInfo& c : catalogue(command)) {
    size_t d = inventory_lookup::edit_distance(pattern, c.id, max);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(c.id);
    }
  }
  return best;
}

Registry make_registry() {
  Registry r;
  register_dashboard_checks(r);
  register_expfmt_checks(r);
  register_inventory_checks(r);
  register_policy_checks(r);
  register_promql_checks(r);
  register_rules_checks(r);
  register_source_checks(r);
  return r;
}

const Registry& builtin_registry() {
  static const Registry registry = make_registry();
  return registry;
}

std::string unknown_check_error(const Registry& registry, std::string_view pattern, Command command) {
  if (registry.names(pattern, command)) return {};
  std::string message = "no such check \"" + std::string(pattern) + "\"";
  std::string guess = registry.closest(pattern, command);
  return message + (guess.empty() ? " (see --list-checks)" : "; did you mean \"" + guess + "\"?");
}

}  // namespace promvet::checks
