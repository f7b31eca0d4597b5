#include "expfmt/line_lexer.h"

#include <cstring>

#include <fmt/format.h>

namespace promvet::expfmt::parser_detail {

namespace {

constexpr std::size_t kExemplarMaxCodePoints = 128;

}  // namespace

LineLexer::LineLexer(Format format, bool utf8_names, std::size_t max_labels)
    : format_(format), text_(format == Format::kText), utf8_names_(utf8_names), max_labels_(max_labels) {
  own_.labels.reserve(32);
  own_.exemplar_labels.reserve(8);
  own_.label_hashes.reserve(32);
  own_.scratch.resize(4096);
}

char* LineLexer::scratch_alloc(std::size_t n) {
  // The caller sized b_->scratch to the line, and unescaping never grows text,
  // so this never reallocates while views into it are alive.
  char* p = b_->scratch.data() + b_->scratch_used;
  b_->scratch_used += n;
  return p;
}

bool LineLexer::lex_name_slow(std::string_view line, std::size_t& i, std::string_view& out, bool colon,
                              LineError& err) {
  const char* what = colon ? "metric name" : "label name";
  if (i < line.size() && line[i] == '"' && utf8_names_) {
    std::size_t b = i;
    if (!lex_quoted(line, i, out, false, err)) return false;
    if (out.empty()) return fail(err, b, fmt::format("empty quoted {}", what));
    return true;
  }
  if (i >= line.size() || !is_name_start(static_cast<unsigned char>(line[i]), colon))
    return fail(err, i, fmt::format("invalid {}: expected a {}, found {}", what, what, found(line, i)));
  std::size_t b = i;
  i = skip_name_chars(line.data(), i + 1, line.size(), colon);
  out = line.substr(b, i - b);
  return true;
}

bool LineLexer::lex_quoted_slow(std::string_view line, std::size_t& i, std::string_view& out, bool is_value,
                                LineError& err) {
  const std::size_t n = line.size();
  const std::size_t open = i;
  const std::size_t b = i + 1;
  const char* base = line.data();
  // One pass finds the closing quote, skipping escaped ones, and notes
  // whether there were escapes or high bytes (which need a second look).
  bool escaped = false;
  bool high = false;
  std::size_t close = b;
  for (;;) {
    close = find_quote_special(base, close, n);
    if (close >= n) break;
    const char c = base[close];
    if (c == '"') break;
    if (c == '\\') {
      escaped = true;
      close += 2;
      if (close > n) close = n;
    } else {
      high = true;
      ++close;
    }
  }
  const char* what = is_value ? "label value" : "quoted name";
  if (close >= n) return fail(err, open, fmt::format("unterminated {}: missing closing '\"'", what));
  std::string_view raw = line.substr(b, close - b);
  i = close + 1;
  if (high) {
    std::size_t bad = invalid_utf8_at(raw);
    if (bad != std::string_view::npos) return fail(err, b + bad, fmt::format("invalid utf-8 in {}", what));
  }
  if (!escaped) {
    out = raw;
    return true;
  }
  char* dst = scratch_alloc(raw.size());
  std::size_t k = 0;
  for (std::size_t j = 0; j < raw.size(); ++j) {
    char c = raw[j];
    if (c != '\\') {
      dst[k++] = c;
      continue;
    }
    char e = raw[++j];  // raw never ends in a lone backslash: it escaped the quote
    switch (e) {
      case '\\': dst[k++] = '\\'; break;
      case '"': dst[k++] = '"'; break;
      case 'n': dst[k++] = '\n'; break;
      default:
        if (text_)
          return fail(err, b + j - 1,
                      fmt::format("invalid escape sequence {} in {}", quote(raw.substr(j - 1, 2)), what));
        // OpenMetrics parsers keep an unknown escape as written (corpus
        // "escaping": "\z").
        dst[k++] = '\\';
        dst[k++] = e;
    }
  }
  out = std::string_view(dst, k);
  return true;
}

bool LineLexer::has_label_hashed(const Label* labels, std::size_t count, std::string_view lname) {
  bool dup = false;
  if (count == kLinearDupCheck) {
    label_names_.clear();
    for (std::size_t k = 0; k < count; ++k) label_names_.insert(hash_bytes(labels[k].name));
  }
  if (!label_names_.insert(hash_bytes(lname)))
    for (std::size_t k = 0; k < count; ++k) dup |= labels[k].name == lname;
  return dup;
}

bool LineLexer::lex_labels(std::string_view line, std::size_t& i, const Position& start, std::vector<Label>& labels,
                           std::string_view* name, LineError& err) {
  const std::size_t n = line.size();
  const std::size_t open = i++;
  bool after_comma = false;
  // One bit per label name so far, from its first byte and length: a name
  // whose bit is not set yet cannot repeat an earlier one, so the byte-wise
  // compares with every earlier name run only for the rare shared bit
  // (they were a tenth of this function's instructions). All bits set when
  // labels arrives with labels already in it.
  std::uint64_t names_seen = labels.empty() ? 0 : ~std::uint64_t{0};
  for (;;) {
    if (text_)
      while (i < n && is_blank(line[i])) ++i;
    if (i >= n) return fail(err, i, fmt::format("unexpected end of line in label set opened at column {}", col(open)));
    if (line[i] == '}') {
      if (after_comma && !text_)
        return fail(err, i, "unexpected \"}\" after \",\": openmetrics forbids a trailing comma");
      ++i;
      return true;
    }
    const std::size_t name_i = i;
    const bool quoted = line[i] == '"' && utf8_names_;
    // The label is lexed into a new last element, where its views stay:
    // building it in locals and copying it in cost a store-forwarding
    // stall per label (narrow stores read back as one wide load). Removed
    // again when it turns out to be the metric name.
    const std::size_t have = labels.size();
    Label& cur = labels.emplace_back();
    if (!lex_name(line, i, cur.name, false, err)) return false;
    const std::string_view lname = cur.name;
    if (text_)
      while (i < n && is_blank(line[i])) ++i;
    if (name && utf8_names_ && (quoted || text_) && i < n && (line[i] == ',' || line[i] == '}')) {
      // Prometheus 3: {"my.metric", a="b"} names the metric inside braces,
      // at any position ({a="b", "my.metric"} too, as TextParser and
      // Prometheus' parsers read it), once.
      labels.pop_back();
      if (!name->empty())
        return fail(err, name_i,
                    fmt::format("multiple metric names in the label set: {} and {}", quote(*name), quote(lname)));
      *name = lname;
      after_comma = false;
      if (line[i] == ',') {
        ++i;
        after_comma = true;
      }
      continue;
    }
    if (i >= n || line[i] != '=')
      return fail(err, i, fmt::format("expected \"=\" after label name {}, found {}", quote(lname), found(line, i)));
    ++i;
    if (text_)
      while (i < n && is_blank(line[i])) ++i;
    if (i >= n || line[i] != '"')
      return fail(err, i, fmt::format("expected '\"' at start of label value, found {}", found(line, i)));
    if (!lex_quoted(line, i, cur.value, true, err)) return false;
    if (lname == "__name__") return fail(err, name_i, "label name \"__name__\" is reserved");
    if (have >= max_labels_) return fail(err, name_i, fmt::format("too many labels: more than {}", max_labels_));
    const std::uint64_t name_bit = std::uint64_t{1} << ((static_cast<unsigned char>(lname[0]) + lname.size() * 5) & 63);
    if ((have >= kLinearDupCheck || (names_seen & name_bit) != 0) && has_label(labels.data(), have, lname))
      return fail(err, name_i, fmt::format("duplicate label name {}", quote(lname)));
    names_seen |= name_bit;
    cur.pos = Position{start.line, col(name_i), start.offset + name_i};
    after_comma = false;
    if (text_)
      while (i < n && is_blank(line[i])) ++i;
    if (i < n && line[i] == ',') {
      ++i;
      after_comma = true;
      continue;
    }
    if (i < n && line[i] == '}') {
      ++i;
      return true;
    }
    return fail(err, i, fmt::format("expected \",\" or \"}}\" after label value, found {}", found(line, i)));
  }
}

bool LineLexer::lex_sample(std::string_view line, const Position& start, Sample& s, LineError& err) {
  if (b_->scratch.size() < line.size()) b_->scratch.resize(line.size() + line.size() / 2);
  b_->scratch_used = 0;
  b_->labels.clear();
  b_->exemplar_labels.clear();
  s.label_hashes = {};
  b_->ts_col = 0;
  s.has_timestamp = false;
  s.timestamp = 0;
  s.has_exemplar = false;
  s.exemplar = Exemplar{};
  std::size_t i = 0;
  if (text_)
    while (i < line.size() && is_blank(line[i])) ++i;
  if (!lex_series(line, i, start, s.name, err)) return false;
  s.labels = Span<Label>{b_->labels.data(), b_->labels.size()};
  if (make_hashes_) {
    b_->label_hashes.resize(b_->labels.size());
    for (std::size_t k = 0; k < b_->labels.size(); ++k) b_->label_hashes[k] = label_pair_hash(b_->labels[k]);
    s.label_hashes = Span<std::uint64_t>{b_->label_hashes.data(), b_->label_hashes.size()};
  }
  if (!lex_value(line, i, start, s, err)) return false;
  if (i == line.size()) return true;
  return text_ ? lex_text_timestamp(line, i, s, err) : lex_om_tail(line, i, start, s, err);
}

// The metric name and label set: name{...}, name, or {"name", ...}.
bool LineLexer::lex_series(std::string_view line, std::size_t& i, const Position& start, std::string_view& name,
                           LineError& err) {
  const std::size_t n = line.size();
  name = {};
  if (i < n && line[i] == '{') {
    const std::size_t open = i;
    if (!lex_labels(line, i, start, b_->labels, &name, err)) return false;
    if (name.empty()) return fail(err, open, "missing metric name before the label set");
    return true;
  }
  const bool quoted = i < n && line[i] == '"';
  if (!lex_name(line, i, name, true, err)) return false;
  if (!quoted && i < n) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    // TextParser reads "a-1 2" as a, value -1, timestamp 2: only a token
    // that is no float is a broken name there.
    if (c == '.' || c == '-' || c == '/' || c >= 0x80) {
      std::size_t e = i;
      while (text_ && e < n && !is_blank(line[e])) ++e;
      double ignored;
      if (!(text_ && parse_float(line.substr(i, e - i), ignored)))
        return fail(err, i,
                    fmt::format("invalid character {} in metric name{}", found(line, i),
                                utf8_names_ ? "; quote the name: {\"my.metric\"}" : ""));
    }
  }
  std::size_t j = i;
  if (text_)
    while (j < n && is_blank(line[j])) ++j;
  if (j < n && line[j] == '{') {
    i = j;
    return lex_labels(line, i, start, b_->labels, nullptr, err);
  }
  return true;
}

