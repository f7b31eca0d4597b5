#include "checks/promql/labels.h"

#include <array>
#include <cstdio>
#include <string_view>

#include "promql/functions.h"
#include "promql/walk.h"

namespace promvet::checks::promql_labels {
namespace {

using promql::Expr;

bool keeps_metric_name(std::string_view function) { return promql::function_has(function, promql::kKeepsMetricName); }
bool value_preserving(std::string_view function) { return promql::function_has(function, promql::kValuePreserving); }


std::string string_arg(const promql::Call& c, size_t i) {
  if (i >= c.args.size()) return {};
  const auto* s = promql::as<promql::StringLiteral>(promql::unwrap_parens(c.args[i].get()));
  return s ? s->value : std::string();
}

bool is_scalar(const Expr& e) { return promql::type_of(e) == promql::ValueType::Scalar; }

// The one series absent() returns carries the equality matchers of its selector.
LabelSet absent_labels(const Expr& arg) {
  const Expr* e = promql::unwrap_parens(&arg);
  if (const auto* m = promql::as<promql::MatrixSelector>(e)) e = m->selector.get();
  LabelSet l;
  l.closed = true;
  if (const auto* s = promql::as<promql::VectorSelector>(e))
    for (const promql::Matcher& m : s->matchers)
      if (m.op == promql::MatchOp::Equal && m.name != "__name__") l.labels.insert(m.name);
  return l;
}

// Labels either of two results may carry (`a or b`).
LabelSet unite(const LabelSet& a, const LabelSet& b) {
  LabelSet r;
  if (a.closed && b.closed) {
    r = a;
    r.labels.insert(b.labels.begin(), b.labels.end());
    return r;
  }
  const LabelSet& open = a.closed ? b : a;
  const LabelSet& other = a.closed ? a : b;
  for (const std::string& d : open.dropped)
    if (!other.has(d)) r.dropped.insert(d);
  return r;
}

void leaves(const Expr* e, std::vector<const Expr*>& out) {
  e = promql::unwrap_parens(e);
  if (!e) return;
  switch (e->kind) {
    case promql::NodeKind::Unary: leaves(promql::as<promql::Unary>(e)->expr.get(), out); return;
    case promql::NodeKind::MatrixSelector: leaves(promql::as<promql::MatrixSelector>(e)->selector.get(), out); return;
    case promql::NodeKind::Subquery: leaves(promql::as<promql::Subquery>(e)->expr.get(), out); return;
    case promql::NodeKind::Aggregate: {
      const auto* a = promql::as<promql::Aggregate>(e);
      if (a->op == promql::AggregateOp::Count || a->op == promql::AggregateOp::CountValues ||
          a->op == promql::AggregateOp::Group)
        return;  // counts, not values
      leaves(a->body(), out);
      return;
    }
    case promql::NodeKind::Call: {
      const auto* c = promql::as<promql::Call>(e);
      if (value_preserving(c->name)) {
        leaves(first_series_arg(*c), out);
        return;
      }
      out.push_back(e);
      return;
    }
    case promql::NodeKind::Binary: {
      const auto* b = promql::as<promql::Binary>(e);
      if (!b->lhs || !b->rhs) return;
      if (b->op == promql::BinaryOp::And || b->op == promql::BinaryOp::Unless) {
        leaves(b->lhs.get(), out);
        return;
      }
      if (!is_scalar(*b->lhs)) leaves(b->lhs.get(), out);
      if (!is_scalar(*b->rhs)) leaves(b->rhs.get(), out);
      return;
    }
    default: out.push_back(e); return;
  }
}

// A result with no labels at all: a number, a string, vector(), time(), scalar-scalar arithmetic.
LabelSet no_labels() {
  LabelSet none;
  none.closed = true;
  return none;
}

// count_values' first argument names the label that holds each counted value.
const promql::StringLiteral* count_values_label(const promql::Aggregate& a) {
  if (a.op != promql::AggregateOp::CountValues) return nullptr;
  return promql::as<promql::StringLiteral>(promql::unwrap_parens(a.param()));
}

LabelSet aggregate_labels(const promql::Aggregate& a) {
  const Expr* body = a.body();
  LabelSet inner = body ? output_labels(*body) : LabelSet();
  if (!merges_series(a.op)) return inner;
  if (!a.without) {
    // `sum by (job) (sum by (instance) (x))`: job was already gone.
    LabelSet l = no_labels();
    for (const std::string& g : a.grouping)
      if (inner.has(g)) l.labels.insert(g);
    if (const auto* p = count_values_label(a)) l.labels.insert(p->value);
    return l;
  }
  for (const std::string& g : a.grouping) inner.remove(g);
  inner.remove("__name__");
  if (const auto* p = count_values_label(a)) inner.add(p->value);
  return inner;
}

LabelSet call_labels(const promql::Call& c) {
  if (c.name == "vector" || c.name == "time" || c.name == "scalar" || c.name == "pi") return no_labels();
  if (!c.func) return LabelSet();
  const Expr* arg = first_series_arg(c);
  if (!arg) return LabelSet();
  if (c.name == "absent" || c.name == "absent_over_time") return absent_labels(*arg);
  LabelSet l = output_labels(*arg);
  if (c.name == "label_replace") l.add(string_arg(c, 1));
  if (c.name == "label_join") l.add(string_arg(c, 1));
  if (c.name == "histogram_quantile" || c.name == "histogram_fraction") l.remove("le");
  if (!keeps_metric_name(c.name)) l.remove("__name__");
  return l;
}

// Vector matching: the "many" side's labels, narrowed by on()/ignoring() in one-to-one
// matching, plus the group_left/group_right labels the "one" side has.
LabelSet binary_labels(const promql::Binary& b) {
  if (!b.lhs || !b.rhs) return LabelSet();
  bool ls = is_scalar(*b.lhs), rs = is_scalar(*b.rhs);
  bool filter = (promql::is_comparison(b.op) || promql::is_trim_operator(b.op)) && !b.return_bool;
  if (ls && rs) return no_labels();
  if (ls || rs) {
    LabelSet l = output_labels(ls ? *b.rhs : *b.lhs);
    if (!filter) l.remove("__name__");
    return l;
  }
  if (b.op == promql::BinaryOp::Or) return unite(output_labels(*b.lhs), output_labels(*b.rhs));
  if (promql::is_set_operator(b.op)) return output_labels(*b.lhs);
  const Expr* many = b.matching.card == promql::Cardinality::OneToMany ? b.rhs.get() : b.lhs.get();
  const Expr* one = many == b.lhs.get() ? b.rhs.get() : b.lhs.get();
  LabelSet l = output_labels(*many);
  if (b.matching.card == promql::Cardinality::OneToOne && b.matching.has_on_or_ignoring) {
    if (b.matching.on) {
      LabelSet kept = no_labels();
      for (const std::string& m : b.matching.labels)
        if (l.has(m)) kept.labels.insert(m);
      l = kept;
    } else {
      for (const std::string& m : b.matching.labels) l.remove(m);
    }
  }
  for (const std::string& inc : b.matching.include)
    if (output_labels(*one).has(inc)) l.add(inc);
  if (!filter) l.remove("__name__");
  return l;
}

}  // namespace

void LabelSet::remove(const std::string& l) {
  if (closed) labels.erase(l);
  else dropped.insert(l);
}

void LabelSet::add(const std::string& l) {
  if (closed) labels.insert(l);
  else dropped.erase(l);
}

bool merges_series(promql::AggregateOp op) {
  switch (op) {
    case promql::AggregateOp::Topk:
    case promql::AggregateOp::Bottomk:
    case promql::AggregateOp::Limitk:
    case promql::AggregateOp::LimitRatio: return false;
    default: return true;
  }
}

LabelSet output_labels(const Expr& root) {
  const Expr* e = promql::unwrap_parens(&root);
  LabelSet open;
  if (!e) return open;
  switch (e->kind) {
    case promql::NodeKind::Number:
    case promql::NodeKind::String: return no_labels();
    case promql::NodeKind::VectorSelector: return open;
    case promql::NodeKind::MatrixSelector: return output_labels(*promql::as<promql::MatrixSelector>(e)->selector);
    case promql::NodeKind::Subquery: {
      const auto* s = promql::as<promql::Subquery>(e);
      return s->expr ? output_labels(*s->expr) : open;
    }
    case promql::NodeKind::Unary: {
      const auto* u = promql::as<promql::Unary>(e);
      if (!u->expr) return open;
      LabelSet l = output_labels(*u->expr);
      if (u->negative) l.remove("__name__");
      return l;
    }
    case promql::NodeKind::Aggregate: return aggregate_labels(*promql::as<promql::Aggregate>(e));
    case promql::NodeKind::Call: return call_labels(*promql::as<promql::Call>(e));
    case promql::NodeKind::Binary: return binary_labels(*promql::as<promql::Binary>(e));
    default: return open;
  }
}

const Expr* name_dropper(const Expr& root) {
  const Expr* e = promql::unwrap_parens(&root);
  if (!e) return nullptr;
  switch (e->kind) {
    case promql::NodeKind::Unary: {
      const auto* u = promql::as<promql::Unary>(e);
      if (u->negative) return e;
      return u->expr ? name_dropper(*u->expr) : nullptr;
    }
    case promql::NodeKind::Aggregate: {
      const auto* a = promql::as<promql::Aggregate>(e);
      if (merges_series(a->op)) return e;
      return a->body() ? name_dropper(*a->body()) : nullptr;
    }
    case promql::NodeKind::Call: {
      const auto* c = promql::as<promql::Call>(e);
      if (!c->func) return nullptr;  // unknown function: do not guess
      if (!keeps_metric_name(c->name)) return e;
      const Expr* arg = first_series_arg(*c);
      return arg ? name_dropper(*arg) : nullptr;
    }
    case promql::NodeKind::Binary: {
      const auto* b = promql::as<promql::Binary>(e);
      if (!b->lhs || !b->rhs) return nullptr;
      if (promql::is_set_operator(b->op)) return b->op == promql::BinaryOp::Or ? nullptr : name_dropper(*b->lhs);
      if ((promql::is_comparison(b->op) || promql::is_trim_operator(b->op)) && !b->return_bool) {
        if (is_scalar(*b->lhs)) return name_dropper(*b->rhs);
        return name_dropper(*b->lhs);
      }
      return e;
    }
    case promql::NodeKind::Subquery: {
      const auto* s = promql::as<promql::Subquery>(e);
      return s->expr ? name_dropper(*s->expr) : nullptr;
    }
    default: return nullptr;
  }
}

bool drops_metric_name(const Expr& e) { return name_dropper(e) != nullptr; }

std::vector<const Expr*> value_leaves(const Expr& e) {
  std::vector<const Expr*> out;
  leaves(&e, out);
  return out;
}

const promql::Call* call_named(const Expr* e, std::string_view name) {
  const auto* c = promql::as<promql::Call>(promql::unwrap_parens(e));
  return c && c->name == name ? c : nullptr;
}

std::optional<double> literal_number(const promql::Expr* e) {
  e = promql::unwrap_parens(e);
  if (const auto* n = promql::as<promql::NumberLiteral>(e)) return n->value;
  if (const auto* u = promql::as<promql::Unary>(e))
    if (auto v = literal_number(u->expr.get())) return u->negative ? -*v : *v;
  return std::nullopt;
}

std::string format_for_message(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

const promql::Expr* first_series_arg(const promql::Call& c) {
  for (const auto& a : c.args) {
    if (!a) continue;
    promql::ValueType t = promql::type_of(*a);
    if (t == promql::ValueType::Vector || t == promql::ValueType::Matrix) return a.get();
  }
  return nullptr;
}

}  // namespace promvet::checks::promql_labels
