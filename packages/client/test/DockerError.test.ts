import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as DockerError from "../src/DockerError.ts"
import * as DockerPlatform from "../src/DockerPlatform.ts"
import * as NodeCompatPlatform from "../src/NodeCompatPlatform.ts"
import * as Progress from "../src/Progress.ts"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-error-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const platformWith = (options: NodeCompatPlatform.Options) =>
  Effect.gen(function*() {
    return yield* DockerPlatform.DockerPlatform
  }).pipe(Effect.provide(NodeCompatPlatform.layerWith(options)))

/** Which handler of a `catchReason` chain caught the error: the first that matches wins. */
const caughtBy = <A>(effect: Effect.Effect<A, DockerError.DockerError>) =>
  effect.pipe(
    Effect.as("nothing"),
    Effect.catchReason("DockerError", "InvalidArgument", () => Effect.succeed("InvalidArgument")),
    Effect.catchReason("DockerError", "SystemError", (reason) => Effect.succeed(`SystemError ${reason.kind}`)),
    Effect.catchTag("DockerError", (error) => Effect.succeed(`other ${error.reason._tag}`))
  )

describe("isDockerError", () => {
  it("is true for a DockerError of any reason, false for anything else", () => {
    const notFound = DockerError.fromStatus({ status: 404, message: "No such image: x", operation: "ImageInspect" })
    const local = DockerPlatform.localError("Test", "open /x: permission denied", { kind: "PermissionDenied" })
    assert.isTrue(DockerError.isDockerError(notFound))
    assert.isTrue(DockerError.isDockerError(local))
    assert.isTrue(DockerError.isDockerError(DockerPlatform.argumentError("Test", "bad")))
    assert.isFalse(DockerError.isDockerError(new Error("Error response from daemon: x")))
    assert.isFalse(DockerError.isDockerError({ _tag: "DockerError", reason: notFound.reason }))
    assert.isFalse(DockerError.isDockerError(notFound.reason))
    assert.isFalse(DockerError.isDockerError(undefined))
    assert.isFalse(DockerError.isDockerError("DockerError"))
  })
})

describe("DockerError cause", () => {
  it("promotes the reason's cause to the error's own cause", () => {
    const socket = Object.assign(new Error("connect ENOENT /nowhere.sock"), { code: "ENOENT" })
    const connection = DockerError.make(
      new DockerError.ConnectionError({
        host: "unix:///nowhere.sock",
        message: "cannot connect",
        operation: "SystemPing",
        cause: socket
      })
    )
    assert.strictEqual(connection.cause, socket)
    const decode = DockerError.make(
      new DockerError.DecodeError({ message: "bad", operation: "ImageList", cause: "why" })
    )
    assert.strictEqual(decode.cause, "why")
    const full = Object.assign(new Error("ENOSPC"), { code: "ENOSPC" })
    const system = DockerPlatform.localError("Test", "write /x: no space left on device", {
      kind: "NoSpace",
      cause: full
    })
    assert.strictEqual(system.cause, full)
    assert.strictEqual(system.message, "write /x: no space left on device")
  })

  it("has no cause when the reason has none, and the message is unchanged", () => {
    const notFound = DockerError.fromStatus({ status: 404, message: "No such image: x", operation: "ImageInspect" })
    assert.isUndefined(notFound.cause)
    assert.strictEqual(notFound.message, "Error response from daemon: No such image: x")
    const noCause = DockerError.make(new DockerError.ConnectionError({ host: "h", message: "m", operation: "o" }))
    assert.isUndefined(noCause.cause)
    assert.strictEqual(noCause.message, "m")
  })

  it.effect("shows in Cause.pretty", () =>
    Effect.gen(function*() {
      const socket = new Error("the socket's own error")
      const exit = yield* Effect.exit(
        Effect.fail(DockerError.make(
          new DockerError.ConnectionError({ host: "h", message: "cannot connect", operation: "o", cause: socket })
        ))
      )
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) assert.include(Cause.pretty(exit.cause), "the socket's own error")
    }))
})

