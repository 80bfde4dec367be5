/**
 * A download written to a file (`AtomicFile.write` of `Images.save` with `lendChunks`) on Node is read by the
 * plain-socket reader (`internal/rawGet.ts`) into one reused buffer. A scripted daemon on a unix socket (or TCP on
 * 127.0.0.1) writes each answer by hand, cut into segments at random places (seeded), so that the status line, the
 * headers, chunk sizes, chunk data and the CRLFs between them arrive split anywhere, as a real socket may deliver
 * them. The file must hold exactly the body; a cut, malformed or refused answer must fail and leave no file.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import * as AtomicFile from "../src/AtomicFile.ts"
import * as DockerHost from "../src/DockerHost.ts"
import * as Images from "../src/Images.ts"
import { LendChunks } from "../src/internal/lendChunks.ts"
import * as RawGet from "../src/internal/rawGet.ts"
import * as NodeClient from "../src/node.ts"
import * as NodeDockerTransport from "../src/NodeDockerTransport.ts"
import * as TempDirs from "./utils/TempDirs.ts"

/** A small seeded generator (mulberry32), so that a failing case can be run again. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** `bytes` cut into pieces of 1 byte to `most` bytes. */
const cut = (bytes: Uint8Array, most: number, next: () => number): Array<Uint8Array> => {
  const pieces: Array<Uint8Array> = []
  for (let at = 0; at < bytes.byteLength;) {
    const size = 1 + Math.floor(next() * most)
    pieces.push(bytes.subarray(at, at + size))
    at += size
  }
  return pieces
}

/** `body` in chunked encoding, in chunks of random sizes, some with an extension, and a trailer now and then. */
const chunked = (body: Uint8Array, next: () => number): Uint8Array => {
  const parts: Array<Uint8Array> = []
  const text = (s: string) => parts.push(Buffer.from(s, "latin1"))
  for (const chunk of cut(body, 70_000, next)) {
    text(`${chunk.byteLength.toString(16)}${next() < 0.1 ? ";ext=1" : ""}\r\n`)
    parts.push(chunk)
    text("\r\n")
  }
  text(next() < 0.3 ? "0\r\nX-Trailer: yes\r\n\r\n" : "0\r\n\r\n")
  return Buffer.concat(parts)
}

interface Daemon {
  /** Where the daemon listens. */
  readonly endpoint: DockerHost.Endpoint
  /** The requests received, as text. */
  readonly requests: Array<string>
}

/**
 * A daemon that answers each request with `answer`, written in the segments given with a pause between some of them,
 * then closes the connection (or, with `hold`, leaves it open).
 */
const daemon = (
  answer: () => { readonly segments: ReadonlyArray<Uint8Array>; readonly hold?: boolean },
  over: "unix" | "tcp" = "unix"
) =>
  Effect.acquireRelease(
    Effect.promise(() => {
      const socket = path.join(TempDirs.make("dockhand-rawget-"), "docker.sock")
      const requests: Array<string> = []
      const connections = new Set<net.Socket>()
      const server = net.createServer((connection) => {
        connections.add(connection)
        connection.on("close", () => connections.delete(connection))
        connection.on("error", () => {})
        connection.once("data", (request) => {
          requests.push(request.toString("latin1"))
          const { hold, segments } = answer()
          let i = 0
          // a pause after every 64 KiB or so, so that the reader sees the answer arrive in several reads
          const write = () => {
            let written = 0
            while (i < segments.length && !connection.destroyed) {
              written += segments[i]!.byteLength
              connection.write(segments[i++]!)
              if (written >= 65536) return void setTimeout(write, 1)
            }
            if (!hold) connection.end()
          }
          write()
        })
      })
      const close = () => {
        for (const connection of connections) connection.destroy()
        server.close()
      }
      return new Promise<{ daemon: Daemon; close: () => void }>((resolve) =>
        over === "unix"
          ? server.listen(
            socket,
            () => resolve({ daemon: { endpoint: new DockerHost.Unix({ path: socket }), requests }, close })
          )
          : server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port
            resolve({
              daemon: { endpoint: new DockerHost.Tcp({ hostname: "127.0.0.1", port, tls: undefined }), requests },
              close
            })
          })
      )
    }),
    ({ close }) => Effect.sync(close)
  ).pipe(Effect.map(({ daemon }) => daemon))

const head = (lines: ReadonlyArray<string>) => Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1")

/**
 * `save` of one image written to `file` through the Node client of `endpoint`: `Images.save`'s own stream, which the
 * transport writes into the file itself (`writeTo`), or with `lent` a stream made from it, whose chunks the reader
 * lends.
 */
const saveTo = (endpoint: DockerHost.Endpoint, file: string, lent = false) =>
  Effect.gen(function*() {
    const images = yield* Images.Images
    const archive = images.save(["app:1"])
    yield* AtomicFile.write(file, lent ? Stream.map(archive, (chunk) => chunk) : archive, { lendChunks: true })
  }).pipe(
    Effect.provide(NodeClient.layerFromOptions({ endpoint, apiVersion: "1.41" }))
  )

