#!/usr/bin/env bash
# A second Docker engine on this machine, with its own socket, data root, exec root, pid file
# and bridge, so that the queue tests have two real "hosts" (one worker per engine). It leaves
# the first engine alone: no iptables rules of its own (grading needs no network, and pulls go
# through the daemon itself), and a bridge of its own instead of docker0.
#
# Socket: unix:///run/swe-harness-docker2.sock (SWE_HARNESS_DOCKER2_SOCK to change it).
# Images reach it from the registry on 127.0.0.1:5000 (scripts/ensure-registry.sh): push from
# the first engine, pull here — the same way many machines would share images.
set -euo pipefail

log() { printf '[ensure-second-docker] %s\n' "$*" >&2; }

sock=${SWE_HARNESS_DOCKER2_SOCK:-/run/swe-harness-docker2.sock}
name=swe-harness-docker2
bridge=sweh-docker2
answers() { docker -H "unix://$sock" info >/dev/null 2>&1; }

if answers; then
  log "the second engine answers on unix://$sock"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v dockerd >/dev/null 2>&1; then
  log "a second engine needs root and dockerd (scripts/ensure-docker.sh installs it); skipped"
  exit 1
fi

if ! ip link show "$bridge" >/dev/null 2>&1; then
  ip link add name "$bridge" type bridge
  ip addr add 172.31.254.1/24 dev "$bridge"
  ip link set "$bridge" up
fi

log_file=/var/log/$name.log
log "starting a second dockerd on unix://$sock (log: $log_file)"
nohup dockerd \
  --host "unix://$sock" \
  --data-root "/var/lib/$name" \
  --exec-root "/run/$name" \
  --pidfile "/run/$name.pid" \
  --bridge "$bridge" \
  --iptables=false --ip-masq=false --ip-forward=false \
  >"$log_file" 2>&1 &

for _ in $(seq 1 60); do
  if answers; then
    log "the second engine answers on unix://$sock"
    exit 0
  fi
  sleep 1
done
log "the second dockerd did not answer within 60 s; its log ends:"
tail -n 30 "$log_file" >&2 || true
exit 1
