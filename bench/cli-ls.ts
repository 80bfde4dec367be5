/**
 * The daily commands of the bundled CLI (packages/cli/dist/dockhand.js, what the installed `dockhand` runs) on
 * Node 24 and on Bun, and of the standalone executable (packages/cli-linux-x64/bin/dockhand, when built), against
 * the docker CLI (the baseline), with ~2,000 images on the engine: wall time of alternating runs. Prints every
 * start-up and daily-command figure of issue 13 with its target and MET / MISSED:
 *
 * - `image ls`, read through a pipe (as `| grep` would) and sent to /dev/null: ≤ 0.90× docker on Node 24, ≤ 0.75×
 *   on Bun (the standalone executable is held to Bun's); the same on a pipe with `DOCKHAND_NO_PREFETCH=1` (the list
 *   request not sent ahead) to show what sending it ahead buys;
 * - `image ls` peak RSS: ≤ 60 MiB on Node 24, ≤ 40 MiB on Bun, beside two floors: the bare runtime's listing
 *   (`bench/floor/list-ids.mjs`) and the same listing in an effect/cli program (`bench/floor/cli-list.ts`);
 * - `--version`: ≤ 50 ms on Node 24, ≤ 20 ms on Bun (median wall time), and its fixed cost above the bare runtime
 *   (`node -e 0`, `bun -e 0`);
 * - `image inspect`, `image history`, `images -q`, `image rm` of one image: ≤ 1.0× docker on Node 24, ≤ 0.8× on Bun;
 *   `image ls` and `images -q` beside their floor, the bare runtime making the same two requests and printing the IDs
 *   (`bench/floor/list-ids.mjs`): no listing can take less.
 *
 * `dockhand(node24, snapshot)` is the installed `dockhand` (bin/dockhand.js) on Node 24 after `dockhand --node-snapshot`:
 * it starts from its start-up snapshot (built here into a scratch cache directory first) and is held to Node's
 * targets.
 *
 * With hyperfine on PATH, `image ls` and `--version` are also timed by hyperfine (not alternating: all runs of one
 * command, then the next; output to /dev/null) as a cross-check.
 *
 *   node bench/cli-ls.ts [--images=2000] [--rounds=15]
 */
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
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
import * as Floors from "./lib/floors.ts"
import * as Stats from "./lib/stats.ts"

const count = Stats.intOption("images", "DOCKHAND_BENCH_IMAGES", 2000)
const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 15)
requireFile(
  bundle,
  "build the CLI first: npx tsc -b packages/cli/tsconfig.json && node packages/cli/scripts/bundle.mjs"
)

console.log(header(`cli-ls: ${count} images, ${rounds} alternating runs of each command`))
console.log(
  standalone === undefined
    ? "note: no standalone executable (node packages/cli/scripts/standalone.mjs makes it): its rows are left out"
    : `standalone executable: ${path.relative(process.cwd(), standalone)}`
)
await Engine.warnLeftovers()

const env = cliEnv()
const noPrefetch = { ...env, DOCKHAND_NO_PREFETCH: "1" }

/** The floor of `images -q`: the bare runtime pinging, listing and printing the IDs (bench/floor/list-ids.mjs). */
const listIdsFloor = path.join(root, "bench", "floor", "list-ids.mjs")

/**
 * The floor of `image ls`'s memory for a program built as dockhand is (bench/floor/cli-list.ts: an effect/cli tree
 * whose `image ls` pings, lists and parses with `node:http`), bundled with the CLI program's esbuild options into a
 * scratch directory removed at exit.
 */
const stackListFloor = (await Floors.bundle(["cli-list"])).program("cli-list")

/** The installed `dockhand`, which starts from the snapshot when `dockhand --node-snapshot` has built one. */
const cliBin = path.join(root, "packages", "cli", "bin", "dockhand.js")
/**
 * The environment of `dockhand(node24, snapshot)`: the scratch cache directory where `dockhand --node-snapshot` built the
 * snapshot (removed at exit), and no standalone executable; undefined (its rows left out) when the build failed.
 */
