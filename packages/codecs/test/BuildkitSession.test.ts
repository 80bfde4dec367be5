import { create, fromBinary, toBinary } from "@bufbuild/protobuf"
import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as BuildkitSession from "../src/BuildkitSession.ts"
import * as Wire from "../src/internal/fsutil/wire_pb.ts"

describe("BuildkitSession", () => {
  it("frames gRPC messages and splits a byte stream cut anywhere back into them", () => {
    const messages = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(20000).fill(7)]
    const wire = new Uint8Array(messages.reduce((n, m) => n + 5 + m.byteLength, 0))
    let at = 0
    for (const m of messages) {
      const framed = BuildkitSession.frame(m)
      wire.set(framed, at)
      at += framed.byteLength
    }
    for (const step of [1, 3, 5, 4096, wire.byteLength]) {
      const deframe = BuildkitSession.makeDeframer(1 << 20)
      const out: Array<Uint8Array> = []
      for (let i = 0; i < wire.byteLength; i += step) {
        const read = deframe(wire.subarray(i, i + step))
        assert.isTrue(Result.isSuccess(read))
        if (Result.isSuccess(read)) out.push(...read.success)
      }
      assert.deepStrictEqual(out, messages)
    }
  })

  it("refuses a message longer than the limit and a compressed one", () => {
    const long = BuildkitSession.frame(new Uint8Array(11))
    assert.isTrue(Result.isFailure(BuildkitSession.makeDeframer(10)(long)))
    const compressed = BuildkitSession.frame(new Uint8Array(1))
    compressed[0] = 1
    assert.isTrue(Result.isFailure(BuildkitSession.makeDeframer(10)(compressed)))
  })

  it("encodes fsutil packets with fsutil's field numbers and reads the receiver's back", () => {
    // REQ for file 3: field 1 (type) = 1, field 3 (ID) = 3
    const req = BuildkitSession.decodePacket(new Uint8Array([0x08, 0x01, 0x18, 0x03]))
    assert.deepStrictEqual(Result.getOrUndefined(req), { type: 1, id: 3, data: new Uint8Array(0) })
    const stat = BuildkitSession.encodePacket({
      type: BuildkitSession.PacketType.PACKET_STAT,
      id: 0,
      data: new Uint8Array(0),
      stat: {
        path: "a",
        mode: BuildkitSession.fileMode.dir | 0o755,
        uid: 0,
        gid: 0,
        size: 0n,
        modTime: 1n,
        linkname: "",
        devmajor: 0n,
        devminor: 0n
      }
    })
    // type STAT (0) is the default and left out; field 2 (stat) holds path "a", mode, modTime
    assert.deepStrictEqual(
      Array.from(stat),
      [0x12, 0x0b, 0x0a, 0x01, 0x61, 0x10, 0xed, 0x83, 0x80, 0x80, 0x08, 0x30, 0x01]
    )
  })

  it("reads secret and credentials requests and writes their answers", () => {
    // GetSecretRequest{ID: "x"}
    assert.strictEqual(Result.getOrUndefined(BuildkitSession.decodeSecretRequest(new Uint8Array([0x0a, 1, 0x78]))), "x")
    assert.deepStrictEqual(Array.from(BuildkitSession.encodeSecretResponse(new Uint8Array([9]))), [0x0a, 1, 9])
    assert.strictEqual(
      Result.getOrUndefined(BuildkitSession.decodeCredentialsRequest(new Uint8Array([0x0a, 1, 0x68]))),
      "h"
    )
    assert.deepStrictEqual(Array.from(BuildkitSession.encodeCredentialsResponse("u", "p")), [
      0x0a,
      1,
      0x75,
      0x12,
      1,
      0x70
    ])
    assert.deepStrictEqual(Array.from(BuildkitSession.healthServing), [0x08, 0x01])
  })
})