// The separator before the value and the value; i ends after the value.
bool LineLexer::lex_value(std::string_view line, std::size_t& i, const Position& start, Sample& s, LineError& err) {
  const std::size_t n = line.size();
  if (text_) {
    while (i < n && is_blank(line[i])) ++i;
  } else {
    if (i >= n || line[i] != ' ')
      return fail(err, i, fmt::format("expected a space before the value, found {}", found(line, i)));
    ++i;
  }
  const std::size_t vs = i;
  while (i < n && line[i] != ' ' && !(text_ && line[i] == '\t')) ++i;
  const std::string_view vt(line.data() + vs, i - vs);
  if (vt.empty() && !text_ && vs < n)
    return fail(err, vs, "unexpected space: openmetrics separates tokens with a single space");
  if (!parse_float(vt, s.value)) return fail(err, vs, fmt::format("expected float as value, got {}", quote(vt)));
  s.value_text = vt;
  s.value_pos = Position{start.line, col(vs), start.offset + vs};
  return true;
}

// Text 0.0.4: blanks and an integer timestamp in milliseconds, then nothing.
bool LineLexer::lex_text_timestamp(std::string_view line, std::size_t& i, Sample& s, LineError& err) {
  const std::size_t n = line.size();
  while (i < n && is_blank(line[i])) ++i;
  const std::size_t ts = i;
  while (i < n && !is_blank(line[i])) ++i;
  std::string_view tt = line.substr(ts, i - ts);
  std::int64_t v = 0;
  if (!parse_int64(tt, v)) return fail(err, ts, fmt::format("expected integer as timestamp, got {}", quote(tt)));
  if (i != n) return fail(err, i, fmt::format("spurious string after timestamp: {}", quote(line.substr(i))));
  s.has_timestamp = true;
  s.timestamp = static_cast<double>(v);
  b_->ts_col = col(ts);
  return true;
}

