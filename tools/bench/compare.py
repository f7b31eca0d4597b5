#!/usr/bin/env python3
"""Issue 21's benchmarks in one run: promvet against its peer (promtool, /bin/true) side by side,
with the ratio and the issue's goal for each case.

  tools/bench/compare.py [--runs 5] [--startup-runs 21] [--cases abcde]
                         [--promvet build/tools/promvet] [--promtool promtool]
                         [--cache DIR] [--gen-dir ../shared/tools]

Cases:
  a  gen_rules.py 200 100 (20,000 rules): `promvet lint --kind rules` vs `promtool check rules`, RSS
  b  200 files of `gen_rules.py 1 100` (names made distinct): `promvet lint DIR` vs
     `promtool check rules FILE...`
  c  gen_exposition.py 400 500 (137 MB): `promvet metrics` with lints and `--no-lint` vs
     `promtool check metrics` (stdin), RSS
  d  100,000 varied expressions (tools/bench/gen_promql.py when present, else a small inline
     generator): `promvet parse --each-line`, expressions/s, process start included
  e  start-up: `promvet --version` and one bundled dashboard through `promvet lint` vs /bin/true

Each pair is run alternately (promvet, peer, promvet, peer...) so both see the same load. Every run
is a posix_spawn timed with wait4, which also gives the child's CPU time; peak RSS comes from GNU
time (see run_once). The table shows min and median wall time, median CPU time (user + system; on a
shared machine the figure load changes least) and max RSS; the ratio is peer / promvet on median wall time, with the CPU-time
ratio beside it. Generated inputs go to the cache directory (default $XDG_CACHE_HOME/promvet-bench
or ~/.cache/promvet-bench) and are reused; nothing is written into the source tree.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Stats:
    def __init__(self, label):
        self.label = label
        self.wall, self.cpu, self.rss = [], [], []
        self.exit_codes = set()

    def add(self, wall_ms, cpu_ms, rss_mb, rc):
        self.wall.append(wall_ms)
        self.cpu.append(cpu_ms)
        self.rss.append(rss_mb)
        self.exit_codes.add(rc)

    @property
    def median(self):
        return statistics.median(self.wall)

    @property
    def cpu_median(self):
        return statistics.median(self.cpu)


GNU_TIME = "/usr/bin/time"
RSS_FILE = os.path.join("/tmp", f"promvet-bench-rss-{os.getpid()}")


def run_once(argv, stdin_path=None, rss=True):
    """One spawn with output discarded: (wall ms, CPU ms, peak RSS MB or None, exit code).
    Linux carries the parent's peak RSS through fork/vfork and exec into the child's ru_maxrss, so
    a child of this 13 MB Python reports at least 13 MB; the peak RSS is therefore read from GNU
    time (itself about 2 MB) wrapped around the command, which costs about a millisecond of wall
    time. The start-up case (rss=False) spawns the command directly and reports no RSS."""
    if rss and os.path.exists(GNU_TIME):
        argv = [GNU_TIME, "-f", "%M", "-o", RSS_FILE, *argv]
    actions = [(os.POSIX_SPAWN_OPEN, 0, stdin_path or os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    rc = os.waitstatus_to_exitcode(status)
    peak = None
    if argv[0] == GNU_TIME:
        with open(RSS_FILE) as f:
            peak = int(f.read().split()[-1]) / 1024.0
    return wall * 1000.0, (usage.ru_utime + usage.ru_stime) * 1000.0, peak, rc


def alternate(commands, runs, warmup=1, rss=True):
    """commands: [(label, argv, stdin_path)]; runs them in turn `runs` times after `warmup` rounds."""
    stats = [Stats(label) for label, _, _ in commands]
    for i in range(warmup + runs):
        for s, (_, argv, stdin_path) in zip(stats, commands):
            result = run_once(argv, stdin_path, rss)
            if i >= warmup:
                s.add(*result)
    for s in stats:
        bad = s.exit_codes - {0, 1}
        if bad:
            sys.exit(f"compare.py: `{s.label}` exited with {sorted(bad)}; is it built and installed?")
    return stats


# ---- inputs -------------------------------------------------------------------------------------

def generate(path, argv):
    if not os.path.exists(path):
        print(f"generating {path}", file=sys.stderr)
        with open(path + ".tmp", "wb") as out:
            subprocess.run(argv, stdout=out, check=True)
        os.replace(path + ".tmp", path)
    return path


def small_rule_dir(cache, gen_rules):
    """200 files of `gen_rules.py 1 100`; the generator has no seed, so each copy gets its own group,
    record and alert names (the expressions stay the generator's)."""
    d = os.path.join(cache, "rules-200x100")
    if os.path.isdir(d) and len(os.listdir(d)) == 200:
        return d
    os.makedirs(d, exist_ok=True)
    text = subprocess.run([sys.executable, gen_rules, "1", "100"], stdout=subprocess.PIPE, check=True,
                          text=True).stdout
    for k in range(200):
        body = (text.replace("group_0", f"group_{k}").replace("metric_0_", f"metric_{k}_")
                .replace("Alert0_", f"Alert{k}_"))
        with open(os.path.join(d, f"rules_{k:03}.yaml"), "w") as f:
            f.write(body)
    return d


def inline_promql(path, n):
    """Fallback when tools/bench/gen_promql.py is absent: varied expressions, every metric name
    distinct (a counter in it), so no cache keyed on names helps."""
    rnd = random.Random(1)
    labels = ["job", "instance", "code", "method", "env", "le", "pod", "namespace"]
    values = ["api", "web", "prod", "200", "500", "GET", "node-1:9100", ""]
    regexes = ["5..", "api|web", ".+", "node-[0-9]+:9100", "(GET|POST)"]
    ranges = ["1m", "5m", "15m", "1h", "30s"]

    def sel(i):
        ms = []
        for _ in range(rnd.randint(0, 3)):
            op = rnd.choice(["=", "!=", "=~", "!~"])
            v = rnd.choice(regexes if "~" in op else values)
            ms.append(f'{rnd.choice(labels)}{op}"{v}"')
        return f"app_metric_{i}_total" + ("{" + ",".join(ms) + "}" if ms else "")

    shapes = [
        lambda i: f"rate({sel(i)}[{rnd.choice(ranges)}])",
        lambda i: f"sum by (job, instance) (rate({sel(i)}[{rnd.choice(ranges)}])) > 0.5",
        lambda i: f"histogram_quantile(0.99, sum by (le) (rate({sel(i)}[5m])))",
        lambda i: f"{sel(i)} / on (instance) group_left (nodename) count by (instance) ({sel(i)}_b)",
        lambda i: f"max_over_time(rate({sel(i)}[1m])[30m:1m]) > bool 0.9",
        lambda i: f"increase({sel(i)}[1h] offset 5m) > 3 unless on (pod) {sel(i)}_phase == 1",
        lambda i: f"topk(5, sum without (pod) (irate({sel(i)}[2m]))) * 100",
        lambda i: f"absent({sel(i)}) or -{sel(i)}_x < 2",
    ]
    with open(path, "w") as f:
        for i in range(n):
            f.write(rnd.choice(shapes)(i) + "\n")
    return path


# ---- output -------------------------------------------------------------------------------------

ROWS = []


def fmt_ms(ms):
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.1f} ms"


