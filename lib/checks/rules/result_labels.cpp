#include "checks/rules/result_labels.h"

#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

ResultLabels any() { return {}; }
ResultLabels only(std::set<std::string> names) { return {true, std::move(names)}; }

ResultLabels add(ResultLabels r, const std::string& label) {
  if (r.bounded) r.names.insert(label);
  else r.names.erase(label);
  return r;
}

ResultLabels remove(ResultLabels r, const std::string& label) {
  if (r.bounded) r.names.erase(label);
  else r.names.insert(label);
  return r;
}

// Labels either side may carry (`or`, group_left's extra labels).
ResultLabels unite(const ResultLabels& a, const ResultLabels& b) {
  if (a.bounded && b.bounded) {
    ResultLabels r = a;
    r.names.insert(b.names.begin(), b.names.end());
    return r;
  }
  if (!a.bounded && !b.bounded) {
    ResultLabels r;
    for (const std::string& n : a.names)
      if (b.names.count(n)) r.names.insert(n);
    return r;
  }
  const ResultLabels& open = a.bounded ? b : a;
  const ResultLabels& closed = a.bounded ? a : b;
  ResultLabels r;
  for (const std::string& n : open.names)
    if (!closed.names.count(n)) r.names.insert(n);
  return r;
}

// Labels both may carry (`by (a, b)` over a body that already dropped some).
ResultLabels intersect(const ResultLabels& a, const std::set<std::string>& keep) {
  std::set<std::string> out;
  for (const std::string& n : keep)
    if (a.may_have(n)) out.insert(n);
  return only(std::move(out));
}

bool is_vector_like(const Expr& e) {
  promql::ValueType t = promql::type_of(e);
  return t == promql::ValueType::Vector || t == promql::ValueType::Matrix;
}

// The labels absent() gives its one output series: the equality matchers of a selector.
ResultLabels absent_labels(const Expr* arg) {
  const Expr* e = promql::unwrap_parens(arg);
  if (const auto* m = promql::as<promql::MatrixSelector>(e)) e = m->selector.get();
  std::set<std::string> names;
  if (const auto* s = promql::as<promql::VectorSelector>(e))
    for (const promql::Matcher& m : s->matchers)
      if (m.op == promql::MatchOp::Equal && m.name != "__name__") names.insert(m.name);
  return only(std::move(names));
}

ResultLabels of_call(const promql::Call& c) {
  const std::string& f = c.name;
  if (f == "absent" || f == "absent_over_time") return c.args.size() == 1 ? absent_labels(c.args[0].get()) : any();
  if (f == "vector" || f == "time" || f == "scalar" || f == "pi") return only({});
  if ((f == "label_replace" || f == "label_join") && c.args.size() >= 2) {
    const auto* dst = promql::as<promql::StringLiteral>(promql::unwrap_parens(c.args[1].get()));
    if (!dst) return any();
    return add(result_labels(*c.args[0]), dst->value);
  }
  if (f == "histogram_quantile" && c.args.size() == 2) return remove(result_labels(*c.args[1]), "le");
  if (!c.func || f == "info") return any();  // info() adds labels from info metrics
  // Other functions keep the labels of their (single) vector or range argument.
  const Expr* source = nullptr;
  for (const auto& a : c.args) {
    if (!a || !is_vector_like(*a)) continue;
    if (source) return any();
    source = a.get();
  }
  return source ? result_labels(*source) : only({});
}

ResultLabels of_aggregate(const promql::Aggregate& a) {
  const Expr* body = a.body();
  if (!body) return any();
  ResultLabels inner = result_labels(*body);
  using promql::AggregateOp;
  // topk/bottomk/limitk/limit_ratio select series: labels stay as they were.
  if (a.op == AggregateOp::Topk || a.op == AggregateOp::Bottomk || a.op == AggregateOp::Limitk ||
      a.op == AggregateOp::LimitRatio)
    return inner;
  ResultLabels r;
  if (a.without) {
    r = inner;
    for (const std::string& g : a.grouping) r = remove(std::move(r), g);
  } else {
    r = intersect(inner, std::set<std::string>(a.grouping.begin(), a.grouping.end()));
  }
  if (a.op == AggregateOp::CountValues) {
    const auto* label = promql::as<promql::StringLiteral>(promql::unwrap_parens(a.param()));
    if (!label) return any();
    r = add(std::move(r), label->value);
  }
  return r;
}

ResultLabels of_binary(const promql::Binary& b) {
  if (!b.lhs || !b.rhs) return any();
  const bool lv = promql::type_of(*b.lhs) == promql::ValueType::Vector;
  const bool rv = promql::type_of(*b.rhs) == promql::ValueType::Vector;
  if (!lv && !rv) return only({});
  if (!rv) return result_labels(*b.lhs);
  if (!lv) return result_labels(*b.rhs);
  using promql::BinaryOp;
  if (b.op == BinaryOp::And || b.op == BinaryOp::Unless) return result_labels(*b.lhs);
  if (b.op == BinaryOp::Or) return unite(result_labels(*b.lhs), result_labels(*b.rhs));
  const promql::VectorMatching& m = b.matching;
  switch (m.card) {
    case promql::Cardinality::ManyToOne:
    case promql::Cardinality::OneToMany: {
      const bool left = m.card == promql::Cardinality::ManyToOne;
      ResultLabels r = result_labels(left ? *b.lhs : *b.rhs);
      for (const std::string& l : m.include) r = add(std::move(r), l);
      return r;
    }
    case promql::Cardinality::OneToOne: {
      ResultLabels r = result_labels(*b.lhs);
      if (!m.has_on_or_ignoring) return r;
      if (m.on) return intersect(r, std::set<std::string>(m.labels.begin(), m.labels.end()));
      for (const std::string& l : m.labels) r = remove(std::move(r), l);
      return r;
    }
    case promql::Cardinality::ManyToMany: break;
  }
  return any();
}

}  // namespace

ResultLabels result_labels(const Expr& e) {
  switch (e.kind) {
    case promql::NodeKind::Number:
    case promql::NodeKind::String: return only({});
    case promql::NodeKind::VectorSelector:
    case promql::NodeKind::MatrixSelector: return any();
    case promql::NodeKind::Subquery: {
      const auto* s = promql::as<promql::Subquery>(&e);
      return s->expr ? result_labels(*s->expr) : any();
    }
    case promql::NodeKind::Call: return of_call(*promql::as<promql::Call>(&e));
    case promql::NodeKind::Aggregate: return of_aggregate(*promql::as<promql::Aggregate>(&e));
    case promql::NodeKind::Binary: return of_binary(*promql::as<promql::Binary>(&e));
    case promql::NodeKind::Unary: {
      const auto* u = promql::as<promql::Unary>(&e);
      return u->expr ? result_labels(*u->expr) : any();
    }
    case promql::NodeKind::Paren: {
      const auto* p = promql::as<promql::Paren>(&e);
      return p->expr ? result_labels(*p->expr) : any();
    }
  }
  return any();
}

}  // namespace promvet::checks
