#!/usr/bin/env bash
# Makes sure a Docker registry answers on loopback, for the prebuilt-image tests and for a
# local mirror of published instance images. On Debian as root it installs Debian's
# docker-registry (the CNCF distribution registry) and starts it with its own config and
# storage under .swe-harness/registry/; anywhere else it says what to do and exits non-zero.
#
# Address: SWE_HARNESS_REGISTRY (default 127.0.0.1:5000). dockerd treats 127.0.0.0/8 as an
# insecure (plain HTTP) registry by default, so no daemon configuration is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[ensure-registry] %s\n' "$*" >&2; }

addr=${SWE_HARNESS_REGISTRY:-127.0.0.1:5000}
answers() { curl -fsS -o /dev/null "http://$addr/v2/" 2>/dev/null; }

if answers; then
  log "a registry answers on $addr"
  exit 0
fi

if ! command -v docker-registry >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    log "no registry answers on $addr and this is not Debian as root: start one yourself"
    log "(e.g. the distribution registry: 'registry serve CONFIG' listening on $addr)"
    exit 1
  fi
  log "installing Debian's docker-registry"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends docker-registry >/dev/null 2>&1 || {
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
  }
  # The package starts its own service on :5000 where an init system runs; ours is below.
fi

dir=$PWD/.swe-harness/registry
mkdir -p "$dir/storage"
cat >"$dir/config.yml" <<CONFIG
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $addr
CONFIG

log "starting docker-registry on $addr (log: $dir/registry.log)"
nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
echo $! >"$dir/registry.pid"

for _ in $(seq 1 30); do
  if answers; then
    log "the registry answers on $addr"
    exit 0
  fi
  sleep 1
done
log "the registry did not answer within 30 s; its log ends:"
tail -n 20 "$dir/registry.log" >&2 || true
exit 1