def row(case, s, peer=None, goal="", met=None, extra=""):
    ratio = ""
    if peer is not None:
        ratio = f"{peer.median / s.median:.1f}x (CPU {peer.cpu_median / max(s.cpu_median, 0.001):.1f}x)"
    ROWS.append([case, s.label, fmt_ms(min(s.wall)), fmt_ms(s.median), fmt_ms(s.cpu_median),
                 "-" if None in s.rss else f"{max(s.rss):.1f}", ratio, goal, "" if met is None else ("yes" if met else "NO"), extra])


def print_table():
    head = ["case", "command", "wall min", "wall median", "CPU median", "max RSS MB",
            "peer/promvet", "goal", "met", "note"]
    print("| " + " | ".join(head) + " |")
    print("| " + " | ".join("---" if i < 2 or i > 6 else "---:" for i in range(len(head))) + " |")
    for r in ROWS:
        print("| " + " | ".join(r) + " |")


# ---- cases --------------------------------------------------------------------------------------

def case_a(a):
    f = generate(os.path.join(a.cache, "rules-200x100.yaml"),
                 [sys.executable, os.path.join(a.gen_dir, "gen_rules.py"), "200", "100"])
    pv, pt = alternate([("promvet lint --kind rules", [a.promvet, "lint", "--kind", "rules", f], None),
                        ("promtool check rules", [a.promtool, "check", "rules", f], None)], a.runs)
    ratio = pt.median / pv.median
    row("a: 20,000 rules, one file", pv, pt, "5x (goal 10x), RSS <= 150 MB",
        ratio >= 5 and max(pv.rss) <= 150, "10x: " + ("yes" if ratio >= 10 else "no"))
    row("", pt)


