/**
 * Copies images from one engine to another without a registry or a file: the source engine's `save` stream is
 * piped straight into the target engine's `load`. The source is the engine the docker CLI would use
 * (`DOCKER_HOST`, …); the target is `--to <host>` (or `DOCKHAND_TARGET_HOST`), e.g. `unix:///run/podman.sock`.
 * Prints each image's ID on the target.
 *
 * Run it:
 *   DOCKER_HOST=unix:///var/run/docker.sock node examples/copy.ts --to unix:///run/podman/podman.sock busybox
 *   bun examples/copy.ts --to tcp://127.0.0.1:2375 busybox:latest
 *   deno run -A examples/copy.ts --to unix:///tmp/other.sock busybox:latest
 */
import { Images } from "@dockhand/client"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { args, Docker, main, UsageError } from "./runtime.ts"

const program = Effect.gen(function*() {
  const to = args[0] === "--to" ? args[1] : process.env["DOCKHAND_TARGET_HOST"]
  const names = args[0] === "--to" ? args.slice(2) : args
  if (to === undefined || to === "" || names.length === 0) {
    return yield* new UsageError({ message: "usage: copy.ts --to <target-host> <image>…" })
  }
  const source = yield* Images.Images
  // the target engine's services, built here (and closed with the scope) beside the source's ones
  const target = Context.get(yield* Layer.build(Docker.layerWith({ host: to })), Images.Images)
  // the save stream runs in a fiber of its own, in the source engine's context, feeding the target's load
  const tar = yield* Stream.toQueue(source.save(names), { capacity: 16 })
  yield* target.load(Stream.fromQueue(tar)).outcome
  for (const name of names) console.log(`${name}\t${(yield* target.inspect(name)).Id}`)
}).pipe(Effect.scoped)

main(program)
