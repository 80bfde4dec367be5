/**
 * Lists images, filtered as `docker image ls --filter` filters: by label (`--label key` or `--label key=value`)
 * and by reference (`--reference 'busybox:*'`), each flag repeatable. Prints one line per image: ID and tags.
 *
 * Run it (the engine is the one the docker CLI would use: `DOCKER_HOST`, `DOCKER_CONTEXT`, …):
 *   node examples/list.ts --label org.example.team=web --reference 'web/*'
 *   bun examples/list.ts --reference busybox
 *   deno run -A examples/list.ts
 */
import { Images } from "@dockhand/client"
import * as Effect from "effect/Effect"
import { args, main, UsageError } from "./runtime.ts"

const program = Effect.gen(function*() {
  const label: Array<string> = []
  const reference: Array<string> = []
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]]
    if (value === undefined || (flag !== "--label" && flag !== "--reference")) {
      return yield* new UsageError({ message: "usage: list.ts [--label key[=value]]… [--reference pattern]…" })
    }
    ;(flag === "--label" ? label : reference).push(value)
  }
  const images = yield* Images.Images
  const list = yield* images.list({ filters: { label, reference } })
  for (const image of list) {
    console.log(`${image.Id}\t${(image.RepoTags ?? []).join(",") || "<none>"}`)
  }
  console.log(`${list.length} image(s)`)
})

main(program)
