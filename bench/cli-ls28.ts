/**
 * `dockhand image ls` and `dockhand image ls --tree` on Docker Engine 28.5 (containerd image store) with ~2,000
 * images, the bundled CLI run by Node 24 and by Bun, vs the docker CLI 28.5 (the baseline) with the same arguments:
 * wall time of alternating runs, stdout read through a pipe. Prints `dockhand(node24)/docker` (target ≤ 1.0) and
 * `dockhand(bun)/docker` (target ≤ 0.9) for each command. Needs the engines' env.sh (`DOCKHAND_DOCKER28_SOCK`,
 * `DOCKHAND_DOCKER28_CLI`); the fixture is the same single `docker load` as cli-ls.ts, sent to Engine 28.5.
 *
 *   node bench/cli-ls28.ts [--images=2000] [--rounds=15]
 */
const sock = process.env["DOCKHAND_DOCKER28_SOCK"]
const cli = process.env["DOCKHAND_DOCKER28_CLI"]
if (!sock || !cli) {
  throw new Error("DOCKHAND_DOCKER28_SOCK and DOCKHAND_DOCKER28_CLI are not set: source the engines' env.sh")
}
// The shared helpers read the engine and the docker CLI from these: point them at Engine 28.5 and docker 28.5.
process.env["DOCKHAND_DOCKER_SOCK"] = sock
process.env["DOCKHAND_BENCH_DOCKER"] = cli

const Engine = await import("./lib/engine.ts")
const { bunBin, bundle, cliEnv, dockerBin, header, loadLine, nodeBin, requireFile } = await import("./lib/env.ts")
const Stats = await import("./lib/stats.ts")

const count = Stats.intOption("images", "DOCKHAND_BENCH_IMAGES", 2000)
const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 15)
requireFile(
  bundle,
  "build the CLI first: npx tsc -b packages/cli/tsconfig.json && node packages/cli/scripts/bundle.mjs"
)

console.log(header(`cli-ls28: ${count} images on Engine 28.5, ${rounds} alternating runs of each command`))
await Engine.warnLeftovers()

const env = cliEnv()

/** Alternating runs of docker 28.5 and dockhand on Node 24 and Bun; gives the times and the lines each printed. */
const measure = async (args: ReadonlyArray<string>) => {
  const commands: Record<string, ReadonlyArray<string>> = {
    docker: [dockerBin, ...args],
    "dockhand(node24)": [nodeBin, bundle, ...args],
    "dockhand(bun)": [bunBin, bundle, ...args]
  }
  const lines: Record<string, number> = {}
  const times = await Stats.interleave(
    Object.fromEntries(
      Object.entries(commands).map(([name, argv]) => [name, async () => {
        lines[name] = (await Stats.execOk(argv, { env })).stdoutLines
      }])
    ),
    { rounds, warmup: 2, progress: true }
  )
  return { times, lines }
}

await Engine.withFixture(() => Engine.makeManyImages(count, { kind: "cli-ls28" }), async (fixture) => {
  console.log(`fixture: ${count} distinct images made with one docker load in ${(fixture.setupMs / 1000).toFixed(1)} s`)
  const verdicts: Array<string> = []
  for (const args of [["image", "ls"], ["image", "ls", "--tree"]]) {
    const { times, lines } = await measure(args)
    // Each command prints at least one line per image of the fixture; all three the same number.
    const printed = Object.values(lines)
    if (printed.some((n) => n < count) || new Set(printed).size !== 1) {
      throw new Error(`${args.join(" ")}: the commands printed different line counts: ${JSON.stringify(lines)}`)
    }
    console.log(`\n${args.join(" ")} (${printed[0]} lines each):`)
    console.log(Stats.report(times, "docker"))
    const ratio = (name: string) => Stats.pairedRatio(times[name]!, times["docker"]!)
    verdicts.push(
      Stats.verdict(`${args.join(" ")}: dockhand(node24)/docker`, ratio("dockhand(node24)"), 1.0),
      Stats.verdict(`${args.join(" ")}: dockhand(bun)/docker`, ratio("dockhand(bun)"), 0.9)
    )
  }
  console.log(`\n${verdicts.join("\n")}`)
  console.log(loadLine())
})
