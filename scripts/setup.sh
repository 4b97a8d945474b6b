#!/usr/bin/env bash
# Everything the demo and the tests need on a fresh machine: the npm packages, the build,
# a Docker engine that answers, a registry on loopback, and the offline OS image the base images start from.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
log "building"
npm run --silent build
bash scripts/ensure-docker.sh
# A registry on loopback: the prebuilt-image tests push and pull through it.
bash scripts/ensure-registry.sh
bash scripts/ensure-browser.sh
# Podman's Docker-compatible socket, for the Podman test; without it that test skips, saying why.
bash scripts/ensure-podman.sh || log "Podman is not available here (see above): its test skips"
# Redis on loopback for the queue (BullMQ) tests, and a second engine so they have two hosts.
bash scripts/ensure-redis.sh
bash scripts/ensure-second-docker.sh || log "no second Docker engine: the queue tests use one"
os_image=${SWE_HARNESS_OS_IMAGE:-swe-harness/os:bookworm}
if ! docker image inspect "$os_image" >/dev/null 2>&1; then
  log "making the offline OS image $os_image (debootstrap, about a minute)"
  bash images/os/debootstrap.sh "$os_image"
fi
log "ready"