def case_b(a):
    d = small_rule_dir(a.cache, os.path.join(a.gen_dir, "gen_rules.py"))
    files = sorted(os.path.join(d, n) for n in os.listdir(d))
    pv, pt = alternate([("promvet lint DIR (200 files)", [a.promvet, "lint", "--kind", "rules", d], None),
                        ("promtool check rules 200 files", [a.promtool, "check", "rules", *files], None)], a.runs)
    row("b: 200 small rule files", pv, pt, "5x", pt.median / pv.median >= 5)
    row("", pt)


def case_c(a):
    f = generate(os.path.join(a.cache, "exposition-400x500.prom"),
                 [sys.executable, os.path.join(a.gen_dir, "gen_exposition.py"), "400", "500"])
    lint, nolint, pt = alternate([
        ("promvet metrics (all lints)", [a.promvet, "metrics", "--format", "text", f], None),
        ("promvet metrics --no-lint", [a.promvet, "metrics", "--no-lint", "--format", "text", f], None),
        ("promtool check metrics < FILE", [a.promtool, "check", "metrics"], f)], a.runs)
    row("c: exposition 137 MB", lint, pt, "20x, RSS < 64 MB",
        pt.median / lint.median >= 20 and max(lint.rss) < 64)
    row("", nolint, pt, "", None)
    row("", pt)


def case_d(a):
    gen = os.path.join(REPO, "tools", "bench", "gen_promql.py")
    path = os.path.join(a.cache, "promql-100000.txt" if os.path.exists(gen) else "promql-inline-100000.txt")
    if os.path.exists(gen):
        generate(path, [sys.executable, gen, "100000", "1"])
    elif not os.path.exists(path):
        inline_promql(path, 100000)
    (pv,) = alternate([("promvet parse --each-line", [a.promvet, "parse", "--each-line", path], None)],
                      max(1, a.runs // 2))
    rate = 100000 / (pv.median / 1000)
    rate_cpu = 100000 / (pv.cpu_median / 1000)
    row("d: 100,000 expressions", pv, None, "100k expr/s", rate >= 100000,
        f"{rate / 1000:.1f}k/s wall, {rate_cpu / 1000:.1f}k/s CPU"
        + ("" if os.path.exists(gen) else "; inline generator"))


def case_e(a):
    dash_dir = os.path.join(REPO, "testdata", "examples", "dashboards")
    dash = os.path.join(dash_dir, a.dashboard)
    version, true1 = alternate([("promvet --version", [a.promvet, "--version"], None),
                                ("/bin/true", ["/bin/true"], None)], a.startup_runs, warmup=2, rss=False)
    lint, true2 = alternate([(f"promvet lint {a.dashboard}", [a.promvet, "lint", dash], None),
                             ("/bin/true", ["/bin/true"], None)], a.startup_runs, warmup=2, rss=False)
    v = version.median / true1.median
    row("e: start-up", version, None, "<= 8 ms, <= 2.5x /bin/true",
        version.median <= 8 and v <= 2.5, f"{v:.1f}x /bin/true")
    row("", true1)
    d = lint.median / true2.median
    row("", lint, None, "<= 12 ms, <= 3.5x /bin/true", lint.median <= 12 and d <= 3.5, f"{d:.1f}x /bin/true")
    row("", true2)


def main():
    cache_home = os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per command for cases a-c (d: half)")
    ap.add_argument("--startup-runs", type=int, default=21)
    ap.add_argument("--cases", default="abcde")
    ap.add_argument("--promvet", default=os.path.join(REPO, "build", "tools", "promvet"))
    ap.add_argument("--promtool", default="promtool")
    ap.add_argument("--cache", default=os.path.join(cache_home, "promvet-bench"))
    ap.add_argument("--gen-dir", default=os.path.join(os.path.dirname(REPO), "shared", "tools"),
                    help="where gen_rules.py and gen_exposition.py are")
    ap.add_argument("--dashboard", default="mana_llm.json", help="a file in testdata/examples/dashboards")
    a = ap.parse_args()
    os.makedirs(a.cache, exist_ok=True)
    cases = {"a": case_a, "b": case_b, "c": case_c, "d": case_d, "e": case_e}
    load_before = os.getloadavg()
    for c in a.cases:
        print(f"case {c}...", file=sys.stderr)
        cases[c](a)
    load_after = os.getloadavg()
    print(f"promvet: {a.promvet}; {a.runs} runs per command (start-up: {a.startup_runs}), alternating; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after, on {os.cpu_count()} CPUs\n")
    print_table()


if __name__ == "__main__":
    main()
