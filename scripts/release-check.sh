#!/usr/bin/env bash
# The release check: what npm would publish works for a new user. Builds, packs the four packages
# (`npm pack --workspaces`), runs publint and @arethetypeswrong/cli on each tarball (any finding fails), publishes them
# to a throw-away Verdaccio on 127.0.0.1 (private storage, no uplinks: nothing leaves the machine), then as a user:
#   - `npm i @dockhand/client effect` in a fresh project: one copy of effect, the README's main.ts type-checked with
#     the repo's TypeScript and with the newest TypeScript (`npm i -D typescript` installs 7.x today; the repo pins
#     it in scripts/typescript-latest), `require` refused with ERR_PACKAGE_PATH_NOT_EXPORTED, the Bun entry on Node
#     refused with WrongRuntime, every README and doc-comment example of the packages type-checked with both
#     TypeScripts (scripts/extract-examples.mjs), and main.ts run on Node 22, Node 24, Bun and Deno (Deno with the
#     README's exact permissions),
#     each through its own runtime entry: against the Docker Engine when DOCKHAND_DOCKER_SOCK is set (source the
#     engines' env.sh), else each runtime only imports the packages;
#   - `bun add @dockhand/client effect` and `deno add npm:@dockhand/client npm:effect` in fresh projects, the same
#     program run on Bun and on Deno from each;
#   - `pnpm add @dockhand/client effect` (the repo's pinned pnpm) in a fresh project: one copy of effect in pnpm's
#     store layout, main.ts type-checked with both TypeScripts and run on Node 24;
#   - `npm i -g @dockhand/cli` into a fresh prefix: the package and its optional standalone executable
#     (`@dockhand/cli-linux-x64`) only, `dockhand --version` printing the package.json version on Node 22 and 24,
#     `dockhand --node-snapshot` building a Node 24 snapshot from the installed files that answers `--help` as the
#     bundle does;
#     then `bun add -g`, `pnpm add -g`, `pnpm dlx` and the README's `deno install -g` line.
# Verdaccio is started and stopped here (trap), on DOCKHAND_VERDACCIO_PORT if set (else a free port); the work
# directory is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/node_modules/.bin
node24=$bin/node
node22=$root/node_modules/node22/bin/node
# The newest TypeScript, what `npm i -D typescript` gives a user today (a linked local package of the repo, so that the
# repo's own `tsc` stays the root's TypeScript).
tsc_latest=$root/scripts/typescript-latest/node_modules/.bin/tsc
export NO_COLOR=1 FORCE_COLOR=0 DENO_NO_UPDATE_CHECK=1
# npm runs on the repo's Node 24 (its `#!/usr/bin/env node` finds node_modules/.bin first), as it does under `npm test`.
export PATH=$bin:$PATH

step() { printf '\n=== release check (%ss): %s\n' "$SECONDS" "$*"; }
fail() {
  printf 'release check: FAILED: %s\n' "$*" >&2
  exit 1
}

