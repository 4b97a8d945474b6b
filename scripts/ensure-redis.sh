#!/usr/bin/env bash
# Makes sure a Redis answers on loopback, for the queue (BullMQ) tests and the README's
# multi-machine example. On Debian as root it installs Debian's redis-server and starts it
# with its own config and data under .swe-harness/redis/; anywhere else it says what to do.
#
# Port: SWE_HARNESS_REDIS_PORT (default 6379), bound to 127.0.0.1 only: Redis has no auth here.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[ensure-redis] %s\n' "$*" >&2; }

port=${SWE_HARNESS_REDIS_PORT:-6379}
answers() { command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; }

if answers; then
  log "a Redis answers on 127.0.0.1:$port"
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    log "no Redis answers on 127.0.0.1:$port and this is not Debian as root: start one yourself"
    log "(e.g. 'redis-server --bind 127.0.0.1 --port $port'), then run again"
    exit 1
  fi
  log "installing Debian's redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null 2>&1 || {
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
  }
  # The package's own service (where an init system runs) is left alone; ours is below.
fi

dir=$PWD/.swe-harness/redis
mkdir -p "$dir"
# BullMQ asks for maxmemory-policy noeviction: an evicted job key would lose a job silently.
cat >"$dir/redis.conf" <<CONFIG
bind 127.0.0.1
port $port
dir $dir
daemonize no
maxmemory-policy noeviction
appendonly yes
save ""
logfile $dir/redis.log
CONFIG

log "starting redis-server on 127.0.0.1:$port (log: $dir/redis.log)"
nohup redis-server "$dir/redis.conf" >/dev/null 2>&1 &
echo $! >"$dir/redis.pid"

for _ in $(seq 1 30); do
  if answers; then
    log "Redis answers on 127.0.0.1:$port"
    exit 0
  fi
  sleep 1
done
log "Redis did not answer within 30 s; its log ends:"
tail -n 20 "$dir/redis.log" >&2 || true
exit 1
