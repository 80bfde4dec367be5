/**
 * `dockhand image save -o FILE` and `dockhand image load -i FILE` (the bundled CLI on Node 24 and on Bun, and the
 * standalone executable when built) vs `docker save -o FILE` and `docker load -i FILE` (the baseline) on a 512 MiB
 * image: wall time of alternating runs and each process's peak RSS ("Maximum resident set size" from
 * `/usr/bin/time`, or VmHWM polled from /proc without it). Prints, with issue 13's targets and MET / MISSED, each
 * one's time ratio to docker (target ≤ 1.0) and how much the transfer added to the process's RSS at rest (target
 * ≤ 16 MiB): the peak RSS of the same program loaded and doing nothing (`image save --help`) measured in the same run.
 * Beside it, what the transfer adds above `image inspect REF` (the client and its transport loaded, one request made).
 * The issue also asks for the figure to stay flat from 512 MiB to 2 GiB: run once more with `--mib=2048` and compare.
 * `save -o` runs beside its floor on each runtime (`bench/floor/save-file.mjs`): the bare runtime pinging the engine and
 * writing the archive to the file as it arrives, through `node:http` (`floor-http`) and through a socket read into
 * one reused buffer (`floor-raw`), with what each adds to the same program at rest (the ping alone); `load -i` beside
 * the bare runtime sending the file to `POST /images/load` (`bench/floor/load-file.mjs`): piped into a `node:http`
 * request (`floor-pipe`), or written to a socket from two reused buffers (`floor-load`). On Bun, both also run as
 * Bun hands them to the kernel (`floor-native`): `Bun.write(FILE, response)` and a `fetch` whose body is `Bun.file`.
 *
 *   node bench/cli-save.ts [--mib=512] [--rounds=5]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Engine from "./lib/engine.ts"
import {
  bunBin,
  bundle,
  cliEnv,
  dockerBin,
  header,
  loadLine,
  nodeBin,
  requireFile,
  root,
  standalone
} from "./lib/env.ts"
import * as Stats from "./lib/stats.ts"

const mib = Stats.intOption("mib", "DOCKHAND_BENCH_MIB", 512)
const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 5)
requireFile(
  bundle,
  "build the CLI first: npx tsc -b packages/cli/tsconfig.json && node packages/cli/scripts/bundle.mjs"
)

console.log(header(`cli-save: ${mib} MiB image, ${rounds} alternating runs of each command`))
console.log(
  `peak RSS from ${
    Stats.hasGnuTime
      ? "/usr/bin/time"
      : "VmHWM in /proc/<pid>/status, polled every 5 ms (install `time` for exact figures)"
  }`
)
await Engine.warnLeftovers()
const dir = mkdtempSync(path.join(os.tmpdir(), "dockhand-bench-cli-save-"))

/** How each contender starts `dockhand` (or docker) with `args`. */
const programs: Record<string, (args: ReadonlyArray<string>) => ReadonlyArray<string>> = {
  docker: (args) => [dockerBin, ...args],
  "dockhand(node24)": (args) => [nodeBin, bundle, ...args],
  "dockhand(bun)": (args) => [bunBin, bundle, ...args]
}
if (standalone !== undefined) {
  const executable = standalone
  programs["dockhand(standalone)"] = (args) => [executable, ...args]
}

/** The runtimes the floors run on, by the name their contenders carry: `floor-LABEL(RUNTIME)`. */
const floorRuntimes: Record<string, string> = { node24: nodeBin, bun: bunBin }
const saveFloor = path.join(root, "bench", "floor", "save-file.mjs")
const loadFloor = path.join(root, "bench", "floor", "load-file.mjs")

/**
 * Each floor contender of one command, on each runtime: a label for each of `script`'s modes (a mode named
 * `runtime:mode` runs on that runtime only).
 */
const floorsOf = (
  script: string,
  modes: Record<string, string>,
  args: (mode: string, file: string) => ReadonlyArray<string>
): Record<string, (file: string) => ReadonlyArray<string>> =>
  Object.fromEntries(
    Object.entries(floorRuntimes).flatMap(([runtime, bin]) =>
      Object.entries(modes).flatMap(([label, named]) => {
        const [only, mode] = named.includes(":") ? named.split(":") as [string, string] : [runtime, named]
        return only === runtime
          ? [[`floor-${label}(${runtime})`, (file: string) => [bin, script, ...args(mode, file)]] as const]
          : []
      })
    )
  )

