/**
 * `GET /images/json` with ~2,000 images: @dockhand/client (`Images.list`, decoded into `Image.Summary` values) vs
 * plain `node:http` on the unix socket + `JSON.parse` (the baseline) vs dockerode's `listImages`. Interleaved
 * rounds in one process; prints `client/raw` (target ≤ 1.10) and `dockerode/raw`, then where the client's extra
 * time goes (parse vs schema decode, measured on the same bytes).
 *
 *   node bench/list-images.ts [--images=2000] [--rounds=21]
 */
import { DockerEngine, DockerHost, Images } from "@dockhand/client"
import * as Docker from "@dockhand/client/node"
import * as WireJson from "@dockhand/codecs/WireJson"
import { Image } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as http from "node:http"
import * as Engine from "./lib/engine.ts"
import { header, loadDockerode } from "./lib/env.ts"
import * as Stats from "./lib/stats.ts"

const count = Stats.intOption("images", "DOCKHAND_BENCH_IMAGES", 2000)
const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 31)

console.log(header(`list-images: ${count} images, ${rounds} interleaved rounds`))
await Engine.warnLeftovers()

await Engine.withFixture(() => Engine.makeManyImages(count, { kind: "list" }), async (fixture) => {
  console.log(
    `fixture: ${count} distinct images (one shared layer) made with one docker load in ${
      (fixture.setupMs / 1000).toFixed(1)
    } s`
  )
  const socket = Engine.socketPath()

  // @dockhand/client: one runtime for the whole run, as an application would hold it.
  const runtime = ManagedRuntime.make(Docker.layerFromOptions({ endpoint: new DockerHost.Unix({ path: socket }) }))
  const list = Effect.gen(function*() {
    return yield* (yield* Images.Images).list()
  })
  // The same request through the client's engine and transport, body read as bytes and not decoded: separates the
  // transport's share of the overhead from the decoder's.
  const listBytes = Effect.gen(function*() {
    const engine = yield* DockerEngine.DockerEngine
    const response = yield* engine.execute({ operation: "ImageList" }, HttpClientRequest.get("/images/json"))
    return yield* response.arrayBuffer
  })

  // The baseline: what any Node program would write by hand (keep-alive agent, like the client's).
  const agent = new http.Agent({ keepAlive: true })
  const rawBytes = (): Promise<Buffer> => Engine.rawGet("/images/json", { socket, agent })
  const raw = async () => JSON.parse((await rawBytes()).toString("utf8")) as Array<unknown>

  const Dockerode = await loadDockerode()
  const dockerode = Dockerode && new Dockerode({ socketPath: socket, version: "v1.41" })

  const sizes: Record<string, number> = {
    client: (await runtime.runPromise(list)).length,
    raw: (await raw()).length,
    ...(dockerode ? { dockerode: (await dockerode.listImages()).length } : {})
  }
  console.log(`each lists ${JSON.stringify(sizes)} images`)
  if (Object.values(sizes).some((n) => n < count)) throw new Error("a contender missed images")

  const times = await Stats.interleave({
    raw,
    client: () => runtime.runPromise(list),
    "client transport, bytes only": () => runtime.runPromise(listBytes),
    ...(dockerode ? { dockerode: () => dockerode.listImages() } : {})
  }, { rounds, warmup: 3, progress: true })
  console.log(Stats.report(times, "raw"))

  // Where the client's time goes, without the daemon: the same bytes parsed, and decoded through WireJson.
  const bytes = await rawBytes()
  console.log(`response body: ${(bytes.length / 1024).toFixed(0)} KiB`)
  const schema = Schema.Array(Image.Summary)
  const decodeReused = WireJson.decodeResult(schema)
  const mustSucceed = <A, E>(r: Result.Result<A, E>) => {
    if (Result.isFailure(r)) throw new Error(String(r.failure))
    return r.success
  }
  const offline = await Stats.interleave({
    "JSON.parse": async () => JSON.parse(bytes.toString("utf8")),
    "WireJson.decode (as Images.list calls it)": async () =>
      Effect.runSync(WireJson.decode(Schema.Array(Image.Summary))(bytes)),
    "WireJson.decodeResult, compiled once": async () => mustSucceed(decodeReused(bytes))
  }, { rounds: rounds * 5, warmup: 10 })
  console.log("\nno daemon, the same body each time:")
  console.log(Stats.report(offline, "JSON.parse"))

  const clientRaw = Stats.pairedRatio(times["client"]!, times["raw"]!)
  console.log("")
  console.log(Stats.verdict("client/raw", clientRaw, 1.1))
  if (times["dockerode"]) {
    console.log(`dockerode/raw = ${Stats.pairedRatio(times["dockerode"], times["raw"]!).toFixed(3)}`)
  }
  console.log(
    `client − raw = ${
      Stats.fmtMs(Stats.median(times["client"]!.map((c, i) => c - times["raw"]![i]!)))
    } per call (median)`
  )

  await runtime.dispose()
  agent.destroy()
})
