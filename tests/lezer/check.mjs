// Parses PromQL expressions with @prometheus-io/lezer-promql, the grammar of Prometheus' web UI,
// for tests/promql_lezer_oracle_test.cpp.
//   node check.mjs DIR < expressions
// DIR holds node_modules with the package (tests/lezer/setup.sh installs it there). Input: one
// JSON string per line. Output: first `version <package version>`, then one line per input line:
// `accept`, `reject <from> <to>` (the first error node ⚠ of the parse tree, in UTF-16 code units)
// or `bad-input` when the line is not a JSON string.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node check.mjs DIR < expressions\n');
  process.exit(2);
}
const require = createRequire(path.resolve(dir, 'package.json'));
const { parser } = require('@prometheus-io/lezer-promql');
const packageDir = path.resolve(dir, 'node_modules', '@prometheus-io', 'lezer-promql');
const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));

// The first error node of the tree, or null. Lezer recovers from syntax errors by inserting
// error nodes, so a parse never throws: the error nodes are its verdict.
function firstError(text) {
  const cursor = parser.parse(text).cursor();
  do {
    if (cursor.type.isError) return { from: cursor.from, to: cursor.to };
  } while (cursor.next());
  return null;
}

const out = [`version ${version}`];
const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of input) {
  let text;
  try {
    text = JSON.parse(line);
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string') {
    out.push('bad-input');
    continue;
  }
  const error = firstError(text);
  out.push(error ? `reject ${error.from} ${error.to}` : 'accept');
}
process.stdout.write(out.join('\n') + '\n');
