// Generates the TypeScript of BuildKit's progress and session messages (packages/codecs/src/internal/{buildkit,fsutil,
// grpc}/*_pb.ts) from the .proto subset in packages/codecs/proto (see the header of each file for the BuildKit tag and source path), with
// the pinned `@bufbuild/buf` and `@bufbuild/protoc-gen-es` of the root package, then formats the output as the rest
// of the sources (dprint, dprint.json). Run with `npm run gen:proto` after changing a .proto file; commit the result.
import { createFromBuffer } from "@dprint/formatter"
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { delimiter, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../", import.meta.url))
const protoDir = join(root, "packages/codecs/proto")
const outDirs = ["buildkit", "fsutil", "grpc"].map((dir) => `packages/codecs/src/internal/${dir}`)
const bin = join(root, "node_modules/.bin")

execFileSync(join(bin, "buf"), ["generate"], {
  cwd: protoDir,
  stdio: "inherit",
  env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` }
})

const require = createRequire(import.meta.url)
const { lineWidth, indentWidth, typescript } = JSON.parse(readFileSync(join(root, "dprint.json"), "utf8"))
const formatter = createFromBuffer(readFileSync(require("@dprint/typescript").getPath()))
formatter.setConfig({ lineWidth, indentWidth }, typescript)
const generated = outDirs.flatMap((dir) =>
  readdirSync(join(root, dir)).filter((name) => name.endsWith("_pb.ts")).map((name) => `${dir}/${name}`)
)
for (const file of generated) {
  const path = join(root, file)
  writeFileSync(path, formatter.formatText({ filePath: path, fileText: readFileSync(path, "utf8") }))
}
console.log(`generated ${generated.join(", ")}`)
