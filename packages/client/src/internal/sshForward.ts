/**
 * ssh-agent forwarding for a BuildKit session (`moby.sshforward.v1.SSH`, what `RUN --mount=type=ssh` uses): the
 * agents the caller forwards, by id, each an ssh-agent's unix socket or private key files served by an in-process
 * agent (`sshAgent`, as buildx loads key files into an agent of its own). `CheckAgent` answers whether an id is
 * forwarded (an unknown one fails with `unset ssh forward key <id>`, as BuildKit's own provider answers, which lets
 * the daemon skip an optional mount); each `ForwardAgent` call is one connection a build step made to its agent
 * socket, carried as `BytesMessage`s both ways to a new connection to the agent (the id in the `buildkit.ssh.id`
 * metadata) or answered by the in-process agent, read-only as BuildKit's own provider makes it: the step may list
 * keys and sign, not add, remove or lock them. An agent connection is closed when the call ends, fails or is
 * interrupted (the build ended or was interrupted). Key files are read and parsed once, before the session opens.
 *
 * @internal
 */
import * as BuildkitSession from "@dockhand/codecs/BuildkitSession"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import type { Socket } from "node:net"
import * as DockerError from "../DockerError.ts"
import * as DockerPlatform from "../DockerPlatform.ts"
import * as Errno from "../Errno.ts"
import * as DrainWrite from "./drainWrite.ts"
import * as Grpc from "./grpcServer.ts"
import * as SshAgent from "./sshAgent.ts"
import * as SshKey from "./sshKey.ts"

/** BuildKit's agent id when none is given. */
export const defaultId = "default"

/** The most bytes read from the agent at a time (one message each). */
const chunkBytes = 32 * 1024

/** A forwarded agent: the path of an ssh-agent's unix socket, or the keys of key files for the in-process agent. */
export type Agent = string | { readonly keys: ReadonlyArray<SshKey.Key> }

/** A local failure of a key file, worded as Go words it (`open /x: permission denied`). */
const fileError = (operation: string, id: string, file: string, syscall: string) => (cause: unknown) => {
  const code = (cause as { code?: string }).code
  return DockerPlatform.localError(
    operation,
    `ssh agent "${id}": ${syscall} ${file}: ${Errno.goText(code) ?? String(cause)}`,
    { kind: DockerError.systemErrorKind(code), path: file, syscall, cause }
  )
}

/**
 * A key file's key: at most {@link SshKey.maxKeyFileBytes} read (as buildx reads), then parsed. A file that cannot
 * be opened or read fails with a `SystemError` of its errno; one that holds no key dockhand can serve (or a key
 * protected by a passphrase) with a `SystemError` of kind `InvalidData`. No message shows the file's bytes.
 */
const readKey = (operation: string, id: string, file: string) =>
  Effect.gen(function*() {
    const fs = process.getBuiltinModule("node:fs")
    const bytes = yield* Effect.acquireUseRelease(
      Effect.try({ try: () => fs.openSync(file, "r"), catch: fileError(operation, id, file, "open") }),
      (fd) =>
        Effect.try({
          try: () => {
            const buffer = new Uint8Array(SshKey.maxKeyFileBytes)
            let length = 0
            for (let n = 1; n > 0 && length < buffer.byteLength;) {
              n = fs.readSync(fd, buffer, length, buffer.byteLength - length, null)
              length += n
            }
            return buffer.subarray(0, length)
          },
          catch: fileError(operation, id, file, "read")
        }),
      (fd) => Effect.sync(() => fs.closeSync(fd))
    )
    const key = SshKey.parse(bytes)
    bytes.fill(0)
    if (Result.isSuccess(key)) return key.success
    const hint = key.failure === SshKey.passphraseProtected
      ? " (dockhand asks for no passphrase: load the key into an ssh-agent with ssh-add and forward the agent's " +
        "socket)"
      : ""
    return yield* Effect.fail(DockerPlatform.localError(
      operation,
      `ssh agent "${id}": failed to parse ${file}: ${key.failure}${hint}`,
      { kind: "InvalidData", path: file }
    ))
  })

/**
 * The agents by id, checked now (as buildx checks before the build): an empty id is `default`; `keys` are private
 * key files, read and parsed now; otherwise `socket`, `$SSH_AUTH_SOCK` (`sshAuthSock`) when omitted, must be a unix
 * socket. An id given twice, both a socket and keys, an empty `keys`, no socket at all, a path that is not a socket,
 * and a key file that cannot be read or parsed fail before the session opens.
 */
