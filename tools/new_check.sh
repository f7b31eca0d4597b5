#!/bin/sh
# Scaffolds a new `promvet lint` check: tools/new_check.sh FAMILY/NAME ["one-line summary"]
#
# Writes lib/checks/FAMILY/NAME.{h,cpp} (an ExpressionCheck that reports nothing yet), its line in
# lib/checks/FAMILY/module.cpp (in id order), docs/checks/FAMILY/NAME.md and a fixture in
# testdata/checks/FAMILY/NAME/ whose `# expect:` line fails until the check reports it: write the
# check, the fixture's cases and the page, then `ctest -R 'CheckFixture|CheckDocs'`.
# FAMILY is one of the families lib/checks/registry.cpp registers: promql, rules, dashboard,
# inventory, policy. NAME is kebab-case. Run from the repository root or anywhere inside it.
set -eu

usage() { echo "usage: tools/new_check.sh FAMILY/NAME [\"one-line summary\"]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
id=$1
summary=${2:-TODO: what it catches, lowercase, one line}
family=${id%%/*}
name=${id#*/}
case $id in */*/*|/*|*/) usage ;; */*) ;; *) usage ;; esac
echo "$name" | grep -Eq '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' || { echo "new_check.sh: NAME must be kebab-case: $name" >&2; exit 2; }
case $family in promql|rules|dashboard|inventory|policy) ;;
  *) echo "new_check.sh: unknown family $family (promql, rules, dashboard, inventory, policy)" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
snake=$(echo "$name" | tr - _)
class=$(echo "$name" | awk -F- '{ for (i = 1; i <= NF; i++) printf "%s%s", toupper(substr($i, 1, 1)), substr($i, 2) }')Check
header=lib/checks/$family/$snake.h
source=lib/checks/$family/$snake.cpp
module=lib/checks/$family/module.cpp
page=docs/checks/$family/$name.md
fixtures=testdata/checks/$family/$name
for f in "$header" "$source" "$page" "$fixtures"; do
  [ ! -e "$f" ] || { echo "new_check.sh: $f exists" >&2; exit 1; }
done
grep -q "\"$id\"" lib/checks -r && { echo "new_check.sh: $id is already an id" >&2; exit 1; }

cat > "$header" <<EOT
#pragma once
// TODO: what $id flags and why, in two or three lines.
// User docs: docs/checks/$family/$name.md
#include "checks/check.h"

namespace promvet::checks {

class $class final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "$id";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
EOT

cat > "$source" <<EOT
#include "checks/$family/$snake.h"

#include "promql/walk.h"

namespace promvet::checks {

CheckInfo $class::info() const {
  // Stage::kFile; needs: kNeedsInventory, kNeedsPolicies, kNeedsParsedDashboard or
  // kNeedsPrometheusConfig when the check has nothing to say without them (the driver skips it).
  return {kId, Severity::kWarning, "$summary", Stage::kFile, kNeedsNothing};
}

void $class::check(const ExprContext& ctx, Reporter& out) const {
  // Visit the expression's nodes; report on the smallest range that shows the mistake, in
  // expression offsets (out.report) or file offsets (out.report_file).
  promql::visit(ctx.ast, [&](const promql::Expr& e, const promql::Ancestors&) {
    (void)e;
    (void)out;
  });
}

}  // namespace promvet::checks
EOT

# The registry line and include, in id order (the module lists its checks sorted by id).
python3 - "$module" "$snake" "$class" "$family" <<'EOT'
import re, sys
path, snake, cls, family = sys.argv[1:]
s = open(path).read()
include = '#include "checks/%s/%s.h"\n' % (family, snake)
incs = re.findall(r'#include "checks/%s/[a-z0-9_]+\.h"\n' % family, s)
after = [i for i in incs if i > include]
s = s.replace(after[0], include + after[0], 1) if after else s.replace(incs[-1], incs[-1] + include, 1)
line = '  r.add(std::make_unique<%s>());\n' % cls
adds = re.findall(r'  r\.add\(std::make_unique<(\w+)>\(\)\);\n', s)
later = [a for a in adds if a > cls]
if later:
    s = s.replace('  r.add(std::make_unique<%s>());\n' % later[0], line + '  r.add(std::make_unique<%s>());\n' % later[0], 1)
else:
    last = '  r.add(std::make_unique<%s>());\n' % adds[-1]
    s = s.replace(last, last + line, 1)
open(path, 'w').write(s)
EOT

cat > "$page" <<EOT
# $id

**Severity:** warning · **promtool:** no · **Disable:** \`disable: [$id]\` in \`.promvet.yaml\`, or \`# promvet: disable=$id\` above a rule

## What it catches

TODO: the mistake, with a one-line example.

## Why it matters

TODO: what goes wrong in Prometheus or Grafana because of it (name your source).

## Example

\`\`\`promql
TODO
\`\`\`

\`\`\`
TODO: promvet's output for the example
\`\`\`

Fix: TODO.

## Quiet on purpose

TODO: the look-alikes it leaves alone, and why.
EOT

mkdir -p "$fixtures"
if [ "$family" = rules ]; then
  cat > "$fixtures/rules.yaml" <<EOT
# fixture: checks=$id
groups:
  - name: example
    rules:
      # TODO: a rule the check flags; the expectation binds to the next line that is not a comment.
      # expect: $id TODO
      - record: job:todo:rate5m
        expr: sum by (job) (rate(todo_total[5m]))
      # Quiet: TODO, a look-alike that is fine.
      - record: job:fine:rate5m
        expr: sum by (job) (rate(fine_total[5m]))
EOT
elif [ "$family" = dashboard ]; then
  cat > "$fixtures/dashboard.json" <<EOT
{"title": "TODO", "uid": "todo", "panels": [
  {"id": 1, "title": "Flagged", "targets": [{"expr": "sum(rate(todo_total[\$__rate_interval]))"}]},
  {"id": 2, "title": "Quiet", "targets": [{"expr": "sum(rate(fine_total[\$__rate_interval]))"}]}
]}
EOT
  cat > "$fixtures/dashboard.json.expect" <<EOT
# fixture: checks=$id
# <line>:<col> <id> [severity] <message substring>; TODO: the position of the flagged panel's mistake
2:1 $id TODO
EOT
else
  cat > "$fixtures/queries.promql" <<EOT
# fixture: checks=$id
# TODO: an expression the check flags (the expectation binds to the next line that is not a comment).
# expect: $id TODO
todo_total
# Quiet: TODO, a look-alike that is fine.
fine_total
EOT
fi

echo "wrote $header $source $page $fixtures/ and the line in $module"
echo "next: write the check, the fixture's cases and the page; build; ctest -R 'CheckFixture|CheckDocs|Registry'"
