/**
 * `build` with BuildKit on Docker Engine 28.5 at its limits: a 1 GiB context sent as a tar in flat memory (the peak
 * RSS of dockhand's process, polled from `/proc/<pid>/status`, stays near that of a build of a tiny context), and a
 * build interrupted with SIGINT while a `RUN` step runs, side by side with `docker build` (buildx 0.29): the same
 * exit code, the step shown `#N CANCELED` as the daemon last reports it, the same last line, and nothing left
 * running in the daemon (the step's process is gone).
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as BuildHarness from "./BuildHarness.ts"
import * as Harness from "./Harness.ts"
import * as TmuxPane from "./TmuxPane.ts"

let world: Harness.World
let context = ""

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    world = BuildHarness.makeWorld("buildlimits")
    context = Harness.writeTree(world, "ctx", {
      "Dockerfile": "FROM scratch\nCOPY busybox /bin/sh\n",
      "busybox": fs.readFileSync(Harness.BUSYBOX)
    })
  })
)
beforeEach(setup.check)
afterAll(async () => {
  if (world !== undefined) await Harness.cleanWorld(world)
})

/** A running program: its output so far, its exit, and its peak RSS (VmHWM) as last read from /proc. */
const start = (program: "docker" | "dockhand", args: ReadonlyArray<string>) => {
  const [command, ...prefix] = program === "docker" ? ["docker"] : Harness.dockhandCommand
  const child = spawn(command!, [...prefix, ...args], { cwd: world.dir, env: world.env, stdio: "pipe" })
  let stderr = ""
  let peak = 0
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
  child.stdout.resume()
  const poll = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"))
      if (match !== null) peak = Math.max(peak, Number(match[1]) * 1024)
    } catch { /* exited */ }
  }, 20)
  const exit = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000)
    child.on("error", reject)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      clearInterval(poll)
      resolve(code ?? (signal === null ? -1 : 128))
    })
  })
  return { child, stderr: () => stderr, peak: () => peak, exit }
}

/** Whether a process whose command line holds `text` is running on this machine (the daemon's build steps too). */
const running = (text: string) =>
  fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).some((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(text)
    } catch {
      return false
    }
  })

