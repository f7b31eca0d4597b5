#include "promql/ast_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace promvet::promql {
namespace {

using json = nlohmann::ordered_json;

const char* kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::Number: return "NumberLiteral";
    case NodeKind::String: return "StringLiteral";
    case NodeKind::VectorSelector: return "VectorSelector";
    case NodeKind::MatrixSelector: return "MatrixSelector";
    case NodeKind::Subquery: return "SubqueryExpr";
    case NodeKind::Call: return "Call";
    case NodeKind::Aggregate: return "AggregateExpr";
    case NodeKind::Binary: return "BinaryExpr";
    case NodeKind::Unary: return "UnaryExpr";
    case NodeKind::Paren: return "ParenExpr";
  }
  return "?";
}

const char* card_name(Cardinality c) {
  switch (c) {
    case Cardinality::OneToOne: return "one-to-one";
    case Cardinality::ManyToOne: return "many-to-one";
    case Cardinality::OneToMany: return "one-to-many";
    case Cardinality::ManyToMany: return "many-to-many";
  }
  return "?";
}


// JSON has no Inf/NaN: those become strings, as Prometheus spells them.
json number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return v;
}

class Writer {
 public:
  explicit Writer(std::string_view source) : source_(source), lines_(source) {}

  json range(Range r) const {
    LineIndex::Location b = lines_.locate(r.begin);
    LineIndex::Location e = lines_.locate(r.end);
    return json{{"begin", r.begin},
                {"end", r.end},
                {"start", std::to_string(b.line) + ":" + std::to_string(b.column)},
                {"stop", std::to_string(e.line) + ":" + std::to_string(e.column)}};
  }

  std::string text(Range r) const {
    if (r.begin > r.end || r.end > source_.size()) return std::string();
    return std::string(source_.substr(r.begin, r.end - r.begin));
  }

  json duration_expr(const DurationExpr* d) const {
    if (!d) return nullptr;
    json j{{"op", d->op == DurationExpr::Op::Neg ? "neg" : to_string(d->op)}, {"range", range(d->range)}};
    if (d->op == DurationExpr::Op::Literal) {
      j["seconds"] = number(d->seconds);
      j["is_duration"] = d->literal_is_duration;
    }
    if (d->wrapped) j["wrapped"] = true;
    if (d->lhs) j["lhs"] = duration_expr(d->lhs.get());
    if (d->rhs) j["rhs"] = duration_expr(d->rhs.get());
    return j;
  }

  json duration(const Duration& d) const {
    json j{{"text", text(d.range)}, {"range", range(d.range)}, {"literal", d.expr ? d.is_literal() : true}};
    if (!d.expr || d.is_literal()) j["ms"] = d.ms;
    if (d.expr && !d.is_literal()) j["expr"] = duration_expr(d.expr.get());
    return j;
  }

  void modifiers(json& j, const Modifiers& m) const {
    if (m.offset) {
      j["offset"] = duration(*m.offset);
      j["offset_range"] = range(m.offset_range);
    }
    switch (m.at) {
      case AtKind::None: break;
      case AtKind::Timestamp: j["at"] = json{{"timestamp_ms", m.at_ms}, {"range", range(m.at_range)}}; break;
      case AtKind::Start: j["at"] = json{{"preprocessor", "start()"}, {"range", range(m.at_range)}}; break;
      case AtKind::End: j["at"] = json{{"preprocessor", "end()"}, {"range", range(m.at_range)}}; break;
    }
  }

