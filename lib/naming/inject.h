// Safe label injection into an exposition stream: adds labels to every sample
// of every (selected) family, writing the same format it reads.
//
//   naming::InjectOptions o;
//   o.labels = {{"namespace", "prod"}, {"model", "qwen"}};
//   o.prefixes = {"vllm:"};                  // keep only these families
//   if (std::string e = naming::validate_inject_options(o); !e.empty()) ...
//   naming::Injector inj(o, expfmt::Format::kText,
//                        [&](std::string_view bytes) { fwrite(...); });
//   while (...) inj.feed(chunk);
//   inj.finish();
//   for (const naming::InjectProblem& p : inj.problems()) ...
//
// The input goes through expfmt::Parser, so the decision to keep a family is
// made per family (its HELP, TYPE and UNIT lines and all its samples,
// _bucket/_sum/_count/_created included), never by matching line text. A
// sample line is rewritten from the parsed name and labels (label values
// re-escaped) followed by the original bytes from the value on: value,
// timestamp and exemplar are copied, never reformatted. Metadata lines are
// copied as they are. Free comments and blank lines are dropped; an
// OpenMetrics output ends with "# EOF".
//
// Memory: the parser's bounds plus one hash per series of the current family
// (to notice two series collapsing into one) and the output buffer.
// Not thread-safe; one Injector per stream. Never throws on bad input: parse
// errors, conflicts and collapses are reported through problems().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expfmt/events.h"

namespace promvet::naming {

// What to do when a sample already has a label being injected.
enum class OnConflict { kKeep, kReplace, kError };
std::string_view on_conflict_name(OnConflict c);

struct InjectOptions {
  std::vector<std::pair<std::string, std::string>> labels;  // name, value (unescaped)
  std::vector<std::string> prefixes;                        // keep families starting with one; empty: all
  OnConflict on_conflict = OnConflict::kKeep;
  std::size_t max_line_bytes = 8u << 20;
};

// "" when the options can be used; otherwise the first reason they cannot:
// no labels, a name that is invalid, reserved ("__*"), "le" or "quantile",
// a name given twice, a value that is not UTF-8.
std::string validate_inject_options(const InjectOptions& options);

// Parses "name=value" (the value may be empty and may contain '=').
bool parse_label_assignment(std::string_view text, std::pair<std::string, std::string>* out);

struct InjectProblem {
  enum class Kind : std::uint8_t {
    kParse,     // the input violates the format; the line was not written
    kConflict,  // a label already existed and on_conflict is kError
    kCollapse,  // two input series became one output series
  };
  Kind kind = Kind::kParse;
  expfmt::Position pos;
  std::string message;  // lowercase, no trailing period
  std::string line;     // the source line (truncated)
};

struct InjectStats {
  std::uint64_t samples_in = 0;
  std::uint64_t samples_out = 0;
  std::uint64_t families_dropped = 0;  // by the prefix filter
  std::uint64_t conflicts = 0;         // samples where an injected label already existed
};

class Injector {
 public:
  using Sink = std::function<void(std::string_view)>;
  // options must have passed validate_inject_options.
  Injector(const InjectOptions& options, expfmt::Format format, Sink sink);
  ~Injector();
  Injector(const Injector&) = delete;  // owns the parser, which points back at it
  Injector& operator=(const Injector&) = delete;

  void feed(std::string_view chunk);
  void finish();  // flushes the output (and writes "# EOF" for OpenMetrics)

  const std::vector<InjectProblem>& problems() const;
  const InjectStats& stats() const;
  // No parse error, no refused conflict and no collapse.
  bool ok() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes a sample line from parts: name{labels} then value_and_rest as is.
// Names that are not legacy are quoted the Prometheus 3 way
// ({"my.metric","a.b"="v"}). Appends to out. Exposed for tests and tools.
void append_sample_line(std::string& out, std::string_view name,
                        const std::vector<std::pair<std::string_view, std::string_view>>& labels,
                        std::string_view value_and_rest);

}  // namespace promvet::naming
