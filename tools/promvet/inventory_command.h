// `promvet inventory`: build a metric inventory (docs/inventory.md) from expositions and merge
// inventories.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "checks/config.h"
#include "input_flags.h"
#include "inventory/inventory.h"
#include "naming/policy.h"

namespace promvet::cli {

// Options of reading an inventory from a Prometheus-compatible HTTP API (--from-prometheus).
struct ApiFlags {
  std::string url;
  std::vector<std::string> match;  // series selectors; empty: every metric
  std::size_t series_limit = 500000;
};
void add_api_flags(CLI::App* cmd, ApiFlags* flags);

// Reads the API into `into` (fetch settings from the shared input flags); warnings (partial
// reads, the server's warnings) and errors go to stderr. False on error.
bool merge_prometheus_api(const ApiFlags& api, const InputFlags& input, inventory::Inventory& into);

// Registers the subcommand; when it runs, its exit code goes to *exit_code.
void add_inventory_command(CLI::App& app, int* exit_code);

// What `promvet lint` needs for the inventory/* checks.
struct LintInventory {
  inventory::Inventory inventory;
  std::vector<naming::Policy> policies;  // renames of deprecated metrics (loaded with or without inventory)
  bool loaded = false;                   // an inventory was given
};

// Loads the naming-policy packs (--policy, then the config's `policies:`) and --inventory (or the
// config's `inventory:`; both relative to the config's directory): an inventory .json, or an
// exposition file or http(s) URL read on the fly. False with the error printed on stderr.
bool load_lint_inventory(const std::string& inventory_flag, const std::vector<std::string>& policy_flags,
                         const checks::Config& config, LintInventory* out);

}  // namespace promvet::cli