try {
  await Engine.withFixture(() => Engine.makeBigImage(mib * 1024 * 1024, { kind: "cli-save" }), async (fixture) => {
    const ref = fixture.refs[0]!
    console.log(`fixture: ${ref} (${mib} MiB) imported from a streamed tar in ${(fixture.setupMs / 1000).toFixed(1)} s`)
    const env = cliEnv()
    const verdicts: Array<string> = []

    // the program at rest: loaded, doing nothing (`--version` is answered before the program loads)
    const atRest: Record<string, number> = {}
    for (const [name, program] of Object.entries(programs)) {
      if (name === "docker") continue
      const runs: Array<number> = []
      for (let i = 0; i < 5; i++) {
        const result = await Stats.execOk(program(["image", "save", "--help"]), { env, rss: true })
        if (result.maxRss !== undefined) runs.push(result.maxRss)
      }
      if (runs.length > 0) atRest[name] = Stats.median(runs)
    }
    // each runtime's floor at rest: the ping alone, `node:http` and `node:net` loaded
    const floorAtRest: Record<string, number> = {}
    for (const [runtime, bin] of Object.entries(floorRuntimes)) {
      const runs: Array<number> = []
      for (let i = 0; i < 5; i++) {
        const result = await Stats.execOk([bin, saveFloor, "ping", path.join(dir, "unused.tar"), ref], {
          env,
          rss: true
        })
        if (result.maxRss !== undefined) runs.push(result.maxRss)
      }
      if (runs.length > 0) floorAtRest[runtime] = Stats.median(runs)
    }
    /** A contender's RSS at rest: a CLI's own, or a floor's runtime's (the `(RUNTIME)` its name ends with). */
    const restOf = (name: string): number | undefined =>
      atRest[name] ?? (name.startsWith("floor-") ? floorAtRest[/\((\w+)\)$/.exec(name)?.[1] ?? ""] : undefined)
    // the program with its client built and one small request made (`image inspect REF`): what the transfer itself
    // adds above a process that has loaded the transport, printed beside the verdicts
    const connected: Record<string, number> = {}
    for (const [name, program] of Object.entries(programs)) {
      if (name === "docker") continue
      const runs: Array<number> = []
      for (let i = 0; i < 5; i++) {
        const result = await Stats.execOk(program(["image", "inspect", ref]), { env, rss: true })
        if (result.maxRss !== undefined) runs.push(result.maxRss)
      }
      if (runs.length > 0) connected[name] = Stats.median(runs)
    }

    /** Alternating runs of `args(file)` for every contender, then the figures and verdicts. */
    const phase = async (
      label: string,
      args: (file: string) => ReadonlyArray<string>,
      after: (file: string, name: string) => void,
      extra: Record<string, (file: string) => ReadonlyArray<string>> = {}
    ) => {
      const rss: Record<string, Array<number>> = {}
      const argvs: Record<string, (file: string) => ReadonlyArray<string>> = {
        ...Object.fromEntries(Object.entries(programs).map(([name, program]) => [name, (file) => program(args(file))])),
        ...extra
      }
      const times = await Stats.interleave(
        Object.fromEntries(
          Object.entries(argvs).map(([name, argv], i) => [name, async () => {
            const file = path.join(dir, `out-${i}.tar`)
            const result = await Stats.execOk(argv(file), { env, rss: true })
            if (result.maxRss !== undefined) (rss[name] ??= []).push(result.maxRss)
            after(file, name)
          }])
        ),
        { rounds, warmup: 1, progress: true }
      )
      console.log(`\n${label}:`)
      console.log(Stats.report(times, "docker"))
      console.log("peak RSS of the process (median over all runs, warm-up included; max):")
      for (const [name, values] of Object.entries(rss)) {
        console.log(
          `  ${name.padEnd(21)} ${Stats.fmtMiB(Stats.median(values)).padStart(10)}  max ${
            Stats.fmtMiB(Math.max(...values))
          }${restOf(name) === undefined ? "" : `  (at rest ${Stats.fmtMiB(restOf(name)!)})`}${
            connected[name] === undefined ? "" : `  (image inspect ${Stats.fmtMiB(connected[name])})`
          }`
        )
      }
      for (const name of Object.keys(programs)) {
        if (name === "docker") continue
        verdicts.push(Stats.verdict(`${label}: ${name}/docker`, Stats.pairedRatio(times[name]!, times["docker"]!), 1))
        const peak = rss[name]
        const rest = atRest[name]
        if (peak !== undefined && rest !== undefined) {
          verdicts.push(
            Stats.verdict(
              `${label}: ${name} RSS added to the program at rest (peak ${Stats.fmtMiB(Stats.median(peak))})`,
              (Stats.median(peak) - rest) / 2 ** 20,
              16,
              " MiB"
            )
          )
        }
        const inspected = connected[name]
        if (peak !== undefined && inspected !== undefined) {
          verdicts.push(
            `${label}: ${name} RSS added above \`image inspect\` (client and transport loaded, one request): ${
              ((Stats.median(peak) - inspected) / 2 ** 20).toFixed(1)
            } MiB`
          )
        }
      }
      verdicts.push(`${label}: docker peak RSS ${Stats.fmtMiB(Stats.median(rss["docker"] ?? [0]))}`)
      for (const name of Object.keys(extra)) {
        const peak = rss[name]
        const rest = restOf(name)
        verdicts.push(
          `${label}: ${name}/docker ${Stats.pairedRatio(times[name]!, times["docker"]!).toFixed(3)}${
            peak === undefined || rest === undefined
              ? ""
              : `, RSS added to the floor at rest: ${((Stats.median(peak) - rest) / 2 ** 20).toFixed(1)} MiB`
          }`
        )
      }
    }

    const sizes: Record<string, number> = {}
    const archive = path.join(dir, "archive.tar")
    const saveFloors = floorsOf(
      saveFloor,
      { http: "http", raw: "raw", native: "bun:native" },
      (mode, file) => [mode, file, ref]
    )
    await phase("save -o", (file) => ["image", "save", "-o", file, ref], (file, name) => {
      sizes[name] = statSync(file).size
      rmSync(file)
    }, saveFloors)
    if (new Set(Object.values(sizes)).size !== 1) {
      throw new Error(`the saved archives differ in size: ${JSON.stringify(sizes)}`)
    }
    console.log(`each wrote ${Stats.fmtMiB(Object.values(sizes)[0]!)}`)

    // load -i of one archive (the image is there already: the daemon still reads and checks the whole archive)
    await Stats.execOk([dockerBin, "save", "-o", archive, ref], { env })
    await phase(
      "load -i",
      () => ["image", "load", "-i", archive],
      () => undefined,
      floorsOf(loadFloor, { pipe: "pipe", load: "raw", native: "bun:native" }, (mode) => [mode, archive])
    )

    console.log(`\n${verdicts.join("\n")}`)
    console.log(loadLine())
  })
} finally {
  rmSync(dir, { recursive: true, force: true })
}
