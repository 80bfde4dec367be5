/**
 * The start-up floor of the stack dockhand is written in: what a program built the way dockhand is (effect's core,
 * the Node platform services, an effect/cli command tree, a Schema decode) costs before it does any work of its
 * own, on Node 24 and on Bun, beside dockhand's own `image inspect` and docker's. Issue 13 asks for `image inspect`,
 * `image history` and `image rm` at ≤ 1.0× docker on Node and ≤ 0.8× on Bun; this bench shows how much of the
 * distance is the runtime, how much effect and effect/cli, and how much is dockhand's.
 *
 * The floor programs (bench/floor/*.ts) are bundled here with the CLI program's own esbuild options
 * (packages/cli/scripts/programOptions.mjs: ESM, minified, effect/cli's start-up work made lazy and its unreachable
 * modules left out), one file each, and run with Node's compile cache on, as dockhand runs:
 *
 * - `-e 0`: the bare runtime;
 * - `core`: effect's core, one effect that writes a line;
 * - `platform`: the same effect given the platform services dockhand's Main provides (file system, path, stdio,
 *   terminal, spawner);
 * - `cli`: `image inspect NAME` through a two-level effect/cli command tree with those services, the handler
 *   decoding a small struct with Schema and printing it.
 *
 * Then `dockhand --version` (the entry alone), `dockhand image inspect` of one image on the engine (its one request
 * included) and `docker image inspect` of the same image. Alternating runs, output through a pipe; medians; then
 * each one's peak RSS (issue 13: `image ls` ≤ 60 MiB on Node, ≤ 40 MiB on Bun).
 *
 *   node bench/start-floor.ts [--rounds=15]
 */
import * as path from "node:path"
import * as Engine from "./lib/engine.ts"
import { bunBin, bundle, cliEnv, dockerBin, header, loadLine, nodeBin, requireFile } from "./lib/env.ts"
import * as Floors from "./lib/floors.ts"
import * as Stats from "./lib/stats.ts"

const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 15)
requireFile(
  bundle,
  "build the CLI first: npx tsc -b packages/cli/tsconfig.json && node packages/cli/scripts/bundle.mjs"
)

console.log(header(`start-floor: ${rounds} alternating runs of each program`))

const { program, scratch, sizes } = await Floors.bundle(["core", "platform", "cli"])
console.log(`floor programs: ${sizes.map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(0)} KiB`).join(", ")}`)

const env = { ...cliEnv(), NODE_COMPILE_CACHE: path.join(scratch, "compile-cache") }

await Engine.warnLeftovers()
await Engine.withFixture(() => Engine.makeManyImages(1, { kind: "floor" }), async (fixture) => {
  const image = fixture.refs[0]!
  const commands: Record<string, ReadonlyArray<string>> = {
    docker: [dockerBin, "image", "inspect", image],
    "node -e 0": [nodeBin, "-e", "0"],
    "node: effect core": [nodeBin, program("core")],
    "node: + platform services": [nodeBin, program("platform")],
    "node: + effect/cli, Schema": [nodeBin, program("cli"), "image", "inspect", image],
    "node: dockhand --version": [nodeBin, bundle, "--version"],
    "node: dockhand image inspect": [nodeBin, bundle, "image", "inspect", image],
    "bun -e 0": [bunBin, "-e", "0"],
    "bun: effect core": [bunBin, program("core")],
    "bun: + platform services": [bunBin, program("platform")],
    "bun: + effect/cli, Schema": [bunBin, program("cli"), "image", "inspect", image],
    "bun: dockhand --version": [bunBin, bundle, "--version"],
    "bun: dockhand image inspect": [bunBin, bundle, "image", "inspect", image]
  }
  const times = await Stats.interleave(
    Object.fromEntries(
      Object.entries(commands).map(([name, argv]) => [name, () => Stats.execOk(argv, { env })])
    ),
    { rounds, warmup: 2, progress: true }
  )
  console.log(`\n${Stats.report(times, "docker")}`)

  // peak RSS: a few runs each, after the timed ones (the RSS probe adds a process)
  const rss: Record<string, Array<number>> = {}
  for (let i = 0; i < Math.min(rounds, 5); i++) {
    for (const [name, argv] of Object.entries(commands)) {
      const result = await Stats.execOk(argv, { env, rss: true })
      if (result.maxRss !== undefined) (rss[name] ??= []).push(result.maxRss / 2 ** 20)
    }
  }
  console.log(
    `\npeak RSS (median of ${Math.min(rounds, 5)}):\n${
      Object.entries(rss).map(([name, mib]) => `${name.padEnd(30)} ${Stats.median(mib).toFixed(1)} MiB`).join("\n")
    }`
  )

  const ms = (name: string) => Stats.median(times[name]!)
  const docker = ms("docker")
  for (const runtime of ["node", "bun"] as const) {
    const target = runtime === "node" ? 1.0 : 0.8
    const bare = ms(`${runtime} -e 0`)
    const floor = ms(`${runtime}: + effect/cli, Schema`)
    const inspect = ms(`${runtime}: dockhand image inspect`)
    console.log(
      `\n${runtime}: target for image inspect ${Stats.fmtMs(docker * target)} (${target}× docker's ${
        Stats.fmtMs(docker)
      }); the bare runtime ${Stats.fmtMs(bare)}, ` +
        `effect core +${Stats.fmtMs(ms(`${runtime}: effect core`) - bare)}, platform services +${
          Stats.fmtMs(ms(`${runtime}: + platform services`) - ms(`${runtime}: effect core`))
        }, effect/cli and Schema +${Stats.fmtMs(floor - ms(`${runtime}: + platform services`))}: ` +
        `the stack's floor ${Stats.fmtMs(floor)} (${(floor / docker).toFixed(2)}× docker); ` +
        `dockhand image inspect ${Stats.fmtMs(inspect)}, ${Stats.fmtMs(inspect - floor)} above the floor`
    )
  }
})
console.log(loadLine())
