// Parser: splits the pushed chunks into lines (in place; only a line that
// straddles chunks is copied), lexes each line (line_lexer.cpp) and applies
// the format's semantics: TextParser's family attribution for text 0.0.4
// (below), OpenMetrics rules in om_family.cpp.
#include "expfmt/parser.h"

#include <cstring>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "base/strings.h"
#include "expfmt/lex_pipeline.h"
#include "expfmt/line_lexer.h"
#include "expfmt/om_family.h"
#include "expfmt/scan.h"
#include "expfmt/text_rules.h"

namespace promvet::expfmt {

using namespace parser_detail;

namespace {

constexpr std::size_t kDiagnosticLineBytes = 512;
// Chunks at least this long are lexed on the second thread when
// ParserOptions::lex_thread asks for it; below, the hand-over costs more
// than it saves.
constexpr std::size_t kLexAheadMinBytes = 64u << 10;

// TextParser drops every backslash of the TYPE word (readTokenUntilNewline
// without escapes) and upper-cases it: "Gau\ge" is a gauge.
bool parse_text_type(std::string_view w, MetricType& t) {
  if (w.size() > 64) return false;
  std::string up;
  for (char c : w)
    if (c != '\\') up.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
  if (up == "COUNTER") t = MetricType::kCounter;
  else if (up == "GAUGE") t = MetricType::kGauge;
  else if (up == "SUMMARY") t = MetricType::kSummary;
  else if (up == "UNTYPED") t = MetricType::kUntyped;
  else if (up == "HISTOGRAM") t = MetricType::kHistogram;
  // TextParser tolerates OpenMetrics' spelling too; neither is in the text format.
  else if (up == "GAUGE_HISTOGRAM" || up == "GAUGEHISTOGRAM") t = MetricType::kGaugeHistogram;
  else return false;
  return true;
}

// Families of a text 0.0.4 stream, resolved as TextParser.setOrCreateCurrentMF
// does: the exact name, else "x" for "x_count"/"x_sum" when "x" is a summary,
// else "x" for "x_count"/"x_sum"/"x_bucket" when "x" is a histogram.
class TextFamilies {
 public:
  struct Family {
    MetricType type = MetricType::kUntyped;
    bool typed = false;
    bool has_help = false;
    bool has_samples = false;
    std::uint64_t id = 0;  // hash_bytes of the family's name, its key here and TextRules' family id
  };

  // The family of name and the length of its name (a prefix of name).
  Family& resolve(std::string_view name, std::size_t& family_len) {
    for (const CacheEntry& c : cache_) {
      if (c.family && same_bytes(name, c.name)) {
        family_len = c.family_len;
        return *c.family;
      }
    }
    Family* f = find(name);
    family_len = name.size();
    if (!f) {
      std::string_view base = name;
      if (base::has_stem_and_suffix(name, "_count")) base = name.substr(0, name.size() - 6);
      else if (base::has_stem_and_suffix(name, "_sum")) base = name.substr(0, name.size() - 4);
      Family* b = base.size() != name.size() ? find(base) : nullptr;
      if (b && b->type == MetricType::kSummary) {
        f = b;
      } else {
        if (base::has_stem_and_suffix(name, "_bucket")) base = name.substr(0, name.size() - 7);
        b = base.size() != name.size() ? find(base) : nullptr;
        if (b && (b->type == MetricType::kHistogram || b->type == MetricType::kGaugeHistogram)) f = b;
      }
      if (f) {
        family_len = base.size();
      } else {
        const std::uint64_t id = hash_bytes(name);
        f = &families_[id];
        f->id = id;
      }
    }
    CacheEntry& c = cache_[next_entry_];
    next_entry_ = (next_entry_ + 1) % kCacheEntries;
    c.name.assign(name.data(), name.size());
    c.family_len = family_len;
    c.family = f;
    return *f;
  }
  void invalidate() {
    for (CacheEntry& c : cache_) c.family = nullptr;
  }

 private:
  Family* find(std::string_view name) {
    auto it = families_.find(hash_bytes(name));
    return it == families_.end() ? nullptr : &it->second;
  }
  // One entry per family name; pointers stay valid (node-based map).
  std::unordered_map<std::uint64_t, Family> families_;
  // The last few names resolved since the last comment line: a histogram's
  // samples take turns between x_bucket, x_sum and x_count (a summary's
  // between x, x_sum and x_count), and each change of name missed a
  // one-name cache, hashing the name and looking it up once or twice more.
  struct CacheEntry {
    std::string name;
    std::size_t family_len = 0;
    Family* family = nullptr;  // nullptr: unused
  };
  static constexpr std::size_t kCacheEntries = 4;
  CacheEntry cache_[kCacheEntries];
  std::size_t next_entry_ = 0;
};

}  // namespace

struct Parser::Impl final : ErrorSink {
  Impl(const ParserOptions& o, Handler& h)
      : opt(o), handler(h), lexer(o.format, o.utf8_names, o.max_labels), om(h, *this), rules(*this) {
    if (opt.max_line_bytes == 0) opt.max_line_bytes = 1;
  }

