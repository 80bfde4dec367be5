/**
 * Saves images to a tar file as `docker save -o` does (streamed to disk chunk by chunk, nothing buffered), then
 * loads that file back as `docker load -i` does and prints what the engine loaded.
 *
 * Run it:
 *   node examples/save-load.ts /tmp/images.tar busybox:latest [more images…]
 *   bun examples/save-load.ts /tmp/images.tar busybox:latest
 *   deno run -A examples/save-load.ts /tmp/images.tar busybox:latest
 */
import { Images } from "@dockhand/client"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import { args, FileError, main, UsageError } from "./runtime.ts"

const fileError = (path: string) => (cause: unknown) => new FileError({ message: `${path}: ${String(cause)}` })

const program = Effect.gen(function*() {
  const [file, ...names] = args
  if (file === undefined || names.length === 0) {
    return yield* new UsageError({ message: "usage: save-load.ts <file.tar> <image>…" })
  }
  const images = yield* Images.Images

  // save: the tar stream written to the file as it comes
  const fd = yield* Effect.acquireRelease(
    Effect.try({ try: () => fs.openSync(file, "w"), catch: fileError(file) }),
    (fd) => Effect.sync(() => fs.closeSync(fd))
  )
  yield* images.save(names).pipe(
    Stream.runForEach((chunk) => Effect.try({ try: () => void fs.writeSync(fd, chunk), catch: fileError(file) }))
  )
  console.log(`saved ${names.join(", ")} to ${file} (${fs.statSync(file).size} bytes)`)

  // load: the file back into the engine
  const bytes = yield* Effect.try({ try: () => fs.readFileSync(file), catch: fileError(file) })
  const outcome = yield* images.load(Stream.make(new Uint8Array(bytes))).outcome
  for (const loaded of outcome.loaded) console.log(`Loaded image: ${loaded}`)
}).pipe(Effect.scoped)

main(program)
