import { create, fromBinary, toBinary } from "@bufbuild/protobuf"
import { assert, describe, it } from "@effect/vitest"
import type * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as Ssh from "../../codecs/src/internal/buildkit/ssh_pb.ts"
import * as DockerError from "../src/DockerError.ts"
import * as Grpc from "../src/internal/grpcServer.ts"
import * as SshForward from "../src/internal/sshForward.ts"

/**
 * A fake agent on a unix socket in a temp dir: it answers each chunk it reads with `agent:` + the chunk, records
 * what it read, and ends its side when the client ends its own. Closed (and the dir removed) with the scope.
 */
const fakeAgent = Effect.acquireRelease(
  Effect.callback<{
    readonly socket: string
    readonly received: Array<string>
    readonly open: () => number
    readonly close: () => void
  }>((resume) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ssh-"))
    const socket = path.join(dir, "agent.sock")
    const received: Array<string> = []
    const connections = new Set<net.Socket>()
    const server = net.createServer({ allowHalfOpen: true }, (connection) => {
      connections.add(connection)
      connection.on("close", () => connections.delete(connection))
      connection.on("data", (chunk: Buffer) => {
        received.push(chunk.toString())
        connection.write(`agent:${chunk.toString()}`)
      })
      connection.on("end", () => connection.end())
    })
    server.listen(socket, () =>
      resume(Effect.succeed({
        socket,
        received,
        open: () => connections.size,
        close: () => {
          for (const connection of connections) connection.destroy()
          server.close()
          fs.rmSync(dir, { recursive: true, force: true })
        }
      })))
  }),
  (agent) => Effect.sync(agent.close)
)

const bytesMessage = (text: string) =>
  toBinary(Ssh.BytesMessageSchema, create(Ssh.BytesMessageSchema, { data: new TextEncoder().encode(text) }))

const text = (message: Uint8Array) => new TextDecoder().decode(fromBinary(Ssh.BytesMessageSchema, message).data)

/** A call whose incoming messages the test offers (and ends), and whose sent messages it collects. */
const makeCall = (metadata: ReadonlyArray<readonly [string, string]>) =>
  Effect.gen(function*() {
    const inbound = yield* Queue.unbounded<Uint8Array, Cause.Done>()
    const sent = yield* Queue.unbounded<Uint8Array>()
    const call: Grpc.Call = {
      metadata,
      messages: Stream.fromQueue(inbound),
      send: (message) => Queue.offer(sent, message).pipe(Effect.asVoid)
    }
    return { call, inbound, sent }
  })

const failureOf = (exit: Exit.Exit<void, Grpc.GrpcStatus>) => {
  assert.isTrue(Exit.isFailure(exit))
  const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
  return (error as { error: Grpc.GrpcStatus } | undefined)?.error
}

