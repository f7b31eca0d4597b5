#include "checks/check.h"

#include <cctype>

#include "base/go_quote.h"
#include "inventory/inventory.h"
#include "sources/diagnostic_ids.h"

namespace promvet::checks {

std::string_view ExprContext::text(promql::Range r) const {
  std::string_view t = source.text;
  if (r.begin >= t.size()) return {};
  return t.substr(r.begin, r.end > r.begin ? r.end - r.begin : 0);
}

FileIndex::FileIndex(const std::vector<ParsedExpression>& expressions) {
  // Room for all at once (only looked up, never iterated): no rehash as a big file's are added.
  asts.reserve(expressions.size());
  size_t recording = 0;
  for (const ParsedExpression& p : expressions) recording += p.source->kind == sources::ExpressionKind::RecordingRule;
  recording_rules.reserve(recording);
  for (const ParsedExpression& p : expressions) {
    asts.emplace(p.source, p.ast);
    if (p.source->kind == sources::ExpressionKind::RecordingRule && !p.source->rule_name.empty())
      recording_rules.emplace(p.source->rule_name, &p);
  }
}

const ParsedExpression* FileContext::recording_rule(std::string_view name) const {
  if (index) {
    auto it = index->recording_rules.find(name);
    return it == index->recording_rules.end() ? nullptr : it->second;
  }
  for (const ParsedExpression& p : expressions)
    if (p.source->kind == sources::ExpressionKind::RecordingRule && p.source->rule_name == name) return &p;
  return nullptr;
}

const promql::Expr* FileContext::ast_of(const sources::Expression& e) const {
  if (index) {
    auto it = index->asts.find(&e);
    return it == index->asts.end() ? nullptr : it->second;
  }
  for (const ParsedExpression& p : expressions)
    if (p.source == &e) return p.ast;
  return nullptr;
}

bool FileContext::parsed_dashboard() const {
  // Expressions salvaged from invalid JSON come without variable definitions, so variable checks
  // would only guess there.
  for (const sources::Diagnostic& d : file.diagnostics)
    if (d.check_id == sources::ids::kInvalidJson || d.check_id == sources::ids::kSalvaged ||
        d.check_id == sources::ids::kTooDeep || d.check_id == sources::ids::kTooLarge)
      return false;
  if (!file.dashboard_variables.empty() || !file.datasources.empty()) return true;
  for (const sources::Expression& e : file.expressions)
    if (e.kind == sources::ExpressionKind::PanelTarget || e.kind == sources::ExpressionKind::Annotation ||
        e.kind == sources::ExpressionKind::TemplateQuery)
      return true;
  return false;
}

bool FileContext::meets(std::uint8_t needs) const {
  if ((needs & kNeedsInventory) && (!inventory || inventory->empty())) return false;
  if ((needs & kNeedsPolicies) && (!policies || policies->empty())) return false;
  if ((needs & kNeedsParsedDashboard) && !parsed_dashboard()) return false;
  if ((needs & kNeedsPrometheusConfig) && !prometheus_config) return false;
  return true;
}

void ExpressionCheck::run(const FileContext& ctx, Reporter& out) const {
  for (const ParsedExpression& p : ctx.expressions) check(ExprContext{ctx, *p.source, *p.ast}, out);
}

std::string quote(std::string_view s) { return base::go_quote(s); }

bool panel_title_mentions(const sources::Expression& e, std::initializer_list<std::string_view> words) {
  if (e.kind != sources::ExpressionKind::PanelTarget) return false;
  std::string title;
  for (char ch : e.panel_title) title += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (std::string_view w : words)
    if (title.find(w) != std::string::npos) return true;
  return false;
}

}  // namespace promvet::checks