  void error(const Position& pos, std::string message, std::string_view line, std::string_view id = ids::kInvalid,
             base::Severity severity = base::Severity::kError) override {
    if (stopped) return;
    Diagnostic d;
    d.pos = pos;
    d.message = std::move(message);
    d.line.assign(line.data(), std::min(line.size(), kDiagnosticLineBytes));
    d.check_id = id;
    d.severity = severity;
    if (severity == base::Severity::kError) ++errors;
    handler.on_error(d);
    if (++reported >= opt.max_errors) stopped = true;
  }

  void feed(std::string_view chunk);
  const char* feed_lines(const char* p, const char* end);
  const char* feed_lines_ahead(const char* p, const char* end);
  void finish();
  void line_done(std::size_t len) {
    ++line_no;
    line_offset += len + 1;
  }
  void too_long(std::string_view head);
  void process_line(std::string_view line, bool terminated);
  void text_line(std::string_view line, const Position& pos, bool terminated);
  void om_line(std::string_view line, const Position& pos);
  void text_comment(std::string_view line, const Position& pos);
  void text_sample(std::string_view line, const Position& pos);
  // The current line lexed as a comment or a sample: by the lexing thread
  // when it ran ahead (ahead), else here. On failure error holds why.
  bool lex_comment_line(std::string_view line, const Position& pos, CommentLine*& out, LineError*& error);
  bool lex_sample_line(std::string_view line, const Position& pos, Sample*& out, LineError*& error,
                       std::uint32_t& ts_col);

  ParserOptions opt;
  Handler& handler;
  LineLexer lexer;
  OmFamilies om;
  TextFamilies text;
  TextRules rules;
  Sample own_sample;
  CommentLine own_comment;
  LineError own_error;
  std::unique_ptr<LexPipeline> pipeline;  // the lexing thread, once a chunk was big enough
  LexedLine* ahead = nullptr;             // the current line as the lexing thread lexed it

  std::string carry;        // start of a line that straddles chunks
  bool skipping = false;    // inside an over-long line, already reported
  std::size_t skipped = 0;  // bytes of that line so far
  std::uint64_t line_no = 1;
  std::uint64_t line_offset = 0;
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t samples = 0;
  std::uint64_t errors = 0;    // diagnostics that are errors
  std::uint64_t reported = 0;  // all diagnostics, warnings too
  bool stopped = false;
  bool finished = false;
  bool eof_seen = false;
};

void Parser::Impl::too_long(std::string_view head) {
  const std::uint32_t col = static_cast<std::uint32_t>(std::min<std::size_t>(opt.max_line_bytes, 0xfffffffe) + 1);
  error(Position{line_no, col, line_offset + opt.max_line_bytes},
        fmt::format("line longer than {} bytes; skipped", opt.max_line_bytes),
        head.substr(0, std::min(head.size(), opt.max_line_bytes)));
}

void Parser::Impl::feed(std::string_view chunk) {
  bytes += chunk.size();
  if (stopped || finished) return;
  const char* p = chunk.data();
  const char* end = p + chunk.size();
  if (skipping || !carry.empty()) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', chunk.size()));
    std::size_t piece = static_cast<std::size_t>((nl ? nl : end) - p);
    if (skipping) {
      skipped += piece;
      if (!nl) return;
      skipping = false;
      line_done(skipped);
      skipped = 0;
    } else if (carry.size() + piece > opt.max_line_bytes) {
      const std::size_t before = carry.size();
      carry.append(p, std::min(piece, opt.max_line_bytes - before));
      too_long(carry);
      skipped = before + piece;
      carry.clear();
      if (!nl) {
        skipping = true;
        return;
      }
      line_done(skipped);
      skipped = 0;
    } else {
      carry.append(p, piece);
      if (!nl) return;
      process_line(carry, true);
      carry.clear();
    }
    p = nl + 1;
  }
  const bool ahead_ok = opt.lex_thread && static_cast<std::size_t>(end - p) >= kLexAheadMinBytes &&
                        std::thread::hardware_concurrency() >= 2;
  p = ahead_ok ? feed_lines_ahead(p, end) : feed_lines(p, end);
  if (p < end && !stopped) {
    std::size_t rest = static_cast<std::size_t>(end - p);
    if (rest > opt.max_line_bytes) {
      too_long(std::string_view(p, rest));
      skipping = true;
      skipped = rest;
    } else {
      carry.assign(p, rest);
    }
  }
}

