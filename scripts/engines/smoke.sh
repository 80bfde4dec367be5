#!/usr/bin/env bash
# End-to-end smoke test of the engines started by start.sh:
#  - docker: import a tiny busybox image, run it with --network none, commit,
#    push/pull via the plain registry and (logged in) via the TLS registry;
#  - podman: compat API answers, pulls from both registries (TLS verified
#    against our CA), runs a container with --network none.
# Uses a throw-away DOCKER_CONFIG; leaves the probe images in the engines.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIR=${DOCKHAND_ENGINES_DIR:-/tmp/dockhand-engines}
[ -f "$DIR/env.sh" ] || { echo "smoke.sh: $DIR/env.sh missing; run $HERE/start.sh" >&2; exit 1; }
# shellcheck disable=SC1091
. "$DIR/env.sh"

DOCKER=${DOCKER:-/usr/local/bin/docker}
[ -x "$DOCKER" ] || DOCKER=docker
export DOCKER_HOST="unix://$DOCKHAND_DOCKER_SOCK"
WORK=$(mktemp -d "$DOCKHAND_ENGINES_DIR/tmp/smoke.XXXXXX")
export DOCKER_CONFIG="$WORK/docker-config"
mkdir -p "$DOCKER_CONFIG"
trap 'rm -rf "$WORK"' EXIT

step() { echo "smoke.sh: --- $*"; }
pcurl() { curl --noproxy '*' -fsS --unix-socket "$DOCKHAND_PODMAN_SOCK" "$@"; }
# Compat-API image pull that fails on an error message in the JSON stream.
podman_pull() {
  local ref=$1 tag=$2 auth=${3:-} out
  out=$(pcurl -X POST ${auth:+-H "X-Registry-Auth: $auth"} \
    "http://d/v1.41/images/create?fromImage=$ref&tag=$tag")
  if grep -q '"error' <<<"$out"; then echo "$out" >&2; return 1; fi
}

step "tiny image (busybox-static) via docker import"
mkdir -p "$WORK/rootfs/bin"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for a in sh true echo cat; do ln -s busybox "$WORK/rootfs/bin/$a"; done
tar -C "$WORK/rootfs" -cf "$WORK/probe.tar" .
"$DOCKER" version --format 'client {{.Client.Version}} / server {{.Server.Version}} API {{.Server.APIVersion}} (client negotiated {{.Client.APIVersion}})'
"$DOCKER" import --change 'CMD ["/bin/true"]' "$WORK/probe.tar" dockhand-test/probe:1 >/dev/null
"$DOCKER" info --format 'storage driver: {{.Driver}}, cgroup driver: {{.CgroupDriver}} v{{.CgroupVersion}}'

step "docker run --rm --network none"
"$DOCKER" run --rm --network none dockhand-test/probe:1
[ "$("$DOCKER" run --rm --network none dockhand-test/probe:1 /bin/echo hello)" = hello ]

step "docker commit"
cid=$("$DOCKER" run -d --network none dockhand-test/probe:1 /bin/sh -c 'echo committed > /marker')
"$DOCKER" wait "$cid" >/dev/null
"$DOCKER" commit "$cid" dockhand-test/probe:committed >/dev/null
"$DOCKER" rm "$cid" >/dev/null
[ "$("$DOCKER" run --rm --network none dockhand-test/probe:committed /bin/cat /marker)" = committed ]

step "push/pull via plain registry $DOCKHAND_REGISTRY"
ref="$DOCKHAND_REGISTRY/dockhand-test/probe:1"
"$DOCKER" tag dockhand-test/probe:1 "$ref"
"$DOCKER" push -q "$ref"
"$DOCKER" rmi "$ref" >/dev/null
"$DOCKER" pull -q "$ref"
"$DOCKER" run --rm --network none "$ref"

step "login + push/pull via TLS registry $DOCKHAND_REGISTRY_TLS"
pw=$(cat "$DOCKHAND_REGISTRY_PASSWORD_FILE")
"$DOCKER" login -u "$DOCKHAND_REGISTRY_USER" --password-stdin "$DOCKHAND_REGISTRY_TLS" <<<"$pw"
tref="$DOCKHAND_REGISTRY_TLS/dockhand-test/probe:1"
"$DOCKER" tag dockhand-test/probe:1 "$tref"
"$DOCKER" push -q "$tref"
"$DOCKER" rmi "$tref" >/dev/null
"$DOCKER" pull -q "$tref"
# The registry's certificate verifies against our CA, and auth is enforced:
curl --noproxy '*' -fsS --cacert "$DOCKHAND_REGISTRY_CA" -u "$DOCKHAND_REGISTRY_USER:$pw" \
  "https://$DOCKHAND_REGISTRY_TLS/v2/dockhand-test/probe/tags/list"; echo
code=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --cacert "$DOCKHAND_REGISTRY_CA" \
  "https://$DOCKHAND_REGISTRY_TLS/v2/")
[ "$code" = 401 ] || { echo "expected 401 without credentials, got $code" >&2; exit 1; }
"$DOCKER" logout "$DOCKHAND_REGISTRY_TLS" >/dev/null

step "podman compat API"
pcurl http://d/_ping; echo
pcurl http://d/v1.41/version | head -c 300; echo
pcurl http://d/v1.41/images/json >/dev/null
podman_pull "$DOCKHAND_REGISTRY/dockhand-test/probe" 1
auth=$(printf '{"username":"%s","password":"%s","serveraddress":"%s"}' \
  "$DOCKHAND_REGISTRY_USER" "$pw" "$DOCKHAND_REGISTRY_TLS" | base64 -w0 | tr '+/' '-_')
podman_pull "$DOCKHAND_REGISTRY_TLS/dockhand-test/probe" 1 "$auth"
pcurl http://d/v1.41/images/json | grep -o '"RepoTags":\[[^]]*\]'

step "podman run --network none (remote CLI)"
HOME="$WORK" XDG_RUNTIME_DIR="$WORK" CONTAINERS_CONF="$DOCKHAND_ENGINES_DIR/podman/containers.conf" \
  podman --remote --url "unix://$DOCKHAND_PODMAN_SOCK" run --rm --network none \
  "$DOCKHAND_REGISTRY/dockhand-test/probe:1" /bin/echo hello-from-podman

echo "smoke.sh: OK"
