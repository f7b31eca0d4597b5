// libFuzzer target: label injection (lib/naming/inject.h). For any input:
// no crash, the output does not depend on how the input is chunked, and when
// the input is valid and nothing collapsed, the output parses without error
// into exactly the input's samples with the label added (values, timestamps
// and exemplars unchanged).
//
// Input layout: byte 0 picks format, conflict policy and label name; byte 1
// is the length of the label value that follows; the rest is the exposition.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "expfmt/parser.h"
#include "naming/inject.h"
#include "naming/names.h"

namespace {

using namespace promvet;

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string value_text;
  bool has_timestamp;
  std::uint64_t timestamp_bits;
  std::string exemplar;
  bool operator==(const Sample& o) const {
    return name == o.name && labels == o.labels && value_text == o.value_text && has_timestamp == o.has_timestamp &&
           timestamp_bits == o.timestamp_bits && exemplar == o.exemplar;
  }
};

std::uint64_t bits(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}

struct Collect : expfmt::Handler {
  std::vector<Sample> samples;
  std::vector<std::string> metadata;
  std::uint64_t errors = 0;
  void on_sample(const expfmt::Sample& s) override {
    Sample p{std::string(s.name), {}, std::string(s.value_text), s.has_timestamp, bits(s.timestamp), {}};
    for (const expfmt::Label& l : s.labels) p.labels[std::string(l.name)] = std::string(l.value);
    if (s.has_exemplar) {
      for (const expfmt::Label& l : s.exemplar.labels)
        p.exemplar += std::string(l.name) + '\0' + std::string(l.value) + '\0';
      p.exemplar += std::to_string(bits(s.exemplar.value)) + (s.exemplar.has_timestamp ? "t" : "") +
                    std::to_string(bits(s.exemplar.timestamp));
    }
    samples.push_back(std::move(p));
  }
  void on_metadata(const expfmt::Metadata& m) override {
    metadata.push_back(std::to_string(static_cast<int>(m.kind)) + std::string(m.family) + '\0' + std::string(m.text));
  }
  void on_error(const expfmt::Diagnostic&) override { ++errors; }
};

Collect parse(expfmt::Format f, std::string_view text) {
  Collect c;
  expfmt::ParserOptions po;
  po.format = f;
  expfmt::Parser p(po, c);
  p.feed(text);
  p.finish();
  return c;
}

struct Run {
  std::string out;
  bool ok;
  bool collapsed = false;
};

Run inject(const naming::InjectOptions& o, expfmt::Format f, std::string_view in, std::size_t chunk) {
  Run r;
  naming::Injector inj(o, f, [&](std::string_view b) { r.out += b; });
  for (std::size_t i = 0; i < in.size(); i += chunk) inj.feed(in.substr(i, chunk));
  inj.finish();
  r.ok = inj.ok();
  for (const naming::InjectProblem& p : inj.problems()) {
    if (p.pos.line == 0 || p.message.empty()) {
      std::fprintf(stderr, "inject problem without position or message\n");
      std::abort();
    }
    if (p.kind == naming::InjectProblem::Kind::kCollapse) r.collapsed = true;
  }
  return r;
}

[[noreturn]] void fail(const char* what, const std::string& in, const std::string& out) {
  std::fprintf(stderr, "inject invariant violated: %s\n--- input\n%s\n--- output\n%s\n", what, in.c_str(), out.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static const char* const kNames[] = {"k", "job", "instance", "a"};
  const std::uint8_t mode = data[0];
  const expfmt::Format format = (mode & 1) ? expfmt::Format::kOpenMetrics : expfmt::Format::kText;
  naming::InjectOptions o;
  o.on_conflict = (mode & 2) ? naming::OnConflict::kReplace : naming::OnConflict::kKeep;
  std::size_t value_len = std::min<std::size_t>(data[1], size - 2);
  std::string value(reinterpret_cast<const char*>(data + 2), value_len);
  std::size_t bad = naming::invalid_utf8_at(value);
  if (bad != std::string::npos) value.resize(bad);
  o.labels = {{kNames[(mode >> 2) & 3], value}};
  if (!naming::validate_inject_options(o).empty()) std::abort();
  std::string in(reinterpret_cast<const char*>(data + 2 + value_len), size - 2 - value_len);

  Run whole = inject(o, format, in, in.size() + 1);
  std::size_t chunk = 1 + (mode >> 4);
  Run chunked = inject(o, format, in, chunk);
  if (whole.out != chunked.out || whole.ok != chunked.ok) fail("chunking changed the result", in, whole.out);

  Collect before = parse(format, in);
  if (before.errors != 0 || !whole.ok || whole.collapsed) return 0;
  Collect after = parse(format, whole.out);
  if (after.errors != 0) fail("valid input gave output that does not parse", in, whole.out);
  if (after.metadata != before.metadata) fail("metadata changed", in, whole.out);
  std::vector<Sample> expected = before.samples;
  for (Sample& s : expected) {
    for (const auto& [k, v] : o.labels) {
      if (!s.labels.count(k) || o.on_conflict == naming::OnConflict::kReplace) s.labels[k] = v;
    }
  }
  if (!(after.samples == expected)) fail("samples are not the input's with the label added", in, whole.out);
  return 0;
}
