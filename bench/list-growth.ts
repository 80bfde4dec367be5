/**
 * Issue 13's growth figure: what listing costs when the engine holds 20,000 images instead of 2,000.
 *
 * - `image ls` of the bundle on Node 24 and on Bun vs `docker image ls` (alternating runs, output through a pipe),
 *   first with `--growth-base` images, then with `--growth-images` (the rest loaded in one more `docker load`): the ratio to
 *   docker must keep, i.e. the ratio at 20,000 ≤ 1.10× the ratio at 2,000 (target MET / MISSED);
 * - the library's list at 20,000 images: `Images.list` (decoded into `Image.Summary` values) vs `node:http` on the
 *   socket + `JSON.parse`, interleaved in this process: `client/raw` ≤ 1.10;
 * - the library's peak memory for one list at 20,000 images, in a fresh Node process per contender: how far the
 *   list raised the process's peak RSS (VmHWM, reset just before the list) over the RSS before it, as a multiple of
 *   the JSON body's size: ≤ 3× for the client (the raw `JSON.parse` figure is printed as the floor).
 *
 * Making 20,000 images is one `docker load` of configs sharing one tiny layer, and removing them one DELETE each,
 * also on failure or Ctrl-C: on Engine 20.10 (overlay2) on a shared 2-core machine the 18,000-image load took 12
 * minutes and the removal about as long. An interrupted removal leaves images for `node bench/cleanup.ts`.
 *
 *   node bench/list-growth.ts [--growth-images=20000] [--growth-base=2000] [--rounds=9]
 *   node bench/list-growth.ts --peak=client|raw   (internal: one list in this process, prints its peak growth)
 */
import { DockerHost, Images } from "@dockhand/client"
import * as Docker from "@dockhand/client/node"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { execFileSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import * as http from "node:http"
import * as Engine from "./lib/engine.ts"
import { bunBin, bundle, cliEnv, dockerBin, header, loadLine, nodeBin, requireFile } from "./lib/env.ts"
import * as Stats from "./lib/stats.ts"

const socket = Engine.socketPath()

/** The baseline: what any Node program would write by hand. */
const rawBytes = (agent?: http.Agent): Promise<Buffer> => Engine.rawGet("/images/json", { socket, agent })

/** The process's RSS and peak RSS in bytes (Linux). */
const memory = (): { readonly rss: number; readonly hwm: number } => {
  const status = readFileSync("/proc/self/status", "utf8")
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) * 1024
  return { rss: kib("VmRSS"), hwm: kib("VmHWM") }
}

const peakMode = process.argv.find((a) => a.startsWith("--peak="))?.slice("--peak=".length)
if (peakMode !== undefined) {
  // One list in a fresh process: everything loaded and one small request made first, then the peak reset.
  const runtime = ManagedRuntime.make(Docker.layerFromOptions({ endpoint: new DockerHost.Unix({ path: socket }) }))
  const list = Effect.gen(function*() {
    return yield* (yield* Images.Images).list({ filters: { reference: ["no-such-image-dockhand-bench"] } })
  })
  await runtime.runPromise(list)
  await rawBytes()
  globalThis.gc?.()
  writeFileSync("/proc/self/clear_refs", "5") // resets VmHWM to the current RSS
  const before = memory().rss
  let count: number
  let body = 0
  if (peakMode === "raw") {
    const bytes = await rawBytes()
    body = bytes.length
    count = (JSON.parse(bytes.toString("utf8")) as Array<unknown>).length
  } else {
    count = (await runtime.runPromise(
      Effect.gen(function*() {
        return yield* (yield* Images.Images).list()
      })
    )).length
  }
  const after = memory()
  console.log(JSON.stringify({ count, body, before, peak: after.hwm, growth: after.hwm - before }))
  await runtime.dispose()
  process.exit(0)
}

const count = Stats.intOption("growth-images", "DOCKHAND_BENCH_GROWTH_IMAGES", 20000)
const base = Stats.intOption("growth-base", "DOCKHAND_BENCH_GROWTH_BASE", 2000)
const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 9)
if (base >= count) throw new Error(`--growth-base=${base} must be below --growth-images=${count}`)
requireFile(
  bundle,
  "build the CLI first: npx tsc -b packages/cli/tsconfig.json && node packages/cli/scripts/bundle.mjs"
)

console.log(header(`list-growth: image ls and Images.list at ${base} and ${count} images, ${rounds} rounds`))
await Engine.warnLeftovers()
const env = cliEnv()
const contenders: Record<string, ReadonlyArray<string>> = {
  docker: [dockerBin, "image", "ls"],
  "dockhand(node24)": [nodeBin, bundle, "image", "ls"],
  "dockhand(bun)": [bunBin, bundle, "image", "ls"]
}

