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
  std::string pretty = pq::pretty(e);
  pq::ParseResult from_pretty = pq::parse(pretty, options);
  if (!from_pretty.ok() || !pq::equal(e, *from_pretty.expr)) {
    std::fprintf(stderr, "pretty round trip failed\ninput:  %s\npretty: %s\n", input.c_str(), pretty.c_str());
    std::abort();
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  for (bool typed : {false, true}) {
    pq::ParseOptions options;
    options.type_check = typed;
    options.enable_experimental_functions = true;
  options.enable_extended_range_selectors = true;
  options.enable_binop_fill_modifiers = true;
    pq::ParseResult r = pq::parse(input, options);
    if (!r.ok()) {
      if (r.error->range.begin > size || r.error->range.end > size || r.error->message.empty()) {
        std::fprintf(stderr, "bad error range %u..%u for %zu bytes: %s\n", r.error->range.begin, r.error->range.end,
                     size, r.error->message.c_str());
        std::abort();
      }
      (void)pq::format_error(input, *r.error);
      continue;
    }
    if (!typed) check_roundtrip(*r.expr, input);
  }
  return 0;
}
