#pragma once
// Builds an Inventory from a Prometheus-compatible HTTP API (see prometheus_api.h): metadata
// gives families their type, help and unit; every series adds its labels and counts to its
// family (`x_bucket` joins histogram `x`, as Inventory::find_series resolves it; a series whose
// family has no metadata becomes a family of unknown type).
//
//   Inventory inv;
//   ApiResult r = read_inventory_from_api("http://prometheus:9090", ApiOptions(), inv);
//   if (!r.ok) fail(r.error); else if (r.partial) warn(r.warnings);
#include <string>

#include "inventory/inventory.h"
#include "inventory/prometheus_api.h"

namespace promvet::inventory {

// Adds what the API returns to `out` and records the server as a Source (kind "prometheus-api").
// A partial read leaves the inventory with what was read, and marks it truncated.
ApiResult read_inventory_from_api(const std::string& base_url, const ApiOptions& options, Inventory& out);

}  // namespace promvet::inventory
