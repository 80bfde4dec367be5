/**
 * `image build` with the legacy builder (`DOCKER_BUILDKIT=0`), side by side with docker CLI 28: a two-stage build
 * FROM scratch (COPY, ARG, LABEL, ENV, CMD, `COPY . /ctx/` with a `.dockerignore` excluding a file), `-t`, `-f`,
 * `--build-arg`, `--label`, `--target`, `--no-cache`, `-q`, a failing `RUN`, and the context and flag errors.
 *
 * A build docker has just made is fully cached for dockhand's identical build, so the outputs, image ids included,
 * must be identical; `--no-cache` builds make new ids, which are masked. docker's legacy-builder `DEPRECATED`
 * notice and the intermediate containers' ids are normalised away.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Harness from "./Harness.ts"

let world: Harness.World
let P = ""
let context = ""

const docker = (...args: Array<string>) => Harness.docker(args, world)
const build = { build: true } as const

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("build")
    P = world.prefix
    context = Harness.writeTree(world, "ctx", {
      "Dockerfile": [
        "FROM scratch AS base",
        "COPY busybox /bin/busybox",
        "LABEL a=\"1\" stage=base",
        "ENV FOO=bar",
        "FROM base AS final",
        "ARG VERSION=0",
        "COPY . /ctx/",
        "LABEL version=$VERSION",
        "CMD [\"/bin/busybox\", \"sh\"]",
        ""
      ].join("\n"),
      "Other.Dockerfile": "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/x\"]\n",
      ".dockerignore": "# secrets stay home\nsecret.txt\n*.tmp\n",
      "busybox": fs.readFileSync(Harness.BUSYBOX),
      "hello.txt": `hello ${world.runId}\n`,
      "secret.txt": "do not send\n",
      "scratch.tmp": "nor this\n",
      "sub/kept.txt": "kept\n"
    })
    Harness.writeTree(world, ".", { "Outside.Dockerfile": "FROM scratch\nCOPY hello.txt /hello.txt\n" })
    const run = Harness.writeTree(world, "run", {
      Dockerfile:
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo running; exit 3\"]\n",
      busybox: fs.readFileSync(Harness.BUSYBOX)
    })
    fs.chmodSync(path.join(run, "busybox"), 0o755)
    fs.chmodSync(path.join(context, "busybox"), 0o755)
  })
)
beforeEach(setup.check)

afterAll(async () => {
  if (world !== undefined) await Harness.cleanWorld(world)
})

/** Builds with docker first (so that the cache is warm), then compares docker's and dockhand's cached builds. */
const cached = async (args: ReadonlyArray<string>) => {
  await Harness.run("docker", args, world)
  return Harness.compare(args, world, build)
}

