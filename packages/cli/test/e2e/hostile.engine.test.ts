/**
 * `image build` pointed at code the user did not write, side by side with docker CLI 28 (`DOCKER_BUILDKIT=0`): a
 * hostile git repository served by `git daemon` on 127.0.0.1 (branches whose `.dockerignore` or `Dockerfile` link
 * to a secret file outside the checkout or to `/dev/zero`, and a deep tree), and crafted local contexts (a
 * `.dockerignore` linking out of the context with the Dockerfile outside, a Dockerfile linking out, a socket and a
 * FIFO). Where docker leaks or falls over (it sends a `-f` link's target, runs out of memory on `/dev/zero`, or fails
 * with `archive/tar: write too long`), dockhand's own result is asserted: no secret bytes in the image, an error at
 * once.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import * as Harness from "./Harness.ts"

let world: Harness.World
let P = ""
let secret = ""
let secretText = ""
let base = ""
let daemon: ChildProcess | undefined
let socketServer: net.Server | undefined

const docker = (...args: Array<string>) => Harness.docker(args, world)
const build = { build: true } as const
const tmp = () => Harness.gitBuild(world)
/** The depth of the deep tree (`d/d/…/d/leaf.txt`). */
const DEPTH = 400

const setup = Harness.guardedSetup()

