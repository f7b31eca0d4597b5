// Test helper: records parser events as one readable line each, so tests
// can compare whole event streams (chunking invariance) or look for one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "expfmt/parser.h"

namespace promvet::test {

class Recorder : public expfmt::Handler {
 public:
  std::vector<std::string> events;  // samples and metadata, in order
  std::vector<expfmt::Diagnostic> errors;

  void on_metadata(const expfmt::Metadata& m) override {
    static constexpr const char* kKinds[] = {"HELP", "TYPE", "UNIT"};
    events.push_back(
        fmt::format("{}:{} {} {} [{}]", m.pos.line, m.pos.column, kKinds[static_cast<int>(m.kind)], m.family, m.text));
  }
  void on_sample(const expfmt::Sample& s) override {
    std::string e = fmt::format("{}:{} {} family={} type={} {{", s.pos.line, s.pos.column, s.name, s.family,
                                expfmt::metric_type_name(s.type));
    for (const expfmt::Label& l : s.labels) e += fmt::format("{}@{}={};", l.name, l.pos.column, l.value);
    e += fmt::format("}} {} ({}@{})", s.value, s.value_text, s.value_pos.column);
    if (s.has_timestamp) e += fmt::format(" ts={}", s.timestamp);
    if (s.has_exemplar) {
      e += fmt::format(" ex@{}{{", s.exemplar.pos.column);
      for (const expfmt::Label& l : s.exemplar.labels) e += fmt::format("{}={};", l.name, l.value);
      e += fmt::format("}} {}", s.exemplar.value);
      if (s.exemplar.has_timestamp) e += fmt::format(" ts={}", s.exemplar.timestamp);
    }
    events.push_back(std::move(e));
  }
  void on_error(const expfmt::Diagnostic& d) override { errors.push_back(d); }

  std::vector<std::string> error_strings() const {
    std::vector<std::string> out;
    for (const auto& d : errors)
      out.push_back(fmt::format("{}:{}@{} {} |{}", d.pos.line, d.pos.column, d.pos.offset, d.message, d.line));
    return out;
  }
};

inline Recorder parse_all(std::string_view input, expfmt::Format format, expfmt::ParserOptions options = {}) {
  Recorder r;
  options.format = format;
  expfmt::Parser p(options, r);
  p.feed(input);
  p.finish();
  return r;
}

}  // namespace promvet::test