describe("BuildkitSession fsutil packets", () => {
  // a small deterministic generator, so that a failure names the case it met
  const random = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
  const pick = <A>(next: () => number, values: ReadonlyArray<A>): A => values[Math.floor(next() * values.length)]!
  const packets = (count: number): Array<BuildkitSession.Packet> => {
    const next = random(11)
    const out: Array<BuildkitSession.Packet> = []
    for (let i = 0; i < count; i++) {
      const bytes = new Uint8Array(pick(next, [0, 1, 127, 128, 300, 16384, 32768])).map(() => next() * 256)
      const stat: BuildkitSession.Stat | undefined = next() < 0.5 ? undefined : {
        path: pick(next, ["", "a", "d/é/日本", "x".repeat(200)]),
        mode: pick(next, [0, 0o644, BuildkitSession.fileMode.dir | 0o755, BuildkitSession.fileMode.symlink | 0o777]),
        uid: pick(next, [0, 1, 1000, 2 ** 32 - 2]),
        gid: pick(next, [0, 5, 65534]),
        size: pick(next, [0n, 1n, 20971n, 2n ** 40n]),
        modTime: pick(next, [0n, 1n, 1_764_748_800_123_456_789n, -1n, -(10n ** 12n)]),
        linkname: pick(next, ["", "../t", "ä"]),
        devmajor: pick(next, [0n, 8n]),
        devminor: pick(next, [0n, 1n, 300n]),
        ...(next() < 0.3
          ? { xattrs: { "user.a": new Uint8Array([1, 2]), "security.capability": new Uint8Array(0) } }
          : {})
      }
      out.push({
        type: pick(next, [0, 1, 2, 3, 4]),
        id: pick(next, [0, 1, 127, 128, 9999, 2 ** 31, 2 ** 32 - 1]),
        data: bytes,
        ...(stat === undefined ? {} : { stat })
      })
    }
    return out
  }
  const reference = (packet: BuildkitSession.Packet) =>
    toBinary(
      Wire.PacketSchema,
      create(Wire.PacketSchema, {
        type: packet.type as Wire.Packet_PacketType,
        ID: packet.id,
        data: packet.data,
        ...(packet.stat === undefined ? {} : {
          stat: { ...packet.stat, mode: packet.stat.mode >>> 0, xattrs: { ...packet.stat.xattrs } }
        })
      })
    )

  it("encodes every packet to the bytes protobuf's generated encoder gives, framed or not", () => {
    for (const packet of packets(500)) {
      const expected = reference(packet)
      assert.deepStrictEqual(BuildkitSession.encodePacket(packet), expected)
      assert.deepStrictEqual(BuildkitSession.framePacket(packet), BuildkitSession.frame(expected))
    }
  })

  it("frames a DATA chunk in place as the framed DATA packet", () => {
    for (const id of [0, 1, 300, 2 ** 32 - 1]) {
      for (const length of [0, 1, 127, 128, 32768]) {
        const buffer = new Uint8Array(BuildkitSession.dataHeadroom + 32768)
        const chunk = new Uint8Array(length).map((_, i) => i * 7)
        buffer.set(chunk, BuildkitSession.dataHeadroom)
        const framed = BuildkitSession.frameData(buffer, id, length)
        assert.strictEqual(framed.buffer, buffer.buffer)
        assert.deepStrictEqual(
          framed,
          BuildkitSession.frame(reference({ type: BuildkitSession.PacketType.PACKET_DATA, id, data: chunk }))
        )
      }
    }
  })

  it("decodes what protobuf's generated encoder writes, and refuses truncated bytes", () => {
    for (const packet of packets(300)) {
      const bytes = reference(packet)
      const decoded = fromBinary(Wire.PacketSchema, bytes)
      assert.deepStrictEqual(Result.getOrUndefined(BuildkitSession.decodePacket(bytes)), {
        type: decoded.type,
        id: decoded.ID,
        data: decoded.data
      })
      if (packet.data.byteLength > 0) {
        assert.isTrue(Result.isFailure(BuildkitSession.decodePacket(bytes.subarray(0, bytes.byteLength - 1))))
      }
    }
  })
})
