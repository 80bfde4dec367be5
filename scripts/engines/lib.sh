#!/usr/bin/env bash
# Shared settings/helpers for start.sh and stop.sh (sourced, not executed).
# shellcheck disable=SC2034  # variables are used by the sourcing scripts

# Canonical absolute path (symlinks resolved, so it matches /proc/*/mountinfo).
DIR=$(realpath -m "${DOCKHAND_ENGINES_DIR:-/tmp/dockhand-engines}")
REGISTRY_PORT=${DOCKHAND_REGISTRY_PORT:-5000}
REGISTRY_TLS_PORT=${DOCKHAND_REGISTRY_TLS_PORT:-5443}
DOCKER_TLS_PORT=${DOCKHAND_DOCKER_TLS_PORT:-2376}
REGISTRY_USER=dockhand
START_TIMEOUT=${DOCKHAND_START_TIMEOUT:-60}

PIDS="$DIR/pids"
DOCKER_SOCK="$DIR/docker.sock"
PODMAN_SOCK="$DIR/podman.sock"
CONTAINERD_SOCK="$DIR/containerd/containerd.sock"
DOCKERD_PIDFILE="$DIR/docker/dockerd.pid"   # written by dockerd itself

# Docker Engine 28.5 with the containerd image store (install-docker28.sh): binaries in a prefix shared by every
# stack on the machine, state in $DIR/docker28.
DOCKER28_PREFIX=${DOCKHAND_DOCKER28_PREFIX:-/opt/dockhand/docker-28.5.2}
DOCKER28_SOCK="$DIR/docker28.sock"
CONTAINERD28_SOCK="$DIR/docker28/containerd/containerd.sock"
DOCKERD28_PIDFILE="$DIR/docker28/dockerd.pid"

# Clean environment for the daemons: no proxies, no REGISTRY_*/DOCKER_* overrides.
# SSL_CERT_FILE makes Go's system pool also trust our test CA (extra to
# /etc/ssl/certs, which Go still loads), so nothing is written to /etc.
BASE_ENV=(env -i "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  "HOME=$DIR/home" "TMPDIR=$DIR/tmp" "SSL_CERT_FILE=$DIR/certs/ca.crt")

# The pid recorded for component $1 if that process is alive and its command
# name is $2 (guards against pid reuse); prints nothing otherwise.
alive_pid() {
  local f=$1 comm=$2 pid
  [ -s "$f" ] || return 1
  pid=$(tr -dc '0-9' < "$f")
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # a zombie (exited, not yet reaped) does not count as running
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] || return 1
  echo "$pid"
}

# Whether the pid recorded in file $1 is a live process (any command name; not a zombie).
pid_alive() {
  local f=$1 pid
  [ -s "$f" ] || return 1
  pid=$(tr -dc '0-9' < "$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]
}

# component name -> pid file and expected /proc/PID/comm
pidfile_of() {
  case $1 in
    dockerd) echo "$DOCKERD_PIDFILE" ;;
    dockerd28) echo "$DOCKERD28_PIDFILE" ;;
    *) echo "$PIDS/$1.pid" ;;
  esac
}
comm_of() {
  case $1 in
    registry|registry-tls) echo docker-registry ;;
    dockerd28) echo dockerd ;;
    containerd28) echo containerd ;;
    *) echo "$1" ;;
  esac
}
is_running() { alive_pid "$(pidfile_of "$1")" "$(comm_of "$1")" >/dev/null; }

COMPONENTS=(containerd dockerd registry registry-tls podman containerd28 dockerd28)
