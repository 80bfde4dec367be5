/**
 * `dockhand image save -o FILE` (the bundled CLI on Node 24, and on Bun) vs `docker save -o FILE` (the baseline)
 * on a 512 MiB image: wall time of alternating runs and each process's peak RSS ("Maximum resident set size" from
 * `/usr/bin/time`, or VmHWM polled from /proc without it). Prints `dockhand(node24)/docker` and `dockhand(bun)/docker`
 * (target ≤ 1.0), each one's peak RSS (target < 64 MiB), and how much of it the save added to the runtime's own
 * footprint: the peak RSS of `dockhand --version` measured in the same run (Node alone takes ~45 MiB).
 *
 *   node bench/cli-save.ts [--mib=512] [--rounds=5]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Engine from "./lib/engine.ts"
import { bunBin, bundle, cliEnv, dockerBin, header, loadLine, nodeBin, requireFile } from "./lib/env.ts"
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

try {
  await Engine.withFixture(() => Engine.makeBigImage(mib * 1024 * 1024, { kind: "cli-save" }), async (fixture) => {
    const ref = fixture.refs[0]!
    console.log(`fixture: ${ref} (${mib} MiB) imported from a streamed tar in ${(fixture.setupMs / 1000).toFixed(1)} s`)
    const env = cliEnv()
    const cmds: Record<string, (file: string) => ReadonlyArray<string>> = {
      docker: (file) => [dockerBin, "save", "-o", file, ref],
      "dockhand(node24)": (file) => [nodeBin, bundle, "image", "save", "-o", file, ref],
      "dockhand(bun)": (file) => [bunBin, bundle, "image", "save", "-o", file, ref]
    }
    const rss: Record<string, Array<number>> = {}
    const sizes: Record<string, number> = {}
    const times = await Stats.interleave(
      Object.fromEntries(
        Object.entries(cmds).map(([name, argv], i) => [name, async () => {
          const file = path.join(dir, `out-${i}.tar`)
          const result = await Stats.execOk(argv(file), { env, rss: true })
          if (result.maxRss !== undefined) (rss[name] ??= []).push(result.maxRss)
          sizes[name] = statSync(file).size
          rmSync(file)
        }])
      ),
      { rounds, warmup: 1, progress: true }
    )
    if (new Set(Object.values(sizes)).size !== 1) {
      throw new Error(`the saved archives differ in size: ${JSON.stringify(sizes)}`)
    }
    console.log(`each wrote ${Stats.fmtMiB(Object.values(sizes)[0]!)}`)
    console.log(Stats.report(times, "docker"))
    console.log("\npeak RSS of the process (median over all runs, warm-up included; max):")
    for (const [name, values] of Object.entries(rss)) {
      console.log(
        `  ${name.padEnd(17)} ${Stats.fmtMiB(Stats.median(values)).padStart(10)}  max ${
          Stats.fmtMiB(Math.max(...values))
        }`
      )
    }

    // the runtime and the program at rest: `--version` loads the same code and does nothing
    const atRest: Record<string, number> = {}
    for (
      const [name, argv] of [["dockhand(node24)", [nodeBin, bundle, "--version"]], ["dockhand(bun)", [
        bunBin,
        bundle,
        "--version"
      ]]] as const
    ) {
      const runs: Array<number> = []
      for (let i = 0; i < 5; i++) {
        const result = await Stats.execOk(argv, { env, rss: true })
        if (result.maxRss !== undefined) runs.push(result.maxRss)
      }
      if (runs.length > 0) atRest[name] = Stats.median(runs)
    }

    console.log("")
    for (const name of ["dockhand(node24)", "dockhand(bun)"]) {
      console.log(Stats.verdict(`${name}/docker`, Stats.pairedRatio(times[name]!, times["docker"]!), 1.0))
    }
    for (const name of ["dockhand(node24)", "dockhand(bun)"]) {
      const peak = rss[name]
      if (peak === undefined) continue
      const mib = Stats.median(peak) / 1024 / 1024
      const rest = atRest[name]
      console.log(
        `${name} peak RSS = ${Stats.fmtMiB(Stats.median(peak))} (target < 64 MiB: ${mib < 64 ? "met" : "MISSED"}); ` +
          (rest === undefined ?
            "" :
            `at rest (--version) ${Stats.fmtMiB(rest)}, so the save added ${Stats.fmtMiB(Stats.median(peak) - rest)} ` +
            `(${(Stats.median(peak) - rest) / 1024 / 1024 < 64 ? "under" : "OVER"} 64 MiB)`)
      )
    }
    console.log(`docker peak RSS = ${Stats.fmtMiB(Stats.median(rss["docker"] ?? [0]))}`)
    console.log(loadLine())
  })
} finally {
  rmSync(dir, { recursive: true, force: true })
}
