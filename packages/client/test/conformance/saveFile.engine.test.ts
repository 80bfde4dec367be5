/**
 * `AtomicFile.write` of `Images.save`'s stream, as `dockhand image save -o` runs it, against {@link HostileDaemon}
 * on this runtime's entry of `@dockhand/client`. Each runtime takes its own way: Node's transport reads the answer
 * into one reused buffer and writes each read into the file itself, Bun has `Bun.write` put the answer's body into
 * the file (checked here by watching `Bun.write`), Deno streams it through `fetch` (its chunks seen by `observe`).
 * Whichever the way, a whole answer gives the exact bytes; a cut answer, an error status or an interruption leaves
 * neither the file nor a temporary file behind; and a file that cannot be written fails as the file's own write.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import * as AtomicFile from "../../src/AtomicFile.ts"
import type * as DockerError from "../../src/DockerError.ts"
import * as DockerHost from "../../src/DockerHost.ts"
import * as Images from "../../src/Images.ts"
import * as WriteInto from "../../src/internal/writeInto.ts"
import * as C from "./Conformance.ts"
import * as H from "./HostileDaemon.ts"

/** 3 MB that differ from one position to the next. */
const archive = Uint8Array.from({ length: 3_000_000 }, (_, i) => (i * 31 + (i >> 10)) & 0xff)

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** The `/_ping` answer, or `undefined` for the archive's request. */
const pinged = (request: H.Request, connection: H.Connection) =>
  request.target === "/_ping" ? connection.write(H.ping("1.51")) : undefined

/** Writes `bytes` as chunks of irregular sizes (1 byte to 200 KB). */
const chunked = async (connection: H.Connection, bytes: Uint8Array) => {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.min(bytes.length - at, [1, 7, 4096, 65_537, 200_000][i % 5]!)
    await connection.write(`${size.toString(16)}\r\n`)
    await connection.write(bytes.subarray(at, at + size))
    await connection.write("\r\n")
    at += size
  }
}

/** Whether this runtime's transport writes `Images.save`'s answer into the file itself (no chunk in a stream). */
const writesItself = C.entryName === "node" || C.entryName === "bun"

/**
 * Runs `AtomicFile.write(file, images.save([REF]))` against a daemon answering the archive with `script`, counting
 * the calls of `Bun.write` on Bun and the chunks `AtomicFile.write` wrote (`observe`). Gives how it ended, the file's
 * directory, and the counts.
 */
const saveWith = (
  script: (connection: H.Connection) => Promise<void>,
  interruptAfter?: number,
  through: (
    stream: Stream.Stream<Uint8Array, DockerError.DockerError>
  ) => Stream.Stream<Uint8Array, DockerError.DockerError> = (stream) => stream
) =>
  Effect.gen(function*() {
    const dir = yield* C.tempDir("savefile")
    const file = nodePath.join(dir, "out.tar")
    const daemon = yield* H.make(async (request, connection) => {
      if (pinged(request, connection) !== undefined) return
      await script(connection)
    })
    const bun = (globalThis as { Bun?: { write: (...args: Array<unknown>) => Promise<number> } }).Bun
    const original = bun?.write
    let bunWrites = 0
    let observed = 0
    if (bun !== undefined && original !== undefined) {
      bun.write = (...args) => (bunWrites++, original.apply(bun, args))
    }
    const save = Effect.gen(function*() {
      const images = yield* Images.Images
      yield* AtomicFile.write(file, through(images.save(["app:1"])), {
        lendChunks: true,
        observe: () => void observed++
      })
    }).pipe(Effect.provide(C.Runtime.layerFromOptions({ endpoint: new DockerHost.Unix({ path: daemon.socket }) })))
    const exit = yield* Effect.gen(function*() {
      if (interruptAfter === undefined) return yield* Effect.exit(save)
      const fiber = yield* Effect.forkChild(save)
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, interruptAfter)))
      return yield* Fiber.interrupt(fiber).pipe(Effect.as(Exit.void))
    }).pipe(Effect.ensuring(Effect.sync(() => bun !== undefined && original !== undefined && (bun.write = original))))
    return { exit, dir, file, daemon, bunWrites, observed }
  })

/** The entries of `dir` (a cut or interrupted save must leave none: neither the file nor a temporary one). */
const entries = (dir: string) => fs.readdirSync(dir)

