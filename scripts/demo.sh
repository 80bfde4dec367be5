#!/usr/bin/env bash
# `npm run demo`: build the packages, start the private engines, run scripts/demo.ts, stop the engines.
set -euo pipefail
cd "$(dirname "$0")/.."
node_modules/.bin/tsc -b tsconfig.json
bash scripts/engines/install.sh
trap 'bash scripts/engines/stop.sh >/dev/null 2>&1 || true' EXIT
bash scripts/engines/start.sh
# shellcheck disable=SC1091
source "${DOCKHAND_ENGINES_DIR:-/tmp/dockhand-engines}/env.sh"
node_modules/.bin/node scripts/demo.ts
