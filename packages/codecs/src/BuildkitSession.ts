/**
 * The wire formats of a BuildKit session, the gRPC services a client serves to the Docker daemon over `POST /session`:
 * gRPC's message framing (a flag byte and a 4-byte big-endian length before each message), fsutil's DiffCopy
 * packets (filesync), the secrets, registry-credentials and ssh-agent forwarding messages and gRPC's health check.
 * The protobuf code is
 * generated from fsutil's, BuildKit's and gRPC's own `.proto` files (`npm run gen:proto`).
 *
 * @since 0.1.0
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf"
import { getTextEncoding } from "@bufbuild/protobuf/wire"
import * as Result from "effect/Result"
import * as Auth from "./internal/buildkit/auth_pb.ts"
import * as Secrets from "./internal/buildkit/secrets_pb.ts"
import * as Ssh from "./internal/buildkit/ssh_pb.ts"
import * as Wire from "./internal/fsutil/wire_pb.ts"
import * as Health from "./internal/grpc/health_pb.ts"

/**
 * The kinds of fsutil packet: `STAT` (one entry of the walk; an empty one ends it), `REQ` (the receiver asks for the
 * file with this index in the walk), `DATA` (a chunk of that file; an empty one ends it), `FIN`, `ERR`.
 *
 * @category constants
 * @since 0.1.0
 */
export const PacketType = Wire.Packet_PacketType

/**
 * A file's metadata as fsutil sends it: `mode` holds Go's `os.FileMode` bits (see {@link fileMode}), `modTime`
 * nanoseconds since the epoch.
 *
 * @category models
 * @since 0.1.0
 */
export interface Stat {
  readonly path: string
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly size: bigint
  readonly modTime: bigint
  readonly linkname: string
  readonly devmajor: bigint
  readonly devminor: bigint
  /** Extended attributes by name (none when left out). */
  readonly xattrs?: Readonly<Record<string, Uint8Array>> | undefined
}

/**
 * One fsutil packet.
 *
 * @category models
 * @since 0.1.0
 */
export interface Packet {
  readonly type: number
  readonly stat?: Stat | undefined
  readonly id: number
  readonly data: Uint8Array
}

/**
 * Go's `os.FileMode` type bits, which fsutil's `Stat.mode` carries above the permission bits.
 *
 * @category constants
 * @since 0.1.0
 */
export const fileMode = {
  dir: 0x80000000,
  symlink: 0x08000000,
  device: 0x04000000,
  namedPipe: 0x02000000,
  socket: 0x01000000,
  setuid: 0x00800000,
  setgid: 0x00400000,
  charDevice: 0x00200000,
  sticky: 0x00100000
} as const

/** UTF-8 of the strings of a packet, by protobuf's own encoder. */
const utf8 = { encode: (text: string): Uint8Array => getTextEncoding().encodeUtf8(text) }

/** The bytes of `value` as a protobuf varint (at most 5 for a uint32). */
const varintSize = (value: number): number =>
  value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5

/** Writes the uint32 `value` as a varint at `at`; the position after it. */
const putVarint = (out: Uint8Array, at: number, value: number): number => {
  let v = value >>> 0
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80
    v >>>= 7
  }
  out[at++] = v
  return at
}

/** Writes the int64 `value` as a varint (two's complement for a negative one) at `at`; the position after it. */
const putVarint64 = (out: Uint8Array, at: number, value: bigint): number => {
  let v = BigInt.asUintN(64, value)
  if (v < 0x100000000n) return putVarint(out, at, Number(v))
  while (v >= 0x80n) {
    out[at++] = Number(v & 0x7fn) | 0x80
    v >>= 7n
  }
  out[at++] = Number(v)
  return at
}

/** Writes a length-delimited field (`tag`, length, bytes) at `at`; the position after it. */
const putBytes = (out: Uint8Array, at: number, tag: number, bytes: Uint8Array): number => {
  out[at] = tag
  at = putVarint(out, at + 1, bytes.byteLength)
  out.set(bytes, at)
  return at + bytes.byteLength
}

/**
 * A `Stat` message's bytes, written field by field in field-number order as protobuf-es writes them (proto3: zero
 * values left out; xattrs as map entries, key then value).
 */
