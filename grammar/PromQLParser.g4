// PromQL parser (Prometheus 3.x). Mirrors the operator precedence of Prometheus'
// generated_parser.y: ANTLR gives earlier alternatives of a left-recursive rule higher precedence,
// so postfix modifiers bind tightest, then '^' (right-assoc), unary +/-, '* / % atan2', '+ -',
// comparisons, 'and unless', 'or'. Semantic rules (offset placement, function arity, types) are
// checked on the AST, not here, so the grammar stays close to the language's shape. No element
// labels (`op=...`): the generated code would dynamic_cast the context for every one it sets,
// and the AST builder reads operators by their position instead.
parser grammar PromQLParser;

// The token vocabulary, emitted by the hand-written lexer (lib/promql/parse_lexer.cpp, which says
// what each token matches). The order is the numbering, and the token classes are ranges of it:
// keywords from AND to FILL_RIGHT (the ones Prometheus lets be label names), aggregators from SUM
// to LIMIT_RATIO. The last five never reach a valid parse: the lexer's superset of PromQL (a number
// or a string gone wrong, a stray character in each of the lexer's three modes), which the token
// scan reports in Prometheus' words.
tokens {
  AND, OR, UNLESS, ATAN2, SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR, TOPK, BOTTOMK, QUANTILE,
  COUNT_VALUES, LIMITK, LIMIT_RATIO, BOOL, BY, WITHOUT, ON, IGNORING, GROUP_LEFT, GROUP_RIGHT, OFFSET,
  START, END, ANCHORED, SMOOTHED, FILL, FILL_LEFT, FILL_RIGHT,
  NUMBER, DURATION, STRING, IDENTIFIER, METRIC_IDENTIFIER,
  LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET, COMMA, AT, COLON,
  ADD, SUB, MUL, DIV, MOD, POW, EQLC, NEQ, TRIM_UPPER, TRIM_LOWER, GTE, LTE, GTR, LSS, EQL, EQL_REGEX,
  NEQ_REGEX,
  BAD_NUMBER, UNTERMINATED_STRING, ERROR_CHAR, BRACES_ERROR_CHAR, BRACKETS_ERROR_CHAR
}

// Every rule context derives from PooledContext (lib/promql/antlr/pooled_context.cpp): its blocks
// and its children list's buffer are reused from one parse to the next instead of a malloc and a
// free each, about forty per expression.
options { contextSuperClass = PooledContext; }

@parser::context {
class PooledContext : public antlr4::ParserRuleContext {
 public:
  using antlr4::ParserRuleContext::ParserRuleContext;
  PooledContext() = default;
  ~PooledContext() override;
  // An empty children list with room for a few, the buffer of a destroyed context's if any.
  void reserve_children();
  static void* operator new(size_t size);
  static void operator delete(void* block, size_t size);
};
}

// Two runtime methods the generated rule functions call dynamic_cast on every call: Parser::exitRule
// (the context's parent, always a ParserRuleContext) and Recognizer::getInterpreter (before every
// prediction; always a ParserATNSimulator, promvet's subclass of it). Members of the same name hide
// them from the generated code; they do what the ANTLR 4.9 runtime's do, with static casts.
@parser::members {
  void exitRule() {
    _ctx->stop = _input->LT(_matchedEOF ? 1 : -1);
    if (!_parseListeners.empty()) triggerExitRuleEvent();
    setState(_ctx->invokingState);
    _ctx = static_cast<antlr4::ParserRuleContext*>(_ctx->parent);
  }
  template <class T> T* getInterpreter() const { return static_cast<T*>(_interpreter); }
}

root: expression EOF;

expression
  : expression LEFT_BRACKET durationExpr RIGHT_BRACKET                               # rangeSelector
  | expression LEFT_BRACKET durationExpr COLON durationExpr? RIGHT_BRACKET           # subquery
  | expression OFFSET offsetValue                                                    # offsetModifier
  | expression AT atValue                                                            # atModifier
  | expression (ANCHORED | SMOOTHED)                                                 # extendedRange
  | <assoc=right> expression POW binModifiers expression                             # binary
  | (ADD | SUB) expression                                                           # unary
  | expression (MUL | DIV | MOD | ATAN2) binModifiers expression                     # binary
  | expression (ADD | SUB) binModifiers expression                                   # binary
  | expression (EQLC | NEQ | GTR | LSS | GTE | LTE | TRIM_UPPER | TRIM_LOWER) binModifiers expression # binary
  | expression (AND | UNLESS) binModifiers expression                                # binary
  | expression OR binModifiers expression                                            # binary
  | aggregateOp aggregateModifier callArguments                                      # aggregation
  | aggregateOp callArguments aggregateModifier?                                     # aggregation
  | (IDENTIFIER | START | END) callArguments                                         # functionCall
  | metricName labelMatchers?                                                        # vectorSelector
  | labelMatchers                                                                    # vectorSelector
  | (NUMBER | DURATION)                                                              # numberLiteral
  | STRING                                                                           # stringLiteral
  | LEFT_PAREN expression RIGHT_PAREN                                                # parens
  ;

