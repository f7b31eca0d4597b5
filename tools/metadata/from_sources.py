#!/usr/bin/env python3
"""Extracts metric facts (name, type, label names) from an exporter's published metric list,
fixture or source, for families that need hardware or a cluster to scrape (docs/metadata.md).

  from_sources.py PACK GIT_DIR > stub.prom

GIT_DIR is a clone (bare or not) of the repository of SOURCES below; files are read with `git show`
at the pack's revision (REVISIONS below, else HEAD; $REV overrides). The output is an exposition of
`# TYPE` lines (and one sample per family when label names are known) for `promvet inventory --pack`; help texts are not copied.
"""
import json
import os
import re
import subprocess
import sys

DJANGO_FILES = ["django_prometheus/cache/metrics.py", "django_prometheus/db/metrics.py",
                "django_prometheus/migrations.py", "django_prometheus/models.py", "django_prometheus/middleware.py"]

# pack -> (repository, files read, licence)
SOURCES = {
    "dcgm_exporter": ("NVIDIA/dcgm-exporter", ["etc/*.csv"], "Apache-2.0"),
    "cadvisor": ("google/cadvisor", ["docs/storage/prometheus.md", "lib/metrics/testdata/prometheus_metrics"], "Apache-2.0"),
    "kube_state_metrics": ("kubernetes/kube-state-metrics", ["docs/metrics/**/*.md"], "Apache-2.0"),
    "argocd": ("argoproj/argo-cd", ["docs/operator-manual/metrics.md"], "Apache-2.0"),
    "elasticsearch_exporter": ("prometheus-community/elasticsearch_exporter", ["metrics.md"], "Apache-2.0"),
    "minio": ("minio/minio", ["cmd/metrics-v2.go"], "AGPL-3.0"),
    "windows_exporter": ("prometheus-community/windows_exporter", ["docs/collector.*.md"], "MIT"),
    "node_exporter_fixtures": ("prometheus/node_exporter", ["collector/fixtures/e2e*output*.txt"], "Apache-2.0"),
    "rabbitmq": ("rabbitmq/rabbitmq-server", ["deps/rabbitmq_prometheus/src/collectors/*.erl"], "MPL-2.0"),
    "prometheus_erl": ("deadtrickster/prometheus.erl", ["src/collectors/**/*.erl"], "MIT"),
    "prometheus_erl_4_8": ("deadtrickster/prometheus.erl", ["src/collectors/**/*.erl"], "MIT"),
    "prometheus_tsdb_0_4": ("prometheus/tsdb", ["*.go"], "Apache-2.0"),
    "cortex": ("cortexproject/cortex", ["pkg/**/*.go"], "Apache-2.0"),
    "keda": ("kedacore/keda", ["pkg/**/*.go"], "Apache-2.0"),
    "couchbase_indexing": ("couchbase/indexing", ["secondary/docs/metrics_metadata.json"], "BSL-1.1 (per file; see LICENSE.txt)"),
    "django_prometheus": ("korfuri/django-prometheus", DJANGO_FILES, "Apache-2.0"),
}

# Packs read at a tag rather than HEAD: the last release that still exposed names renamed since,
# which dashboards in the wild keep using (prometheus.erl 4.9 dropped `_total` from
# erlang_vm_statistics_run_queues_length; tsdb 0.5, in Prometheus 2.8, from
# prometheus_tsdb_storage_blocks_bytes).
REVISIONS = {
    "prometheus_erl_4_8": "v4.8.2",
    "prometheus_tsdb_0_4": "v0.4.0",
}

# Packs read (also) from exposition fixtures of the repository: the files go to promvet inventory
# as they are, before the stub, so that their TYPE lines and label names win.
FIXTURES = {
    "cadvisor": ["lib/metrics/testdata/prometheus_metrics"],
    "node_exporter_fixtures": ["collector/fixtures/e2e*output*.txt"],
}

# Families an exporter declares as gauges although their values are cumulative counts (read in the
# source): dashboards rightly take rate() of them, and a pack saying "gauge" would make lint advise
# deriv(). They are left out, so that the name (or the file) decides as without a pack.
# prometheus.erl's dist collector: inet:getstat/1 recv_oct, recv_cnt, send_oct, send_cnt;
# erlang:port_info/2 input and output; process_info/2 reductions (all since the socket, port or
# process started).
_ERL_DIST_CUMULATIVE = {"erlang_vm_dist_recv_bytes", "erlang_vm_dist_recv_cnt", "erlang_vm_dist_send_bytes",
                        "erlang_vm_dist_send_cnt", "erlang_vm_dist_port_input_bytes",
                        "erlang_vm_dist_port_output_bytes", "erlang_vm_dist_proc_reductions"}
