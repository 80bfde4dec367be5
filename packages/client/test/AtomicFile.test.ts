import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as AtomicFile from "../src/AtomicFile.ts"
import * as DockerError from "../src/DockerError.ts"
import * as WriteInto from "../src/internal/writeInto.ts"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-atomic-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)
const modeOf = (file: string) => fs.statSync(file).mode & 0o777
const bytes = (text: string) => new TextEncoder().encode(text)

describe("AtomicFile.write (config.json and save -o)", () => {
  it.effect("text, bytes or a stream; a new file is 0600, a replaced one keeps its mode; no temporary file stays", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "config.json")
      yield* AtomicFile.write(file, "{}")
      assert.strictEqual(fs.readFileSync(file, "utf8"), "{}")
      assert.strictEqual(modeOf(file), 0o600)
      fs.chmodSync(file, 0o644)
      yield* AtomicFile.write(file, bytes("é"))
      assert.strictEqual(fs.readFileSync(file, "utf8"), "é")
      assert.strictEqual(modeOf(file), 0o644)
      yield* AtomicFile.write(file, Stream.make(bytes("a"), bytes("b"), bytes("c")))
      assert.strictEqual(fs.readFileSync(file, "utf8"), "abc")
      assert.deepStrictEqual(fs.readdirSync(dir), ["config.json"])
      // keepMode: false (docker's save -o): 0600 even over a file of another mode
      yield* AtomicFile.write(file, "x", { keepMode: false })
      assert.strictEqual(modeOf(file), 0o600)
    }))

  it.effect("a stream's arrays of chunks (views, empty ones, more than a writev takes) are written whole, in order", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "x.tar")
      const source = Uint8Array.from({ length: 5 * 1024 * 1024 }, (_, i) => (i * 7 + (i >> 9)) & 0xff)
      // views into one buffer, of sizes 0 to 4 KiB, then a few large ones: 2,000 chunks in the first array
      const small: Array<Uint8Array> = []
      let offset = 1
      for (let i = 0; i < 2000; i++) {
        small.push(source.subarray(offset, offset + (i * 37) % 4096))
        offset += (i * 37) % 4096
      }
      const large = [source.subarray(offset, offset + 300_000), source.subarray(offset + 300_000)]
      yield* AtomicFile.write(file, Stream.fromArrays(small, large, [new Uint8Array(0)]))
      assert.isTrue(Buffer.from(fs.readFileSync(file)).equals(Buffer.from(source.subarray(1))))
    }))

  it.effect("a symbolic link is followed and stays, a dangling one included", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      fs.writeFileSync(path.join(dir, "real"), "old", { mode: 0o640 })
      fs.symlinkSync("real", path.join(dir, "link"))
      yield* AtomicFile.write(path.join(dir, "link"), "new")
      assert.strictEqual(fs.readlinkSync(path.join(dir, "link")), "real")
      assert.strictEqual(fs.readFileSync(path.join(dir, "real"), "utf8"), "new")
      assert.strictEqual(modeOf(path.join(dir, "real")), 0o640)
      fs.symlinkSync("later", path.join(dir, "dangling"))
      yield* AtomicFile.write(path.join(dir, "dangling"), "made")
      assert.strictEqual(fs.readFileSync(path.join(dir, "later"), "utf8"), "made")
      assert.isTrue(fs.lstatSync(path.join(dir, "dangling")).isSymbolicLink())
    }))

  it.effect("a failing stream: its own error, the old file kept, the temporary file (named with tempPrefix) removed", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "out.tar")
      fs.writeFileSync(file, "keep me")
      let seen: ReadonlyArray<string> = []
      const failing = Stream.make(bytes("part")).pipe(
        Stream.concat(
          Stream.fromEffect(Effect.sync(() => {
            seen = fs.readdirSync(dir)
          })).pipe(Stream.drain)
        ),
        Stream.concat(Stream.fail("daemon gone" as const))
      )
      const error = yield* Effect.flip(AtomicFile.write(file, failing, { tempPrefix: ".docker_temp_" }))
      assert.strictEqual(error, "daemon gone")
      assert.strictEqual(seen.length, 2)
      assert.isTrue(seen.some((name) => /^\.docker_temp_[0-9a-f]{10}$/.test(name)), seen.join(","))
      assert.strictEqual(fs.readFileSync(file, "utf8"), "keep me")
      assert.deepStrictEqual(fs.readdirSync(dir), ["out.tar"])
    }))

  it.effect("interrupted while writing: the temporary file removed, the old file kept", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "out.tar")
      fs.writeFileSync(file, "keep me")
      const written = yield* Deferred.make<void>()
      const stalled = Stream.make(bytes("x")).pipe(
        Stream.concat(Stream.fromEffect(Deferred.succeed(written, undefined)).pipe(Stream.drain)),
        Stream.concat(Stream.never)
      )
      const fiber = yield* Effect.forkChild(AtomicFile.write(file, stalled))
      yield* Deferred.await(written)
      assert.strictEqual(fs.readdirSync(dir).length, 2)
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(fs.readdirSync(dir), ["out.tar"])
      assert.strictEqual(fs.readFileSync(file, "utf8"), "keep me")
    }))

  it.effect("a failure of the file system: a SystemError in Go's words with kind, call, path and cause", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const missing = path.join(dir, "no", "config.json")
      const error = yield* Effect.flip(AtomicFile.write(missing, "{}", { operation: "Test.write" }))
      assert.isTrue(DockerError.isDockerError(error))
      assert.strictEqual(error.reason._tag, "SystemError")
      if (error.reason._tag !== "SystemError") return
      assert.strictEqual(error.reason.kind, "NotFound")
      assert.strictEqual(error.reason.syscall, "open")
      assert.strictEqual(error.reason.operation, "Test.write")
      assert.match(error.reason.path ?? "", /^.*\/no\/\.config\.json\.tmp-[0-9a-f]{10}$/)
      assert.strictEqual(error.message, `open ${error.reason.path}: no such file or directory`)
      assert.strictEqual((error.reason.cause as NodeJS.ErrnoException).code, "ENOENT")
    }))

  it.effect("observe sees each chunk once it is written, in order; text and bytes are not chunks", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "out.tar")
      const seen: Array<string> = []
      const observe = (chunk: Uint8Array) => {
        // each chunk is in the file when it is observed
        const size = fs.statSync(fs.readdirSync(dir).map((name) => path.join(dir, name))[0]!).size
        seen.push(`${new TextDecoder().decode(chunk)}@${size}`)
      }
      yield* AtomicFile.write(file, Stream.fromArrays([bytes("ab"), bytes("c")], [bytes("de")]), { observe })
      assert.deepStrictEqual(seen, ["ab@3", "c@3", "de@5"])
      yield* AtomicFile.write(file, "text", { observe })
      yield* AtomicFile.write(file, bytes("bytes"), { observe })
      assert.strictEqual(seen.length, 3)
    }))

  it.effect("a download written into the file by its transport: its file's descriptor given, a failed write reported", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "out.tar")
      fs.writeFileSync(file, "keep me")
      // a stand-in for Images.save's stream: what a transport does with WriteInto
      const given: Array<WriteInto.Target | undefined> = []
      const download = (write: (target: WriteInto.Target) => Effect.Effect<void, string>) =>
        WriteInto.mark(Stream.unwrap(Effect.map(Effect.service(WriteInto.WriteInto), (target) => {
          given.push(target)
          return target === undefined ? Stream.make(bytes("streamed")) : Stream.fromEffectDrain(write(target))
        })))
      yield* AtomicFile.write(
        file,
        download((target) => Effect.sync(() => fs.writeSync(target.fd, "written by the transport")))
      )
      assert.strictEqual(fs.readFileSync(file, "utf8"), "written by the transport")
      // a stream made from it is not the download: no descriptor
      yield* AtomicFile.write(file, download(() => Effect.void).pipe(Stream.map((chunk) => chunk)))
      assert.strictEqual(fs.readFileSync(file, "utf8"), "streamed")
      assert.strictEqual(given[1], undefined)
      fs.writeFileSync(file, "keep me")
      // the transport's write failed: the file's own SystemError, as if AtomicFile had written
      const full = Object.assign(new Error("ENOSPC: no space left on device, write"), {
        code: "ENOSPC",
        syscall: "write"
      })
      const error = yield* Effect.flip(AtomicFile.write(
        file,
        download((target) =>
          Effect.suspend(() => {
            target.writeError = full
            return Effect.fail("answer stopped")
          })
        ),
        { operation: "ImageSave", tempPrefix: ".docker_temp_" }
      ))
      assert.isTrue(DockerError.isDockerError(error))
      if (!DockerError.isDockerError(error) || error.reason._tag !== "SystemError") return assert.fail(String(error))
      assert.strictEqual(error.reason.syscall, "write")
      assert.strictEqual(error.reason.kind, "NoSpace")
      assert.match(error.message, /^write .*\/\.docker_temp_[0-9a-f]{10}: no space left on device$/)
      assert.strictEqual(error.reason.cause, full)
      // any other failure of the download is its own
      const other = yield* Effect.flip(AtomicFile.write(file, download(() => Effect.fail("daemon gone"))))
      assert.strictEqual(other, "daemon gone")
      assert.strictEqual(fs.readFileSync(file, "utf8"), "keep me")
      assert.deepStrictEqual(fs.readdirSync(dir), ["out.tar"])
    }))
})