const encodeStat = (stat: Stat) => {
  const path = utf8.encode(stat.path)
  const linkname = utf8.encode(stat.linkname)
  const xattrs = stat.xattrs === undefined ? [] : Object.entries(stat.xattrs).map(([key, value]) => {
    const name = utf8.encode(key)
    return {
      name,
      value,
      size: 2 + varintSize(name.byteLength) + name.byteLength + varintSize(value.byteLength) +
        value.byteLength
    }
  })
  const out = new Uint8Array(
    path.byteLength + linkname.byteLength + 4 * 11 + 4 * 6 + 12 +
      xattrs.reduce((n, x) => n + 1 + varintSize(x.size) + x.size, 0)
  )
  let at = 0
  if (path.byteLength > 0) at = putBytes(out, at, 0x0a, path)
  const mode = stat.mode >>> 0
  if (mode !== 0) at = putVarint(out, (out[at] = 0x10, at + 1), mode)
  if (stat.uid !== 0) at = putVarint(out, (out[at] = 0x18, at + 1), stat.uid)
  if (stat.gid !== 0) at = putVarint(out, (out[at] = 0x20, at + 1), stat.gid)
  if (stat.size !== 0n) at = putVarint64(out, (out[at] = 0x28, at + 1), stat.size)
  if (stat.modTime !== 0n) at = putVarint64(out, (out[at] = 0x30, at + 1), stat.modTime)
  if (linkname.byteLength > 0) at = putBytes(out, at, 0x3a, linkname)
  if (stat.devmajor !== 0n) at = putVarint64(out, (out[at] = 0x40, at + 1), stat.devmajor)
  if (stat.devminor !== 0n) at = putVarint64(out, (out[at] = 0x48, at + 1), stat.devminor)
  for (const x of xattrs) {
    out[at] = 0x52
    at = putVarint(out, at + 1, x.size)
    at = putBytes(out, at, 0x0a, x.name)
    at = putBytes(out, at, 0x12, x.value)
  }
  return out.subarray(0, at)
}

/**
 * Writes a packet (its message, or with `framed` its gRPC prefix and message) into a new buffer of its exact size.
 */
const writePacket = (packet: Packet, framed: boolean): Uint8Array => {
  const stat = packet.stat === undefined ? undefined : encodeStat(packet.stat)
  const type = packet.type >>> 0
  const id = packet.id >>> 0
  const size = (type === 0 ? 0 : 1 + varintSize(type)) +
    (stat === undefined ? 0 : 1 + varintSize(stat.byteLength) + stat.byteLength) +
    (id === 0 ? 0 : 1 + varintSize(id)) +
    (packet.data.byteLength === 0 ? 0 : 1 + varintSize(packet.data.byteLength) + packet.data.byteLength)
  const out = new Uint8Array((framed ? 5 : 0) + size)
  let at = 0
  if (framed) {
    new DataView(out.buffer).setUint32(1, size)
    at = 5
  }
  if (type !== 0) at = putVarint(out, (out[at] = 0x08, at + 1), type)
  if (stat !== undefined) at = putBytes(out, at, 0x12, stat)
  if (id !== 0) at = putVarint(out, (out[at] = 0x18, at + 1), id)
  if (packet.data.byteLength > 0) putBytes(out, at, 0x22, packet.data)
  return out
}

/**
 * Encodes an fsutil packet (the bytes protobuf's encoder gives for fsutil's `Packet`).
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodePacket = (packet: Packet): Uint8Array => writePacket(packet, false)

/**
 * An fsutil packet as one gRPC message with its 5-byte prefix: `frame(encodePacket(packet))` in one buffer.
 *
 * @category encoding
 * @since 0.1.0
 */
export const framePacket = (packet: Packet): Uint8Array => writePacket(packet, true)

/**
 * The bytes {@link frameData} needs before a chunk of file data: the gRPC prefix and the largest `DATA` packet head.
 *
 * @category encoding
 * @since 0.1.0
 */
export const dataHeadroom = 5 + 2 + 6 + 6

/**
 * A `DATA` packet of file `id` framed as a gRPC message without copying its bytes: the chunk is already in
 * `buffer` at `dataHeadroom` (`length` bytes), and the prefix and packet head are written just before it. The
 * framed message is the returned view of `buffer`.
 *
 * @category encoding
 * @since 0.1.0
 */
