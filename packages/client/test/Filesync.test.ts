import { fromBinary } from "@bufbuild/protobuf"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Wire from "../../codecs/src/internal/fsutil/wire_pb.ts"
import * as Filesync from "../src/internal/filesync.ts"
import type * as Grpc from "../src/internal/grpcServer.ts"
import * as TempDirs from "./utils/TempDirs.ts"

const tree = (files: Readonly<Record<string, string>>) => {
  const dir = TempDirs.make("dockhand-filesync-")
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  return dir
}

/**
 * Runs DiffCopy as the daemon's receiver would: reads the walk, asks for `want` (paths) once it ends, then FIN.
 * Gives the paths of the walk in order and the bytes received per path.
 */
const receive = (dir: string, metadata: ReadonlyArray<readonly [string, string]>, want: (path: string) => boolean) =>
  Effect.gen(function*() {
    const inbound = yield* Queue.unbounded<Uint8Array, import("effect/Cause").Done>()
    const walk: Array<{ path: string; mode: number; linkname: string; size: bigint }> = []
    const data = new Map<number, Array<Uint8Array>>()
    const send = (bytes: Uint8Array) =>
      Effect.sync(() => {
        const packet = fromBinary(Wire.PacketSchema, bytes)
        if (packet.type === Wire.Packet_PacketType.PACKET_STAT) {
          if (packet.stat === undefined) {
            walk.forEach((entry, id) => {
              if (want(entry.path) && (entry.mode & 0x80000000) === 0) {
                Queue.offerUnsafe(inbound, new Uint8Array([0x08, 0x01, 0x18, id]))
              }
            })
            Queue.offerUnsafe(inbound, new Uint8Array([0x08, 0x03]))
            Queue.endUnsafe(inbound)
          } else {
            const { linkname, mode, path, size } = packet.stat
            walk.push({ path, mode, linkname, size })
          }
        } else if (packet.type === Wire.Packet_PacketType.PACKET_DATA) {
          const chunks = data.get(packet.ID) ?? []
          chunks.push(packet.data)
          data.set(packet.ID, chunks)
        }
      })
    // a framed message: its 5-byte gRPC prefix must give the length of what follows it
    const sendFramed = (framed: Uint8Array) =>
      Effect.andThen(
        Effect.sync(() => assert.strictEqual(Buffer.from(framed).readUInt32BE(1), framed.byteLength - 5)),
        send(framed.subarray(5))
      )
    const call: Grpc.Call = { metadata, messages: Stream.fromQueue(inbound), send, sendFramed }
    yield* Filesync.diffCopy(new Map([["context", dir]]))(call)
    const received: Record<string, string> = {}
    for (const [id, chunks] of data) received[walk[id]!.path] = Buffer.concat(chunks).toString()
    return { paths: walk.map((entry) => entry.path), received, walk }
  })

describe("filesync DiffCopy", () => {
  it.effect("walks depth first in byte order, sends only the files asked for", () =>
    Effect.gen(function*() {
      const dir = tree({ "a/b": "1", "a-c": "2", "B": "3", "a/z/y": "4" })
      const { paths, received } = yield* receive(dir, [["dir-name", "context"]], (p) => p === "a-c" || p === "a/z/y")
      assert.deepStrictEqual(paths, ["B", "a", "a/b", "a/z", "a/z/y", "a-c"])
      assert.deepStrictEqual(received, { "a-c": "2", "a/z/y": "4" })
    }))

  it.effect("applies exclude patterns with exceptions, and include patterns with their parent directories", () =>
    Effect.gen(function*() {
      const dir = tree({ "x.log": "", "keep.log": "", "ignored/a": "", "src/main.c": "", "src/util/u.c": "", "d": "" })
      const excluded = yield* receive(
        dir,
        [["dir-name", "context"], ["exclude-patterns", "ignored"], ["exclude-patterns", "*.log"], [
          "exclude-patterns",
          "!keep.log"
        ]],
        () => false
      )
      assert.deepStrictEqual(excluded.paths, ["d", "keep.log", "src", "src/main.c", "src/util", "src/util/u.c"])
      const included = yield* receive(dir, [["dir-name", "context"], ["include-patterns", "src/util"]], () => false)
      assert.deepStrictEqual(included.paths, ["src", "src/util", "src/util/u.c"])
    }))

  it.effect("follows followpaths through a symbolic link, and refuses an unknown directory name", () =>
    Effect.gen(function*() {
      const dir = tree({ "real/Dockerfile": "FROM scratch\n", "other": "" })
      fs.symlinkSync("real/Dockerfile", path.join(dir, "Dockerfile"))
      const { paths, received } = yield* receive(
        dir,
        [["dir-name", "context"], ["followpaths", "Dockerfile"]],
        (p) => p === "real/Dockerfile"
      )
      assert.deepStrictEqual(paths, ["Dockerfile", "real", "real/Dockerfile"])
      assert.deepStrictEqual(received, { "real/Dockerfile": "FROM scratch\n" })
      const error = yield* Effect.flip(receive(dir, [["dir-name", "nope"]], () => false))
      assert.deepStrictEqual({ code: error.code, message: error.message }, {
        code: 5,
        message: "no access allowed to dir \"nope\""
      })
    }))

  it.effect("sends a later link to an inode as a hard link to the first path sent, excluded ones left out", () =>
    Effect.gen(function*() {
      const dir = tree({ "a": "one", "skip/x": "two", "z": "" })
      fs.linkSync(path.join(dir, "a"), path.join(dir, "b"))
      fs.mkdirSync(path.join(dir, "d"))
      fs.linkSync(path.join(dir, "a"), path.join(dir, "d/c"))
      fs.linkSync(path.join(dir, "skip/x"), path.join(dir, "y"))
      fs.linkSync(path.join(dir, "skip/x"), path.join(dir, "y2"))
      const { received, walk } = yield* receive(
        dir,
        [["dir-name", "context"], ["exclude-patterns", "skip"]],
        (p) => p === "a" || p === "y"
      )
      assert.deepStrictEqual(
        walk.map(({ linkname, path, size }) => ({ path, linkname, size })),
        [
          { path: "a", linkname: "", size: 3n },
          { path: "b", linkname: "a", size: 3n },
          { path: "d", linkname: "", size: 0n },
          { path: "d/c", linkname: "a", size: 3n },
          // the first link of `skip/x` sent is `y`: it goes as the file, `y2` as a link to it
          { path: "y", linkname: "", size: 3n },
          { path: "y2", linkname: "y", size: 3n },
          { path: "z", linkname: "", size: 0n }
        ]
      )
      // a linked path keeps its place among the files that may be asked for, as fsutil's sender keeps it
      assert.deepStrictEqual(received, { a: "one", y: "two" })
    }))
})
