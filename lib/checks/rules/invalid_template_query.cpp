#include "checks/rules/invalid_template_query.h"

#include <algorithm>
#include <string>

#include "checks/rules/template_text.h"
#include "promql/literals.h"
#include "promql/parse.h"
#include "sources/rules.h"

namespace promvet::checks {
namespace {

bool ident_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A `query` call whose argument is a string literal: the literal as written (quotes included),
// where it starts in the value, and the PromQL it holds.
struct QueryCall {
  std::string_view literal;
  size_t at = 0;
  std::string promql;
  bool offsets_exact = false;  // byte i of `promql` is byte i + 1 of `literal` (no escapes)
};

std::vector<QueryCall> query_calls(std::string_view v) {
  std::vector<QueryCall> out;
  for (const auto& [begin, end] : templates::actions(v)) {
    for (size_t i = v.find("query", begin); i != std::string_view::npos && i + 5 < end; i = v.find("query", i + 1)) {
      // `query` as a function name: not part of `$query`, `.query`, `queryX`.
      if (i > begin && (ident_char(v[i - 1]) || v[i - 1] == '$' || v[i - 1] == '.')) continue;
      size_t j = i + 5;
      if (v[j] != ' ' && v[j] != '\t') continue;
      while (j < end && (v[j] == ' ' || v[j] == '\t')) ++j;
      if (j >= end || (v[j] != '"' && v[j] != '`')) continue;  // a variable or a pipeline: not known here
      QueryCall call;
      call.at = j;
      if (v[j] == '`') {
        size_t close = v.find('`', j + 1);
        if (close == std::string_view::npos || close >= end) continue;
        call.literal = v.substr(j, close + 1 - j);
        call.promql = std::string(v.substr(j + 1, close - j - 1));
        call.offsets_exact = true;
      } else {
        size_t k = j + 1;
        while (k < end && v[k] != '"') k += v[k] == '\\' ? 2 : 1;
        if (k >= end) continue;
        call.literal = v.substr(j, k + 1 - j);
        promql::literals::StringResult s = promql::literals::unquote(call.literal);
        if (!s.error.empty()) continue;  // rules/invalid-template's question, not a query's
        call.promql = std::move(s.value);
        call.offsets_exact = call.literal.find('\\') == std::string_view::npos;
      }
      out.push_back(std::move(call));
    }
  }
  return out;
}

}  // namespace

CheckInfo InvalidTemplateQueryCheck::info() const {
  return {kId, Severity::kError, "the PromQL of a `query` call in an alert template does not parse"};
}

void InvalidTemplateQueryCheck::run(const FileContext& ctx, Reporter& out) const {
  const promql::ParseOptions options = promql::options_for_features(ctx.settings.prometheus_features);
  for (const sources::Expression& e : ctx.file.expressions) {
    // A Loki ruler's templates query Loki, in LogQL: not this parser's language.
    if (e.kind != sources::ExpressionKind::AlertingRule || e.logql) continue;
    auto scan = [&](const std::vector<sources::RuleEntry>& entries, const char* what) {
      for (const sources::RuleEntry& entry : entries) {
        if (entry.value.find("query") == std::string::npos) continue;
        if (!sources::check_go_template(entry.value).empty()) continue;  // rules/invalid-template's finding
        for (const QueryCall& call : query_calls(entry.value)) {
          promql::ParseResult parsed = promql::parse(call.promql, options);
          if (parsed.ok()) continue;
          auto [begin, end] = templates::place(ctx.content, entry, call.literal, call.at);
          // Inside the literal when its bytes are the query's; else the whole literal.
          if (call.offsets_exact && end == begin + call.literal.size()) {
            const promql::Range r = parsed.error->range;
            const uint32_t from = begin + 1 + static_cast<uint32_t>(std::min<size_t>(r.begin, call.promql.size()));
            const uint32_t to = begin + 1 + static_cast<uint32_t>(std::min<size_t>(r.end, call.promql.size()));
            begin = from;
            end = std::max(to, from + 1);
          }
          out.report_file(
              begin, end,
              std::string(what) + " " + quote(entry.name) + ": query " + std::string(call.literal) + ": " +
                  promql::format_error(call.promql, *parsed.error) +
                  " (Prometheus parses it only when the alert fires, and then fails to expand the template)",
              &e);
        }
      }
    };
    scan(e.rule.labels, "label");
    scan(e.rule.annotations, "annotation");
  }
}

}  // namespace promvet::checks
