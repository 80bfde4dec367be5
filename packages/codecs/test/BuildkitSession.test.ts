import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as BuildkitSession from "../src/BuildkitSession.ts"

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
