#include "naming/inject.h"

#include <algorithm>
#include <unordered_map>

#include "expfmt/parser.h"
#include "naming/names.h"

namespace promvet::naming {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;
constexpr std::size_t kMaxProblemsPerKind = 100;
constexpr std::size_t kMaxLineInMessage = 512;

// Length-prefixed FNV-1a, so ("ab","c") and ("a","bc") hash apart.
struct Hasher {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(std::string_view s) {
    word(s.size());
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  }
  void word(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 1099511628211ull;
    }
  }
};

using LabelViews = std::vector<std::pair<std::string_view, std::string_view>>;

std::uint64_t series_hash(std::string_view name, LabelViews labels) {
  std::sort(labels.begin(), labels.end());
  Hasher h;
  h.bytes(name);
  for (const auto& [n, v] : labels) {
    h.bytes(n);
    h.bytes(v);
  }
  return h.h;
}

void append_name(std::string& out, std::string_view name, bool legacy) {
  if (legacy) {
    out += name;
  } else {
    out += '"';
    append_escaped_label_value(out, name);
    out += '"';
  }
}

std::string render_series(std::string_view name, const LabelViews& labels) {
  std::string s;
  append_sample_line(s, name, labels, "");
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::string_view on_conflict_name(OnConflict c) {
  switch (c) {
    case OnConflict::kKeep: return "keep";
    case OnConflict::kReplace: return "replace";
    case OnConflict::kError: return "error";
  }
  return "";
}

bool parse_label_assignment(std::string_view text, std::pair<std::string, std::string>* out) {
  std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) return false;
  out->first = std::string(text.substr(0, eq));
  out->second = std::string(text.substr(eq + 1));
  return true;
}

std::string validate_inject_options(const InjectOptions& options) {
  if (options.labels.empty()) return "no label to inject; give at least one name=value";
  for (std::size_t i = 0; i < options.labels.size(); ++i) {
    const auto& [name, value] = options.labels[i];
    std::string e = label_name_error(name, Validation::kLegacy, LabelUse::kAttached);
    if (!e.empty()) return e;
    for (std::size_t k = 0; k < i; ++k) {
      if (options.labels[k].first == name) return "label name \"" + name + "\" is given twice";
    }
    if (invalid_utf8_at(value) != std::string_view::npos)
      return "the value of label \"" + name + "\" is not valid UTF-8";
  }
  return "";
}

void append_sample_line(std::string& out, std::string_view name, const LabelViews& labels,
                        std::string_view value_and_rest) {
  bool legacy_name = is_legacy_metric_name(name);
  if (legacy_name) {
    out += name;
    if (!labels.empty()) out += '{';
  } else {
    out += '{';
    append_name(out, name, false);
    if (!labels.empty()) out += ',';
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    append_name(out, labels[i].first, is_legacy_label_name(labels[i].first));
    out += "=\"";
    append_escaped_label_value(out, labels[i].second);
    out += '"';
  }
  if (!legacy_name || !labels.empty()) out += '}';
  out += ' ';
  out += value_and_rest;
}

struct Injector::Impl : expfmt::Handler {
  InjectOptions options;
  expfmt::Format format;
  Sink sink;
  std::unique_ptr<expfmt::Parser> parser;
  std::string out;
  std::vector<InjectProblem> problems;
  std::size_t problem_counts[3] = {0, 0, 0};
  InjectStats stats;

  // Current family and whether the prefix filter keeps it.
  std::string family;
  bool have_family = false;
  bool keep = true;
  struct Seen {
    std::uint64_t input_hash;
    std::uint64_t line;
  };
  std::unordered_map<std::uint64_t, Seen> series;  // output series hash -> first input
  LabelViews scratch;
  std::vector<bool> used;

  Impl(const InjectOptions& o, expfmt::Format f, Sink s) : options(o), format(f), sink(std::move(s)) {
    expfmt::ParserOptions po;
    po.format = f;
    po.max_line_bytes = o.max_line_bytes;
    parser = std::make_unique<expfmt::Parser>(po, *this);
  }

  void add_problem(InjectProblem::Kind kind, const expfmt::Position& pos, std::string message, std::string_view line) {
    std::size_t& n = problem_counts[static_cast<int>(kind)];
    if (n++ >= kMaxProblemsPerKind) return;
    InjectProblem p;
    p.kind = kind;
    p.pos = pos;
    p.message = std::move(message);
    p.line = std::string(line.substr(0, kMaxLineInMessage));
    problems.push_back(std::move(p));
  }

  bool keeps(std::string_view name) const {
    if (options.prefixes.empty()) return true;
    for (const std::string& p : options.prefixes) {
      if (name.substr(0, p.size()) == p) return true;
    }
    return false;
  }

  void enter_family(std::string_view f) {
    if (have_family && f == family) return;
    have_family = true;
    family.assign(f.data(), f.size());
    keep = keeps(family);
    if (!keep) ++stats.families_dropped;
    series.clear();
  }