const snapshotEnv: NodeJS.ProcessEnv | undefined = (() => {
  const cache = mkdtempSync(path.join(os.tmpdir(), "dockhand-bench-snapshot-"))
  process.on("exit", () => rmSync(cache, { recursive: true, force: true }))
  const withCache = { ...env, XDG_CACHE_HOME: cache, DOCKHAND_NO_STANDALONE: "1" }
  const built = spawnSync(nodeBin, [path.join(root, "packages", "cli", "bin", "dockhand.js"), "--node-snapshot"], {
    env: withCache,
    encoding: "utf8"
  })
  if (built.status === 0) return withCache
  console.log(
    `note: dockhand --node-snapshot failed, the snapshot's rows are left out:\n${built.stdout}${built.stderr}`
  )
  return undefined
})()

interface Command {
  readonly argv: ReadonlyArray<string>
  readonly env: NodeJS.ProcessEnv
}
/** What each contender runs for `args`: docker, the bundle on Node 24 and on Bun, the standalone executable. */
const contenders = (args: ReadonlyArray<string>): Record<string, Command> => ({
  docker: { argv: [dockerBin, ...args], env },
  "dockhand(node24)": { argv: [nodeBin, bundle, ...args], env },
  "dockhand(bun)": { argv: [bunBin, bundle, ...args], env },
  ...(standalone === undefined ? {} : { "dockhand(standalone)": { argv: [standalone, ...args], env } }),
  ...(snapshotEnv === undefined
    ? {}
    : { "dockhand(node24, snapshot)": { argv: [nodeBin, cliBin, ...args], env: snapshotEnv } })
})
/**
 * The floor of a listing on each runtime: the bare runtime making the same two requests and printing the IDs. No
 * `image ls` or `images -q` can do less.
 */
const floors: Record<string, Command> = {
  "floor(node24)": { argv: [nodeBin, listIdsFloor], env },
  "floor(bun)": { argv: [bunBin, listIdsFloor], env }
}
/** The same, and the bundle with nothing sent ahead. */
const withNoPrefetch = (args: ReadonlyArray<string>): Record<string, Command> => ({
  ...contenders(args),
  "dockhand(node24, no prefetch)": { argv: [nodeBin, bundle, ...args], env: noPrefetch },
  "dockhand(bun, no prefetch)": { argv: [bunBin, bundle, ...args], env: noPrefetch }
})

/**
 * Alternating runs of each command; checks each exits 0 and gives the lines each printed on its last run (pipe
 * only). `argsOf(name, run)` may give each run its own arguments (`image rm` of a tag made for that run).
 */
const measure = async (
  cmds: Record<string, Command>,
  n: number,
  options: { readonly output?: Stats.Output; readonly argsOf?: (name: string) => ReadonlyArray<string> } = {}
) => {
  const lines: Record<string, number> = {}
  const times = await Stats.interleave(
    Object.fromEntries(
      Object.entries(cmds).map(([name, command]) => [name, async () => {
        const argv = options.argsOf === undefined ? command.argv : [...command.argv, ...options.argsOf(name)]
        const result = await Stats.execOk(argv, { env: command.env, output: options.output ?? "pipe" })
        lines[name] = result.stdoutLines
      }])
    ),
    { rounds: n, warmup: 2, progress: true }
  )
  return { times, lines }
}

