// A test-only event source for the Linter: turns well-formed exposition
// text into Metadata/Sample events the way expfmt::Parser does, so lint
// tests do not depend on the real parser. No validation, no timestamps or
// exemplars; label values may hold escapes, commas, spaces and braces.
//
// Family resolution mirrors prometheus/common TextParser: "x_sum",
// "x_count" and "x_bucket" join family "x" only if "x" already exists as a
// summary (not "_bucket") or histogram; otherwise the sample's own name is
// the family. In OpenMetrics, "x_total", "x_created"... join any family "x".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "expfmt/events.h"

namespace promvet::test {

class LineFeeder {
 public:
  LineFeeder(expfmt::Format format, expfmt::Handler& h) : format_(format), h_(h) {}

  void feed(const std::string& text) {
    std::size_t start = 0;
    std::uint64_t line_no = 1;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      line(std::string_view(text).substr(start, end - start), expfmt::Position{line_no, 1, start});
      start = end + 1;
      ++line_no;
    }
  }

 private:
  using MetricType = expfmt::MetricType;

  static MetricType type_from_word(std::string_view w) {
    if (w == "counter") return MetricType::kCounter;
    if (w == "gauge") return MetricType::kGauge;
    if (w == "histogram") return MetricType::kHistogram;
    if (w == "gaugehistogram") return MetricType::kGaugeHistogram;
    if (w == "summary") return MetricType::kSummary;
    if (w == "info") return MetricType::kInfo;
    if (w == "stateset") return MetricType::kStateSet;
    if (w == "untyped") return MetricType::kUntyped;
    return MetricType::kUnknown;
  }

  static bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  }

  MetricType default_type() const {
    return format_ == expfmt::Format::kText ? MetricType::kUntyped : MetricType::kUnknown;
  }

  std::string resolve(std::string_view name) const {
    std::string n(name);
    if (types_.count(n)) return n;
    static const char* const kSuffixes[] = {"_total", "_created", "_bucket", "_count",
                                            "_sum",   "_gcount",  "_gsum",   "_info"};
    for (std::string_view suf : kSuffixes) {
      if (!ends_with(name, suf)) continue;
      std::string parent(name.substr(0, name.size() - suf.size()));
      auto it = types_.find(parent);
      if (it == types_.end()) continue;
      if (format_ == expfmt::Format::kOpenMetrics) return parent;
      bool summary = it->second == MetricType::kSummary, histogram = it->second == MetricType::kHistogram;
      if ((suf == "_count" || suf == "_sum") && (summary || histogram)) return parent;
      if (suf == "_bucket" && histogram) return parent;
    }
    return n;
  }

  void metadata(std::string_view l, expfmt::Position pos) {
    // "# KEYWORD name text"; other comments are ignored.
    std::string_view rest = l.substr(1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    std::size_t sp = rest.find_first_of(" \t");
    if (sp == std::string_view::npos) return;
    std::string_view kw = rest.substr(0, sp);
    if (kw != "HELP" && kw != "TYPE" && kw != "UNIT") return;
    rest = rest.substr(sp + 1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    sp = rest.find_first_of(" \t");
    std::string_view name = rest.substr(0, sp);
    std::string_view text = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    if (kw == "HELP" || kw == "UNIT") {
      // The parser strips the blanks after the name for HELP and UNIT.
      while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    }
    expfmt::Metadata m;
    m.kind = kw == "HELP"   ? expfmt::Metadata::Kind::kHelp
             : kw == "TYPE" ? expfmt::Metadata::Kind::kType
                            : expfmt::Metadata::Kind::kUnit;
    std::string family = resolve(name);
    m.family = family;
    m.text = text;
    m.pos = pos;
    m.line = l;
    if (m.kind == expfmt::Metadata::Kind::kType) {
      while (!m.text.empty() && (m.text.back() == ' ' || m.text.back() == '\t')) m.text.remove_suffix(1);
      while (!m.text.empty() && (m.text.front() == ' ' || m.text.front() == '\t')) m.text.remove_prefix(1);
      m.type = type_from_word(m.text);
      types_[family] = m.type;
    } else if (!types_.count(family)) {
      types_[family] = default_type();
    }
    h_.on_metadata(m);
  }

  void line(std::string_view l, expfmt::Position pos) {
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) {
      l.remove_prefix(1);
      ++pos.column;
    }
    if (l.empty()) return;
    if (l[0] == '#') return metadata(l, pos);
    std::size_t i = 0;
    while (i < l.size() && l[i] != '{' && l[i] != ' ' && l[i] != '\t') ++i;
    std::string_view name = l.substr(0, i);
    values_.clear();
    names_.clear();
    std::vector<std::size_t> label_pos;
    if (i < l.size() && l[i] == '{') {
      ++i;
      while (i < l.size() && l[i] != '}') {
        while (i < l.size() && (l[i] == ' ' || l[i] == ',')) ++i;
        if (l[i] == '}') break;
        std::size_t start = i;
        while (i < l.size() && l[i] != '=') ++i;
        names_.emplace_back(l.substr(start, i - start));
        label_pos.push_back(start);
        i += 2;  // ="
        std::string v;
        while (i < l.size() && l[i] != '"') {
          if (l[i] == '\\' && i + 1 < l.size()) {
            ++i;
            v += l[i] == 'n' ? '\n' : l[i];
          } else {
            v += l[i];
          }
          ++i;
        }
        ++i;  // closing quote
        values_.push_back(std::move(v));
      }
      ++i;  // '}'
    }
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    std::size_t vend = l.find_first_of(" \t", i);
    std::vector<expfmt::Label> labels;
    for (std::size_t k = 0; k < names_.size(); ++k) {
      expfmt::Position lp = pos;
      lp.column = static_cast<std::uint32_t>(pos.column + label_pos[k]);
      lp.offset = pos.offset + label_pos[k];
      labels.push_back(expfmt::Label{names_[k], values_[k], lp});
    }
    std::string family = resolve(name);
    if (!types_.count(family)) types_[family] = default_type();
    expfmt::Sample s;
    s.name = name;
    s.family = family;
    s.type = types_[family];
    s.labels = expfmt::Span<expfmt::Label>{labels.data(), labels.size()};
    s.value_text = l.substr(i, vend == std::string_view::npos ? std::string_view::npos : vend - i);
    s.pos = pos;
    s.line = l;
    h_.on_sample(s);
  }

  expfmt::Format format_;
  expfmt::Handler& h_;
  std::map<std::string, MetricType> types_;
  std::vector<std::string> names_;
  std::vector<std::string> values_;
};

}  // namespace promvet::test
