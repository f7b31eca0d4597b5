// LineLexer::lex_comment: "# HELP/TYPE/UNIT/EOF" lines and free comments.
#include <fmt/format.h>

#include "expfmt/line_lexer.h"

namespace promvet::expfmt::parser_detail {

bool LineLexer::lex_comment(std::string_view line, CommentLine& out, LineError& err) {
  if (b_->scratch.size() < line.size()) b_->scratch.resize(line.size() + line.size() / 2);
  b_->scratch_used = 0;
  out = CommentLine{};
  std::size_t i = 0;
  bool has_text = false;  // the line goes on with a HELP text, a type or a unit at i
  if (!(text_ ? lex_text_comment_head(line, i, out, has_text, err) : lex_om_comment_head(line, i, out, has_text, err)))
    return false;
  if (!has_text) return true;
  std::string_view raw = line.substr(i);
  if (out.kind != CommentKind::kHelp) {
    out.text = raw;
    return true;
  }
  return lex_help_text(raw, i, out, err);
}

// Text 0.0.4, TextParser's reading: anything but "# HELP name ..." /
// "# TYPE name ..." is a free comment, including "# HELP" alone.
bool LineLexer::lex_text_comment_head(std::string_view line, std::size_t& i, CommentLine& out, bool& has_text,
                                      LineError& err) {
  const std::size_t n = line.size();
  while (i < n && is_blank(line[i])) ++i;
  ++i;  // '#'
  while (i < n && is_blank(line[i])) ++i;
  std::size_t kb = i;
  while (i < n && !is_blank(line[i])) ++i;
  std::string_view kw = line.substr(kb, i - kb);
  if (i == n || (kw != "HELP" && kw != "TYPE")) return true;
  while (i < n && is_blank(line[i])) ++i;
  if (i == n) return true;
  out.name_col = col(i);
  if (line[i] == '"' && utf8_names_) {
    if (!lex_quoted(line, i, out.name, false, err)) return false;
  } else {
    std::size_t b = i;
    while (i < n && is_name_char(static_cast<unsigned char>(line[i]), true)) ++i;
    out.name = line.substr(b, i - b);
    if (!out.name.empty() && !is_name_start(static_cast<unsigned char>(out.name[0]), true))
      return fail(err, b, "invalid metric name in comment");
  }
  if (i < n && !is_blank(line[i])) return fail(err, i, "invalid metric name in comment");
  if (out.name.empty()) return true;
  out.blank_after_name = i < n;
  out.kind = kw == "HELP" ? CommentKind::kHelp : CommentKind::kType;
  while (i < n && is_blank(line[i])) ++i;
  if (i == n) return true;
  out.has_text = has_text = true;
  out.text_col = col(i);
  return true;
}

// OpenMetrics: "# EOF", or "# HELP|TYPE|UNIT name " and the rest.
bool LineLexer::lex_om_comment_head(std::string_view line, std::size_t& i, CommentLine& out, bool& has_text,
                                    LineError& err) {
  const std::size_t n = line.size();
  if (n < 2 || line[1] != ' ')
    return fail(err, 1,
                "expected a space after \"#\": openmetrics allows only \"# HELP\", "
                "\"# TYPE\", \"# UNIT\" and \"# EOF\" comments");
  std::string_view rest = line.substr(2);
  if (rest == "EOF") {
    out.kind = CommentKind::kEof;
    return true;
  }
  std::string_view kw = rest.substr(0, 4);
  if (kw == "HELP") out.kind = CommentKind::kHelp;
  else if (kw == "TYPE") out.kind = CommentKind::kType;
  else if (kw == "UNIT") out.kind = CommentKind::kUnit;
  else
    return fail(err, 2,
                fmt::format("unknown comment {}: openmetrics allows only \"# HELP\", "
                            "\"# TYPE\", \"# UNIT\" and \"# EOF\"",
                            quote(rest.substr(0, rest.find(' ')))));
  i = 6;
  if (i >= n || line[i] != ' ')
    return fail(err, i,
                fmt::format("expected a space and a metric name after {}, found {}", quote(kw), found(line, i)));
  ++i;
  out.name_col = col(i);
  if (!lex_name(line, i, out.name, true, err)) return false;
  if (i >= n || line[i] != ' ')
    return fail(err, i,
                fmt::format("expected a space after metric name {}, found {}", quote(out.name), found(line, i)));
  ++i;
  out.has_text = has_text = true;
  out.text_col = col(i);
  return true;
}

// The HELP text raw, which starts at column i + 1: valid UTF-8, unescaped.
bool LineLexer::lex_help_text(std::string_view raw, std::size_t i, CommentLine& out, LineError& err) {
  if (has_high_bit(raw)) {
    std::size_t bad = invalid_utf8_at(raw);
    if (bad != std::string_view::npos) return fail(err, i + bad, "invalid utf-8 in help text");
  }
  if (raw.find('\\') == std::string_view::npos) {
    out.text = raw;
    return true;
  }
  char* dst = scratch_alloc(raw.size());
  std::size_t k = 0;
  for (std::size_t j = 0; j < raw.size(); ++j) {
    char c = raw[j];
    if (c != '\\' || j + 1 == raw.size()) {
      if (c == '\\' && text_) return fail(err, i + j, "invalid escape sequence \"\\\\\" at end of help text");
      dst[k++] = c;
      continue;
    }
    char e = raw[++j];
    switch (e) {
      case '\\': dst[k++] = '\\'; break;
      case 'n': dst[k++] = '\n'; break;
      case '"':
        // The written text format escapes only backslash and newline in
        // HELP, but prometheus/common's TextParser (promtool) and
        // OpenMetrics read \" as a quote (promtool 2.42 rejected it).
        dst[k++] = '"';
        break;
      default:
        if (text_)
          return fail(err, i + j - 1,
                      fmt::format("invalid escape sequence {} in help text", quote(raw.substr(j - 1, 2))));
        dst[k++] = '\\';
        dst[k++] = e;
    }
  }
  out.text = std::string_view(dst, k);
  return true;
}

}  // namespace promvet::expfmt::parser_detail
