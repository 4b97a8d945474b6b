#!/usr/bin/env bash
# Makes sure Podman's Docker-compatible API answers, for the Podman test and the README's
# Podman example, the way ensure-docker.sh does for Docker:
#   root:     Debian's podman, `podman system service` on unix:///run/podman/podman.sock;
#   rootless: a user (SWE_HARNESS_PODMAN_USER, default swe-podman; '' for none) with
#             subordinate ids, its own service on unix:///run/user/UID/podman/podman.sock.
# Idempotent: a socket that answers is left alone. Exits non-zero when the root socket does
# not answer (setup.sh goes on: the Podman test then skips, saying why); a rootless socket
# that cannot be made is reported and is not an error (the test skips its rootless part).
set -euo pipefail

log() { printf '[ensure-podman] %s\n' "$*" >&2; }

root_socket=/run/podman/podman.sock
rootless_user=${SWE_HARNESS_PODMAN_USER-swe-podman}
conf_dir=/etc/swe-harness/podman

answers() { curl -fsS -o /dev/null --unix-socket "$1" http://podman/_ping 2>/dev/null; }

cgroup_v2() { [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; }

# containers.conf for a service. On cgroup v1 (or hybrid) crun refuses to start containers
# ("cgroups in hybrid mode not supported"): runc works. Rootful Podman raises RLIMIT_NOFILE
# and RLIMIT_NPROC to 1048576 by default, which fails where this process lacks
# CAP_SYS_RESOURCE (an engine inside a container): builds get limits that can be set here.
write_conf() {
  local file=$1 with_ulimits=$2
  mkdir -p "$(dirname "$file")"
  {
    if [ "$with_ulimits" = yes ]; then
      echo '[containers]'
      echo "default_ulimits = [\"nofile=$(ulimit -Hn):$(ulimit -Hn)\", \"nproc=$(nproc_limit):$(nproc_limit)\"]"
    fi
    if ! cgroup_v2 && command -v runc >/dev/null 2>&1; then
      echo '[engine]'
      echo 'runtime = "runc"'
    fi
  } >"$file"
}

# What RLIMIT_NPROC can be set to: the hard limit, but not above pid_max (runc's setrlimit
# of a larger value is refused in some sandboxes).
nproc_limit() {
  local hard pid_max
  hard=$(ulimit -Hu)
  pid_max=$(cat /proc/sys/kernel/pid_max)
  if [ "$hard" = unlimited ] || [ "$hard" -gt "$pid_max" ]; then echo "$pid_max"; else echo "$hard"; fi
}

has_cap_sys_resource() {
  local eff
  eff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
  (((16#$eff >> 24) & 1))
}

wait_for() {
  local socket=$1 log_file=$2
  for _ in $(seq 1 30); do
    answers "$socket" && return 0
    sleep 1
  done
  log "no answer on $socket within 30 s; its log ends:"
  tail -n 20 "$log_file" >&2 || true
  return 1
}

ensure_installed() {
  command -v podman >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    log "podman is not installed and this is not Debian as root: install podman 4.x yourself"
    return 1
  fi
  log "installing Debian's podman"
  export DEBIAN_FRONTEND=noninteractive
  local pkgs=(podman runc uidmap slirp4netns fuse-overlayfs catatonit containernetworking-plugins iptables)
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 || {
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  }
}

ensure_root_service() {
  if answers "$root_socket"; then
    log "Podman answers on unix://$root_socket"
    return 0
  fi
  [ "$(id -u)" = 0 ] || { log "the root socket needs root; run as root"; return 1; }
  write_conf "$conf_dir/containers.conf" yes
  mkdir -p "$(dirname "$root_socket")"
  local log_file=/var/log/swe-harness-podman.log
  log "starting podman system service on unix://$root_socket (log: $log_file)"
  CONTAINERS_CONF="$conf_dir/containers.conf" nohup podman system service --time=0 "unix://$root_socket" >"$log_file" 2>&1 &
  wait_for "$root_socket" "$log_file"
  log "Podman answers ($(podman version --format '{{.Server.Version}}' 2>/dev/null), cgroup $(cgroup_v2 && echo v2 || echo v1))"
  if ! has_cap_sys_resource; then
    log "no CAP_SYS_RESOURCE here: set 'sandbox: {nproc: $(nproc_limit)}' in the harness config for Podman"
  fi
}

# storage.conf for the rootless service. runroot and graphroot are written out: Podman 4.3's
# service (the API, not the CLI) commits through a store whose options come from this file
# alone, and without them every commit fails with "runroot must be set" (seen in CI: a
# session snapshot on rootless Podman). The driver is fuse-overlayfs where it can be, chosen
# only when the storage is new (a driver change on existing storage breaks it).
write_rootless_storage_conf() {
  local file=$1 runroot=$2 graphroot=$3 driver=''
  if [ -f "$file" ]; then
    driver=$(sed -n 's/^driver *= *"\(.*\)"/\1/p' "$file" | head -n 1)
  elif [ -e /dev/fuse ] && command -v fuse-overlayfs >/dev/null 2>&1 && [ ! -d "$graphroot" ]; then
    driver=overlay
  fi
  {
    echo '[storage]'
    [ -n "$driver" ] && echo "driver = \"$driver\""
    echo "runroot = \"$runroot\""
    echo "graphroot = \"$graphroot\""
    if [ "$driver" = overlay ] && command -v fuse-overlayfs >/dev/null 2>&1; then
      printf '[storage.options.overlay]\nmount_program = "/usr/bin/fuse-overlayfs"\n'
    fi
  } >"$file"
}

# A user with subordinate ids, its runtime folder, its storage on fuse-overlayfs (the kernel's
# rootless overlay is not always allowed), and its own service.
ensure_rootless_service() {
  local user=$1 uid home socket log_file
  if ! id "$user" >/dev/null 2>&1; then
    log "adding the user $user for rootless Podman"
    useradd -m -s /bin/bash "$user"
  fi
  uid=$(id -u "$user")
  home=$(getent passwd "$user" | cut -d: -f6)
  socket=/run/user/$uid/podman/podman.sock
  if answers "$socket"; then
    log "rootless Podman ($user) answers on unix://$socket"
    return 0
  fi
  grep -q "^$user:" /etc/subuid || usermod --add-subuids 100000-165535 "$user"
  grep -q "^$user:" /etc/subgid || usermod --add-subgids 100000-165535 "$user"
  install -d -m 700 -o "$user" -g "$user" "/run/user/$uid"
  install -d -m 700 -o "$user" -g "$user" "/run/user/$uid/podman"
  install -d -o "$user" -g "$user" "$home/.config" "$home/.config/containers"
  write_conf "$home/.config/containers/containers.conf" no
  write_rootless_storage_conf "$home/.config/containers/storage.conf" "/run/user/$uid/containers" "$home/.local/share/containers/storage"
  chown -R "$user:" "$home/.config"
  log_file=$home/podman-service.log
  log "starting rootless podman system service as $user on unix://$socket (log: $log_file)"
  su - "$user" -c "export XDG_RUNTIME_DIR=/run/user/$uid; nohup podman system service --time=0 unix://$socket >$log_file 2>&1 &"
  if wait_for "$socket" "$log_file"; then
    log "rootless Podman answers (cgroup $(cgroup_v2 && echo 'v2' || echo 'v1: no resource limits and no pause for rootless containers'))"
  else
    log "rootless Podman does not run here (see above); the root socket is used alone"
  fi
}

ensure_installed
ensure_root_service
if [ -n "$rootless_user" ] && [ "$(id -u)" = 0 ]; then
  ensure_rootless_service "$rootless_user" || log "rootless Podman could not be set up here; the root socket is used alone"
fi
