/**
 * The main job until the CLI exists: against the private engine that scripts/engines/start.sh started, import a
 * small sample image (Debian's static busybox in a tar), then print the image list as decoded by
 * @dockhand/models through @dockhand/client, and the sample's history. Run by `npm run demo`.
 */
import { DockerHost, Images } from "@dockhand/client"
import * as Docker from "@dockhand/client/node"
import { WireJson } from "@dockhand/codecs"
import { Image } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Tar from "effect/encoding/Tar"
import * as Stream from "effect/Stream"
import { readFileSync } from "node:fs"

const socket = process.env.DOCKHAND_DOCKER_SOCK
if (!socket) throw new Error("DOCKHAND_DOCKER_SOCK is not set: start the engines with scripts/engines/start.sh")

const program = Effect.gen(function*() {
  const images = yield* Images.Images
  const tag = `dockhand/demo:${Date.now()}`
  const rootfs = Stream.make(Tar.file("bin/busybox", readFileSync("/bin/busybox"), { mode: 0o755 })).pipe(
    Stream.pipeThroughChannel(Tar.encode()),
    Stream.orDie
  )
  const imported = yield* images.import({ _tag: "Stream", stream: rootfs }, {
    reference: tag,
    changes: [`CMD ["/bin/busybox","echo","hello from dockhand"]`, "LABEL org.example.demo=1"],
    message: "made by npm run demo"
  }).outcome
  console.log(`imported ${tag} as ${imported.imageId}`)

  const list = yield* images.list()
  console.log(`\n${list.length} image(s), decoded as Image.Summary:`)
  for (const image of list) {
    const tags = (image.RepoTags ?? []).filter((t) => t !== "<none>:<none>")
    console.log(
      `  ${image.Id.slice(7, 19)}  ${tags.join(", ") || "<untagged>"}  ${image.Size} bytes  labels=${
        JSON.stringify(image.Labels)
      }`
    )
  }
  const mine = list.find((image) => image.RepoTags?.includes(tag))
  if (mine) console.log(`\n${tag} encoded back to the wire:\n${yield* WireJson.encode(Image.Summary)(mine)}`)
  for (const layer of yield* images.history(tag)) {
    console.log(`history: ${layer.Id.slice(0, 19)} ${layer.Comment} ${layer.Size} bytes`)
  }
})

Effect.runPromise(
  program.pipe(Effect.provide(Docker.layerFromOptions({ endpoint: new DockerHost.Unix({ path: socket }) })))
).catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
