#!/usr/bin/env python3
"""Turn Prometheus' own PromQL parser tests into promvet test data.

Reads a git snapshot of prometheus/prometheus (a bare repository, e.g. the one
the `fetch` tool or `git clone --bare` gives) at one revision and writes, into
../shared/upstream/promql/ beside the repository (or --out DIR; not committed here, as the
cases come from another project's snapshot, see tools/upstream/README.md):

  cases.tsv      one row per expression: where it comes from, the Prometheus
                 feature flags it was parsed with, accept/reject, the first
                 error's position and message, the input
  functions.tsv  the function table of promql/parser/functions.go (facts: name,
                 argument types, variadic arity, return type, experimental)
  SOURCE.md      repository, revision, commit, licence and the command used

Only inputs and verdicts are taken; no Go code. Our list of cases promvet does not agree on
yet stays in testdata/upstream/promql/known_disagreements.txt. Usage:

  tools/upstream/extract_promql.py --git-dir /path/to/prometheus.git --rev v3.14.0 [--out DIR]
"""
import argparse
import datetime
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from go_literals import go_unquote  # noqa: E402

# parse_test.go's TestParseExpressions parser options, as Prometheus feature-flag names.
PARSE_TEST_FEATURES = ["promql-experimental-functions", "promql-duration-expr",
                       "promql-extended-range-selectors"]
# promqltest.TestParserOpts: every .test expression must parse with these (test.go parseEval).
PROMQLTEST_FEATURES = PARSE_TEST_FEATURES + ["promql-binop-fill-modifiers"]


def git_show(git_dir, rev, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{rev}:{path}"],
                          check=True, capture_output=True).stdout


# --- a small Go tokenizer, enough for composite literals of test tables ----------------------



TOKEN_RE = re.compile(r'''
    (?P<ws>\s+) | (?P<line_comment>//[^\n]*) | (?P<block_comment>/\*.*?\*/) |
    (?P<str>"(?:[^"\\\n]|\\.)*") | (?P<raw>`[^`]*`) | (?P<rune>'(?:[^'\\\n]|\\.)*') |
    (?P<num>[0-9][0-9a-zA-Z_.]*) | (?P<ident>[A-Za-z_][A-Za-z0-9_]*) |
    (?P<ellipsis>\.\.\.) | (?P<punct>.)''', re.S | re.X)


def tokenize(text):
    toks = []
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "line_comment", "block_comment"):
            continue
        v = m.group(kind)
        line = text.count("\n", 0, m.start()) + 1
        if kind == "str":
            toks.append(("str", go_unquote(v[1:-1]), line))
        elif kind == "raw":
            toks.append(("str", v[1:-1].replace("\r", "").encode("utf-8"), line))
        else:
            toks.append((kind, v, line))
    return toks


class Eval:
    """Evaluates the few Go expressions the test table uses to build inputs and errors."""

    CONSTS = {"math.MaxInt64": 2**63 - 1, "math.MinInt64": -2**63}

    def __init__(self, toks):
        self.t = toks
        self.i = 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else (None, None, 0)

    def take(self, v=None):
        tok = self.t[self.i]
        if v is not None and tok[1] != v:
            raise ValueError(f"expected {v}, got {tok[1]} at line {tok[2]}")
        self.i += 1
        return tok

    def expr(self):
        v = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            w = self.term()
            v = v + w if op == "+" else v - w
        return v

    def term(self):
        kind, v, _ = self.peek()
        if kind == "str":
            self.take()
            return v
        if kind == "num":
            self.take()
            return float(v) if "." in v or "e" in v else int(v, 0)
        if v == "(":
            self.take()
            r = self.expr()
            self.take(")")
            return r
        if kind == "ident":
            name = self.take()[1]
            while self.peek()[1] == ".":
                self.take()
                name += "." + self.take()[1]
            if name in self.CONSTS:
                return self.CONSTS[name]
            args = self.args()
            return self.call(name, args)
        raise ValueError(f"cannot evaluate {v!r}")

    def args(self):
        self.take("(")
        out = []
        while self.peek()[1] != ")":
            out.append(self.expr())
            if self.peek()[1] == "...":
                self.take()
            if self.peek()[1] == ",":
                self.take()
        self.take(")")
        return out

    @staticmethod
    def call(name, args):
        if name == "strings.Repeat":
            return args[0] * args[1]
        if name == "float64":
            return float(args[0])
        if name in ("fmt.Sprintf", "fmt.Errorf"):
            return (args[0].decode() % tuple(a.decode() if isinstance(a, bytes) else a
                                             for a in args[1:])).encode()
        if name == "errors.New":
            return args[0]
        raise ValueError(f"unknown function {name}")


