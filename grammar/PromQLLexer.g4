// PromQL lexer (Prometheus 3.x). Three modes mirror Prometheus' lexer states: statements,
// inside braces (label matchers: every word is a label name, keywords included) and inside
// brackets (ranges, subquery steps and duration arithmetic: ':' is a separator there).
lexer grammar PromQLLexer;

// Keywords come first: when a keyword and an identifier match the same length, ANTLR takes the
// earlier rule, so 'sum' is SUM while 'summary' is an IDENTIFIER. Case-insensitive through
// letter fragments, since ANTLR 4.7.2 has no caseInsensitive option.
AND: A N D;
OR: O R;
UNLESS: U N L E S S;
ATAN2: A T A N '2';
SUM: S U M;
AVG: A V G;
COUNT: C O U N T;
MIN: M I N;
MAX: M A X;
GROUP: G R O U P;
STDDEV: S T D D E V;
STDVAR: S T D V A R;
TOPK: T O P K;
BOTTOMK: B O T T O M K;
QUANTILE: Q U A N T I L E;
COUNT_VALUES: C O U N T '_' V A L U E S;
LIMITK: L I M I T K;
LIMIT_RATIO: L I M I T '_' R A T I O;
BOOL: B O O L;
BY: B Y;
WITHOUT: W I T H O U T;
ON: O N;
IGNORING: I G N O R I N G;
GROUP_LEFT: G R O U P '_' L E F T;
GROUP_RIGHT: G R O U P '_' R I G H T;
OFFSET: O F F S E T;
START: S T A R T;
END: E N D;
// Prometheus 3.x: extended range selectors and binary-operator fill modifiers. Prometheus takes
// fill/fill_left/fill_right as keywords only before '('; here they are keywords always and the
// parser accepts them wherever a metric or label name may stand.
ANCHORED: A N C H O R E D;
SMOOTHED: S M O O T H E D;
FILL: F I L L;
FILL_LEFT: F I L L '_' L E F T;
FILL_RIGHT: F I L L '_' R I G H T;

// Numbers are scanned liberally (underscores anywhere) and validated in the AST builder, where the
// error can say what is wrong; Inf and NaN are numbers in any case, as in Prometheus.
NUMBER: NUMBER_BODY;
DURATION: DURATION_BODY;
// A word starting like a number that is neither: Prometheus' "bad number or duration syntax".
BAD_NUMBER: BAD_NUMBER_BODY;

STRING: STRING_BODY;
UNTERMINATED_STRING: UNTERMINATED_BODY;

IDENTIFIER: [a-zA-Z_] [a-zA-Z0-9_]*;
METRIC_IDENTIFIER: [a-zA-Z_:] [a-zA-Z0-9_:]*;

LEFT_PAREN: '(';
RIGHT_PAREN: ')';
LEFT_BRACE: '{' -> pushMode(BRACES);
RIGHT_BRACE: '}';
LEFT_BRACKET: '[' -> pushMode(BRACKETS);
RIGHT_BRACKET: ']';
COMMA: ',';
AT: '@';
COLON: ':';  // only reachable inside brackets; a ':' in statements starts a METRIC_IDENTIFIER

ADD: '+';
SUB: '-';
MUL: '*';
DIV: '/';
MOD: '%';
POW: '^';
EQLC: '==';
NEQ: '!=';
// Native-histogram trimming (Prometheus 3.x), lexed before '<' and '>' as Prometheus does.
TRIM_UPPER: '</';
TRIM_LOWER: '>/';
GTE: '>=';
LTE: '<=';
GTR: '>';
LSS: '<';
EQL: '=';
EQL_REGEX: '=~';
NEQ_REGEX: '!~';

WS: [ \t\r\n]+ -> skip;
COMMENT: '#' ~[\r\n]* -> skip;

// Anything else becomes one token the parser never accepts; the builder turns it into
// Prometheus' lexer message instead of ANTLR's recovery chatter.
ERROR_CHAR: .;

