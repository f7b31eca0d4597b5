#!/usr/bin/env python3
"""What the bundled metadata changes on the real-world corpus (testdata/realworld): lints every
project directory with and without --no-builtin-metadata, keeps the warnings of the checks that
rest on metric types, and prints those that appear and those that disappear with the packs, each
with its verdict in findings.golden.

  tools/metadata/corpus_effect.py CORPUS_DIR [PROMVET]
"""
import collections
import json
import os
import re
import subprocess
import sys

TYPE_CHECKS = {"promql/counter-without-rate", "promql/rate-on-non-counter", "promql/over-time-on-counter",
               "promql/summary-sum-without-count", "promql/rate-of-aggregate"}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def warnings(corpus, promvet, extra):
    out = {}
    for project in sorted(d for d in os.listdir(corpus) if os.path.isdir(os.path.join(corpus, d))):
        r = subprocess.run([promvet, "lint", "-o", "json", "-j1", *extra, project], cwd=corpus,
                           capture_output=True, text=True)
        for f in json.loads(r.stdout)["findings"]:
            if f.get("severity") == "warning" and f.get("check") in TYPE_CHECKS:
                out[(f["file"], f["line"], f["column"], f["check"])] = f["message"].split("\n")[0]
    return out


def verdicts():
    # The golden's current verdict of a position and check (a fixed old wording says `false`).
    found = {}
    for line in open(os.path.join(ROOT, "testdata/realworld/findings.golden"), encoding="utf-8"):
        if line.startswith("#") or " | " not in line:
            continue
        verdict, _, finding = line.rstrip("\n").split(" | ", 2)
        m = re.match(r"(.*?):(\d+):(\d+): warning: .*\[([^\]]+)\]$", finding)
        if m:
            key = (m.group(1), int(m.group(2)), int(m.group(3)), m.group(4))
            if verdict != "false" or key not in found:
                found[key] = verdict
    return found


def main():
    corpus = sys.argv[1]
    promvet = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "build/tools/promvet")
    on, off, judged = warnings(corpus, promvet, []), warnings(corpus, promvet, ["--no-builtin-metadata"]), verdicts()
    for title, keys, source in (("with the packs only", set(on) - set(off), on),
                                ("without the packs only", set(off) - set(on), off)):
        counts = collections.Counter(judged.get(k, "unjudged") for k in keys)
        print(f"{title}: {len(keys)} ({', '.join(f'{n} {v}' for v, n in sorted(counts.items()))})")
        for k in sorted(keys):
            print(f"  {judged.get(k, 'unjudged')}: {k[0]}:{k[1]}:{k[2]}: {source[k][:150]} [{k[3]}]")
    for title, found in (("with the packs", on), ("without the packs", off)):
        counts = collections.Counter(judged.get(k, "unjudged") for k in found)
        true, false = counts["true"], sum(n for v, n in counts.items() if v != "true")
        print(f"{title}: {len(found)} warnings, {true} true, precision {true / max(1, true + false):.1%}")


if __name__ == "__main__":
    main()