describe(`AtomicFile.write of Images.save, ${C.runtimeName}`, () => {
  it.live("a whole chunked answer: the file has every byte; on Node and Bun, no chunk went through the stream", () =>
    Effect.gen(function*() {
      const { bunWrites, exit, file, observed } = yield* saveWith(async (connection) => {
        await connection.write(H.chunkedHead("200 OK", ["Content-Type: application/x-tar"]))
        await chunked(connection, archive)
        await connection.write("0\r\n\r\n")
      })
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      assert.strictEqual(sha256(fs.readFileSync(file)), sha256(archive))
      assert.strictEqual(bunWrites, C.runtimeName === "bun" ? 1 : 0)
      if (writesItself) assert.strictEqual(observed, 0)
      else assert.isAbove(observed, 0)
    }).pipe(Effect.scoped))

  it.live("a whole Content-Length answer, in pieces: every byte", () =>
    Effect.gen(function*() {
      const { exit, file, observed } = yield* saveWith(async (connection) => {
        await connection.write(`HTTP/1.1 200 OK\r\nContent-Length: ${archive.length}\r\n\r\n`)
        for (let at = 0; at < archive.length; at += 700_001) await connection.write(archive.subarray(at, at + 700_001))
      })
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      assert.strictEqual(sha256(fs.readFileSync(file)), sha256(archive))
      if (writesItself) assert.strictEqual(observed, 0)
    }).pipe(Effect.scoped))

  it.live("a stream made from Images.save's (a stage in between) is streamed on every runtime, Bun too", () =>
    Effect.gen(function*() {
      const { bunWrites, exit, file, observed } = yield* saveWith(
        async (connection) => {
          await connection.write(H.chunkedHead("200 OK", ["Content-Type: application/x-tar"]))
          await chunked(connection, archive)
          await connection.write("0\r\n\r\n")
        },
        undefined,
        Stream.map((chunk) => chunk.map((byte) => byte ^ 0xff))
      )
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      assert.strictEqual(sha256(fs.readFileSync(file)), sha256(archive.map((byte) => byte ^ 0xff)))
      assert.strictEqual(bunWrites, 0)
      assert.isAbove(observed, 0)
    }).pipe(Effect.scoped))

  for (
    const [name, script] of [
      ["a chunked answer cut before its last chunk", async (connection: H.Connection) => {
        await connection.write(H.chunkedHead("200 OK", ["Content-Type: application/x-tar"]))
        await chunked(connection, archive.subarray(0, 1_500_000))
        connection.end()
      }],
      ["a Content-Length answer cut short", async (connection: H.Connection) => {
        await connection.write(`HTTP/1.1 200 OK\r\nContent-Length: ${archive.length}\r\n\r\n`)
        await connection.write(archive.subarray(0, 1_000_000))
        connection.end()
      }]
    ] as const
  ) {
    it.live(`${name}: a ConnectionError, and no file`, () =>
      Effect.gen(function*() {
        const { dir, exit } = yield* saveWith(script)
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) {
          const reason = exit.cause.reasons[0]
          assert.strictEqual(reason?._tag, "Fail")
          if (reason?._tag === "Fail") {
            assert.strictEqual((reason.error as { reason: { _tag: string } }).reason._tag, "ConnectionError")
          }
        }
        assert.deepStrictEqual(entries(dir), [])
      }).pipe(Effect.scoped))
  }

  it.live("a 404: NotFound with the daemon's message, and no file", () =>
    Effect.gen(function*() {
      const { dir, exit } = yield* saveWith((connection) =>
        connection.write(
          H.answer("404 Not Found", ["Content-Type: application/json"], `{"message":"reference does not exist"}`)
        )
      )
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const reason = exit.cause.reasons[0]
        const error = reason?._tag === "Fail"
          ? reason.error as { reason: { _tag: string }; message: string }
          : undefined
        assert.strictEqual(error?.reason._tag, "NotFound")
        assert.include(error?.message, "reference does not exist")
      }
      assert.deepStrictEqual(entries(dir), [])
    }).pipe(Effect.scoped))

  it.live("interrupted while the daemon keeps sending: no file, and the connection dropped", () =>
    Effect.gen(function*() {
      const { daemon, dir } = yield* saveWith(async (connection) => {
        await connection.write(H.chunkedHead("200 OK", ["Content-Type: application/x-tar"]))
        await connection.writeForever(() => H.chunk("x".repeat(64 * 1024)), 1024 * 1024 * 1024)
      }, 300)
      assert.deepStrictEqual(entries(dir), [])
      const archiveConnection = daemon.connections.at(-1)!
      yield* H.within(10_000, "the daemon seeing the connection closed", archiveConnection.closed)
      assert.isBelow(archiveConnection.written(), 512 * 1024 * 1024)
    }).pipe(Effect.scoped))

  it.live("a file that cannot be written (/dev/full): the download fails and leaves the write's error (Node, Bun)", () =>
    Effect.gen(function*() {
      const daemon = yield* H.make(async (request, connection) => {
        if (pinged(request, connection) !== undefined) return
        await connection.write(H.chunkedHead("200 OK", ["Content-Type: application/x-tar"]))
        await chunked(connection, archive)
        await connection.write("0\r\n\r\n")
      })
      const fd = fs.openSync("/dev/full", "w")
      const target: WriteInto.Target = { fd, writeError: undefined }
      const exit = yield* Effect.gen(function*() {
        const images = yield* Images.Images
        return yield* Stream.runCollect(images.save(["app:1"]))
      }).pipe(
        Effect.provideService(WriteInto.WriteInto, target),
        Effect.provide(C.Runtime.layerFromOptions({ endpoint: new DockerHost.Unix({ path: daemon.socket }) })),
        Effect.exit,
        Effect.ensuring(Effect.sync(() => fs.closeSync(fd)))
      )
      if (writesItself) {
        assert.isTrue(Exit.isFailure(exit), String(exit))
        assert.strictEqual((target.writeError as NodeJS.ErrnoException | undefined)?.code, "ENOSPC")
      } else {
        // a transport that streams never touches the file: the chunks come out whole
        assert.isTrue(Exit.isSuccess(exit), String(exit))
        if (Exit.isSuccess(exit)) {
          const chunks = Array.from(exit.value)
          const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0))
          chunks.reduce((at, chunk) => (all.set(chunk, at), at + chunk.byteLength), 0)
          assert.strictEqual(sha256(all), sha256(archive))
        }
        assert.strictEqual(target.writeError, undefined)
      }
    }).pipe(Effect.scoped))
})
