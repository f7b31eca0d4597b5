#!/usr/bin/env python3
"""Extracts metric facts (name, type, label names) from an exporter's published metric list,
fixture or source, for families that need hardware or a cluster to scrape (docs/metadata.md).

  from_sources.py PACK GIT_DIR > stub.prom

GIT_DIR is a clone (bare or not) of the repository of SOURCES below; files are read at HEAD with
`git show`. The output is an exposition of `# TYPE` lines (and one sample per family when label
names are known) for `promvet inventory --pack`; help texts are not copied.
"""
import re
import subprocess
import sys

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
}

# Packs read (also) from exposition fixtures of the repository: the files go to promvet inventory
# as they are, before the stub, so that their TYPE lines and label names win.
FIXTURES = {
    "cadvisor": ["lib/metrics/testdata/prometheus_metrics"],
    "node_exporter_fixtures": ["collector/fixtures/e2e*output*.txt"],
}

TYPES = {"counter", "gauge", "histogram", "summary", "info", "stateset", "gaugehistogram", "untyped", "unknown"}
NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True, text=True).stdout


def files(git_dir, pattern):
    if "*" not in pattern:
        return [pattern]
    regex = re.compile("^" + re.escape(pattern).replace(r"\*\*/", "(.*/)?").replace(r"\*", "[^/]*") + "$")
    return [p for p in git(git_dir, "ls-tree", "-r", "--name-only", "HEAD").splitlines() if regex.match(p)]


def show(git_dir, path):
    return git(git_dir, "show", "HEAD:" + path)


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


def main():
    if sys.argv[1] == "--fixtures":  # from_sources.py --fixtures PACK GIT_DIR: the fixture paths
        for pattern in FIXTURES.get(sys.argv[2], []):
            print("\n".join(files(sys.argv[3], pattern)))
        return
    pack, git_dir = sys.argv[1], sys.argv[2]
    seen = {}
    for name, kind, labels in globals()[pack](git_dir):
        if name in seen:
            continue
        seen[name] = (kind, [l for l in labels if LABEL.match(l)])
    for name in sorted(seen):
        kind, labels = seen[name]
        print(f"# TYPE {name} {kind}")
        if labels and kind in ("counter", "gauge", "info", "stateset", "unknown", "untyped"):
            print(name + "{" + ",".join(f'{l}="x"' for l in sorted(set(labels))) + "} 1")


if __name__ == "__main__":
    main()
