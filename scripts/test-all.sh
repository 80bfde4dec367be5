#!/usr/bin/env bash
# The whole test suite, as CI runs it: type-check and build, unit tests on Node 24, the models and codecs tests on
# Node 22, Bun and Deno, then the engine tests against a private Docker Engine, registry and Podman that this script
# starts and stops, with the release check (scripts/release-check.sh) first among them. Engine tests fail, never skip,
# when the engines cannot start.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/node_modules/.bin
vitest=$root/node_modules/vitest/vitest.mjs
export TURBO_TELEMETRY_DISABLED=1 NO_COLOR=1 FORCE_COLOR=0

step() { printf '\n=== %s\n' "$*"; }

step "lint (formatting, line length, oxlint with import cycles)"
npm run --silent lint

step "type-check and build (tsc -b)"
"$bin/tsc" -b tsconfig.json
"$bin/tsc" -p tsconfig.test.json --noEmit

step "unit tests on Node $("$bin/node" --version)"
DOCKHAND_EXPECT_RUNTIME=node24 "$bin/node" "$vitest" run --project models --project codecs --project client --project cli

# The same models and codecs tests on the other runtimes. vitest's pool: forks, except on Bun, whose child
# processes lack the IPC vitest needs (threads work there); Deno's worker threads fail at teardown (forks work).
other_runtime() {
  local label=$1 expect=$2 pool=$3; shift 3
  step "models and codecs tests on $label"
  for pkg in models codecs; do
    (cd "packages/$pkg" && DOCKHAND_EXPECT_RUNTIME=$expect "$@" "$vitest" run --pool="$pool")
  done
}
# Node 22 is the repo's pinned devDependency `node22` (the machine's own Node may be older than the 22.19 we need).
node22=$root/node_modules/node22/bin/node
other_runtime "Node $("$node22" --version)" node22 forks "$node22"
other_runtime "Bun $("$bin/bun" --version)" bun threads "$bin/bun" --bun
other_runtime "Deno $("$bin/deno" --version | head -1 | cut -d' ' -f2)" deno forks "$bin/deno" run -A

step "engine tests (private dockerd, registry, podman)"
bash scripts/engines/install.sh
trap 'bash scripts/engines/stop.sh || true' EXIT
bash scripts/engines/start.sh
# shellcheck disable=SC1091
source "${DOCKHAND_ENGINES_DIR:-/tmp/dockhand-engines}/env.sh"
step "release check: the packed packages from a local registry in fresh projects (scripts/release-check.sh)"
bash scripts/release-check.sh
# Every engine test on Node 24; the client conformance suite (packages/client/test/conformance) again on Node 22,
# Bun and Deno, each through that runtime's entry of @dockhand/client; the CLI's e2e suite again with dockhand on
# Bun and Deno. The files run one after the other (they share the daemons); each run asserts the runtime it is on.
engine_times=()
engine_run() {
  local label=$1 expect=$2; shift 2
  step "engine tests: $label"
  local start=$SECONDS
  DOCKHAND_EXPECT_RUNTIME=$expect "$@"
  engine_times+=("$(printf '%-44s %4ds' "$label" $((SECONDS - start)))")
  printf '=== %s: %ds\n' "$label" $((SECONDS - start))
}
conformance=packages/client/test/conformance/
engines_start=$SECONDS
engine_run "Node $("$bin/node" --version), every engine test" node24 "$bin/node" "$vitest" run --project engines
engine_run "Node $("$node22" --version), client conformance" node22 \
  "$node22" "$vitest" run --project engines --pool=threads "$conformance"
engine_run "Bun $("$bin/bun" --version), client conformance" bun \
  "$bin/bun" --bun "$vitest" run --project engines --pool=threads "$conformance"
engine_run "Deno $("$bin/deno" --version | head -1 | cut -d' ' -f2), client conformance" deno \
  "$bin/deno" run -A "$vitest" run --project engines --pool=threads "$conformance"
# The CLI's side-by-side suite against the docker CLI (packages/cli/test/e2e) ran above with dockhand on Node 24;
# again with dockhand itself on Bun and on Deno (the test runner stays on Node 24, DOCKHAND_CLI_RUNTIME picks the
# runtime that runs the bundle, packages/cli/dist/dockhand.js).
cli_e2e=packages/cli/test/e2e/
engine_run "dockhand on Bun $("$bin/bun" --version), CLI e2e" node24 \
  env DOCKHAND_CLI_RUNTIME=bun "$bin/node" "$vitest" run --project engines "$cli_e2e"
engine_run "dockhand on Deno $("$bin/deno" --version | head -1 | cut -d' ' -f2), CLI e2e" node24 \
  env DOCKHAND_CLI_RUNTIME=deno "$bin/node" "$vitest" run --project engines "$cli_e2e"
# and with the standalone executable (packages/cli-linux-x64, Bun-compiled from the bundle; the harness builds it)
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ]; then
  engine_run "dockhand standalone (linux-x64), CLI e2e" node24 \
    env DOCKHAND_CLI_RUNTIME=standalone "$bin/node" "$vitest" run --project engines "$cli_e2e"
fi
step "engine step timings"
printf '  %s\n' "${engine_times[@]}"
printf '  %-44s %4ds\n' "total" $((SECONDS - engines_start))
