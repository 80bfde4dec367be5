#!/usr/bin/env bash
# Stop the engines started by start.sh (found via their pid files), kill any
# leftover helper processes of this instance (containerd shims, conmon),
# unmount everything under $DOCKHAND_ENGINES_DIR and remove what start.sh
# created outside it. With --clean, also delete $DOCKHAND_ENGINES_DIR.
# Safe to run when nothing is running.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

CLEAN=0
for arg in "$@"; do
  case $arg in
    --clean) CLEAN=1 ;;
    -h|--help) echo "usage: $0 [--clean]"; exit 0 ;;
    *) echo "stop.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if [ ! -d "$DIR" ]; then
  echo "stop.sh: $DIR does not exist; nothing to do"
  exit 0
fi

log() { echo "stop.sh: $*"; }

# stop_pids <grace seconds> <name:pid>...: SIGTERM all, wait for all, then
# SIGKILL whatever is still alive after the grace period.
stop_pids() {
  local grace=$1 i np alive; shift
  [ "$#" -gt 0 ] || return 0
  for np in "$@"; do
    log "stopping ${np%%:*} (pid ${np##*:})"
    kill -TERM "${np##*:}" 2>/dev/null || true
  done
  for ((i = 0; i < grace * 10; i++)); do
    alive=0
    for np in "$@"; do kill -0 "${np##*:}" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.1
  done
  for np in "$@"; do
    if kill -0 "${np##*:}" 2>/dev/null; then
      log "${np%%:*} did not exit after ${grace}s; sending SIGKILL"
      kill -KILL "${np##*:}" 2>/dev/null || true
    fi
  done
  sleep 0.5
}

# Collect "name:pid" for the given components that are running.
running() {
  local c pid
  for c; do
    if pid=$(alive_pid "$(pidfile_of "$c")" "$(comm_of "$c")") ||
       pid=$(alive_pid "$PIDS/$c.pid" "$(comm_of "$c")"); then
      echo "$c:$pid"
    fi
  done
}

# Kill still-running containers first (via each engine's Docker-compatible
# API), so shutdown doesn't wait for stop timeouts and podman (which leaves
# containers running when its service exits) leaves nothing behind.
running_ids() {
  curl --noproxy '*' -fsS --max-time 5 --unix-socket "$1" http://d/v1.41/containers/json 2>/dev/null |
    grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4
}
kill_containers() {
  local sock=$1 id i
  [ -S "$sock" ] || return 0
  for id in $(running_ids "$sock"); do
    curl --noproxy '*' -fsS --max-time 5 --unix-socket "$sock" -X POST \
      "http://d/v1.41/containers/$id/kill" >/dev/null 2>&1 || true
  done
  for ((i = 0; i < 50; i++)); do
    [ -z "$(running_ids "$sock")" ] && return 0
    sleep 0.1
  done
}
if is_running dockerd; then kill_containers "$DOCKER_SOCK"; fi
if is_running podman; then kill_containers "$PODMAN_SOCK"; fi
if is_running dockerd28; then kill_containers "$DOCKER28_SOCK"; fi

# dockerd would stop remaining containers itself on SIGTERM and needs
# containerd for that, so containerd goes last.
# shellcheck disable=SC2046
stop_pids 30 $(running podman dockerd dockerd28 registry registry-tls)
# shellcheck disable=SC2046
stop_pids 20 $(running containerd containerd28)
for c in "${COMPONENTS[@]}"; do rm -f "$PIDS/$c.pid"; done

# Leftover processes of this instance: anything whose command line mentions
# $DIR (containerd-shim-runc-v2 -address $DIR/..., conmon -b $DIR/...).
leftovers() {
  local p cmd
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = $$ ] && continue
    [ "$p" = "$BASHPID" ] && continue
    cmd=$(tr '\0' ' ' 2>/dev/null < "/proc/$p/cmdline") || continue
    case $cmd in
      *"$DIR/"*) case $(cat "/proc/$p/comm" 2>/dev/null) in
                   containerd*|conmon|dockerd|podman|docker-registry|runc|crun) echo "$p" ;;
                 esac ;;
    esac
  done
}
# If a daemon crashed, its shims/conmons may still supervise live containers:
# SIGKILL each one's direct children (the container init; killing a pid
# namespace's init kills the whole namespace) before stopping the helper.
for pid in $(leftovers); do
  # shellcheck disable=SC2013  # the children files are space-separated pids
  for child in $(cat "/proc/$pid/task/"*/children 2>/dev/null); do
    log "killing orphaned container process $child (under $(cat "/proc/$pid/comm" 2>/dev/null) $pid)"
    kill -KILL "$child" 2>/dev/null || true
  done
