/**
 * Pulls an image and shows docker's own progress display while it comes (bars redrawn in place on a terminal,
 * plain lines otherwise): `ProgressDisplay.render` is the one call that does it. Then prints the image's ID.
 *
 * Run it against a registry, e.g. the test stack's one on 127.0.0.1 (`DOCKHAND_REGISTRY_PORT`):
 *   node examples/pull.ts 127.0.0.1:5000/busybox:latest
 *   bun examples/pull.ts 127.0.0.1:5000/busybox:latest
 *   deno run -A examples/pull.ts 127.0.0.1:5000/busybox:latest
 */
import { Images, ProgressDisplay } from "@dockhand/client"
import * as Effect from "effect/Effect"
import { args, main, UsageError } from "./runtime.ts"

const program = Effect.gen(function*() {
  const [reference] = args
  if (reference === undefined) return yield* new UsageError({ message: "usage: pull.ts <image>" })
  const images = yield* Images.Images
  const outcome = yield* ProgressDisplay.render(images.pull(reference), { out: process.stdout })
  const image = yield* images.inspect(reference)
  const status = outcome.pullStatus?.upToDate === true ? "up to date" : "downloaded"
  console.log(`pulled ${reference} (${status}, ${outcome.digest ?? "no digest"}): ${image.Id}`)
})

main(program)
