#!/usr/bin/env bash
# Makes sure a Docker engine answers. On Debian as root it installs Debian's docker.io and
# starts dockerd when none runs; anywhere else it says what to do and exits non-zero.
set -euo pipefail

log() { printf '[ensure-docker] %s\n' "$*" >&2; }

engine_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

if engine_answers; then
  log "a Docker engine answers"
  exit 0
fi

if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
  cat >&2 <<'MSG'
[ensure-docker] No Docker engine answers, and this is not Debian as root, so nothing was installed.
Start one yourself, then run again:
  - Docker Desktop: start it and check `docker info` works;
  - Linux: install your distribution's Docker package (e.g. `sudo apt-get install docker.io`),
    start it (`sudo systemctl start docker`) and add yourself to the docker group;
  - a remote or rootless engine: set DOCKER_HOST to its socket.
MSG
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io iptables ca-certificates >/dev/null
fi

log_file=/var/log/swe-harness-dockerd.log
if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd (log: $log_file)"
  nohup dockerd >"$log_file" 2>&1 &
fi

for _ in $(seq 1 60); do
  if engine_answers; then
    log "dockerd answers ($(docker info --format '{{.ServerVersion}} {{.Driver}}' 2>/dev/null))"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; its log ends:"
tail -n 30 "$log_file" >&2 || true
exit 1
