#!/usr/bin/env python3
"""File and function sizes of C++ sources, against the aims of issue 19 (docs/contributing.md).

  tools/code_size.py [--max-file-lines N] [--max-function-lines N] [--allowlist FILE] PATH...
  tools/code_size.py --list PATH...                    every function with its length
  tools/code_size.py --compare-clang-tidy BUILD PATH...  this counter against clang-tidy's

A function's length is counted as clang-tidy's readability-function-size counts it: the line of
its closing brace minus the line of its opening brace. The counter is lexical (comments, strings
and preprocessor lines blanked, then braces matched) so that the check takes a second and needs
no compiler; clang-tidy needs every file parsed, minutes on two cores. --compare-clang-tidy runs
clang-tidy (compile_commands.json in BUILD) to show that the two agree.

Exit status: 0 within the limits, 1 a file or function over its limit that the allowlist does not
name, or an allowlist entry that no longer matches anything (delete it), 2 usage or parse error.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

SOURCE_SUFFIXES = (".cpp", ".cc", ".h", ".hpp")


class ParseError(Exception):
    pass


def blank(text):
    """The text with comments, string and character literals and preprocessor lines replaced by
    spaces (quotes kept), newlines kept, so that every brace left is code and lines still count."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            # A directive, with its backslash continuations.
            j = i
            while j < n and text[j] != "\n":
                j = j + 2 if text[j] == "\\" and j + 1 < n else j + 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if c == "\n":
            out.append(c)
            line_start = True
            i += 1
            continue
        if c in " \t\r\f\v":
            out.append(c)
            i += 1
            continue
        line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise ParseError("unterminated comment")
            j += 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and text.startswith('R"', i) and (
                i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
                or re.search(r"(?:^|\W)(?:u8|u|U|L)$", text[max(0, i - 3):i])):
            m = re.match(r'R"([^()\\ ]{0,16})\(', text[i:])
            if not m:
                raise ParseError("bad raw string")
            end = text.find(")" + m.group(1) + '"', i + m.end())
            if end < 0:
                raise ParseError("unterminated raw string")
            end += len(m.group(1)) + 2
            out.append('"' + re.sub(r"[^\n]", " ", text[i + 1:end - 1]) + '"')
            i = end
        elif c in "\"'":
            if c == "'" and re.search(r"(?<![\w.])(?:0[xXbB])?[0-9][0-9A-Fa-f']*$", text[max(0, i - 40):i]) \
                    and text[i + 1:i + 2].isalnum():
                out.append(c)  # a digit separator: 1'000'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\n":
                    raise ParseError("newline in a literal")
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise ParseError("unterminated literal")
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


# A function body's head ends with its parameter list and any qualifiers, or with a constructor's
# member initialiser list (which may end with a brace-initialised member).
FUNCTION_TAIL = re.compile(
    r"\)\s*(?:const\b|volatile\b|noexcept\b\s*(?:\([^()]*\))?|override\b|final\b|mutable\b|&&?|->[^;{}=]*|\s)*$")
CTOR_INIT = re.compile(r"\)\s*(?:noexcept\s*)?:(?!:)")
LAMBDA_NO_PARAMS = re.compile(r"(?:^|[=(,{]|\breturn)\s*\[[^\[\]]*\]\s*(?:mutable\s*)?$")
CLASS_HEAD = re.compile(r"\b(?:class|struct|union|enum)\b")
NAMESPACE_HEAD = re.compile(r'\bnamespace\b|\bextern\s*"\s*"\s*$')  # extern "C", blanked


