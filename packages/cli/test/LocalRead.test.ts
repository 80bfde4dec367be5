import { BodySource } from "@dockhand/client"
import { assert, describe, it } from "@effect/vitest"
import * as Bytes from "effect/Bytes"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Readable } from "node:stream"
import * as LocalRead from "../src/internal/LocalRead.ts"

const textOf = (stream: Stream.Stream<Uint8Array, Error>) =>
  Stream.runCollect(stream).pipe(Effect.map((chunks) => Buffer.concat(Array.from(chunks)).toString("utf8")))

describe("LocalRead (the one file-to-stream helper of stdin, load -i and import)", () => {
  it.effect("fromReadable: the bytes as they come", () =>
    Effect.gen(function*() {
      assert.strictEqual(
        yield* textOf(LocalRead.fromReadable(Readable.from([Buffer.from("ab"), Buffer.from("c")]))),
        "abc"
      )
    }))

  it.effect("fromReadable: a failure that is not an Error becomes one, an Error stays itself", () =>
    Effect.gen(function*() {
      const notAnError = async function*() {
        yield new Uint8Array([1])
        throw "gone"
      }
      const failure = yield* Effect.flip(textOf(LocalRead.fromReadable(notAnError())))
      assert.instanceOf(failure, Error)
      assert.strictEqual(failure.message, "gone")
      const original = Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" })
      const failing = async function*() {
        yield new Uint8Array([1])
        throw original
      }
      assert.strictEqual(yield* Effect.flip(textOf(LocalRead.fromReadable(failing()))), original)
      const error = LocalRead.readError("Images.load")(original)
      assert.strictEqual(error.reason._tag, "SystemError")
      if (error.reason._tag === "SystemError") assert.strictEqual(error.reason.syscall, "read")
    }))

  it.effect("readFile: a missing file fails with docker's open error before any byte is read", () =>
    Effect.gen(function*() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-localread-"))
      const missing = path.join(dir, "missing.tar")
      const failure = yield* Effect.flip(LocalRead.readFile(missing))
      assert.strictEqual(failure.message, `open ${missing}: no such file or directory\n`)
      fs.writeFileSync(path.join(dir, "x.tar"), "tar bytes")
      assert.strictEqual(yield* textOf(yield* LocalRead.readFile(path.join(dir, "x.tar"))), "tar bytes")
      fs.rmSync(dir, { recursive: true })
    }))
})

/** The open file descriptors of this process. */
const openFds = () => fs.readdirSync("/proc/self/fd").length

/** A file of `size` bytes that differ from one position to the next, in a directory removed afterwards. */
const withFile = (size: number) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-localread-"))
      const file = path.join(dir, "in.tar")
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7 + (i >> 9)) & 0xff)
      fs.writeFileSync(file, bytes)
      return { dir, file, bytes }
    }),
    ({ dir }) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
  )

describe("LocalRead.readFile (load -i, import FILE)", () => {
  it.effect("gives every byte of a file larger than one read, in order, and closes the file at the end", () =>
    Effect.gen(function*() {
      const { bytes, file } = yield* withFile(600 * 1024 + 3)
      const before = openFds()
      const chunks = yield* Stream.runCollect(yield* LocalRead.readFile(file))
      assert.isAbove(chunks.length, 1)
      assert.deepStrictEqual(Bytes.concat(chunks), bytes)
      assert.strictEqual(openFds(), before)
    }).pipe(Effect.scoped))

  it.effect("an empty file is an empty stream; a consumer that stops early closes the file too", () =>
    Effect.gen(function*() {
      const empty = yield* withFile(0)
      assert.strictEqual((yield* Stream.runCollect(yield* LocalRead.readFile(empty.file))).length, 0)
      const { bytes, file } = yield* withFile(600 * 1024)
      const stream = yield* LocalRead.readFile(file)
      const opened = openFds()
      const first = yield* Stream.runHead(stream)
      assert.deepStrictEqual(first._tag === "Some" ? first.value : undefined, bytes.subarray(0, 256 * 1024))
      assert.strictEqual(openFds(), opened - 1)
    }).pipe(Effect.scoped))

  it.effect("offered BodySource.InTurn, accepts and reads into two 1 MiB buffers in turn; otherwise a new one each", () =>
    Effect.gen(function*() {
      const { bytes, file } = yield* withFile(3 * 1024 * 1024 + 5)
      let accepted = 0
      const offer: BodySource.InTurn = { accept: () => accepted++ }
      const copies: Array<Uint8Array> = []
      const buffers: Array<ArrayBufferLike> = []
      yield* Stream.runForEach(yield* LocalRead.readFile(file), (chunk) =>
        Effect.sync(() => {
          copies.push(Uint8Array.from(chunk))
          buffers.push(chunk.buffer)
        })).pipe(Effect.provideService(BodySource.InTurn, offer))
      assert.strictEqual(accepted, 1)
      assert.deepStrictEqual(copies.map((chunk) => chunk.byteLength), [1048576, 1048576, 1048576, 5])
      assert.deepStrictEqual(Bytes.concat(copies), bytes)
      assert.strictEqual(new Set(buffers).size, 2)
      assert.notStrictEqual(buffers[0], buffers[1])
      assert.strictEqual(buffers[0], buffers[2])
      const plain = yield* Stream.runCollect(yield* LocalRead.readFile(file))
      assert.strictEqual(new Set(plain.map((chunk) => chunk.buffer)).size, plain.length)
      assert.deepStrictEqual(Bytes.concat(plain), bytes)
    }).pipe(Effect.scoped))

  it.effect("fileBody: a regular file is closed at once and opened again when its stream runs; a device stays open", () =>
    Effect.gen(function*() {
      const { bytes, file } = yield* withFile(600 * 1024 + 1)
      const before = openFds()
      const body = yield* LocalRead.fileBody(file, "ImageLoad")
      assert.strictEqual(openFds(), before)
      assert.deepStrictEqual(Bytes.concat(yield* Stream.runCollect(body)), bytes)
      assert.strictEqual(openFds(), before)
      const device = yield* LocalRead.fileBody("/dev/null", "ImageLoad")
      assert.strictEqual(openFds(), before + 1)
      assert.strictEqual((yield* Stream.runCollect(device)).length, 0)
      assert.strictEqual(openFds(), before)
    }).pipe(Effect.scoped))

  it.effect("fileBody: a read that fails is a SystemError of the operation; a missing file fails with docker's text", () =>
    Effect.gen(function*() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-localread-"))
      const failure = yield* Effect.flip(Stream.runDrain(yield* LocalRead.fileBody(dir, "ImageCreate")))
      assert.strictEqual(failure.reason._tag, "SystemError")
      if (failure.reason._tag === "SystemError") {
        assert.strictEqual(failure.reason.operation, "ImageCreate")
        assert.strictEqual(failure.reason.syscall, "read")
      }
      const missing = yield* Effect.flip(LocalRead.fileBody(path.join(dir, "in.tar"), "ImageLoad"))
      assert.strictEqual(missing.message, `open ${path.join(dir, "in.tar")}: no such file or directory\n`)
      fs.rmSync(dir, { recursive: true })
    }))

  it.effect("a missing file fails at once with docker's text", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(LocalRead.readFile("/nonexistent-dockhand/in.tar"))
      assert.strictEqual(error.message, "open /nonexistent-dockhand/in.tar: no such file or directory\n")
    }))
})