export const frameData = (buffer: Uint8Array, id: number, length: number): Uint8Array => {
  const head = new Uint8Array(dataHeadroom)
  let at = 0
  head[at++] = 0x08
  head[at++] = PacketType.PACKET_DATA
  if (id >>> 0 !== 0) at = putVarint(head, (head[at] = 0x18, at + 1), id)
  if (length > 0) at = putVarint(head, (head[at] = 0x22, at + 1), length)
  const start = dataHeadroom - at - 5
  buffer.set(head.subarray(0, at), start + 5)
  buffer[start] = 0
  new DataView(buffer.buffer, buffer.byteOffset).setUint32(start + 1, at + length)
  return buffer.subarray(start, dataHeadroom + length)
}

/** Reads a varint at `at` of `bytes`: its value (exact up to 2^53) and the position after it; fails past the end. */
const getVarint = (bytes: Uint8Array, at: number): readonly [number, number] => {
  let value = 0
  let scale = 1
  for (let i = 0; i < 10; i++) {
    if (at >= bytes.byteLength) throw new Error("truncated")
    const b = bytes[at++]!
    value += (b & 0x7f) * scale
    if (b < 0x80) return [value, at]
    scale *= 128
  }
  throw new Error("varint too long")
}

/**
 * Decodes an fsutil packet (only its type, id and data are kept: a receiver sends no stats).
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodePacket = (bytes: Uint8Array): Result.Result<Packet, string> =>
  Result.try({
    try: () => {
      let type = 0
      let id = 0
      let data = new Uint8Array(0)
      let at = 0
      while (at < bytes.byteLength) {
        const [tag, next] = getVarint(bytes, at)
        at = next
        const field = Math.floor(tag / 8)
        const wire = tag & 7
        if (field === 0) throw new Error("field 0")
        if (wire === 0) {
          const [value, after] = getVarint(bytes, at)
          at = after
          // int32 enum and uint32 as protobuf reads them: the low 32 bits
          if (field === 1) type = value % 2 ** 32 | 0
          else if (field === 3) id = value % 2 ** 32 >>> 0
        } else if (wire === 2) {
          const [length, after] = getVarint(bytes, at)
          if (after + length > bytes.byteLength) throw new Error("truncated")
          if (field === 4) data = bytes.slice(after, after + length)
          at = after + length
        } else if (wire === 1) {
          at += 8
        } else if (wire === 5) {
          at += 4
        } else {
          throw new Error(`wire type ${wire}`)
        }
        if (at > bytes.byteLength) throw new Error("truncated")
      }
      return { type, id, data }
    },
    catch: () => "invalid fsutil packet"
  })

/**
 * Decodes a `GetSecret` request: the secret's id.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeSecretRequest = (bytes: Uint8Array): Result.Result<string, string> =>
  Result.try({
    try: () => fromBinary(Secrets.GetSecretRequestSchema, bytes, { readUnknownFields: false }).ID,
    catch: () => "invalid GetSecret request"
  })

/**
 * Encodes a `GetSecret` answer.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeSecretResponse = (data: Uint8Array): Uint8Array =>
  toBinary(Secrets.GetSecretResponseSchema, create(Secrets.GetSecretResponseSchema, { data }))

/**
 * Decodes a registry `Credentials` request: the registry host.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeCredentialsRequest = (bytes: Uint8Array): Result.Result<string, string> =>
  Result.try({
    try: () => fromBinary(Auth.CredentialsRequestSchema, bytes, { readUnknownFields: false }).Host,
    catch: () => "invalid Credentials request"
  })

/**
 * Encodes a registry `Credentials` answer (both empty: anonymous).
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeCredentialsResponse = (username: string, secret: string): Uint8Array =>
  toBinary(
    Auth.CredentialsResponseSchema,
    create(Auth.CredentialsResponseSchema, { Username: username, Secret: secret })
  )

/**
 * The gRPC metadata key holding the agent id of a `ForwardAgent` call (absent or empty: `default`).
 *
 * @category constants
 * @since 0.1.0
 */
export const sshIdMetadataKey = "buildkit.ssh.id"

