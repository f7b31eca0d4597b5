#include "checks/rules/value_in_alert_label.h"

#include <string>

#include "checks/rules/template_text.h"
#include "sources/rules.h"

namespace promvet::checks {
namespace {

bool ident_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The first `$value` or `.Value` (a field, not part of `$x.Value` or `.Values`) in an action.
struct Use {
  std::string_view token;
  size_t at = 0;
};

bool find_use(std::string_view v, Use* use) {
  for (const auto& [begin, end] : templates::actions(v)) {
    for (std::string_view token : {std::string_view("$value"), std::string_view(".Value")}) {
      for (size_t i = v.find(token, begin); i != std::string_view::npos && i + token.size() <= end;
           i = v.find(token, i + 1)) {
        const size_t after = i + token.size();
        if (after < v.size() && ident_char(v[after])) continue;
        if (token[0] == '.' && i > 0 && (ident_char(v[i - 1]) || v[i - 1] == ')' || v[i - 1] == '$')) continue;
        *use = {token, i};
        return true;
      }
    }
  }
  return false;
}

}  // namespace

CheckInfo ValueInAlertLabelCheck::info() const {
  return {kId, Severity::kWarning, "an alerting rule's label uses $value, so every new value makes a new alert"};
}

void ValueInAlertLabelCheck::run(const FileContext& ctx, Reporter& out) const {
  for (const sources::Expression& e : ctx.file.expressions) {
    if (e.kind != sources::ExpressionKind::AlertingRule) continue;
    for (const sources::RuleEntry& label : e.rule.labels) {
      if (label.value.find("{{") == std::string::npos) continue;
      if (!sources::check_go_template(label.value).empty()) continue;  // rules/invalid-template's finding
      Use use;
      if (!find_use(label.value, &use)) continue;
      auto [begin, end] = templates::place(ctx.content, label, use.token, use.at);
      out.report_file(begin, end,
                      "label " + quote(label.name) + " of alert " + quote(e.rule_name) + " uses " +
                          std::string(use.token) +
                          ": labels identify an alert, so each new value ends the alert and starts another "
                          "(resolved notifications, `for` restarting); put the value in an annotation",
                      &e);
    }
  }
}

}  // namespace promvet::checks
