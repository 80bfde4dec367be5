#!/usr/bin/env bash
# Install (if missing) the real engines used by the dockhand test suite:
#   docker.io (Engine 20.10 / API 1.41), docker-registry (distribution v2),
#   podman 4.3, plus apache2-utils (htpasswd), openssl, curl, iproute2 (ss), busybox-static
#   (a static binary used to build tiny probe images), tmux (the CLI's terminal test), git (git build contexts and
#   the hostile repository served by `git daemon`) and util-linux (setpriv, to read a context as an unprivileged user);
#   then Docker Engine 28.5 with containerd 2.1, the docker CLI 28.5 and buildx into a private prefix
#   (install-docker28.sh, pinned versions).
# Idempotent: only missing packages are installed. Services shipped by the
# packages are never started (policy-rc.d "exit 101" during the install) and
# are stopped/disabled afterwards in case something started them anyway.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: must run as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Packages we need. Podman runs rootful here, with the kernel overlay driver and
# no container networking, so uidmap/fuse-overlayfs/slirp4netns are not needed.
PKGS=(docker.io docker-registry podman apache2-utils openssl curl iproute2 busybox-static tmux git util-linux)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install.sh: all packages already installed"
else
  echo "install.sh: installing: ${missing[*]}"

  # Wait for any concurrent apt/dpkg run (e.g. a background apt-get update).
  for _ in $(seq 1 300); do
    if ! fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock >/dev/null 2>&1; then
      break
    fi
    sleep 1
  done

  # Forbid service starts during the install. Keep a pre-existing policy-rc.d.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  cleanup_policy() { if [ "$created_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup_policy EXIT

  # Refresh package lists only if the candidate is unknown.
  need_update=0
  for p in "${missing[@]}"; do
    cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/{print $2}')
    if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then need_update=1; fi
  done
  if [ "$need_update" = 1 ]; then apt-get update; fi

  apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Make sure no packaged daemon is running/enabled (they listen system-wide,
# the registry on 0.0.0.0:5000). There is normally no systemd in the sandbox.
for svc in docker containerd docker-registry; do
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now "$svc" >/dev/null 2>&1 || true
    if [ "$svc" = docker ]; then systemctl disable --now docker.socket >/dev/null 2>&1 || true; fi
  elif [ -x "/etc/init.d/$svc" ]; then
    "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
    update-rc.d "$svc" disable >/dev/null 2>&1 || true
  fi
done

# The packaged registry daemon, if it got started somehow, runs as
# docker-registry user with the packaged config; kill exactly that one.
for pid in $(pgrep -x -u docker-registry docker-registry 2>/dev/null || true); do
  echo "install.sh: stopping packaged docker-registry (pid $pid)"
  kill "$pid" || true
done

# /usr/local/bin/docker (CLI 28) must stay first on PATH; docker.io adds
# /usr/bin/docker (CLI 20.10) which is only a fallback.
if [ -x /usr/local/bin/docker ]; then
  if [ "$(command -v docker)" != /usr/local/bin/docker ]; then
    echo "install.sh: WARNING: 'docker' on PATH is $(command -v docker), not /usr/local/bin/docker" >&2
  fi
fi

bash "$(dirname "${BASH_SOURCE[0]}")/install-docker28.sh"

echo "install.sh: versions:"
printf '  dockerd:         %s\n' "$(dockerd --version 2>/dev/null || echo missing)"
printf '  containerd:      %s\n' "$(containerd --version 2>/dev/null || echo missing)"
printf '  docker-registry: %s\n' "$(docker-registry --version 2>/dev/null || echo missing)"
printf '  podman:          %s\n' "$(podman --version 2>/dev/null || echo missing)"
printf '  docker (PATH):   %s -> %s\n' "$(command -v docker || echo none)" "$(docker --version 2>/dev/null || echo missing)"
