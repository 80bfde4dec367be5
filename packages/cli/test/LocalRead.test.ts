import { assert, describe, it } from "@effect/vitest"
import * as Bytes from "effect/Bytes"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as LocalRead from "../src/internal/LocalRead.ts"

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

  it.effect("a missing file fails at once with docker's text", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(LocalRead.readFile("/nonexistent-dockhand/in.tar"))
      assert.strictEqual(error.message, "open /nonexistent-dockhand/in.tar: no such file or directory\n")
    }))
})
