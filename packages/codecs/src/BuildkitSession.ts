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

/**
 * Encodes an fsutil packet.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodePacket = (packet: Packet): Uint8Array =>
  toBinary(
    Wire.PacketSchema,
    create(Wire.PacketSchema, {
      type: packet.type as Wire.Packet_PacketType,
      ID: packet.id,
      data: packet.data,
      ...(packet.stat === undefined ? {} : { stat: { ...packet.stat, mode: packet.stat.mode >>> 0, xattrs: {} } })
    })
  )

/**
 * Decodes an fsutil packet (only its type, id and data are kept: a receiver sends no stats).
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodePacket = (bytes: Uint8Array): Result.Result<Packet, string> =>
  Result.try({
    try: () => {
      const packet = fromBinary(Wire.PacketSchema, bytes, { readUnknownFields: false })
      return { type: packet.type, id: packet.ID, data: packet.data }
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