describe("build with BuildKit at its limits", () => {
  it("sends a 1 GiB context as a tar in flat memory", async () => {
    const small = start("dockhand", ["build", "-q", context])
    assert.strictEqual(await small.exit, 0, small.stderr())
    const big = path.join(world.dir, "big")
    fs.mkdirSync(big)
    fs.copyFileSync(path.join(context, "Dockerfile"), path.join(big, "Dockerfile"))
    fs.copyFileSync(path.join(context, "busybox"), path.join(big, "busybox"))
    // 1 GiB the daemon receives in full (a sparse file: no disk on this side)
    fs.closeSync(fs.openSync(path.join(big, "gigabyte"), "w"))
    fs.truncateSync(path.join(big, "gigabyte"), 1024 ** 3)
    const run = start("dockhand", ["build", "-q", big])
    assert.strictEqual(await run.exit, 0, run.stderr())
    assert.isAbove(small.peak(), 0, "no peak RSS read from /proc")
    // what the gigabyte added to the process is bounded, far below the context's size: Node adds ~45 MiB, Deno
    // ~110 MiB (its heap grows lazily, then levels off: ~40 MiB at 256 MiB, ~110 MiB at 1 GiB, ~140 MiB at 2 GiB)
    const added = run.peak() - small.peak()
    assert.isBelow(added, 160 * 1024 ** 2, `peak RSS ${run.peak()} against ${small.peak()} for a tiny context`)
  }, 300_000)

  it("SIGINT mid-RUN: docker's CANCELED step, exit code and last line, and the step stops in the daemon", async () => {
    const ends: Record<string, ReadonlyArray<string>> = {}
    for (const program of ["docker", "dockhand"] as const) {
      const marker = String(3000 + Math.floor(Math.random() * 6000))
      const dir = Harness.writeTree(world, `int-${program}`, {
        "Dockerfile": `FROM scratch\nCOPY busybox /bin/sh\nRUN echo started && sleep ${marker} && echo never\n`,
        "busybox": fs.readFileSync(Harness.BUSYBOX)
      })
      fs.chmodSync(path.join(dir, "busybox"), 0o755)
      const build = start(program, ["build", "--progress=plain", "--no-cache", "--network", "none", dir])
      const deadline = Date.now() + 90_000
      while (!/^#\d+ \d+\.\d+ started$/m.test(build.stderr())) {
        if (Date.now() > deadline) throw new Error(`${program}: the RUN step did not start: ${build.stderr()}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      assert.isTrue(running(`sleep ${marker}`), `${program}: the step's process is not running`)
      build.child.kill("SIGINT")
      const code = await build.exit
      assert.strictEqual(code, 130, `${program}: ${build.stderr()}`)
      assert.strictEqual(
        build.stderr().trimEnd().split("\n").at(-1),
        "ERROR: failed to build: failed to solve: Canceled: context canceled",
        program
      )
      const gone = Date.now() + 15_000
      while (running(`sleep ${marker}`)) {
        if (Date.now() > gone) throw new Error(`${program}: the RUN step still runs in the daemon after SIGINT`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      // the interrupted step's block as the daemon last reported it, then the last line (times and marker masked;
      // the step's number too: on Bun the context goes as a tar, without a session's internal steps)
      ends[program] = build.stderr().trimEnd().split("\n").slice(-4).map((line) =>
        line.replaceAll(marker, "<n>").replace(/^#\d+ /, "#N ").replace(/^#N \d+\.\d+ /, "#N <t> ")
      )
    }
    assert.deepStrictEqual(ends["dockhand"], ends["docker"])
    assert.deepStrictEqual(ends["docker"]!.slice(0, 3), [
      "#N [2/2] RUN echo started && sleep <n> && echo never",
      "#N <t> started",
      "#N CANCELED"
    ])
  }, 300_000)

  it(
    "SIGINT mid-RUN on a terminal: the step drawn CANCELED in the last frame as docker draws it, then its last line",
    async () => {
      const ends: Record<string, ReadonlyArray<string>> = {}
      const screens: Array<string> = []
      for (const program of ["docker", "dockhand"] as const) {
        const marker = String(3000 + Math.floor(Math.random() * 6000))
        const dir = Harness.writeTree(world, `int-tty-${program}`, {
          "Dockerfile": `FROM scratch\nCOPY busybox /bin/sh\nRUN echo started && sleep ${marker} && echo never\n`,
          "busybox": fs.readFileSync(Harness.BUSYBOX)
        })
        fs.chmodSync(path.join(dir, "busybox"), 0o755)
        const command = program === "docker" ? ["docker"] : Harness.dockhandCommand
        const args = ["build", "--progress=tty", "--no-cache", "--network", "none", dir]
        // Ctrl-C once the step is drawn (the live view shows no output lines on a screen this size)
        const drawn = new RegExp(`RUN echo started && sleep ${marker}`)
        const shown = await TmuxPane.inTerminal(world, `int-${program}`, [...command, ...args], undefined, drawn)
        assert.strictEqual(shown.code, 130, `${program}: ${shown.screen}`)
        screens.push(`${program}:\n${shown.screen}`)
        // the interrupted step's line (its timer masked) and the last line; the terminal's echo of the key (`^C`)
        // stays where the cursor was when it came, or is drawn over, depending on when the next frame comes
        const lines = shown.lines.filter((line) => line !== "^C")
        ends[program] = [
          ...lines.filter((line) => line.includes("RUN echo started")).map((line) =>
            line.replaceAll(marker, "<n>").replace(/\s+\d+\.\ds$/, " <t>")
          ),
          lines.at(-1)!
        ]
      }
      assert.deepStrictEqual(ends["dockhand"], ends["docker"], screens.join("\n"))
      assert.deepStrictEqual(ends["docker"], [
        " => CANCELED [2/2] RUN echo started && sleep <n> && echo never <t>",
        "ERROR: failed to build: failed to solve: Canceled: context canceled"
      ])
    },
    300_000
  )
})
