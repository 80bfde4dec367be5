/**
 * `dockhand image ls` on ~2,000 images, the bundled CLI (packages/cli/dist/dockhand.js, what the installed
 * `dockhand` runs) run by Node 24 and by Bun, vs `docker image ls` (the baseline): wall time of alternating runs,
 * stdout read through a pipe. Prints `dockhand(node24)/docker` (target ≤ 1.0) and `dockhand(bun)/docker` (target
 * ≤ 0.9), and the same two with `DOCKHAND_NO_PREFETCH=1` (the list request not sent ahead), to show what sending it
 * ahead buys. Then start-up alone: `--version` of each. With hyperfine on PATH, the same commands are also timed by
 * hyperfine (not alternating: all runs of one command, then the next) as a cross-check.
 *
 *   node bench/cli-ls.ts [--images=2000] [--rounds=15]
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Engine from "./lib/engine.ts"
import { bunBin, bundle, cliEnv, dockerBin, header, loadLine, nodeBin, requireFile } from "./lib/env.ts"
import * as Stats from "./lib/stats.ts"

const count = Stats.intOption("images", "DOCKHAND_BENCH_IMAGES", 2000)
const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 15)
requireFile(
  bundle,
  "build the CLI first: npx tsc -b packages/cli/tsconfig.json && node packages/cli/scripts/bundle.mjs"
)

console.log(header(`cli-ls: ${count} images, ${rounds} alternating runs of each command`))
await Engine.warnLeftovers()

const env = cliEnv()
const noPrefetch = { ...env, DOCKHAND_NO_PREFETCH: "1" }
/** Each contender: its command line and environment. */
const commands = (
  args: ReadonlyArray<string>
): Record<string, { readonly argv: ReadonlyArray<string>; readonly env: NodeJS.ProcessEnv }> => ({
  docker: { argv: [dockerBin, ...args], env },
  "dockhand(node24)": { argv: [nodeBin, bundle, ...args], env },
  "dockhand(bun)": { argv: [bunBin, bundle, ...args], env },
  "dockhand(node24, no prefetch)": { argv: [nodeBin, bundle, ...args], env: noPrefetch },
  "dockhand(bun, no prefetch)": { argv: [bunBin, bundle, ...args], env: noPrefetch }
})

/** Alternating runs of each command; checks each exits 0 and prints what the first printed (line count). */
const measure = async (args: ReadonlyArray<string>, n: number) => {
  const cmds = commands(args)
  const lines: Record<string, number> = {}
  const times = await Stats.interleave(
    Object.fromEntries(
      Object.entries(cmds).map(([name, command]) => [name, async () => {
        lines[name] = (await Stats.execOk(command.argv, { env: command.env })).stdoutLines
      }])
    ),
    { rounds: n, warmup: 2, progress: true }
  )
  return { times, lines }
}

/** hyperfine's mean for each command (all runs of one, then the next), when hyperfine is installed. */
const hyperfine = (args: ReadonlyArray<string>, n: number): Record<string, number> | undefined => {
  try {
    execFileSync("hyperfine", ["--version"], { stdio: "ignore" })
  } catch {
    return undefined
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "dockhand-bench-hf-"))
  try {
    const cmds = commands(args)
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
    execFileSync("hyperfine", [
      "--warmup",
      "2",
      "--runs",
      String(n),
      "--style",
      "none",
      "--export-json",
      path.join(dir, "out.json"),
      ...Object.entries(cmds).flatMap(([name, { argv, env: e }]) => [
        "-n",
        name,
        [...(e === noPrefetch ? ["env", "DOCKHAND_NO_PREFETCH=1"] : []), ...argv].map(quote).join(" ")
      ])
    ], { env, stdio: ["ignore", "ignore", "pipe"] })
    const results = (JSON.parse(readFileSync(path.join(dir, "out.json"), "utf8")) as {
      results: Array<{ command: string; median: number }>
    }).results
    return Object.fromEntries(results.map((r) => [r.command, r.median * 1000]))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const show = (title: string, times: Record<string, Array<number>>, hf: Record<string, number> | undefined) => {
  console.log(`\n${title}`)
  console.log(Stats.report(times, "docker"))
  if (hf !== undefined) {
    console.log(
      `hyperfine medians: ${
        Object.entries(hf).map(([n, ms]) =>
          `${n} ${Stats.fmtMs(ms)}${n === "docker" ? "" : ` (${(ms / hf["docker"]!).toFixed(3)})`}`
        ).join(", ")
      }`
    )
  }
}

await Engine.withFixture(() => Engine.makeManyImages(count, { kind: "cli-ls" }), async (fixture) => {
  console.log(`fixture: ${count} distinct images made with one docker load in ${(fixture.setupMs / 1000).toFixed(1)} s`)

  const ls = await measure(["image", "ls"], rounds)
  // Other work on the same engine may add or remove a few images between runs: only require the fixture's rows.
  const short = Object.entries(ls.lines).filter(([, n]) => n < count + 1)
  if (short.length > 0) {
    throw new Error(`a command printed fewer lines than the fixture has images: ${JSON.stringify(ls.lines)}`)
  }
  const lsHf = hyperfine(["image", "ls"], rounds)
  show(`image ls (lines printed by the last run of each: ${Object.values(ls.lines).join(", ")}):`, ls.times, lsHf)

  const version = await measure(["--version"], rounds * 2)
  const versionHf = hyperfine(["--version"], rounds * 2)
  show("--version (start-up alone):", version.times, versionHf)

  const ratio = (times: Record<string, Array<number>>, name: string) =>
    Stats.pairedRatio(times[name]!, times["docker"]!)
  console.log("")
  console.log(Stats.verdict("image ls: dockhand(node24)/docker", ratio(ls.times, "dockhand(node24)"), 1.0))
  console.log(Stats.verdict("image ls: dockhand(bun)/docker", ratio(ls.times, "dockhand(bun)"), 0.9))
  console.log(
    `image ls without the request sent ahead: dockhand(node24)/docker = ${
      ratio(ls.times, "dockhand(node24, no prefetch)").toFixed(3)
    }, dockhand(bun)/docker = ${ratio(ls.times, "dockhand(bun, no prefetch)").toFixed(3)}`
  )
  console.log(
    `--version: dockhand(node24)/docker = ${
      ratio(version.times, "dockhand(node24)").toFixed(3)
    }, dockhand(bun)/docker = ${ratio(version.times, "dockhand(bun)").toFixed(3)}`
  )
  console.log(
    `image ls minus --version (medians): ${
      Object.keys(ls.times).map((n) =>
        `${n} ${Stats.fmtMs(Stats.median(ls.times[n]!) - Stats.median(version.times[n]!))}`
      ).join(", ")
    }`
  )
  console.log(loadLine())
})
