// Formats the repository's TypeScript and JavaScript sources with dprint's TypeScript plugin, run as WebAssembly from
// npm (`@dprint/formatter` + `@dprint/typescript`: no platform binary to download), with the settings in dprint.json
// (Effect's style). `--check` writes nothing, lists the files that differ, and the lines of packages' sources
// (`packages/*/src`) longer than the line width, which the formatter cannot break (strings, comments), and exits 1
// if there are any. Tests may hold longer lines: recorded output is compared as docker printed it.
import { createFromBuffer } from "@dprint/formatter"
import { execFileSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"

const root = new URL("../", import.meta.url)
const require = createRequire(import.meta.url)
const { lineWidth, indentWidth, typescript } = JSON.parse(readFileSync(new URL("dprint.json", root), "utf8"))
const formatter = createFromBuffer(readFileSync(require("@dprint/typescript").getPath()))
formatter.setConfig({ lineWidth, indentWidth }, typescript)

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", "*.ts", "*.mjs"], {
  cwd: root,
  encoding: "utf8"
}).split("\n").filter((file) => file !== "" && !file.includes("node_modules/") && !file.includes("/dist/"))

const check = process.argv.includes("--check")
const differ = []
const long = []
for (const file of files) {
  const path = new URL(file, root)
  const text = readFileSync(path, "utf8")
  const formatted = formatter.formatText({ filePath: file, fileText: text })
  if (/^packages\/[^/]+\/src\//.test(file)) {
    formatted.split("\n").forEach((line, i) => {
      if (line.length > lineWidth) long.push(`${file}:${i + 1} (${line.length} columns)`)
    })
  }
  if (formatted === text) continue
  differ.push(file)
  if (!check) writeFileSync(path, formatted)
}
if (check && differ.length > 0) {
  console.error(`not formatted (run npm run format):\n${differ.map((file) => `  ${file}`).join("\n")}`)
}
if (check && long.length > 0) {
  console.error(`lines longer than ${lineWidth} columns (break them by hand):\n${long.map((l) => `  ${l}`).join("\n")}`)
}
if (check && (differ.length > 0 || long.length > 0)) process.exit(1)
console.log(`${files.length} files ${check ? "checked" : `formatted (${differ.length} changed)`}`)
