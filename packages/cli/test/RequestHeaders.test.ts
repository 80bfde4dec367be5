/**
 * What the built CLI puts on the wire besides its requests: the headers a daemon sees from `dockhand`, on Node and
 * on Bun, against a fake daemon. Like the docker CLI with no trace exporter, it sends no trace context (Effect's HTTP
 * client would add a sampled `b3` and `traceparent` to every request).
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { buildBundle, oneImageDaemon, type Received, root } from "./utils/FakeDaemon.ts"

const bundle = path.join(root, "packages/cli/dist/dockhand.js")

/** Runs the bundle with `runtime` and `args` against the daemon in `dir`; gives the exit code and standard error. */
const run = (runtime: string, dir: string, args: ReadonlyArray<string>) =>
  new Promise<{ readonly code: number; readonly stderr: string }>((resolve) => {
    execFile(
      path.join(root, "node_modules/.bin", runtime),
      [bundle, ...args],
      {
        env: {
          ...process.env,
          DOCKER_HOST: `unix://${path.join(dir, "docker.sock")}`,
          DOCKER_CONFIG: dir,
          // the list request itself, not the one sent ahead (which is plain `node:http` and never traced)
          DOCKHAND_NO_PREFETCH: "1"
        },
        encoding: "utf8",
        timeout: 60_000
      },
      (error, _stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stderr })
    )
  })

describe("the headers a daemon gets from dockhand", () => {
  it("no trace context on any request, on Node and on Bun; the user agent is dockhand's", async () => {
    buildBundle()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-headers-"))
    const received: Array<Received> = []
    const server = await oneImageDaemon(path.join(dir, "docker.sock"), received)
    try {
      for (const runtime of ["node", "bun"]) {
        for (const args of [["image", "ls"], ["image", "inspect", "busybox:1.36"], ["image", "rm", "other:1"]]) {
          received.length = 0
          const ran = await run(runtime, dir, args)
          const what = `${runtime} ${args.join(" ")}`
          assert.strictEqual(ran.code, args[1] === "rm" ? 1 : 0, `${what}: ${ran.stderr}`)
          // the ping and the command's own request
          assert.isAtLeast(received.length, 2, what)
          for (const request of received) {
            const names = Object.keys(request.headers)
            assert.notInclude(names, "b3", `${what}: ${request.method} ${request.url}`)
            assert.notInclude(names, "traceparent", `${what}: ${request.method} ${request.url}`)
            assert.match(String(request.headers["user-agent"]), /^dockhand\//, what)
          }
        }
      }
    } finally {
      server.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)
})
