/**
 * Prints the platforms of an image: for a multi-platform image in an engine with the containerd image store
 * (API 1.48+), one line per manifest of its index (platform, manifest digest, whether its content is present,
 * attestations marked); otherwise (Engine before 28, or the classic store) the image's single platform.
 *
 * Run it:
 *   node examples/platforms.ts busybox:latest
 *   bun examples/platforms.ts busybox:latest
 *   deno run -A examples/platforms.ts busybox:latest
 */
import { Images } from "@dockhand/client"
import * as Effect from "effect/Effect"
import { args, main, UsageError } from "./runtime.ts"

const platform = (p: { readonly os: string; readonly architecture: string; readonly variant?: string | undefined }) =>
  [p.os, p.architecture, p.variant].filter((part) => part !== undefined && part !== "").join("/")

const program = Effect.gen(function*() {
  const [reference] = args
  if (reference === undefined) return yield* new UsageError({ message: "usage: platforms.ts <image>" })
  const images = yield* Images.Images
  // `manifests` needs API 1.48: an older engine refuses it before any request, so ask again without it
  const image = yield* images.inspect(reference, { manifests: true }).pipe(
    Effect.catchReason("DockerError", "ApiVersionError", () => images.inspect(reference))
  )
  if (image.Manifests === undefined || image.Manifests.length === 0) {
    console.log(`${platform({ os: image.Os, architecture: image.Architecture, variant: image.Variant })}\t${image.Id}`)
    return
  }
  for (const manifest of image.Manifests) {
    const data = manifest.ImageData
    const name = manifest.Kind === "image" && data !== undefined ? platform(data.Platform) : `(${manifest.Kind})`
    console.log(`${name}\t${manifest.ID}\t${manifest.Available ? "available" : "not available"}`)
  }
})

main(program)