// The complete lines of [p, end); returns where the unterminated rest starts.
const char* Parser::Impl::feed_lines(const char* p, const char* end) {
  while (p < end && !stopped) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (!nl) break;
    std::string_view line(p, static_cast<std::size_t>(nl - p));
    if (line.size() > opt.max_line_bytes) {
      too_long(line);
      line_done(line.size());
    } else {
      process_line(line, true);
    }
    p = nl + 1;
  }
  return p;
}

// As feed_lines, with the lexing thread splitting and lexing the lines
// ahead; the lines are taken in order and processed exactly as there.
const char* Parser::Impl::feed_lines_ahead(const char* p, const char* end) {
  const void* last = memrchr(p, '\n', static_cast<std::size_t>(end - p));
  if (!last) return p;
  const char* rest = static_cast<const char*>(last) + 1;
  if (!pipeline)
    pipeline = std::make_unique<LexPipeline>(opt.format, opt.utf8_names, opt.max_labels, opt.max_line_bytes);
  pipeline->start(std::string_view(p, static_cast<std::size_t>(rest - p)), Position{line_no, 1, line_offset});
  while (LexedLine* l = pipeline->next()) {
    ahead = l;
    if (l->kind == LexedLine::Kind::kTooLong) {
      too_long(l->line);
      line_done(l->line.size());
    } else {
      process_line(l->line, true);
    }
    ahead = nullptr;
    if (stopped) {
      pipeline->cancel();
      break;
    }
  }
  return rest;
}

bool Parser::Impl::lex_comment_line(std::string_view line, const Position& pos, CommentLine*& out, LineError*& error) {
  if (ahead && ahead->kind == LexedLine::Kind::kComment && ahead->pos.offset == pos.offset) {
    out = &ahead->comment;
    error = &ahead->error;
    return ahead->ok;
  }
  out = &own_comment;
  error = &own_error;
  return lexer.lex_comment(line, own_comment, own_error);
}

bool Parser::Impl::lex_sample_line(std::string_view line, const Position& pos, Sample*& out, LineError*& error,
                                   std::uint32_t& ts_col) {
  if (ahead && ahead->kind == LexedLine::Kind::kSample && ahead->pos.offset == pos.offset) {
    out = &ahead->sample;
    error = &ahead->error;
    ts_col = ahead->buffers.ts_col;
    return ahead->ok;
  }
  out = &own_sample;
  error = &own_error;
  const bool ok = lexer.lex_sample(line, pos, own_sample, own_error);
  ts_col = lexer.timestamp_col();
  return ok;
}

void Parser::Impl::finish() {
  if (finished) return;
  finished = true;
  if (stopped) return;
  if (!skipping && !carry.empty()) process_line(carry, false);
  carry.clear();
  carry.shrink_to_fit();
  if (opt.format == Format::kText) rules.finish();
  if (opt.format == Format::kOpenMetrics) {
    om.finish();
    // At the end of an unterminated last line, else on the empty line after.
    const std::uint64_t col = std::min<std::uint64_t>(bytes - line_offset, 0xfffffffe) + 1;
    if (!eof_seen)
      error(Position{line_no, static_cast<std::uint32_t>(col), bytes}, "missing \"# EOF\" at end of input", "");
  }
}

void Parser::Impl::process_line(std::string_view line, bool terminated) {
  const Position pos{line_no, 1, line_offset};
  ++lines;
  if (opt.format == Format::kText) text_line(line, pos, terminated);
  else om_line(line, pos);
  if (terminated) line_done(line.size());
}

void Parser::Impl::om_line(std::string_view line, const Position& pos) {
  if (eof_seen) {
    // Reported once; everything after "# EOF" is ignored.
    error(pos, "unexpected content after \"# EOF\"", line);
    stopped = true;
    return;
  }
  if (line.empty()) {
    error(pos, "empty line: openmetrics does not allow blank lines", line);
    return;
  }
  LineError* lex_error = nullptr;
  if (line[0] == '#') {
    CommentLine* comment = nullptr;
    if (!lex_comment_line(line, pos, comment, lex_error)) {
      error(at_column(pos, lex_error->col), std::move(lex_error->message), line);
      return;
    }
    if (comment->kind == CommentKind::kEof) {
      eof_seen = true;
      return;
    }
    om.on_comment(*comment, pos, line);
    return;
  }
  Sample* sample = nullptr;
  std::uint32_t ts_col = 0;
  if (!lex_sample_line(line, pos, sample, lex_error, ts_col)) {
    error(at_column(pos, lex_error->col), std::move(lex_error->message), line);
    return;
  }
  sample->pos = pos;
  sample->line = line;
  ++samples;
  om.on_sample(*sample, ts_col);
}

