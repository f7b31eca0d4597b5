#!/usr/bin/env python3
"""Start-up cost of promvet (issue 21, docs/benchmarks.md "Start-up"): `promvet --version` and one
bundled dashboard through `promvet lint`, next to `/bin/true` on the same machine, with the ratios
side by side.

Each round runs every command once through `hyperfine -N --runs 1` (no shell), the order of the
commands rotating from round to round, so that a burst of load on the shared machine hits all of
them alike; the medians and minima are over the rounds. Peak RSS comes from GNU time (one extra
run each), the shared-library count from ldd, and with --callgrind the instruction count of one run of
each (repeatable where wall times are not).

  tools/bench/startup.py [--runs 21] [--promvet build/tools/promvet] [--baseline OTHER_PROMVET]
                         [--callgrind] [DASHBOARD]

With --baseline, a second build (say, of the previous commit) runs in the same rounds, for a
before/after comparison under the same load.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

DEFAULT_DASHBOARD = "testdata/examples/dashboards/vllm_grafana_scraped.json"


def hyperfine_round(commands):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        # -i: lint exits 1 when it has findings; that is the run being measured, not a failure.
        argv = ["hyperfine", "-N", "-i", "--runs", "1", "--style", "none", "--export-json", out.name]
        subprocess.run(argv + commands, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = json.load(open(out.name))["results"]
    return {r["command"]: (r["times"][0] * 1000.0, (r["user"] + r["system"]) * 1000.0) for r in results}


def max_rss_mb(command):
    # GNU time, not wait4 from here: a child forked from Python counts Python's pages until exec.
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + command.split(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    return int(r.stderr.strip().splitlines()[-1]) / 1024.0


def callgrind_instructions(command):
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={d}/cg.out"] + command.split(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in r.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[1].strip())
    return None


def shared_libraries(path):
    out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    return len([l for l in out.splitlines() if l.strip()])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--promvet", default="build/tools/promvet")
    ap.add_argument("--baseline", help="another promvet binary, measured in the same rounds")
    ap.add_argument("--callgrind", action="store_true", help="also count instructions (valgrind)")
    ap.add_argument("dashboard", nargs="?", default=DEFAULT_DASHBOARD)
    a = ap.parse_args()
    binaries = [a.promvet] + ([a.baseline] if a.baseline else [])
    for path in binaries + [a.dashboard]:
        if not os.path.exists(path):
            sys.exit(f"startup.py: {path}: no such file")
    commands = ["/bin/true"]
    for b in binaries:
        commands += [f"{b} --version", f"{b} lint {a.dashboard}", f"{b} lint --no-builtin-metadata {a.dashboard}"]
    walls = {c: [] for c in commands}
    cpus = {c: [] for c in commands}
    for i in range(a.runs):
        k = i % len(commands)
        for c, (wall, cpu) in hyperfine_round(commands[k:] + commands[:k]).items():
            walls[c].append(wall)
            cpus[c].append(cpu)

    true_median, true_min = statistics.median(walls["/bin/true"]), min(walls["/bin/true"])
    print(f"{a.runs} rounds, commands alternating; load average {os.getloadavg()[0]:.1f}; " +
          "; ".join(f"{b}: {shared_libraries(b)} lines of ldd" for b in binaries) + "\n")
    header = "| command | median ms | min ms | median / true | min / true | median CPU ms | max RSS MB |"
    if a.callgrind:
        header += " instructions |"
    print(header)
    print("| --- " + "| ---: " * (header.count("|") - 2) + "|")
    for c in commands:
        med, low = statistics.median(walls[c]), min(walls[c])
        row = (f"| `{c}` | {med:.2f} | {low:.2f} | {med / true_median:.2f}x | {low / true_min:.2f}x | "
               f"{statistics.median(cpus[c]):.2f} | {max_rss_mb(c):.1f} |")
        if a.callgrind:
            n = callgrind_instructions(c)
            row += f" {n / 1e6:.1f} M |" if n else " ? |"
        print(row)


if __name__ == "__main__":
    main()
