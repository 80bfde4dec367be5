#!/usr/bin/env bash
# Start private, loopback-only engines for the dockhand test suite:
#   containerd + dockerd  -> unix://$DIR/docker.sock
#   docker-registry       -> http://127.0.0.1:$DOCKHAND_REGISTRY_PORT (5000)
#   docker-registry (TLS + htpasswd) -> https://127.0.0.1:$DOCKHAND_REGISTRY_TLS_PORT (5443)
#   podman system service -> unix://$DIR/podman.sock
#   containerd 2.1 + dockerd 28.5 (containerd image store) -> unix://$DIR/docker28.sock
# All state lives in $DOCKHAND_ENGINES_DIR (default /tmp/dockhand-engines);
# $DIR/env.sh exports the connection details for the tests.
# Already-running components are left alone, so re-running is cheap.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
  echo "start.sh: must run as root (dockerd/podman run rootful)" >&2
  exit 1
fi
for bin in dockerd containerd docker-registry podman htpasswd openssl curl; do
  command -v "$bin" >/dev/null || { echo "start.sh: $bin missing; run scripts/engines/install.sh" >&2; exit 1; }
done
[ -f "$DOCKER28_PREFIX/.complete" ] ||
  { echo "start.sh: Docker 28.5 missing in $DOCKER28_PREFIX; run scripts/engines/install.sh" >&2; exit 1; }

all_running=1
for c in "${COMPONENTS[@]}"; do is_running "$c" || all_running=0; done
if [ "$all_running" = 1 ] && [ -f "$DIR/env.sh" ]; then
  echo "start.sh: engines already running in $DIR (source $DIR/env.sh)"
  exit 0
fi

mkdir -p "$DIR"
mkdir -p "$PIDS" "$DIR/home" "$DIR/tmp" "$DIR/certs" "$DIR/containerd" "$DIR/docker" \
  "$DIR/registry/plain" "$DIR/registry/tls" "$DIR/podman" "$DIR/docker28/containerd"
chmod 700 "$DIR"
touch "$DIR/.dockhand-engines"   # marker: stop.sh --clean only deletes marked dirs

log() { echo "start.sh: $*"; }

