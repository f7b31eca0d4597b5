#pragma once
// What the inventory/* checks share: finding a query's metric in the inventory, names a
// Prometheus server adds on its own, and nearest-name suggestions.
//
// Thread-safety: free functions over const data.
#include <string>
#include <string_view>
#include <vector>

#include "checks/check.h"
#include "inventory/inventory.h"

namespace promvet::checks::inventory_lookup {

// A metric the file itself records (a recording rule's `record:`), so no scrape exposes it.
bool recorded_in_file(const FileContext& file, std::string_view name);

// Labels a server attaches at scrape time ("job", "instance"). They count as known unless the
// inventory came only from a Prometheus server (which already shows them).
bool scrape_time_label(const inventory::Inventory& inv, std::string_view label);

// Levenshtein distance of a and b if it is at most `max`, else max + 1. Bounded work:
// O(len(a) * (2*max+1)).
size_t edit_distance(std::string_view a, std::string_view b, size_t max);

// The candidate nearest to `word` within a distance that grows with its length (none below 3
// bytes, 1 for short words, at most 3); "" when none. Ties go to the first candidate in order.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// The names a query can select for each family (`x_total` for a counter exposed as `x`,
// `x_bucket`/`x_sum`/`x_count` for a histogram...), for did-you-mean.
std::vector<std::string> queryable_names(const inventory::Inventory& inv);

// Whether a name or value in the query came from a Grafana variable, wholly or in part: it is
// whatever the dashboard selects at run time (the saved value, or promvet's placeholder), so it is
// never compared with the inventory.
bool from_variable(const sources::Expression& e, promql::Range r);

// Where a selector's metric name is written: before the braces, or as the __name__ matcher's value.
promql::Range metric_name_range(const promql::VectorSelector& s);

// A selector whose metric name came from a variable: the series it selects, and so the labels
// they have, are picked at run time.
bool metric_from_variable(const sources::Expression& e, const promql::VectorSelector& s);

// Up to `max` items as `"a", "b", "c"` (and ", …" when there are more).
std::string quoted_list(const std::vector<std::string>& items, size_t max = 8);

}  // namespace promvet::checks::inventory_lookup
