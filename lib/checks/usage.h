#pragma once
// Which metrics dashboards and rule files use, compared with an inventory of the metrics that
// exist: where each metric is used, metrics used but missing from the inventory, inventory
// metrics never used (with their series counts: the cardinality paid for nothing), and label
// names queried on metrics that do not have them.
//
//   UsageCollector c;
//   for (each file) c.add(source_file, content);   // positions come from the file's content
//   UsageReport r = c.finish(&inventory);           // inventory may be null: no missing/unused
//
// Thread-compatible: one collector per thread, or add() under a lock.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sources/source.h"

namespace promvet::inventory {
class Inventory;
}

namespace promvet::checks {

struct UseSite {
  std::string file;
  uint64_t line = 0;
  uint32_t column = 0;
  std::string kind;       // "panel target", "alerting rule", ... (sources::to_string)
  std::string dashboard;  // title or uid
  std::string panel;      // panel title
  std::string rule;       // record/alert name
};

struct UsedMetric {
  std::string name;           // as written in the query (`x_bucket`)
  std::string family;         // the inventory family it belongs to ("" when missing)
  std::string type;           // the family's type in the inventory; else "recorded" (a recording
                              // rule in the linted files writes it), "synthetic" (`up`, `scrape_*`,
                              // `ALERTS`: Prometheus writes them; only for exposition inventories)
                              // or "" (missing)
  uint64_t series = 0;        // the family's series count in the inventory
  std::vector<UseSite> uses;  // in file order
};

struct UnusedMetric {
  std::string family;
  std::string type;
  uint64_t series = 0;
};

struct UnknownLabel {
  std::string metric, label;
  UseSite at;  // first use
  uint64_t uses = 0;
};

struct UsageReport {
  uint64_t files = 0, expressions = 0, unparsed_expressions = 0;
  bool has_inventory = false;
  uint64_t inventory_families = 0, inventory_series = 0;
  std::vector<UsedMetric> used;              // sorted by name
  std::vector<UsedMetric> missing;           // used, not in the inventory; sorted by name
  std::vector<UnusedMetric> unused;          // in the inventory, never used; most series first
  std::vector<UnknownLabel> unknown_labels;  // sorted by metric, label
  uint64_t unused_series() const;
};

class UsageCollector {
 public:
  void add(const sources::SourceFile& file, std::string_view content);
  UsageReport finish(const inventory::Inventory* inventory) const;

 private:
  struct Use {
    std::string metric;
    std::vector<std::string> labels;  // matcher and grouping labels applied to this selector
    UseSite at;
  };
  std::vector<Use> uses_;
  std::vector<std::string> recorded_;  // recording rule names seen
  uint64_t files_ = 0, expressions_ = 0, unparsed_ = 0;
};

}  // namespace promvet::checks
