import { assert, describe, it } from "@effect/vitest"
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