def parse_test_cases(src):
    """(line, input, reject, pos, message) for each element of parse_test.go's testExpr."""
    text = src.decode("utf-8")
    start = text.index("var testExpr = ")
    start = text.index("}{", start) + 1
    toks = tokenize(text[start:])
    base = text.count("\n", 0, start)
    cases = []
    depth = 0
    case = None
    for tok in toks:
        if tok[1] == "{":
            depth += 1
            if depth == 2:
                case = []
                continue
        elif tok[1] == "}":
            depth -= 1
            if depth == 0:
                break
            if depth == 1:
                cases.append(case)
                continue
        if depth >= 2:
            case.append(tok)
    out = []
    for c in cases:
        out.append(one_parse_case(c, base))
    return out


def field_at(c, name):
    """Index of the value of key `name` at the element's top level, or None."""
    depth = 0
    for i, tok in enumerate(c):
        if tok[1] in ("(", "{", "["):
            depth += 1
        elif tok[1] in (")", "}", "]"):
            depth -= 1
        elif depth == 0 and tok[0] == "ident" and tok[1] == name and c[i + 1][1] == ":":
            return i + 2
    return None


def one_parse_case(c, base):
    i = field_at(c, "input")
    ev = Eval(c)
    ev.i = i
    line = c[i][2] + base
    text = ev.expr()
    i = field_at(c, "fail")
    reject = i is not None and c[i][1] == "true"
    pos, message = "", ""
    if reject:
        # The first error: the first errors.New / fmt.Errorf after `errors:`, its range the
        # Start/End around it (repeatError takes start and end as its 3rd and 5th arguments).
        j = field_at(c, "errors")
        k = j
        while not (c[k][1] in ("errors", "fmt") and c[k + 2][1] in ("New", "Errorf")):
            k += 1
        ev.i = k
        message = ev.expr().decode("utf-8")
        rest = [t[1] for t in c[j:]]
        if "repeatError" in rest[:3]:
            ev.i = j + rest.index("repeatError") + 1
            a = ev.args()
            pos = f"{a[2]}:{a[4]}"
        else:
            s = rest.index("Start")
            e = rest.index("End")
            pos = f"{rest[s + 2]}:{rest[e + 2]}"
    return line, text, reject, pos, message


EVAL_INSTANT = re.compile(r"^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$")
EVAL_RANGE = re.compile(r"^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$")


def promqltest_cases(src):
    """(line, expression) for each eval command: promqltest refuses to load a file whose
    expression does not parse, so every one is accepted by Prometheus' parser."""
    out = []
    for n, raw in enumerate(src.decode("utf-8").split("\n"), 1):
        line = raw.strip()
        if line.startswith("#") or not line.lower().startswith("eval"):
            continue
        m = EVAL_INSTANT.match(line)
        if m:
            out.append((n, m.group(3).encode()))
            continue
        m = EVAL_RANGE.match(line)
        if m:
            out.append((n, m.group(5).encode()))
    return out


def escape(b):
    """Bytes → one TSV field: \\ \\t \\n \\r and \\xHH for control bytes and invalid UTF-8."""
    out = []
    i = 0
    while i < len(b):
        c = b[i]
        if c == 0x5C:
            out.append("\\\\")
        elif c == 9:
            out.append("\\t")
        elif c == 10:
            out.append("\\n")
        elif c == 13:
            out.append("\\r")
        elif c < 0x20 or c == 0x7F:
            out.append(f"\\x{c:02x}")
        elif c < 0x80:
            out.append(chr(c))
        else:
            n = 2 if c >> 5 == 6 else 3 if c >> 4 == 14 else 4 if c >> 3 == 30 else 0
            try:
                out.append(b[i:i + n].decode("utf-8") if n else "")
                if not n:
                    raise UnicodeDecodeError("utf-8", b, i, i + 1, "bad lead")
                i += n
                continue
            except UnicodeDecodeError:
                out.append(f"\\x{c:02x}")
        i += 1
    return "".join(out)


FUNC_RE = re.compile(r'^\t"(?P<key>[^"]+)": \{\n(?P<body>.*?)^\t\},', re.S | re.M)
TYPE_SHORT = {"ValueTypeVector": "vector", "ValueTypeMatrix": "matrix", "ValueTypeScalar": "scalar",
              "ValueTypeString": "string"}


