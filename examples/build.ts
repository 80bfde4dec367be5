/**
 * Builds an image from a directory (its files sent as the tar context, with the Dockerfile at its root) with the
 * builder the engine prefers (BuildKit when the engine's ping says `Builder-Version: 2`, the classic builder
 * otherwise), tags it with every name given, and prints the image ID.
 *
 * Run it:
 *   node examples/build.ts ./my-app my-app:1.0 my-app:latest
 *   bun examples/build.ts ./my-app my-app:1.0
 *   deno run -A examples/build.ts ./my-app my-app:1.0
 */
import { Images, SystemApi } from "@dockhand/client"
import * as Effect from "effect/Effect"
import { Tar } from "effect/encoding"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as path from "node:path"
import { args, FileError, main, UsageError } from "./runtime.ts"

/** The directory's files and folders as tar entries, paths relative to it. */
const contextEntries = (root: string): Array<Tar.Entry> =>
  fs.readdirSync(root, { recursive: true, encoding: "utf8" }).sort().map((name) => {
    const full = path.join(root, name)
    const stat = fs.statSync(full)
    const entryPath = name.split(path.sep).join("/")
    return stat.isDirectory()
      ? Tar.directory(entryPath)
      : Tar.file(entryPath, fs.readFileSync(full), { mode: stat.mode & 0o777 })
  })

const program = Effect.gen(function*() {
  const [dir, tag, ...more] = args
  if (dir === undefined || tag === undefined) {
    return yield* new UsageError({ message: "usage: build.ts <context-dir> <name:tag> [more names…]" })
  }
  const entries = yield* Effect.try({
    try: () => contextEntries(dir),
    catch: (cause) => new FileError({ message: `${dir}: ${String(cause)}` })
  })
  const context = Stream.fromIterable(entries).pipe(Stream.pipeThroughChannel(Tar.encode()), Stream.orDie)
  const ping = yield* (yield* SystemApi.SystemApi).ping
  const version = ping.builderVersion === "2" ? "2" : "1"
  const images = yield* Images.Images
  const outcome = yield* images.build(context, { version, tags: [tag] }).outcome
  for (const name of more) yield* images.tag(tag, name)
  console.log(`built ${[tag, ...more].join(", ")} with ${version === "2" ? "BuildKit" : "the classic builder"}`)
  console.log(outcome.imageId ?? (yield* images.inspect(tag)).Id)
})

main(program)