/**
 * Decodes a `CheckAgent` request: the agent id, `default` when the daemon sends none.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeCheckAgentRequest = (bytes: Uint8Array): Result.Result<string, string> =>
  Result.try({
    try: () => fromBinary(Ssh.CheckAgentRequestSchema, bytes, { readUnknownFields: false }).ID || "default",
    catch: () => "invalid CheckAgent request"
  })

/**
 * The `CheckAgent` answer (empty: the id is forwarded).
 *
 * @category encoding
 * @since 0.1.0
 */
export const checkAgentResponse: Uint8Array = toBinary(
  Ssh.CheckAgentResponseSchema,
  create(Ssh.CheckAgentResponseSchema, {})
)

/**
 * Decodes one `BytesMessage` of a `ForwardAgent` stream: a chunk of the agent connection's bytes.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeBytesMessage = (bytes: Uint8Array): Result.Result<Uint8Array, string> =>
  Result.try({
    try: () => fromBinary(Ssh.BytesMessageSchema, bytes, { readUnknownFields: false }).data,
    catch: () => "invalid BytesMessage"
  })

/**
 * Encodes a chunk of the agent connection's bytes as a `BytesMessage`.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeBytesMessage = (data: Uint8Array): Uint8Array =>
  toBinary(Ssh.BytesMessageSchema, create(Ssh.BytesMessageSchema, { data }))

/**
 * The health check's answer, `SERVING`.
 *
 * @category encoding
 * @since 0.1.0
 */
export const healthServing: Uint8Array = toBinary(
  Health.HealthCheckResponseSchema,
  create(Health.HealthCheckResponseSchema, { status: Health.HealthCheckResponse_ServingStatus.SERVING })
)

/**
 * One gRPC message with its 5-byte prefix (not compressed).
 *
 * @category encoding
 * @since 0.1.0
 */
export const frame = (message: Uint8Array): Uint8Array => {
  const out = new Uint8Array(5 + message.byteLength)
  new DataView(out.buffer).setUint32(1, message.byteLength)
  out.set(message, 5)
  return out
}

/**
 * Splits a byte stream into gRPC messages: `push` takes the next chunk and gives the messages completed by it, or a
 * failure for a compressed message or one longer than `maxMessage` bytes (nothing past that is buffered).
 *
 * @category decoding
 * @since 0.1.0
 */
export const makeDeframer = (maxMessage: number) => {
  // the chunks not yet consumed are `pending[first…]`; the array is compacted now and then, not shifted per chunk
  let pending: Array<Uint8Array> = []
  let first = 0
  let pendingBytes = 0
  const take = (count: number): Uint8Array => {
    const out = new Uint8Array(count)
    let at = 0
    while (at < count) {
      const head = pending[first]!
      const used = Math.min(head.byteLength, count - at)
      out.set(head.subarray(0, used), at)
      at += used
      if (used === head.byteLength) first++
      else pending[first] = head.subarray(used)
    }
    pendingBytes -= count
    if (first > 1024 && first * 2 > pending.length) {
      pending = pending.slice(first)
      first = 0
    }
    return out
  }
  /** The first 5 bytes buffered, without taking them. */
  const peekPrefix = (): Uint8Array => {
    const head = pending[first]!
    if (head.byteLength >= 5) return head.subarray(0, 5)
    const out = new Uint8Array(5)
    let at = 0
    for (let i = first; at < 5; i++) {
      const part = pending[i]!
      const used = Math.min(part.byteLength, 5 - at)
      out.set(part.subarray(0, used), at)
      at += used
    }
    return out
  }
  return (chunk: Uint8Array): Result.Result<ReadonlyArray<Uint8Array>, string> => {
    if (chunk.byteLength > 0) {
      pending.push(chunk)
      pendingBytes += chunk.byteLength
    }
    const messages: Array<Uint8Array> = []
    while (pendingBytes >= 5) {
      const prefix = peekPrefix()
      const length = new DataView(prefix.buffer, prefix.byteOffset, 5).getUint32(1)
      if (prefix[0] !== 0) return Result.fail("compressed gRPC messages are not supported")
      if (length > maxMessage) return Result.fail(`gRPC message of ${length} bytes is longer than ${maxMessage}`)
      if (pendingBytes < 5 + length) break
      take(5)
      messages.push(take(length))
    }
    if (pendingBytes === 0) {
      pending = []
      first = 0
    }
    return Result.succeed(messages)
  }
}