  json node(const Expr* e) const {
    if (!e) return nullptr;
    json j{{"kind", kind_name(e->kind)}, {"type", to_string(type_of(*e))}, {"range", range(e->range)}};
    // Each kind adds its own fields after the three every node has; one writer per kind keeps
    // this dispatch readable.
    switch (e->kind) {
      case NodeKind::Number: {
        const auto* n = as<NumberLiteral>(e);
        j["value"] = number(n->value);
        if (n->is_duration) j["is_duration"] = true;
        break;
      }
      case NodeKind::String: j["value"] = as<StringLiteral>(e)->value; break;
      case NodeKind::VectorSelector: vector_selector(j, *as<VectorSelector>(e)); break;
      case NodeKind::MatrixSelector: {
        const auto* m = as<MatrixSelector>(e);
        j["selector"] = node(m->selector.get());
        j["range_duration"] = duration(m->range_duration);
        j["bracket_range"] = range(m->bracket_range);
        break;
      }
      case NodeKind::Subquery: subquery(j, *as<Subquery>(e)); break;
      case NodeKind::Call: call(j, *as<Call>(e)); break;
      case NodeKind::Aggregate: aggregate(j, *as<Aggregate>(e)); break;
      case NodeKind::Binary: binary(j, *as<Binary>(e)); break;
      case NodeKind::Unary: {
        const auto* u = as<Unary>(e);
        j["op"] = u->negative ? "-" : "+";
        j["expr"] = node(u->expr.get());
        break;
      }
      case NodeKind::Paren: j["expr"] = node(as<Paren>(e)->expr.get()); break;
    }
    return j;
  }

 private:
  json args(const std::vector<ExprPtr>& list) const {
    json out = json::array();
    for (const ExprPtr& a : list) out.push_back(node(a.get()));
    return out;
  }

  void vector_selector(json& j, const VectorSelector& v) const {
    if (!v.name.empty()) {
      j["name"] = v.name;
      j["name_range"] = range(v.name_range);
    }
    json ms = json::array();
    for (const Matcher& m : v.matchers) {
      json mj{{"name", m.name}, {"op", to_string(m.op)}, {"value", m.value}, {"range", range(m.range)}};
      if (m.bare_name) mj["bare_name"] = true;
      ms.push_back(std::move(mj));
    }
    j["matchers"] = std::move(ms);
    if (v.anchored) j["anchored"] = true;
    if (v.smoothed) j["smoothed"] = true;
    modifiers(j, v.mods);
  }

  void subquery(json& j, const Subquery& s) const {
    j["expr"] = node(s.expr.get());
    j["range_duration"] = duration(s.range_duration);
    j["step"] = s.step ? duration(*s.step) : json(nullptr);
    j["bracket_range"] = range(s.bracket_range);
    modifiers(j, s.mods);
  }

  void call(json& j, const Call& c) const {
    j["name"] = c.name;
    j["name_range"] = range(c.name_range);
    if (!c.func) j["unknown_function"] = true;
    j["args"] = args(c.args);
  }

  void aggregate(json& j, const Aggregate& a) const {
    j["op"] = to_string(a.op);
    j["op_range"] = range(a.op_range);
    if (a.has_grouping_clause) {
      j[a.without ? "without" : "by"] = a.grouping;
    }
    j["args"] = args(a.args);
  }

  void binary(json& j, const Binary& b) const {
    j["op"] = to_string(b.op);
    j["op_range"] = range(b.op_range);
    if (b.return_bool) j["bool"] = true;
    const VectorMatching& vm = b.matching;
    // "matching" only when the source spelled on/ignoring or group_left/right.
    if (vm.has_on_or_ignoring || vm.has_group_modifier) {
      json m{{"card", card_name(vm.card)}};
      if (vm.has_on_or_ignoring) m[vm.on ? "on" : "ignoring"] = vm.labels;
      if (vm.has_group_modifier) {
        m[vm.card == Cardinality::OneToMany ? "group_right" : "group_left"] = vm.include;
      }
      m["range"] = range(vm.range);
      j["matching"] = std::move(m);
    }
    if (vm.fill_lhs) j["fill_left"] = number(*vm.fill_lhs);
    if (vm.fill_rhs) j["fill_right"] = number(*vm.fill_rhs);
    j["lhs"] = node(b.lhs.get());
    j["rhs"] = node(b.rhs.get());
  }

  std::string_view source_;
  LineIndex lines_;
};

}  // namespace

std::string to_json(const Expr& e, std::string_view source, int indent) {
  Writer w(source);
  // Replace invalid UTF-8 (possible in string values) instead of throwing.
  return w.node(&e).dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace promvet::promql