// OpenMetrics after the value: " timestamp", " # {exemplar}", or both.
bool LineLexer::lex_om_tail(std::string_view line, std::size_t& i, const Position& start, Sample& s, LineError& err) {
  const std::size_t n = line.size();
  ++i;  // the single space
  if (i == n) return fail(err, i - 1, "unexpected trailing space");
  if (line[i] != '#') {
    const std::size_t ts = i;
    while (i < n && line[i] != ' ') ++i;
    std::string_view tt = line.substr(ts, i - ts);
    if (tt.empty()) return fail(err, ts, "unexpected space: openmetrics separates tokens with a single space");
    if (!parse_real(tt, s.timestamp))
      return fail(err, ts, fmt::format("expected a finite float as timestamp, got {}", quote(tt)));
    s.has_timestamp = true;
    b_->ts_col = col(ts);
    if (i == n) return true;
    ++i;
    if (i == n) return fail(err, i - 1, "unexpected trailing space");
    if (line[i] != '#') return fail(err, i, fmt::format("unexpected {} after timestamp", quote(line.substr(i))));
  }
  return lex_exemplar(line, i, start, s, err);
}

bool LineLexer::lex_exemplar(std::string_view line, std::size_t& i, const Position& start, Sample& s, LineError& err) {
  const std::size_t n = line.size();
  const std::size_t hash = i;
  if (i + 2 >= n || line[i + 1] != ' ' || line[i + 2] != '{')
    return fail(err, hash, "expected \" # {\" to start an exemplar");
  i += 2;
  if (!lex_labels(line, i, start, b_->exemplar_labels, nullptr, err)) return false;
  std::size_t code_points = 0;
  for (const Label& l : b_->exemplar_labels) code_points += count_code_points(l.name) + count_code_points(l.value);
  if (code_points > kExemplarMaxCodePoints)
    return fail(
        err, hash + 2,
        fmt::format("exemplar label set has {} utf-8 code points, more than {}", code_points, kExemplarMaxCodePoints));
  if (i >= n || line[i] != ' ')
    return fail(err, i, fmt::format("expected a space before the exemplar value, found {}", found(line, i)));
  ++i;
  Exemplar& ex = s.exemplar;
  const std::size_t vs = i;
  while (i < n && line[i] != ' ') ++i;
  std::string_view vt = line.substr(vs, i - vs);
  if (!parse_float(vt, ex.value))
    return fail(err, vs, fmt::format("expected float as exemplar value, got {}", quote(vt)));
  if (i < n) {
    ++i;
    const std::size_t ts = i;
    while (i < n && line[i] != ' ') ++i;
    std::string_view tt = line.substr(ts, i - ts);
    if (tt.empty()) return fail(err, ts - 1, "unexpected trailing space");
    if (!parse_real(tt, ex.timestamp))
      return fail(err, ts, fmt::format("expected a finite float as exemplar timestamp, got {}", quote(tt)));
    if (i != n) return fail(err, i, fmt::format("unexpected {} after exemplar timestamp", quote(line.substr(i))));
    ex.has_timestamp = true;
  }
  ex.labels = Span<Label>{b_->exemplar_labels.data(), b_->exemplar_labels.size()};
  ex.pos = Position{start.line, col(hash), start.offset + hash};
  s.has_exemplar = true;
  return true;
}

}  // namespace promvet::expfmt::parser_detail
