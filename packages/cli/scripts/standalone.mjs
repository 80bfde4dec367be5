// Builds the standalone `dockhand` executable for linux-x64: the bundle (dist/dockhand.js and its chunks, made by
// scripts/bundle.mjs) compiled by Bun with its bytecode (`bun build --compile --bytecode`), so that it starts without
// parsing or compiling JavaScript. It goes to ../cli-linux-x64/bin/dockhand, the file of the optional platform package
// `@dockhand/cli-linux-x64` (never committed: the test setup and the release build make it). Bun compiles for the
// machine it runs on only: nothing is downloaded, and on another platform this script stops with a message.
//
//   node packages/cli/scripts/standalone.mjs [--outfile=PATH] [--if-supported]
//
// `--if-supported` (the platform package's `npm run build`, so that `npm run build` works on any machine): on another
// platform, say so and stop without failing.
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
import * as path from "node:path"

const cli = new URL("../", import.meta.url).pathname
const bundle = path.join(cli, "dist", "dockhand.js")
const outfile = process.argv.find((a) => a.startsWith("--outfile="))?.slice("--outfile=".length) ??
  path.join(cli, "..", "cli-linux-x64", "bin", "dockhand")

if (process.platform !== "linux" || process.arch !== "x64") {
  console.error(`the standalone executable is built on linux-x64 only, not ${process.platform}-${process.arch}`)
  process.exit(process.argv.includes("--if-supported") ? 0 : 1)
}
if (!existsSync(bundle)) {
  console.error(`${bundle} is missing: run scripts/bundle.mjs first`)
  process.exit(1)
}
// Bun from the repository's devDependencies, else from PATH
const local = path.join(cli, "..", "..", "node_modules", ".bin", "bun")
const bun = existsSync(local) ? local : "bun"
mkdirSync(path.dirname(outfile), { recursive: true })
const result = spawnSync(bun, [
  "build",
  "--compile",
  "--bytecode",
  "--format=esm",
  "--minify",
  "--target=bun-linux-x64",
  bundle,
  "--outfile",
  outfile
], { encoding: "utf8" })
if (result.status !== 0) {
  console.error(`bun build --compile failed:\n${result.stdout}${result.stderr}`)
  process.exit(1)
}
console.log(`built ${path.relative(process.cwd(), outfile)}`)
