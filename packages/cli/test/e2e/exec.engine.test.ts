/**
 * The programs dockhand runs (ssh, git, credential helpers), side by side with docker CLI 28: a program planted in
 * the current directory and reached through an empty `PATH` entry (`PATH=":/usr/bin:…"`), or planted in a checked-out
 * repository, is never run (each planted program touches a marker file: it must stay absent); an ssh that fails
 * shows its own standard error in docker's words; a `credHelpers` program that is missing, and a `config.json` that
 * cannot be read, do not stop the command.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Harness from "./Harness.ts"

let world: Harness.World
let marker = ""
/** A directory holding planted `ssh`, `git`, `pass` and `docker-credential-*` programs: the tests run from it. */
let planted = ""

const setup = Harness.guardedSetup()
const build = { build: true } as const

/** A shell script that touches the marker and prints `planted`. */
const plant = (file: string) =>
  fs.writeFileSync(file, `#!/bin/sh\ntouch ${JSON.stringify(marker)}\necho planted\n`, { mode: 0o755 })

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("exec")
    marker = path.join(world.dir, "planted-program-ran")
    planted = path.join(world.dir, "planted")
    fs.mkdirSync(planted)
    for (
      const name of [
        "ssh",
        "git",
        "pass",
        "docker-credential-pass",
        "docker-credential-secretservice",
        "docker-credential-plant"
      ]
    ) {
      plant(path.join(planted, name))
    }
  })
)
afterAll(() => Harness.cleanWorld(world))
beforeEach(() => {
  setup.check()
  if (marker !== "") fs.rmSync(marker, { force: true })
})

/** Running from the planted directory with an empty entry first on PATH, as `PATH=":$PATH"`. */
const fromPlanted = (extra: Readonly<Record<string, string>> = {}): Harness.RunOptions => ({
  cwd: planted,
  env: { PATH: `:${world.env["PATH"]}`, ...extra }
})

const assertNotRun = () => assert.isFalse(fs.existsSync(marker), "a planted program ran")

/** A fresh configuration directory holding `config` (as config.json) when given. */
const configDir = (name: string, config?: unknown) => {
  const dir = path.join(world.dir, `config-${name}`)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir)
  if (config !== undefined) fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config))
  return dir
}

describe("ssh", () => {
  it("an ssh planted in the current directory is not run (PATH=\":$PATH\")", async () => {
    await Harness.compare(["-H", "ssh://me@127.0.0.1", "image", "ls"], world, fromPlanted())
    assertNotRun()
  })

  it("an ssh that fails: its standard error in docker's words", async () => {
    const bin = path.join(world.dir, "failing-ssh")
    fs.mkdirSync(bin, { recursive: true })
    fs.writeFileSync(
      path.join(bin, "ssh"),
      // like a real ssh, it takes a moment to fail: docker, which writes its request before reading, otherwise
      // races the exit and may report "write |1: broken pipe" instead (dockhand waits for the exit either way)
      "#!/bin/sh\nsleep 0.5\necho 'me@127.0.0.1: Permission denied (publickey).' >&2\nexit 255\n",
      { mode: 0o755 }
    )
    const { dockhand } = await Harness.compare(["-H", "ssh://me@127.0.0.1:2200", "image", "ls"], world, {
      env: { PATH: `${bin}:${world.env["PATH"]}` },
      // docker CLI 28.5 (the reference on Engine 28.5) puts `-l` and `-p` first; 28.2, and dockhand, put `-o … -T`
      // first: the same ssh command, compared in 28.2's order.
      replace: [[/\[ssh -l (\S+) -p (\S+) -o ConnectTimeout=30 -T -- /, "[ssh -o ConnectTimeout=30 -T -l $1 -p $2 -- "]]
    })
    assert.include(dockhand.stderr, "stderr=me@127.0.0.1: Permission denied (publickey).")
    assert.notInclude(dockhand.stderr, "socket hang up")
  })
})

describe("credential helpers", () => {
  const pull = () => ["pull", `${world.engines.registry}/${world.prefix}-absent:1`]

  it("a credHelpers program planted in the current directory is not run; the pull goes on", async () => {
    const dir = configDir("plant", { credHelpers: { [world.engines.registry]: "plant" } })
    await Harness.compare(pull(), world, fromPlanted({ DOCKER_CONFIG: dir }))
    assertNotRun()
  })

  it("a credHelpers program that is missing: the pull goes on", () => {
    const dir = configDir("missing", { credHelpers: { [world.engines.registry]: "dockhand-missing" } })
    return Harness.compare(pull(), world, { env: { DOCKER_CONFIG: dir } })
  })

  it("login does not take a default store planted in the current directory, and writes no credsStore", async () => {
    const login = ["login", "-u", world.engines.registryUser, "--password-stdin", world.engines.registryTls]
    const dockerDir = configDir("login-docker")
    const dockhandDir = configDir("login-dockhand")
    const stdin = `${world.engines.registryPassword}\n`
    const dockerOut = await Harness.run("docker", login, world, { ...fromPlanted({ DOCKER_CONFIG: dockerDir }), stdin })
    const dockhandOut = await Harness.run("dockhand", login, world, {
      ...fromPlanted({ DOCKER_CONFIG: dockhandDir }),
      stdin
    })
    Harness.assertSame(login.join(" "), dockerOut, {
      ...dockhandOut,
      stderr: dockhandOut.stderr.replaceAll(dockhandDir, dockerDir)
    })
    const written = JSON.parse(fs.readFileSync(path.join(dockhandDir, "config.json"), "utf8"))
    assert.notProperty(written, "credsStore")
    assert.deepStrictEqual(written, JSON.parse(fs.readFileSync(path.join(dockerDir, "config.json"), "utf8")))
    assertNotRun()
  })
})

describe("config.json", () => {
  it("a config.json that is a directory: docker's warning, and the command goes on", () => {
    const dir = configDir("unreadable")
    fs.mkdirSync(path.join(dir, "config.json"))
    return Harness.compare(["image", "ls", "--filter", `reference=${world.prefix}-none`], world, {
      env: { DOCKER_CONFIG: dir }
    })
  })
})

describe("git", () => {
  let server: Awaited<ReturnType<typeof Harness.serveFiles>> | undefined
  let base = ""
  beforeAll(() =>
    setup.run(async () => {
      // a repository whose top holds an executable `git`, served by a "dumb" HTTP server (files only)
      const src = Harness.writeTree(world, "gitsrc", { Dockerfile: "FROM scratch\nLABEL from=git-planted\n" })
      plant(path.join(src, "git"))
      const served = Harness.bareRepository(world, src)
      fs.rmSync(marker, { force: true })
      server = await Harness.serveFiles(served)
      base = server.base
    })
  )
  afterAll(() => server?.close())

  it("a git planted in the current directory is not run (PATH=\":$PATH\")", async () => {
    await Harness.compare(["build", `${base}/repo.git#main`], world, { ...build, ...fromPlanted() })
    assertNotRun()
  })

  it("the checked-out repository's own git is not run (PATH=\":$PATH\")", async () => {
    const args = ["build", "-q", "--label", world.label, "-t", `${world.prefix}/git:planted`, `${base}/repo.git#main`]
    const options = { env: { PATH: `:${world.env["PATH"]}` } }
    const dockerOut = await Harness.run("docker", args, world, options)
    assert.strictEqual(dockerOut.code, 0, dockerOut.stderr)
    assertNotRun()
    // docker's build is cached: dockhand's gives the same image id
    await Harness.compare(args, world, { ...build, ...options })
    assertNotRun()
  })
})