/** Alternating `image ls` runs; each must print at least `atLeast` rows. Gives each one's ratio to docker. */
const lsRatios = async (atLeast: number): Promise<Record<string, number>> => {
  const lines: Record<string, number> = {}
  const times = await Stats.interleave(
    Object.fromEntries(
      Object.entries(contenders).map(([name, argv]) => [name, async () => {
        lines[name] = (await Stats.execOk(argv, { env })).stdoutLines
      }])
    ),
    { rounds, warmup: 1, progress: true }
  )
  const short = Object.entries(lines).filter(([, n]) => n < atLeast + 1)
  if (short.length > 0) throw new Error(`a command printed fewer rows than the fixture has: ${JSON.stringify(lines)}`)
  console.log(Stats.report(times, "docker"))
  return Object.fromEntries(
    Object.keys(contenders).filter((n) => n !== "docker").map((
      n
    ) => [n, Stats.pairedRatio(times[n]!, times["docker"]!)])
  )
}

await Engine.withFixture(() => Engine.makeManyImages(base, { kind: "growth-a" }), async (first) => {
  console.log(`fixture: ${base} images made with one docker load in ${(first.setupMs / 1000).toFixed(1)} s`)
  console.log(`\nimage ls at ${base} images, output through a pipe (${loadLine()}):`)
  const atBase = await lsRatios(base)
  await Engine.withFixture(() => Engine.makeManyImages(count - base, { kind: "growth-b" }), async (rest) => {
    console.log(`\nfixture: ${count - base} more images in one docker load in ${(rest.setupMs / 1000).toFixed(1)} s`)
    const verdicts: Array<string> = []
    console.log(`\nimage ls at ${count} images, output through a pipe (${loadLine()}):`)
    const atCount = await lsRatios(count)
    for (const name of Object.keys(atBase)) {
      console.log(`${name}/docker: ${atBase[name]!.toFixed(3)} at ${base}, ${atCount[name]!.toFixed(3)} at ${count}`)
      verdicts.push(
        Stats.verdict(`image ls ratio growth ${base} → ${count}: ${name}`, atCount[name]! / atBase[name]!, 1.1)
      )
    }

    // the library, in this process
    const runtime = ManagedRuntime.make(Docker.layerFromOptions({ endpoint: new DockerHost.Unix({ path: socket }) }))
    const agent = new http.Agent({ keepAlive: true })
    const list = Effect.gen(function*() {
      return yield* (yield* Images.Images).list()
    })
    const raw = async () => JSON.parse((await rawBytes(agent)).toString("utf8")) as Array<unknown>
    console.log(`\nImages.list vs node:http + JSON.parse at ${count} images (${loadLine()}):`)
    const times = await Stats.interleave({ raw, client: () => runtime.runPromise(list) }, {
      rounds,
      warmup: 2,
      progress: true
    })
    console.log(Stats.report(times, "raw"))
    verdicts.push(
      Stats.verdict(
        `Images.list at ${count} images: client/raw`,
        Stats.pairedRatio(times["client"]!, times["raw"]!),
        1.1
      )
    )
    await runtime.dispose()
    agent.destroy()

    // peak memory of one list, each in a fresh process, nine times each, alternating: one list's growth moves with
    // when V8 collects (raw `JSON.parse` alone went from 15 to 24 MiB for the same 7.1 MiB body from run to run)
    const samples = 9
    const peaks: Record<string, Array<number>> = { raw: [], client: [] }
    let body = 0
    for (let i = 0; i < samples; i++) {
      for (const mode of ["raw", "client"]) {
        const out = execFileSync(nodeBin, ["--expose-gc", import.meta.filename, `--peak=${mode}`], {
          env,
          encoding: "utf8"
        })
        const figures = JSON.parse(out.trim().split("\n").pop()!) as { growth: number; body: number }
        peaks[mode]!.push(figures.growth)
        if (figures.body > 0) body = figures.body
      }
    }
    const perBody = (mode: string) => Stats.median(peaks[mode]!) / body
    const spread = (mode: string) =>
      `${Stats.fmtMiB(Stats.median(peaks[mode]!))} (p10–p90 ${Stats.fmtMiB(Stats.quantile(peaks[mode]!, 0.1))}–${
        Stats.fmtMiB(Stats.quantile(peaks[mode]!, 0.9))
      }, ${perBody(mode).toFixed(2)}× the body)`
    console.log(
      `\none list at ${count} images: JSON body ${Stats.fmtMiB(body)}; peak RSS growth (median of ${samples}): raw ${
        spread("raw")
      }, client ${spread("client")}`
    )
    verdicts.push(Stats.verdict(`Images.list at ${count} images: peak memory / JSON body`, perBody("client"), 3))
    verdicts.push(
      `Images.list at ${count} images: the floor, raw JSON.parse's peak / JSON body = ${perBody("raw").toFixed(3)}`
    )
    console.log(`\n${verdicts.join("\n")}`)
  })
})
