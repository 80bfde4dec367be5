// Bundles the CLI so that it starts fast and installs light: dist/dockhand.js is the entry (it sends the command's
// first read ahead, see src/internal/Prefetch.ts, then imports the program), and dist/chunks/ holds the program and
// the code loaded only when needed (each runtime's transport). It also makes dist/snapshot.cjs, the whole program in
// one CommonJS file, from which `dockhand --node-snapshot` builds a Node start-up snapshot (src/snapshot.ts), and
// dist/snapshot.json, which names that file's contents. Runs after `tsc -b`, from the compiled dist/.
import { build } from "esbuild"
import { createHash } from "node:crypto"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import {
  lazyBuiltinModules,
  lazyDependencies,
  programInOneChunk,
  programOptions,
  unreachableDependencies
} from "./programOptions.mjs"

/**
 * The Node built-ins a user-land start-up snapshot may hold (the list in Node's lib/internal/main/mksnapshot.js;
 * Node 22 and 24 agree on it): the snapshot's bundle loads these while the snapshot is built, as the program does.
 */
const snapshotBuiltins = new Set([
  "assert",
  "buffer",
  "console",
  "constants",
  "crypto",
  "diagnostics_channel",
  "dns",
  "events",
  "fs",
  "fs/promises",
  "net",
  "os",
  "path",
  "process",
  "querystring",
  "stream",
  "stream/promises",
  "string_decoder",
  "timers",
  "timers/promises",
  "url",
  "util",
  "util/types",
  "v8",
  "zlib"
])

/**
 * The esbuild plugin of the snapshot's bundle for the other built-ins a module imports at its top (`node:readline`
 * for effect's NodeTerminal): each becomes a module of the built-in's functions that load it on their first call, so
 * that it is loaded by the process that runs, never into the snapshot. A name that is not a function of the
 * built-in fails the build (`logOverride` below), as a class extended at a module's top would not work.
 */
const unsnapshottedBuiltins = {
  name: "unsnapshotted-builtins",
  setup(build) {
    build.onResolve(
      { filter: /^node:/ },
      (args) =>
        snapshotBuiltins.has(args.path.slice("node:".length))
          ? { path: args.path, external: true }
          : { path: args.path, namespace: "unsnapshotted-builtin" }
    )
    build.onLoad({ filter: /.*/, namespace: "unsnapshotted-builtin" }, (args) => {
      const builtin = process.getBuiltinModule(args.path)
      const functions = Object.keys(builtin).filter((name) =>
        typeof builtin[name] === "function" && /^[A-Za-z_$][\w$]*$/.test(name) && !/^[A-Z]/.test(name)
      )
      return {
        contents: [
          `let loaded; const load = () => (loaded ??= process.getBuiltinModule(${JSON.stringify(args.path)}))`,
          ...functions.map((name) => `export const ${name} = (...args) => load().${name}(...args)`)
        ].join("\n"),
        loader: "js"
      }
    })
  }
}

const dist = new URL("../dist/", import.meta.url).pathname
rmSync(`${dist}chunks`, { recursive: true, force: true })
const result = await build({
  ...programOptions,
  plugins: [
    ...programOptions.plugins,
    programInOneChunk([`${dist}internal/Process.js`, `${dist}../../client/dist/DockerLayers.js`])
  ],
  entryPoints: { dockhand: `${dist}launch.js` },
  outdir: dist,
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  metafile: true
})
const snapshot = await build({
  entryPoints: [`${dist}snapshot.js`],
  outfile: `${dist}snapshot.cjs`,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node22",
  minify: true,
  legalComments: "none",
  metafile: true,
  plugins: [lazyDependencies, lazyBuiltinModules, unreachableDependencies, unsnapshottedBuiltins],
  logOverride: { "import-is-undefined": "error" },
  logLevel: "warning"
})
// what `dockhand --node-snapshot` and the bin key a snapshot by: a blob built from other code is never used
const snapshotCode = readFileSync(`${dist}snapshot.cjs`)
writeFileSync(
  `${dist}snapshot.json`,
  `${JSON.stringify({ id: createHash("sha256").update(snapshotCode).digest("hex").slice(0, 16) })}\n`
)
const sizes = Object.entries({ ...result.metafile.outputs, ...snapshot.metafile.outputs }).map(([file, { bytes }]) =>
  `${file.replace(/^.*\/dist\//, "")} ${(bytes / 1024).toFixed(0)} KiB`
)
console.log(`bundled ${sizes.join(", ")}`)