CUMULATIVE_DECLARED_GAUGE = {"prometheus_erl": _ERL_DIST_CUMULATIVE, "prometheus_erl_4_8": _ERL_DIST_CUMULATIVE}

TYPES = {"counter", "gauge", "histogram", "summary", "info", "stateset", "gaugehistogram", "untyped", "unknown"}
NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def revision(pack):
    return os.environ.get("REV") or REVISIONS.get(pack, "HEAD")


REV = "HEAD"  # set by main() from revision(pack)


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True, text=True).stdout


def files(git_dir, pattern):
    if "*" not in pattern:
        return [pattern]
    regex = re.compile("^" + re.escape(pattern).replace(r"\*\*/", "(.*/)?").replace(r"\*", "[^/]*") + "$")
    return [p for p in git(git_dir, "ls-tree", "-r", "--name-only", REV).splitlines() if regex.match(p)]


def show(git_dir, path):
    return git(git_dir, "show", REV + ":" + path)


def markdown_tables(text, name_col, type_col, label_col=None):
    """Rows of markdown tables whose name cell is a metric name and type cell a type."""
    for line in text.splitlines():
        if not line.lstrip().startswith("|") and line.count("|") < 2:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) <= max(name_col, type_col):
            continue
        name = cells[name_col].strip("`* ")
        kind = cells[type_col].strip("`* ").lower()
        if not NAME.match(name) or kind not in TYPES:
            continue
        labels = []
        if label_col is not None and len(cells) > label_col:
            labels = [l for l in re.findall(r"`([a-zA-Z_][a-zA-Z0-9_]*)`\s*=", cells[label_col])]
        yield name, kind, labels


def dcgm_exporter(g):
    # `DCGM_FI_DEV_SM_CLOCK, gauge, help`. Commented-out lines list fields the exporter supports
    # but does not collect by default; an active line wins over them (the csv files comment out
    # an older `counter` line of DCGM_FI_PROF_PCIE_TX_BYTES above its active `gauge` line).
    for commented in (False, True):
        for path in files(g, "etc/*.csv"):
            for line in show(g, path).splitlines():
                m = re.match(r"^\s*(#?)\s*(DCGM_\w+)\s*,\s*(\w+)\s*,", line)
                if m and bool(m.group(1)) == commented and m.group(3) in TYPES:
                    yield m.group(2), m.group(3), []


def cadvisor(g):
    yield from markdown_tables(show(g, "docs/storage/prometheus.md"), 0, 1)


def kube_state_metrics(g):
    for path in files(g, "docs/metrics/**/*.md"):
        yield from markdown_tables(show(g, path), 0, 1, 4)


def argocd(g):
    yield from markdown_tables(show(g, "docs/operator-manual/metrics.md"), 0, 1)


def elasticsearch_exporter(g):
    yield from markdown_tables(show(g, "metrics.md"), 0, 1)


def minio(g):
    src = show(g, "cmd/metrics-v2.go")
    consts = dict(re.findall(r"(\w+)\s+Metric(?:Namespace|Subsystem|Name)\s*=\s*\"([^\"]*)\"", src))
    kinds = {"gaugeMetric": "gauge", "counterMetric": "counter", "histogramMetric": "histogram"}
    for block in re.findall(r"MetricDescription\{(.*?)\}", src, re.S):
        fields = dict(re.findall(r"(Namespace|Subsystem|Name|Type):\s*(\w+)", block))
        if not all(k in fields for k in ("Namespace", "Subsystem", "Name", "Type")):
            continue
        parts = [consts.get(fields[k]) for k in ("Namespace", "Subsystem", "Name")]
        if None in parts or fields["Type"] not in kinds:
            continue
        name = "_".join(p for p in parts if p)
        if NAME.match(name):
            yield name, kinds[fields["Type"]], []


