import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as BuildContext from "../src/internal/BuildContext.ts"

const text = (s: string) => new TextEncoder().encode(s)

describe("isArchive (docker's IsArchive on the first 1024 bytes)", () => {
  it("compression magic and real tar headers are archives", () => {
    for (const magic of [[0x1f, 0x8b, 0x08], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], [0x28, 0xb5, 0x2f, 0xfd]]) {
      assert.isTrue(BuildContext.isArchive(new Uint8Array([...magic, 0, 0])), magic.join(","))
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ctx-"))
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n")
    const made = spawnSync("tar", ["cf", "-", "-C", dir, "Dockerfile"])
    fs.rmSync(dir, { recursive: true, force: true })
    assert.isTrue(BuildContext.isArchive(made.stdout.subarray(0, 1024)))
  })
  it("a Dockerfile, an empty input, zeros and a header with a wrong checksum are not", () => {
    assert.isFalse(BuildContext.isArchive(text("FROM scratch\nCOPY . /\n")))
    assert.isFalse(BuildContext.isArchive(new Uint8Array(0)))
    assert.isFalse(BuildContext.isArchive(new Uint8Array(1024)))
    const header = new Uint8Array(512)
    header.set(text("Dockerfile"))
    header.set(text("0000000\0"), 148)
    assert.isFalse(BuildContext.isArchive(header))
  })
  it.effect("the tar of a lone Dockerfile is a tar, of docker's size", () =>
    Effect.gen(function*() {
      const chunks = yield* Stream.runCollect(BuildContext.dockerfileOnly(text("FROM scratch\n")))
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
      let offset = 0
      for (const c of chunks) {
        bytes.set(c, offset)
        offset += c.byteLength
      }
      // one header, one data block, the two-block end: "Sending build context to Docker daemon  2.048kB"
      assert.strictEqual(bytes.byteLength, 2048)
      assert.isTrue(BuildContext.isArchive(bytes))
    }))
})
