/**
 * The Node start-up snapshot: `dockhand --node-snapshot` builds it for the Node that runs it, the `dockhand` bin starts
 * from it (the same process, through `process.execve`), and every command prints exactly what the bundle prints,
 * through pipes, in another directory, with `NODE_OPTIONS`, against a fake daemon on a unix socket. When the
 * snapshot cannot be used (none, cut short, built by another Node or from another bundle, an unreadable manifest),
 * the bin runs the bundle. SIGINT and SIGTERM end a command started from the snapshot as they end the bundle's.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { buildBundle, oneImageDaemon, root } from "./utils/FakeDaemon.ts"

const node = path.join(root, "node_modules/.bin/node")
const cliBin = path.join(root, "packages/cli/bin/dockhand.js")

interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  /** Whether the process that ran the program was started from the snapshot (`--snapshot-blob`). */
  readonly fromSnapshot: boolean
}

/**
 * Runs the `dockhand` bin without blocking this process (the fake daemon must answer meanwhile). A preload given
 * in `NODE_OPTIONS` writes down, in a file, how each Node process of the run was started.
 */
const run = (dir: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, signal?: NodeJS.Signals) =>
  new Promise<Ran>((resolve) => {
    const record = path.join(dir, "started")
    fs.rmSync(record, { force: true })
    const options = `--require ${path.join(dir, "preload.cjs")} ${env["NODE_OPTIONS"] ?? ""}`.trim()
    const child = execFile(
      node,
      [cliBin, ...args],
      { cwd: path.join(dir, "elsewhere"), env: { ...env, NODE_OPTIONS: options }, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
          stdout,
          stderr,
          fromSnapshot: fs.existsSync(record) && fs.readFileSync(record, "utf8").includes("snapshot")
        })
    )
    // the signal once the program runs (the preload has written down how its process started) and waits on the daemon
    if (signal !== undefined) {
      const sendWhenRunning = () =>
        fs.existsSync(record) &&
          fs.readFileSync(record, "utf8").split("\n").length > (env["DOCKHAND_NO_SNAPSHOT"] ? 1 : 2)
          ? setTimeout(() => child.kill(signal), 500)
          : setTimeout(sendWhenRunning, 50)
      sendWhenRunning()
    }
  })

/** The commands compared: help, flag errors, a command group run bare, the version, and reads from the daemon. */
const commands: ReadonlyArray<ReadonlyArray<string>> = [
  ["--help"],
  ["image", "ls", "--bogus"],
  ["image"],
  ["image", "inspect"],
  ["image", "ls"],
  ["images", "-q"],
  ["image", "inspect", "--format", "{{.Id}} {{.Size}}", "busybox:1.36"],
  ["image", "inspect", "missing:1"],
  ["--version"]
]