die() {
  echo "start.sh: ERROR: $*" >&2
  for f in "$DIR"/*.log; do
    [ -f "$f" ] || continue
    echo "----- $f (last 20 lines) -----" >&2
    tail -n 20 "$f" >&2
  done
  exit 1
}

# Launch "$@" detached in its own session, logging to $DIR/<name>.log and
# recording its pid in $PIDS/<name>.pid. A non-interactive shell does not put
# background jobs in their own process group, so setsid execs in place and $!
# is the daemon's pid.
spawn() {
  local name=$1; shift
  echo "=== $(date -Is) starting: $*" >> "$DIR/$name.log"
  setsid "$@" </dev/null >>"$DIR/$name.log" 2>&1 &
  echo $! > "$PIDS/$name.pid"
}

# wait_until <component> <description> <command...>: poll until the command
# succeeds, failing early if the component's process died.
wait_until() {
  local comp=$1 what=$2; shift 2
  local deadline=$((SECONDS + START_TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    # Right after spawn the pid may still be setsid or the forked shell (not yet exec'd into the daemon, slow on
    # a loaded machine): only a pid that is gone (or a zombie) means the daemon exited.
    if ! is_running "$comp" && ! pid_alive "$(pidfile_of "$comp")"; then
      die "$comp exited while waiting for $what"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${START_TIMEOUT}s waiting for $what"
    sleep 0.2
  done
}

port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

curl_local() { curl --noproxy '*' -fsS --max-time 5 "$@"; }

# Fail before launching anything if a registry port is taken by someone else.
if ! is_running registry && port_busy "$REGISTRY_PORT"; then
  die "port 127.0.0.1:$REGISTRY_PORT already in use (set DOCKHAND_REGISTRY_PORT)"
fi
if ! is_running registry-tls && port_busy "$REGISTRY_TLS_PORT"; then
  die "port 127.0.0.1:$REGISTRY_TLS_PORT already in use (set DOCKHAND_REGISTRY_TLS_PORT)"
fi
if ! is_running dockerd && port_busy "$DOCKER_TLS_PORT"; then
  die "port 127.0.0.1:$DOCKER_TLS_PORT already in use (set DOCKHAND_DOCKER_TLS_PORT)"
fi

# ---------------------------------------------------------------- certificates
# Self-signed CA + server cert (SAN IP:127.0.0.1, DNS:localhost); reused while
# valid for at least another day.
CERTS="$DIR/certs"
if ! { [ -s "$CERTS/ca.crt" ] && [ -s "$CERTS/server.crt" ] && [ -s "$CERTS/server.key" ] &&
       openssl x509 -checkend 86400 -noout -in "$CERTS/server.crt" >/dev/null 2>&1; }; then
  log "generating test CA and server certificate in $CERTS"
  (
    umask 077
    cd "$CERTS"
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -keyout ca.key -out ca.crt -days 3650 -subj "/CN=dockhand test CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" > server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
      -out server.crt -days 825 -extfile server.ext 2>/dev/null
    rm -f server.csr server.ext
    chmod 644 ca.crt server.crt
  )
fi
# Client certificate for dockerd's TLS socket, laid out as DOCKER_CERT_PATH expects (ca.pem, cert.pem, key.pem),
# and a second, unrelated CA that a client must refuse.
if ! [ -s "$CERTS/client/cert.pem" ] || ! [ -s "$CERTS/wrong-ca/ca.pem" ] ||
   ! openssl verify -CAfile "$CERTS/ca.crt" "$CERTS/client/cert.pem" >/dev/null 2>&1; then
  log "generating client certificate and a wrong CA in $CERTS"
  (
    umask 077
    mkdir -p "$CERTS/client" "$CERTS/wrong-ca"
    cd "$CERTS/client"
    openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -keyout key.pem -out client.csr -subj "/CN=dockhand test client" 2>/dev/null
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth" > client.ext
    openssl x509 -req -in client.csr -CA ../ca.crt -CAkey ../ca.key -CAcreateserial \
      -out cert.pem -days 825 -extfile client.ext 2>/dev/null
    cp ../ca.crt ca.pem
    rm -f client.csr client.ext
    cd "$CERTS/wrong-ca"
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -keyout ca.key -out ca.pem -days 3650 -subj "/CN=dockhand wrong CA" \
      -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
    chmod 644 "$CERTS/client/ca.pem" "$CERTS/client/cert.pem" ca.pem
  )
fi

# -------------------------------------------------------------------- registries
# registry_config <name> <port> [tls]: distribution v2 config bound to 127.0.0.1.
# No notifications, no proxy (pull-through), no debug server, no redis.
registry_config() {
  local name=$1 port=$2 tls=${3:-}
  {
    cat <<YAML
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $DIR/registry/$name
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: $(openssl rand -hex 16)
  headers:
    X-Content-Type-Options: [nosniff]
YAML
    if [ -n "$tls" ]; then
      cat <<YAML
  tls:
    certificate: $CERTS/server.crt
    key: $CERTS/server.key
auth:
  htpasswd:
    realm: dockhand-registry
    path: $DIR/registry/htpasswd
YAML
    fi
  } > "$DIR/registry/$name.yml"
}

if ! is_running registry; then
  registry_config plain "$REGISTRY_PORT"
  log "starting registry on 127.0.0.1:$REGISTRY_PORT"
  spawn registry "${BASE_ENV[@]}" docker-registry serve "$DIR/registry/plain.yml"
fi

if ! is_running registry-tls; then
  # Fresh random password for every (re)start of the TLS registry.
  (umask 077; openssl rand -hex 16 > "$DIR/registry-password")
  chmod 600 "$DIR/registry-password"
  htpasswd -Bbn "$REGISTRY_USER" "$(cat "$DIR/registry-password")" > "$DIR/registry/htpasswd"
  chmod 600 "$DIR/registry/htpasswd"
  registry_config tls "$REGISTRY_TLS_PORT" tls
  log "starting TLS+auth registry on 127.0.0.1:$REGISTRY_TLS_PORT"
  spawn registry-tls "${BASE_ENV[@]}" docker-registry serve "$DIR/registry/tls.yml"
fi

# ---------------------------------------------------------------- storage driver
# overlay2 if an overlay mount works on $DIR's filesystem (not the case e.g.
# inside a container whose / is itself overlayfs), otherwise vfs. Override
# with DOCKHAND_DOCKER_STORAGE_DRIVER. Podman uses the matching overlay/vfs.
pick_storage_driver() {
  if [ -n "${DOCKHAND_DOCKER_STORAGE_DRIVER:-}" ]; then
    echo "$DOCKHAND_DOCKER_STORAGE_DRIVER"; return
  fi
  if [ -s "$DIR/docker/storage-driver" ]; then   # keep what data-root was made with
    cat "$DIR/docker/storage-driver"; return
  fi
  local p="$DIR/docker/overlay-probe" drv=vfs
  mkdir -p "$p/lower" "$p/upper" "$p/work" "$p/merged"
  # -n: don't let libmount create /run/mount/utab
  if mount -n -t overlay overlay -o "lowerdir=$p/lower,upperdir=$p/upper,workdir=$p/work" "$p/merged" 2>/dev/null; then
    umount -n "$p/merged"
    drv=overlay2
  fi
  rm -rf "$p"
  echo "$drv"
}

STORAGE_DRIVER=$(pick_storage_driver)
echo "$STORAGE_DRIVER" > "$DIR/docker/storage-driver"
if [ "$STORAGE_DRIVER" = overlay2 ]; then PODMAN_DRIVER=overlay; else PODMAN_DRIVER=vfs; fi

# ----------------------------------------------------------------------- podman
# Own containers.conf / storage.conf / registries.conf so that no system or
# default state (/var/lib/containers, /run/libpod, /dev/shm/libpod_lock) is used.
PODMAN="$DIR/podman"
if ! is_running podman; then
  mkdir -p "$PODMAN/root" "$PODMAN/run" "$PODMAN/tmp" "$PODMAN/volumes" "$PODMAN/networks" \
    "$PODMAN/bin" "$PODMAN/runc"
  # runc wrapper pinning runc's state dir into $DIR: podman's own calls would
  # honour --runtime-flag, but the per-container "podman container cleanup"
  # exit command does not, and would use /run/runc.
  cat > "$PODMAN/bin/runc" <<SH
#!/bin/sh
exec $(command -v runc) --root "$PODMAN/runc" "\$@"
SH
  chmod 755 "$PODMAN/bin/runc"
  cat > "$PODMAN/storage.conf" <<TOML
[storage]
driver = "$PODMAN_DRIVER"
graphroot = "$PODMAN/root"
runroot = "$PODMAN/run"
TOML
  # Rootful podman gives containers nofile/nproc = 1048576; raising a hard
  # limit above our own needs CAP_SYS_RESOURCE, which sandboxes may lack
  # ("error setting rlimit type 7/6: operation not permitted"), so default to
  # our hard limits. podman 4.3 also caps its own RLIMIT_NPROC at 32768 (and
  # conmon/runc inherit that), hence the extra cap for nproc.
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=1048576
  [ "$nproc" = unlimited ] && nproc=1048576
  [ "$nproc" -gt 32768 ] && nproc=32768
  cat > "$PODMAN/containers.conf" <<TOML
[containers]
log_driver = "k8s-file"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PODMAN/events.log"
tmp_dir = "$PODMAN/tmp"
volume_path = "$PODMAN/volumes"
lock_type = "file"
num_locks = 2048
runtime = "runc"

[engine.runtimes]
runc = ["$PODMAN/bin/runc"]

[network]
network_backend = "cni"
network_config_dir = "$PODMAN/networks"
TOML
  cat > "$PODMAN/registries.conf" <<TOML
unqualified-search-registries = []
short-name-mode = "permissive"

[[registry]]
location = "127.0.0.1:$REGISTRY_PORT"
insecure = true

[[registry]]
location = "localhost:$REGISTRY_PORT"
insecure = true
TOML
  # podman 4.3 keeps its blob-info cache in the hard-coded (for root)
  # /var/lib/containers/cache; remember whether we created it for stop.sh.
  [ -e /var/lib/containers ] || touch "$PODMAN/created-var-lib-containers"
  # Same for its (cgroupfs) parent cgroup libpod_parent in each hierarchy.
  compgen -G "/sys/fs/cgroup/libpod_parent" >/dev/null ||
    compgen -G "/sys/fs/cgroup/*/libpod_parent" >/dev/null ||
    touch "$PODMAN/created-libpod-cgroup"
  log "starting podman service on unix://$PODMAN_SOCK"
  rm -f "$PODMAN_SOCK"
  spawn podman "${BASE_ENV[@]}" \
    CONTAINERS_CONF="$PODMAN/containers.conf" \
    CONTAINERS_STORAGE_CONF="$PODMAN/storage.conf" \
    CONTAINERS_REGISTRIES_CONF="$PODMAN/registries.conf" \
    XDG_RUNTIME_DIR="$PODMAN/run" \
    podman --root "$PODMAN/root" --runroot "$PODMAN/run" --tmpdir "$PODMAN/tmp" \
      --cgroup-manager cgroupfs --events-backend file \
      system service --time=0 "unix://$PODMAN_SOCK"
fi

# -------------------------------------------------------------------- containerd
# docker.io 20.10 would otherwise use /run/containerd/containerd.sock if a system
# containerd exists, or supervise one itself; a private one is deterministic.
if ! is_running containerd; then
  mkdir -p "$DIR/containerd/root" "$DIR/containerd/state" "$DIR/containerd/opt"
  cat > "$DIR/containerd/config.toml" <<TOML
version = 2
root = "$DIR/containerd/root"
state = "$DIR/containerd/state"
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
]