def functions_table(src):
    rows = []
    for m in FUNC_RE.finditer(src.decode("utf-8")):
        body = m.group("body")
        args = re.search(r"ArgTypes:\s*\[\]ValueType\{([^}]*)\}", body)
        arg_list = [TYPE_SHORT[a.strip()] for a in args.group(1).split(",") if a.strip()] if args else []
        variadic = re.search(r"Variadic:\s*(-?\d+)", body)
        ret = re.search(r"ReturnType:\s*(\w+)", body).group(1)
        experimental = re.search(r"Experimental:\s*true", body) is not None
        rows.append((m.group("key"), ",".join(arg_list), variadic.group(1) if variadic else "0",
                     TYPE_SHORT[ret], "true" if experimental else "false"))
    return sorted(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git-dir", required=True)
    ap.add_argument("--rev", required=True)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[2].parent / "shared" / "upstream" / "promql"),
                    help="default: ../shared/upstream/promql beside the repository")
    a = ap.parse_args()
    commit = subprocess.run(["git", "--git-dir", a.git_dir, "rev-parse", f"{a.rev}^{{commit}}"],
                            check=True, capture_output=True, text=True).stdout.strip()
    version = git_show(a.git_dir, commit, "VERSION").decode().strip()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)

    rows = []
    for line, text, reject, pos, msg in parse_test_cases(git_show(a.git_dir, commit, "promql/parser/parse_test.go")):
        rows.append((f"promql/parser/parse_test.go:{line}", ",".join(PARSE_TEST_FEATURES),
                     "reject" if reject else "accept", pos, escape(msg.encode()), escape(text)))
    listing = subprocess.run(["git", "--git-dir", a.git_dir, "ls-tree", "--name-only", commit,
                              "promql/promqltest/testdata/"], check=True, capture_output=True,
                             text=True).stdout.split()
    for path in sorted(p for p in listing if p.endswith(".test")):
        for line, text in promqltest_cases(git_show(a.git_dir, commit, path)):
            rows.append((f"{path}:{line}", ",".join(PROMQLTEST_FEATURES), "accept", "", "", escape(text)))
    with open(out / "cases.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# Extracted by tools/upstream/extract_promql.py from prometheus/prometheus "
                f"{version} ({commit}); Apache-2.0, see NOTICE.\n")
        f.write("# source\tfeatures\tverdict\tposition\tmessage\tinput\n")
        for r in rows:
            f.write("\t".join(r) + "\n")

    funcs = functions_table(git_show(a.git_dir, commit, "promql/parser/functions.go"))
    with open(out / "functions.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# Extracted by tools/upstream/extract_promql.py from prometheus/prometheus "
                f"{version} ({commit}) promql/parser/functions.go; Apache-2.0, see NOTICE.\n")
        f.write("# name\targ_types\tvariadic\treturn_type\texperimental\n")
        for r in funcs:
            f.write("\t".join(r) + "\n")

    (out / "NOTICE").write_bytes(git_show(a.git_dir, commit, "NOTICE"))
    today = datetime.date.today().isoformat()
    (out / "SOURCE.md").write_text(f"""# Upstream PromQL parser cases

- Repository: https://github.com/prometheus/prometheus
- Version: {version} (`{a.rev}`), commit `{commit}`, extracted {today}
- Licence: Apache-2.0; the project's NOTICE is kept beside the data (`NOTICE`).
- Files read: `promql/parser/parse_test.go` (the `testExpr` table), `promql/promqltest/testdata/*.test`
  (every `eval` expression) and `promql/parser/functions.go` (the function table).

Only inputs and verdicts are taken (the expression, accept or reject, the first error's position and
message); the test code is promvet's own (`tests/upstream_promql_test.cpp`).

- `cases.tsv`: {len(rows)} cases. Columns: source (`file:line`), the Prometheus feature flags the
  case is parsed with (parse_test.go's `TestParseExpressions` options; promqltest's `TestParserOpts`),
  `accept`/`reject`, the first error's byte range `start:end`, its message, the input. Fields are
  escaped: `\\\\`, `\\t`, `\\n`, `\\r`, and `\\xHH` for control bytes and bytes that are not UTF-8.
- `functions.tsv`: {len(funcs)} functions (name, argument types, variadic, return type, experimental).
- promvet's list of cases it does not agree on yet is its own:
  `testdata/upstream/promql/known_disagreements.txt` in the repository.

Update to a newer Prometheus (one command; then `PROMVET_UPSTREAM_DIR=... ctest -R UpstreamPromql`
and review `known_disagreements.txt`):

```
tools/upstream/extract_promql.py --git-dir PATH/TO/prometheus.git --rev vX.Y.Z [--out DIR]
```
""", encoding="utf-8")
    print(f"{len(rows)} cases, {len(funcs)} functions from {version} {commit}", file=sys.stderr)


if __name__ == "__main__":
    main()
