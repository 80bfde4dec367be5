/**
 * `build --progress=tty|auto|rawjson` on Docker Engine 28.5, side by side with `docker build` (docker CLI 28.5 and
 * buildx 0.29 on the same engine). The live view runs in a real terminal: tmux (a private server per pane) runs the
 * build in a 160×40 pane, `pipe-pane` records the raw bytes and `capture-pane` the final screen. Needs tmux
 * (`scripts/engines/install.sh` installs it); the tests fail when it is missing.
 *
 * What is compared, times masked: the final screen's header (`[+] Building <t> (n/n) FINISHED  docker:default`)
 * and the lines of the Dockerfile's own steps and of the export; raw JSON's field names and shapes for the
 * Dockerfile's steps and their output. buildx reads the context through a session (`[internal] load build
 * definition`, `load .dockerignore`, `load build context`) and adds an attestation when exporting, where dockhand
 * sends the context as a tar (`[internal] load remote build context`, `copy /context /`), so those lines differ by
 * design.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
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
    // BuildKit as the daemon offers it on both sides, and colours on (NO_COLOR empty is no NO_COLOR)
    world = BuildHarness.makeWorld("buildprogress", { NO_COLOR: "" })
    context = Harness.writeTree(world, "ctx", {
      "Dockerfile": [
        "FROM scratch AS base",
        "COPY busybox /bin/sh",
        `RUN echo "one ${world.runId}" && sleep 1 && echo "two <&>"`,
        "",
        "FROM base",
        "RUN echo second",
        ""
      ].join("\n"),
      "Fail.Dockerfile": [
        "FROM scratch",
        "COPY busybox /bin/sh",
        `RUN echo "failing ${world.runId}" && echo "last words" && exit 3`,
        ""
      ].join("\n"),
      "busybox": fs.readFileSync(Harness.BUSYBOX)
    })
    fs.chmodSync(path.join(context, "busybox"), 0o755)
  })
)
beforeEach(setup.check)
afterAll(async () => {
  if (world !== undefined) await Harness.cleanWorld(world)
})

/** Runs a command in a fresh 160×40 tmux pane; gives the final screen, the raw bytes and the exit code. */
const inTerminal = (name: string, command: ReadonlyArray<string>) => TmuxPane.inTerminal(world, name, command)

/**
 * A final screen with times masked, reduced to what both sides draw alike: the header, the Dockerfile's steps, the
 * export and its naming lines (not buildx's session steps, dockhand's tar steps, or the attestation's lines).
 */
const comparable = (lines: ReadonlyArray<string>, tag: string) =>
  lines
    .filter((line) =>
      line.startsWith("[+] ") || /^ => (CACHED )?\[(?!internal\])/.test(line) ||
      /^ => (exporting to image|=> exporting layers|=> naming to|=> unpacking to)/.test(line)
    )
    .map((line) =>
      line.replaceAll(tag, "<tag>")
        .replace(/^\[\+\] Building \d+\.\ds \((\d+)\/\1\) FINISHED +docker:default$/, "[+] Building <t> (n/n) FINISHED")
        .replace(/ +\d+\.\ds$/, " <t>")
    )

