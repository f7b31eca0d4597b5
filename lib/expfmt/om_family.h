// OpenMetrics 1.0 semantics over lexed lines: family resolution by
// type-specific suffixes, metadata placement, clashing names, metric
// grouping and timestamps, per-type value rules and histogram group checks.
// Internal to lib/expfmt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "expfmt/events.h"
#include "expfmt/line_lexer.h"
#include "expfmt/scan.h"

namespace promvet::expfmt::parser_detail {

class ErrorSink {
 public:
  // id: the check id (static storage); severity: see Diagnostic::severity.
  virtual void error(const Position& pos, std::string message, std::string_view line,
                     std::string_view id = ids::kInvalid, base::Severity severity = base::Severity::kError) = 0;

 protected:
  ~ErrorSink() = default;
};

// OpenMetrics 1.0 rules that Prometheus' OpenMetrics parser does not enforce
// (it ingests the data as meant): warnings, not errors.
using ids::kFamilyNotContiguous;
using ids::kOpenMetricsStrict;
constexpr base::Severity kWarning = base::Severity::kWarning;
constexpr const char* kPrometheusAccepts = " (Prometheus' OpenMetrics parser accepts it)";

inline bool is_histogram(MetricType t) { return t == MetricType::kHistogram || t == MetricType::kGaugeHistogram; }

inline Position at_column(const Position& line_start, std::uint32_t col) {
  return Position{line_start.line, col, line_start.offset + col - 1};
}

class OmFamilies {
 public:
  OmFamilies(Handler& handler, ErrorSink& sink) : handler_(handler), sink_(sink) {}

  // A HELP/TYPE/UNIT line (not EOF).
  void on_comment(const CommentLine& c, const Position& pos, std::string_view line);
  // A lexed sample: sets family and type, checks, then emits it.
  void on_sample(Sample& s, std::uint32_t ts_col);
  // End of input: closes the current family.
  void finish() { end_family(); }

 private:
  struct HistGroup {
    bool have_le = false;
    double last_le = 0;
    double last_value = 0;
    bool inf_seen = false;
    double inf_value = 0;
    bool has_count = false;
    double count = 0;
    bool count_reported = false;
    bool has_sum = false;
    bool has_gsum = false;
    bool negative_bucket = false;
    bool negative_gsum = false;
    Position pos;
    std::string line;
  };

  bool belongs(std::string_view name, std::string_view& suffix) const;
  void start_family(std::string_view name, const Position& pos, std::string_view line);
  void end_family();
  void reserve_type_names(const Position& pos, std::string_view line);
  bool on_type(const CommentLine& c, const Position& pos, std::string_view line, Metadata& m);
  bool on_unit(const CommentLine& c, const Position& pos, std::string_view line);
  void check_values(const Sample& s, std::string_view suffix);
  void track_group(const Sample& s, std::string_view suffix, std::uint32_t ts_col);
  void check_hist_group();
  void histogram_sample(const Sample& s, std::string_view suffix);
  const Label* find_label(const Sample& s, std::string_view name) const;
  bool parse_bound(const Sample& s, const Label& l, double& out);

  Handler& handler_;
  ErrorSink& sink_;

  bool active_ = false;
  std::string fam_;
  MetricType type_ = MetricType::kUnknown;
  bool has_type_ = false;
  bool has_help_ = false;
  bool has_unit_ = false;
  bool has_samples_ = false;
  std::string name_scratch_;

  FlatHashSet reserved_;  // every family and typed sample name so far
  FlatHashSet groups_;    // metrics (label sets) of the current family
  FlatHashSet series_;    // timestamp-less series of the current family
  bool in_group_ = false;
  std::uint64_t group_ = 0;
  bool group_has_ts_ = false;
  double group_ts_ = 0;
  bool hist_open_ = false;
  HistGroup hist_;
};

}  // namespace promvet::expfmt::parser_detail