[grpc]
  address = "$CONTAINERD_SOCK"

[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"

[debug]
  address = ""

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$DIR/containerd/opt"
TOML
  rm -f "$CONTAINERD_SOCK" "$CONTAINERD_SOCK.ttrpc"
  # containerd 1.6 puts shim sockets in the hard-coded /run/containerd/s;
  # remember whether we created /run/containerd so stop.sh can remove it.
  [ -e /run/containerd ] || touch "$DIR/containerd/created-run-containerd"
  log "starting containerd on $CONTAINERD_SOCK"
  spawn containerd "${BASE_ENV[@]}" containerd --config "$DIR/containerd/config.toml"
fi

# ----------------------------------------------------------------------- dockerd
if ! is_running dockerd; then
  wait_until containerd "containerd socket" test -S "$CONTAINERD_SOCK"
  # Own config file keeps /etc/docker/daemon.json out of the picture; its only
  # setting moves the libtrust key from /etc/docker/key.json into $DIR (there
  # is no command-line flag for it in 20.10).
  printf '{\n  "deprecated-key-path": "%s"\n}\n' "$DIR/docker/key.json" > "$DIR/docker/daemon.json"
  rm -f "$DOCKER_SOCK"
  # dockerd always creates /run/docker/plugins (hard-coded plugin discovery
  # dir); remember whether we created it so stop.sh can remove it again.
  [ -e /run/docker ] || touch "$DIR/docker/created-run-docker"
  log "starting dockerd ($STORAGE_DRIVER) on unix://$DOCKER_SOCK"
  spawn dockerd "${BASE_ENV[@]}" dockerd \
    --config-file "$DIR/docker/daemon.json" \
    --data-root "$DIR/docker/data" \
    --exec-root "$DIR/docker/exec" \
    --pidfile "$DOCKERD_PIDFILE" \
    -H "unix://$DOCKER_SOCK" \
    -H "tcp://127.0.0.1:$DOCKER_TLS_PORT" \
    --tlsverify --tlscacert "$CERTS/ca.crt" --tlscert "$CERTS/server.crt" --tlskey "$CERTS/server.key" \
    --containerd "$CONTAINERD_SOCK" \
    --storage-driver "$STORAGE_DRIVER" \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --userland-proxy=false \
    --cgroup-parent dockhand-docker
fi

# ------------------------------------------------------ containerd 2.1 + dockerd 28.5
# Docker Engine 28.5 with the containerd image store ({"features":{"containerd-snapshotter":true}}), on its own
# containerd 2.1, data-root, exec-root and socket. Its binaries come first on PATH (containerd-shim-runc-v2), then
# Debian 12's runc (the prefix has none: sid's needs a newer glibc).
D28="$DIR/docker28"
PATH28="$DOCKER28_PREFIX/usr/bin:$DOCKER28_PREFIX/usr/sbin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# A directory whose `docker` is the 28.5 CLI: put first on PATH, it makes the docker CLI 28.5 the reference.
mkdir -p "$D28/bin"
ln -sfn "$DOCKER28_PREFIX/usr/bin/docker" "$D28/bin/docker"
if ! is_running containerd28; then
  mkdir -p "$D28/containerd/root" "$D28/containerd/state"
  cat > "$D28/containerd/config.toml" <<TOML
version = 3
root = "$D28/containerd/root"
state = "$D28/containerd/state"
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.cri.v1.images",
  "io.containerd.cri.v1.runtime",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.erofs",
]

