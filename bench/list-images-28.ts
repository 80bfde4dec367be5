/**
 * `GET /images/json?manifests=1` with ~2,000 images on Docker Engine 28.5 (API 1.51, containerd image store):
 * @dockhand/client (`Images.list({ manifests: true })`, decoded into `Image.Summary` values with their
 * `Manifests`) vs plain `node:http` on the unix socket + `JSON.parse` (the baseline). Interleaved rounds in one
 * process; prints `client/raw` (target ≤ 1.10), then where the client's extra time goes (parse vs schema decode,
 * measured on the same bytes).
 *
 *   node bench/list-images-28.ts [--images=2000] [--rounds=31]    (env.sh sourced: DOCKHAND_DOCKER28_SOCK)
 */
import { DockerEngine, DockerHost, Images } from "@dockhand/client"
import * as Docker from "@dockhand/client/node"
import * as WireJson from "@dockhand/codecs/WireJson"
import { Image } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Schema from "effect/Schema"
import * as http from "node:http"
import * as Engine from "./lib/engine.ts"
import { header } from "./lib/env.ts"
import * as Stats from "./lib/stats.ts"

const socket28 = process.env["DOCKHAND_DOCKER28_SOCK"]
if (!socket28) {
  throw new Error("DOCKHAND_DOCKER28_SOCK is not set: run `bash scripts/engines/start.sh` and source its env.sh")
}
// The bench library (fixtures, clean-up, header) talks to the engine named by DOCKHAND_DOCKER_SOCK: Engine 28.5 here.
process.env["DOCKHAND_DOCKER_SOCK"] = socket28

const count = Stats.intOption("images", "DOCKHAND_BENCH_IMAGES", 2000)
const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 31)
/** Engine 28.5's API version: `manifests` needs 1.47 or later. */
const API = "/v1.51"

console.log(header(`list-images-28: ${count} images with manifests=1 on Engine 28.5, ${rounds} interleaved rounds`))
await Engine.warnLeftovers()

await Engine.withFixture(() => Engine.makeManyImages(count, { kind: "list28" }), async (fixture) => {
  console.log(
    `fixture: ${count} distinct images (one shared layer) made with one docker load in ${
      (fixture.setupMs / 1000).toFixed(1)
    } s`
  )

  // @dockhand/client: one runtime for the whole run, as an application would hold it (API negotiated: 1.51).
  const runtime = ManagedRuntime.make(Docker.layerFromOptions({ endpoint: new DockerHost.Unix({ path: socket28 }) }))
  const list = Effect.gen(function*() {
    return yield* (yield* Images.Images).list({ manifests: true })
  })
  // The same request through the client's engine and transport, body read as bytes and not decoded.
  const listBytes = Effect.gen(function*() {
    const engine = yield* DockerEngine.DockerEngine
    const request = HttpClientRequest.get("/images/json").pipe(HttpClientRequest.setUrlParam("manifests", "1"))
    const response = yield* engine.execute({ operation: "ImageList" }, request)
    return yield* response.arrayBuffer
  })

  // The baseline: what any Node program would write by hand (keep-alive agent, like the client's).
  const agent = new http.Agent({ keepAlive: true })
  const rawBytes = (): Promise<Buffer> =>
    Engine.rawGet("/images/json?manifests=1", { socket: socket28, agent, api: API })
  const raw = async () => JSON.parse((await rawBytes()).toString("utf8")) as Array<{ Manifests?: Array<unknown> }>

  const first = await runtime.runPromise(list)
  const firstRaw = await raw()
  console.log(`each lists ${JSON.stringify({ client: first.length, raw: firstRaw.length })} images`)
  if (first.length < count || firstRaw.length < count) throw new Error("a contender missed images")
  if (first.some((image) => image.Manifests === undefined) || firstRaw.some((image) => image.Manifests === undefined)) {
    throw new Error("an image came without Manifests: is this the containerd image store at API 1.47 or later?")
  }

  const times = await Stats.interleave({
    raw,
    client: () => runtime.runPromise(list),
    "client transport, bytes only": () => runtime.runPromise(listBytes)
  }, { rounds, warmup: 3, progress: true })
  console.log(Stats.report(times, "raw"))

  // Where the client's time goes, without the daemon: the same bytes parsed, and decoded through WireJson.
  const bytes = await rawBytes()
  console.log(`response body: ${(bytes.length / 1024).toFixed(0)} KiB`)
  const schema = Schema.Array(Image.Summary)
  const offline = await Stats.interleave({
    "JSON.parse": async () => JSON.parse(bytes.toString("utf8")),
    "WireJson.decode (as Images.list calls it)": async () => Effect.runSync(WireJson.decode(schema)(bytes))
  }, { rounds: rounds * 5, warmup: 10 })
  console.log("\nno daemon, the same body each time:")
  console.log(Stats.report(offline, "JSON.parse"))

  const clientRaw = Stats.pairedRatio(times["client"]!, times["raw"]!)
  console.log("")
  console.log(Stats.verdict("client/raw (manifests=1, Engine 28.5)", clientRaw, 1.1))
  console.log(
    `client − raw = ${
      Stats.fmtMs(Stats.median(times["client"]!.map((c, i) => c - times["raw"]![i]!)))
    } per call (median)`
  )

  await runtime.dispose()
  agent.destroy()
})