/** A free TCP port on 127.0.0.1 (asked of the system, then released for `git daemon`). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

const git = (cwd: string, ...args: Array<string>) => {
  const result = spawnSync("git", ["-c", "user.email=e2e@dockhand", "-c", "user.name=e2e", ...args], {
    cwd,
    encoding: "utf8"
  })
  assert.strictEqual(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`)
  return result.stdout
}

/** Everything an image holds (`docker save`), to look for bytes that must not be there. */
const saved = (image: string) => {
  const result = spawnSync("docker", ["save", image], { env: world.env, maxBuffer: 256 * 1024 * 1024 })
  assert.strictEqual(result.status, 0, result.stderr?.toString())
  return result.stdout
}

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("hostile")
    P = world.prefix
    // the "secret": a file of the user's, outside every context
    secretText = `SECRET-${world.runId}-do-not-send`
    secret = path.join(world.dir, "secret.txt")
    fs.writeFileSync(secret, `${secretText}\n`)

    // the hostile repository: one branch per trick
    const src = Harness.writeTree(world, "gitsrc", {
      Dockerfile: "FROM scratch\nCOPY a.txt /a.txt\n",
      "a.txt": `a ${world.runId}\n`
    })
    git(src, "init", "-q", "-b", "main")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "main")
    const branch = (name: string, change: () => void) => {
      git(src, "checkout", "-q", "-b", name, "main")
      change()
      git(src, "add", "-A")
      git(src, "commit", "-q", "-m", name)
      git(src, "checkout", "-q", "main")
    }
    const relink = (file: string, target: string) => {
      fs.rmSync(path.join(src, file), { force: true })
      fs.symlinkSync(target, path.join(src, file))
    }
    branch("ignore-secret", () => relink(".dockerignore", secret))
    branch("ignore-zero", () => relink(".dockerignore", "/dev/zero"))
    branch("dockerfile-secret", () => relink("Dockerfile", secret))
    branch("dockerfile-zero", () => relink("Dockerfile", "/dev/zero"))
    branch("deep", () => {
      const deep = path.join(src, ...Array.from({ length: DEPTH }, () => "d"))
      fs.mkdirSync(deep, { recursive: true })
      fs.writeFileSync(path.join(deep, "leaf.txt"), "leaf\n")
      fs.writeFileSync(path.join(src, "Dockerfile"), "FROM scratch\nCOPY d /d\n")
    })
    const served = path.join(world.dir, "srv")
    git(world.dir, "clone", "-q", "--bare", src, path.join(served, "repo.git"))
    const port = await freePort()
    daemon = spawn("git", [
      "daemon",
      "--export-all",
      `--base-path=${served}`,
      "--listen=127.0.0.1",
      `--port=${port}`,
      "--reuseaddr",
      served
    ], {
      stdio: "ignore"
    })
    base = `git://127.0.0.1:${port}`
    // ready when it answers
    for (let i = 0;; i++) {
      if (spawnSync("git", ["ls-remote", `${base}/repo.git`], { stdio: "ignore" }).status === 0) break
      if (i === 50) throw new Error(`git daemon did not answer on ${base}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }

    // crafted local contexts
    Harness.writeTree(world, ".", { "Outside.Dockerfile": "FROM scratch\nCOPY . /app\n" })
    const ignoreLink = Harness.writeTree(world, "ignore-link", { "a.txt": "a\n" })
    fs.symlinkSync(secret, path.join(ignoreLink, ".dockerignore"))
    const dockerfileLink = Harness.writeTree(world, "dockerfile-link", { "a.txt": "a\n" })
    fs.symlinkSync(secret, path.join(dockerfileLink, "Dockerfile"))
    fs.symlinkSync("/dev/zero", path.join(world.dir, "Zero.Dockerfile"))
    const special = Harness.writeTree(world, "special", {
      Dockerfile: "FROM scratch\nCOPY . /app\n",
      "a.txt": `a ${world.runId}\n`
    })
    assert.strictEqual(spawnSync("mkfifo", [path.join(special, "fifo")]).status, 0)
    socketServer = net.createServer()
    await new Promise<void>((resolve) => socketServer!.listen(path.join(special, "sock"), resolve))
  })
)
beforeEach(setup.check)

afterAll(async () => {
  daemon?.kill()
  if (socketServer !== undefined) await new Promise<void>((resolve) => socketServer!.close(() => resolve()))
  if (world !== undefined) await Harness.cleanWorld(world)
})

describe("a hostile git repository (git daemon on 127.0.0.1)", () => {
  const cachedGit = async (args: ReadonlyArray<string>) => {
    await Harness.run("docker", args, world, tmp())
    return Harness.compare(args, world, tmp())
  }
  it("a plain branch builds (identical cached ids)", () =>
    cachedGit(["build", "-q", "--label", world.label, "-t", `${P}/git:main`, `${base}/repo.git#main`]))
  it("a .dockerignore linking to a secret outside the checkout: read for patterns as docker does, sent as a link", async () => {
    await cachedGit(["build", "-q", "--label", world.label, "-t", `${P}/git:ignore`, `${base}/repo.git#ignore-secret`])
    assert.isFalse(saved(`${P}/git:ignore`).includes(secretText))
  })
  it("a .dockerignore linking to /dev/zero: docker's error at once", async () => {
    const { dockhand } = await Harness.compare(["build", `${base}/repo.git#ignore-zero`], world, tmp())
    assert.strictEqual(dockhand.stderr, "error reading .dockerignore: bufio.Scanner: token too long\n")
  })
  it("a Dockerfile linking to a secret outside the checkout: refused (no -f)", async () => {
    const { dockhand } = await Harness.compare(["build", `${base}/repo.git#dockerfile-secret`], world, tmp())
    assert.strictEqual(
      dockhand.stderr,
      "unable to prepare context: the Dockerfile () must be within the build context\n"
    )
  })
  it("a Dockerfile linking to a secret outside the checkout: refused (-f Dockerfile)", async () => {
    const { dockhand } = await Harness.compare(
      ["build", "-f", "Dockerfile", `${base}/repo.git#dockerfile-secret`],
      world,
      tmp()
    )
    assert.strictEqual(
      dockhand.stderr,
      "unable to prepare context: the Dockerfile (Dockerfile) must be within the build context\n"
    )
    assert.notInclude(dockhand.stderr + dockhand.stdout.toString(), secretText)
  })
  it("a Dockerfile linking to /dev/zero: refused at once (no -f, and -f Dockerfile)", async () => {
    await Harness.compare(["build", `${base}/repo.git#dockerfile-zero`], world, tmp())
    await Harness.compare(["build", "-f", "Dockerfile", `${base}/repo.git#dockerfile-zero`], world, tmp())
  })
  it("dockhand removes its checkout after each refusal", () =>
    Harness.assertCheckoutRemoved(world, [
      [["build", `${base}/repo.git#ignore-zero`], 1],
      [["build", `${base}/repo.git#dockerfile-secret`], 1],
      [["build", "-f", "Dockerfile", `${base}/repo.git#dockerfile-secret`], 1],
      [["build", `${base}/repo.git#dockerfile-zero`], 1],
      [["build", "-f", "Dockerfile", `${base}/repo.git#dockerfile-zero`], 1]
    ]))
  it(`a deep tree (${DEPTH} levels) is sent whole (identical cached ids)`, async () => {
    await cachedGit(["build", "-q", "--label", world.label, "-t", `${P}/git:deep`, `${base}/repo.git#deep`])
    const leaf = await docker("image", "history", "--no-trunc", "--format", "{{.CreatedBy}}", `${P}/git:deep`)
    assert.match(leaf, /COPY dir:[0-9a-f]{64} in \/d/)
  })
})