[grpc]
  address = "$CONTAINERD28_SOCK"

[ttrpc]
  address = "$CONTAINERD28_SOCK.ttrpc"

[debug]
  address = ""

[metrics]
  address = ""
TOML
  rm -f "$CONTAINERD28_SOCK" "$CONTAINERD28_SOCK.ttrpc"
  [ -e /run/containerd ] || touch "$D28/containerd/created-run-containerd"
  log "starting containerd 2.1 on $CONTAINERD28_SOCK"
  spawn containerd28 "${BASE_ENV[@]}" "PATH=$PATH28" "$DOCKER28_PREFIX/usr/bin/containerd" \
    --config "$D28/containerd/config.toml"
fi
if ! is_running dockerd28; then
  wait_until containerd28 "containerd 2.1 socket" test -S "$CONTAINERD28_SOCK"
  printf '{\n  "features": { "containerd-snapshotter": true }\n}\n' > "$D28/daemon.json"
  rm -f "$DOCKER28_SOCK"
  [ -e /run/docker ] || touch "$D28/created-run-docker"
  log "starting dockerd 28.5 (containerd image store) on unix://$DOCKER28_SOCK"
  spawn dockerd28 "${BASE_ENV[@]}" "PATH=$PATH28" "$DOCKER28_PREFIX/usr/sbin/dockerd" \
    --config-file "$D28/daemon.json" \
    --data-root "$D28/data" \
    --exec-root "$D28/exec" \
    --pidfile "$DOCKERD28_PIDFILE" \
    -H "unix://$DOCKER28_SOCK" \
    --containerd "$CONTAINERD28_SOCK" \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --userland-proxy=false \
    --cgroup-parent dockhand-docker28