def windows_exporter(g):
    # | Name | Description | Type | Labels |, labels as `core`, `state`
    for path in files(g, "docs/collector.*.md"):
        for line in show(g, path).splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 3:
                continue
            name, kind = cells[0].strip("`* "), cells[2].strip("`* ").lower()
            if NAME.match(name) and kind in TYPES:
                labels = re.findall(r"`([a-zA-Z_][a-zA-Z0-9_]*)`", cells[3]) if len(cells) > 3 else []
                yield name, kind, labels


def node_exporter_fixtures(g):
    return iter(())  # everything comes from FIXTURES


def rabbitmq(g):
    for path in files(g, "deps/rabbitmq_prometheus/src/collectors/*.erl"):
        src = show(g, path)
        # `{2, undefined, connections_opened_total, counter, "help"}`; the core collector prefixes
        # `rabbitmq_` (and `rabbitmq_detailed_` on its detailed endpoint).
        for name, kind in re.findall(r"\{\s*\d+\s*,\s*[\w?]+\s*,\s*([a-z_0-9]+)\s*,\s*(counter|gauge)\s*,\s*\"", src):
            yield "rabbitmq_" + name, kind, []
            if "core_metrics" in path:
                yield "rabbitmq_detailed_" + name, kind, []


def erlang_collectors(g):
    # prometheus.erl: `-define(METRIC_NAME_PREFIX, "erlang_vm_memory_")` and, in the collector's
    # metric list, `{bytes_total, gauge, "help", Value}`. Its text format prints the name as given
    # (no `_total` added) and a boolean family as untyped.
    for path in files(g, "src/collectors/**/*.erl"):
        src = show(g, path)
        prefix = re.search(r'-define\(METRIC_NAME_PREFIX,\s*"([a-z_]+)"\)', src)
        if not prefix:
            continue
        for name, kind in re.findall(r"\{\s*([a-z][a-z_0-9]*)\s*,\s*(gauge|counter|boolean|untyped|histogram|summary)\s*,", src):
            yield prefix.group(1) + name, "untyped" if kind == "boolean" else kind, []


prometheus_erl = prometheus_erl_4_8 = erlang_collectors


def couchbase_indexing(g):
    # Couchbase Server services publish their Prometheus families in metrics_metadata.json:
    # {"index_memory_used_total": {"type": "gauge", "labels": [...], ...}}, names as exposed.
    for name, fact in json.loads(show(g, "secondary/docs/metrics_metadata.json")).items():
        yield name, str(fact.get("type", "")).lower(), fact.get("labels") or []


def _balanced(text, start, open_ch, close_ch):
    """Index just past the bracket closing the one at text[start], skipping string literals."""
    depth, i, quote = 0, start, None
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\" and quote != "`":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'`":
            quote = c
        elif c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


GO_OPTS = re.compile(r"(New(?:Counter|Gauge|Histogram|Summary)(Vec|Func)?\(\s*)?prometheus\.(Counter|Gauge|Histogram|Summary)Opts\s*\{")
GO_CONST = re.compile(r'^\s*(?:const\s+)?([A-Za-z_]\w*)\s*(?:string\s*)?=\s*"([^"\\]*)"\s*$', re.M)
GO_LABELS = re.compile(r'([A-Za-z_]\w*)\s*:?=\s*\[\]string\s*\{([^}]*)\}')