export const resolve = (
  agents: ReadonlyArray<{
    readonly id: string
    readonly socket?: string | undefined
    readonly keys?: ReadonlyArray<string> | undefined
  }>,
  sshAuthSock: string | undefined,
  operation: string
): Effect.Effect<ReadonlyMap<string, Agent>, DockerError.DockerError> =>
  Effect.gen(function*() {
    const byId = new Map<string, Agent>()
    const fs = process.getBuiltinModule("node:fs")
    for (const agent of agents) {
      const id = agent.id === "" ? defaultId : agent.id
      if (byId.has(id)) return yield* Effect.fail(DockerPlatform.argumentError(operation, `duplicate agent ID "${id}"`))
      if (agent.keys !== undefined) {
        if (agent.socket !== undefined) {
          return yield* Effect.fail(DockerPlatform.argumentError(
            operation,
            `ssh agent "${id}": invalid combination of keys and sockets (give either a socket or key files)`
          ))
        }
        if (agent.keys.length === 0) {
          return yield* Effect.fail(DockerPlatform.argumentError(
            operation,
            `ssh agent "${id}": no key files (give at least one, or a socket)`
          ))
        }
        const keys = yield* Effect.forEach(agent.keys, (file) => readKey(operation, id, file))
        byId.set(id, { keys })
        continue
      }
      const socket = agent.socket ?? sshAuthSock ?? ""
      if (socket === "") {
        return yield* Effect.fail(DockerPlatform.argumentError(
          operation,
          `invalid empty ssh agent socket for ID "${id}": make sure SSH_AUTH_SOCK is set`
        ))
      }
      const stat = yield* Effect.try({
        try: () => fs.statSync(socket),
        catch: (cause) => {
          const code = (cause as { code?: string }).code
          return DockerPlatform.localError(
            operation,
            `ssh agent "${id}": stat ${socket}: ${Errno.goText(code) ?? String(cause)}`,
            { kind: DockerError.systemErrorKind(code), path: socket, syscall: "stat", cause }
          )
        }
      })
      if (!stat.isSocket()) {
        return yield* Effect.fail(DockerPlatform.argumentError(
          operation,
          `ssh agent "${id}": ${socket} is not a unix socket (give a private key file in keys, not as the socket)`
        ))
      }
      byId.set(id, socket)
    }
    return byId
  })

const unset = (id: string) => new Grpc.GrpcStatus({ code: Grpc.code.unknown, message: `unset ssh forward key ${id}` })

/** `CheckAgent`: succeeds for a forwarded id. */
export const checkAgent = (agents: ReadonlyMap<string, Agent>): Grpc.Handler => (call) =>
  Effect.gen(function*() {
    const request = yield* Stream.runHead(call.messages)
    if (Option.isNone(request)) return
    const id = BuildkitSession.decodeCheckAgentRequest(request.value)
    if (Result.isFailure(id)) {
      return yield* new Grpc.GrpcStatus({ code: Grpc.code.invalidArgument, message: id.failure })
    }
    if (!agents.has(id.success)) return yield* unset(id.success)
    yield* call.send(BuildkitSession.checkAgentResponse)
  })

/** A new connection to the agent's socket, destroyed when the scope closes. */
const dial = (id: string, path: string) =>
  Effect.acquireRelease(
    Effect.callback<Socket, Grpc.GrpcStatus>((resume) => {
      const socket = process.getBuiltinModule("node:net").connect({ path })
      const onError = (cause: Error & { code?: string }) => {
        socket.off("connect", onConnect)
        socket.destroy()
        const why = Errno.goText(cause.code) ?? cause.message
        resume(Effect.fail(
          new Grpc.GrpcStatus({ code: Grpc.code.unknown, message: `failed to dial agent ${id}: ${why}` })
        ))
      }
      const onConnect = () => {
        socket.off("error", onError)
        socket.on("error", () => {})
        resume(Effect.succeed(socket))
      }
      socket.once("error", onError)
      socket.once("connect", onConnect)
      return Effect.sync(() => socket.destroy())
    }),
    (socket) => Effect.sync(() => socket.destroy())
  )

/** The agent's bytes, until it closes its side. */
const fromAgent = (socket: Socket): Stream.Stream<Uint8Array, Grpc.GrpcStatus> =>
  Stream.callback<Uint8Array, Grpc.GrpcStatus>((queue) =>
    Effect.sync(() => {
      socket.on("data", (chunk: Uint8Array) => Queue.offerUnsafe(queue, chunk))
      socket.on("end", () => Queue.endUnsafe(queue))
      socket.on("close", (hadError) => {
        if (hadError) {
          Queue.failCauseUnsafe(
            queue,
            Cause.fail(new Grpc.GrpcStatus({ code: Grpc.code.unknown, message: "the agent connection failed" }))
          )
        } else Queue.endUnsafe(queue)
      })
    })
  )

/** Writes to the agent, waiting while its socket buffers. */
const toAgent = (socket: Socket) => (bytes: Uint8Array): Effect.Effect<void, Grpc.GrpcStatus> =>
  DrainWrite.write(socket, {
    closed: () => socket.destroyed || !socket.writable,
    write: () => socket.write(bytes),
    gone: new Grpc.GrpcStatus({ code: Grpc.code.unknown, message: "the agent closed the connection" })
  })

/** The longest agent message passed on (OpenSSH's agent refuses longer ones too). */
const maxAgentMessage = 256 * 1024

