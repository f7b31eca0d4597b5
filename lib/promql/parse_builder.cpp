// The parse tree → AST builder: expressions, selectors, calls, aggregations and literals
// (durations and postfix modifiers are in parse_modifiers.cpp). Semantic errors that Prometheus'
// grammar actions raise are thrown as Failure.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <typeinfo>
#include <utility>

#include "promql/functions.h"
#include "promql/literals.h"
#include "promql/parse_builder_internal.h"

namespace promvet::promql::parse_detail {

namespace {

// The labelled alternatives of the grammar's `expression` rule.
enum class Alternative {
  Binary,
  Selector,
  Call,
  Aggregation,
  Number,
  String,
  Parens,
  Unary,
  Range,
  Subquery,
  Offset,
  At,
  ExtendedRange,
  Unknown
};

// Which alternative a context is. By type_info address first: type_info equality compares the
// mangled names with strcmp when the addresses differ, and those names share a 30-byte prefix.
Alternative alternative_of(P::ExpressionContext* ctx) {
  static const std::pair<const std::type_info*, Alternative> kTypes[] = {
      {&typeid(P::BinaryContext), Alternative::Binary},
      {&typeid(P::VectorSelectorContext), Alternative::Selector},
      {&typeid(P::FunctionCallContext), Alternative::Call},
      {&typeid(P::AggregationContext), Alternative::Aggregation},
      {&typeid(P::NumberLiteralContext), Alternative::Number},
      {&typeid(P::StringLiteralContext), Alternative::String},
      {&typeid(P::ParensContext), Alternative::Parens},
      {&typeid(P::UnaryContext), Alternative::Unary},
      {&typeid(P::RangeSelectorContext), Alternative::Range},
      {&typeid(P::SubqueryContext), Alternative::Subquery},
      {&typeid(P::OffsetModifierContext), Alternative::Offset},
      {&typeid(P::AtModifierContext), Alternative::At},
      {&typeid(P::ExtendedRangeContext), Alternative::ExtendedRange},
  };
  const std::type_info& t = typeid(*ctx);
  for (const auto& [type, alternative] : kTypes)
    if (type == &t) return alternative;
  for (const auto& [type, alternative] : kTypes)
    if (*type == t) return alternative;
  return Alternative::Unknown;
}

}  // namespace

ExprPtr Builder::expr(P::ExpressionContext* ctx) {
  switch (alternative_of(ctx)) {
    case Alternative::Binary: return binary(static_cast<P::BinaryContext*>(ctx));
    case Alternative::Selector: return selector(static_cast<P::VectorSelectorContext*>(ctx));
    case Alternative::Call: return call(static_cast<P::FunctionCallContext*>(ctx));
    case Alternative::Aggregation: return aggregation(static_cast<P::AggregationContext*>(ctx));
    case Alternative::Number: return number(static_cast<P::NumberLiteralContext*>(ctx));
    case Alternative::String: return string(static_cast<P::StringLiteralContext*>(ctx));
    case Alternative::Parens: return parens(static_cast<P::ParensContext*>(ctx));
    case Alternative::Unary: return unary(static_cast<P::UnaryContext*>(ctx));
    case Alternative::Range: return range_selector(static_cast<P::RangeSelectorContext*>(ctx));
    case Alternative::Subquery: return subquery(static_cast<P::SubqueryContext*>(ctx));
    case Alternative::Offset: return offset(static_cast<P::OffsetModifierContext*>(ctx));
    case Alternative::At: return at(static_cast<P::AtModifierContext*>(ctx));
    case Alternative::ExtendedRange: return extended_range(static_cast<P::ExtendedRangeContext*>(ctx));
    case Alternative::Unknown: break;
  }
  fail("unsupported expression", ctx_range(ctx));
}

std::string_view Builder::text(const Token* t) const {
  Range r = token_range(t);
  return src_.substr(r.begin, r.end - r.begin);
}

std::string Builder::unquoted(const Token* t) const { return literals::unquote(text(t)).value; }

BinaryOp Builder::binary_op(size_t type) {
  switch (type) {
    case P::ADD: return BinaryOp::Add;
    case P::SUB: return BinaryOp::Sub;
    case P::MUL: return BinaryOp::Mul;
    case P::DIV: return BinaryOp::Div;
    case P::MOD: return BinaryOp::Mod;
    case P::POW: return BinaryOp::Pow;
    case P::ATAN2: return BinaryOp::Atan2;
    case P::EQLC: return BinaryOp::Eql;
    case P::NEQ: return BinaryOp::Neq;
    case P::GTR: return BinaryOp::Gtr;
    case P::LSS: return BinaryOp::Lss;
    case P::GTE: return BinaryOp::Gte;
    case P::LTE: return BinaryOp::Lte;
    case P::AND: return BinaryOp::And;
    case P::TRIM_UPPER: return BinaryOp::TrimUpper;
    case P::TRIM_LOWER: return BinaryOp::TrimLower;
    case P::OR: return BinaryOp::Or;
    default: return BinaryOp::Unless;
  }
}

ExprPtr Builder::binary(P::BinaryContext* c) {
  auto node = std::make_unique<Binary>();
  // Fixed layout [lhs, op, binModifiers, rhs]: indexing beats ANTLR's accessors, which
  // dynamic_cast every child on each call.
  const Token* op = symbol(c->children[1]);
  node->op = binary_op(op->getType());
  node->op_range = token_range(op);
  node->lhs = expr(static_cast<P::ExpressionContext*>(c->children[0]));
  auto* m = static_cast<P::BinModifiersContext*>(c->children[2]);
  if (m && !m->children.empty()) modifiers(m, node.get());
  node->rhs = expr(static_cast<P::ExpressionContext*>(c->children[3]));
  node->range = merge(node->lhs->range, node->rhs->range);
  if ((node->matching.fill_lhs || node->matching.fill_rhs) && !options_.enable_binop_fill_modifiers)
    fail("binop fill modifiers are experimental and not enabled", node->range);
  return node;
}

// BOOL? ((ON | IGNORING) groupingLabels ((GROUP_LEFT | GROUP_RIGHT) groupLabels)?)? fillModifiers?
void Builder::modifiers(P::BinModifiersContext* m, Binary* node) {
  node->matching.range = ctx_range(m);
  for (antlr4::tree::ParseTree* k : m->children) {
    switch (token_type(k)) {
      case P::BOOL: node->return_bool = true; break;
      case P::ON:
      case P::IGNORING:
        node->matching.has_on_or_ignoring = true;
        node->matching.on = token_type(k) == P::ON;
        break;
      case P::GROUP_LEFT:
      case P::GROUP_RIGHT:
        node->matching.has_group_modifier = true;
        node->matching.card = token_type(k) == P::GROUP_LEFT ? Cardinality::ManyToOne : Cardinality::OneToMany;
        break;
      default:
        switch (rule_of(k)) {
          case P::RuleGroupingLabels:
            node->matching.labels = labels(static_cast<P::GroupingLabelsContext*>(k), nullptr);
            break;
          case P::RuleGroupLabels: {
            auto* group = static_cast<P::GroupLabelsContext*>(k);
            if (!group->children.empty())
              node->matching.include = labels(static_cast<P::GroupingLabelsContext*>(group->children[0]), nullptr);
            break;
          }
          case P::RuleFillModifiers: fill_values(static_cast<P::FillModifiersContext*>(k), &node->matching); break;
          default: break;
        }
    }
  }
}

// fill(v) sets both sides; fill_left / fill_right one each, in the order written.
void Builder::fill_values(P::FillModifiersContext* f, VectorMatching* vm) {
  const auto& kids = f->children;
  for (size_t i = 0; i + 1 < kids.size(); i += 2) {
    size_t keyword = static_cast<antlr4::tree::TerminalNode*>(kids[i])->getSymbol()->getType();
    auto* v = static_cast<P::FillValueContext*>(kids[i + 1]);  // '(' (ADD | SUB)? (NUMBER | DURATION) ')'
    bool is_duration = false;
    double value = number_value(symbol(v->children[v->children.size() - 2]), &is_duration);
    if (token_type(v->children[1]) == P::SUB) value = -value;
    if (keyword != P::FILL_RIGHT) vm->fill_lhs = value;
    if (keyword != P::FILL_LEFT) vm->fill_rhs = value;
  }
}

std::vector<std::string> Builder::labels(P::GroupingLabelsContext* g, std::vector<Range>* ranges) {
  std::vector<std::string> out;
  for (antlr4::tree::ParseTree* k : g->children) {  // '(' label (',' label)* ','? ')'
    if (is_terminal(k)) continue;
    const Token* t = static_cast<P::GroupingLabelContext*>(k)->getStart();
    Range r = token_range(t);
    std::string name = t->getType() == P::STRING ? unquoted(t) : std::string(text(t));
    out.push_back(std::move(name));
    if (ranges) ranges->push_back(r);
  }
  return out;
}

ExprPtr Builder::selector(P::VectorSelectorContext* c) {
  auto node = std::make_unique<VectorSelector>();
  node->range = ctx_range(c);
  // metricName labelMatchers? | labelMatchers
  auto* first = static_cast<ParserRuleContext*>(c->children[0]);
  if (first->getRuleIndex() == P::RuleMetricName) {
    node->name = std::string(text(first->getStart()));
    node->name_range = token_range(first->getStart());
  }
  if (auto* ms = static_cast<ParserRuleContext*>(c->children.back()); ms->getRuleIndex() == P::RuleLabelMatchers) {
    const auto& kids = ms->children;  // '{' m ',' m ... [','] '}'
    for (size_t i = 1; i + 1 < kids.size(); i += 2)
      node->matchers.push_back(matcher(static_cast<P::LabelMatcherContext*>(kids[i])));
  }
  return node;
}

Matcher Builder::matcher(P::LabelMatcherContext* m) {
  Matcher out;
  out.range = ctx_range(m);
  const Token* first = m->getStart();
  if (m->children.size() == 1) {  // STRING alone: the metric name
    out.name = "__name__";
    out.bare_name = true;
    out.value = unquoted(first);
    out.value_range = token_range(first);
    out.name_range = out.value_range;
    return out;
  }
  out.name = first->getType() == P::STRING ? unquoted(first) : std::string(text(first));
  out.name_range = token_range(first);
  switch (static_cast<P::MatchOpContext*>(m->children[1])->getStart()->getType()) {
    case P::NEQ: out.op = MatchOp::NotEqual; break;
    case P::EQL_REGEX: out.op = MatchOp::Regex; break;
    case P::NEQ_REGEX: out.op = MatchOp::NotRegex; break;
    default: out.op = MatchOp::Equal; break;
  }
  const Token* value = m->getStop();
  out.value = unquoted(value);
  out.value_range = token_range(value);
  return out;
}

ExprPtr Builder::call(P::FunctionCallContext* c) {
  auto node = std::make_unique<Call>();
  const Token* name = symbol(c->children[0]);  // name callArguments
  node->name = std::string(text(name));
  node->name_range = token_range(name);
  node->func = find_function(node->name);
  node->range = ctx_range(c);
  arguments(static_cast<P::CallArgumentsContext*>(c->children[1]), &node->args);
  return node;
}

void Builder::arguments(P::CallArgumentsContext* a, std::vector<ExprPtr>* out) {
  // Children: '(' [expr] (',' [expr])* ')'; a comma not followed by an expression is Prometheus'
  // trailing-comma error, reported at that comma.
  const auto& kids = a->children;
  for (size_t i = 1; i + 1 < kids.size(); ++i) {
    if (!is_terminal(kids[i])) {
      out->push_back(expr(static_cast<P::ExpressionContext*>(kids[i])));
      continue;
    }
    if (is_terminal(kids[i + 1]))
      fail("trailing commas not allowed in function call args", token_range(symbol(kids[i])));
  }
}

AggregateOp Builder::aggregate_op(size_t type) {
  switch (type) {
    case P::AVG: return AggregateOp::Avg;
    case P::COUNT: return AggregateOp::Count;
    case P::MIN: return AggregateOp::Min;
    case P::MAX: return AggregateOp::Max;
    case P::GROUP: return AggregateOp::Group;
    case P::STDDEV: return AggregateOp::Stddev;
    case P::STDVAR: return AggregateOp::Stdvar;
    case P::TOPK: return AggregateOp::Topk;
    case P::BOTTOMK: return AggregateOp::Bottomk;
    case P::QUANTILE: return AggregateOp::Quantile;
    case P::COUNT_VALUES: return AggregateOp::CountValues;
    case P::LIMITK: return AggregateOp::Limitk;
    case P::LIMIT_RATIO: return AggregateOp::LimitRatio;
    default: return AggregateOp::Sum;
  }
}

ExprPtr Builder::aggregation(P::AggregationContext* c) {
  auto node = std::make_unique<Aggregate>();
  const Token* op = static_cast<P::AggregateOpContext*>(c->children[0])->getStart();
  node->op = aggregate_op(op->getType());
  node->op_range = token_range(op);
  node->range = ctx_range(c);
  // aggregateOp aggregateModifier callArguments | aggregateOp callArguments aggregateModifier?
  if (auto* m = child_rule<P::AggregateModifierContext>(c, P::RuleAggregateModifier)) {
    node->has_grouping_clause = true;
    node->without = token_type(m->children[0]) == P::WITHOUT;
    node->grouping = labels(static_cast<P::GroupingLabelsContext*>(m->children[1]), &node->grouping_ranges);
  }
  arguments(child_rule<P::CallArgumentsContext>(c, P::RuleCallArguments), &node->args);
  return node;
}

double Builder::number_value(const Token* t, bool* is_duration) {
  *is_duration = t->getType() == P::DURATION;
  if (*is_duration) {
    literals::DurationResult d = literals::parse_duration(text(t));
    if (!d.error.empty()) fail(d.error, token_range(t));
    return static_cast<double>(d.ms) / 1000.0;
  }
  literals::NumberResult n = literals::parse_number(text(t));
  if (!n.error.empty()) fail(n.error, token_range(t));
  return n.value;
}

ExprPtr Builder::number(P::NumberLiteralContext* c) {
  auto node = std::make_unique<NumberLiteral>();
  node->value = number_value(c->getStart(), &node->is_duration);
  node->range = ctx_range(c);
  return node;
}

ExprPtr Builder::string(P::StringLiteralContext* c) {
  auto node = std::make_unique<StringLiteral>();
  node->value = unquoted(c->getStart());
  node->range = ctx_range(c);
  return node;
}

ExprPtr Builder::parens(P::ParensContext* c) {
  auto node = std::make_unique<Paren>();
  node->expr = expr(static_cast<P::ExpressionContext*>(c->children[1]));  // '(' expression ')'
  node->range = ctx_range(c);
  return node;
}

ExprPtr Builder::unary(P::UnaryContext* c) {
  ExprPtr inner = expr(static_cast<P::ExpressionContext*>(c->children[1]));  // op expression
  const Token* op = symbol(c->children[0]);
  bool negative = op->getType() == P::SUB;
  Range range = merge(token_range(op), inner->range);
  // Prometheus folds a sign into a number literal.
  if (auto* n = as<NumberLiteral>(inner.get())) {
    if (negative) n->value = -n->value;
    n->range = range;
    return inner;
  }
  auto node = std::make_unique<Unary>();
  node->negative = negative;
  node->expr = std::move(inner);
  node->range = range;
  return node;
}

ExprPtr build_ast(P::ExpressionContext* root, std::string_view src, const ParseOptions& options) {
  Builder builder(src, options);
  return builder.expr(root);
}

}  // namespace promvet::promql::parse_detail