fi

# --------------------------------------------------------------------- readiness
wait_until registry "registry on 127.0.0.1:$REGISTRY_PORT" \
  curl_local -o /dev/null "http://127.0.0.1:$REGISTRY_PORT/v2/"
wait_until registry-tls "TLS registry on 127.0.0.1:$REGISTRY_TLS_PORT" \
  curl_local -o /dev/null --cacert "$CERTS/ca.crt" \
    -u "$REGISTRY_USER:$(cat "$DIR/registry-password")" "https://127.0.0.1:$REGISTRY_TLS_PORT/v2/"
wait_until podman "podman service" curl_local --unix-socket "$PODMAN_SOCK" -o /dev/null http://d/_ping
# dockerd's own pid file appears only after init, so watch the launcher pid.
wait_dockerd() {
  local name=$1 sock=$2 deadline=$((SECONDS + START_TIMEOUT))
  until curl_local --unix-socket "$sock" -o /dev/null http://d/_ping 2>/dev/null; do
    if ! is_running "$name" && ! kill -0 "$(cat "$PIDS/$name.pid")" 2>/dev/null; then
      die "$name exited during startup"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${START_TIMEOUT}s waiting for $name"
    sleep 0.2
  done
}
wait_dockerd dockerd "$DOCKER_SOCK"
wait_dockerd dockerd28 "$DOCKER28_SOCK"
# The 28.5 engine must really use the containerd image store (a silent fallback to graphdrivers would test nothing).
curl_local --unix-socket "$DOCKER28_SOCK" http://d/v1.51/info | grep -q '"io.containerd.snapshotter.v1"' ||
  die "dockerd 28.5 does not report the containerd image store (driver-type io.containerd.snapshotter.v1)"

