/**
 * The Node transport against a scripted daemon on a unix socket: raw HTTP written by hand, so that an answer can
 * stop in the middle of its body, as a daemon that dies or a connection that breaks would leave it.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as DockerHost from "../src/DockerHost.ts"
import * as Images from "../src/Images.ts"
import * as NodeClient from "../src/node.ts"

const summary = {
  Containers: -1,
  Created: 1709287200,
  Id: "sha256:" + "a".repeat(64),
  Labels: null,
  ParentId: "",
  RepoDigests: null,
  RepoTags: ["app:1"],
  SharedSize: -1,
  Size: 1000
}

/** A daemon that writes `answer` (the raw HTTP text after the status line's headers) to every request, then closes. */
const scripted = (answer: (body: string) => string) =>
  Effect.acquireRelease(
    Effect.promise(() => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-transport-"))
      const socket = path.join(dir, "docker.sock")
      const server = net.createServer((connection) => {
        connection.once("data", () => {
          connection.end(answer(JSON.stringify([summary]) + "\n"))
        })
      })
      return new Promise<{ socket: string; close: () => void }>((resolve) =>
        server.listen(socket, () =>
          resolve({ socket, close: () => (server.close(), fs.rmSync(dir, { recursive: true, force: true })) }))
      )
    }),
    (daemon) =>
      Effect.sync(daemon.close)
  )

const list = (socket: string) =>
  Effect.gen(function*() {
    const images = yield* Images.Images
    return yield* images.list()
  }).pipe(
    Effect.provide(NodeClient.layerFromOptions({ endpoint: new DockerHost.Unix({ path: socket }), apiVersion: "1.41" }))
  )

describe("NodeDockerTransport", () => {
  it.effect("reads a whole answer", () =>
    Effect.gen(function*() {
      const daemon = yield* scripted((body) =>
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
      )
      const images = yield* list(daemon.socket)
      assert.deepStrictEqual(images, [summary])
    }).pipe(Effect.scoped))

  it.effect("an answer cut off in its body is a ConnectionError, not a decode of half a list", () =>
    Effect.gen(function*() {
      const daemon = yield* scripted((body) =>
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 500}\r\n\r\n${body}`
      )
      const exit = yield* Effect.exit(list(daemon.socket))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const error = exit.cause.reasons[0]
        assert.strictEqual(error?._tag, "Fail")
        const failure =
          (error as { readonly error: { readonly reason: { readonly _tag: string; readonly message: string } } }).error
        assert.strictEqual(failure.reason._tag, "ConnectionError")
        assert.match(failure.reason.message, /^error reading the daemon's answer: /)
      }
    }).pipe(Effect.scoped))

  it.effect("a chunked answer that stops before its last chunk fails the same way", () =>
    Effect.gen(function*() {
      const daemon = yield* scripted((body) =>
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `${body.length.toString(16)}\r\n${body}\r\n`
      )
      const exit = yield* Effect.exit(list(daemon.socket))
      assert.isTrue(Exit.isFailure(exit))
    }).pipe(Effect.scoped))
})