describe("the Node start-up snapshot", () => {
  it("dockhand starts from it and prints what the bundle prints; falls back to the bundle when unusable", async () => {
    buildBundle()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-snapshot-"))
    const server = await oneImageDaemon(path.join(dir, "docker.sock"))
    try {
      fs.mkdirSync(path.join(dir, "elsewhere"))
      fs.writeFileSync(
        path.join(dir, "preload.cjs"),
        `require("node:fs").appendFileSync(${JSON.stringify(path.join(dir, "started"))}, ` +
          `process.execArgv.includes("--snapshot-blob") ? "snapshot\\n" : "bundle\\n")\n`
      )
      const env: NodeJS.ProcessEnv = {
        PATH: process.env["PATH"] ?? "",
        HOME: path.join(dir, "home"),
        XDG_CACHE_HOME: path.join(dir, "cache"),
        NO_COLOR: "1",
        DOCKER_HOST: `unix://${path.join(dir, "docker.sock")}`,
        DOCKER_CONFIG: path.join(dir, "config"),
        DOCKHAND_NO_STANDALONE: "1"
      }
      const built = spawnSync(node, [cliBin, "--node-snapshot"], { env, encoding: "utf8" })
      assert.strictEqual(built.status, 0, built.stdout + built.stderr)
      const cache = path.join(dir, "cache", "dockhand")
      const files = fs.readdirSync(cache).sort()
      assert.strictEqual(files.length, 2, files.join(", "))
      const [blob, manifest] = files.map((name) => path.join(cache, name)) as [string, string]
      assert.match(blob, /node-[0-9a-f]{16}\.blob$/)

      const bundled = new Map<string, Ran>()
      for (const args of commands) {
        const fromBundle = await run(dir, args, { ...env, DOCKHAND_NO_SNAPSHOT: "1" })
        assert.isFalse(fromBundle.fromSnapshot)
        bundled.set(args.join(" "), fromBundle)
        const fromSnapshot = await run(dir, args, env)
        // `--version` alone is answered by the bundle's entry before anything loads: no snapshot for it
        assert.strictEqual(fromSnapshot.fromSnapshot, args[0] !== "--version", args.join(" "))
        assert.deepStrictEqual(
          { code: fromSnapshot.code, stdout: fromSnapshot.stdout, stderr: fromSnapshot.stderr },
          { code: fromBundle.code, stdout: fromBundle.stdout, stderr: fromBundle.stderr },
          args.join(" ")
        )
      }
      assert.match(bundled.get("image ls")!.stdout, /^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\nbusybox +1\.36 /)

      // NODE_OPTIONS reaches the process started from the snapshot
      const limited = await run(dir, ["image", "ls"], { ...env, NODE_OPTIONS: "--max-old-space-size=200" })
      assert.isTrue(limited.fromSnapshot)
      assert.strictEqual(limited.stdout, bundled.get("image ls")!.stdout)

      // a signal ends a command started from the snapshot as it ends the bundle's: docker's code, nothing printed
      for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
        for (const fromSnapshot of [false, true]) {
          const ran = await run(
            dir,
            ["image", "inspect", "hang:1"],
            fromSnapshot ? env : { ...env, DOCKHAND_NO_SNAPSHOT: "1" },
            signal
          )
          assert.deepStrictEqual([ran.fromSnapshot, ran.code, ran.stdout, ran.stderr], [fromSnapshot, code, "", ""])
        }
      }

      /** After `change`, the bin runs the bundle, with the same output. */
      const fallsBack = async (why: string, change: () => void) => {
        const blobBytes = fs.readFileSync(blob)
        const manifestText = fs.readFileSync(manifest, "utf8")
        change()
        for (const args of [["image", "ls"], ["image", "ls", "--bogus"]]) {
          const ran = await run(dir, args, env)
          assert.isFalse(ran.fromSnapshot, why)
          const expected = bundled.get(args.join(" "))!
          assert.deepStrictEqual([ran.code, ran.stdout, ran.stderr], [expected.code, expected.stdout, expected.stderr])
        }
        fs.writeFileSync(blob, blobBytes)
        fs.writeFileSync(manifest, manifestText)
        assert.isTrue((await run(dir, ["image", "ls"], env)).fromSnapshot, `${why}: restored`)
      }
      const edit = (field: string, value: string) => () =>
        fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, "utf8")), [field]: value }))
      await fallsBack("a blob cut short", () => fs.truncateSync(blob, 4_000_000))
      await fallsBack("no blob", () => fs.rmSync(blob))
      await fallsBack("built by another version of Node", edit("node", "v24.0.0"))
      await fallsBack("built by another Node binary", edit("execPath", "/opt/node/bin/node"))
      await fallsBack("built from another bundle", edit("bundle", "0000000000000000"))
      await fallsBack("an unreadable manifest", () => fs.writeFileSync(manifest, "{"))

      const removed = spawnSync(node, [cliBin, "--node-snapshot=remove"], { env, encoding: "utf8" })
      assert.strictEqual(removed.status, 0, removed.stderr)
      assert.deepStrictEqual(fs.readdirSync(cache), [])
      assert.isFalse((await run(dir, ["image", "ls"], env)).fromSnapshot)
    } finally {
      server.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