def function_name(head):
    """The declared name (`Writer::node`, `operator()`, `TEST(Suite, Name)`) in a function head,
    and where in the head it starts."""
    head = head.rstrip()
    m = LAMBDA_NO_PARAMS.search(head)
    if m:
        return "lambda", head.rfind("[")
    # The parameter list: the parenthesised group that FUNCTION_TAIL (or an initialiser list) follows.
    cut = len(head)
    ctor = CTOR_INIT.search(head)
    if ctor:
        cut = ctor.start() + 1
    else:
        tail = FUNCTION_TAIL.search(head)
        if tail:
            cut = tail.start() + 1
    depth, j = 0, cut - 1
    while j >= 0:
        if head[j] == ")":
            depth += 1
        elif head[j] == "(":
            depth -= 1
            if depth == 0:
                break
        j -= 1
    before = head[:j].rstrip()
    if before.endswith("]"):
        return "lambda", before.rfind("[")
    m = re.search(r"((?:[\w~]+::)*operator\s*(?:\(\)|\[\]|[^\s(\w]+|\s\w[\w:<>*& ]*)|[\w~][\w:~]*)\s*$", before)
    name = m.group(1) if m else "?"
    start = m.start(1) if m else j
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", name):  # a macro such as TEST(Suite, Name)
        name += re.sub(r"\s+", " ", head[j:cut])
    return name, start


def functions(path, text):
    """(name, line of the name, length) of every function defined at namespace or class scope,
    and of every lambda at those scopes; functions inside functions count as part of them."""
    code = blank(text)
    found = []
    i, n = 0, len(code)
    head = []
    stack = []  # open scopes: "ns" (namespace, extern "C") or "class"

    def matching_brace(start):
        depth = 0
        for k in range(start, n):
            if code[k] == "{":
                depth += 1
            elif code[k] == "}":
                depth -= 1
                if depth == 0:
                    return k
        raise ParseError("unbalanced braces from line %d" % (code.count("\n", 0, start) + 1))

    while i < n:
        c = code[i]
        if c == ";":
            head = []
        elif c == "}":
            if not stack:
                raise ParseError("unbalanced '}' at line %d" % (code.count("\n", 0, i) + 1))
            stack.pop()
            head = []
        elif c == "{":
            h = "".join(head)
            stripped = h.rstrip()
            is_function = FUNCTION_TAIL.search(stripped) or LAMBDA_NO_PARAMS.search(stripped) or \
                (stripped.endswith("}") and CTOR_INIT.search(stripped))
            if is_function:
                end = matching_brace(i)
                name, at = function_name(h)
                brace_line = code.count("\n", 0, i) + 1
                found.append((name, brace_line - h.count("\n", at), code.count("\n", i, end)))
                i = end + 1
                head = []
                continue
            if NAMESPACE_HEAD.search(stripped):
                stack.append("ns")
                head = []
            elif CLASS_HEAD.search(stripped) and "=" not in stripped:
                stack.append("class")
                head = []
            else:
                # An initialiser (`= {...}`, `T x{...}`, a member's `a_{1}` in an initialiser
                # list): skipped whole, and part of the head of what follows it (its newlines
                # kept, so that lines still count).
                end = matching_brace(i)
                head.append("{" + "\n" * code.count("\n", i, end) + "}")
                i = end + 1
                continue
        else:
            head.append(c)
        i += 1
    if stack:
        raise ParseError("unclosed scope at end of file")
    return found


def source_files(paths):
    files = []
    for p in paths:
        if os.path.isfile(p):
            files.append(p)
            continue
        for root, dirs, names in os.walk(p):
            dirs.sort()
            files += [os.path.join(root, f) for f in sorted(names) if f.endswith(SOURCE_SUFFIXES)]
    return [os.path.normpath(f) for f in files]


def read_allowlist(path):
    """{(path, name): reason}; each line `PATH NAME REASON...`, `#` comments."""
    entries = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) < 3:
                raise ParseError("%s:%d: an entry is PATH NAME REASON (the reason is required)" % (path, number))
            entries[(os.path.normpath(parts[0]), parts[1])] = parts[2]
    return entries