describe("ssh-agent forwarding", () => {
  it.effect("CheckAgent answers for a forwarded id (empty: default) and fails an unknown one as BuildKit does", () =>
    Effect.gen(function*() {
      const agents = new Map([["default", "/unused"], ["deploy", "/unused"]])
      for (const id of ["", "default", "deploy"]) {
        const { call, inbound, sent } = yield* makeCall([])
        yield* Queue.offer(
          inbound,
          toBinary(Ssh.CheckAgentRequestSchema, create(Ssh.CheckAgentRequestSchema, { ID: id }))
        )
        yield* SshForward.checkAgent(agents)(call)
        assert.strictEqual(yield* Queue.size(sent), 1, id)
      }
      const { call, inbound } = yield* makeCall([])
      yield* Queue.offer(
        inbound,
        toBinary(Ssh.CheckAgentRequestSchema, create(Ssh.CheckAgentRequestSchema, { ID: "other" }))
      )
      const failure = failureOf(yield* Effect.exit(SshForward.checkAgent(agents)(call)))
      assert.deepStrictEqual({ code: failure?.code, message: failure?.message }, {
        code: Grpc.code.unknown,
        message: "unset ssh forward key other"
      })
    }))

  it.effect("ForwardAgent carries bytes both ways to the agent named in the metadata, then closes the connection", () =>
    Effect.scoped(Effect.gen(function*() {
      const agent = yield* fakeAgent
      const { call, inbound, sent } = yield* makeCall([["buildkit.ssh.id", "deploy"]])
      const fiber = yield* Effect.forkChild(SshForward.forwardAgent(new Map([["deploy", agent.socket]]))(call))
      yield* Queue.offer(inbound, bytesMessage("request-1"))
      assert.strictEqual(text(yield* Queue.take(sent)), "agent:request-1")
      yield* Queue.offer(inbound, bytesMessage("request-2"))
      assert.strictEqual(text(yield* Queue.take(sent)), "agent:request-2")
      assert.strictEqual(agent.open(), 1)
      // the daemon half-closes: the agent sees the end, closes its side, and the call ends
      yield* Queue.end(inbound)
      const exit = yield* Fiber.await(fiber)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(agent.received, ["request-1", "request-2"])
      for (let i = 0; i < 100 && agent.open() > 0; i++) {
        yield* Effect.promise(() => new Promise((r) => setTimeout(r, 10)))
      }
      assert.strictEqual(agent.open(), 0)
    })))

  it.effect("ForwardAgent with no id uses default; an interrupted call closes the agent connection", () =>
    Effect.scoped(Effect.gen(function*() {
      const agent = yield* fakeAgent
      const { call, inbound, sent } = yield* makeCall([])
      const fiber = yield* Effect.forkChild(SshForward.forwardAgent(new Map([["default", agent.socket]]))(call))
      yield* Queue.offer(inbound, bytesMessage("hello"))
      assert.strictEqual(text(yield* Queue.take(sent)), "agent:hello")
      assert.strictEqual(agent.open(), 1)
      yield* Fiber.interrupt(fiber)
      for (let i = 0; i < 100 && agent.open() > 0; i++) {
        yield* Effect.promise(() => new Promise((r) => setTimeout(r, 10)))
      }
      assert.strictEqual(agent.open(), 0)
    })))

  it.effect("ForwardAgent fails an unknown id before dialing, and a dead socket with a dial error", () =>
    Effect.gen(function*() {
      const unknown = yield* makeCall([["buildkit.ssh.id", "nope"]])
      const failure = failureOf(yield* Effect.exit(SshForward.forwardAgent(new Map())(unknown.call)))
      assert.strictEqual(failure?.message, "unset ssh forward key nope")
      const dead = yield* makeCall([])
      const missing = path.join(os.tmpdir(), `dockhand-no-agent-${process.pid}.sock`)
      const dial = failureOf(yield* Effect.exit(SshForward.forwardAgent(new Map([["default", missing]]))(dead.call)))
      assert.strictEqual(dial?.message, "failed to dial agent default: no such file or directory")
    }))

  it.effect("resolve: default from SSH_AUTH_SOCK, duplicates, no socket, a missing path and a key file refused", () =>
    Effect.scoped(Effect.gen(function*() {
      const agent = yield* fakeAgent
      const ok = yield* SshForward.resolve([{ id: "" }, { id: "x", socket: agent.socket }], agent.socket, "ImageBuild")
      assert.deepStrictEqual([...ok], [["default", agent.socket], ["x", agent.socket]])
      const fail = (agents: ReadonlyArray<{ id: string; socket?: string }>, sock?: string) =>
        Effect.flip(SshForward.resolve(agents, sock, "ImageBuild")).pipe(Effect.map((e: DockerError.DockerError) => e))
      const duplicate = yield* fail([{ id: "" }, { id: "default" }], agent.socket)
      assert.strictEqual(duplicate.reason._tag, "InvalidArgument")
      assert.strictEqual(duplicate.message, "duplicate agent ID \"default\"")
      const empty = yield* fail([{ id: "default" }])
      assert.strictEqual(empty.reason._tag, "InvalidArgument")
      assert.include(empty.message, "make sure SSH_AUTH_SOCK is set")
      const missing = yield* fail([{ id: "k", socket: "/nonexistent-dockhand.sock" }])
      assert.strictEqual(missing.reason._tag, "SystemError")
      assert.strictEqual(missing.message, "ssh agent \"k\": stat /nonexistent-dockhand.sock: no such file or directory")
      const keyFile = path.join(path.dirname(agent.socket), "id_ed25519")
      fs.writeFileSync(keyFile, "not a key\n")
      const key = yield* fail([{ id: "k", socket: keyFile }])
      assert.strictEqual(key.reason._tag, "InvalidArgument")
      assert.include(key.message, "is not a unix socket (key files are not supported")
      assert.notInclude(key.message, "not a key")
    })))
})
