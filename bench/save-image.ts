/**
 * `GET /images/get` of a 512 MiB image into a file: @dockhand/client (`Images.save` → file, in this process) vs
 * `docker save -o` (the docker CLI; the baseline) vs dockerode (`getImage().get()` piped to a file) vs plain
 * `node:http` piped to a file. Interleaved rounds; prints each one's time ratio to `docker save -o`. Then each
 * in-process way runs once more alone in a fresh Node process that samples its RSS every 10 ms, for the peak and the
 * growth over the process's RSS just before the save (target for the client: growth < 64 MiB).
 *
 *   node bench/save-image.ts [--mib=512] [--rounds=5]
 */
import { DockerHost, Images } from "@dockhand/client"
import type { DockerError } from "@dockhand/client"
import * as Docker from "@dockhand/client/node"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Stream from "effect/Stream"
import { spawn } from "node:child_process"
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import { pipeline } from "node:stream/promises"
import * as Engine from "./lib/engine.ts"
import { cliEnv, dockerBin, header, loadDockerode, nodeBin } from "./lib/env.ts"
import * as Stats from "./lib/stats.ts"

type Way = "client" | "dockerode" | "raw"

interface Probe {
  readonly baseline: number
  readonly peak: number
  readonly maxRss: number
  readonly ms: number
  readonly cpuMs: number
}

/** The client's byte stream into a file: write each chunk, wait for `drain` when the file's buffer is full. */
const toFile = (file: string, bytes: Stream.Stream<Uint8Array, DockerError.DockerError>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => createWriteStream(file)),
    (out) =>
      Stream.runForEach(bytes, (chunk) =>
        Effect.callback<void>((resume) => {
          if (out.write(chunk)) resume(Effect.void)
          else out.once("drain", () => resume(Effect.void))
        })).pipe(Effect.andThen(Effect.callback<void>((resume) => {
          out.end(() => resume(Effect.void))
        }))),
    (out) => Effect.sync(() => out.destroy())
  )

interface Saver {
  /** Saves `ref` into `file`. */
  readonly save: (ref: string, file: string) => Promise<unknown>
  /** One small request, so that connections, version negotiation and lazily loaded code are in place. */
  readonly warm: () => Promise<unknown>
  readonly dispose: () => Promise<void>
}