def go_client(g, pattern):
    """Families declared with client_golang's Opts structs: `prometheus.NewGaugeVec(prometheus.
    GaugeOpts{Namespace: "cortex", Name: "ruler_managers_total"}, []string{"user"})`. The type is
    the Opts' kind; Namespace, Subsystem and Name are string literals or string constants of the
    same directory (else of the repository, if only one value has that name). A family whose name
    cannot be resolved is left out; one declared with two types is left out and reported."""
    sources = {p: show(g, p) for p in files(g, pattern)
               if p.endswith(".go") and not p.endswith("_test.go") and "vendor/" not in p and "/test" not in p}
    consts, global_consts, label_vars = {}, {}, {}
    for path, src in sources.items():
        d = path.rsplit("/", 1)[0] if "/" in path else ""
        for name, value in GO_CONST.findall(src):
            consts.setdefault(d, {})[name] = value
            global_consts.setdefault(name, set()).add(value)
        for name, body in GO_LABELS.findall(src):
            label_vars.setdefault(d, {})[name] = re.findall(r'"([^"]*)"', body)

    def resolve(raw, d):
        raw = raw.strip()
        if re.fullmatch(r'"[^"\\]*"', raw):
            return raw[1:-1]
        if re.fullmatch(r"[A-Za-z_][\w.]*", raw):
            ident = raw.split(".")[-1]
            if "." not in raw and ident in consts.get(d, {}):
                return consts[d][ident]
            values = global_consts.get(ident, set())
            if len(values) == 1:
                return next(iter(values))
        return None

    found = {}
    for path, src in sources.items():
        d = path.rsplit("/", 1)[0] if "/" in path else ""
        for m in GO_OPTS.finditer(src):
            end = _balanced(src, m.end() - 1, "{", "}")
            block = src[m.end():end - 1]
            fields = {}
            for key, raw in re.findall(r"^\s*(Namespace|Subsystem|Name)\s*:\s*([^,\n]+),?\s*$", block, re.M):
                fields[key] = resolve(raw, d)
            if "Name" not in fields or None in fields.values():
                continue
            name = "_".join(fields[k] for k in ("Namespace", "Subsystem", "Name") if fields.get(k))
            if not NAME.match(name):
                continue
            labels = []
            if m.group(2) == "Vec":
                after = re.match(r'\s*,\s*(?:\[\]string\s*\{([^}]*)\}|([A-Za-z_]\w*))', src[end:])
                if after and after.group(1) is not None:
                    labels = re.findall(r'"([^"]*)"', after.group(1))
                elif after:
                    labels = label_vars.get(d, {}).get(after.group(2), [])
            found.setdefault(name, set()).add((m.group(3).lower(), tuple(labels)))
    for name in sorted(found):
        kinds = {k for k, _ in found[name]}
        if len(kinds) > 1:
            print(f"from_sources.py: {name} declared as {', '.join(sorted(kinds))}: left out", file=sys.stderr)
            continue
        yield name, kinds.pop(), sorted({l for _, ls in found[name] for l in ls})


def cortex(g):
    yield from go_client(g, "pkg/**/*.go")


def keda(g):
    yield from go_client(g, "pkg/**/*.go")


def prometheus_tsdb_0_4(g):
    yield from go_client(g, "**/*.go")


PY_METRIC = re.compile(r'(?:\b(Counter|Gauge|Histogram|Summary)\(\s*|register_metric\(\s*(Counter|Gauge|Histogram|Summary)\s*,\s*)"([a-zA-Z_:][\w:]*)"')


def django_prometheus(g):
    # prometheus_client: Counter("x", "help", ["label"], namespace=NAMESPACE), NAMESPACE "" by
    # default. A counter is exposed as `<name without _total>_total`.
    for path in DJANGO_FILES:
        src = show(g, path)
        for m in PY_METRIC.finditer(src):
            kind, name = (m.group(1) or m.group(2)).lower(), m.group(3)
            call = src[m.start():_balanced(src, src.index("(", m.start()), "(", ")")]
            lists = re.findall(r"\[([^\]]*)\]", call)
            labels = re.findall(r'"([^"]*)"', lists[0]) if lists else []
            if kind == "counter":
                name = (name[:-len("_total")] if name.endswith("_total") else name) + "_total"
            yield name, kind, labels


def main():
    global REV
    if sys.argv[1] == "--revision":  # from_sources.py --revision PACK: the revision read
        print(revision(sys.argv[2]))
        return
    REV = revision(sys.argv[2] if sys.argv[1] == "--fixtures" else sys.argv[1])
    if sys.argv[1] == "--fixtures":  # from_sources.py --fixtures PACK GIT_DIR: the fixture paths
        for pattern in FIXTURES.get(sys.argv[2], []):
            print("\n".join(files(sys.argv[3], pattern)))
        return
    pack, git_dir = sys.argv[1], sys.argv[2]
    seen = {}
    left_out = CUMULATIVE_DECLARED_GAUGE.get(pack, set())
    for name, kind, labels in globals()[pack](git_dir):
        if name in seen or name in left_out:
            continue
        seen[name] = (kind, [l for l in labels if LABEL.match(l)])
    for name in sorted(seen):
        kind, labels = seen[name]
        print(f"# TYPE {name} {kind}")
        if labels and kind in ("counter", "gauge", "info", "stateset", "unknown", "untyped"):
            print(name + "{" + ",".join(f'{l}="x"' for l in sorted(set(labels))) + "} 1")


if __name__ == "__main__":
    main()
