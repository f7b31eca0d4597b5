#!/usr/bin/env python3
"""Write N varied, valid PromQL expressions to stdout, one a line, for parser benchmarks.

Usage: gen_promql.py [N] [SEED]        (defaults: 100000, 1)

Every metric name is different (a counter in the name), so no cache keyed by names can help;
the shapes cover what rule files and dashboards hold: selectors with all four matcher kinds,
rate/increase over ranges, aggregations with by/without, histogram_quantile, vector matching
with on/ignoring and group_left/group_right, comparisons with bool, and/or/unless, subqueries,
offset and @, unary minus, parentheses, number and string literals, nested calls. Label values
and regular expressions come from small pools, as they do in real files. Deterministic for a
given N and SEED, so before/after figures are taken over the same input.
"""
import random
import sys

WORDS = ["http", "grpc", "node", "kube", "process", "go", "db", "cache", "queue", "disk", "net", "api",
         "worker", "job", "pod", "container", "tls", "dns", "ingress", "scheduler"]
KINDS = ["requests", "errors", "bytes", "seconds", "operations", "connections", "messages", "retries"]
LABELS = ["job", "instance", "service", "namespace", "pod", "code", "method", "env", "region", "le",
          "handler", "status", "cluster", "node", "mode"]
VALUES = ["api", "web", "prod", "staging", "GET", "POST", "200", "500", "eu-west-1", "default", "kube-system",
          "node-1:9100", ""]
REGEXES = ["5..", "2..|3..", "api|web", "node-[0-9]+:9100", ".*", ".+", "prod|staging", "(GET|POST)",
           "kube-.*", "[a-z]+-[0-9]+"]
RANGES = ["1m", "5m", "10m", "15m", "1h", "30s", "6h", "1d", "2m30s"]
STEPS = ["", "1m", "30s", "5m"]
OVER_TIME = ["avg_over_time", "max_over_time", "min_over_time", "sum_over_time", "count_over_time",
             "last_over_time", "stddev_over_time", "quantile_over_time"]
INSTANT_FUNCS = ["abs", "ceil", "floor", "exp", "ln", "log2", "sqrt", "timestamp"]
AGGS = ["sum", "avg", "min", "max", "count", "group", "stddev", "stdvar"]
CMP = ["==", "!=", ">", "<", ">=", "<="]
ARITH = ["+", "-", "*", "/", "%"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.n = 0

    def metric(self, suffix=""):
        self.n += 1
        r = self.r
        return f"{r.choice(WORDS)}_{r.choice(KINDS)}_{self.n}{suffix}"

    def matchers(self):
        r = self.r
        out = []
        for label in r.sample(LABELS, r.randint(0, 3)):
            op = r.choice(["=", "=", "!=", "=~", "!~"])
            value = r.choice(REGEXES) if "~" in op else r.choice(VALUES)
            out.append(f'{label}{op}"{value}"')
        return "{" + ", ".join(out) + "}" if out else ""

    def selector(self, suffix=""):
        return self.metric(suffix) + self.matchers()

    def grouping(self):
        r = self.r
        return "(" + ", ".join(r.sample(LABELS, r.randint(1, 3))) + ")"

    def rate(self):
        r = self.r
        fn = r.choice(["rate", "increase", "irate", "delta", "deriv"])
        offset = f" offset {r.choice(RANGES)}" if r.random() < 0.15 else ""
        return f"{fn}({self.selector('_total')}[{r.choice(RANGES)}]{offset})"

    def vector(self, depth):
        r = self.r
        k = r.randint(0, 9 if depth < 2 else 3)
        if k == 0:
            return self.selector()
        if k in (1, 2):
            return self.rate()
        if k == 3:
            return f"{r.choice(OVER_TIME[:-1])}({self.selector()}[{r.choice(RANGES)}])"
        if k == 4:
            agg = r.choice(AGGS)
            clause = r.choice(["by", "without"])
            inner = self.vector(depth + 1)
            return f"{agg} {clause} {self.grouping()} ({inner})" if r.random() < 0.6 else \
                f"{agg}({inner}) {clause} {self.grouping()}"
        if k == 5:
            bucket = f"rate({self.selector('_bucket')}[{r.choice(RANGES)}])"
            inner = f"sum by (le, {r.choice(LABELS[:-1])}) ({bucket})"
            return f"histogram_quantile({r.choice(['0.5', '0.9', '0.99', '0.999'])}, {inner})"
        if k == 6:
            labels = r.sample(LABELS, r.randint(1, 4))
            on, extra = labels[:max(1, len(labels) - 1)], labels[-1]
            card = r.choice(["", " group_left", " group_right"])
            match = r.choice(["on", "ignoring"])
            op = r.choice(ARITH)
            lhs, rhs = self.vector(depth + 1), self.vector(depth + 1)
            # A '(' after group_left/group_right always opens its label list, so an operand
            # starting with one needs an explicit (possibly empty) list before it.
            if card and (rhs.startswith("(") or (len(labels) > 1 and r.random() < 0.5)):
                card += f" ({extra})" if len(labels) > 1 else " ()"  # never also in on(...)
            return f"{lhs} {op} {match} ({', '.join(on)}){card} {rhs}"
        if k == 7:
            return f"{r.choice(['topk', 'bottomk'])}({r.randint(1, 20)}, {self.vector(depth + 1)})"
        if k == 8:
            step = r.choice(STEPS)
            return f"{r.choice(OVER_TIME[:-1])}({self.rate()}[{r.choice(RANGES)}:{step}])"
        return f"({self.vector(depth + 1)} {r.choice(ARITH)} {self.scalar()})"

    def scalar(self):
        r = self.r
        k = r.randint(0, 4)
        if k == 0:
            return str(r.randint(0, 1000))
        if k == 1:
            return f"{r.random() * 100:.3g}"
        if k == 2:
            return f"-{r.randint(1, 99)}"
        if k == 3:
            return f"scalar({self.selector()})"
        return f"{r.randint(1, 60)} * {r.choice(['60', '3600', '1e3', '0x10'])}"

    def expression(self):
        r = self.r
        k = r.randint(0, 11)
        v = self.vector(0)
        if k <= 2:
            return v
        if k <= 5:
            return f"{v} {r.choice(CMP)} {self.scalar()}"
        if k == 6:
            return f"{v} > bool {self.scalar()}"
        if k == 7:
            return f"{v} {r.choice(['and', 'or', 'unless'])} {self.vector(1)}"
        if k == 8:
            return f"absent({self.selector()}) or {r.choice(INSTANT_FUNCS)}({v})"
        if k == 9:
            return f'label_replace({v}, "dst", "$1", "{r.choice(LABELS)}", "(.*)")'
        if k == 10:
            return f"-{v} @ {r.randint(1600000000, 1700000000)}" if v.startswith(tuple(WORDS)) and "{" not in v \
                and "(" not in v else f"clamp_min({v}, {self.scalar()})"
        return f"sum({v}) / count({self.vector(1)})"


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    g = Gen(seed)
    out = sys.stdout
    for _ in range(n):
        out.write(g.expression() + "\n")


main()
