#include "expfmt_fuzz_common.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "expfmt/lint.h"
#include "expfmt/parser.h"
#include "expfmt/tee_handler.h"

namespace promvet::fuzz {
namespace {

using namespace promvet::expfmt;

// A digest of the event stream: order-sensitive, covers every field a
// consumer reads, so chunking differences show up.
class Digest : public Handler {
 public:
  std::uint64_t h = 1469598103934665603ull;
  std::uint64_t events = 0;
  std::uint64_t errors = 0;

  void on_metadata(const Metadata& m) override {
    ++events;
    mix(static_cast<std::uint64_t>(m.kind));
    mix(m.family);
    mix(m.text);
    mix_pos(m.pos);
  }
  void on_sample(const Sample& s) override {
    ++events;
    mix(s.name);
    mix(s.family);
    for (const Label& l : s.labels) {
      mix(l.name);
      mix(l.value);
    }
    mix(s.value_text);
    mix(static_cast<std::uint64_t>(s.has_timestamp));
    mix(static_cast<std::uint64_t>(s.has_exemplar));
    mix_pos(s.pos);
  }
  void on_error(const Diagnostic& d) override {
    if (d.severity == base::Severity::kError) ++errors;  // warnings leave Parser::ok() true
    if (d.check_id.empty()) {
      std::fprintf(stderr, "diagnostic without check id\n");
      std::abort();
    }
    mix(d.check_id);
    if (d.pos.line == 0 || d.pos.column == 0 || d.message.empty()) {
      std::fprintf(stderr, "diagnostic without position or message\n");
      std::abort();
    }
    mix(d.message);
    mix_pos(d.pos);
  }

 private:
  void mix(std::uint64_t v) {
    h ^= v;
    h *= 1099511628211ull;
  }
  void mix(std::string_view s) {
    for (unsigned char c : s) mix(c);
    mix(0x100);
  }
  void mix_pos(const Position& p) {
    mix(p.line);
    mix(p.column);
    mix(p.offset);
  }
};

Digest parse(Format format, std::string_view input, std::size_t chunk) {
  Digest digest;
  Linter linter(format, LinterOptions{});
  TeeHandler tee(digest, linter);
  ParserOptions options;
  options.format = format;
  options.max_line_bytes = 4096;  // exercise the long-line path
  options.max_labels = 64;
  Parser parser(options, tee);
  for (std::size_t i = 0; i < input.size(); i += chunk) parser.feed(input.substr(i, chunk));
  parser.finish();
  (void)linter.finish();
  if (parser.ok() != (digest.errors == 0)) {
    std::fprintf(stderr, "ok() disagrees with the reported errors\n");
    std::abort();
  }
  return digest;
}

}  // namespace

void check_exposition(Format format, const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Digest whole = parse(format, input, input.size() + 1);
  std::size_t chunk = size == 0 ? 1 : 1 + data[0] % 17;
  Digest split = parse(format, input, chunk);
  if (whole.h != split.h || whole.events != split.events || whole.errors != split.errors) {
    std::fprintf(stderr, "chunking changed the result: chunk=%zu events %llu/%llu errors %llu/%llu\n", chunk,
                 static_cast<unsigned long long>(whole.events), static_cast<unsigned long long>(split.events),
                 static_cast<unsigned long long>(whole.errors), static_cast<unsigned long long>(split.errors));
    std::abort();
  }
}

}  // namespace promvet::fuzz
