// Events produced by the streaming exposition parser (lib/expfmt/parser.h).
//
// Every string_view in an event points either into the chunk being parsed or
// into the parser's per-line scratch buffer: it is valid only for the duration
// of the Handler callback that receives it. Copy what you need to keep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/severity.h"
#include "expfmt/diagnostic_ids.h"

namespace promvet::expfmt {

enum class Format : std::uint8_t { kText, kOpenMetrics };
std::string_view format_name(Format f);  // "text" or "openmetrics"

enum class MetricType : std::uint8_t {
  kUnknown,  // OpenMetrics "unknown", also a family without a TYPE line
  kCounter,
  kGauge,
  kHistogram,
  kGaugeHistogram,
  kSummary,
  kInfo,
  kStateSet,
  kUntyped,  // text 0.0.4 "untyped"
};
// The word used in a TYPE line ("counter", "gaugehistogram", "untyped"...).
std::string_view metric_type_name(MetricType t);

// 1-based line, 1-based byte column, 0-based byte offset into the stream.
struct Position {
  std::uint64_t line = 1;
  std::uint32_t column = 1;
  std::uint64_t offset = 0;
};

struct Label {
  std::string_view name;   // unquoted, unescaped
  std::string_view value;  // unescaped
  Position pos;            // of the label name
};

// A borrowed array (C++17 has no std::span).
template <typename T>
struct Span {
  const T* data = nullptr;
  std::size_t size = 0;
  const T* begin() const { return data; }
  const T* end() const { return data + size; }
  bool empty() const { return size == 0; }
  const T& operator[](std::size_t i) const { return data[i]; }
};

struct Metadata {
  enum class Kind : std::uint8_t { kHelp, kType, kUnit };
  Kind kind = Kind::kHelp;
  std::string_view family;                 // metric family name as written (unquoted)
  std::string_view text;                   // HELP: unescaped text; TYPE: type word; UNIT: unit
  MetricType type = MetricType::kUnknown;  // only for kType
  Position pos;                            // start of the line
  std::string_view line;                   // the whole source line, without '\n'
};

struct Exemplar {
  Span<Label> labels;
  double value = 0;
  bool has_timestamp = false;
  double timestamp = 0;  // seconds
  Position pos;          // of the '#'
};

struct Sample {
  std::string_view name;                   // sample name as written, e.g. "foo_bucket"
  std::string_view family;                 // family it belongs to, e.g. "foo"
  MetricType type = MetricType::kUnknown;  // the family's type
  Span<Label> labels;                      // in source order
  double value = 0;
  std::string_view value_text;
  bool has_timestamp = false;
  // Text 0.0.4: integer milliseconds. OpenMetrics: seconds (may be fractional).
  double timestamp = 0;
  bool has_exemplar = false;
  Exemplar exemplar;
  Position pos;           // start of the line
  Position value_pos;     // of the value token
  std::string_view line;  // the whole source line, without '\n'
  // Optional, parallel to labels: a 64-bit hash of each label's name and
  // value, so handlers that count series or values need not hash the bytes
  // again. The text parser fills it; empty when a producer did not.
  Span<std::uint64_t> label_hashes;
};

// A violation of the format specification. The parser continues with the
// next line where that is meaningful; see ParserOptions::max_errors.
struct Diagnostic {
  Position pos;
  std::string message;  // lowercase, no trailing period, tokens %q-quoted
  std::string line;     // the source line (truncated to 512 bytes) for carets
  // ids::kInvalid for what the parsers of the Prometheus projects reject;
  // a rule of its own (e.g. ids::kDuplicateSeries) where promvet holds the
  // specification's rule that some parser lets through (expfmt/diagnostic_ids.h).
  std::string_view check_id = ids::kInvalid;  // static storage
  // kWarning: the specification and Prometheus' parsers disagree and
  // Prometheus reads the data as meant. Warnings do not make Parser::ok() false.
  base::Severity severity = base::Severity::kError;
};

// Receives events in input order. Default implementations ignore the event.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void on_metadata(const Metadata& m);
  virtual void on_sample(const Sample& s);
  virtual void on_error(const Diagnostic& d);
};

}  // namespace promvet::expfmt
