// Writes every TypeScript example the packages show to a user into a directory, one file each, for the release
// check to type-check them in a fresh project against the published packages: the ```ts blocks of each package's
// README.md and of the packages' doc comments (`@example` tags and descriptions alike, as @effect/docgen takes them).
// Usage: node scripts/extract-examples.mjs OUT_DIR  (prints how many it wrote)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../", import.meta.url))
const out = process.argv[2]
if (out === undefined) throw new Error("usage: node scripts/extract-examples.mjs OUT_DIR")
mkdirSync(out, { recursive: true })

const blocks = (text) => [...text.matchAll(/```ts\n([^]*?)```/g)].map((m) => m[1])
const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )

let count = 0
const write = (origin, code) => {
  const name = `${String(++count).padStart(3, "0")}-${relative(root, origin).replace(/[^A-Za-z0-9]+/g, "-")}.ts`
  // Each example is a module of its own, so that two examples may declare the same names.
  writeFileSync(join(out, name), `// from ${relative(root, origin)}\n${code}\nexport {}\n`)
}
for (const pkg of ["models", "codecs", "client", "cli"]) {
  const readme = join(root, "packages", pkg, "README.md")
  for (const code of blocks(readFileSync(readme, "utf8"))) write(readme, code)
  for (const file of sources(join(root, "packages", pkg, "src"))) {
    for (const comment of readFileSync(file, "utf8").matchAll(/\/\*\*([^]*?)\*\//g)) {
      for (const code of blocks(comment[1].replace(/^\s*\* ?/gm, ""))) write(file, code)
    }
  }
}
console.log(count)
