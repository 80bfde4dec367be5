/**
 * Ctrl-C and SIGTERM while a command is under way: `save -o` (the daemon's answer held back half-way by a proxy on
 * a unix socket, so the temporary file is being written when the signal comes) and a build from a git URL (the
 * repository's objects held back by the HTTP server, so `git fetch` is running in the temporary checkout). dockhand
 * must run its finalizers and exit with docker's code, 130 for SIGINT and 143 for SIGTERM, printing nothing, as
 * docker does; unlike docker 28, which renames the partial file over the target, it must leave nothing behind.
 * (docker 28 does not stop a git fetch on a signal: it waits for git, here for ever, so it is not compared there.)
 *
 * Runs with dockhand on Node, Bun or Deno (`DOCKHAND_CLI_RUNTIME`): each handles signals its own way.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import * as Harness from "./Harness.ts"

let world: Harness.World
let P = ""
/** `unix://` address of the proxy that holds back every answer after its first {@link HELD_AFTER} bytes. */
let stalledHost = ""
const HELD_AFTER = 256 * 1024
const proxies: Array<net.Server> = []

const setup = Harness.guardedSetup()

/**
 * A proxy to the daemon's socket that passes requests on but, on each connection, only the first `limit` bytes of
 * the answer: a large answer (a save) stops half-way and stays open, as over a very slow link.
 */
const stallingProxy = (socket: string, target: string, limit: number): Promise<net.Server> =>
  new Promise((resolve) => {
    const server = net.createServer((client) => {
      const daemon = net.connect(target)
      let passed = 0
      client.pipe(daemon)
      daemon.on("data", (chunk: Buffer) => {
        if (passed >= limit) return
        const part = chunk.subarray(0, limit - passed)
        passed += part.length
        client.write(part)
        if (passed >= limit) daemon.pause()
      })
      client.on("error", () => daemon.destroy())
      daemon.on("error", () => client.destroy())
      client.on("close", () => daemon.destroy())
    })
    server.listen(socket, () => resolve(server))
  })

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("interrupt")
    P = world.prefix
    // 2 MiB of random bytes: a save of it is held back by the proxy after a quarter
    const context = Harness.writeTree(world, "big", {
      Dockerfile: "FROM scratch\nCOPY blob /blob\n",
      blob: new Uint8Array(randomBytes(2 * 1024 * 1024))
    })
    await Harness.docker(["build", "-q", "--label", world.label, "-t", `${P}/big:1`, context], world)
    const socket = path.join(world.dir, "stalled.sock")
    proxies.push(await stallingProxy(socket, world.engines.dockerSock, HELD_AFTER))
    stalledHost = `unix://${socket}`
  })
)
beforeEach(setup.check)

afterAll(async () => {
  for (const proxy of proxies) await new Promise((resolve) => proxy.close(resolve))
  if (world !== undefined) await Harness.cleanWorld(world)
})

