/**
 * `build` with BuildKit on Docker Engine 28.5, side by side with `docker build --progress=plain` (docker CLI 28.5 and
 * buildx 0.29 on the same engine, `DOCKER_BUILDKIT` unset so both pick BuildKit from the daemon's ping): the
 * Dockerfile's steps, cache hits and `RUN` output, a multi-stage build stopped at `--target`, a rebuild from the
 * cache, a failing `RUN` (exit code, the step's `ERROR:` line, its last output lines, the `Dockerfile:N` excerpt and
 * buildx's `ERROR: failed to build: ...` line), build args and labels, `-q` and `--iidfile`. `RUN` steps run with
 * `--network none`.
 *
 * What is compared is the blocks of the Dockerfile's own steps (`#N [stage i/n] ...`), renumbered and with times
 * masked: buildx reads the context through a session (`[internal] load build definition`, `load .dockerignore`,
 * `load build context`) and adds a provenance attestation when exporting, where dockhand sends the context as a tar
 * (`[internal] load remote build context`, `copy /context /`) and the engine exports a plain image, so those blocks
 * and the image IDs differ by design.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import * as BuildHarness from "./BuildHarness.ts"
import * as Harness from "./Harness.ts"

let world: Harness.World
let context = ""

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    // docker 28.5 first on PATH, buildx reachable, the 28.5 engine, and DOCKER_BUILDKIT unset (empty) on both sides
    world = BuildHarness.makeWorld("build28")
    context = Harness.writeTree(world, "ctx", {
      "Dockerfile": [
        "FROM scratch AS base",
        "COPY busybox /bin/sh",
        "ARG GREETING=hello",
        `RUN echo "$GREETING from base ${world.runId}" && echo "to stderr" >&2`,
        "LABEL stage=base",
        "",
        "FROM base AS final",
        "ARG GREETING",
        "RUN echo \"second $GREETING\" && echo \"line two\"",
        "LABEL stage=final",
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

/**
 * A step's output lines sorted where they stand: a `RUN` writing to stdout and stderr at once has them arrive in
 * either order, on both sides alike.
 */
const sortOutput = (lines: ReadonlyArray<string>, isOutput: (line: string) => boolean): Array<string> => {
  const output = lines.filter(isOutput).sort()
  return lines.map((line) => (isOutput(line) ? output.shift()! : line))
}

/**
 * The blocks of the Dockerfile's own steps in a plain progress view (up to the failed steps' summary), numbered
 * from 1 in order, with times masked: `DONE 0.1s` → `DONE <t>`, a log line's `0.123` → `<t>`.
 */
