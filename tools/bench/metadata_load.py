#!/usr/bin/env python3
"""Cost of the bundled metadata packs (docs/metadata.md) for `promvet lint`: wall time, CPU time
(user + system, from wait4) and peak RSS (GNU time) of one lint run with the packs (the default) and with
--no-builtin-metadata, median of N runs each, interleaved. CPU time is the figure to trust on a
shared machine: wall time there includes waiting for a core. Prints a markdown table for
docs/benchmarks.md.

  tools/bench/metadata_load.py [--runs 41] [--promvet build/tools/promvet] FILE...
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time


def run_once(argv):
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(argv, stdout=null, stderr=null)
        _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return wall * 1000.0, max_rss_mb(argv), cpu * 1000.0


def max_rss_mb(argv):
    # From GNU time: wait4's ru_maxrss of a child forked from Python counts Python's own pages
    # until the exec (about 13 MB here), which hid the packs' share in earlier figures.
    with tempfile.NamedTemporaryFile(mode="r") as out:
        subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        return int(out.read().strip().splitlines()[-1]) / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=41)
    ap.add_argument("--promvet", default="build/tools/promvet")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    variants = {"with packs (default)": [], "--no-builtin-metadata": []}
    for _ in range(a.runs):
        for name, results in variants.items():
            extra = ["--no-builtin-metadata"] if name.startswith("--") else []
            results.append(run_once([a.promvet, "lint", *extra, *a.files]))
    print("| `promvet lint` | median wall ms | min wall ms | median CPU ms | max RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    med = {}
    for name, results in variants.items():
        walls = [r[0] for r in results]
        cpus = [r[2] for r in results]
        rss = max(r[1] for r in results)
        med[name] = (statistics.median(walls), statistics.median(cpus), rss)
        print(f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f} | {statistics.median(cpus):.2f} | {rss:.1f} |")
    (w1, c1, r1), (w0, c0, r0) = med["with packs (default)"], med["--no-builtin-metadata"]
    print(f"\npacks add {c1 - c0:.2f} ms CPU, {w1 - w0:.2f} ms wall (medians) and {r1 - r0:.1f} MB max RSS;"
          f" {a.runs} runs each")


if __name__ == "__main__":
    main()
