// Linter: folds parser events into one bounded FamilyStat per family, then
// runs the promlint passes (lint_promlint.cpp) and the extended ones
// (lint_extended.cpp) at finish().
#include "expfmt/lint.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "expfmt/lint_internal.h"

namespace promvet::expfmt {

namespace detail {

// Per label of every sample: compared without a call of memcmp ("instance"
// is as long as "quantile").
bool consumes_label(MetricType type, std::string_view label) {
  if (type == MetricType::kSummary) return parser_detail::same_bytes(label, "quantile");
  if (type == MetricType::kHistogram || type == MetricType::kGaugeHistogram)
    return parser_detail::same_bytes(label, "le");
  return false;
}

bool groups_by_signature(MetricType type) {
  return type == MetricType::kSummary || type == MetricType::kHistogram || type == MetricType::kGaugeHistogram;
}

bool promlint_label_flagged(MetricType type, std::string_view label) {
  // Mirrors lintHistogramSummaryReserved (not for untyped) and lintCamelCase.
  bool untyped = type == MetricType::kUntyped || type == MetricType::kUnknown;
  bool histogram = type == MetricType::kHistogram || type == MetricType::kGaugeHistogram;
  if (!untyped && !histogram && label == "le") return true;
  if (!untyped && type != MetricType::kSummary && label == "quantile") return true;
  return has_camel_case(label);
}

}  // namespace detail

using detail::FamilyStat;
using detail::LabelStat;

struct Linter::Impl {
  Format format;
  LinterOptions options;
  std::vector<std::unique_ptr<FamilyStat>> families;  // in order of appearance
  std::unordered_map<std::string, FamilyStat*> by_name;
  FamilyStat* last = nullptr;             // families are contiguous: one compare per sample
  std::string key;                        // reused lookup key
  std::vector<std::size_t> flagged;       // reused per sample: indices into labels
  std::vector<std::uint64_t> own_hashes;  // reused: pair hashes when the sample has none

  FamilyStat* find(std::string_view name) {
    key.assign(name.data(), name.size());
    auto it = by_name.find(key);
    return it == by_name.end() ? nullptr : it->second;
  }

  FamilyStat& create(std::string_view name) {
    families.push_back(std::make_unique<FamilyStat>());
    FamilyStat* f = families.back().get();
    f->name.assign(name.data(), name.size());
    by_name.emplace(f->name, f);
    return *f;
  }

  // The family a HELP/TYPE line names, as TextParser.setOrCreateCurrentMF
  // resolves it: the exact name, else the summary or histogram that
  // "x_sum"/"x_count"/"x_bucket" belongs to.
  FamilyStat& family_for_metadata(std::string_view name) {
    if (FamilyStat* f = find(name)) return *f;
    if (format == Format::kText) {
      auto parent = [&](std::string_view suffix, MetricType type) -> FamilyStat* {
        if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix) return nullptr;
        FamilyStat* f = find(name.substr(0, name.size() - suffix.size()));
        return f && f->type == type ? f : nullptr;
      };
      if (FamilyStat* f = parent("_count", MetricType::kSummary)) return *f;
      if (FamilyStat* f = parent("_sum", MetricType::kSummary)) return *f;
      if (FamilyStat* f = parent("_count", MetricType::kHistogram)) return *f;
      if (FamilyStat* f = parent("_sum", MetricType::kHistogram)) return *f;
      if (FamilyStat* f = parent("_bucket", MetricType::kHistogram)) return *f;
    }
    return create(name);
  }

  FamilyStat& family_for_sample(const Sample& s) {
    if (last && parser_detail::same_bytes(last->name, s.family)) return *last;
    // Families are contiguous in practice; counting a family's distinct
    // values only while its samples run keeps memory independent of the
    // number of families (a text family that reappears is not recounted).
    if (last) {
      for (LabelStat& ls : last->labels) {
        ls.values_done = true;
        ls.values.release();
      }
      last->label_sets.release();
    }
    FamilyStat* f = find(s.family);
    last = f ? f : &create(s.family);
    return *last;
  }