describe("crafted local contexts", () => {
  it("better than docker: a .dockerignore linking out, with -f outside, is sent as the link (no secret bytes in the image)", async () => {
    const args = [
      "build",
      "-q",
      "-f",
      "Outside.Dockerfile",
      "--label",
      world.label,
      "-t",
      `${P}/local:ignore`,
      "ignore-link"
    ]
    // docker sends the link's header and then its target's bytes: `archive/tar: write too long`
    const theirs = await Harness.run("docker", args, world)
    assert.strictEqual(theirs.code, 1)
    assert.include(theirs.stderr, "archive/tar: write too long")
    const mine = await Harness.run("dockhand", args, world)
    assert.strictEqual(mine.code, 0, mine.stderr)
    assert.isFalse(saved(`${P}/local:ignore`).includes(secretText), "the secret is in the image")
  })
  it("a Dockerfile linking out of the context, no -f: docker's error", async () => {
    const { dockhand } = await Harness.compare(["build", "dockerfile-link"], world, build)
    assert.strictEqual(dockhand.stderr, "unable to open Dockerfile: open : no such file or directory\n")
  })
  it("better than docker: -f naming a path in the context that links out is refused (docker sends the target)", async () => {
    const mine = await Harness.run("dockhand", ["build", "-f", "dockerfile-link/Dockerfile", "dockerfile-link"], world)
    assert.deepStrictEqual({ code: mine.code, stderr: mine.stderr }, {
      code: 1,
      stderr:
        "unable to prepare context: the Dockerfile (dockerfile-link/Dockerfile) must be within the build context\n"
    })
  })
  it("better than docker: -f outside the context linking to /dev/zero fails at once (docker runs out of memory)", async () => {
    const mine = await Harness.run("dockhand", ["build", "-f", "Zero.Dockerfile", "dockerfile-link"], world)
    assert.deepStrictEqual({ code: mine.code, stderr: mine.stderr }, {
      code: 1,
      stderr: "failed to parse Dockerfile: dockerfile line greater than max allowed size of 65535\n"
    })
  })
  it("a socket is skipped and a FIFO sent as a FIFO (identical cached ids; docker's socket warning dropped)", async () => {
    const args = ["build", "-q", "--label", world.label, "-t", `${P}/local:special`, "special"]
    await Harness.run("docker", args, world)
    const warning: Harness.Normalize = {
      ...build,
      replace: [[
        /^time="[^"]*" level=error msg="Can't add file \S+\/sock to tar: archive\/tar: sockets not supported"\n/m,
        ""
      ]]
    }
    await Harness.compare(args, world, warning)
  })
})
