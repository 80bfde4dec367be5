#!/usr/bin/env bash
# `npm run bench`: builds the CLI bundle (and the standalone executable), starts the private engines if they are not running (and stops them again
# at the end only in that case), then runs every benchmark. Extra arguments go to each benchmark (--rounds=N).
# Output is also kept in bench/results/<date>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/node_modules/.bin
export PATH="$bin:$PATH"

"$bin/tsc" -b packages/cli/tsconfig.json
"$bin/node" packages/cli/scripts/bundle.mjs
# the standalone executable (Bun-compiled bundle), on linux-x64 only; the benches leave its rows out without it
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ]; then "$bin/node" packages/cli/scripts/standalone.mjs; fi

ENGINES_DIR=${DOCKHAND_ENGINES_DIR:-/tmp/dockhand-engines}
started=0
if ! { [ -f "$ENGINES_DIR/env.sh" ] &&
       curl --noproxy '*' -fsS --max-time 5 --unix-socket "$ENGINES_DIR/docker.sock" -o /dev/null http://d/_ping 2>/dev/null; }; then
  bash scripts/engines/install.sh
  bash scripts/engines/start.sh
  started=1
  trap 'bash scripts/engines/stop.sh >/dev/null 2>&1 || true' EXIT
fi
# shellcheck disable=SC1091
source "$ENGINES_DIR/env.sh"

mkdir -p bench/results
out="bench/results/$(date -u +%Y-%m-%dT%H%M%SZ).txt"
failed=()
benches=(list-images save-image cli-ls start-floor cli-save list-growth)
# Engine 28.5 (containerd image store), when the engines' env.sh has it.
if [ -n "${DOCKHAND_DOCKER28_SOCK:-}" ]; then benches+=(list-images-28 cli-ls28 cli-build28); fi
for b in "${benches[@]}"; do
  "$bin/node" "bench/$b.ts" "$@" 2>&1 | tee -a "$out" || failed+=("$b")
  echo | tee -a "$out"
done
echo "results kept in $out"
if [ "$started" = 1 ]; then echo "stopping the engines this run started"; fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
