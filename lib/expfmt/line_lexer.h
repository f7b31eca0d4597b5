// Splits one exposition line into tokens: the syntax of sample and comment
// lines in text 0.0.4 (as prometheus/common TextParser reads it) and in
// OpenMetrics 1.0 (the spec's ABNF). Knows nothing about families or types;
// parser.cpp and om_family.cpp add the semantics. Internal to lib/expfmt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expfmt/events.h"
#include "expfmt/scan.h"

namespace promvet::expfmt::parser_detail {

struct LineError {
  std::uint32_t col = 1;  // 1-based byte column of the offending byte
  std::string message;
};

// Small helpers shared by line_lexer*.cpp.
inline bool is_blank(char c) { return c == ' ' || c == '\t'; }
inline std::uint32_t col(std::size_t i) { return static_cast<std::uint32_t>(i + 1); }
// The byte at i for "found ..." messages.
inline std::string found(std::string_view line, std::size_t i) {
  if (i >= line.size()) return "end of line";
  return quote(line.substr(i, 1));
}
inline bool fail(LineError& err, std::size_t i, std::string message) {
  err.col = col(i);
  err.message = std::move(message);
  return false;
}

enum class CommentKind : std::uint8_t { kComment, kHelp, kType, kUnit, kEof };

struct CommentLine {
  CommentKind kind = CommentKind::kComment;
  std::string_view name;  // unquoted family name
  std::uint32_t name_col = 0;
  bool has_text = false;          // text 0.0.4: something followed the name
  bool blank_after_name = false;  // text 0.0.4: TextParser then creates the family
  std::string_view text;          // HELP unescaped; TYPE/UNIT as written
  std::uint32_t text_col = 0;
};

// What a lexed line's views may point into besides the line: its labels
// and its unescaped strings. The lexer has its own; the lexing thread
// (lex_pipeline.h) gives each queued line one of its own.
struct LexBuffers {
  std::vector<Label> labels;
  std::vector<Label> exemplar_labels;
  std::vector<std::uint64_t> label_hashes;  // Sample::label_hashes
  std::vector<char> scratch;
  std::size_t scratch_used = 0;
  std::uint32_t ts_col = 0;
};

class LineLexer {
 public:
  LineLexer(Format format, bool utf8_names, std::size_t max_labels);
  // Where the next lexed lines keep their labels and unescaped text
  // (nullptr: the lexer's own buffers).
  void use_buffers(LexBuffers* b) { b_ = b ? b : &own_; }

  // A sample line. Fills name, labels, label_hashes, value, timestamp and
  // exemplar of out (pos, line, family and type are the caller's). Views
  // point into line or into the lexer's buffers, valid until the next call.
  // The label-pair hashes are made here so that with the lexing thread
  // (lex_pipeline.h) that thread makes them, not the parser's.
  bool lex_sample(std::string_view line, const Position& start, Sample& out, LineError& err);
  // A line whose first non-blank byte is '#'.
  bool lex_comment(std::string_view line, CommentLine& out, LineError& err);
  // Column of the timestamp token of the last lexed sample (0 if none).
  std::uint32_t timestamp_col() const { return b_->ts_col; }
  // Whether lex_sample makes Sample::label_hashes (on by default). Off, it
  // leaves them empty and whoever needs them hashes (TextRules, the
  // linter): the lexing thread turns it off while the parser keeps up with
  // it, so the pair hashing goes to whichever thread has time for it.
  void set_make_hashes(bool on) { make_hashes_ = on; }

 private:
  // A metric or label name at i; i moves past it. The common case (an
  // unquoted name) inline, the rest (quoted names, errors) out of line.
  bool lex_name(std::string_view line, std::size_t& i, std::string_view& out, bool colon, LineError& err) {
    const std::size_t n = line.size();
    if (i < n && is_name_start(static_cast<unsigned char>(line[i]), colon)) {
      const std::size_t b = i;
      i = skip_name_chars(line.data(), i + 1, n, colon);
      out = std::string_view(line.data() + b, i - b);
      return true;
    }
    return lex_name_slow(line, i, out, colon, err);
  }
  // A quoted string at i (i at the opening '"'); i moves past the closing
  // one. The common case (no escape, no byte >= 0x80) inline.
  bool lex_quoted(std::string_view line, std::size_t& i, std::string_view& out, bool is_value, LineError& err) {
    const std::size_t n = line.size();
    const std::size_t e = find_quote_special(line.data(), i + 1, n);
    if (e < n && line[e] == '"') {
      out = std::string_view(line.data() + i + 1, e - i - 1);
      i = e + 1;
      return true;
    }
    return lex_quoted_slow(line, i, out, is_value, err);
  }
  bool lex_name_slow(std::string_view line, std::size_t& i, std::string_view& out, bool colon, LineError& err);
  bool lex_quoted_slow(std::string_view line, std::size_t& i, std::string_view& out, bool is_value, LineError& err);
  // Whether labels has one named lname: compared one by one for the usual
  // few labels, through a hash set of the names beyond kLinearDupCheck.
  bool has_label(const Label* labels, std::size_t count, std::string_view lname) {
    if (count >= kLinearDupCheck) return has_label_hashed(labels, count, lname);
    bool dup = false;
    for (std::size_t k = 0; k < count; ++k) dup |= same_bytes(labels[k].name, lname);
    return dup;
  }
  bool has_label_hashed(const Label* labels, std::size_t count, std::string_view lname);
  static constexpr std::size_t kLinearDupCheck = 16;
  bool lex_labels(std::string_view line, std::size_t& i, const Position& start, std::vector<Label>& labels,
                  std::string_view* name, LineError& err);
  bool lex_text_comment_head(std::string_view line, std::size_t& i, CommentLine& out, bool& has_text, LineError& err);
  bool lex_om_comment_head(std::string_view line, std::size_t& i, CommentLine& out, bool& has_text, LineError& err);
  bool lex_help_text(std::string_view raw, std::size_t i, CommentLine& out, LineError& err);
  bool lex_series(std::string_view line, std::size_t& i, const Position& start, std::string_view& name, LineError& err);
  bool lex_value(std::string_view line, std::size_t& i, const Position& start, Sample& s, LineError& err);
  bool lex_text_timestamp(std::string_view line, std::size_t& i, Sample& s, LineError& err);
  bool lex_om_tail(std::string_view line, std::size_t& i, const Position& start, Sample& s, LineError& err);
  bool lex_exemplar(std::string_view line, std::size_t& i, const Position& start, Sample& out, LineError& err);
  char* scratch_alloc(std::size_t n);

  Format format_;
  bool text_;
  bool utf8_names_;
  std::size_t max_labels_;
  LexBuffers own_;
  LexBuffers* b_ = &own_;
  FlatHashSet label_names_;
  bool make_hashes_ = true;
};

}  // namespace promvet::expfmt::parser_detail
