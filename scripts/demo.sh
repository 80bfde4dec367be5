#!/usr/bin/env bash
# `npm run demo`: build the packages, start the private engines, then use `dockhand` as a daily docker user would:
# build a small image, list it, inspect it and show its history. Stops the engines at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/tsc -b tsconfig.json
node_modules/.bin/node packages/cli/scripts/bundle.mjs
bash scripts/engines/install.sh
trap 'bash scripts/engines/stop.sh >/dev/null 2>&1 || true' EXIT
bash scripts/engines/start.sh
# shellcheck disable=SC1091
source "${DOCKHAND_ENGINES_DIR:-/tmp/dockhand-engines}/env.sh"
export DOCKER_HOST="unix://$DOCKHAND_DOCKER_SOCK" DOCKER_CONFIG
DOCKER_CONFIG=$(mktemp -d)
context=$(mktemp -d)
trap 'rm -rf "$context" "$DOCKER_CONFIG"; bash scripts/engines/stop.sh >/dev/null 2>&1 || true' EXIT
cp /bin/busybox "$context/busybox"
cat > "$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
LABEL org.example.demo="dockhand"
ENV GREETING="hello from dockhand"
CMD ["/bin/busybox", "sh", "-c", "echo $GREETING"]
DOCKERFILE
dockhand() { node_modules/.bin/node packages/cli/bin/dockhand.js "$@"; }
set -x
dockhand doctor
dockhand image build -t dockhand/demo:latest "$context"
dockhand image ls dockhand/demo
dockhand image inspect --format '{{.Id}} {{json .Config.Labels}} {{json .Config.Env}}' dockhand/demo
dockhand image history dockhand/demo
dockhand image rm dockhand/demo