  void write(std::string_view bytes) {
    out += bytes;
    if (out.size() >= kFlushBytes) flush();
  }
  void flush() {
    if (!out.empty()) sink(out);
    out.clear();
  }

  void on_metadata(const expfmt::Metadata& m) override {
    enter_family(m.family);
    if (!keep) return;
    write(m.line);
    write("\n");
  }

  void on_error(const expfmt::Diagnostic& d) override {
    add_problem(InjectProblem::Kind::kParse, d.pos, d.message, d.line);
  }

  void on_sample(const expfmt::Sample& s) override {
    ++stats.samples_in;
    enter_family(s.family);
    if (!keep) return;
    // The value and everything after it are copied byte for byte.
    if (s.value_pos.offset < s.pos.offset || s.value_pos.offset - s.pos.offset > s.line.size()) {
      add_problem(InjectProblem::Kind::kParse, s.pos, "cannot locate the value of this sample; line not written",
                  s.line);
      return;
    }
    std::string_view rest = s.line.substr(static_cast<std::size_t>(s.value_pos.offset - s.pos.offset));

    scratch.clear();
    used.assign(options.labels.size(), false);
    bool conflict = false;
    for (const expfmt::Label& l : s.labels) {
      std::string_view value = l.value;
      for (std::size_t i = 0; i < options.labels.size(); ++i) {
        if (options.labels[i].first != l.name) continue;
        used[i] = true;
        conflict = true;
        if (options.on_conflict == OnConflict::kReplace) value = options.labels[i].second;
        if (options.on_conflict == OnConflict::kError) {
          add_problem(InjectProblem::Kind::kConflict, l.pos,
                      "sample already has label \"" + options.labels[i].first + "\"=\"" + std::string(l.value) +
                          "\"; refusing to inject \"" + options.labels[i].second +
                          "\" (--on-conflict keep or replace to choose)",
                      s.line);
        }
      }
      scratch.emplace_back(l.name, value);
    }
    if (conflict) ++stats.conflicts;
    for (std::size_t i = 0; i < options.labels.size(); ++i) {
      if (!used[i]) scratch.emplace_back(options.labels[i].first, options.labels[i].second);
    }
    check_collapse(s);

    append_sample_line(out, s.name, scratch, rest);
    out += '\n';
    ++stats.samples_out;
    if (out.size() >= kFlushBytes) flush();
  }

  // Two input series collapse when their label sets differ but become equal.
  // Compared per metric, not per sample name: in OpenMetrics foo_total and
  // foo_created with one label set are one metric, so foo_total{k="a"} and
  // foo_created{k="b"} meeting at k="x" is a collapse too. The bucket and
  // quantile labels are left out for the types that own them.
  void check_collapse(const expfmt::Sample& s) {
    const bool histogram = s.type == expfmt::MetricType::kHistogram || s.type == expfmt::MetricType::kGaugeHistogram;
    const bool summary = s.type == expfmt::MetricType::kSummary;
    auto group = [&](std::string_view name) {
      return !((histogram && name == "le") || (summary && name == "quantile"));
    };
    LabelViews in, out_labels;
    in.reserve(s.labels.size);
    for (const expfmt::Label& l : s.labels) {
      if (group(l.name)) in.emplace_back(l.name, l.value);
    }
    for (const auto& kv : scratch) {
      if (group(kv.first)) out_labels.push_back(kv);
    }
    std::uint64_t in_hash = series_hash("", in);
    std::uint64_t out_hash = series_hash("", out_labels);
    auto [it, inserted] = series.emplace(out_hash, Seen{in_hash, s.pos.line});
    if (inserted || it->second.input_hash == in_hash) return;
    LabelViews all_in;
    for (const expfmt::Label& l : s.labels) all_in.emplace_back(l.name, l.value);
    add_problem(InjectProblem::Kind::kCollapse, s.pos,
                "series " + render_series(s.name, all_in) + " becomes " + render_series(s.name, scratch) +
                    ", the same series as the sample on line " + std::to_string(it->second.line) +
                    "; the output has a duplicate series",
                s.line);
  }
};

Injector::Injector(const InjectOptions& options, expfmt::Format format, Sink sink)
    : impl_(std::make_unique<Impl>(options, format, std::move(sink))) {}
Injector::~Injector() = default;

void Injector::feed(std::string_view chunk) { impl_->parser->feed(chunk); }

void Injector::finish() {
  impl_->parser->finish();
  if (impl_->format == expfmt::Format::kOpenMetrics) impl_->write("# EOF\n");
  impl_->flush();
}

const std::vector<InjectProblem>& Injector::problems() const { return impl_->problems; }
const InjectStats& Injector::stats() const { return impl_->stats; }
bool Injector::ok() const {
  const std::size_t* n = impl_->problem_counts;
  return n[0] == 0 && n[1] == 0 && n[2] == 0;
}

}  // namespace promvet::naming