  // Index of the label's stat (indices: creating one may move the others).
  std::size_t label_stat(FamilyStat& f, std::size_t hint, const Label& l, const Sample& s) {
    if (hint < f.labels.size() && parser_detail::same_bytes(f.labels[hint].name, l.name)) return hint;
    for (std::size_t i = 0; i < f.labels.size(); ++i) {
      if (parser_detail::same_bytes(f.labels[i].name, l.name)) return i;
    }
    f.labels.emplace_back();
    LabelStat& ls = f.labels.back();
    ls.name.assign(l.name.data(), l.name.size());
    ls.first_pos = l.pos;  // label lints point at the label itself
    ls.first_line.assign(s.line.data(), s.line.size());
    ls.promlint_flagged = detail::promlint_label_flagged(f.type, l.name);
    return f.labels.size() - 1;
  }

  // The sample's label-pair hashes: the parser's (Sample::label_hashes)
  // when it gave them, else computed once here.
  Span<std::uint64_t> pair_hashes(const Sample& s) {
    if (s.label_hashes.size == s.labels.size) return s.label_hashes;
    own_hashes.clear();
    for (const Label& l : s.labels) own_hashes.push_back(detail::label_pair_hash(l));
    return {own_hashes.data(), own_hashes.size()};
  }

  // promlint compares the label pairs of a family's dto.Metrics; each
  // sample of a counter, gauge or untyped family is one dto.Metric.
  void track_label_set(FamilyStat& f, const Sample& s, Span<std::uint64_t> pairs) {
    constexpr std::size_t kMaxLabelSets = std::size_t(1) << 19;  // 8 MB of hashes
    if (f.label_sets.size() >= kMaxLabelSets) return;
    // The sample name too: an OpenMetrics counter's _total and _created
    // samples share labels but are different series. A sum of well-mixed
    // pair hashes: order-independent, and {a="x",b="y"} differs from
    // {a="y",b="x"}.
    std::uint64_t h = detail::hash_bytes(s.name, 0x3c6ef372);
    for (std::uint64_t pair : pairs) h += pair;
    if (f.label_sets.insert(h)) return;
    if (f.duplicates++ == 0) {
      f.duplicate_pos = s.pos;
      f.duplicate_line.assign(s.line.data(), s.line.size());
    }
  }

  // Findings point at the label on the sample (l.pos), the line for carets.
  // `h` is the label's pair hash, which stands for the value: one LabelStat
  // sees one label name.
  void track_value(LabelStat& ls, const Label& l, const Sample& s, std::uint64_t h) {
    const std::string_view value = l.value;
    // Histogram buckets, summary quantiles and _sum/_count repeat the
    // previous sample's values: nothing new to count or classify.
    if (ls.has_last_value && ls.last_value_hash == h) return;
    ls.has_last_value = true;
    ls.last_value_hash = h;
    bool fresh = true;
    if (!ls.values_done) {
      std::size_t cap = std::min(options.max_label_values + 1, options.max_tracked_values);
      fresh = ls.values.insert(h, cap);
      if (fresh && ls.values.size() > options.max_label_values) {
        ls.over_limit = true;
        ls.over_pos = l.pos;
        ls.over_line.assign(s.line.data(), s.line.size());
      }
      if (ls.values.size() >= cap) {
        ls.values_done = true;
        ls.values.release();
      }
    }
    // After the cap every value is classified; the kind test rejects
    // ordinary values in a few byte compares.
    if (!fresh || ls.id_confirmed) return;
    detail::IdKind kind = detail::classify_label_value(value);
    if (kind == detail::IdKind::kNone) return;
    // "instance" is host:port by convention (federation, pushed target labels).
    if (kind == detail::IdKind::kIpPort && ls.name == "instance") return;
    if (ls.id_kind == detail::IdKind::kNone) {
      ls.id_kind = kind;
      ls.id_hash = h;
      ls.id_example.assign(value.data(), value.size());
      ls.id_pos = l.pos;
      ls.id_line.assign(s.line.data(), s.line.size());
    } else if (h != ls.id_hash) {
      ls.id_confirmed = true;
    }
  }
};

