#!/usr/bin/env bash
# Writes the metadata pack of an exporter whose facts were read by hand from its source (the
# repository is too large to clone for from_sources.sh): facts/PACK.prom is an exposition of
# TYPE lines and one sample per family for the label names, with `# source-*:` header lines.
#
#   tools/metadata/facts.sh PACK
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PROMVET=${PROMVET:-$root/build/tools/promvet}
out_dir=${OUT_DIR:-$root/lib/inventory/metadata}
pack=$1 facts=$here/facts/$1.prom
field() { sed -n "s/^# source-$1: //p" "$facts"; }
commit=$(field commit)
"$PROMVET" inventory --pack "$pack" --pack-version "git-${commit:0:12}" -o "$out_dir/$pack.tsv" "$facts"
{
  echo "pack: $pack"
  echo "origin: read by hand from the source (tools/metadata/facts/$pack.prom): names, types, label names; no help texts"
  echo "repository: https://github.com/$(field repository)"
  echo "files: $(field files)"
  echo "commit: $commit"
  echo "licence: $(field licence)"
} >"$out_dir/$pack.sources"
