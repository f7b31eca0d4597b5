#!/usr/bin/env bash
# Writes the metadata pack of an exporter that needs hardware or a cluster to scrape, from its
# published metric list, fixtures or source (from_sources.py says which files), and its SOURCES
# record (repository, files, commit, licence).
#
#   tools/metadata/from_sources.sh PACK GIT_DIR     # GIT_DIR: a clone of the pack's repository
#
# The files are read at HEAD, or at the tag from_sources.py names for the pack (REV=... overrides);
# a pack read at a tag carries the tag as its version, else git-<commit>.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PROMVET=${PROMVET:-$root/build/tools/promvet}
out_dir=${OUT_DIR:-$root/lib/inventory/metadata}
pack=$1 git_dir=$2
[[ -d $git_dir/.git ]] && git_dir=$git_dir/.git
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
rev=$(python3 "$here/from_sources.py" --revision "$pack")
commit=$(git --git-dir "$git_dir" rev-parse "$rev^{commit}")
version=git-${commit:0:12}
[[ $rev == HEAD ]] || version=$rev

python3 "$here/from_sources.py" "$pack" "$git_dir" >"$work/stub.prom"
inputs=()
# Fixture expositions, where the repository has them, give the label names; they go first so
# that their TYPE lines win over the docs'.
i=0
while read -r fixture; do
  [[ -n $fixture ]] || continue
  git --git-dir "$git_dir" show "$rev:$fixture" >"$work/fixture.$i.prom"
  inputs+=("$work/fixture.$i.prom"); i=$((i + 1))
done < <(python3 "$here/from_sources.py" --fixtures "$pack" "$git_dir")
inputs+=("$work/stub.prom")
"$PROMVET" inventory --pack "$pack" --pack-version "$version" -o "$out_dir/$pack.tsv" "${inputs[@]}"
read -r repo files licence < <(python3 -c "
import sys; sys.path.insert(0, '$here'); import from_sources as f
r, fs, l = f.SOURCES['$pack']; print(r, ','.join(fs), l)")
{
  echo "pack: $pack"
  echo "origin: extracted from the published metric list/fixtures/source (tools/metadata/from_sources.sh): names, types, label names; no help texts"
  echo "repository: https://github.com/$repo"
  echo "files: $files"
  echo "commit: $commit"
  [[ $rev == HEAD ]] || echo "revision: $rev"
  echo "licence: $licence"
  echo "extracted: $(date -u +%Y-%m-%d)"
} >"$out_dir/$pack.sources"
