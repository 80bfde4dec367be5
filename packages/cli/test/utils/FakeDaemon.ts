/**
 * What the tests that run the built CLI as a user would (the Node snapshot, Deno's permissions) share: the build of
 * the bundle they run, and a daemon on a unix socket that holds one image.
 */
import { assert } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as http from "node:http"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The repository's root. */
export const root = fileURLToPath(new URL("../../../../", import.meta.url))

/** Compiles every package and bundles the CLI (quick when nothing changed): the bins run the built output. */
export const buildBundle = (): void => {
  const bin = path.join(root, "node_modules", ".bin")
  const tsc = spawnSync(path.join(bin, "tsc"), ["-b", "tsconfig.json"], { cwd: root, encoding: "utf8" })
  assert.strictEqual(tsc.status, 0, tsc.stdout + tsc.stderr)
  const bundle = spawnSync(path.join(bin, "node"), ["packages/cli/scripts/bundle.mjs"], { cwd: root, encoding: "utf8" })
  assert.strictEqual(bundle.status, 0, bundle.stdout + bundle.stderr)
}

/** A request {@link oneImageDaemon} received: its method, its path and query, and its headers. */
export interface Received {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
}

/**
 * A daemon on `socket` (API 1.47) with one image, `busybox:1.36`: it answers the ping, the list and that image's
 * inspect; `hang:1`'s inspect is never answered (a command is under way when a signal comes); any other image is a
 * 404 `No such image`. Each request is appended to `received` when one is given.
 */
export const oneImageDaemon = (socket: string, received?: Array<Received>): Promise<http.Server> =>
  new Promise((resolve) => {
    const image = {
      Id: `sha256:${"a".repeat(64)}`,
      ParentId: "",
      RepoTags: ["busybox:1.36"],
      RepoDigests: [],
      Created: 1700000000,
      Size: 4000000,
      SharedSize: -1,
      Labels: null,
      Containers: -1
    }
    const server = http.createServer((request, response) => {
      const url = request.url ?? ""
      received?.push({ method: request.method ?? "", url, headers: request.headers })
      if (url.endsWith("/_ping")) {
        response.writeHead(200, { "api-version": "1.47", ostype: "linux" }).end("OK")
      } else if (/\/images\/json(\?|$)/.test(url)) {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify([image]))
      } else if (url.endsWith("/images/hang:1/json")) {
        // never answered
      } else if (url.endsWith("/images/busybox:1.36/json")) {
        response.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({ Id: image.Id, RepoTags: image.RepoTags, Created: "2023-11-14T22:13:20Z", Size: 4000000 })
        )
      } else {
        response.writeHead(404, { "content-type": "application/json" }).end(
          JSON.stringify({ message: `No such image: ${decodeURIComponent(url.split("/")[3] ?? "")}` })
        )
      }
    })
    server.listen(socket, () => resolve(server))
  })