/**
 * Splits the agent protocol's byte stream into whole messages (a 4-byte big-endian length, then the type byte and
 * the body): `push` gives the messages a chunk completes, or a failure for one longer than {@link maxAgentMessage}.
 */
export const makeAgentFramer = () => {
  let pending = new Uint8Array(0)
  return (chunk: Uint8Array): Result.Result<ReadonlyArray<Uint8Array>, string> => {
    const joined = new Uint8Array(pending.byteLength + chunk.byteLength)
    joined.set(pending)
    joined.set(chunk, pending.byteLength)
    const messages: Array<Uint8Array> = []
    let at = 0
    while (joined.byteLength - at >= 4) {
      const length = new DataView(joined.buffer, joined.byteOffset + at, 4).getUint32(0)
      if (length > maxAgentMessage) return Result.fail(`ssh agent message of ${length} bytes is too long`)
      if (joined.byteLength - at < 4 + length) break
      messages.push(joined.slice(at, at + 4 + length))
      at += 4 + length
    }
    pending = joined.slice(at)
    return Result.succeed(messages)
  }
}

/**
 * The requests a build step may make of the agent, as BuildKit's read-only agent lets through: list the keys
 * (`REQUEST_IDENTITIES`), sign (`SIGN_REQUEST`), unlock. Adding or removing keys, locking and extensions are answered
 * `SSH_AGENT_FAILURE` here and never reach the agent.
 */
const passed = new Set([11, 13, 23])

/** `SSH_AGENT_FAILURE`, as a whole message. */
const agentFailure = SshAgent.failure

/** Frames a byte stream into agent messages, failing the call on an oversized one. */
const framed = (stream: Stream.Stream<Uint8Array, Grpc.GrpcStatus>) => {
  const push = makeAgentFramer()
  return stream.pipe(
    Stream.mapEffect((chunk) => {
      const messages = push(chunk)
      return Result.isFailure(messages)
        ? Effect.fail(new Grpc.GrpcStatus({ code: Grpc.code.invalidArgument, message: messages.failure }))
        : Effect.succeed(messages.success)
    }),
    Stream.flattenIterable
  )
}

/**
 * `ForwardAgent`: one request at a time, as the agent protocol goes, the way BuildKit's provider serves it. For an
 * agent's socket, each request the step sends is checked ({@link passed}), written to a new connection to the agent
 * and its answer sent back (in chunks of at most 32 KiB); a refused one is answered `SSH_AGENT_FAILURE`. For key
 * files, the in-process agent answers each request (`sshAgent`). The call ends when the daemon half-closes or the
 * agent closes its side; when the daemon cancels, the call fails. The agent connection is destroyed when the call
 * ends either way (or the build is interrupted).
 */
export const forwardAgent = (agents: ReadonlyMap<string, Agent>): Grpc.Handler => (call) =>
  Effect.scoped(Effect.gen(function*() {
    const named = call.metadata.find(([name]) => name === BuildkitSession.sshIdMetadataKey)?.[1] ?? ""
    const id = named === "" ? defaultId : named
    const agent = agents.get(id)
    if (agent === undefined) return yield* unset(id)
    const send = (message: Uint8Array) =>
      Effect.forEach(
        Array.from({ length: Math.ceil(message.byteLength / chunkBytes) }, (_, i) =>
          message.subarray(i * chunkBytes, (i + 1) * chunkBytes)),
        (chunk) =>
          call.send(BuildkitSession.encodeBytesMessage(chunk)),
        { discard: true }
      )
    const requests = framed(call.messages.pipe(
      Stream.mapEffect((message) => {
        const data = BuildkitSession.decodeBytesMessage(message)
        return Result.isFailure(data)
          ? Effect.fail(new Grpc.GrpcStatus({ code: Grpc.code.invalidArgument, message: data.failure }))
          : Effect.succeed(data.success)
      })
    ))
    if (typeof agent !== "string") {
      const answer = SshAgent.make(agent.keys)
      return yield* requests.pipe(Stream.runForEach((request) => send(answer(request))))
    }
    const socket = yield* dial(id, agent)
    const write = toAgent(socket)
    const answers = yield* Queue.unbounded<Uint8Array, Grpc.GrpcStatus | Cause.Done>()
    yield* Effect.forkScoped(Stream.runIntoQueue(framed(fromAgent(socket)), answers))
    const agentGone = new Grpc.GrpcStatus({ code: Grpc.code.unknown, message: "the agent closed the connection" })
    yield* requests.pipe(
      Stream.runForEach((request) =>
        passed.has(request[4] ?? 0)
          ? write(request).pipe(
            Effect.andThen(Queue.take(answers)),
            Effect.mapError((error) => Cause.isDone(error) ? agentGone : error),
            Effect.flatMap(send)
          )
          : send(agentFailure)
      ),
      Effect.catchIf((error) => error === agentGone, () => Effect.void)
    )
  }))
