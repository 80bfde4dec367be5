#!/usr/bin/env bash
# `npm run demo:client`: the library instead of the CLI: scripts/demo.ts imports a sample image through
# @dockhand/client and prints the decoded image list, against the private engine (started and stopped here).
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/tsc -b tsconfig.json
bash scripts/engines/install.sh
trap 'bash scripts/engines/stop.sh >/dev/null 2>&1 || true' EXIT
bash scripts/engines/start.sh
# shellcheck disable=SC1091
source "${DOCKHAND_ENGINES_DIR:-/tmp/dockhand-engines}/env.sh"
node_modules/.bin/node scripts/demo.ts
