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
"$bin/tsc" -p examples/tsconfig.json

step "API reference: docs/ as the doc comments generate it, every example in them type-checked (npm run docs)"
"$bin/node" scripts/docs.mjs --check

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
# Before stopping them, prune what the tests left in the engines (build cache, dangling images): the engines'
# directory is reused by the next run, and without this it grew by about 7 GB per run.
trap 'bash scripts/engines/prune.sh || true; bash scripts/engines/stop.sh || true' EXIT
bash scripts/engines/start.sh
# shellcheck disable=SC1091
source "${DOCKHAND_ENGINES_DIR:-/tmp/dockhand-engines}/env.sh"
step "release check: the packed packages from a local registry in fresh projects (scripts/release-check.sh)"
bash scripts/release-check.sh
# Two passes, one per Docker Engine: 20.10 (API 1.41, graphdriver store; the docker CLI 28.2 as the CLI's reference)
# and 28.5 (API 1.51, containerd image store; its own docker CLI 28.5 first on PATH). Each pass runs every engine
# test on Node 24; the client conformance suite (packages/client/test/conformance) again on Bun and Deno (and, in the
# 20.10 pass, on Node 22), each through that runtime's entry of @dockhand/client; the CLI's side-by-side suite
# (packages/cli/test/e2e) again with dockhand itself on Bun and on Deno (the test runner stays on Node 24,
# DOCKHAND_CLI_RUNTIME picks the runtime that runs the bundle, packages/cli/dist/dockhand.js) and, in the 20.10 pass,
# as the standalone linux-x64 executable. DOCKHAND_ENGINE tells the tests which engine they face (they check it
# against the engine's answers). Podman, the registries and the TLS socket of 20.10 are the same in both passes.
# The files run one after the other (they share the daemons); each run asserts the runtime it is on.
engine_times=()
engine_run() {
  local label=$1 expect=$2; shift 2
  step "engine tests: $label"
  local start=$SECONDS
  DOCKHAND_EXPECT_RUNTIME=$expect "$@"
  engine_times+=("$(printf '%-60s %4ds' "$label" $((SECONDS - start)))")
  printf '=== %s: %ds\n' "$label" $((SECONDS - start))
}
conformance=packages/client/test/conformance/
cli_e2e=packages/cli/test/e2e/
# vitest fails a run that finds no test file; only where a project has no file of a kind (yet) is it told that this
# is fine: `no_files <project> <dir>` prints `--passWithNoTests` then. A missing engine still fails every test.
no_files() {
  local suffix=.engine.test.ts
  [ "$1" = engines28 ] && suffix=.engine28.test.ts
  [ -n "$(find "$2" -name node_modules -prune -o -name "*$suffix" -print -quit)" ] || echo --passWithNoTests
}
# engine_pass <engine label> <vitest project> [full|node]: every test of the project on Node 24, its client
# conformance files on Bun and Deno, its CLI e2e files with dockhand on Bun and Deno; with `full` also the conformance
# files on Node 22 and the CLI e2e files with the standalone executable (once is enough for those: they add a
# runtime, not an engine behaviour); with `node` only the Node 24 run (the other runtimes already ran these files
# against another engine in this job).
engine_pass() {
  local engine=$1 project=$2 full=${3:-}
  local any conf cli
  any=$(no_files "$project" packages) conf=$(no_files "$project" "$conformance") cli=$(no_files "$project" "$cli_e2e")
  # shellcheck disable=SC2086 # $any, $conf, $cli: one flag or nothing
  {
    engine_run "$engine: Node $("$bin/node" --version), every test" node24 \
      "$bin/node" "$vitest" run --project "$project" $any
    [ "$full" = node ] && return 0
    if [ -n "$full" ]; then
      engine_run "$engine: Node $("$node22" --version), client conformance" node22 \
        "$node22" "$vitest" run --project "$project" --pool=threads $conf "$conformance"
    fi
    engine_run "$engine: Bun $("$bin/bun" --version), client conformance" bun \
      "$bin/bun" --bun "$vitest" run --project "$project" --pool=threads $conf "$conformance"
    engine_run "$engine: Deno $("$bin/deno" --version | head -1 | cut -d' ' -f2), client conformance" deno \
      "$bin/deno" run -A "$vitest" run --project "$project" --pool=threads $conf "$conformance"
    engine_run "$engine: dockhand on Bun $("$bin/bun" --version), CLI e2e" node24 \
      env DOCKHAND_CLI_RUNTIME=bun "$bin/node" "$vitest" run --project "$project" $cli "$cli_e2e"
    engine_run "$engine: dockhand on Deno $("$bin/deno" --version | head -1 | cut -d' ' -f2), CLI e2e" node24 \
      env DOCKHAND_CLI_RUNTIME=deno "$bin/node" "$vitest" run --project "$project" $cli "$cli_e2e"
    # the standalone executable (packages/cli-linux-x64, Bun-compiled from the bundle; the harness builds it)
    if [ -n "$full" ] && [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ]; then
      engine_run "$engine: dockhand standalone (linux-x64), CLI e2e" node24 \
        env DOCKHAND_CLI_RUNTIME=standalone "$bin/node" "$vitest" run --project "$project" $cli "$cli_e2e"
    fi
  }
}
engines_start=$SECONDS
export DOCKHAND_ENGINE=docker20
engine_pass "Engine 20.10" engines full
pass20=$((SECONDS - engines_start))
# Engine 28.5: the same suites against it, with the docker CLI 28.5 as the reference; then the engines28 project, the
# tests of what only this engine shows (*.engine28.test.ts). Nothing runs after this pass: the exports may stay.
pass28_start=$SECONDS
export DOCKHAND_DOCKER_SOCK=$DOCKHAND_DOCKER28_SOCK DOCKHAND_ENGINE=docker28 PATH=$DOCKHAND_DOCKER28_BIN_DIR:$PATH
[ "$(command -v docker)" = "$DOCKHAND_DOCKER28_BIN_DIR/docker" ] ||
  { echo "test-all.sh: the docker CLI 28.5 is not first on PATH ($DOCKHAND_DOCKER28_BIN_DIR)" >&2; exit 1; }
# The shared suites run on Node 24 alone here (Bun, Deno, Node 22 and the standalone executable ran them against
# 20.10 above); the 28.5-only project below runs on every runtime. This keeps CI within its 45 minutes.
engine_pass "Engine 28.5" engines node
engine_pass "Engine 28.5 only" engines28
step "engine step timings"
printf '  %s\n' "${engine_times[@]}"
printf '  %-60s %4ds\n' "Engine 20.10 pass" "$pass20" "Engine 28.5 pass" $((SECONDS - pass28_start)) \
  "total" $((SECONDS - engines_start))