Linter::Linter(Format format, const LinterOptions& options) : impl_(new Impl) {
  impl_->format = format;
  impl_->options = options;
}

Linter::~Linter() = default;

void Linter::on_metadata(const Metadata& m) {
  FamilyStat& f = impl_->family_for_metadata(m.family);
  if (!f.has_pos) {
    f.has_pos = true;
    f.pos = m.pos;
    f.line.assign(m.line.data(), m.line.size());
  }
  switch (m.kind) {
    case Metadata::Kind::kHelp: {
      // TextParser leaves Help unset for "# HELP name" with nothing after
      // the blanks, so promlint reports it as missing.
      std::string_view t = m.text;
      while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
      if (!t.empty()) f.has_help = true;
      break;
    }
    case Metadata::Kind::kType:
      if (f.samples == 0) {
        f.type = m.type;
        f.typed = true;
      }
      break;
    case Metadata::Kind::kUnit:
      f.has_unit = true;
      f.unit.assign(m.text.data(), m.text.size());
      f.unit_pos = m.pos;
      f.unit_line.assign(m.line.data(), m.line.size());
      break;
  }
}

void Linter::on_sample(const Sample& s) {
  Impl& im = *impl_;
  FamilyStat& f = im.family_for_sample(s);
  if (f.samples++ == 0) {
    if (!f.typed) f.type = s.type;
    if (!f.has_pos) {
      f.has_pos = true;
      f.pos = s.pos;
      f.line.assign(s.line.data(), s.line.size());
    }
  }
  const Span<std::uint64_t> pairs = im.pair_hashes(s);
  if (!detail::groups_by_signature(f.type)) im.track_label_set(f, s, pairs);
  im.flagged.clear();
  std::size_t i = 0;
  for (std::size_t k = 0; k < s.labels.size; ++k) {
    const Label& l = s.labels[k];
    if (detail::consumes_label(f.type, l.name)) continue;
    std::size_t at = im.label_stat(f, i++, l, s);
    LabelStat& ls = f.labels[at];
    if (ls.promlint_flagged) im.flagged.push_back(at);
    if (im.options.extended) im.track_value(ls, l, s, pairs[k]);
  }
  if (im.flagged.empty()) return;
  bool new_metric = true;
  if (detail::groups_by_signature(f.type)) {
    // LabelsToSignature over the labels TextParser keeps; order-independent.
    // The pair hashes are mixed non-linearly: a linear combination would
    // let {a="x",b="y"} collide with {a="y",b="x"}.
    std::uint64_t sig = 0;
    for (std::size_t k = 0; k < s.labels.size; ++k) {
      if (!detail::consumes_label(f.type, s.labels[k].name)) sig += pairs[k];
    }
    new_metric = f.signatures.insert(sig, std::size_t(1) << 22);
  }
  if (new_metric) {
    for (std::size_t at : im.flagged) ++f.labels[at].metrics;
  }
}

std::vector<LintProblem> Linter::finish() {
  std::vector<LintProblem> out;
  for (const auto& f : impl_->families) {
    if (f->samples == 0) continue;  // TextParser drops families without metrics
    detail::run_promlint(*f, impl_->format, out);
    if (impl_->options.extended) detail::run_extended(*f, impl_->format, impl_->options, out);
  }
  std::stable_sort(out.begin(), out.end(), [](const LintProblem& a, const LintProblem& b) {
    if (a.pos.offset != b.pos.offset) return a.pos.offset < b.pos.offset;
    if (a.metric != b.metric) return a.metric < b.metric;
    return a.message < b.message;
  });
  return out;
}


}  // namespace promvet::expfmt