/** A program started with `args` in the world's environment (plus `env`), its output collected. */
const start = (program: "docker" | "dockhand", args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) => {
  const [command, ...prefix] = program === "docker" ? ["docker"] : Harness.dockhandCommand
  const child = spawn(command!, [...prefix, ...args], {
    cwd: world.dir,
    env: { ...world.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  const out: Array<Buffer> = []
  const err: Array<Buffer> = []
  child.stdout!.on("data", (chunk: Buffer) => out.push(chunk))
  child.stderr!.on("data", (chunk: Buffer) => err.push(chunk))
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((
    resolve
  ) =>
    child.on(
      "close",
      (code, signal) =>
        resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() })
    )
  )
  return { child, ended }
}

/** Polls `condition` every 20 ms until it holds; fails after `seconds` (a guard against hanging, not a timing). */
const until = async (what: string, condition: () => boolean, child: ChildProcess, seconds = 60) => {
  const deadline = Date.now() + seconds * 1000
  while (!condition()) {
    if (child.exitCode !== null || child.signalCode !== null) assert.fail(`the program ended before ${what}`)
    if (Date.now() > deadline) assert.fail(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Sends `signal` and waits for the program to end: within 30 s, or it is killed and the test fails. */
const interrupt = async (running: ReturnType<typeof start>, signal: "SIGINT" | "SIGTERM") => {
  running.child.kill(signal)
  const guard = setTimeout(() => running.child.kill("SIGKILL"), 30_000)
  const result = await running.ended
  clearTimeout(guard)
  assert.notStrictEqual(result.signal, "SIGKILL", "the program did not end within 30 s of the signal")
  return result
}

const codes = { SIGINT: 130, SIGTERM: 143 } as const

describe("save -o, interrupted while the tar is being written", () => {
  const partial = (dir: string) =>
    fs.readdirSync(dir).filter((name) => name.startsWith(".docker_temp_") || name.startsWith(".tmp-"))
  /** Starts `save -o DIR/out.tar` through the stalling proxy and waits until some of the tar is in a temp file. */
  const saving = async (program: "docker" | "dockhand", dir: string) => {
    const running = start(program, ["save", "-o", path.join(dir, "out.tar"), `${P}/big:1`], {
      DOCKER_HOST: stalledHost
    })
    await until(
      "a partial temporary file",
      () => partial(dir).some((name) => (fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.size ?? 0) > 0),
      running.child
    )
    return running
  }

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal}: exit ${codes[signal]}, no temporary file, no target`, async () => {
      const dir = fs.mkdtempSync(path.join(world.dir, "save-"))
      const result = await interrupt(await saving("dockhand", dir), signal)
      assert.deepStrictEqual([result.code, result.stderr, result.stdout], [codes[signal], "", ""])
      assert.deepStrictEqual(fs.readdirSync(dir), [])
    })
    it(`${signal}: an existing target keeps its content`, async () => {
      const dir = fs.mkdtempSync(path.join(world.dir, "save-"))
      fs.writeFileSync(path.join(dir, "out.tar"), "previous\n")
      const result = await interrupt(await saving("dockhand", dir), signal)
      assert.strictEqual(result.code, codes[signal])
      assert.deepStrictEqual(fs.readdirSync(dir), ["out.tar"])
      assert.strictEqual(fs.readFileSync(path.join(dir, "out.tar"), "utf8"), "previous\n")
    })
    it(`${signal}: docker 28 exits with the same code and prints nothing (but renames its partial file over the target)`, async () => {
      const dir = fs.mkdtempSync(path.join(world.dir, "save-"))
      const result = await interrupt(await saving("docker", dir), signal)
      assert.deepStrictEqual([result.code, result.stderr, result.stdout], [codes[signal], "", ""])
      assert.deepStrictEqual(fs.readdirSync(dir), ["out.tar"])
      assert.isBelow(fs.statSync(path.join(dir, "out.tar")).size, 2 * 1024 * 1024)
    })
  }
})

describe("build from a git URL, interrupted while git fetches", () => {
  let server: Awaited<ReturnType<typeof Harness.serveFiles>> | undefined
  let base = ""
  /** How many requests for objects the server holds back: once one is held, git is fetching. */
  let held = 0
  beforeAll(() =>
    setup.run(async () => {
      const src = Harness.writeTree(world, "gitsrc", {
        Dockerfile: "FROM scratch\nCOPY hello.txt /hello.txt\n",
        "hello.txt": "hello\n"
      })
      const served = Harness.bareRepository(world, src)
      // a "dumb" HTTP server that never answers for the objects: `git fetch` waits for them until it is stopped
      server = await Harness.serveFiles(served, (pathname) => pathname.includes("/objects/") && ++held > 0)
      base = server.base
    })
  )
  afterAll(() => server?.close())

  /** Starts the build with a private TMPDIR and waits until git is fetching into a checkout there. */
  const building = async () => {
    const tmp = fs.mkdtempSync(path.join(world.dir, "tmp-"))
    const running = start("dockhand", ["build", "-t", `${P}/git:1`, `${base}/repo.git#main`], { TMPDIR: tmp })
    const before = held
    await until("git asking for the repository's objects", () => held > before, running.child)
    return { running, tmp }
  }

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal}: exit ${codes[signal]}, the temporary checkout removed`, async () => {
      const { running, tmp } = await building()
      const result = await interrupt(running, signal)
      assert.deepStrictEqual([result.code, result.stderr], [codes[signal], ""])
      // (Node keeps its compile cache in TMPDIR too)
      assert.deepStrictEqual(fs.readdirSync(tmp).filter((name) => name.startsWith("docker-build-git")), [])
    })
  }
})
