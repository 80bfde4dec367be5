import { DockerError, DockerPlatform } from "@dockhand/client"
import { assert, describe, it } from "@effect/vitest"
import * as Failure from "../src/internal/Failure.ts"

describe("Failure.fromDockerError", () => {
  it("words a SystemError as the InvalidArgument local failures it replaced were worded", () => {
    const text = "open /home/u/.docker/config.json: permission denied"
    const before = DockerError.make(new DockerError.InvalidArgument({ operation: "DockerConfig.read", message: text }))
    const now = DockerPlatform.localError("DockerConfig.read", text, {
      kind: "PermissionDenied",
      path: "/home/u/.docker/config.json",
      syscall: "open",
      cause: Object.assign(new Error("EACCES"), { code: "EACCES" })
    })
    assert.strictEqual(now.reason._tag, "SystemError")
    assert.deepStrictEqual(
      [Failure.fromDockerError(now).message, Failure.fromDockerError(now).exitCode],
      [Failure.fromDockerError(before).message, Failure.fromDockerError(before).exitCode]
    )
    assert.strictEqual(Failure.fromDockerError(now).message, `${text}\n`)
  })
})
