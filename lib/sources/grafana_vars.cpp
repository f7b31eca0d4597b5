#include "sources/grafana_vars.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>

namespace promvet::sources {

const GrafanaVariable* VariableContext::find(std::string_view name) const {
  for (const auto& v : variables)
    if (v.name == name) return &v;
  return nullptr;
}

namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string join(const std::vector<std::string>& v, std::string_view sep) { return fmt::to_string(fmt::join(v, sep)); }

// Where in the PromQL text a reference sits, to pick a placeholder for an unknown variable.
enum class Context { Plain, InString, InRange, InGrouping, InBraces, Identifier };

// Scans the PromQL text once, left to right, keeping the state a reference's context needs (quotes, open
// brackets, whether a '(' opens a grouping): asking for the references of a query in order costs
// one pass, not one per reference.
class ContextScanner {
 public:
  explicit ContextScanner(std::string_view text) : text_(text) {}

  // The context of the reference text[pos, end); `pos` must not decrease between calls.
  Context at(size_t pos, size_t end) {
    advance(pos);
    if (quote_) return Context::InString;
    if (!brackets_.empty() && brackets_.back() == '[') return Context::InRange;
    if (!brackets_.empty() && brackets_.back() == '(' && grouping_.back()) return Context::InGrouping;
    if (!brackets_.empty() && brackets_.back() == '{') return Context::InBraces;
    if ((pos > 0 && (is_word(text_[pos - 1]) || text_[pos - 1] == ':')) ||
        (end < text_.size() && (is_word(text_[end]) || text_[end] == '{' || text_[end] == ':')))
      return Context::Identifier;
    return Context::Plain;
  }

 private:
  void advance(size_t pos) {
    for (; done_ < pos && done_ < text_.size(); ++done_) {
      char c = text_[done_];
      if (quote_) {
        if (esc_) esc_ = false;
        else if (c == '\\' && quote_ != '`') esc_ = true;
        else if (c == quote_) quote_ = 0;
        continue;
      }
      if (c == '"' || c == '\'' || c == '`') {
        quote_ = c;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        brackets_.push_back(c);
        grouping_.push_back(c == '(' && follows_grouping_keyword(done_));
      } else if ((c == ')' || c == ']' || c == '}') && !brackets_.empty()) {
        brackets_.pop_back();
        grouping_.pop_back();
      }
    }
  }