/** The messages of `error` and of every cause under it (`cause`, and an HTTP error's `reason`). */
const messagesOf = (error: unknown): Array<string> => {
  const messages: Array<string> = []
  for (let at = error as { message?: unknown; cause?: unknown; reason?: unknown } | undefined; at;) {
    if (typeof at.message === "string") messages.push(at.message)
    at = (at.cause ?? at.reason) as typeof at
  }
  return messages
}

const failureOf = (exit: Exit.Exit<unknown, unknown>) => {
  assert.isTrue(Exit.isFailure(exit))
  const reason = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
  assert.strictEqual(reason?._tag, "Fail")
  return (reason as {
    readonly error: { readonly reason: { readonly _tag: string; readonly message: string; readonly cause?: unknown } }
  }).error.reason
}

describe("the plain-socket reader of a download to a file", () => {
  it.effect("writes exactly the body, however the answer is cut (40 seeded cases)", () =>
    Effect.gen(function*() {
      const out = path.join(TempDirs.make("dockhand-rawget-out-"), "image.tar")
      for (let seed = 1; seed <= 40; seed++) {
        const next = random(seed)
        const body = Uint8Array.from({ length: Math.floor(next() * 3_000_000) }, () => Math.floor(next() * 256))
        const framing = next()
        const answer = framing < 0.6
          ? Buffer.concat([
            head(["HTTP/1.1 200 OK", "Content-Type: application/x-tar", "Transfer-Encoding: chunked"]),
            chunked(body, next)
          ])
          : framing < 0.8
          ? Buffer.concat([head(["HTTP/1.1 200 OK", `Content-Length: ${body.byteLength}`]), body])
          : Buffer.concat([head(["HTTP/1.1 200 OK", "Content-Type: application/x-tar"]), body])
        // pieces of 1 to 50 bytes (every boundary split somewhere) up to 300 KiB (several per read of the socket)
        const most = [50, 4096, 300_000][Math.floor(next() * 3)]!
        const segments = cut(answer, most, next)
        const running = yield* daemon(() => ({ segments }))
        for (const lent of [false, true]) {
          yield* saveTo(running.endpoint, out, lent)
          const written = fs.readFileSync(out)
          assert.strictEqual(written.byteLength, body.byteLength, `seed ${seed}, lent ${lent}`)
          assert.strictEqual(sha256(written), sha256(body), `seed ${seed}, lent ${lent}`)
        }
      }
    }).pipe(Effect.scoped), 60_000)

  it.effect("lent chunks stay as they were until the next pull, however long their reader takes with them", () =>
    Effect.gen(function*() {
      const next = random(99)
      const body = Uint8Array.from({ length: 2_000_000 }, () => Math.floor(next() * 256))
      const running = yield* daemon(() => ({
        segments: cut(
          Buffer.concat([head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]), chunked(body, next)]),
          100_000,
          next
        )
      }))
      const client = yield* NodeDockerTransport.make(running.endpoint)
      const response = yield* client.execute(HttpClientRequest.get("http://docker/images/get"))
      const hash = createHash("sha256")
      const buffers = new Set<ArrayBufferLike>()
      let size = 0
      yield* Stream.runForEachArray(response.stream, (chunks) =>
        // the daemon keeps sending meanwhile: a socket read now would write over these chunks
        Effect.map(Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 2))), () => {
          for (const chunk of chunks) {
            buffers.add(chunk.buffer)
            hash.update(chunk)
            size += chunk.byteLength
          }
        }))
      assert.strictEqual(size, body.byteLength)
      assert.strictEqual(hash.digest("hex"), sha256(body))
      // they were lent: every chunk is a view of the one buffer the answer is read into
      assert.strictEqual(buffers.size, 1)
    }).pipe(Effect.provideService(LendChunks, true), Effect.scoped))

  it.effect("a sink gets each read's body in one piece; one that fails on the last read stops the answer unended", () =>
    Effect.gen(function*() {
      const answers = [
        [head(["HTTP/1.1 200 OK", "Content-Length: 3"]), Buffer.from("abc")],
        [head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]), Buffer.from("1;x=y\r\na\r\n 2 \r\nbc\r\n0\r\n\r\n")]
      ]
      for (const [i, answer] of answers.entries()) {
        const running = yield* daemon(() => ({ segments: [Buffer.concat(answer)] }))
        const socket = (running.endpoint as DockerHost.Unix).path
        for (const fails of [false, true]) {
          const events = yield* Effect.promise(() =>
            new Promise<Array<string>>((resolve) => {
              const seen: Array<string> = []
              RawGet.get({ path: socket }, "/x", { host: "docker" }, (result) => {
                if (result instanceof Error) return resolve([`no answer: ${result.message}`])
                result.on("end", () => seen.push("end"))
                result.on("error", (error: Error) => seen.push(`error: ${error.message}`))
                result.on("close", () => resolve(seen))
                result.writeTo((bytes) => {
                  seen.push(`sink: ${bytes.toString("latin1")}`)
                  return fails ? new Error("disk full") : undefined
                })
              })
            })
          )
          assert.deepStrictEqual(events, ["sink: abc", fails ? "error: disk full" : "end"], `answer ${i}`)
        }
      }
    }).pipe(Effect.scoped))

  it.effect("sends a plain GET that closes the connection after the answer, over TCP too", () =>
    Effect.gen(function*() {
      const out = path.join(TempDirs.make("dockhand-rawget-out-"), "image.tar")
      const running = yield* daemon(() => ({
        segments: [head(["HTTP/1.1 200 OK", "Content-Length: 3"]), Buffer.from("abc")]
      }), "tcp")
      yield* saveTo(running.endpoint, out)
      assert.strictEqual(fs.readFileSync(out, "latin1"), "abc")
      const [request] = running.requests
      assert.match(request!, /^GET \/v1\.41\/images\/get\?names=app%3A1 HTTP\/1\.1\r\n/)
      assert.match(request!, /\r\nhost: 127\.0\.0\.1:\d+\r\n/i)
      assert.match(request!, /\r\nConnection: close\r\n\r\n$/)
    }).pipe(Effect.scoped))

  it.effect("skips an interim 100 Continue before the answer", () =>
    Effect.gen(function*() {
      const out = path.join(TempDirs.make("dockhand-rawget-out-"), "image.tar")
      const running = yield* daemon(() => ({
        segments: [
          head(["HTTP/1.1 100 Continue"]),
          head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]),
          Buffer.from("2\r\nok\r\n0\r\n\r\n")
        ]
      }))
      yield* saveTo(running.endpoint, out)
      assert.strictEqual(fs.readFileSync(out, "latin1"), "ok")
    }).pipe(Effect.scoped))

  const refused: ReadonlyArray<
    readonly [title: string, segments: ReadonlyArray<Uint8Array>, reason: string, message: RegExp, hold?: boolean]
  > = [
    [
      "a chunked answer cut in a chunk",
      [head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]), Buffer.from("10\r\nonly-half")],
      "ConnectionError",
      /closed before the end of the answer/
    ],
    [
      "a chunked answer without its last chunk",
      [head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]), Buffer.from("2\r\nok\r\n")],
      "ConnectionError",
      /closed before the end of the answer/
    ],
    [
      "an answer shorter than its Content-Length",
      [head(["HTTP/1.1 200 OK", "Content-Length: 100"]), Buffer.from("short")],
      "ConnectionError",
      /closed before the end of the answer/
    ],
    [
      "a chunk size that is not hexadecimal",
      [head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]), Buffer.from("zz\r\nok\r\n0\r\n\r\n")],
      "ConnectionError",
      /malformed chunked encoding: chunk size "zz"/,
      true
    ],
    [
      "a chunk not followed by CRLF",
      [head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked"]), Buffer.from("2\r\nokXX0\r\n\r\n")],
      "ConnectionError",
      /malformed chunked encoding: no CRLF after a chunk/,
      true
    ],
    [
      "a status line that is not HTTP",
      [Buffer.from("SSH-2.0-OpenSSH\r\n\r\n")],
      "ConnectionError",
      /malformed HTTP answer: "SSH-2.0-OpenSSH"/
    ],
    [
      "a connection closed before any answer",
      [],
      "ConnectionError",
      /socket hang up/
    ]
  ]
  for (const [title, segments, reason, message, hold] of refused) {
    it.effect(`${title} fails with a ${reason} and leaves no file`, () =>
      Effect.gen(function*() {
        const dir = TempDirs.make("dockhand-rawget-out-")
        const running = yield* daemon(() => ({ segments, ...(hold ? { hold } : {}) }))
        for (const lent of [false, true]) {
          const failure = failureOf(yield* Effect.exit(saveTo(running.endpoint, path.join(dir, "image.tar"), lent)))
          assert.strictEqual(failure._tag, reason, `lent ${lent}`)
          const messages = messagesOf(failure)
          assert.isTrue(messages.some((text) => message.test(text)), `lent ${lent}: ${messages.join(" / ")}`)
          assert.deepStrictEqual(fs.readdirSync(dir), [])
        }
      }).pipe(Effect.scoped))
  }

  it.effect("an error answer is the daemon's error, read in full", () =>
    Effect.gen(function*() {
      const dir = TempDirs.make("dockhand-rawget-out-")
      const message = `{"message":"reference does not exist"}\n`
      const running = yield* daemon(() => ({
        segments: cut(
          Buffer.concat([
            head(["HTTP/1.1 404 Not Found", "Content-Type: application/json", `Content-Length: ${message.length}`]),
            Buffer.from(message)
          ]),
          3,
          random(7)
        )
      }))
      const failure = failureOf(yield* Effect.exit(saveTo(running.endpoint, path.join(dir, "image.tar"))))
      assert.strictEqual(failure._tag, "NotFound")
      assert.strictEqual(failure.message, "reference does not exist")
      assert.deepStrictEqual(fs.readdirSync(dir), [])
    }).pipe(Effect.scoped))
})
