#!/usr/bin/env python3
"""Extract the exposition-format test cases of the Prometheus projects as data.

Reads the Go test files of fetched snapshots (bare git mirrors or work trees) of
prometheus/common, prometheus/prometheus and prometheus/client_golang and writes
../shared/upstream/expfmt/<name>.json (or --out DIR): per case the input bytes and the verdict
upstream expects (accept/reject, the upstream error text, promlint problems).
Only the case data is taken; no Go code. The files are Apache-2.0 licensed
(NOTICE beside them).

Usage (see docs/upstream.md):
  tools/upstream/extract_expfmt.py --common DIR --prometheus DIR --client-golang DIR [--out DIR]
DIR is a git directory (bare mirror) or a checkout; the HEAD commit is recorded.
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from go_literals import go_unquote  # noqa: E402

SOURCES = [
    # (output name, repo option, repository, path, format)
    ("common_text_parse", "common", "prometheus/common", "expfmt/text_parse_test.go", "text"),
    ("prometheus_promparse", "prometheus", "prometheus/prometheus", "model/textparse/promparse_test.go", "text"),
    ("prometheus_openmetricsparse", "prometheus", "prometheus/prometheus",
     "model/textparse/openmetricsparse_test.go", "openmetrics"),
    ("prometheus_nhcbparse", "prometheus", "prometheus/prometheus", "model/textparse/nhcbparse_test.go", None),
    ("client_golang_promlint", "client_golang", "prometheus/client_golang",
     "prometheus/testutil/promlint/promlint_test.go", "text"),
]


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", git_dir(repo)] + list(args), check=True,
                          capture_output=True).stdout


def git_dir(repo):
    dot = os.path.join(repo, ".git")
    return dot if os.path.exists(dot) else repo


# --- Go string literals -----------------------------------------------------

def parse_literal(src, i):
    """A Go string literal at src[i]; returns (bytes, end index) or None."""
    if src[i] == "`":
        j = src.index("`", i + 1)
        return src[i + 1:j].replace("\r", "").encode("utf-8"), j + 1
    if src[i] != '"':
        return None
    j = i + 1
    while src[j] != '"':
        j += 2 if src[j] == "\\" else 1
    return go_unquote(src[i + 1:j]), j + 1


def parse_concat(src, i):
    """lit (+ lit)*; None when the expression is not made of literals only."""
    first = parse_literal(src, i)
    if first is None:
        return None
    value, j = first
    while True:
        m = re.compile(r"\s*\+\s*").match(src, j)
        if not m or m.end() >= len(src) or src[m.end()] not in "`\"":
            break
        nxt = parse_literal(src, m.end())
        value += nxt[0]
        j = nxt[1]
    # A literal followed by a non-literal operand is not a constant input.
    if re.compile(r"\s*\+").match(src, j):
        return None
    return value, j


# --- Go source structure ------------------------------------------------------

def functions(src):
    """(name, body) for each top-level func."""
    starts = [(m.group(1), m.start()) for m in re.finditer(r"^func (\w+)\(", src, re.M)]
    for k, (name, s) in enumerate(starts):
        e = starts[k + 1][1] if k + 1 < len(starts) else len(src)
        yield name, src[s:e]


INPUT_RE = re.compile(r"\b(in|input)\s*(?::=|:|=)\s*(?=[`\"])")
ERR_RE = re.compile(r"\b(err|errUTF8)\s*:\s*(?=[`\"])")


def input_cases(body):
    """Each literal input of a function with the error literal of its case."""
    hits = []
    for m in INPUT_RE.finditer(body):
        lit = parse_concat(body, m.end())
        if lit is not None:
            hits.append((m.start(), lit[0], lit[1]))
    for k, (start, value, end) in enumerate(hits):
        limit = hits[k + 1][0] if k + 1 < len(hits) else len(body)
        # input += "..." statements extend the input built so far.
        for am in re.compile(r"\n\s*(?:in|input) \+= (?=[`\"])").finditer(body, end, limit):
            more = parse_concat(body, am.end())
            if more is not None:
                value += more[0]
        err = None
        em = ERR_RE.search(body, end, limit)
        if em:
            err = parse_literal(body, em.end())[0].decode("utf-8", "replace")
        yield value, err, end, limit


def encode_input(case, data):
    try:
        case["input"] = data.decode("utf-8")
    except UnicodeDecodeError:
        case["input_base64"] = base64.b64encode(data).decode("ascii")


# --- per file -----------------------------------------------------------------

def parser_cases(src, fmt, path):
    cases = []
    for fname, body in functions(src):
        if fname.startswith("Benchmark") or fname.startswith("Fuzz"):
            continue
        for n, (data, err, _, _) in enumerate(input_cases(body)):
            case_fmt = fmt
            if case_fmt is None:
                # NHCB tests wrap either parser; the OpenMetrics inputs end in "# EOF".
                case_fmt = "openmetrics" if re.search(rb"(^|\n)# EOF\n?$", data) else "text"
            # "EOF" is io.EOF, the normal end of a stream.
            reject = err not in (None, "", "EOF")
            case = {"name": "%s/%d" % (fname, n), "format": case_fmt,
                    "verdict": "reject" if reject else "accept"}
            if reject:
                case["upstream_error"] = err
            encode_input(case, data)
            cases.append(case)
    return cases


def resolve_text(expr, consts):
    expr = expr.strip()
    if expr in consts:
        return consts[expr]
    lit = parse_literal(expr, 0) if expr[:1] in "`\"" else None
    return lit[0].decode("utf-8") if lit else None


PROBLEM_RE = re.compile(r"Metric:\s*(?P<m>[`\"][^\n]*?[`\"]|\w+),\s*Text:\s*(?P<t>[^\n]*?),?\s*\n")


def promlint_problems(segment, consts):
    out = []
    for m in PROBLEM_RE.finditer(segment):
        metric = resolve_text(m.group("m"), consts)
        text = resolve_text(m.group("t").rstrip(","), consts)
        if metric is None or text is None:
            raise ValueError("unresolved problem: %r" % m.group(0))
        out.append({"metric": metric, "text": text})
    return out


def sprintf(fmt_lit, values):
    out = fmt_lit
    for v in values:
        out = out.replace("%s", v, 1)
    return out


def gen_template(body):
    """Cases of a test built by a local genTest(params...) template.

    The template's input is fmt.Sprintf(<literal>, params...) and its problem
    text a literal or fmt.Sprintf(<literal>, param); each genTest call with
    string literals (and an optional extra promlint.Problem) is one case."""
    head = re.search(r"genTest := func\(([\w, ]+?) string(?:, problems \.\.\.promlint\.Problem)?\) test \{", body)
    if not head:
        return None
    params = [p.strip() for p in head.group(1).split(",")]
    m = re.compile(r"in: fmt\.Sprintf\(").search(body, head.end())
    in_lit, j = parse_literal(body, m.end())
    in_args = [a.strip() for a in re.compile(r",([^)]*)\)").match(body, j).group(1).split(",")]
    pm = re.compile(r"Metric:\s*(\w+),\s*Text:\s*(fmt\.Sprintf\()?").search(body, j)
    text_lit, k = parse_literal(body, pm.end())
    text_args = []
    if pm.group(2):
        text_args = [a.strip() for a in re.compile(r",([^)]*)\)").match(body, k).group(1).split(",")]
    out = []
    for call in re.finditer(r"genTest\(((?:\"\w+\",?\s*)+)(,\s*promlint\.Problem\{(.*?)\})?\)", body[pm.end():], re.S):
        args = re.findall(r"\"(\w+)\"", call.group(1))
        env = dict(zip(params, args))
        data = sprintf(in_lit.decode(), [env[a] for a in in_args])
        problems = []
        if call.group(3):
            problems += promlint_problems(call.group(3) + ",\n", {})
        problems.append({"metric": env[pm.group(1)],
                         "text": sprintf(text_lit.decode(), [env[a] for a in text_args])})
        out.append((data, sorted(problems, key=lambda p: (p["metric"], p["text"]))))
    return out


def promlint_cases(src):
    cases, skipped = [], []
    for fname, body in functions(src):
        if not fname.startswith("TestLint"):
            if fname.startswith("Test"):
                skipped.append({"function": fname, "reason": "custom validations are not promlint's built-in lints"})
            continue
        consts = {m.group(1): parse_literal(body, m.end())[0].decode("utf-8")
                  for m in re.finditer(r"const (\w+) = (?=[`\"])", body)}
        n = 0
        template = gen_template(body)
        if template:
            for data, problems in template:
                case = {"name": "%s/%d" % (fname, n), "format": "text", "verdict": "accept",
                        "problems": problems}
                encode_input(case, data.encode())
                cases.append(case)
                n += 1
            continue
        for data, _, end, limit in input_cases(body):
            case = {"name": "%s/%d" % (fname, n), "format": "text", "verdict": "accept",
                    "problems": promlint_problems(body[end:limit], consts)}
            encode_input(case, data)
            cases.append(case)
            n += 1
    return cases, skipped


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--common", required=True)
    ap.add_argument("--prometheus", required=True)
    ap.add_argument("--client-golang", required=True, dest="client_golang")
    # Not into the repository: the cases come from other projects' snapshots (see README.md).
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "upstream",
                                                  "expfmt"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    notices = []
    for out_name, opt, repo_name, path, fmt in SOURCES:
        repo = getattr(args, opt)
        commit = git(repo, "rev-parse", "HEAD").decode().strip()
        src = git(repo, "show", "HEAD:" + path).decode("utf-8")
        doc = {"repository": repo_name, "commit": commit, "path": path, "licence": "Apache-2.0",
               "extracted_by": "tools/upstream/extract_expfmt.py"}
        if opt == "client_golang":
            doc["cases"], doc["skipped"] = promlint_cases(src)
        else:
            doc["cases"] = parser_cases(src, fmt, path)
        with open(os.path.join(args.out, out_name + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print("%s: %d cases from %s@%s:%s" % (out_name, len(doc["cases"]), repo_name, commit[:12], path))
        notice = (repo_name, commit, git(repo, "show", "HEAD:NOTICE").decode("utf-8", "replace"))
        if notice not in notices:
            notices.append(notice)
    with open(os.path.join(args.out, "NOTICE"), "w", encoding="utf-8") as f:
        f.write("The *.json files in this directory hold test inputs and expected verdicts extracted from\n"
                "the Go tests of the repositories below (Apache License 2.0,\n"
                "https://www.apache.org/licenses/LICENSE-2.0). Their NOTICE files follow.\n")
        for repo_name, commit, text in notices:
            f.write("\n==== %s at %s: NOTICE ====\n%s" % (repo_name, commit, text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