mode BRACES;
BRACES_WS: [ \t\r\n]+ -> skip;
BRACES_COMMENT: '#' ~[\r\n]* -> skip;
LABEL_NAME: [a-zA-Z_] [a-zA-Z0-9_]* -> type(IDENTIFIER);
BRACES_STRING: STRING_BODY -> type(STRING);
BRACES_UNTERMINATED_STRING: UNTERMINATED_BODY -> type(UNTERMINATED_STRING);
BRACES_EQL: '=' -> type(EQL);
BRACES_NEQ: '!=' -> type(NEQ);
BRACES_EQL_REGEX: '=~' -> type(EQL_REGEX);
BRACES_NEQ_REGEX: '!~' -> type(NEQ_REGEX);
BRACES_COMMA: ',' -> type(COMMA);
BRACES_RIGHT_BRACE: '}' -> type(RIGHT_BRACE), popMode;
BRACES_ERROR_CHAR: .;

mode BRACKETS;
BRACKETS_WS: [ \t\r\n]+ -> skip;
BRACKETS_NUMBER: NUMBER_BODY -> type(NUMBER);
BRACKETS_DURATION: DURATION_BODY -> type(DURATION);
BRACKETS_BAD_NUMBER: BAD_NUMBER_BODY -> type(BAD_NUMBER);
BRACKETS_IDENTIFIER: [a-zA-Z_] [a-zA-Z0-9_]* -> type(IDENTIFIER);
BRACKETS_COLON: ':' -> type(COLON);
BRACKETS_COMMA: ',' -> type(COMMA);
BRACKETS_LEFT_PAREN: '(' -> type(LEFT_PAREN);
BRACKETS_RIGHT_PAREN: ')' -> type(RIGHT_PAREN);
BRACKETS_ADD: '+' -> type(ADD);
BRACKETS_SUB: '-' -> type(SUB);
BRACKETS_MUL: '*' -> type(MUL);
BRACKETS_DIV: '/' -> type(DIV);
BRACKETS_MOD: '%' -> type(MOD);
BRACKETS_POW: '^' -> type(POW);
BRACKETS_RIGHT_BRACKET: ']' -> type(RIGHT_BRACKET), popMode;
BRACKETS_ERROR_CHAR: .;

fragment NUMBER_BODY
  : DEC_MANTISSA EXPONENT?
  | '0' [xX] [0-9a-fA-F_]+
  | I N F
  | N A N
  ;
fragment DEC_MANTISSA: [0-9] [0-9_]* ('.' [0-9_]*)? | '.' [0-9] [0-9_]*;
fragment EXPONENT: [eE] [+-]? [0-9_]+;
// As Prometheus' lexer: a unit letter optionally followed by 's' ('ms', and 'hs' that the duration
// parser then rejects by name).
fragment DURATION_BODY: [0-9]+ [smhdwy] 's'? ([0-9]+ [smhdw] 's'?)*;
fragment BAD_NUMBER_BODY: ([0-9] | '.' [0-9]) [0-9a-zA-Z_.]*;
fragment STRING_BODY
  : '"' (ESCAPE | ~["\\\n])* '"'
  | '\'' (ESCAPE | ~['\\\n])* '\''
  | '`' ~'`'* '`'
  ;
fragment UNTERMINATED_BODY
  : '"' (ESCAPE | ~["\\\n])*
  | '\'' (ESCAPE | ~['\\\n])*
  | '`' ~'`'*
  ;
fragment ESCAPE: '\\' .;

fragment A: [aA];
fragment B: [bB];
fragment C: [cC];
fragment D: [dD];
fragment E: [eE];
fragment F: [fF];
fragment G: [gG];
fragment H: [hH];
fragment I: [iI];
fragment J: [jJ];
fragment K: [kK];
fragment L: [lL];
fragment M: [mM];
fragment N: [nN];
fragment O: [oO];
fragment P: [pP];
fragment Q: [qQ];
fragment R: [rR];
fragment S: [sS];
fragment T: [tT];
fragment U: [uU];
fragment V: [vV];
fragment W: [wW];
fragment X: [xX];
fragment Y: [yY];
fragment Z: [zZ];