describe("build --progress=tty and auto in a terminal, as docker build draws them", () => {
  it("--progress=tty ends on buildx's final screen; the live view redraws in place with the RUN output", async () => {
    const args = ["build", "--progress=tty", "--no-cache", "--network", "none"]
    const mine = await inTerminal("dockhand", [
      ...Harness.dockhandCommand,
      ...args,
      "-t",
      `${world.prefix}:mine`,
      context
    ])
    assert.strictEqual(mine.code, 0, mine.lines.join("\n"))
    const theirs = await inTerminal("docker", ["docker", ...args, "-t", `${world.prefix}:theirs`, context])
    assert.strictEqual(theirs.code, 0, theirs.lines.join("\n"))
    const expected = [
      "[+] Building <t> (n/n) FINISHED",
      " => [base 1/2] COPY busybox /bin/sh <t>",
      ` => [base 2/2] RUN echo "one ${world.runId}" && sleep 1 && echo "two <&>" <t>`,
      " => [stage-1 1/1] RUN echo second <t>",
      " => exporting to image <t>",
      " => => exporting layers <t>",
      " => => naming to docker.io/library/<tag> <t>",
      " => => unpacking to docker.io/library/<tag> <t>"
    ]
    assert.deepStrictEqual(comparable(mine.lines, `${world.prefix}:mine`), expected, mine.lines.join("\n"))
    assert.deepStrictEqual(comparable(theirs.lines, `${world.prefix}:theirs`), expected, theirs.lines.join("\n"))
    // the same columns: the header's builder and the timers end one column short of the width
    assert.strictEqual(mine.lines[0]!.length, 159)
    assert.strictEqual(theirs.lines[0]!.length, 159)
    assert.strictEqual(mine.lines.find((line) => line.includes("COPY busybox"))!.length, 159)
    for (const run of [mine, theirs]) {
      // the first frame where the cursor is, the next ones over the previous; finished steps blue, output faint
      // (Deno may clear its own progress lines before the program starts)
      const first = run.raw.indexOf("[+] Building")
      assert.strictEqual(run.raw.slice(first - 18, first), "\x1b[1A\x1b[1B\x1b[0G\x1b[?25l", run.raw.slice(0, 80))
      assert.match(run.raw, /\x1b\[\?25h(\x1b\[1A){3,}\x1b\[0G\x1b\[\?25l\[\+\] Building/)
      assert.include(run.raw, "\x1b[34m => [base 1/2] COPY busybox /bin/sh")
      assert.include(run.raw, `\x1b[2m => => # one ${world.runId}`)
      assert.notInclude(run.lines.join("\n"), " => => # ")
    }
  })

  it("auto draws the live view on a terminal: a cached rebuild ends on the same screen as docker's", async () => {
    const args = ["build", "--network", "none"]
    const mine = await inTerminal("auto", [...Harness.dockhandCommand, ...args, "-t", `${world.prefix}:mine`, context])
    assert.strictEqual(mine.code, 0, mine.lines.join("\n"))
    const theirs = await inTerminal("auto-docker", ["docker", ...args, "-t", `${world.prefix}:theirs`, context])
    assert.strictEqual(theirs.code, 0, theirs.lines.join("\n"))
    const steps = (lines: ReadonlyArray<string>, tag: string) =>
      comparable(lines, tag).filter((line) => line.includes("CACHED") || line.startsWith("[+]"))
    assert.deepStrictEqual(steps(mine.lines, `${world.prefix}:mine`), [
      "[+] Building <t> (n/n) FINISHED",
      " => CACHED [base 1/2] COPY busybox /bin/sh <t>",
      ` => CACHED [base 2/2] RUN echo "one ${world.runId}" && sleep 1 && echo "two <&>" <t>`,
      " => CACHED [stage-1 1/1] RUN echo second <t>"
    ])
    assert.deepStrictEqual(steps(mine.lines, `${world.prefix}:mine`), steps(theirs.lines, `${world.prefix}:theirs`))
  })

  it("a failing RUN: the step marked ERROR, its output after the last frame and docker's exit code and ERROR line", async () => {
    const args = ["build", "--progress=tty", "--network", "none", "-f", path.join(context, "Fail.Dockerfile"), context]
    const mine = await inTerminal("fail", [...Harness.dockhandCommand, ...args])
    const theirs = await inTerminal("fail-docker", ["docker", ...args])
    assert.strictEqual(mine.code, theirs.code)
    assert.strictEqual(mine.code, 1)
    const run = `RUN echo "failing ${world.runId}" && echo "last words" && exit 3`
    const summary = (lines: ReadonlyArray<string>) => {
      const from = lines.indexOf("------")
      return lines.slice(from, lines.indexOf("------", from + 1) + 1).map((line) => line.replace(/^\d+\.\d+ /, "<t> "))
    }
    const expected = ["------", ` > [2/2] ${run}:`, `<t> failing ${world.runId}`, "<t> last words", "------"]
    assert.deepStrictEqual(summary(mine.lines), expected, mine.lines.join("\n"))
    assert.deepStrictEqual(summary(theirs.lines), expected, theirs.lines.join("\n"))
    for (const { lines } of [mine, theirs]) {
      assert.match(lines.find((line) => line.startsWith(" => ERROR "))!, new RegExp(`^ => ERROR \\[2/2\\] RUN echo `))
      assert.match(lines[0]!, /^\[\+\] Building \d+\.\ds \((\d+)\/\1\) FINISHED +docker:default$/)
    }
    assert.include(mine.raw, "\x1b[31m => ERROR [2/2] RUN echo ")
    assert.include(theirs.raw, "\x1b[31m => ERROR [2/2] RUN echo ")
    // the Dockerfile excerpt, then the last line (wrapped by the pane), as docker's
    const tail = (lines: ReadonlyArray<string>) => lines.slice(lines.indexOf("Fail.Dockerfile:3"))
    assert.deepStrictEqual(tail(mine.lines), tail(theirs.lines))
    assert.deepStrictEqual(tail(mine.lines).slice(0, 7), [
      "Fail.Dockerfile:3",
      "--------------------",
      "   1 |     FROM scratch",
      "   2 |     COPY busybox /bin/sh",
      `   3 | >>> ${run}`,
      "   4 |",
      "--------------------"
    ])
  })
})

/** Raw JSON lines: each a `client.SolveStatus`. */
const solveStatuses = (stderr: string) =>
  stderr.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Record<string, Array<any>>)

/**
 * What the Dockerfile's steps look like in raw JSON, volatile values masked: for each step name, the distinct
 * shapes of its vertex objects (keys, with digests and times masked), and its output as text.
 */
const stepShapes = (stderr: string) => {
  const statuses = solveStatuses(stderr)
  const names = new Map<string, string>()
  const shapes = new Map<string, Set<string>>()
  for (const status of statuses) {
    for (const vertex of status["vertexes"] ?? []) {
      if (!/^\[(?!internal\])/.test(vertex.name)) continue
      names.set(vertex.digest, vertex.name)
      const masked = JSON.stringify(vertex, (key, value) =>
        key === "digest" || key === "started" || key === "completed"
          ? `<${key}>`
          : key === "inputs"
          ? (value as Array<string>).map(() => "<digest>")
          : value)
      if (!shapes.has(vertex.name)) shapes.set(vertex.name, new Set())
      shapes.get(vertex.name)!.add(masked)
    }
  }
  const output = new Map<string, Array<string>>()
  for (const status of statuses) {
    for (const log of status["logs"] ?? []) {
      const name = names.get(log.vertex)
      if (name === undefined) continue
      assert.deepStrictEqual(Object.keys(log), ["vertex", "stream", "data", "timestamp"])
      assert.match(log.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/)
      output.set(name, [...(output.get(name) ?? []), `${log.stream}:${Buffer.from(log.data, "base64").toString()}`])
    }
  }
  return {
    shapes: Object.fromEntries([...shapes].map(([name, set]) => [name, [...set].sort()])),
    output: Object.fromEntries([...output].map(([name, lines]) => [name, lines.join("")])),
    keys: [...new Set(statuses.flatMap((status) => Object.keys(status)))].sort()
  }
}

describe("build --progress=rawjson, as docker build prints it", () => {
  it("prints each update as a client.SolveStatus JSON line: the same fields and shapes for the same steps", async () => {
    const args = ["build", "--progress=rawjson", "--no-cache", "--network", "none", context]
    const docker = await Harness.run("docker", args, world)
    const dockhand = await Harness.run("dockhand", args, world)
    assert.strictEqual(dockhand.code, docker.code, dockhand.stderr)
    assert.strictEqual(docker.code, 0, docker.stderr)
    const mine = stepShapes(dockhand.stderr)
    const theirs = stepShapes(docker.stderr)
    assert.deepStrictEqual(mine.shapes, theirs.shapes)
    assert.deepStrictEqual(mine.output, theirs.output)
    assert.deepStrictEqual(
      mine.output[`[base 2/2] RUN echo "one ${world.runId}" && sleep 1 && echo "two <&>"`],
      `1:one ${world.runId}\n1:two <&>\n`
    )
    // Go's encoder escapes <, > and & in the step's name
    assert.include(dockhand.stderr, "echo \\\"two \\u003c\\u0026\\u003e\\\"")
    assert.include(docker.stderr, "echo \\\"two \\u003c\\u0026\\u003e\\\"")
    assert.deepStrictEqual(mine.keys, theirs.keys)
    assert.strictEqual(dockhand.stdout.toString(), docker.stdout.toString())
  })
})

describe("--progress errors and quiet modes, as docker build has them", () => {
  it("tty without a terminal, tty with -q, an unknown mode fail as docker's; quiet, none, BUILDKIT_PROGRESS", async () => {
    for (
      const args of [
        ["build", "--progress=tty", context],
        ["build", "-q", "--progress=tty", context],
        ["build", "--progress=fancy", context]
      ]
    ) {
      const docker = await Harness.run("docker", args, world)
      const dockhand = await Harness.run("dockhand", args, world)
      assert.strictEqual(dockhand.code, docker.code, args.join(" "))
      assert.strictEqual(dockhand.stderr, docker.stderr, args.join(" "))
    }
    // --progress=quiet is -q (the image ID on stdout); none prints nothing at all
    for (const mode of ["quiet", "none"]) {
      const args = ["build", `--progress=${mode}`, "--network", "none", context]
      const docker = await Harness.run("docker", args, world)
      const dockhand = await Harness.run("dockhand", args, world)
      assert.strictEqual(dockhand.code, 0, dockhand.stderr)
      assert.strictEqual(dockhand.stderr, docker.stderr, mode)
      assert.match(dockhand.stdout.toString(), mode === "quiet" ? /^sha256:[0-9a-f]{64}\n$/ : /^$/)
      assert.strictEqual(dockhand.stdout.length, docker.stdout.length, mode)
    }
    const env = { BUILDKIT_PROGRESS: "plain" }
    const plain = await Harness.run("dockhand", ["build", "--network", "none", context], world, { env })
    assert.strictEqual(plain.code, 0, plain.stderr)
    assert.match(plain.stderr, /^#0 building with "default" instance using docker driver\n/)
  })
})