const steps = (stderr: string): Array<string> => {
  const blocks = stderr.split("\n------\n")[0]!.split("\n\n").filter((block) => /^#\d+ \[(?!internal\])/.test(block))
  return blocks.map((block, i) => {
    const masked = block.replace(/^#\d+ /gm, `#${i + 1} `)
      .replace(/^(#\d+) DONE \d+\.\ds$/gm, "$1 DONE <t>")
      .replace(/^(#\d+) \d+\.\d+ /gm, "$1 <t> ")
      .trimEnd()
    return sortOutput(masked.split("\n"), (line) => /^#\d+ <t> /.test(line)).join("\n")
  })
}

/** buildx's summary of a failed step's output, times masked and lines sorted. */
const errorLogs = (stderr: string): string => {
  const summary = (/------\n > [^\n]*:\n[\s\S]*?------\n/.exec(stderr)?.[0] ?? "").replace(/^\d+\.\d+ /gm, "<t> ")
  return sortOutput(summary.split("\n"), (line) => line.startsWith("<t> ")).join("\n")
}

/** The `Dockerfile:N` excerpt buildx prints before its last line (`undefined` when there is none). */
const excerpt = (stderr: string): string | undefined =>
  /(?:^|\n)([^\n]+:\d+\n-{20}\n[\s\S]*?\n-{20}\n)ERROR: failed to build: /.exec(stderr)?.[1]

const both = async (args: ReadonlyArray<string>) => {
  const docker = await Harness.run("docker", args, world)
  const dockhand = await Harness.run("dockhand", args, world)
  return { docker, dockhand }
}

const tag = (name: string) => `${world.prefix}:${name}`

describe("build with BuildKit on Engine 28.5, side by side with docker build --progress=plain", () => {
  it("shows the same steps and RUN output, and makes an image with the build args and labels", async () => {
    const { docker, dockhand } = await both([
      "build",
      "--progress=plain",
      "--network",
      "none",
      "--no-cache",
      "--build-arg",
      "GREETING=hi",
      "--label",
      `${Harness.LABEL_KEY}=${world.runId}`,
      "-t",
      tag("args"),
      "-t",
      tag("args2"),
      context
    ])
    assert.strictEqual(dockhand.code, docker.code, dockhand.stderr)
    assert.strictEqual(dockhand.code, 0)
    assert.deepStrictEqual(steps(dockhand.stderr), steps(docker.stderr))
    assert.strictEqual(dockhand.stdout.toString(), docker.stdout.toString())
    assert.include(steps(dockhand.stderr)[1], `#2 <t> hi from base ${world.runId}`)
    assert.match(dockhand.stderr, /^#0 building with "default" instance using docker driver\n\n#1 /)
    const labels = await Harness.docker(["image", "inspect", "-f", "{{json .Config.Labels}}", tag("args2")], world)
    assert.deepStrictEqual(JSON.parse(labels), { [Harness.LABEL_KEY]: world.runId, stage: "final" })
  })

  it("a rebuild takes every step from the cache, as docker's does", async () => {
    const args = ["build", "--progress=plain", "--network", "none", "--build-arg", "GREETING=cached", context]
    await Harness.run("docker", args, world)
    const { docker, dockhand } = await both(args)
    assert.strictEqual(dockhand.code, docker.code)
    // cache hits come in one update with the same stop time; buildx orders such ties by Go's map order: compared
    // as a set, numbers dropped
    const unordered = (stderr: string) => steps(stderr).map((block) => block.replace(/^#\d+ /gm, "#N ")).sort()
    const shown = steps(dockhand.stderr)
    assert.deepStrictEqual(unordered(dockhand.stderr), unordered(docker.stderr))
    assert.lengthOf(shown, 3)
    assert.isTrue(shown.every((block) => block.endsWith(" CACHED")), shown.join("\n"))
  })

  it("stops at --target", async () => {
    const { docker, dockhand } = await both([
      "build",
      "--progress=plain",
      "--network",
      "none",
      "--no-cache",
      "--target",
      "base",
      "-t",
      tag("target"),
      context
    ])
    assert.strictEqual(dockhand.code, docker.code)
    assert.deepStrictEqual(steps(dockhand.stderr), steps(docker.stderr))
    assert.isFalse(dockhand.stderr.includes("[final"))
    const label = await Harness.docker(["image", "inspect", "-f", "{{.Config.Labels.stage}}", tag("target")], world)
    assert.strictEqual(label.trim(), "base")
  })

  it("a failing RUN: the same exit code, ERROR lines and last output lines", async () => {
    const { docker, dockhand } = await both([
      "build",
      "--progress=plain",
      "--network",
      "none",
      "-f",
      path.join(context, "Fail.Dockerfile"),
      context
    ])
    assert.strictEqual(docker.code, 1)
    assert.strictEqual(dockhand.code, docker.code)
    assert.deepStrictEqual(steps(dockhand.stderr), steps(docker.stderr))
    assert.strictEqual(errorLogs(dockhand.stderr), errorLogs(docker.stderr))
    assert.include(errorLogs(dockhand.stderr), `<t> failing ${world.runId}\n<t> last words\n`)
    // then the Dockerfile excerpt around the failing instruction
    assert.strictEqual(excerpt(dockhand.stderr), excerpt(docker.stderr))
    assert.strictEqual(
      excerpt(dockhand.stderr),
      [
        "Fail.Dockerfile:3",
        "--------------------",
        "   1 |     FROM scratch",
        "   2 |     COPY busybox /bin/sh",
        `   3 | >>> RUN echo "failing ${world.runId}" && echo "last words" && exit 3`,
        "   4 |     ",
        "--------------------",
        ""
      ].join("\n")
    )
    const last = (stderr: string) => stderr.trimEnd().split("\n").at(-1)
    assert.strictEqual(last(dockhand.stderr), last(docker.stderr))
    assert.strictEqual(
      last(dockhand.stderr),
      `ERROR: failed to build: failed to solve: process "/bin/sh -c echo \\"failing ${world.runId}\\" && echo ` +
        `\\"last words\\" && exit 3" did not complete successfully: exit code: 3`
    )
  })

  it("the Dockerfile excerpt of a failed multi-line step in a named stage, in every progress mode and from stdin", async () => {
    const dockerfile = [
      "# escape=`",
      "FROM scratch AS base",
      "COPY busybox /bin/sh",
      "",
      "FROM base AS Tools",
      "WORKDIR /",
      "RUN echo one && `",
      "  # a comment in the instruction",
      `  echo "${world.runId}" && exit 4`,
      "LABEL after=yes",
      ""
    ].join("\n")
    const dir = Harness.writeTree(world, "excerpt-ctx", {
      "Multi.Dockerfile": dockerfile,
      "busybox": fs.readFileSync(Harness.BUSYBOX)
    })
    fs.chmodSync(path.join(dir, "busybox"), 0o755)
    const expected = [
      "Multi.Dockerfile:7",
      "--------------------",
      "   6 |     WORKDIR /",
      "   7 | >>> RUN echo one && `",
      "   8 | >>>   # a comment in the instruction",
      `   9 | >>>   echo "${world.runId}" && exit 4`,
      "  10 |     LABEL after=yes",
      "--------------------",
      ""
    ].join("\n")
    for (const mode of ["--progress=plain", "--progress=rawjson", "-q"]) {
      const args = ["build", mode, "--network", "none", "--no-cache", "-f", path.join(dir, "Multi.Dockerfile"), dir]
      const { docker, dockhand } = await both(args)
      assert.strictEqual(docker.code, 1, docker.stderr)
      assert.strictEqual(dockhand.code, docker.code, mode)
      assert.strictEqual(excerpt(docker.stderr), expected, mode)
      assert.strictEqual(excerpt(dockhand.stderr), expected, mode)
    }
    // from standard input, the Dockerfile is called Dockerfile
    const args = ["build", "--progress=plain", "--network", "none", "--no-cache", "-f", "-", dir]
    const docker = await Harness.run("docker", args, world, { stdin: dockerfile })
    const dockhand = await Harness.run("dockhand", args, world, { stdin: dockerfile })
    assert.strictEqual(dockhand.code, docker.code)
    assert.strictEqual(excerpt(docker.stderr), expected.replace("Multi.Dockerfile:7", "Dockerfile:7"))
    assert.strictEqual(excerpt(dockhand.stderr), excerpt(docker.stderr))
  })

  it("-q prints only the image ID and --iidfile writes it", async () => {
    const iid = path.join(world.dir, "iid")
    const args = ["build", "-q", "--network", "none", "--iidfile", iid, context]
    const { docker, dockhand } = await both(args)
    assert.strictEqual(dockhand.code, docker.code)
    assert.strictEqual(dockhand.stderr, docker.stderr)
    assert.match(docker.stdout.toString(), /^sha256:[0-9a-f]{64}\n$/)
    assert.match(dockhand.stdout.toString(), /^sha256:[0-9a-f]{64}\n$/)
    assert.strictEqual(fs.readFileSync(iid, "utf8"), dockhand.stdout.toString().trim())
  })

  it("a local directory goes through a session: buildx's internal load steps, .dockerignore honoured", async () => {
    const dir = Harness.writeTree(world, "session-ctx", {
      "Dockerfile":
        `FROM scratch\nCOPY busybox /bin/sh\nCOPY . /ctx\nRUN echo ${world.runId} && cd /ctx && find . | sort\n`,
      ".dockerignore": "ignored\n*.log\n!keep.log\n",
      "kept/a.txt": "a\n",
      "ignored/no.txt": "no\n",
      "x.log": "no\n",
      "keep.log": "yes\n",
      "busybox": fs.readFileSync(Harness.BUSYBOX)
    })
    fs.chmodSync(path.join(dir, "busybox"), 0o755)
    const { docker, dockhand } = await both(["build", "--progress=plain", "--network", "none", "--no-cache", dir])
    assert.strictEqual(dockhand.code, docker.code, dockhand.stderr)
    assert.strictEqual(dockhand.code, 0)
    // buildx's load steps, each once, in the order they first show (a step the daemon completes and starts again at
    // once is one block; a step whose output is interleaved with another's gets its header printed again, as much
    // as the timing has it: a slow transfer on a loaded machine did for the Dockerfile once)
    const internal = (stderr: string) => [
      ...new Set(
        [...stderr.matchAll(
          /^#\d+ (\[internal\] load (?:build definition from Dockerfile|\.dockerignore|build context))$/gm
        )].map((m) => m[1])
      )
    ]
    if (Harness.runtimeName === "bun") {
      // Bun cannot serve a session: the context goes as a tar, without buildx's load steps
      assert.deepStrictEqual(internal(dockhand.stderr), [])
    } else {
      assert.deepStrictEqual(internal(dockhand.stderr), internal(docker.stderr))
      assert.deepStrictEqual(internal(dockhand.stderr), [
        "[internal] load build definition from Dockerfile",
        "[internal] load .dockerignore",
        "[internal] load build context"
      ])
    }
    assert.deepStrictEqual(steps(dockhand.stderr), steps(docker.stderr))
    assert.include(steps(dockhand.stderr).join("\n"), "./kept/a.txt")
    assert.notInclude(dockhand.stderr, "ignored/no.txt")
    assert.notInclude(dockhand.stderr, "./x.log")
  })

  it("--secret from a file and an environment variable, as docker passes them", async () => {
    const dir = Harness.writeTree(world, "secret-ctx", {
      "Dockerfile": "FROM scratch\nCOPY busybox /bin/sh\n" +
        "RUN --mount=type=secret,id=f --mount=type=secret,id=e cat /run/secrets/f /run/secrets/e | busybox md5sum\n",
      "busybox": fs.readFileSync(Harness.BUSYBOX),
      "token": `file-${world.runId}`
    })
    fs.chmodSync(path.join(dir, "busybox"), 0o755)
    const args = [
      "build",
      "--progress=plain",
      "--network",
      "none",
      "--no-cache",
      "--secret",
      `id=f,src=${path.join(dir, "token")}`,
      "--secret",
      "id=e,env=DOCKHAND_E2E_SECRET",
      dir
    ]
    const env = { ...world, env: { ...world.env, DOCKHAND_E2E_SECRET: `env-${world.runId}` } }
    const docker = await Harness.run("docker", args, env)
    const dockhand = await Harness.run("dockhand", args, env)
    if (Harness.runtimeName === "bun") {
      assert.strictEqual(dockhand.code, 1)
      assert.include(dockhand.stderr, "needs Node or Deno")
      return
    }
    assert.strictEqual(dockhand.code, docker.code, dockhand.stderr)
    assert.strictEqual(dockhand.code, 0)
    assert.deepStrictEqual(steps(dockhand.stderr), steps(docker.stderr))
    assert.notInclude(dockhand.stderr, world.runId)
    for (const bad of ["foo=bar", "type=bad,id=x", "src", "id=x,src=/nonexistent-dockhand"]) {
      const both2 = await both(["build", "--progress=plain", "--secret", bad, dir])
      assert.strictEqual(both2.dockhand.code, both2.docker.code, bad)
      assert.strictEqual(both2.dockhand.stderr.trim().split("\n").at(-1), both2.docker.stderr.trim().split("\n").at(-1))
    }
  })

  it("--progress=tty without a terminal fails as docker's: the same message and exit code", async () => {
    const tty = await Harness.run("dockhand", ["build", "--progress=tty", context], world)
    assert.strictEqual(tty.code, 1)
    assert.strictEqual(tty.stderr, "ERROR: failed to get console: provided file is not a console\n")
  })
})