describe("SystemError", () => {
  it("maps errno codes to kinds", () => {
    assert.strictEqual(DockerError.systemErrorKind("ENOENT"), "NotFound")
    assert.strictEqual(DockerError.systemErrorKind("EACCES"), "PermissionDenied")
    assert.strictEqual(DockerError.systemErrorKind("EPERM"), "PermissionDenied")
    assert.strictEqual(DockerError.systemErrorKind("ENOSPC"), "NoSpace")
    assert.strictEqual(DockerError.systemErrorKind("EROFS"), "ReadOnly")
    assert.strictEqual(DockerError.systemErrorKind("ENOTDIR"), "NotADirectory")
    assert.strictEqual(DockerError.systemErrorKind("EISDIR"), "IsADirectory")
    assert.strictEqual(DockerError.systemErrorKind("EIO"), "Unknown")
    assert.strictEqual(DockerError.systemErrorKind(undefined), "Unknown")
  })

  it.effect("NodeCompatPlatform.writeFile under a file: a SystemError with kind, path and cause; not an InvalidArgument", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "file")
      fs.writeFileSync(file, "x")
      const platform = yield* platformWith({ env: {} })
      const write = platform.writeFile(path.join(file, "sub", "config.json"), "{}")
      const error = yield* Effect.flip(write)
      assert.strictEqual(error.reason._tag, "SystemError")
      if (error.reason._tag !== "SystemError") return
      assert.strictEqual(error.reason.kind, "NotADirectory")
      assert.strictEqual(error.reason.path, path.join(file, "sub"))
      assert.strictEqual(error.reason.syscall, "mkdir")
      assert.strictEqual(error.reason.operation, "NodeCompatPlatform.writeFile")
      assert.strictEqual((error.cause as NodeJS.ErrnoException).code, "ENOTDIR")
      assert.strictEqual(error.message, `mkdir ${path.join(file, "sub")}: not a directory`)
      assert.strictEqual(yield* caughtBy(write), "SystemError NotADirectory")
    }))

  it.effect("NodeCompatPlatform.readFile of a directory and runHelper of a missing program carry their kind", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const platform = yield* platformWith({ env: { PATH: dir } })
      assert.strictEqual(yield* caughtBy(platform.readFile(dir)), "SystemError IsADirectory")
      const missing = yield* Effect.flip(platform.runHelper("docker-credential-nope", ["get"], ""))
      assert.strictEqual(missing.reason._tag, "SystemError")
      if (missing.reason._tag !== "SystemError") return
      assert.strictEqual(missing.reason.kind, "NotFound")
      assert.strictEqual(missing.reason.path, "docker-credential-nope")
      assert.strictEqual(missing.message, `exec: "docker-credential-nope": executable file not found in $PATH`)
      const notExecutable = path.join(dir, "plain")
      fs.writeFileSync(notExecutable, "#!/bin/sh\n", { mode: 0o644 })
      assert.strictEqual(yield* caughtBy(platform.runHelper(notExecutable, [], "")), "SystemError PermissionDenied")
    }))

  it.effect("catchReason tells argument errors, system errors and daemon answers apart", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* caughtBy(Effect.fail(DockerPlatform.argumentError("Test", "bad"))), "InvalidArgument")
      assert.strictEqual(yield* caughtBy(Effect.fail(DockerPlatform.localError("Test", "boom"))), "SystemError Unknown")
      const notFound = DockerError.fromStatus({ status: 404, message: "x", operation: "ImageInspect" })
      assert.strictEqual(yield* caughtBy(Effect.fail(notFound)), "other NotFound")
    }))

  it.effect("the in-memory platform's missing helper is a SystemError too", () =>
    Effect.gen(function*() {
      const platform = yield* Effect.gen(function*() {
        return yield* DockerPlatform.DockerPlatform
      }).pipe(Effect.provide(DockerPlatform.DockerPlatform.fromRecord({})))
      assert.strictEqual(yield* caughtBy(platform.runHelper("docker-credential-x", [], "")), "SystemError NotFound")
    }))
})

describe("Progress outcome", () => {
  it.effect("an in-band error is mapped once, by the stream, with its operation", () =>
    Effect.gen(function*() {
      const failing = Stream.make({ status: "Pulling" }).pipe(
        Stream.concat(
          Stream.fail(DockerError.make(
            new DockerError.StreamError({ message: "manifest unknown", operation: "ImageCreate", code: 1 })
          ))
        )
      )
      const error = yield* Effect.flip(Progress.make(failing).outcome)
      assert.strictEqual(error.reason._tag, "StreamError")
      assert.strictEqual(error.reason.operation, "ImageCreate")
      assert.strictEqual(error.message, "manifest unknown")
    }))
  it.effect("a hand-built Progress whose messages hold an error line fails with a StreamError reason, not a defect", () =>
    Effect.gen(function*() {
      const messages = Stream.make({ status: "Pulling" }, {
        errorDetail: { message: "denied", code: 3 },
        error: "denied"
      })
      const error = yield* Effect.flip(Progress.make(messages).outcome)
      assert.strictEqual(error.reason._tag, "StreamError")
      assert.strictEqual(error.message, "denied")
    }))
})
