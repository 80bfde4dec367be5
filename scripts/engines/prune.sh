#!/usr/bin/env bash
# Remove what test runs leave in the running engines and what would otherwise pile up from one run to the next,
# since test-all.sh reuses $DOCKHAND_ENGINES_DIR: each Docker Engine's build cache (every BuildKit step the builds
# ran) and its dangling images (a tag moved by a rebuild leaves the old image behind without a name or label).
# Images with a name stay, and so does Engine 28.5's dangling fixture (label dockhand.fixture28). Without this, one
# CI run left about 2.5 GB of build cache and 90 dangling images in Engine 28.5's containerd store.
# Safe to run when an engine is not running: it is skipped.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

log() { echo "prune.sh: $*"; }

# prune <name> <socket>: the build cache, then the dangling images no fixture holds, each with what it freed.
prune() {
  local name=$1 sock=$2 answer
  if [ ! -S "$sock" ]; then
    log "$name: no socket at $sock; skipped"
    return 0
  fi
  answer=$(curl --noproxy '*' -fsS --max-time 600 --unix-socket "$sock" -X POST \
    'http://d/v1.41/build/prune?all=1') || { log "$name: build cache prune failed"; return 1; }
  log "$name: build cache: $(grep -o '"SpaceReclaimed":[0-9]*' <<<"$answer" | cut -d: -f2) bytes freed"
  answer=$(curl --noproxy '*' -fsS --max-time 600 --unix-socket "$sock" -X POST -G 'http://d/v1.41/images/prune' \
    --data-urlencode 'filters={"dangling":["true"],"label!":["dockhand.fixture28"]}') ||
    { log "$name: image prune failed"; return 1; }
  log "$name: dangling images: $(grep -o '"Untagged":' <<<"$answer" | wc -l) removed," \
    "$(grep -o '"SpaceReclaimed":[0-9]*' <<<"$answer" | cut -d: -f2) bytes freed"
}

status=0
is_running dockerd && { prune "Engine 20.10" "$DOCKER_SOCK" || status=1; }
is_running dockerd28 && { prune "Engine 28.5" "$DOCKER28_SOCK" || status=1; }
exit "$status"
