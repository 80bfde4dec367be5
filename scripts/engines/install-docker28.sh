#!/usr/bin/env bash
# Install Docker Engine 28.5 (API 1.51) with containerd 2.1, the docker CLI 28.5 and the buildx plugin into a private
# prefix, from Debian's own packages of the `sid` suite (nothing on the system is upgraded; see
# ../shared/docs/modern-engines.md). The package versions are pinned below: the tests compare dockhand with this exact
# docker CLI on this exact engine.
#
# Where the packages come from, in order:
#   1. $DOCKHAND_DEBS_DIR (default: ../shared/debs beside the repository), when it holds the pinned .deb files and
#      their SHA256SUMS check out;
#   2. Debian's `sid` suite, through a private apt configuration (the system's sources and lists stay as they are),
#      with the versions pinned; when sid no longer has one of them, this fails naming the package and version.
# The prefix (default /opt/dockhand/docker-28.5.2, override with DOCKHAND_DOCKER28_PREFIX) is shared by every engine
# stack on the machine; start.sh runs the binaries from there. Idempotent: a complete prefix is left alone.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
  echo "install-docker28.sh: must run as root" >&2
  exit 1
fi

log() { echo "install-docker28.sh: $*"; }
die() { echo "install-docker28.sh: ERROR: $*" >&2; exit 1; }

PREFIX=$DOCKER28_PREFIX
# package=version, as Debian names them; the .deb file names follow (':' never appears in these versions).
PINNED=(
  "docker.io=28.5.2+dfsg4-5"
  "containerd=2.1.9+ds1-5"
  "docker-cli=28.5.2+dfsg4-5"
  "docker-buildx=0.29.1+ds1-4"
)
deb_name() { echo "${1%%=*}_${1#*=}_amd64.deb"; }

if [ -f "$PREFIX/.complete" ] && [ "$(cat "$PREFIX/.complete")" = "${PINNED[*]}" ]; then
  log "Docker 28.5 already installed in $PREFIX"
  exit 0
fi

[ "$(dpkg --print-architecture)" = amd64 ] || die "the pinned packages are amd64; this machine is $(dpkg --print-architecture)"
for bin in dpkg-deb sha256sum apt-get; do
  command -v "$bin" >/dev/null || die "$bin missing"
done
# The shim runs containers with Debian 12's runc (sid's needs a newer glibc): it must be on PATH.
command -v runc >/dev/null || die "runc missing (scripts/engines/install.sh installs it with docker.io)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

debs=$(realpath -m "${DOCKHAND_DEBS_DIR:-$HERE/../../../shared/debs}")
have_local=1
for p in "${PINNED[@]}"; do [ -f "$debs/$(deb_name "$p")" ] || have_local=0; done
if [ "$have_local" = 1 ] && [ -f "$debs/SHA256SUMS" ]; then
  log "using the pinned packages in $debs"
  for p in "${PINNED[@]}"; do
    f=$(deb_name "$p")
    awk -v f="$f" '$2 == f' "$debs/SHA256SUMS" > "$work/sum"
    [ -s "$work/sum" ] || die "$debs/SHA256SUMS has no line for $f"
    (cd "$debs" && sha256sum --quiet -c "$work/sum") || die "$debs/$f does not match its SHA256SUMS line"
    cp "$debs/$f" "$work/"
  done
else
  log "downloading the pinned packages from Debian sid (private apt configuration in $work)"
  uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  echo "deb $uri sid main" > "$work/sources.list"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  apt_private=(-o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=/nonexistent
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache")
  apt-get "${apt_private[@]}" update >"$work/update.log" 2>&1 || {
    cat "$work/update.log" >&2
    die "apt-get update of $uri sid failed"
  }
  for p in "${PINNED[@]}"; do
    (cd "$work" && apt-get "${apt_private[@]}" download "$p" >/dev/null 2>&1) ||
      die "Debian sid no longer has ${p%%=*} version ${p#*=}, which the tests are pinned to: put the .deb (and a \
SHA256SUMS line) in $debs or update the pinned versions in scripts/engines/install-docker28.sh"
  done
fi

rm -rf "$PREFIX.tmp"
mkdir -p "$PREFIX.tmp"
for p in "${PINNED[@]}"; do dpkg-deb -x "$work/$(deb_name "$p")" "$PREFIX.tmp"; done
# sid's runc needs glibc 2.38: the shim must find Debian 12's /usr/sbin/runc on PATH instead.
rm -f "$PREFIX.tmp/usr/sbin/runc" "$PREFIX.tmp/usr/bin/runc"
for bin in usr/sbin/dockerd usr/bin/containerd usr/bin/containerd-shim-runc-v2 usr/bin/docker \
  usr/libexec/docker/cli-plugins/docker-buildx; do
  [ -x "$PREFIX.tmp/$bin" ] || die "the packages did not provide $bin"
done
echo "${PINNED[*]}" > "$PREFIX.tmp/.complete"
rm -rf "$PREFIX"
mv "$PREFIX.tmp" "$PREFIX"

log "installed in $PREFIX:"
printf '  dockerd:    %s\n' "$("$PREFIX/usr/sbin/dockerd" --version)"
printf '  containerd: %s\n' "$("$PREFIX/usr/bin/containerd" --version)"
printf '  docker:     %s\n' "$("$PREFIX/usr/bin/docker" --version)"
printf '  buildx:     %s\n' "$("$PREFIX/usr/libexec/docker/cli-plugins/docker-buildx" version)"
