// A metric inventory: which metric families exist, their type, unit and help, which label names
// their series carry and which values those labels were seen with, and where it was learned.
// Checks use it to tell a typo or a renamed metric from a real one (lib/checks/inventory/).
//
//   inventory::Inventory inv;
//   inventory::InventoryBuilder b(inv, {"http://vllm:8000/metrics", "url", {{"job", "vllm"}}});
//   expfmt::Parser p(expfmt::ParserOptions{expfmt::Format::kText}, b);
//   p.feed(text); p.finish(); b.finish(expfmt::Format::kText);
//   inv.merge(other);                                // several inputs
//   std::string json = inventory::to_json(inv);      // schema: docs/inventory.md
//   inventory::ReadInventory r = inventory::from_json(json);  // r.error on bad input
//
// Memory is bounded by Limits: at most max_label_values values are kept per label (the label
// is then marked capped), max_labels_per_family label names per family and max_families
// families (the inventory is then marked truncated). Nothing here throws on bad input.
// Thread-safety: an Inventory is a plain value; const access from many threads is safe.
//
// The model does not depend on where it came from: an exposition (this file's builder), or the
// Prometheus HTTP API (metadata gives type/help/unit, series gives labels and counts).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expfmt/events.h"

namespace promvet::inventory {

struct Limits {
  std::size_t max_label_values = 100;  // per label of a family
  std::size_t max_labels_per_family = 256;
  std::size_t max_families = 100000;
  std::size_t max_help_bytes = 4096;
};

struct LabelValues {
  std::map<std::string, std::uint64_t, std::less<>> values;  // value → number of series with it
  bool capped = false;  // more distinct values existed than were kept: `values` is incomplete
};

struct Family {
  expfmt::MetricType type = expfmt::MetricType::kUnknown;
  std::string unit;
  std::string help;
  std::uint64_t series = 0;                                // series seen (an exposition's sample lines, API series)
  std::map<std::string, LabelValues, std::less<>> labels;  // label name → observed values
  std::vector<std::string> sources;                        // Source::name values, sorted, unique
};

// One input the inventory was built from.
struct Source {
  std::string name;                                  // file path, "<stdin>", URL, Prometheus server URL
  std::string kind;                                  // "file", "stdin", "url", "prometheus-api"
  std::map<std::string, std::string> target_labels;  // added to every series of this input
  std::string format;                                // "text", "openmetrics", "" when not an exposition
  std::uint64_t samples = 0;                         // samples (or series) read from it
  std::uint64_t errors = 0;                          // format errors reported while reading it
};

class Inventory {
 public:
  explicit Inventory(Limits limits = {}) : limits_(limits) {}

  const Limits& limits() const { return limits_; }
  const std::map<std::string, Family, std::less<>>& families() const { return families_; }
  const std::vector<Source>& sources() const { return sources_; }
  bool truncated() const { return truncated_; }  // families were dropped at max_families
  bool empty() const { return families_.empty(); }

  // Exact family name, or nullptr.
  const Family* find(std::string_view family) const;
  // The family a series name as written in a query belongs to: the family itself, or the family
  // of a `_bucket`/`_sum`/`_count`/`_created` (histogram, summary, or untyped/unknown),
  // `_gsum`/`_gcount` (gauge histogram), `_total`/`_created` (counter) or `_info` (info) series.
  // *family_name (may be null) receives the family's name.
  const Family* find_series(std::string_view series_name, std::string* family_name = nullptr) const;

  // Building. family() returns null when the family is new and max_families is reached.
  Family* family(std::string_view name);
  // Records one series; labels are (name, value) pairs. Applies the caps.
  void add_series(Family& f, const std::vector<std::pair<std::string_view, std::string_view>>& labels);
  void add_label_value(Family& f, std::string_view label, std::string_view value, std::uint64_t series);
  // The label's entry (created empty), or null when max_labels_per_family is reached.
  LabelValues* label(Family& f, std::string_view name);
  void add_source(Source s);
  void set_help(Family& f, std::string_view help);
  void set_truncated() { truncated_ = true; }

  // Adds everything of `other`: families by name, label values (counts add up), series counts
  // add up (different inputs are different targets), sources appended. Type, unit and help:
  // the first known one wins.
  void merge(const Inventory& other);

 private:
  Limits limits_;
  std::map<std::string, Family, std::less<>> families_;
  std::vector<Source> sources_;
  bool truncated_ = false;
};

// Collects an exposition stream into an Inventory. Construct with the source it reads, attach
// to an expfmt::Parser, feed, finish the parser, then call finish() to record the source.
class InventoryBuilder : public expfmt::Handler {
 public:
  InventoryBuilder(Inventory& inventory, Source source);
  void on_metadata(const expfmt::Metadata& m) override;
  void on_sample(const expfmt::Sample& s) override;
  void on_error(const expfmt::Diagnostic& d) override;
  // Records the source (with sample and error counts) in the inventory.
  void finish(expfmt::Format format);

 private:
  Inventory& inventory_;
  Source source_;
  std::vector<std::pair<std::string_view, std::string_view>> scratch_;
};

// Builds an inventory from exposition text in memory (format detected unless given).
Inventory build_from_text(std::string_view text, const Source& source, Limits limits = {},
                          std::optional<expfmt::Format> format = std::nullopt);

// The TYPE-line word ("counter", "gaugehistogram", "untyped", "unknown"...) back to a type;
// nullopt for anything else.
std::optional<expfmt::MetricType> type_from_name(std::string_view name);

inline constexpr int kSchemaVersion = 1;

// Stable, pretty-printed (2-space indent), keys sorted. Schema: docs/inventory.md.
std::string to_json(const Inventory& inventory);

struct ReadInventory {
  std::optional<Inventory> inventory;
  std::string error;  // e.g. `families."x".labels: expected an object`; empty on success
};
// Never throws; any malformed input (bad JSON, wrong types, unknown version) is an error.
ReadInventory from_json(std::string_view json, Limits limits = {});

}  // namespace promvet::inventory
