#!/usr/bin/env bash
# Copies images from one Docker engine to another under the same names (same ids, so results
# keyed on image ids reuse across hosts): how images built on one machine reach the others.
# Through a registry (push once, pull on each worker host: many machines), or with
# `docker save | docker load` when both engines are reachable from here (no compression: faster
# for two engines on one machine). Images the target already has (same id) are skipped.
#
#   scripts/copy-images.sh FROM_HOST TO_HOST REGISTRY|- IMAGE...
#   e.g. scripts/copy-images.sh unix:///var/run/docker.sock unix:///run/swe-harness-docker2.sock \
#        127.0.0.1:5000 swe-harness/instance:demo__ledger-1-2de996022182
set -euo pipefail

from=$1 to=$2 registry=$3
shift 3
log() { printf '[copy-images] %s\n' "$*" >&2; }

missing=()
for image in "$@"; do
  id=$(docker -H "$from" image inspect --format '{{.Id}}' "$image")
  if [ "$(docker -H "$to" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)" = "$id" ]; then
    log "$image: already there"
  else
    missing+=("$image")
  fi
done
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "$registry" = - ]; then
  log "docker save | docker load: ${missing[*]}"
  # One archive for all: layers the images share are sent once.
  docker -H "$from" save "${missing[@]}" | docker -H "$to" load -q >/dev/null
  exit 0
fi

for image in "${missing[@]}"; do
  remote="$registry/$image"
  log "$image: pushing to $registry, pulling on $to"
  docker -H "$from" tag "$image" "$remote"
  docker -H "$from" push -q "$remote" >/dev/null
  docker -H "$from" rmi "$remote" >/dev/null
  docker -H "$to" pull -q "$remote" >/dev/null
  docker -H "$to" tag "$remote" "$image"
  docker -H "$to" rmi "$remote" >/dev/null
done
