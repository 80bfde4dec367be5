import { create, fromBinary, toBinary } from "@bufbuild/protobuf"
import { assert, describe, it } from "@effect/vitest"
import type * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import { execFileSync } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as Ssh from "../../codecs/src/internal/buildkit/ssh_pb.ts"
import * as DockerError from "../src/DockerError.ts"
import * as Grpc from "../src/internal/grpcServer.ts"
import * as SshForward from "../src/internal/sshForward.ts"

/** An agent protocol message: the 4-byte length, the type, the body. */
const agentMessage = (type: number, body: string) => {
  const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0, type]), Buffer.from(body)])
  bytes.writeUInt32BE(bytes.byteLength - 4, 0)
  return bytes
}

/**
 * A fake agent on a unix socket in a temp dir: it answers each whole message it reads with a type 12 message whose
 * body is `agent:` + the request's body, records the requests' types and bodies, and ends its side when the client
 * ends its own. Closed (and the dir removed) with the scope.
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
      let pending = Buffer.alloc(0)
      connection.on("data", (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk])
        while (pending.byteLength >= 4 && pending.byteLength >= 4 + pending.readUInt32BE(0)) {
          const length = pending.readUInt32BE(0)
          const body = pending.subarray(5, 4 + length).toString()
          received.push(`${pending[4]}:${body}`)
          connection.write(agentMessage(12, `agent:${body}`))
          pending = pending.subarray(4 + length)
        }
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

/** A temp dir, removed with the scope. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ssh-keys-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const bytesMessage = (data: Uint8Array) => toBinary(Ssh.BytesMessageSchema, create(Ssh.BytesMessageSchema, { data }))

const bytes = (message: Uint8Array) => Buffer.from(fromBinary(Ssh.BytesMessageSchema, message).data)

/** A call whose incoming messages the test offers (and ends), and whose sent messages it collects. */
const makeCall = (metadata: ReadonlyArray<readonly [string, string]>) =>
  Effect.gen(function*() {
    const inbound = yield* Queue.unbounded<Uint8Array, Cause.Done>()
    const sent = yield* Queue.unbounded<Uint8Array>()
    const send = (message: Uint8Array) => Queue.offer(sent, message).pipe(Effect.asVoid)
    // a framed message: its 5-byte gRPC prefix must give the length of what follows it
    const sendFramed = (framed: Uint8Array) =>
      Effect.andThen(
        Effect.sync(() => assert.strictEqual(Buffer.from(framed).readUInt32BE(1), framed.byteLength - 5)),
        send(framed.subarray(5))
      )
    const call: Grpc.Call = { metadata, messages: Stream.fromQueue(inbound), send, sendFramed }
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

  it.effect("ForwardAgent passes list and sign requests to the agent named in the metadata, one at a time", () =>
    Effect.scoped(Effect.gen(function*() {
      const agent = yield* fakeAgent
      const { call, inbound, sent } = yield* makeCall([["buildkit.ssh.id", "deploy"]])
      const fiber = yield* Effect.forkChild(SshForward.forwardAgent(new Map([["deploy", agent.socket]]))(call))
      // a request split over two messages, then two in one message
      const list = agentMessage(11, "list")
      yield* Queue.offer(inbound, bytesMessage(list.subarray(0, 3)))
      yield* Queue.offer(inbound, bytesMessage(list.subarray(3)))
      assert.deepStrictEqual(bytes(yield* Queue.take(sent)), agentMessage(12, "agent:list"))
      yield* Queue.offer(inbound, bytesMessage(Buffer.concat([agentMessage(13, "sign"), agentMessage(11, "again")])))
      assert.deepStrictEqual(bytes(yield* Queue.take(sent)), agentMessage(12, "agent:sign"))
      assert.deepStrictEqual(bytes(yield* Queue.take(sent)), agentMessage(12, "agent:again"))
      assert.strictEqual(agent.open(), 1)
      // the daemon half-closes: the call ends and the agent connection is closed
      yield* Queue.end(inbound)
      const exit = yield* Fiber.await(fiber)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(agent.received, ["11:list", "13:sign", "11:again"])
      for (let i = 0; i < 100 && agent.open() > 0; i++) {
        yield* Effect.promise(() => new Promise((r) => setTimeout(r, 10)))
      }
      assert.strictEqual(agent.open(), 0)
    })))

  it.effect("ForwardAgent is read-only as BuildKit's agent: add, remove, lock and extensions fail, unsent", () =>
    Effect.scoped(Effect.gen(function*() {
      const agent = yield* fakeAgent
      const { call, inbound, sent } = yield* makeCall([])
      const fiber = yield* Effect.forkChild(SshForward.forwardAgent(new Map([["default", agent.socket]]))(call))
      // ADD_IDENTITY, REMOVE_IDENTITY, REMOVE_ALL_IDENTITIES, LOCK, ADD_ID_CONSTRAINED, EXTENSION
      for (const type of [17, 18, 19, 22, 25, 27]) {
        yield* Queue.offer(inbound, bytesMessage(agentMessage(type, "no")))
        assert.deepStrictEqual(bytes(yield* Queue.take(sent)), Buffer.from([0, 0, 0, 1, 5]), String(type))
      }
      yield* Queue.offer(inbound, bytesMessage(agentMessage(11, "list")))
      assert.deepStrictEqual(bytes(yield* Queue.take(sent)), agentMessage(12, "agent:list"))
      yield* Queue.end(inbound)
      assert.isTrue(Exit.isSuccess(yield* Fiber.await(fiber)))
      assert.deepStrictEqual(agent.received, ["11:list"])
    })))

  it.effect("ForwardAgent with no id uses default; an interrupted call closes the agent connection", () =>
    Effect.scoped(Effect.gen(function*() {
      const agent = yield* fakeAgent
      const { call, inbound, sent } = yield* makeCall([])
      const fiber = yield* Effect.forkChild(SshForward.forwardAgent(new Map([["default", agent.socket]]))(call))
      yield* Queue.offer(inbound, bytesMessage(agentMessage(11, "hello")))
      assert.deepStrictEqual(bytes(yield* Queue.take(sent)), agentMessage(12, "agent:hello"))
      assert.strictEqual(agent.open(), 1)
      yield* Fiber.interrupt(fiber)
      for (let i = 0; i < 100 && agent.open() > 0; i++) {
        yield* Effect.promise(() => new Promise((r) => setTimeout(r, 10)))
      }
      assert.strictEqual(agent.open(), 0)
    })))

  it.effect("ForwardAgent fails a message longer than an agent takes", () =>
    Effect.scoped(Effect.gen(function*() {
      const agent = yield* fakeAgent
      const { call, inbound } = yield* makeCall([])
      yield* Queue.offer(inbound, bytesMessage(new Uint8Array([0x7f, 0xff, 0xff, 0xff, 11])))
      const failure = failureOf(
        yield* Effect.exit(SshForward.forwardAgent(new Map([["default", agent.socket]]))(call))
      )
      assert.strictEqual(failure?.code, Grpc.code.invalidArgument)
      assert.deepStrictEqual(agent.received, [])
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
      assert.include(key.message, "is not a unix socket (give a private key file in keys")
      assert.notInclude(key.message, "not a key")
    })))

  it.effect("resolve: key files are read and parsed before the session; what cannot be served fails, naming the file", () =>
    Effect.scoped(Effect.gen(function*() {
      const dir = yield* tempDir
      const keygen = (name: string, ...args: ReadonlyArray<string>) => {
        execFileSync("ssh-keygen", ["-q", ...args, "-C", name, "-f", path.join(dir, name)], { stdio: "ignore" })
        return path.join(dir, name)
      }
      const ed25519 = keygen("ed", "-t", "ed25519", "-N", "")
      const ecdsa = keygen("ec", "-t", "ecdsa", "-m", "PEM", "-N", "")
      const ok = yield* SshForward.resolve([{ id: "deploy", keys: [ed25519, ecdsa] }], undefined, "ImageBuild")
      const agent = ok.get("deploy")
      assert.isTrue(agent !== undefined && typeof agent !== "string")
      const keys = (agent as { keys: ReadonlyArray<{ type: string; comment: string }> }).keys
      assert.deepStrictEqual(keys.map((k) => [k.type, k.comment]), [["ssh-ed25519", "ed"], ["ecdsa-sha2-nistp256", ""]])
      const fail = (agents: ReadonlyArray<{ id: string; socket?: string; keys?: ReadonlyArray<string> }>) =>
        Effect.flip(SshForward.resolve(agents, undefined, "ImageBuild")).pipe(
          Effect.map((e: DockerError.DockerError) => e)
        )
      const encrypted = yield* fail([{ id: "k", keys: [ed25519, keygen("enc", "-t", "ed25519", "-N", "secret")] }])
      assert.strictEqual(encrypted.reason._tag, "SystemError")
      assert.deepStrictEqual(
        [(encrypted.reason as DockerError.SystemError).kind, (encrypted.reason as DockerError.SystemError).path],
        ["InvalidData", path.join(dir, "enc")]
      )
      assert.strictEqual(
        encrypted.message,
        `ssh agent "k": failed to parse ${path.join(dir, "enc")}: ssh: this private key is passphrase protected ` +
          "(dockhand asks for no passphrase: load the key into an ssh-agent with ssh-add and forward the agent's " +
          "socket)"
      )
      const missing = yield* fail([{ id: "k", keys: [path.join(dir, "none")] }])
      assert.strictEqual(missing.reason._tag, "SystemError")
      assert.strictEqual((missing.reason as DockerError.SystemError).kind, "NotFound")
      assert.strictEqual(missing.message, `ssh agent "k": open ${path.join(dir, "none")}: no such file or directory`)
      const directory = yield* fail([{ id: "k", keys: [dir] }])
      assert.strictEqual((directory.reason as DockerError.SystemError).kind, "IsADirectory")
      assert.strictEqual(directory.message, `ssh agent "k": read ${dir}: is a directory`)
      const garbage = path.join(dir, "garbage")
      fs.writeFileSync(
        garbage,
        "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END OPENSSH PRIVATE KEY-----\n"
      )
      const invalid = yield* fail([{ id: "k", keys: [garbage] }])
      assert.strictEqual((invalid.reason as DockerError.SystemError).kind, "InvalidData")
      assert.strictEqual(
        invalid.message,
        `ssh agent "k": failed to parse ${garbage}: ssh: invalid openssh private key format`
      )
      assert.notInclude(invalid.message, "c2VjcmV0")
      const both = yield* fail([{ id: "k", socket: "/x.sock", keys: [ed25519] }])
      assert.strictEqual(both.reason._tag, "InvalidArgument")
      assert.include(both.message, "invalid combination of keys and sockets")
      const none = yield* fail([{ id: "k", keys: [] }])
      assert.strictEqual(none.reason._tag, "InvalidArgument")
      assert.strictEqual(none.message, "ssh agent \"k\": no key files (give at least one, or a socket)")
    })))

  it.effect("ForwardAgent for key files answers in-process: the keys listed, a sign request signed, add refused", () =>
    Effect.scoped(Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "id")
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "in-process", "-f", file], {
        stdio: "ignore"
      })
      const agents = yield* SshForward.resolve([{ id: "", keys: [file] }], undefined, "ImageBuild")
      const { call, inbound, sent } = yield* makeCall([])
      const fiber = yield* Effect.forkChild(SshForward.forwardAgent(agents)(call))
      yield* Queue.offer(inbound, bytesMessage(agentMessage(11, "")))
      const identities = bytes(yield* Queue.take(sent))
      assert.strictEqual(identities[4], 12)
      const blob = Buffer.from(fs.readFileSync(`${file}.pub`, "utf8").split(" ")[1]!, "base64")
      assert.deepStrictEqual(identities.subarray(5, 9), Buffer.from([0, 0, 0, 1]))
      assert.deepStrictEqual(identities.subarray(13, 13 + blob.byteLength), blob)
      assert.strictEqual(identities.subarray(13 + blob.byteLength + 4).toString(), "in-process")
      const sshString = (b: Uint8Array) => {
        const out = Buffer.concat([Buffer.alloc(4), b])
        out.writeUInt32BE(b.byteLength, 0)
        return out
      }
      const data = Buffer.from("to sign")
      const sign = Buffer.concat([Buffer.from([0, 0, 0, 0, 13]), sshString(blob), sshString(data), Buffer.alloc(4)])
      sign.writeUInt32BE(sign.byteLength - 4, 0)
      yield* Queue.offer(inbound, bytesMessage(sign))
      const signed = bytes(yield* Queue.take(sent))
      assert.strictEqual(signed[4], 14)
      // string(string("ssh-ed25519") string(64 bytes))
      const signature = signed.subarray(9 + 4 + "ssh-ed25519".length + 4)
      assert.strictEqual(signature.byteLength, 64)
      const publicKey = crypto.createPublicKey({
        key: { kty: "OKP", crv: "Ed25519", x: blob.subarray(blob.byteLength - 32).toString("base64url") },
        format: "jwk"
      })
      assert.isTrue(crypto.verify(null, data, publicKey, signature))
      yield* Queue.offer(inbound, bytesMessage(agentMessage(17, "a key")))
      assert.deepStrictEqual(bytes(yield* Queue.take(sent)), Buffer.from([0, 0, 0, 1, 5]))
      yield* Queue.end(inbound)
      assert.isTrue(Exit.isSuccess(yield* Fiber.await(fiber)))
    })))
})
