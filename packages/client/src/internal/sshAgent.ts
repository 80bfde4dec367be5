/**
 * An in-process, read-only ssh-agent (the agent protocol of draft-miller-ssh-agent) over keys read from private key
 * files (see `sshKey`): what a BuildKit session serves for an id given key files instead of an agent's socket, as
 * buildx loads such keys into an agent of its own. It lists the keys (`REQUEST_IDENTITIES` → `IDENTITIES_ANSWER`) and
 * signs with them (`SIGN_REQUEST` → `SIGN_RESPONSE`); anything else (adding, removing, locking, extensions, a key it
 * does not hold, a malformed request) is answered `SSH_AGENT_FAILURE`.
 *
 * @internal
 */
import * as Bytes from "effect/Bytes"
import * as Result from "effect/Result"
import * as SshKey from "./sshKey.ts"

/** The agent protocol's message numbers used here. */
export const message = {
  failure: 5,
  requestIdentities: 11,
  identitiesAnswer: 12,
  signRequest: 13,
  signResponse: 14
} as const

/** A whole message: the 4-byte length, the type, the body. */
const framed = (type: number, body: Uint8Array = new Uint8Array(0)) =>
  Bytes.concat([SshKey.uint32(body.byteLength + 1), new Uint8Array([type]), body])

/** `SSH_AGENT_FAILURE`, as a whole message. */
export const failure = framed(message.failure)

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0

/**
 * The agent over `keys`: the answer, as a whole message, to one whole request (its 4-byte length, type and body, as
 * the framer of `sshForward` gives it).
 */
export const make = (keys: ReadonlyArray<SshKey.Key>) => (request: Uint8Array): Uint8Array => {
  const body = request.subarray(5)
  switch (request[4]) {
    case message.requestIdentities:
      return framed(
        message.identitiesAnswer,
        Bytes.concat([
          SshKey.uint32(keys.length),
          ...keys.flatMap((key) => [SshKey.sshString(key.blob), SshKey.sshString(key.comment)])
        ])
      )
    case message.signRequest: {
      const parsed = SshKey.readWith(body, (reader) => {
        const blob = reader.string()
        const data = reader.string()
        return { blob, data, flags: reader.uint32() }
      })
      const key = parsed === undefined ? undefined : keys.find((k) => sameBytes(k.blob, parsed.blob))
      if (parsed === undefined || key === undefined) return failure
      const signature = Result.try(() => SshKey.sign(key, parsed.data, parsed.flags))
      return Result.isFailure(signature) ? failure : framed(message.signResponse, SshKey.sshString(signature.success))
    }
    default:
      return failure
  }
}