/** hyperfine's median for each command (all runs of one, then the next), when hyperfine is installed. */
const hyperfine = (cmds: Record<string, Command>, n: number): Record<string, number> | undefined => {
  try {
    execFileSync("hyperfine", ["--version"], { stdio: "ignore" })
  } catch {
    return undefined
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "dockhand-bench-hf-"))
  try {
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
        [
          ...(e === noPrefetch ? ["env", "DOCKHAND_NO_PREFETCH=1"] : []),
          ...(e === snapshotEnv ? ["env", `XDG_CACHE_HOME=${e["XDG_CACHE_HOME"]}`, "DOCKHAND_NO_STANDALONE=1"] : []),
          ...argv
        ].map(quote).join(" ")
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

const show = (title: string, times: Record<string, Array<number>>, hf?: Record<string, number>) => {
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

const ratio = (times: Record<string, Array<number>>, name: string) => Stats.pairedRatio(times[name]!, times["docker"]!)
/**
 * The verdicts of one command's ratios: Node 24 (from the bundle and from the snapshot) against `node`, Bun and the
 * standalone executable against `bun`.
 */
const ratioVerdicts = (
  label: string,
  times: Record<string, Array<number>>,
  targets: { readonly node: number; readonly bun: number }
): Array<string> => [
  Stats.verdict(`${label}: dockhand(node24)/docker`, ratio(times, "dockhand(node24)"), targets.node),
  Stats.verdict(`${label}: dockhand(bun)/docker`, ratio(times, "dockhand(bun)"), targets.bun),
  ...(times["dockhand(standalone)"] === undefined
    ? []
    : [Stats.verdict(`${label}: dockhand(standalone)/docker`, ratio(times, "dockhand(standalone)"), targets.bun)]),
  ...(times["dockhand(node24, snapshot)"] === undefined ? [] : [
    Stats.verdict(
      `${label}: dockhand(node24, snapshot)/docker`,
      ratio(times, "dockhand(node24, snapshot)"),
      targets.node
    )
  ])
]

/** The floor's ratios to docker in one phase: the least any listing on each runtime takes. */
const floorLine = (label: string, times: Record<string, Array<number>>): string =>
  `${label} floor, the bare runtime making the same requests (bench/floor/list-ids.mjs): node24/docker = ${
    ratio(times, "floor(node24)").toFixed(3)
  }, bun/docker = ${ratio(times, "floor(bun)").toFixed(3)}`

await Engine.withFixture(() => Engine.makeManyImages(count, { kind: "cli-ls" }), async (fixture) => {
  console.log(`fixture: ${count} distinct images made with one docker load in ${(fixture.setupMs / 1000).toFixed(1)} s`)
  const verdicts: Array<string> = []
  const ref = fixture.refs[0]!

  // image ls, through a pipe and to /dev/null, beside the floor of any listing
  const ls = await measure({ ...withNoPrefetch(["image", "ls"]), ...floors }, rounds)
  // Other work on the same engine may add or remove a few images between runs: only require the fixture's rows
  // (the floor prints the IDs alone, no header).
  const short = Object.entries(ls.lines).filter(([name, n]) => n < count + (name.startsWith("floor") ? 0 : 1))
  if (short.length > 0) {
    throw new Error(`a command printed fewer lines than the fixture has images: ${JSON.stringify(ls.lines)}`)
  }
  show(`image ls, output through a pipe (lines printed: ${Object.values(ls.lines).join(", ")}):`, ls.times)
  verdicts.push(...ratioVerdicts("image ls (pipe)", ls.times, { node: 0.9, bun: 0.75 }))
  verdicts.push(floorLine("image ls (pipe)", ls.times))
  const lsNull = await measure({ ...contenders(["image", "ls"]), ...floors }, rounds, { output: "null" })
  show("image ls, output to /dev/null:", lsNull.times, hyperfine(withNoPrefetch(["image", "ls"]), rounds))
  verdicts.push(...ratioVerdicts("image ls (/dev/null)", lsNull.times, { node: 0.9, bun: 0.75 }))
  verdicts.push(floorLine("image ls (/dev/null)", lsNull.times))
  verdicts.push(
    `image ls (pipe) without the request sent ahead: dockhand(node24)/docker = ${
      ratio(ls.times, "dockhand(node24, no prefetch)").toFixed(3)
    }, dockhand(bun)/docker = ${ratio(ls.times, "dockhand(bun, no prefetch)").toFixed(3)}`
  )

  // image ls, peak RSS: a few runs each, after the timed ones (the RSS probe adds a process); beside the bare
  // runtime's listing and the same in an effect/cli program (no `image ls` on that stack can hold less)
  const rss: Record<string, Array<number>> = {}
  const rssFloors: Record<string, Command> = {
    ...floors,
    "floor(node24, effect/cli)": { argv: [nodeBin, stackListFloor, "image", "ls"], env },
    "floor(bun, effect/cli)": { argv: [bunBin, stackListFloor, "image", "ls"], env }
  }
  for (let i = 0; i < Math.min(rounds, 5); i++) {
    for (const [name, command] of Object.entries({ ...contenders(["image", "ls"]), ...rssFloors })) {
      const result = await Stats.execOk(command.argv, { env: command.env, rss: true })
      if (result.maxRss !== undefined) (rss[name] ??= []).push(result.maxRss / 2 ** 20)
    }
  }
  const peak = (name: string) => Stats.median(rss[name] ?? [Number.NaN])
  console.log(
    `\nimage ls, peak RSS (median of ${Math.min(rounds, 5)}): ${
      Object.keys(rss).map((n) => `${n} ${peak(n).toFixed(1)} MiB`).join(", ")
    }`
  )
  verdicts.push(Stats.verdict("image ls peak RSS: dockhand(node24)", peak("dockhand(node24)"), 60, " MiB"))
  verdicts.push(Stats.verdict("image ls peak RSS: dockhand(bun)", peak("dockhand(bun)"), 40, " MiB"))
  if (standalone !== undefined) {
    verdicts.push(Stats.verdict("image ls peak RSS: dockhand(standalone)", peak("dockhand(standalone)"), 40, " MiB"))
  }
  if (snapshotEnv !== undefined) {
    verdicts.push(
      Stats.verdict("image ls peak RSS: dockhand(node24, snapshot)", peak("dockhand(node24, snapshot)"), 60, " MiB")
    )
  }
  verdicts.push(
    `image ls peak RSS floors: the bare runtime listing (bench/floor/list-ids.mjs) node24 ${
      peak("floor(node24)").toFixed(1)
    } MiB, bun ${peak("floor(bun)").toFixed(1)} MiB; the same in an effect/cli program (bench/floor/cli-list.ts) ` +
      `node24 ${peak("floor(node24, effect/cli)").toFixed(1)} MiB, bun ${peak("floor(bun, effect/cli)").toFixed(1)} MiB`
  )

  // --version: start-up alone, against the bare runtimes
  const versionCmds: Record<string, Command> = {
    ...contenders(["--version"]),
    "node24 -e 0": { argv: [nodeBin, "-e", "0"], env },
    "bun -e 0": { argv: [bunBin, "-e", "0"], env }
  }
  const version = await measure(versionCmds, rounds * 2)
  show("--version (start-up alone), and the bare runtimes:", version.times, hyperfine(versionCmds, rounds * 2))
  const med = (name: string) => Stats.median(version.times[name]!)
  verdicts.push(Stats.verdict("--version: dockhand(node24)", med("dockhand(node24)"), 50, " ms"))
  verdicts.push(Stats.verdict("--version: dockhand(bun)", med("dockhand(bun)"), 20, " ms"))
  if (standalone !== undefined) {
    verdicts.push(Stats.verdict("--version: dockhand(standalone)", med("dockhand(standalone)"), 20, " ms"))
  }
  verdicts.push(
    `--version above the bare runtime (medians): node24 +${
      Stats.fmtMs(med("dockhand(node24)") - med("node24 -e 0"))
    }, bun +${Stats.fmtMs(med("dockhand(bun)") - med("bun -e 0"))}; docker ${Stats.fmtMs(med("docker"))}`
  )

  // one image: inspect, history, rm (of a tag made for each run); images -q, beside its floor on each runtime
  for (const args of [["image", "inspect", ref], ["image", "history", ref]]) {
    const one = await measure(contenders(args), rounds)
    show(`${args.join(" ")}:`, one.times)
    verdicts.push(...ratioVerdicts(args.slice(0, 2).join(" "), one.times, { node: 1.0, bun: 0.8 }))
  }
  const quiet = await measure({ ...contenders(["images", "-q"]), ...floors }, rounds)
  show("images -q, and its floor (bench/floor/list-ids.mjs: ping, list, JSON.parse, print):", quiet.times)
  verdicts.push(...ratioVerdicts("images -q", quiet.times, { node: 1.0, bun: 0.8 }))
  verdicts.push(floorLine("images -q", quiet.times))
  const [repo] = ref.split(":")
  const tags: Array<string> = []
  const names = Object.keys(contenders([]))
  for (const name of names) {
    for (let i = 0; i < rounds + 2; i++) {
      const tag = `rm-${names.indexOf(name)}-${i}`
      Engine.ok(
        await Engine.request("POST", `/images/${encodeURIComponent(ref)}/tag?repo=${repo}&tag=${tag}`),
        "tag for image rm"
      )
      tags.push(`${repo}:${tag}`)
    }
  }
  const next: Record<string, number> = {}
  try {
    const rm = await measure(contenders(["image", "rm"]), rounds, {
      argsOf: (name) => [`${repo}:rm-${names.indexOf(name)}-${next[name] = (next[name] ?? -1) + 1}`]
    })
    show("image rm of one tag:", rm.times)
    verdicts.push(...ratioVerdicts("image rm", rm.times, { node: 1.0, bun: 0.8 }))
  } finally {
    await Engine.removeImages(tags)
  }

  console.log(`\n${verdicts.join("\n")}`)
  console.log(loadLine())
})
