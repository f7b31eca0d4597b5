#include "checks/fix_apply.h"

#include <algorithm>
#include <map>

namespace promvet::checks {
namespace {

bool same(const FixEdit& a, const FixEdit& b) {
  return a.begin == b.begin && a.end == b.end && a.new_text == b.new_text;
}

// Two edits that cannot both be made: overlapping ranges, or insertions at the same place.
bool conflict(const FixEdit& a, const FixEdit& b) {
  if (same(a, b)) return false;
  if (a.begin == b.begin) return true;
  return a.begin < b.end && b.begin < a.end;
}

// Where in `e`'s text the edit applies: text[b, b + old.size()) are the file bytes it replaces.
bool text_position(const sources::Expression& e, const FixEdit& edit, uint32_t* b) {
  const std::vector<uint32_t>& to_file = e.map.to_file;
  auto it = std::lower_bound(to_file.begin(), to_file.end(), edit.begin);
  // Offsets are increasing in expression order except around expanded variables; search on.
  for (; it != to_file.end(); ++it) {
    if (*it != edit.begin) continue;
    uint32_t at = static_cast<uint32_t>(it - to_file.begin());
    if (at + edit.old_text.size() < to_file.size() && e.text.compare(at, edit.old_text.size(), edit.old_text) == 0) {
      *b = at;
      return true;
    }
  }
  return false;
}

}  // namespace

FixPlan plan_fixes(const std::vector<const Finding*>& findings) {
  FixPlan plan;
  for (size_t i = 0; i < findings.size(); ++i) {
    const std::vector<FixEdit>& mine = findings[i]->fix;
    if (mine.empty()) continue;
    bool ok = true;
    for (const FixEdit& e : mine)
      for (const FixEdit& taken : plan.edits)
        if (conflict(e, taken)) ok = false;
    if (!ok) continue;
    plan.findings.push_back(i);
    for (const FixEdit& e : mine)
      if (std::none_of(plan.edits.begin(), plan.edits.end(), [&](const FixEdit& t) { return same(e, t); }))
        plan.edits.push_back(e);
  }
  std::sort(plan.edits.begin(), plan.edits.end(), [](const FixEdit& a, const FixEdit& b) { return a.begin < b.begin; });
  return plan;
}

bool apply_edits(std::string_view content, const std::vector<FixEdit>& edits, std::string* out) {
  out->clear();
  size_t at = 0;
  for (const FixEdit& e : edits) {
    if (e.begin < at || e.end > content.size() || content.substr(e.begin, e.end - e.begin) != e.old_text) return false;
    out->append(content.substr(at, e.begin - at));
    out->append(e.new_text);
    at = e.end;
  }
  out->append(content.substr(at));
  return true;
}

bool verify_fixed(const sources::SourceFile& before, const sources::SourceFile& after,
                  const std::vector<FixEdit>& edits, std::string* why) {
  auto ids = [](const sources::SourceFile& f) {
    std::vector<std::string> out;
    for (const sources::Diagnostic& d : f.diagnostics) out.push_back(d.check_id);
    std::sort(out.begin(), out.end());
    return out;
  };
  if (ids(before) != ids(after)) {
    *why = "the edited file does not load as before";
    return false;
  }
  if (before.expressions.size() != after.expressions.size()) {
    *why = "the edited file has a different number of queries";
    return false;
  }
  // Each edit belongs to exactly one expression; the rest of every text stays as it was.
  std::map<size_t, std::vector<std::pair<uint32_t, const FixEdit*>>> per_expression;
  for (const FixEdit& edit : edits) {
    bool found = false;
    for (size_t i = 0; i < before.expressions.size() && !found; ++i) {
      uint32_t b = 0;
      if (text_position(before.expressions[i], edit, &b)) {
        per_expression[i].push_back({b, &edit});
        found = true;
      }
    }
    if (!found) {
      *why = "an edit lies outside every query";
      return false;
    }
  }
  for (size_t i = 0; i < before.expressions.size(); ++i) {
    // Grafana expands the `$__rate_interval` a fix writes: compare with its references collapsed
    // back to the name, on both sides, and everything else character for character.
    std::vector<std::pair<uint32_t, std::pair<uint32_t, std::string>>> changes;  // at → (length, text)
    for (const sources::VariableSpan& v : before.expressions[i].variable_spans)
      if (v.name == "__rate_interval") changes.push_back({v.begin, {v.end - v.begin, "$__rate_interval"}});
    auto it = per_expression.find(i);
    if (it != per_expression.end())
      for (const auto& [b, edit] : it->second)
        changes.push_back({b, {static_cast<uint32_t>(edit->old_text.size()), edit->new_text}});
    std::sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string expected = before.expressions[i].text;
    for (const auto& [at, change] : changes) expected.replace(at, change.first, change.second);
    std::string got = after.expressions[i].text;
    const std::vector<sources::VariableSpan>& spans = after.expressions[i].variable_spans;
    for (auto s = spans.rbegin(); s != spans.rend(); ++s)
      if (s->name == "__rate_interval") got.replace(s->begin, s->end - s->begin, "$__rate_interval");
    if (got != expected) {
      *why = "a query would not read as planned after the edit";
      return false;
    }
  }
  return true;
}

bool has_parse_error(const sources::SourceFile& file) {
  for (const sources::Diagnostic& d : file.diagnostics)
    if (d.severity == Severity::kError && d.check_id.rfind("source/", 0) == 0) return true;
  return false;
}

}  // namespace promvet::checks
