// PromQL: parse + check + print round trip. Invariants (abort on violation):
//  - an error's range lies inside the input;
//  - a valid expression prints to text that parses back to an equal AST and prints the same;
//  - the pretty form parses back to an equal AST.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "promql/parse.h"
#include "promql/printer.h"

namespace pq = promvet::promql;

static void check_roundtrip(const pq::Expr& e, const std::string& input) {
  std::string printed = pq::to_string(e);
  pq::ParseOptions options;
  options.type_check = false;
  options.enable_experimental_functions = true;
  options.enable_extended_range_selectors = true;
  options.enable_binop_fill_modifiers = true;
  pq::ParseResult again = pq::parse(printed, options);
  if (!again.ok() || !pq::equal(e, *again.expr) || pq::to_string(*again.expr) != printed) {
    std::fprintf(stderr, "round trip failed\ninput:   %s\nprinted: %s\nerror:   %s\n", input.c_str(), printed.c_str(),
                 again.ok() ? "(ASTs differ)" : pq::format_error(printed, *again.error).c_str());
    std::abort();
  }
  // An expression that fits on a line pretty-prints to its one-line form: text just parsed back
  // to an equal AST above (parsing is a function of the text), so it is not parsed again.
  std::string pretty = pq::pretty(e);
  if (pretty == printed) return;
  pq::ParseResult from_pretty = pq::parse(pretty, options);
  if (!from_pretty.ok() || !pq::equal(e, *from_pretty.expr)) {
    std::fprintf(stderr, "pretty round trip failed\ninput:  %s\npretty: %s\n", input.c_str(), pretty.c_str());
    std::abort();
  }
}

static void check_error_range(const std::string& input, const std::string& message, pq::Range range) {
  if (range.begin > input.size() || range.end > input.size() || message.empty()) {
    std::fprintf(stderr, "bad error range %u..%u for %zu bytes: %s\n", range.begin, range.end, input.size(),
                 message.c_str());
    std::abort();
  }
}

// One parse per input: parse() with type_check runs the parse without it and then check() on the
// AST (an expression that does not parse gets the same error either way), so the typed result is
// had by calling check() on the untyped AST, with the same options.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  pq::ParseOptions options;
  options.type_check = false;
  options.enable_experimental_functions = true;
  options.enable_extended_range_selectors = true;
  options.enable_binop_fill_modifiers = true;
  pq::ParseResult r = pq::parse(input, options);
  if (!r.ok()) {
    check_error_range(input, r.error->message, r.error->range);
    (void)pq::format_error(input, *r.error);
    return 0;
  }
  check_roundtrip(*r.expr, input);
  pq::CheckOptions check_options;
  check_options.enable_experimental_functions = options.enable_experimental_functions;
  if (std::optional<pq::CheckError> e = pq::check(*r.expr, input, check_options)) {
    check_error_range(input, e->message, e->range);
    (void)pq::format_error(input, pq::ParseError{e->message, e->range});
  }
  return 0;
}
