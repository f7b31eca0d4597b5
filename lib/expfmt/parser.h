// Streaming, validating parser for Prometheus text 0.0.4 and OpenMetrics 1.0.
//
//   CollectingHandler h;                       // any expfmt::Handler
//   Parser p(ParserOptions{Format::kOpenMetrics}, h);
//   while (size_t n = read(fd, buf, sizeof buf)) p.feed({buf, n});
//   p.finish();
//   if (!p.ok()) ...                           // errors went to h.on_error
//
// Input is pushed in chunks of any size (a libcurl write callback, a file read
// loop). Complete lines are parsed in place; only a line that straddles two
// chunks is copied. Memory is bounded by max_line_bytes plus per-family state
// (the current family's series hashes, and one hash per family name seen).
//
// Not thread-safe; one Parser per stream. Never throws on bad input: every
// violation is reported through Handler::on_error with its position.
//
// Semantics (implementation: line_lexer.cpp, om_family.cpp, parser.cpp):
// - Text 0.0.4 accepts what prometheus/common TextParser (promtool check
//   metrics) accepts and reports its errors, with the same family
//   attribution: "x_count"/"x_sum" belong to "x" only if a family "x" already
//   exists as a summary, "x_bucket"/"x_count"/"x_sum" only if "x" is a
//   histogram; any other sample is its own family (type kUntyped unless a
//   TYPE line said otherwise). A family that reappears after others is merged,
//   not reported. Stricter than TextParser only where the spec is explicit:
//   invalid UTF-8 in HELP, duplicate "le"/"quantile" labels.
// - OpenMetrics follows the 1.0 spec and the OpenMetrics parser corpus: the
//   current family owns the type's sample names (counter: _total, _created;
//   histogram: _bucket, _count, _sum, _created; gaugehistogram: _bucket,
//   _gcount, _gsum; summary: base, _count, _sum, _created; info: _info;
//   others: base); any other name starts a new family (kUnknown), and a name
//   seen in an earlier family is an error (interleaving, clashes).
// - Sample.timestamp: text in integer milliseconds, OpenMetrics in seconds.
// - A syntax error skips its line (no event). A semantic error (a negative
//   counter, unsorted buckets, a metric split by other label sets) is
//   reported and the sample is still emitted with its family and type.
//   Histogram group errors (no +Inf bucket, _sum without _count...) are
//   reported at the group's first sample once the group ends.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "expfmt/events.h"

namespace promvet::expfmt {

struct ParserOptions {
  Format format = Format::kText;
  // A longer line is reported as an error and skipped.
  std::size_t max_line_bytes = 8u << 20;
  // More labels on one sample (or exemplar) are an error.
  std::size_t max_labels = 1024;
  // After this many errors the parser stops reporting and ignores the rest.
  std::size_t max_errors = 100;
  // Accept Prometheus 3 quoted UTF-8 metric and label names ({"my.metric"}).
  bool utf8_names = true;
  // Split and lex the lines of large chunks (64 KiB and more) on a second
  // thread, ahead of the parser (lib/expfmt/lex_pipeline.h), on machines
  // with two cores or more. Events and diagnostics are the same, in the same
  // order; only the time differs. The handler is still called on the
  // thread that calls feed().
  bool lex_thread = false;
};

class Parser {
 public:
  Parser(const ParserOptions& options, Handler& handler);
  ~Parser();
  Parser(const Parser&) = delete;  // owns line buffers and state
  Parser& operator=(const Parser&) = delete;

  void feed(std::string_view chunk);
  // End of input: flushes a last unterminated line and runs end-of-stream
  // checks (OpenMetrics "# EOF", open histogram groups).
  void finish();

  bool ok() const;  // no error reported so far
  std::uint64_t error_count() const;
  std::uint64_t bytes() const;  // bytes fed so far
  std::uint64_t lines() const;
  std::uint64_t samples() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Picks a format from what is known before parsing. content_type is an HTTP
// Content-Type ("" when unknown); head is the first bytes of the input and
// tail its last bytes ("" when unknown). OpenMetrics when the content type
// says application/openmetrics-text, or the text has "# EOF" at its end,
// a "# UNIT" line, an exemplar (" # {"), or an OpenMetrics-only TYPE word
// (info, stateset, gaugehistogram, unknown); text otherwise.
Format detect_format(std::string_view content_type, std::string_view head, std::string_view tail);

}  // namespace promvet::expfmt
