// Writes each package's version from its package.json into the source line that carries it at run time
// (`export const version = "…"`), so that `dockhand --version` and the client's User-Agent follow changesets.
// `--check` changes nothing and exits 1 when a line is out of date. Run by `npm run version-packages`.
import { readFileSync, writeFileSync } from "node:fs"

const root = new URL("../", import.meta.url)
const targets = [
  ["packages/client/package.json", "packages/client/src/Constants.ts"],
  ["packages/cli/package.json", "packages/cli/src/version.ts"]
]
const check = process.argv.includes("--check")
let stale = 0
for (const [manifest, source] of targets) {
  const { version } = JSON.parse(readFileSync(new URL(manifest, root), "utf8"))
  const text = readFileSync(new URL(source, root), "utf8")
  const line = /^export const version = ".*"$/m
  if (!line.test(text)) throw new Error(`${source}: no 'export const version = "…"' line`)
  const updated = text.replace(line, `export const version = ${JSON.stringify(version)}`)
  if (updated === text) continue
  stale++
  if (check) console.error(`${source}: version is not ${version} (run npm run version-packages)`)
  else writeFileSync(new URL(source, root), updated)
}
process.exit(check && stale > 0 ? 1 : 0)
