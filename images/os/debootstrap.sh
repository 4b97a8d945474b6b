#!/usr/bin/env bash
# The offline OS image: a Debian root made with debootstrap from Debian's mirror and
# imported with `docker import`, for machines that reach no container registry.
# Usage: debootstrap.sh TAG [SUITE] [MIRROR]
# With SWE_HARNESS_ROOTFS_TAR=FILE it only writes the root as a tarball to FILE: the harness
# then imports it through the engine's API (Docker or Podman, no `docker` CLI needed), with the
# instructions in image-changes beside this script, as `docker import` below does.
set -euo pipefail

tag=${1:?usage: debootstrap.sh TAG [SUITE] [MIRROR]}
suite=${2:-bookworm}
mirror=${3:-http://deb.debian.org/debian}

log() { printf '[os-image] %s\n' "$*" >&2; }

here=$(cd "$(dirname "$0")" && pwd)
rootfs_tar=${SWE_HARNESS_ROOTFS_TAR:-}

if [ -z "$rootfs_tar" ] && docker image inspect "$tag" >/dev/null 2>&1; then
  log "$tag exists"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  log "debootstrap needs root; run as root or set images.os.from to a registry image"
  exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
fi

root=$(mktemp -d /tmp/swe-harness-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
log "debootstrap $suite into $root"
debootstrap --variant=minbase --include=ca-certificates,git,procps "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
  || { tail -n 30 "$root.log" >&2; exit 1; }
rm -f "$root.log"
# Keep images small: no apt lists or caches in the root.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
if [ -n "$rootfs_tar" ]; then
  log "writing the root to $rootfs_tar"
  tar -C "$root" -c -f "$rootfs_tar" .
  exit 0
fi
changes=()
while IFS= read -r line; do [ -n "$line" ] && changes+=(--change "$line"); done <"$here/image-changes"
log "importing as $tag"
tar -C "$root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
log "done: $tag"
