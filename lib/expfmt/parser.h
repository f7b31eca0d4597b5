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
};

class Parser {
 public:
  Parser(const ParserOptions& options, Handler& handler);
  ~Parser();
  Parser(const Parser&) = delete;             // owns line buffers and state
  Parser& operator=(const Parser&) = delete;

  void feed(std::string_view chunk);
  // End of input: flushes a last unterminated line and runs end-of-stream
  // checks (OpenMetrics "# EOF", open histogram groups).
  void finish();

  bool ok() const;                   // no error reported so far
  std::uint64_t error_count() const;
  std::uint64_t bytes() const;       // bytes fed so far
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
Format detect_format(std::string_view content_type, std::string_view head,
                     std::string_view tail);

}  // namespace promvet::expfmt