def clang_tidy_lengths(build, files, threshold, jobs):
    """{(path, line): length} of the functions clang-tidy finds over `threshold`."""
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        known = {os.path.realpath(e["file"]) for e in json.load(f)}
    config = "{CheckOptions: [{key: readability-function-size.LineThreshold, value: %d}]}" % threshold
    note = re.compile(r"^(.*?):(\d+):\d+: note: (\d+) lines including whitespace and comments")

    def run(path):
        r = subprocess.run(["clang-tidy", "-p", build, "--quiet", "-checks=-*,readability-function-size",
                            "-config=" + config, path], capture_output=True, text=True)
        return [(m.group(1), int(m.group(2)), int(m.group(3))) for m in map(note.match, r.stdout.splitlines()) if m]

    todo = [f for f in files if os.path.realpath(f) in known]
    result = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for rows in pool.map(run, todo):
            for p, line, length in rows:
                result[(os.path.normpath(os.path.relpath(p)), line)] = length
    return result, todo


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--max-file-lines", type=int, default=600)
    ap.add_argument("--max-function-lines", type=int, default=80)
    ap.add_argument("--allowlist", help="PATH NAME REASON lines: functions allowed over the limit")
    ap.add_argument("--list", action="store_true", help="print every function's length and exit")
    ap.add_argument("--compare-clang-tidy", metavar="BUILD",
                    help="compare with clang-tidy's readability-function-size (compile_commands.json in BUILD)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()

    try:
        files = source_files(args.paths)
        per_file = {}
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            try:
                per_file[path] = (text.count("\n"), functions(path, text))
            except ParseError as e:
                raise ParseError("%s: cannot count its functions: %s" % (path, e))
        allow = read_allowlist(args.allowlist) if args.allowlist else {}
    except (ParseError, OSError) as e:
        print("code_size: %s" % e, file=sys.stderr)
        return 2
    if not files:
        print("code_size: no C++ sources under %s" % " ".join(args.paths), file=sys.stderr)
        return 2

    if args.list:
        for path, (_, found) in per_file.items():
            for name, line, length in found:
                print("%s:%d: %d %s" % (path, line, length, name))
        return 0

    if args.compare_clang_tidy:
        tidy, parsed = clang_tidy_lengths(args.compare_clang_tidy, files, args.max_function_lines, args.jobs)
        # Only the files clang-tidy could parse (those in compile_commands.json) are compared.
        ours = {(p, line): (length, name) for p, (_, found) in per_file.items() if p in parsed
                for name, line, length in found if length > args.max_function_lines}
        disagree = 0
        for key in sorted(set(tidy) | set(ours)):
            t = tidy.get(key)
            o = ours.get(key, (None, ""))[0]
            flag = "" if t == o else "   <- differs"
            disagree += t != o
            print("%s:%d: clang-tidy %s, code_size %s %s%s" % (key[0], key[1], t, o, ours.get(key, (0, ""))[1], flag))
        print("%d files parsed by clang-tidy; %d functions over %d lines; %d disagreements"
              % (len(parsed), len(set(tidy) | set(ours)), args.max_function_lines, disagree))
        return 1 if disagree else 0

    problems, used = [], set()
    for path, (lines, found) in per_file.items():
        if lines > args.max_file_lines:
            if (path, "<file>") in allow:
                used.add((path, "<file>"))
            else:
                problems.append("%s: %d lines (limit %d): split it along its concepts"
                                % (path, lines, args.max_file_lines))
        for name, line, length in found:
            if length <= args.max_function_lines:
                continue
            if (path, name) in allow:
                used.add((path, name))
                continue
            problems.append("%s:%d: function '%s' is %d lines (limit %d): split it into named helpers"
                            % (path, line, name, length, args.max_function_lines))
    for key in sorted(set(allow) - used):
        problems.append("%s: allowlist entry '%s %s' matches nothing over the limit any more: delete it"
                        % (args.allowlist, key[0], key[1]))
    for p in problems:
        print(p)
    functions_seen = sum(len(found) for _, found in per_file.values())
    print("code_size: %d files, %d functions; %d over the limits, %d allowed (%s)"
          % (len(files), functions_seen, len(problems), len(used), args.allowlist or "no allowlist"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