# ------------------------------------------------------------------------ env.sh
{
  echo "# generated by scripts/engines/start.sh at $(date -Is)"
  printf 'export DOCKHAND_ENGINES_DIR=%q\n' "$DIR"
  printf 'export DOCKHAND_DOCKER_SOCK=%q\n' "$DOCKER_SOCK"
  # Engine 20.10's socket under a name of its own: stays when a test pass points DOCKHAND_DOCKER_SOCK at 28.5.
  printf 'export DOCKHAND_DOCKER20_SOCK=%q\n' "$DOCKER_SOCK"
  printf 'export DOCKHAND_PODMAN_SOCK=%q\n' "$PODMAN_SOCK"
  printf 'export DOCKHAND_REGISTRY=%q\n' "127.0.0.1:$REGISTRY_PORT"
  printf 'export DOCKHAND_REGISTRY_TLS=%q\n' "127.0.0.1:$REGISTRY_TLS_PORT"
  printf 'export DOCKHAND_REGISTRY_USER=%q\n' "$REGISTRY_USER"
  printf 'export DOCKHAND_REGISTRY_PASSWORD_FILE=%q\n' "$DIR/registry-password"
  printf 'export DOCKHAND_REGISTRY_CA=%q\n' "$CERTS/ca.crt"
  printf 'export DOCKHAND_DOCKER_STORAGE_DRIVER=%q\n' "$(cat "$DIR/docker/storage-driver")"
  printf 'export DOCKHAND_DOCKER_TLS_HOST=%q\n' "tcp://127.0.0.1:$DOCKER_TLS_PORT"
  printf 'export DOCKHAND_DOCKER_CERT_PATH=%q\n' "$CERTS/client"
  printf 'export DOCKHAND_WRONG_CA=%q\n' "$CERTS/wrong-ca/ca.pem"
  printf 'export DOCKHAND_DOCKER28_SOCK=%q\n' "$DOCKER28_SOCK"
  printf 'export DOCKHAND_DOCKER28_CLI=%q\n' "$DOCKER28_PREFIX/usr/bin/docker"
  printf 'export DOCKHAND_DOCKER28_CLI_PLUGINS=%q\n' "$DOCKER28_PREFIX/usr/libexec/docker/cli-plugins"
  printf 'export DOCKHAND_DOCKER28_BIN_DIR=%q\n' "$D28/bin"
} > "$DIR/env.sh.tmp"
mv "$DIR/env.sh.tmp" "$DIR/env.sh"

log "all engines up; source $DIR/env.sh"
