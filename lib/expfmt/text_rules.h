// Rules of the text 0.0.4 format that prometheus/common's TextParser (and
// so `promtool check metrics`) does not enforce, checked over the samples the
// parser emits: duplicate series, families split by other families, histogram
// buckets without "le", without "+Inf", not cumulative, "_count" differing
// from the "+Inf" bucket, negative counters and histogram counts (TextParser
// rejects the latter itself). Each has its own check id (an entry of the check
// registry, lib/checks/expfmt/module.cpp) so users can tell them from what Prometheus rejects.
//
// Memory: the current family's series hashes (capped: a family with more
// series than kMaxSeriesPerFamily is checked for duplicates only up to that
// many) and the current histogram group; a family that reappears after others
// is reported, not re-checked against its earlier lines. Internal to lib/expfmt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "expfmt/events.h"
#include "expfmt/om_family.h"
#include "expfmt/scan.h"

namespace promvet::expfmt::parser_detail {

class TextRules {
 public:
  static constexpr std::size_t kMaxSeriesPerFamily = std::size_t(1) << 19;

  explicit TextRules(ErrorSink& sink) : sink_(sink) {}
  // A sample as the parser emits it (family and type resolved); family_id
  // is hash_bytes(s.family); le is its "le" label when the family is a
  // histogram, and le_value that label read as a float (the parser reported
  // and dropped samples where it is none). s.label_hashes are used when the
  // lexer made them, else made here.
  void on_sample(const Sample& s, std::uint64_t family_id, const Label* le, double le_value);
  // A HELP/TYPE line of the family (as the parser resolved it): the
  // family's lines start or continue.
  void on_metadata(std::string_view family, const Position& pos, std::string_view line);
  void finish() { close_group(); }
  // The label-pair hashes of the last sample given to on_sample, parallel
  // to its labels (Sample::label_hashes).
  Span<std::uint64_t> label_hashes() const { return pairs_; }

 private:
  void switch_family(std::uint64_t family_id, const Position& pos, std::string_view family, std::string_view line);
  void histogram_sample(const Sample& s, std::uint64_t family_id, const Label* le, double le_value);
  void close_group();

  ErrorSink& sink_;
  bool have_family_ = false;
  std::uint64_t family_ = 0;
  FlatHashSet series_;
  FlatHashSet left_;                        // families whose lines other families' lines followed
  FlatHashSet reported_;                    // families reported as not contiguous (once each)
  std::vector<std::uint64_t> pair_hashes_;  // reused: label-pair hashes of a sample that came without
  Span<std::uint64_t> pairs_;               // the current sample's label-pair hashes

  // One histogram metric (labels without "le") while its lines run.
  struct Group {
    bool open = false;
    std::uint64_t key = 0;
    std::string family;
    bool gauge = false;
    bool has_bucket = false;
    double last_le = 0;
    double last_value = 0;
    bool inf_seen = false;
    double inf_value = 0;
    bool has_count = false;
    double count = 0;
    bool count_checked = false;
    Position pos;
    std::string line;
  };
  Group group_;
};

}  // namespace promvet::expfmt::parser_detail
