/**
 * `dockhand build` (the bundled CLI on Node 24 and on Bun) vs `docker build` (docker CLI 28.5 with buildx 0.29, the
 * baseline) on Docker Engine 28.5 with BuildKit: a context of 200 MiB in 10,000 files of random bytes, built with
 * `COPY . /ctx/` so that both send the whole context (buildx through its session's filesync, dockhand as a tar),
 * `--no-cache`, `--progress=plain` to a pipe. Wall time from spawn to exit and each process's peak RSS ("Maximum
 * resident set size" from `/usr/bin/time`, or VmHWM polled from /proc without it). Prints issue 11's targets with
 * MET / MISSED: `dockhand(node24)/docker` ≤ 1.0 from one run (the issue's figure), peak RSS ≤ 64 MiB. Each build's
 * image and build cache are removed after it, outside the timing. Needs the engines' env.sh
 * (`DOCKHAND_DOCKER28_SOCK`, `DOCKHAND_DOCKER28_CLI`, `DOCKHAND_DOCKER28_CLI_PLUGINS`).
 *
 *   node bench/cli-build28.ts [--mib=200] [--files=10000] [--rounds=1]
 */
import { randomBytes } from "node:crypto"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const sock = process.env["DOCKHAND_DOCKER28_SOCK"]
const cli = process.env["DOCKHAND_DOCKER28_CLI"]
const plugins = process.env["DOCKHAND_DOCKER28_CLI_PLUGINS"]
if (!sock || !cli || !plugins) {
  throw new Error(
    "DOCKHAND_DOCKER28_SOCK, DOCKHAND_DOCKER28_CLI and DOCKHAND_DOCKER28_CLI_PLUGINS are not set: source the " +
      "engines' env.sh"
  )
}
// The shared helpers read the engine and the docker CLI from these: point them at Engine 28.5 and docker 28.5.
process.env["DOCKHAND_DOCKER_SOCK"] = sock
process.env["DOCKHAND_BENCH_DOCKER"] = cli

const { bunBin, bundle, cliEnv, dockerBin, header, loadLine, nodeBin, requireFile } = await import("./lib/env.ts")
const Stats = await import("./lib/stats.ts")

const mib = Stats.intOption("mib", "DOCKHAND_BENCH_MIB", 200)
const files = Stats.intOption("files", "DOCKHAND_BENCH_FILES", 10_000)
const rounds = Stats.intOption("rounds", "DOCKHAND_BENCH_ROUNDS", 1)
requireFile(
  bundle,
  "build the CLI first: npx tsc -b packages/cli/tsconfig.json && node packages/cli/scripts/bundle.mjs"
)

console.log(header(`cli-build28: a ${mib} MiB context in ${files} files on Engine 28.5, ${rounds} run(s) of each`))
console.log(
  `peak RSS from ${
    Stats.hasGnuTime
      ? "/usr/bin/time"
      : "VmHWM in /proc/<pid>/status, polled every 5 ms (install `time` for exact figures)"
  }`
)

const dir = mkdtempSync(path.join(os.tmpdir(), "dockhand-bench-cli-build28-"))
const context = path.join(dir, "ctx")
const config = path.join(dir, "config")
try {
  // the context: files spread over 100 directories, random bytes (nothing to gain from compression)
  const started = performance.now()
  const size = Math.floor((mib * 1024 * 1024) / files)
  for (let i = 0; i < files; i++) {
    const sub = path.join(context, `d${i % 100}`)
    if (i < 100) mkdirSync(sub, { recursive: true })
    writeFileSync(path.join(sub, `f${i}`), randomBytes(size))
  }
  writeFileSync(path.join(context, "Dockerfile"), "FROM scratch\nCOPY . /ctx/\n")
  mkdirSync(config)
  writeFileSync(path.join(config, "config.json"), JSON.stringify({ cliPluginsExtraDirs: [plugins] }))
  console.log(`context written in ${((performance.now() - started) / 1000).toFixed(1)} s: ${files} × ${size} bytes`)

  // docker 28.5 with buildx, both on the 28.5 engine, BuildKit as the daemon offers it
  const env = { ...cliEnv(), DOCKER_CONFIG: config, DOCKER_BUILDKIT: "" }
  const tag = `dockhand-bench-build28-${Date.now().toString(36)}`
  const build = (name: string) => ["build", "--no-cache", "--progress=plain", "-t", `${tag}:${name}`, context]
  const programs: Record<string, ReadonlyArray<string>> = {
    docker: [dockerBin, ...build("docker")],
    "dockhand(node24)": [nodeBin, bundle, ...build("node24")],
    "dockhand(bun)": [bunBin, bundle, ...build("bun")]
  }
  const rss: Record<string, Array<number>> = {}
  const cleanUp = async () => {
    await Stats.exec([dockerBin, "rmi", `${tag}:docker`, `${tag}:node24`, `${tag}:bun`], { env })
    await Stats.execOk([dockerBin, "builder", "prune", "-af"], { env })
  }
  await cleanUp()
  const times = await Stats.interleave(
    Object.fromEntries(
      Object.entries(programs).map(([name, argv]) => [name, async () => {
        const result = await Stats.execOk(argv, { env, rss: true })
        if (result.maxRss !== undefined) (rss[name] ??= []).push(result.maxRss)
      }])
    ),
    { rounds, warmup: 0, progress: true, between: cleanUp }
  )
  console.log(`\nbuild --no-cache of the context (${rounds} run(s) each):`)
  console.log(Stats.report(times, "docker"))
  console.log("peak RSS of the process (median; max):")
  for (const [name, values] of Object.entries(rss)) {
    console.log(
      `  ${name.padEnd(18)} ${Stats.fmtMiB(Stats.median(values)).padStart(10)}  max ${
        Stats.fmtMiB(Math.max(...values))
      }`
    )
  }
  const verdicts: Array<string> = []
  for (const name of ["dockhand(node24)", "dockhand(bun)"]) {
    verdicts.push(Stats.verdict(`build: ${name}/docker`, Stats.pairedRatio(times[name]!, times["docker"]!), 1.0))
    const peak = rss[name]
    if (peak !== undefined) {
      verdicts.push(Stats.verdict(`build: ${name} peak RSS`, Math.max(...peak) / 2 ** 20, 64, " MiB"))
    }
  }
  verdicts.push(`build: docker peak RSS ${Stats.fmtMiB(Math.max(...(rss["docker"] ?? [0])))}`)
  console.log(`\n${verdicts.join("\n")}`)
  console.log(loadLine())
} finally {
  rmSync(dir, { recursive: true, force: true })
}
