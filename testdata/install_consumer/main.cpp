// Uses the installed library: parse one PromQL expression, lint one rule file with every
// built-in check. Prints what tests/install_test.cpp checks.
#include <iostream>
#include <string>
#include <vector>

#include "checks/finding.h"
#include "checks/lint_source.h"
#include "checks/registry.h"
#include "promql/parse.h"
#include "promql/printer.h"
#include "sources/rules.h"

int main() {
  promvet::promql::ParseResult parsed = promvet::promql::parse("sum by (job) (rate(http_requests_total[5m]))");
  if (!parsed.ok()) {
    std::cout << "parse: error: " << parsed.error->message << "\n";
    return 1;
  }
  std::cout << "parse: ok: " << promvet::promql::to_string(*parsed.expr) << "\n";

  const std::string rules =
      "groups:\n"
      "  - name: example\n"
      "    rules:\n"
      "      - alert: TooManyRequests\n"
      "        expr: http_requests_total > 100\n";
  promvet::sources::SourceFile source = promvet::sources::load_rules("example.rules.yml", rules);
  promvet::checks::Registry registry = promvet::checks::make_registry();
  promvet::checks::LintOptions options;
  options.registry = &registry;
  std::vector<promvet::checks::Finding> findings = promvet::checks::lint_source(source, rules, options);
  for (const promvet::checks::Finding& f : findings) std::cout << "finding: " << f.check_id << "\n";
  std::cout << "findings: " << findings.size() << "\n";
  return 0;
}