// After group_left/group_right a '(' always opens the label list, as in Prometheus' LALR parser
// (it shifts): `a * on(x) group_left (b)` is an error there, not `(b)` as the right operand.
binModifiers: BOOL? ((ON | IGNORING) groupingLabels ((GROUP_LEFT | GROUP_RIGHT) groupLabels)?)? fillModifiers?;

// Prometheus 3.x: fill(v), fill_left(v), fill_right(v), or both of the last two in either order.
fillModifiers
  : FILL fillValue
  | FILL_LEFT fillValue (FILL_RIGHT fillValue)?
  | FILL_RIGHT fillValue (FILL_LEFT fillValue)?
  ;

fillValue: LEFT_PAREN (ADD | SUB)? (NUMBER | DURATION) RIGHT_PAREN;

groupLabels: groupingLabels | {_input->LA(1) != LEFT_PAREN}? ;

aggregateOp
  : SUM | AVG | COUNT | MIN | MAX | GROUP | STDDEV | STDVAR | TOPK | BOTTOMK | QUANTILE
  | COUNT_VALUES | LIMITK | LIMIT_RATIO
  ;

aggregateModifier: (BY | WITHOUT) groupingLabels;

// Empty arguments after a comma are accepted here so the builder can say what Prometheus says.
callArguments: LEFT_PAREN (expression (COMMA expression?)*)? RIGHT_PAREN;

groupingLabels: LEFT_PAREN (groupingLabel (COMMA groupingLabel)* COMMA?)? RIGHT_PAREN;

// In grouping lists the lexer still sees keywords; Prometheus lets most of them be label names.
groupingLabel: labelKeyword | IDENTIFIER | METRIC_IDENTIFIER | STRING;

labelKeyword
  : AND | OR | UNLESS | ATAN2 | SUM | AVG | COUNT | MIN | MAX | GROUP | STDDEV | STDVAR | TOPK
  | BOTTOMK | QUANTILE | COUNT_VALUES | LIMITK | LIMIT_RATIO | BOOL | BY | WITHOUT | ON | IGNORING
  | GROUP_LEFT | GROUP_RIGHT | OFFSET | START | END | ANCHORED | SMOOTHED | FILL | FILL_LEFT | FILL_RIGHT
  ;

// Keywords Prometheus accepts as metric names (not bool, on, ignoring, group_left/right, atan2).
metricName
  : IDENTIFIER | METRIC_IDENTIFIER | AND | OR | UNLESS | SUM | AVG | COUNT | MIN | MAX | GROUP
  | STDDEV | STDVAR | TOPK | BOTTOMK | QUANTILE | COUNT_VALUES | LIMITK | LIMIT_RATIO | BY
  | WITHOUT | OFFSET | START | END | ANCHORED | SMOOTHED | FILL | FILL_LEFT | FILL_RIGHT
  ;

labelMatchers: LEFT_BRACE (labelMatcher (COMMA labelMatcher)* COMMA?)? RIGHT_BRACE;

labelMatcher
  : (IDENTIFIER | STRING) matchOp STRING
  | STRING
  ;

matchOp: EQL | NEQ | EQL_REGEX | NEQ_REGEX;

// offset binds a bare literal tighter than any operator: `x offset -2 ^ 2` is `(x offset -2) ^ 2`.
offsetValue
  : (ADD | SUB)? (NUMBER | DURATION)
  | (ADD | SUB)? durationCall
  | (ADD | SUB)? LEFT_PAREN durationExpr RIGHT_PAREN
  ;

atValue
  : (ADD | SUB)? (NUMBER | DURATION)
  | (START | END) LEFT_PAREN RIGHT_PAREN
  ;

// Duration arithmetic (Prometheus 3.x): literals, step(), range(), min/max, + - * / % ^.
durationExpr
  : <assoc=right> durationExpr POW durationExpr
  | (ADD | SUB) durationExpr
  | durationExpr (MUL | DIV | MOD) durationExpr
  | durationExpr (ADD | SUB) durationExpr
  | (NUMBER | DURATION)
  | durationCall
  | LEFT_PAREN durationExpr RIGHT_PAREN
  ;

durationCall: IDENTIFIER LEFT_PAREN (durationExpr COMMA durationExpr)? RIGHT_PAREN;
