/**
 * The Node transport against a scripted daemon on a unix socket: raw HTTP written by hand, so that an answer can
 * stop in the middle of its body, as a daemon that dies or a connection that breaks would leave it.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as http from "node:http"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as BodySource from "../src/BodySource.ts"
import * as DockerHost from "../src/DockerHost.ts"
import * as Images from "../src/Images.ts"
import * as NodeClient from "../src/node.ts"
import * as NodeDockerTransport from "../src/NodeDockerTransport.ts"

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

/**
 * A daemon that reads a request's body slowly (a pause after each read; none at all for the first `idleMs`), then
 * answers with the body's size (`x-size`) and sha256 (`x-sha256`) and `answer` as its body. Gives its socket.
 */
const hashingDaemon = (idleMs: number, answer: Uint8Array = new Uint8Array(0)) =>
  Effect.gen(function*() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-transport-"))
    const socket = path.join(dir, "docker.sock")
    const server = http.createServer((req, res) => {
      const hash = createHash("sha256")
      let size = 0
      if (idleMs > 0) {
        req.pause()
        setTimeout(() => req.resume(), idleMs)
      }
      req.on("data", (chunk: Buffer) => {
        hash.update(chunk)
        size += chunk.length
        req.pause()
        setTimeout(() => req.resume(), 0)
      })
      req.on("end", () => {
        res.setHeader("x-size", String(size))
        res.setHeader("x-sha256", hash.digest("hex"))
        res.end(answer)
      })
    })
    yield* Effect.acquireRelease(
      Effect.promise(() => new Promise<void>((resolve) => server.listen(socket, resolve))),
      () => Effect.sync(() => (server.close(), fs.rmSync(dir, { recursive: true, force: true })))
    )
    return socket
  })

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

  it.effect("streams a long request body and a long answer whole and in order, through a slow reader", () =>
    Effect.gen(function*() {
      // a daemon that reads the body slowly, answers with its length and hash, then sends 8 MiB back
      const answer = Uint8Array.from({ length: 8 * 1024 * 1024 }, (_, i) => (i * 13 + (i >> 11)) & 0xff)
      const socket = yield* hashingDaemon(0, answer)
      const client = yield* NodeDockerTransport.make(new DockerHost.Unix({ path: socket }))
      const chunk = (i: number) => Uint8Array.from({ length: 100_000 }, (_, j) => (i + j) & 0xff)
      const sent = createHash("sha256")
      for (let i = 0; i < 100; i++) sent.update(chunk(i))
      const response = yield* client.execute(
        HttpClientRequest.post("http://docker/load").pipe(
          HttpClientRequest.bodyStream(Stream.range(0, 99).pipe(Stream.map(chunk)))
        )
      )
      assert.strictEqual(response.headers["x-size"], String(100 * 100_000))
      assert.strictEqual(response.headers["x-sha256"], sent.digest("hex"))
      const received = createHash("sha256")
      let size = 0
      yield* Stream.runForEach(response.stream, (bytes) =>
        Effect.map(Effect.sleep(0), () => {
          received.update(bytes)
          size += bytes.byteLength
        }))
      assert.strictEqual(size, answer.length)
      assert.strictEqual(received.digest("hex"), createHash("sha256").update(answer).digest("hex"))
    }).pipe(Effect.scoped))

  it.effect("BodySource.InTurn: a source that accepts reads into two buffers in turn, and every byte arrives", () =>
    Effect.gen(function*() {
      // a daemon that reads nothing for 100 ms (the socket's buffers fill, and writes queue in Node), then slowly
      const socket = yield* hashingDaemon(100)
      const client = yield* NodeDockerTransport.make(new DockerHost.Unix({ path: socket }))
      // 600 chunks of 4 KiB: small enough that `write` says "more" while earlier chunks still wait in Node's queue
      const count = 600
      const size = 4096
      const fill = (buffer: Uint8Array, i: number) => {
        for (let j = 0; j < size; j++) buffer[j] = (i * 31 + j) & 0xff
        return buffer
      }
      const sent = createHash("sha256")
      for (let i = 0; i < count; i++) sent.update(fill(new Uint8Array(size), i))
      const twoBuffers = (accept: boolean) =>
        Stream.unwrap(Effect.map(Effect.service(BodySource.InTurn), (offer) => {
          if (accept) offer?.accept()
          const buffers = [new Uint8Array(size), new Uint8Array(size)]
          // one chunk for each pull: a buffer is filled only when the transport asks for its chunk
          return Stream.range(0, count - 1).pipe(Stream.rechunk(1), Stream.map((i) => fill(buffers[i % 2]!, i)))
        }))
      const send = (accept: boolean) =>
        client.execute(
          HttpClientRequest.post("http://docker/load").pipe(
            HttpClientRequest.bodyStream(twoBuffers(accept))
          )
        )
      const inTurn = yield* send(true)
      assert.strictEqual(inTurn.headers["x-size"], String(count * size))
      assert.strictEqual(inTurn.headers["x-sha256"], sent.digest("hex"))
      // the same source without accepting: its buffers are overwritten while Node still holds them, which is what
      // the offer is for (and shows that this daemon would see it)
      const reused = yield* send(false)
      assert.strictEqual(reused.headers["x-size"], String(count * size))
      assert.notStrictEqual(reused.headers["x-sha256"], inTurn.headers["x-sha256"])
    }).pipe(Effect.scoped))

  it.effect("a request body stream that fails fails the request", () =>
    Effect.gen(function*() {
      const daemon = yield* scripted(() => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
      const client = yield* NodeDockerTransport.make(new DockerHost.Unix({ path: daemon.socket }))
      const exit = yield* Effect.exit(client.execute(
        HttpClientRequest.post("http://docker/load").pipe(
          HttpClientRequest.bodyStream(
            Stream.concat(Stream.make(new Uint8Array(10)), Stream.fail(new Error("the file went away")))
          )
        )
      ))
      assert.isTrue(Exit.isFailure(exit))
    }).pipe(Effect.scoped))
})