describe("image build", () => {
  it("-t, --build-arg, --label (cached: identical ids)", async () => {
    const { dockhand } = await cached([
      "build",
      "-t",
      `${P}/app:1`,
      "-t",
      `${P}/app:2`,
      "--build-arg",
      "VERSION=7",
      "--label",
      world.label,
      "ctx"
    ])
    assert.match(dockhand.stdout.toString(), /Successfully tagged .*\/app:2\n$/)
    assert.strictEqual(
      await docker(
        "image",
        "inspect",
        "-f",
        "{{index .Config.Labels \"version\"}} {{index .Config.Labels \"dockhand.e2e\"}}",
        `${P}/app:1`
      ),
      `7 ${world.runId}\n`
    )
  })
  it("--no-cache (new ids, masked)", () =>
    Harness.compare(["image", "build", "--no-cache", "--label", world.label, "-t", `${P}/app:nocache`, "ctx"], world, {
      ...build,
      ids: true
    }))
  it(".dockerignore: what COPY . sees is the same (content hash in the history)", async () => {
    const history = () => docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", `${P}/app:ignored`)
    await docker("build", "-q", "--no-cache", "--label", world.label, "-t", `${P}/app:ignored`, "ctx")
    const dockerHistory = await history()
    const mine = await Harness.run("dockhand", [
      "build",
      "-q",
      "--no-cache",
      "--label",
      world.label,
      "-t",
      `${P}/app:ignored`,
      "ctx"
    ], world)
    assert.strictEqual(mine.code, 0, mine.stderr)
    assert.strictEqual(await history(), dockerHistory)
    assert.match(dockerHistory, /COPY dir:[0-9a-f]{64} in \/ctx\//)
  })
  it("-q prints only the id", async () => {
    const { dockhand } = await cached(["build", "-q", "--label", world.label, "-t", `${P}/app:q`, "ctx"])
    assert.match(dockhand.stdout.toString(), /^sha256:[0-9a-f]{64}\n$/)
  })
  it("--target", () => cached(["build", "--target", "base", "--label", world.label, "-t", `${P}/app:base`, "ctx"]))
  it("-f relative to the current directory", () =>
    cached(["build", "-f", "ctx/Other.Dockerfile", "--label", world.label, "-t", `${P}/other:1`, "ctx"]))
  it("-f relative to the context is not found", () =>
    Harness.compare(["build", "-f", "Other.Dockerfile", "ctx"], world, build))
  it("-f in a directory that does not exist", () =>
    Harness.compare(["build", "-f", "nodir/Dockerfile", "ctx"], world, build))
  it("-f outside the context (sent under a random name: masked)", () =>
    Harness.compare(["build", "--no-cache", "-f", "Outside.Dockerfile", "--label", world.label, "ctx"], world, {
      ...build,
      ids: true,
      replace: [[/Sending build context to Docker daemon {2}\S+/, "Sending build context to Docker daemon  <size>"]]
    }))
  it("a failing RUN exits with its status", async () => {
    const args = ["build", "--force-rm", "--network", "none", "run"]
    await Harness.run("docker", args, world)
    const { dockhand } = await Harness.compare(args, world, build)
    assert.strictEqual(dockhand.code, 3, `${dockhand.stdout}${dockhand.stderr}`)
  })
  it("--target that does not exist", () => Harness.compare(["build", "--target", "nope", "ctx"], world, build))
  it("-q and a failure: the kept-back output goes to stderr", () =>
    Harness.compare(["build", "-q", "--target", "nope", "ctx"], world, build))
  it("an invalid tag", () => Harness.compare(["build", "-t", "Bad:Tag", "ctx"], world, build))
  it("a context that does not exist", () => Harness.compare(["build", path.join(world.dir, "missing")], world, build))
  it("a file as the context", () => Harness.compare(["build", "ctx/hello.txt"], world, build))
  it("no context", () => Harness.compare(["image", "build"], world, build))
  it("two contexts", () => Harness.compare(["build", "ctx", "ctx"], world, build))
})

describe("image build from standard input", () => {
  /** A tar of the context directory (GNU tar, as a user would make one), and the same gzipped. */
  const contextTar = (gzip: boolean) => {
    const file = path.join(world.dir, gzip ? "ctx.tar.gz" : "ctx.tar")
    if (!fs.existsSync(file)) {
      const result = spawnSync("tar", [gzip ? "czf" : "cf", file, "-C", context, "."], { encoding: "utf8" })
      assert.strictEqual(result.status, 0, result.stderr)
    }
    return fs.readFileSync(file)
  }
  const stdinCached = async (args: ReadonlyArray<string>, stdin: string | Uint8Array) => {
    await Harness.run("docker", args, world, { stdin })
    return Harness.compare(args, world, { ...build, stdin })
  }
  it("a Dockerfile on stdin is the whole context", () =>
    stdinCached(
      ["build", "--label", world.label, "-t", `${P}/stdin:dockerfile`, "-"],
      `FROM scratch\nLABEL from=stdin\n`
    ))
  it("a tar on stdin is the context (-f names the Dockerfile in it)", () =>
    stdinCached(
      ["build", "-q", "-f", "Other.Dockerfile", "--label", world.label, "-t", `${P}/stdin:tar`, "-"],
      contextTar(false)
    ))
  it("a gzipped tar on stdin", () =>
    stdinCached(["build", "--label", world.label, "-t", `${P}/stdin:tgz`, "-"], contextTar(true)))
  it("-f - reads the Dockerfile from stdin for a context directory", () =>
    stdinCached(
      ["build", "-q", "-f", "-", "--label", world.label, "-t", `${P}/stdin:f`, "ctx"],
      "FROM scratch\nCOPY hello.txt /hi\n"
    ))
  it("-f - and a context on stdin", () =>
    Harness.compare(["build", "-f", "-", "-"], world, { ...build, stdin: "FROM scratch\n" }))
  it("-f and a Dockerfile on stdin", () =>
    Harness.compare(["build", "-f", "Dockerfile", "-"], world, {
      ...build,
      stdin: "FROM scratch\n",
      // docker CLI 28.5 (the reference on Engine 28.5) says `unable to prepare context from STDIN: …`, 28.2 leaves
      // out `from STDIN`; dockhand words it as 28.2 does, so both are compared in 28.2's words.
      replace: [[/^unable to prepare context from STDIN: /m, "unable to prepare context: "]]
    }))
  it("nothing on stdin: an empty Dockerfile", () => Harness.compare(["build", "-"], world, { ...build, stdin: "" }))
})

describe("image build from a git URL (a repository served by a plain HTTP server on 127.0.0.1)", () => {
  let server: Awaited<ReturnType<typeof Harness.serveFiles>> | undefined
  let base = ""
  beforeAll(() =>
    setup.run(async () => {
      // a repository with a Dockerfile at the top and another in sub/, on branch main (docker's default ref is master)
      const src = Harness.writeTree(world, "gitsrc", {
        Dockerfile: "FROM scratch\nCOPY hello.txt /hello.txt\nLABEL from=git\n",
        "hello.txt": `hello ${world.runId}\n`,
        "sub/Dockerfile": "FROM scratch\nLABEL from=git-sub\n"
      })
      const served = Harness.bareRepository(world, src)
      fs.writeFileSync(path.join(world.dir, "outside"), "FROM scratch\n")
      server = await Harness.serveFiles(served)
      base = server.base
    })
  )
  afterAll(() => server?.close())

  const tmp = () => Harness.gitBuild(world)
  const cachedGit = async (args: ReadonlyArray<string>) => {
    await Harness.run("docker", args, world, tmp())
    return Harness.compare(args, world, tmp())
  }
  it("URL#ref: the checkout is the context (identical cached ids)", () =>
    cachedGit(["build", "--label", world.label, "-t", `${P}/git:1`, `${base}/repo.git#main`]))
  it("URL#ref:subdir", () =>
    cachedGit(["build", "-q", "--label", world.label, "-t", `${P}/git:sub`, `${base}/repo.git#main:sub`]))
  it("-f relative to the checkout", () =>
    cachedGit([
      "build",
      "-q",
      "-f",
      "sub/Dockerfile",
      "--label",
      world.label,
      "-t",
      `${P}/git:f`,
      `${base}/repo.git#main`
    ]))
  it("no ref: docker's default, master, is not there", () =>
    Harness.compare(["build", `${base}/repo.git`], world, tmp()))
  it("a repository that does not exist", () => Harness.compare(["build", `${base}/nope.git`], world, tmp()))
  it("a subdirectory that does not exist", () => Harness.compare(["build", `${base}/repo.git#main:nope`], world, tmp()))
  it("a file as the subdirectory", () => Harness.compare(["build", `${base}/repo.git#main:hello.txt`], world, tmp()))
  it("-f outside the checkout", () =>
    Harness.compare(["build", "-f", "../../outside", `${base}/repo.git#main`], world, tmp()))
  it("a ref that looks like a flag", () => Harness.compare(["build", `${base}/repo.git#--upload-pack=x`], world, tmp()))
  it("dockhand removes its checkout whether the build succeeds or fails", () =>
    Harness.assertCheckoutRemoved(world, [
      [["build", "-q", "--label", world.label, "-t", `${P}/git:1`, `${base}/repo.git#main`], 0],
      [["build", `${base}/repo.git`], 1],
      [["build", `${base}/repo.git#main:nope`], 1],
      [["build", "-f", "../../outside", `${base}/repo.git#main`], 1],
      [["build", `${base}/repo.git#--upload-pack=x`], 1]
    ]))
  it("a tarball URL is refused with a clear message", async () => {
    const out = await Harness.run("dockhand", ["build", `${base}/context.tar`], world)
    assert.strictEqual(out.code, 1)
    assert.match(out.stderr, /^unable to prepare context: dockhand does not download remote contexts/)
  })
})