void Parser::Impl::text_line(std::string_view line, const Position& pos, bool terminated) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i == line.size()) return;  // blank lines are fine in text 0.0.4
  if (line[i] == '#') text_comment(line, pos);
  else text_sample(line, pos);
  if (!terminated)
    error(at_column(pos, static_cast<std::uint32_t>(std::min<std::size_t>(line.size(), 0xfffffffe) + 1)),
          "unexpected end of input stream: the last line has no trailing newline", line);
}

void Parser::Impl::text_comment(std::string_view line, const Position& pos) {
  CommentLine* lexed = nullptr;
  LineError* lex_error = nullptr;
  if (!lex_comment_line(line, pos, lexed, lex_error)) {
    error(at_column(pos, lex_error->col), std::move(lex_error->message), line);
    return;
  }
  const CommentLine& comment = *lexed;
  if (comment.kind == CommentKind::kComment) return;
  text.invalidate();
  std::size_t family_len = 0;
  TextFamilies::Family* f = nullptr;
  // TextParser creates the family only when something follows the name.
  if (comment.blank_after_name) f = &text.resolve(comment.name, family_len);
  Metadata m;
  m.family = comment.name;
  m.pos = pos;
  m.line = line;
  const Position name_pos = at_column(pos, comment.name_col);
  if (comment.kind == CommentKind::kHelp) {
    if (f && comment.has_text) {
      if (f->has_help) {
        error(name_pos, fmt::format("second HELP line for metric name {}", quote(comment.name.substr(0, family_len))),
              line);
        return;
      }
      f->has_help = true;
      rules.on_metadata(comment.name.substr(0, family_len), pos, line);
    }
    m.kind = Metadata::Kind::kHelp;
    m.text = comment.has_text ? comment.text : std::string_view();
    handler.on_metadata(m);
    return;
  }
  if (!comment.has_text) return;  // "# TYPE name": TextParser ignores it
  if (f->typed || f->has_samples) {
    error(name_pos,
          fmt::format("second TYPE line for metric name {}, or TYPE reported after samples",
                      quote(comment.name.substr(0, family_len))),
          line);
    return;
  }
  MetricType t;
  if (!parse_text_type(comment.text, t)) {
    error(at_column(pos, comment.text_col), fmt::format("unknown metric type {}", quote(comment.text)), line);
    return;
  }
  f->typed = true;
  f->type = t;
  rules.on_metadata(comment.name.substr(0, family_len), pos, line);
  m.kind = Metadata::Kind::kType;
  m.text = comment.text;
  m.type = t;
  handler.on_metadata(m);
}

void Parser::Impl::text_sample(std::string_view line, const Position& pos) {
  Sample* lexed = nullptr;
  LineError* lex_error = nullptr;
  std::uint32_t ts_col = 0;
  if (!lex_sample_line(line, pos, lexed, lex_error, ts_col)) {
    error(at_column(pos, lex_error->col), std::move(lex_error->message), line);
    return;
  }
  Sample& sample = *lexed;
  std::size_t family_len = 0;
  TextFamilies::Family& f = text.resolve(sample.name, family_len);
  f.has_samples = true;
  // TextParser reads "quantile" of summaries and "le" of histograms as floats.
  const bool histogram = f.type == MetricType::kHistogram || f.type == MetricType::kGaugeHistogram;
  const std::string_view special = f.type == MetricType::kSummary ? "quantile" : histogram ? "le" : "";
  const Label* le = nullptr;  // a histogram's "le", read once here for TextRules too
  double le_value = 0;
  if (!special.empty()) {
    for (const Label& l : sample.labels) {
      double v;
      if (l.name != special) continue;
      if (!parse_float(l.value, v)) {
        error(l.pos, fmt::format("expected float as value for {} label, got {}", quote(special), quote(l.value)), line);
        return;
      }
      if (histogram) {
        le = &l;
        le_value = v;
      }
    }
  }
  sample.family = sample.name.substr(0, family_len);
  sample.type = f.type;
  sample.pos = pos;
  sample.line = line;
  ++samples;
  rules.on_sample(sample, f.id, le, le_value);
  sample.label_hashes = rules.label_hashes();
  handler.on_sample(sample);
}

Parser::Parser(const ParserOptions& options, Handler& handler) : impl_(std::make_unique<Impl>(options, handler)) {}
Parser::~Parser() = default;

void Parser::feed(std::string_view chunk) { impl_->feed(chunk); }
void Parser::finish() { impl_->finish(); }
bool Parser::ok() const { return impl_->errors == 0; }
std::uint64_t Parser::error_count() const { return impl_->errors; }
std::uint64_t Parser::bytes() const { return impl_->bytes; }
std::uint64_t Parser::lines() const { return impl_->lines; }
std::uint64_t Parser::samples() const { return impl_->samples; }

}  // namespace promvet::expfmt