/** One in-process way to save an image to a file, built once and then called per run. */
const saver = async (way: Way, socket: string): Promise<Saver | undefined> => {
  switch (way) {
    case "client": {
      const runtime = ManagedRuntime.make(Docker.layerFromOptions({ endpoint: new DockerHost.Unix({ path: socket }) }))
      return {
        save: (ref, file) =>
          runtime.runPromise(Effect.gen(function*() {
            const images = yield* Images.Images
            yield* toFile(file, images.save([ref]))
          })),
        warm: () =>
          runtime.runPromise(Effect.gen(function*() {
            return yield* (yield* Images.Images).list()
          })),
        dispose: () => runtime.dispose()
      }
    }
    case "dockerode": {
      const Dockerode = await loadDockerode()
      if (Dockerode === undefined) return undefined
      const dockerode = new Dockerode({ socketPath: socket, version: "v1.41" })
      return {
        save: async (ref, file) => pipeline(await dockerode.getImage(ref).get(), createWriteStream(file)),
        warm: () => dockerode.listImages(),
        dispose: async () => {}
      }
    }
    case "raw": {
      const agent = new http.Agent({ keepAlive: true })
      return {
        save: (ref, file) =>
          new Promise<void>((resolve, reject) => {
            const query = new URLSearchParams({ names: ref })
            http.get({
              socketPath: socket,
              path: `${Engine.API}/images/get?${query}`,
              agent,
              headers: { host: "docker" }
            }, (res) => {
              if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`))
              pipeline(res, createWriteStream(file)).then(resolve, reject)
            }).on("error", reject)
          }),
        warm: () => Engine.request("GET", "/_ping", { agent }),
        dispose: async () => agent.destroy()
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------- RSS probe
// `--probe=<way> --ref=<ref> --out=<file>`: one save in a fresh process, RSS sampled every 10 ms.
const probeArg = process.argv.find((a) => a.startsWith("--probe="))
if (probeArg !== undefined) {
  const way = probeArg.slice("--probe=".length) as Way
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))!.slice(name.length + 3)
  const one = (await saver(way, Engine.socketPath()))!
  await one.warm()
  const baseline = process.memoryUsage.rss()
  const cpuBefore = process.cpuUsage()
  let peak = baseline
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 10)
  const started = performance.now()
  await one.save(arg("ref"), arg("out"))
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage.rss())
  await one.dispose()
  const maxRss = process.resourceUsage().maxRSS * 1024
  console.log(
    JSON.stringify({
      way,
      baseline,
      peak,
      maxRss,
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      bytes: statSync(arg("out")).size
    })
  )
  process.exit(0)
}

// --------------------------------------------------------------------------------------------------------- main
const mib = Stats.intOption("mib", "DOCKHAND_BENCH_MIB", 512)
const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 5)
const self = new URL(import.meta.url).pathname

console.log(header(`save-image: ${mib} MiB image, ${rounds} interleaved rounds`))
await Engine.warnLeftovers()
const dir = mkdtempSync(path.join(os.tmpdir(), "dockhand-bench-save-"))

try {
  await Engine.withFixture(() => Engine.makeBigImage(mib * 1024 * 1024, { kind: "save" }), async (fixture) => {
    const ref = fixture.refs[0]!
    console.log(
      `fixture: ${ref} (${mib} MiB, one layer) imported from a streamed tar in ${(fixture.setupMs / 1000).toFixed(1)} s`
    )
    const savers: Partial<Record<Way, Saver>> = {}
    for (const way of ["client", "dockerode", "raw"] as const) {
      const one = await saver(way, Engine.socketPath())
      if (one !== undefined) savers[way] = one
    }
    for (const s of Object.values(savers)) await s.warm()
    const out = (name: string) => path.join(dir, `${name}.tar`)
    const sizes: Record<string, number> = {}
    const contender = (name: string, go: (file: string) => Promise<unknown>) => async () => {
      await go(out(name))
      sizes[name] = statSync(out(name)).size
      rmSync(out(name))
    }
    const times = await Stats.interleave({
      "docker save -o": contender(
        "docker",
        (file) => Stats.execOk([dockerBin, "save", "-o", file, ref], { env: cliEnv() })
      ),
      client: contender("client", (file) => savers.client!.save(ref, file)),
      ...(savers.dockerode ? { dockerode: contender("dockerode", (file) => savers.dockerode!.save(ref, file)) } : {}),
      "node:http pipe": contender("raw", (file) => savers.raw!.save(ref, file))
    }, { rounds, warmup: 1, progress: true })
    for (const s of Object.values(savers)) await s.dispose()
    if (new Set(Object.values(sizes)).size !== 1) {
      throw new Error(`the saved archives differ in size: ${JSON.stringify(sizes)}`)
    }
    console.log(`each wrote ${Stats.fmtMiB(Object.values(sizes)[0]!)}`)
    console.log(Stats.report(times, "docker save -o"))

    console.log("\nRSS, one save in a fresh Node process (sampled every 10 ms; kernel maxRSS alongside):")
    const probes: Record<string, Probe> = {}
    for (const way of (Object.keys(savers) as Array<Way>)) {
      const line = await new Promise<string>((resolve, reject) => {
        const child = spawn(nodeBin, [self, `--probe=${way}`, `--ref=${ref}`, `--out=${out(`probe-${way}`)}`], {
          stdio: ["ignore", "pipe", "inherit"]
        })
        let text = ""
        child.stdout.on("data", (c: Buffer) => (text += c.toString()))
        child.on("error", reject)
        child.on(
          "close",
          (code) => (code === 0
            ? resolve(text.trim().split("\n").at(-1)!)
            : reject(new Error(`probe ${way} exited ${code}`)))
        )
      })
      rmSync(out(`probe-${way}`), { force: true })
      const p = JSON.parse(line) as Probe
      probes[way] = p
      console.log(
        `  ${way.padEnd(9)}  before ${Stats.fmtMiB(p.baseline).padStart(9)}  peak ${
          Stats.fmtMiB(p.peak).padStart(9)
        }  growth ${Stats.fmtMiB(p.peak - p.baseline).padStart(9)}  maxRSS ${Stats.fmtMiB(p.maxRss).padStart(9)}  ${
          Stats.fmtMs(p.ms)
        }, CPU ${Stats.fmtMs(p.cpuMs)}`
      )
    }

    console.log("")
    console.log(`client/docker = ${Stats.pairedRatio(times["client"]!, times["docker save -o"]!).toFixed(3)}`)
    if (times["dockerode"]) {
      console.log(`dockerode/docker = ${Stats.pairedRatio(times["dockerode"], times["docker save -o"]!).toFixed(3)}`)
    }
    console.log(
      `node:http/docker = ${Stats.pairedRatio(times["node:http pipe"]!, times["docker save -o"]!).toFixed(3)}`
    )
    console.log(`client/node:http = ${Stats.pairedRatio(times["client"]!, times["node:http pipe"]!).toFixed(3)}`)
    const c = probes["client"]!
    console.log(
      `client peak RSS = ${Stats.fmtMiB(c.peak)}, growth = ${
        Stats.fmtMiB(c.peak - c.baseline)
      }  (target growth < 64 MiB: ${
        c.peak - c.baseline < 64 * 1024 * 1024
          ? "met"
          : `MISSED by ${Stats.fmtMiB(c.peak - c.baseline - 64 * 1024 * 1024)}`
      })`
    )
  })
} finally {
  rmSync(dir, { recursive: true, force: true })
}
