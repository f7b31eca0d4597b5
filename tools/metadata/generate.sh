#!/usr/bin/env bash
# Regenerates the bundled metadata packs of exporters Debian packages (docs/metadata.md):
# installs each exporter and the service it watches (packages.txt), starts both on 127.0.0.1
# for a bounded time, scrapes /metrics and writes lib/inventory/metadata/<pack>.tsv with `promvet inventory
# --pack`. Every process it starts runs under `timeout` and is stopped by PID on exit.
#
#   tools/metadata/generate.sh [--no-install] [PACK...]     # as root, on Debian 12; default: all
#
# Needs: a built promvet (PROMVET, default build/tools/promvet), curl, apt-get.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PROMVET=${PROMVET:-$root/build/tools/promvet}
out_dir=${OUT_DIR:-$root/lib/inventory/metadata}
work=$(mktemp -d /tmp/promvet-metadata.XXXXXX)
chmod 755 "$work"  # services that drop privileges (bind, postgres) read their configs here
life=${LIFETIME:-150}   # seconds any started process may live
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  sleep 1
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  if [[ -n ${LOG_DIR:-} ]]; then mkdir -p "$LOG_DIR" && cp "$work"/*.log "$LOG_DIR"/ 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

install=1
if [[ ${1:-} == --no-install ]]; then install=0; shift; fi
if (( install )); then
  export DEBIAN_FRONTEND=noninteractive
  # No service starts on its own at install time: the generator starts what it needs.
  policy_added=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy_added=1; fi
  apt-get install -y --no-install-recommends $(grep -v '^#' "$here/packages.txt") >"$work/apt.log" 2>&1 || { tail "$work/apt.log"; exit 1; }
  (( policy_added )) && rm -f /usr/sbin/policy-rc.d
fi

# start NAME COMMAND...: runs COMMAND in the background for at most $life seconds.
start() {
  local name=$1; shift
  timeout "$life" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
}
# wait_http URL: until it answers (at most 20 s).
wait_http() {
  for _ in $(seq 40); do curl -fsS --max-time 2 -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done
  echo "generate: $1 did not answer" >&2; return 1
}
# wait_port PORT: until 127.0.0.1:PORT accepts connections (at most 20 s).
wait_port() {
  for _ in $(seq 40); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.5; done
  echo "generate: port $1 did not open" >&2; return 1
}
# Upstream version of a Debian package: 1:0.11.1-3+b5 -> 0.11.1.
deb_version() { dpkg-query -W -f='${Version}' "$1" | sed -E 's/^[0-9]+://; s/[-~+].*$//; s/\+ds$//'; }

# pack NAME PACKAGE URL...: scrapes the URLs into one pack named NAME, of PACKAGE's version.
pack() {
  local name=$1 package=$2; shift 2
  local files=() i=0
  for url in "$@"; do
    wait_http "$url" || return 1
    curl -fsS --max-time 20 "$url" -o "$work/$name.$i.prom" || return 1
    files+=("$work/$name.$i.prom"); i=$((i + 1))
  done
  "$PROMVET" inventory --pack "$name" --pack-version "$(deb_version "$package")" -o "$out_dir/$name.tsv" "${files[@]}" 2>&1 |
    sed "s/^/  /"
  local licence
  licence=$(awk '/^License:/ {print $2; exit}' "/usr/share/doc/$package/copyright" 2>/dev/null)
  {
    echo "pack: $name"
    echo "origin: scraped from the running exporter (tools/metadata/generate.sh)"
    echo "debian-package: $package $(dpkg-query -W -f='${Version}' "$package") (Debian $(cat /etc/debian_version))"
    echo "licence: ${licence:-see /usr/share/doc/$package/copyright}"
    echo "scraped: $(date -u +%Y-%m-%d)"
    for url in "$@"; do echo "url: $url"; done
  } >"$out_dir/$name.sources"
}
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null; pids=()
}
selected=("$@")
wanted() { [[ ${#selected[@]} -eq 0 ]] && return 0; local s; for s in "${selected[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

. "$here/exporters.sh"