work=$(mktemp -d /tmp/dockhand-release.XXXXXX)
verdaccio_pid=
cleanup() {
  if [ -n "$verdaccio_pid" ]; then
    kill "$verdaccio_pid" 2>/dev/null || true
    wait "$verdaccio_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step "build, versions in the sources"
"$bin/tsc" -b tsconfig.json
"$node24" packages/cli/scripts/bundle.mjs >/dev/null
"$node24" packages/cli/scripts/standalone.mjs >/dev/null # @dockhand/cli-linux-x64's executable (linux-x64 only)
"$node24" scripts/sync-versions.mjs --check

step "npm pack --workspaces"
mkdir -p "$work/packs"
npm pack --workspaces --pack-destination "$work/packs" --silent >/dev/null
version=$("$node24" -p 'require("./packages/client/package.json").version')
for pkg in models codecs client cli cli-linux-x64; do
  tarball=$work/packs/dockhand-$pkg-$version.tgz
  [ -f "$tarball" ] || fail "no tarball for @dockhand/$pkg"
  listing=$(tar tzf "$tarball")
  for file in package/README.md package/LICENSE package/package.json; do
    grep -qx "$file" <<<"$listing" || fail "@dockhand/$pkg: $file is not in the tarball"
  done
  cmp -s LICENSE "packages/$pkg/LICENSE" || fail "packages/$pkg/LICENSE differs from LICENSE"
done
# The CLI ships its bundle only, and depends on nothing but its optional standalone executable, at its own version.
cli_deps=$(tar xzOf "$work/packs/dockhand-cli-$version.tgz" package/package.json |
  "$node24" -e '
    const p = JSON.parse(require("fs").readFileSync(0, "utf8"))
    const { ["@dockhand/cli-linux-x64"]: platform, ...optional } = p.optionalDependencies ?? {}
    if (platform !== process.argv[1]) console.log(`@dockhand/cli-linux-x64@${platform}`)
    console.log(Object.keys({ ...p.dependencies, ...p.peerDependencies, ...optional }).join(" "))' "$version")
[ -z "$cli_deps" ] || fail "@dockhand/cli has runtime dependencies: $cli_deps"
grep -qx package/bin/dockhand <<<"$(tar tzf "$work/packs/dockhand-cli-linux-x64-$version.tgz")" ||
  fail "@dockhand/cli-linux-x64: bin/dockhand is not in the tarball"

step "publint and @arethetypeswrong/cli on each tarball"
for pkg in models codecs client cli; do
  tarball=$work/packs/dockhand-$pkg-$version.tgz
  "$bin/publint" run --strict "$tarball" || fail "publint: @dockhand/$pkg"
  if [ "$pkg" = cli ]; then continue; fi # a program: no types, no library entry (exports only package.json)
  # Every public module, as the `./*` pattern of `exports` is not expanded by attw.
  entrypoints=(".")
  for module in packages/"$pkg"/src/*.ts; do
    name=$(basename "$module" .ts)
    [ "$name" = index ] || entrypoints+=("./$name")
  done
  "$bin/attw" "$tarball" --profile esm-only --format table-flipped --entrypoints "${entrypoints[@]}" ||
    fail "attw: @dockhand/$pkg"
done

step "a throw-away Verdaccio on 127.0.0.1"
[ -x "$tsc_latest" ] || fail "$tsc_latest is missing (npm ci installs it)"
port=${DOCKHAND_VERDACCIO_PORT:-$("$node24" -e '
  const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')}
registry=http://127.0.0.1:$port/
mkdir -p "$work/verdaccio"
cat >"$work/verdaccio/config.yaml" <<EOF
storage: $work/verdaccio/storage
auth:
  htpasswd:
    file: $work/verdaccio/htpasswd
    max_users: 1
uplinks: {}
packages:
  "**":
    access: \$all
    publish: \$authenticated
    unpublish: \$authenticated
max_body_size: 100mb
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
EOF
"$node24" "$root/node_modules/verdaccio/bin/verdaccio" --config "$work/verdaccio/config.yaml" \
  --listen "127.0.0.1:$port" >"$work/verdaccio/log" 2>&1 &
verdaccio_pid=$!
for _ in $(seq 1 100); do
  curl -sf "${registry}-/ping" >/dev/null 2>&1 && break
  kill -0 "$verdaccio_pid" 2>/dev/null || { cat "$work/verdaccio/log" >&2; fail "verdaccio did not start"; }
  sleep 0.2
done
curl -sf "${registry}-/ping" >/dev/null || fail "verdaccio does not answer on $registry"
token=$(curl -sf -X PUT -H 'content-type: application/json' \
  -d '{"name":"release-check","password":"release-check"}' \
  "${registry}-/user/org.couchdb.user:release-check" |
  "$node24" -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).token')
# npm's own settings for this run only: the local registry, a private cache (so every package comes from it).
cat >"$work/npmrc" <<EOF
registry=$registry
//127.0.0.1:$port/:_authToken=$token
cache=$work/npm-cache
audit=false
fund=false
update-notifier=false
EOF
# Under `npm test`, npm hands its own settings down (npm_config_local_prefix is the repo, npm_config_userconfig the
# user's .npmrc): none of them may leak into the consumer projects.
while read -r name; do unset "$name"; done < <(env | grep -oiE '^npm_config_[a-z0-9_]+')
export npm_config_userconfig=$work/npmrc npm_config_registry=$registry npm_config_cache=$work/npm-cache

effect_version=$("$node24" -p 'require("effect/package.json").version')
# The registry has no uplink: effect and every other package the libraries depend on at run time (e.g.
# @bufbuild/protobuf for codecs) are published to it too, packed from node_modules at the versions the repo tests.
third_party=$("$node24" -e '
  const names = new Set(["effect"])
  for (const pkg of ["models", "codecs", "client"]) {
    const deps = require(`./packages/${pkg}/package.json`).dependencies ?? {}
    for (const name of Object.keys(deps)) if (!name.startsWith("@dockhand/")) names.add(name)
  }
  console.log([...names].join(" "))')
# Node's types for the examples that write to process.stdout, as a Node user has them.
node_types="@types/node undici-types"
step "publish the packages, and their dependencies $third_party (effect $effect_version; packed from node_modules)"
mkdir -p "$work/deps"
for dep in $third_party $node_types; do
  npm pack "$root/node_modules/$dep" --pack-destination "$work/deps" --silent >/dev/null || fail "npm pack $dep"
done
for tarball in "$work"/deps/*.tgz "$work"/packs/*.tgz; do
  npm publish "$tarball" --registry "$registry" --access public --tag latest --provenance=false --ignore-scripts \
    --loglevel=error >/dev/null ||
    fail "npm publish $(basename "$tarball")"
done

step "npm i @dockhand/client effect, in a fresh project"
consumer=$work/consumer
mkdir -p "$consumer"
printf '{ "name": "consumer", "private": true, "type": "module" }\n' >"$consumer/package.json"
(cd "$consumer" && npm install @dockhand/client effect --registry "$registry" >/dev/null)
copies=$(find "$consumer/node_modules" -path '*/effect/package.json' -not -path '*/effect/*/*' | wc -l)
[ "$copies" -eq 1 ] || fail "$copies copies of effect installed"
# The README's main.ts (the ```ts block that starts with `// main.ts`), type-checked with the repo's TypeScript.
"$node24" -e '
  const m = /```ts\n(\/\/ main\.ts[^]*?)```/.exec(require("fs").readFileSync("README.md", "utf8"))
  if (m === null) { console.error("README.md: no ```ts block starting with // main.ts"); process.exit(1) }
  process.stdout.write(m[1])' >"$consumer/main.ts"
cat >"$consumer/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2022", "DOM"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noEmit": true,
    "skipLibCheck": true,
    "types": []
  },
  "include": ["*.ts"]
}
EOF
for runtime in bun deno; do
  sed "s#@dockhand/client/node#@dockhand/client/$runtime#" "$consumer/main.ts" >"$consumer/main-$runtime.ts"
done
for tsc in "$bin/tsc" "$tsc_latest"; do
  (cd "$consumer" && "$tsc" -p tsconfig.json) ||
    fail "the README's main.ts does not type-check in a fresh project ($("$tsc" --version))"
done
installed_effect=$("$node24" -p "require('$consumer/node_modules/effect/package.json').version")
echo "main.ts type-checks ($("$bin/tsc" --version) and $("$tsc_latest" --version), effect $installed_effect, one copy)"
# Every other example shown to users (the packages' READMEs, the `@example`s of the doc comments), with the
# packages they import installed as a user would.
examples=$work/examples
mkdir -p "$examples"
printf '{ "name": "examples", "private": true, "type": "module" }\n' >"$examples/package.json"
sed 's/"types": \[\]/"types": ["node"]/' "$consumer/tsconfig.json" >"$examples/tsconfig.json"
(cd "$examples" && npm install @dockhand/models @dockhand/codecs @dockhand/client effect @types/node \
  --registry "$registry" >/dev/null) || fail "npm install @dockhand/models @dockhand/codecs @dockhand/client effect"
echo "$("$node24" scripts/extract-examples.mjs "$examples") examples from the packages' READMEs and doc comments"
for tsc in "$bin/tsc" "$tsc_latest"; do
  (cd "$examples" && "$tsc" -p tsconfig.json) ||
    fail "an example of the packages does not type-check ($("$tsc" --version))"
done
echo "the examples type-check ($("$bin/tsc" --version) and $("$tsc_latest" --version))"

# ESM only: require() is refused with a clear code; the Bun entry on Node names the entry to use.
printf 'require("@dockhand/client")\n' >"$consumer/require.cjs"
if out=$(cd "$consumer" && "$node24" require.cjs 2>&1); then fail "require(\"@dockhand/client\") worked"; fi
grep -q ERR_PACKAGE_PATH_NOT_EXPORTED <<<"$out" || fail "require(\"@dockhand/client\"): $out"
cat >"$consumer/wrong.mjs" <<'EOF'
import * as Docker from "@dockhand/client/bun"
import * as Effect from "effect/Effect"
const error = await Effect.runPromise(Effect.flip(Effect.void.pipe(Effect.provide(Docker.layer))))
if (error.reason._tag !== "WrongRuntime") throw new Error(`expected WrongRuntime, got ${error.reason._tag}`)
console.log(error.message)
EOF
(cd "$consumer" && "$node24" wrong.mjs) || fail "@dockhand/client/bun on Node did not fail with WrongRuntime"

# The README's Deno command, flags as written.
deno_flags=$(sed -nE 's/^deno run ((--allow-[a-z]+ )+)main\.ts$/\1/p' README.md)
[ -n "$deno_flags" ] || fail "README.md: no 'deno run --allow-… main.ts' line"
read -r -a deno_flags <<<"$deno_flags"
if [ -n "${DOCKHAND_DOCKER_SOCK:-}" ]; then
  step "the README's main.ts against the Docker Engine on Node 22, Node 24, Bun and Deno"
  export DOCKER_HOST=unix://$DOCKHAND_DOCKER_SOCK
  runs=(
    "Node $("$node22" --version)|$node22 main.ts"
    "Node $("$node24" --version)|$node24 main.ts"
    "Bun $("$bin/bun" --version)|$bin/bun main-bun.ts"
    "Deno $("$bin/deno" --version | head -1 | cut -d' ' -f2)|$bin/deno run ${deno_flags[*]} main-deno.ts"
  )
else
  step "no engine (DOCKHAND_DOCKER_SOCK unset): each runtime imports the packages"
  for runtime in node bun deno; do
    printf 'import "@dockhand/%s"\n' client "client/$runtime" >"$consumer/import-$runtime.ts"
  done
  runs=(
    "Node $("$node22" --version)|$node22 import-node.ts"
    "Node $("$node24" --version)|$node24 import-node.ts"
    "Bun $("$bin/bun" --version)|$bin/bun import-bun.ts"
    "Deno $("$bin/deno" --version | head -1 | cut -d' ' -f2)|$bin/deno run ${deno_flags[*]} import-deno.ts"
  )
fi
for run in "${runs[@]}"; do
  label=${run%%|*}
  read -r -a command <<<"${run#*|}"
  printf -- '--- %s: %s\n' "$label" "${command[*]##*/}"
  (cd "$consumer" && DENO_DIR=$work/deno "${command[@]}") || fail "$label: ${command[*]}"
done

# The same project installed with bun and with deno, from the same registry, run on that runtime (deno add refuses
# versions younger than a day unless told otherwise: these were published a minute ago).
step "bun add @dockhand/client effect, and deno add npm:@dockhand/client npm:effect, in fresh projects"
for tool in bun deno; do
  project=$work/$tool-consumer
  mkdir -p "$project"
  if [ "$tool" = bun ]; then
    printf '{ "name": "consumer", "private": true, "type": "module" }\n' >"$project/package.json"
    (cd "$project" && BUN_INSTALL_CACHE_DIR=$work/bun-cache "$bin/bun" add @dockhand/client effect \
      --registry "$registry" >/dev/null) || fail "bun add @dockhand/client effect"
  else
    (cd "$project" && DENO_DIR=$work/deno-$tool NPM_CONFIG_REGISTRY=$registry "$bin/deno" add \
      --minimum-dependency-age=0 npm:@dockhand/client npm:effect >"$work/deno-add.log" 2>&1) ||
      { cat "$work/deno-add.log" >&2; fail "deno add npm:@dockhand/client npm:effect"; }
  fi
  program=main-$tool.ts
  [ -n "${DOCKHAND_DOCKER_SOCK:-}" ] || program=import-$tool.ts
  cp "$consumer/$program" "$project/$program"
  command=("$bin/bun" "$program")
  [ "$tool" = bun ] || command=("$bin/deno" run "${deno_flags[@]}" "$program")
  printf -- '--- %s-installed: %s\n' "$tool" "${command[*]##*/}"
  (cd "$project" && DENO_DIR=$work/deno-$tool NPM_CONFIG_REGISTRY=$registry "${command[@]}") ||
    fail "$tool-installed project: ${command[*]}"
done

# pnpm (the repo's pinned devDependency), with its store, caches and settings in the work directory. It installs
# versions published a minute ago (pnpm 12 lists them as exclusions of its `minimumReleaseAge` and goes on).
pnpm_env=(env XDG_CACHE_HOME="$work/xdg/cache" XDG_CONFIG_HOME="$work/xdg/config" XDG_DATA_HOME="$work/xdg/data"
  XDG_STATE_HOME="$work/xdg/state" PNPM_HOME="$work/pnpm-home" PATH="$work/pnpm-home/bin:$PATH")
pnpm_flags=(--registry "$registry" --store-dir "$work/pnpm-store")
# (pnpm --version from the work directory: in the repo, pnpm refuses to run for a project that names npm as its
# packageManager)
step "pnpm add @dockhand/client effect, in a fresh project (pnpm $(cd "$work" && "$bin/pnpm" --version))"
project=$work/pnpm-consumer
mkdir -p "$project"
printf '{ "name": "consumer", "private": true, "type": "module" }\n' >"$project/package.json"
(cd "$project" && "${pnpm_env[@]}" "$bin/pnpm" add @dockhand/client effect "${pnpm_flags[@]}" \
  >"$work/pnpm-add.log" 2>&1) || { cat "$work/pnpm-add.log" >&2; fail "pnpm add @dockhand/client effect"; }
copies=$(find "$project/node_modules/.pnpm" -mindepth 1 -maxdepth 1 -name 'effect@*' | wc -l)
[ "$copies" -eq 1 ] || fail "pnpm installed $copies copies of effect"
program=main.ts
[ -n "${DOCKHAND_DOCKER_SOCK:-}" ] || program=import-node.ts
cp "$consumer/tsconfig.json" "$consumer/main.ts" "$project/"
[ "$program" = main.ts ] || cp "$consumer/$program" "$project/"
for tsc in "$bin/tsc" "$tsc_latest"; do
  (cd "$project" && "$tsc" -p tsconfig.json) || fail "main.ts does not type-check with pnpm's layout ($("$tsc" --version))"
done
echo "main.ts type-checks with pnpm's layout ($("$bin/tsc" --version) and $("$tsc_latest" --version), one copy of effect)"
printf -- '--- pnpm-installed, Node %s: %s\n' "$("$node24" --version)" "$program"
(cd "$project" && "$node24" "$program") || fail "pnpm-installed project: node $program"

step "npm i -g @dockhand/cli, into a fresh prefix"
prefix=$work/global
npm install -g --prefix "$prefix" @dockhand/cli --registry "$registry" >/dev/null
installed=$(ls "$prefix/lib/node_modules/@dockhand")
[ "$installed" = cli ] || fail "npm i -g @dockhand/cli installed @dockhand/{$installed}"
# its one dependency, the optional standalone executable for this machine (npm nests a global package's dependencies)
nested=$(cd "$prefix/lib/node_modules/@dockhand/cli/node_modules" && find . -mindepth 2 -maxdepth 2 | sort | tr '\n' ' ')
[ "$nested" = "./@dockhand/cli-linux-x64 " ] || fail "@dockhand/cli installed dependencies: $nested"
printed=$("$prefix/lib/node_modules/@dockhand/cli/node_modules/@dockhand/cli-linux-x64/bin/dockhand" --version)
[ "$printed" = "dockhand version $version" ] || fail "the standalone dockhand --version: $printed"
[ "$(ls "$prefix/lib/node_modules" | grep -vc '^@dockhand$')" -eq 0 ] || fail "npm i -g @dockhand/cli installed more"
for node in "$node22" "$node24"; do
  printed=$("$node" "$prefix/lib/node_modules/@dockhand/cli/bin/dockhand.js" --version)
  [ "$printed" = "dockhand version $version" ] || fail "dockhand --version on Node $("$node" --version): $printed"
  echo "Node $("$node" --version): $printed"
done
# the Node start-up snapshot from the installed package (what it needs is published): built, then used
snapshot_env=(env XDG_CACHE_HOME="$work/snapshot-cache" DOCKHAND_NO_STANDALONE=1)
"${snapshot_env[@]}" "$node24" "$prefix/lib/node_modules/@dockhand/cli/bin/dockhand.js" --node-snapshot \
  >"$work/snapshot.log" 2>&1 || { cat "$work/snapshot.log" >&2; fail "dockhand --node-snapshot"; }
cli_bin=$prefix/lib/node_modules/@dockhand/cli/bin/dockhand.js
from_bundle=$(DOCKHAND_NO_SNAPSHOT=1 "${snapshot_env[@]}" "$node24" "$cli_bin" --help)
from_snapshot=$("${snapshot_env[@]}" "$node24" "$cli_bin" --help)
[ "$from_snapshot" = "$from_bundle" ] || fail "dockhand --help from the snapshot differs from the bundle's"
ls "$work/snapshot-cache/dockhand/"*.blob >/dev/null || fail "dockhand --node-snapshot kept no blob"
echo "Node $("$node24" --version): dockhand --node-snapshot built a snapshot; --help from it as from the bundle"

step "the CLI installed as the README says with bun, pnpm and deno"
BUN_INSTALL=$work/bun-global BUN_INSTALL_CACHE_DIR=$work/bun-cache "$bin/bun" add -g @dockhand/cli \
  --registry "$registry" >/dev/null 2>&1 || fail "bun add -g @dockhand/cli"
printed=$("$bin/bun" "$work/bun-global/bin/dockhand" --version)
[ "$printed" = "dockhand version $version" ] || fail "bun add -g @dockhand/cli, dockhand --version: $printed"
echo "bun add -g, on Bun: $printed"
"${pnpm_env[@]}" "$bin/pnpm" add -g @dockhand/cli "${pnpm_flags[@]}" >"$work/pnpm-global.log" 2>&1 ||
  { cat "$work/pnpm-global.log" >&2; fail "pnpm add -g @dockhand/cli"; }
printed=$("${pnpm_env[@]}" dockhand --version)
[ "$printed" = "dockhand version $version" ] || fail "pnpm add -g @dockhand/cli, dockhand --version: $printed"
echo "pnpm add -g, on Node $("$node24" --version): $printed"
# (dlx takes settings only as --config.<key>)
printed=$(cd "$work" && "${pnpm_env[@]}" "$bin/pnpm" dlx --reporter=silent --config.registry="$registry" \
  --config.store-dir="$work/pnpm-store" @dockhand/cli --version)
[ "$printed" = "dockhand version $version" ] || fail "pnpm dlx @dockhand/cli --version: $printed"
echo "pnpm dlx, on Node $("$node24" --version): $printed"
deno_install=$(sed -nE 's/^deno install (-g -n dockhand (--allow-[a-z]+ )+)npm:@dockhand\/cli$/\1/p' README.md)
[ -n "$deno_install" ] || fail "README.md: no 'deno install -g -n dockhand … npm:@dockhand/cli' line"
read -r -a deno_install <<<"$deno_install"
DENO_DIR=$work/deno-cli DENO_INSTALL_ROOT=$work/deno-global NPM_CONFIG_REGISTRY=$registry "$bin/deno" install \
  --minimum-dependency-age=0 "${deno_install[@]}" npm:@dockhand/cli >"$work/deno-install.log" 2>&1 ||
  { cat "$work/deno-install.log" >&2; fail "deno install … npm:@dockhand/cli"; }
printed=$(PATH=$bin:$PATH DENO_DIR=$work/deno-cli "$work/deno-global/bin/dockhand" --version)
[ "$printed" = "dockhand version $version" ] || fail "deno install, dockhand --version: $printed"
echo "deno install -g, on Deno: $printed"

step "passed"