done
# shellcheck disable=SC2046
stop_pids 5 $(for pid in $(leftovers); do echo "$(cat "/proc/$pid/comm" 2>/dev/null):$pid"; done)

# Unmount everything below $DIR, deepest first (overlay layers, netns, shm,
# the data-root bind mounts).
mounts_below() {
  awk -v d="$DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r -u
}
for _ in 1 2 3; do
  m=$(mounts_below)
  [ -z "$m" ] && break
  while IFS= read -r mp; do
    mp=$(printf '%b' "$mp")   # mountinfo escapes spaces etc. as \040
    umount -n "$mp" 2>/dev/null || umount -n -l "$mp" 2>/dev/null || true
  done <<<"$m"
done
if [ -n "$(mounts_below)" ]; then
  echo "stop.sh: WARNING: still mounted below $DIR:" >&2
  mounts_below >&2
fi

# Things outside $DIR, removed only if start.sh created them and they are
# empty now: dockerd's hard-coded /run/docker/plugins discovery dir,
# podman's /var/lib/containers/cache and containerd's shim socket dir
# /run/containerd/s.
for marker in "$DIR/docker/created-run-docker" "$DIR/docker28/created-run-docker"; do
  if [ -e "$marker" ]; then
    rmdir /run/docker/plugins /run/docker 2>/dev/null || true
    rm -f "$marker"
  fi
done
if [ -e "$DIR/podman/created-var-lib-containers" ]; then
  rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
  rmdir /var/lib/containers/cache /var/lib/containers 2>/dev/null || true
  rm -f "$DIR/podman/created-var-lib-containers"
fi
for marker in "$DIR/containerd/created-run-containerd" "$DIR/docker28/containerd/created-run-containerd"; do
  if [ -e "$marker" ]; then
    rmdir /run/containerd/s /run/containerd 2>/dev/null || true
    rm -f "$marker"
  fi
done

# Empty cgroups left behind: dockerd's --cgroup-parent dockhand-docker (ours
# by name) and podman's libpod_parent if start.sh saw it appear. rmdir only
# removes empty cgroups, so anything still in use stays.
rm_cgroups() {
  local top
  for top in /sys/fs/cgroup/"$1" /sys/fs/cgroup/*/"$1"; do
    [ -d "$top" ] || continue
    find "$top" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}
rm_cgroups dockhand-docker
rm_cgroups dockhand-docker28
if [ -e "$DIR/podman/created-libpod-cgroup" ]; then
  rm_cgroups libpod_parent
  rm -f "$DIR/podman/created-libpod-cgroup"
fi

rm -f "$DOCKER_SOCK" "$DOCKER28_SOCK" "$PODMAN_SOCK" "$DIR/env.sh"

# The daemons' TMPDIR: a load cut off mid-stream leaves dockerd's half-written api_load.tar* there (about 40 MB per
# test run), and nothing of it is needed once they are stopped.
if [ -z "$(running "${COMPONENTS[@]}")" ] && [ -d "$DIR/tmp" ]; then
  find "$DIR/tmp" -mindepth 1 -delete 2>/dev/null || true
fi

if [ "$CLEAN" = 1 ]; then
  if [ -n "$(mounts_below)" ]; then
    echo "stop.sh: refusing --clean while mounts remain below $DIR" >&2
    exit 1
  fi
  if [ ! -e "$DIR/.dockhand-engines" ]; then
    echo "stop.sh: refusing --clean: $DIR has no .dockhand-engines marker" >&2
    exit 1
  fi
  log "removing $DIR"
  rm -rf --one-file-system "$DIR"
fi
log "done"