  // Whether the word before text[i] ('(') is by/without/on/ignoring/group_left/group_right.
  bool follows_grouping_keyword(size_t i) const {
    size_t j = i;
    while (j > 0 && std::isspace(static_cast<unsigned char>(text_[j - 1]))) --j;
    size_t k = j;
    while (k > 0 && j - k < 12 && is_word(text_[k - 1])) --k;
    std::string w(text_.substr(k, j - k));
    std::transform(w.begin(), w.end(), w.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return w == "by" || w == "without" || w == "on" || w == "ignoring" || w == "group_left" || w == "group_right";
  }

  std::string_view text_;
  size_t done_ = 0;
  char quote_ = 0;
  bool esc_ = false;
  std::vector<char> brackets_;  // '(' '[' '{'
  std::vector<bool> grouping_;  // for each '(' : preceded by by/without/on/ignoring/group_*
};

struct Ref {
  size_t begin = 0, end = 0;
  std::string name, field, format;
};

// Finds the next variable reference at or after `from`.
bool next_ref(std::string_view t, size_t from, Ref& ref) {
  for (size_t i = from; i < t.size(); ++i) {
    if (t[i] == '$') {
      if (i + 1 < t.size() && t[i + 1] == '{') {
        size_t close = t.find('}', i + 2);
        if (close == std::string_view::npos) continue;
        std::string_view inner = t.substr(i + 2, close - i - 2);
        size_t n = 0;
        while (n < inner.size() && is_word(inner[n])) ++n;
        if (n == 0) continue;
        ref = Ref{i, close + 1, std::string(inner.substr(0, n)), "", ""};
        std::string_view rest = inner.substr(n);
        if (!rest.empty() && rest[0] == '.') {
          size_t colon = rest.find(':');
          ref.field = std::string(rest.substr(1, colon == std::string_view::npos ? rest.npos : colon - 1));
          rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
        }
        if (!rest.empty() && rest[0] == ':') ref.format = std::string(rest.substr(1));
        else if (!rest.empty()) continue;
        return true;
      }
      size_t n = i + 1;
      while (n < t.size() && is_word(t[n])) ++n;
      if (n == i + 1) continue;
      ref = Ref{i, n, std::string(t.substr(i + 1, n - i - 1)), "", ""};
      return true;
    }
    if (t[i] == '[' && i + 1 < t.size() && t[i + 1] == '[') {
      size_t close = t.find("]]", i + 2);
      if (close == std::string_view::npos) continue;
      std::string_view inner = t.substr(i + 2, close - i - 2);
      size_t n = 0;
      while (n < inner.size() && is_word(inner[n])) ++n;
      if (n == 0) continue;
      std::string_view rest = inner.substr(n);
      if (!rest.empty() && rest[0] != ':') continue;
      ref = Ref{i, close + 2, std::string(inner.substr(0, n)), "", rest.empty() ? "" : std::string(rest.substr(1))};
      return true;
    }
  }
  return false;
}

bool is_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

int64_t duration_ms(std::string_view d) {  // "15s", "1m", "500ms", "1h", "1d", "1w" → ms; 0 if not one
  size_t n = 0;
  while (n < d.size() && std::isdigit(static_cast<unsigned char>(d[n]))) ++n;
  if (n == 0 || n > 12) return 0;
  int64_t v = std::stoll(std::string(d.substr(0, n)));
  std::string_view unit = d.substr(n);
  if (unit == "ms") return v;
  if (unit == "s" || unit.empty()) return v * 1000;
  if (unit == "m") return v * 60000;
  if (unit == "h") return v * 3600000;
  if (unit == "d") return v * 86400000;
  if (unit == "w") return v * 604800000;
  return 0;
}

std::string format_ms(int64_t ms) {
  static const std::pair<int64_t, const char*> kUnits[] = {
      {604800000, "w"}, {86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
  for (const auto& [size, unit] : kUnits)
    if (ms >= size && ms % size == 0) return std::to_string(ms / size) + unit;
  return std::to_string(ms) + "ms";
}

// Value of a global; false if `name` is not a global. `expanding`: the variable whose value holds
// the reference, for `$__auto` (the auto interval of that interval variable).
bool global_value(const VariableContext& ctx, const Ref& ref, const GrafanaVariable* expanding, std::string& out) {
  const std::string& n = ref.name;
  auto seconds = [](const std::string& d) { return duration_ms(d) / 1000; };
  auto auto_of = [&](const GrafanaVariable* v) {
    return auto_interval(seconds(ctx.range) * 1000, v ? v->auto_count : 30, v ? v->auto_min : "10s");
  };
  if (n == "__interval") out = ctx.interval;
  else if (n == "__interval_ms") out = std::to_string(seconds(ctx.interval) * 1000);
  else if (n == "__rate_interval") out = ctx.rate_interval;
  else if (n == "__rate_interval_ms") out = std::to_string(seconds(ctx.rate_interval) * 1000);
  else if (n == "__range") out = ctx.range;
  else if (n == "__range_s") out = std::to_string(seconds(ctx.range));
  else if (n == "__range_ms") out = std::to_string(seconds(ctx.range) * 1000);
  else if (n == "__from" || n == "__to") {
    int64_t ms = n == "__from" ? ctx.from_ms : ctx.to_ms;
    out = ref.format.find("seconds") != std::string::npos ? std::to_string(ms / 1000) : std::to_string(ms);
  } else if (n == "__auto") out = auto_of(expanding && expanding->type == "interval" ? expanding : nullptr);
  else if (n.rfind("__auto_interval_", 0) == 0) out = auto_of(ctx.find(std::string_view(n).substr(16)));
  else if (n == "__auto_interval") out = auto_of(nullptr);
  else if (n == "__dashboard") out = ref.field == "uid" ? ctx.dashboard_uid : ctx.dashboard_title;
  else if (n == "__org") out = ref.field == "name" ? "Main Org." : "1";
  else if (n == "__user") out = ref.field == "login" ? "admin" : ref.field == "email" ? "admin@localhost" : "1";
  else if (n == "__name") out = "x";
  else return false;
  return true;
}

std::string placeholder_for(Context c) {
  switch (c) {
    case Context::InString: return "x";
    case Context::InRange: return "1m";
    case Context::InGrouping: return "x";
    case Context::InBraces: return "x";
    case Context::Identifier: return "x";
    case Context::Plain: return "1";
  }
  return "1";
}

bool name_char(char c) { return is_word(c) || c == ':'; }

bool all_name_chars(std::string_view s) { return std::all_of(s.begin(), s.end(), name_char); }

// Text Grafana sends that can stand in a name: name characters only; in a grouping, names
// separated by commas (`${labels:csv}`).
bool fits_name(std::string_view s, bool grouping) {
  if (!grouping) return all_name_chars(s);
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = std::min(s.find(',', start), s.size());
    std::string_view piece = s.substr(start, comma - start);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    if (piece.empty() || !all_name_chars(piece)) return false;
    start = comma + 1;
  }
  return true;
}

// Expands one reference, and the references inside the values it expands to, with a depth bound,
// cycle detection and a size budget (a value with many references to a value with many
// references grows exponentially).
class Resolver {
 public:
  Resolver(const VariableContext& ctx, std::function<Context()> where) : ctx_(ctx), where_(std::move(where)) {}

  // The expansion of `ref`; false when it is not a reference (`$1` in label_replace).
  bool reference(const Ref& ref, std::string& out) {
    const GrafanaVariable* v = ctx_.find(ref.name);
    if (v) {
      if (std::find(stack_.begin(), stack_.end(), ref.name) != stack_.end()) {
        fail(VariableIssue::Kind::Cycle, ref.name);
        return true;
      }
      if (stack_.size() >= kMaxVariableNesting) {
        fail(VariableIssue::Kind::TooDeep, ref.name);
        return true;
      }
      stack_.push_back(ref.name);
      out = value(*v, ref, selection(*v));
      stack_.pop_back();
      return true;
    }
    const GrafanaVariable* expanding = stack_.empty() ? nullptr : ctx_.find(stack_.back());
    if (ref.name.rfind("__", 0) == 0 && global_value(ctx_, ref, expanding, out)) return true;
    if (is_digits(ref.name)) return false;
    out = placeholder_for(where_());
    if (stack_.empty()) unknown = true;
    return true;
  }

  // The values a variable's reference stands for: its saved selection, or a default.
  static std::vector<std::string> selection(const GrafanaVariable& v) {
    std::vector<std::string> values = v.current;
    if (values.empty()) {
      if (v.type == "constant" || v.type == "textbox") values.push_back(v.query);
      else if (!v.options.empty()) values.push_back(v.options.front());
      else if (v.type == "custom" || v.type == "interval") {
        std::string first = v.query.substr(0, v.query.find(','));
        while (!first.empty() && first.front() == ' ') first.erase(first.begin());
        while (!first.empty() && first.back() == ' ') first.pop_back();
        if (!first.empty()) values.push_back(first);
      }
    }
    return values;
  }

  // Expansion of a known variable for the selection `values`, references in the values expanded.
  std::string value(const GrafanaVariable& v, const Ref& ref, std::vector<std::string> values) {
    bool all = std::find(values.begin(), values.end(), "$__all") != values.end();
    if (all) {
      if (v.has_all_value && !v.all_value.empty()) {
        std::string all_value = text(v.all_value);
        return ref.format.empty() || ref.format == "raw" ? all_value
                                                         : format_variable_values({all_value}, ref.format, v.name);
      }
      values = v.options;
      if (values.empty()) return ref.format.empty() || ref.format == "regex" ? ".*" : "x";
    }
    // No saved value and no options (a query variable exported without them): the placeholder
    // that fits where the reference stands, as for an undefined variable.
    if (values.empty()) values.push_back(v.type == "interval" ? "1m" : placeholder_for(where_()));
    if (v.type == "interval" && values.front() == "auto")
      values.front() = auto_interval(duration_ms(ctx_.range), v.auto_count, v.auto_min);
    for (std::string& s : values) s = text(s);
    if (!ref.format.empty()) return format_variable_values(values, ref.format, v.name);
    if (!v.multi && !v.include_all) return values.front();
    if (values.size() == 1) return prometheus_regex_escape(values.front());
    std::vector<std::string> esc;
    for (auto& s : values) esc.push_back(prometheus_regex_escape(s));
    return "(" + join(esc, "|") + ")";
  }

  // `value` with the references in it expanded.
  std::string text(std::string_view value) {
    if (value.find('$') == std::string_view::npos && value.find("[[") == std::string_view::npos)
      return std::string(value);
    std::string out;
    size_t pos = 0, search = 0;
    Ref ref;
    while (!failed() && next_ref(value, search, ref)) {
      std::string expanded;
      if (!reference(ref, expanded)) {
        search = ref.begin + 1;
        continue;
      }
      out.append(value.substr(pos, ref.begin - pos));
      out += expanded;
      pos = search = ref.end;
      if (out.size() > kMaxValueBytes) fail(VariableIssue::Kind::TooDeep, "");
    }
    out.append(value.substr(std::min(pos, value.size())));
    return out;
  }

  bool failed() const { return failure_.has_value(); }
  const std::optional<VariableIssue>& failure() const { return failure_; }
  bool unknown = false;  // the reference is to no variable and no global

 private:
  static constexpr size_t kMaxValueBytes = 1u << 16;

  void fail(VariableIssue::Kind kind, const std::string& name) {
    if (failure_) return;
    VariableIssue issue;
    issue.kind = kind;
    issue.chain = join(stack_, " → ");
    if (!name.empty()) issue.chain += " → " + name;
    if (name.empty()) issue.chain += " → … (expands to more than " + std::to_string(kMaxValueBytes) + " bytes)";
    failure_ = std::move(issue);
  }

  const VariableContext& ctx_;
  std::function<Context()> where_;
  std::vector<std::string> stack_;
  std::optional<VariableIssue> failure_;
};

// Where a multi-value variable's reference stands for a name: a metric name (`x_${v}_total`,
// `$v{job="a"}`), a label name (`{${v}="a"}`) or a grouping label (`by ($v)`); false elsewhere.
bool name_position(std::string_view text, const Ref& ref, Context c, std::string_view name_like, bool& label,
                   bool& grouping) {
  label = grouping = false;
  if (c == Context::InGrouping) return grouping = true;
  if (c == Context::Plain) {
    // Alone where a metric stands (`rate($metric[5m])`), not a function's name (`$agg(x)`).
    size_t next = ref.end;
    while (next < text.size() && std::isspace(static_cast<unsigned char>(text[next]))) ++next;
    return !name_like.empty() && (next >= text.size() || text[next] != '(');
  }
  if (c == Context::Identifier) return true;  // next to name characters outside braces: a metric name
  if (c != Context::InBraces) return false;
  size_t i = ref.end;
  while (i < text.size() && name_char(text[i])) ++i;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  label = i < text.size() && (text[i] == '=' || text[i] == '!');
  return label;
}

// What Grafana sends for All when the file saves none of the values: every value, joined as the
// format joins them.
std::string unknown_values(const Ref& ref) {
  if (ref.format.empty() || ref.format == "regex") return "(…|…)";
  return format_variable_values({"…", "…"}, ref.format, ref.name);
}

// A multi-value or include-all variable where a name stands: what Grafana sends with the saved
// selection, with All, or with two values, must still be a name. When the saved selection does
// not fit, `value` becomes one of the variable's values that does (or "x"), so that the rest of
// the query is still checked.
std::optional<VariableIssue> multi_value_in_name(std::string_view text, const Ref& ref, const GrafanaVariable& v,
                                                 const std::function<Context()>& where, const VariableContext& ctx,
                                                 std::string& value) {
  // The first value (saved, then offered) that is a name: the stand-in, and what tells that a
  // reference standing alone (`$metric`, `x > $metric`) is a metric name.
  std::string stand_in;
  std::vector<std::string> candidates = Resolver::selection(v);
  candidates.insert(candidates.end(), v.options.begin(), v.options.end());
  for (const std::string& c : candidates) {
    if (c == "$__all") continue;
    Resolver r(ctx, where);
    std::string s = r.text(c);
    if (!r.failed() && !s.empty() && all_name_chars(s) && !std::isdigit(static_cast<unsigned char>(s[0]))) {
      stand_in = s;
      break;
    }
  }
  bool label = false, grouping = false;
  if (!name_position(text, ref, where(), stand_in, label, grouping)) return std::nullopt;
  VariableIssue issue;
  issue.kind = VariableIssue::Kind::MultiValueInName;
  issue.place = label      ? VariableIssue::Place::LabelName
                : grouping ? VariableIssue::Place::LabelList
                           : VariableIssue::Place::MetricName;
  auto expand_for = [&](std::vector<std::string> values) {
    Resolver r(ctx, where);
    std::string s = r.value(v, ref, std::move(values));
    return r.failed() ? std::string() : s;
  };
  if (!fits_name(value, grouping)) {
    std::vector<std::string> saved = Resolver::selection(v);
    bool all = std::find(saved.begin(), saved.end(), "$__all") != saved.end();
    issue.sent = all && !(v.has_all_value && !v.all_value.empty()) && v.options.empty()
                     ? unknown_values(ref)  // every value, none saved in the file
                     : value;
    issue.selection = all                ? "with All selected"
                      : saved.size() > 1 ? "with its saved selection of " + std::to_string(saved.size()) + " values"
                                         : "with its saved value";
    value = stand_in.empty() ? "x" : stand_in;
    return issue;
  }
  // The saved selection fits; All or two values may not.
  if (v.include_all) {
    std::string sent =
        !(v.has_all_value && !v.all_value.empty()) && v.options.empty() ? unknown_values(ref) : expand_for({"$__all"});
    if (!sent.empty() && !fits_name(sent, grouping)) {
      issue.sent = sent;
      issue.selection = "with All selected";
      return issue;
    }
  }
  if (v.multi && v.options.size() >= 2) {
    std::string sent = expand_for({v.options[0], v.options[1]});
    if (!sent.empty() && !fits_name(sent, grouping)) {
      issue.sent = sent;
      issue.selection = "with \"" + v.options[0] + "\" and \"" + v.options[1] + "\" selected";
      return issue;
    }
  }
  return std::nullopt;
}

}  // namespace

size_t reference_length(std::string_view text, size_t at) {
  Ref ref;
  if (at >= text.size() || !next_ref(text, at, ref) || ref.begin != at) return 0;
  return ref.end - ref.begin;
}

bool is_grafana_global(std::string_view name) { return name.size() > 2 && name.substr(0, 2) == "__"; }

std::string auto_interval(int64_t range_ms, int auto_count, std::string_view auto_min) {
  // Grafana's round intervals: a computed interval up to the first bound becomes the second.
  static const std::pair<int64_t, int64_t> kRound[] = {{15, 10},
                                                       {35, 20},
                                                       {75, 50},
                                                       {150, 100},
                                                       {350, 200},
                                                       {750, 500},
                                                       {1500, 1000},
                                                       {3500, 2000},
                                                       {7500, 5000},
                                                       {12500, 10000},
                                                       {17500, 15000},
                                                       {25000, 20000},
                                                       {45000, 30000},
                                                       {90000, 60000},
                                                       {210000, 120000},
                                                       {450000, 300000},
                                                       {750000, 600000},
                                                       {1050000, 900000},
                                                       {1500000, 1200000},
                                                       {2700000, 1800000},
                                                       {5400000, 3600000},
                                                       {9000000, 7200000},
                                                       {16200000, 10800000},
                                                       {32400000, 21600000},
                                                       {86400000, 43200000},
                                                       {604800000, 86400000}};
  int64_t ms = range_ms / (auto_count > 0 ? auto_count : 30);
  int64_t rounded = 604800000;
  for (const auto& [bound, value] : kRound) {
    if (ms <= bound) {
      rounded = value;
      break;
    }
  }
  int64_t min = duration_ms(auto_min);
  return format_ms(std::max(rounded, min));
}

bool expanded_from_variable(const Expression& e, uint32_t begin, uint32_t end) {
  for (const VariableSpan& s : e.variable_spans)
    if (s.begin < end && begin < s.end) return true;
  return false;
}

Expansion expand_variables(std::string_view text, const std::vector<uint32_t>& map, const VariableContext& context) {
  auto file_at = [&](size_t i) -> uint32_t {
    if (map.empty()) return static_cast<uint32_t>(i);
    return i < map.size() ? map[i] : map.back();
  };
  Expansion out;
  // Most expressions expand to about their own length: room for that and a value or two at once
  // (a byte at a time, growing them was a third of expanding a dashboard's queries).
  out.text.reserve(text.size() + 64);
  out.map.reserve(text.size() + 65);
  size_t pos = 0;
  Ref ref;
  auto note_used = [&](const std::string& n) {
    if (std::find(out.used.begin(), out.used.end(), n) == out.used.end()) out.used.push_back(n);
  };
  auto copy_until = [&](size_t end) {
    for (; pos < end; ++pos) {
      out.text += text[pos];
      out.map.push_back(file_at(pos));
    }
  };
  size_t search = 0;
  ContextScanner scanner(text);
  while (next_ref(text, search, ref)) {
    // Computed only when a placeholder or a name check needs it.
    std::optional<Context> where;
    auto where_now = [&]() {
      if (!where) where = scanner.at(ref.begin, ref.end);
      return *where;
    };
    Resolver resolver(context, where_now);
    std::string value;
    if (!resolver.reference(ref, value)) {
      // `$1` in label_replace replacements: not a variable, left as written
      search = ref.begin + 1;
      continue;
    }
    const GrafanaVariable* v = context.find(ref.name);
    std::optional<VariableIssue> issue = resolver.failure();
    if (issue) {
      value = placeholder_for(where_now());
    } else if (resolver.unknown) {
      out.unknown.push_back({ref.name, file_at(ref.begin), value});
    } else if (v && (v->multi || v->include_all)) {
      issue = multi_value_in_name(text, ref, *v, where_now, context, value);
    }
    note_used(ref.name);
    copy_until(ref.begin);
    uint32_t at = file_at(ref.begin);
    VariableSpan span;
    span.name = ref.name;
    span.begin = static_cast<uint32_t>(out.text.size());
    span.end = static_cast<uint32_t>(out.text.size() + value.size());
    span.multi_value = v && (v->multi || v->include_all);
    if (issue) {
      issue->name = ref.name;
      issue->begin = span.begin;
      issue->end = span.end;
      out.issues.push_back(std::move(*issue));
    }
    out.spans.push_back(std::move(span));
    out.text += value;
    out.map.insert(out.map.end(), value.size(), at);
    pos = search = ref.end;
  }
  copy_until(text.size());
  out.map.push_back(file_at(text.size()));
  return out;
}

}  // namespace promvet::sources
