/**
 * ssh-agent forwarding through a BuildKit session (`Images.build` with `session.ssh`) against the private Docker
 * Engine 28.5 (`DOCKHAND_DOCKER28_SOCK`), through this runtime's entry: a `RUN --mount=type=ssh` step runs `ssh-add
 * -l` against a real `ssh-agent` the test starts (a throwaway key in a temp dir), by the default id and by a named
 * one; the agent is read-only to the step (`ssh-add -D` fails, the key stays), as BuildKit's own provider makes it; a
 * required mount of an id the session does not forward fails the step with BuildKit's message; the agent
 * connections are closed when the build ends. Key files (`keys`, an ed25519 key in OpenSSH's format and an RSA key
 * as PEM) are served by the in-process agent: the step lists both keys and signs with each through the agent
 * (`ssh-keygen -Y sign`, verified in the step); a key protected by a passphrase fails before the session opens. On
 * Bun a session is refused with a `WrongRuntime` reason.
 */
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { execFileSync } from "node:child_process"
import * as path from "node:path"
import * as Images from "../../src/Images.ts"
import * as SshAgent from "../utils/SshAgent.ts"
import * as TempDirs from "../utils/TempDirs.ts"
import * as C from "./Conformance.ts"
import * as Fx from "./Fixtures28.ts"

const RUN_ID = C.makeRunId()

const docker28 = Fx.negotiatedLayer28()

/** A context with ssh-add and its libraries, and a Dockerfile ending in `RUN --mount=type=ssh<mount> ssh-add -l`. */
const contextDir = (mount?: string, command?: string): string => {
  const dir = TempDirs.make("dockhand-ssh-ctx-")
  SshAgent.writeContext(dir, C.BUSYBOX_PATH, mount, command)
  return dir
}

/** The connections open to the agent's socket (Linux `ss`: established unix streams on that path). */
const agentConnections = (agentSocket: string) =>
  execFileSync("ss", ["-xH", "state", "connected", "src", agentSocket], { encoding: "utf8" }).trim().split("\n")
    .filter((line) => line !== "").length

/** Runs `f` with an agent holding a fresh key; the agent and its temp dir go away afterwards. */
const withAgent = <A, E, R>(f: (agent: SshAgent.Agent) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => SshAgent.start(`dockhand-${RUN_ID}`)),
    f,
    (agent) => Effect.sync(agent.stop)
  )

/** Runs `f` with throwaway key files (ed25519 in OpenSSH's format, RSA as PEM), removed afterwards. */
const withKeys = <A, E, R>(f: (keys: SshAgent.KeyFiles) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => SshAgent.keyFiles(`dockhand-${RUN_ID}`)),
    f,
    (keys) => Effect.sync(keys.stop)
  )

if (C.entryName === "bun") {
  describe("ssh-agent forwarding on Bun", () => {
    layer(docker28, { excludeTestServices: true })((it) => {
      it.effect("a build forwarding an agent fails with a WrongRuntime reason, before any request", () =>
        withAgent((agent) =>
          Effect.gen(function*() {
            const images = yield* Images.Images
            const error = yield* Effect.flip(
              images.build(Stream.empty, {
                version: "2",
                session: { context: contextDir(), ssh: [{ id: "default", socket: agent.socket }] }
              }).outcome
            )
            assert.strictEqual(error.reason._tag, "WrongRuntime")
            assert.include(error.message, "ssh-agent forwarding")
          })
        ))

      it.effect("a build forwarding key files fails with a WrongRuntime reason too", () =>
        withKeys((keys) =>
          Effect.gen(function*() {
            const images = yield* Images.Images
            const error = yield* Effect.flip(
              images.build(Stream.empty, {
                version: "2",
                session: { context: contextDir(), ssh: [{ id: "default", keys: keys.paths }] }
              }).outcome
            )
            assert.strictEqual(error.reason._tag, "WrongRuntime")
          })
        ))
    })
  })
} else {
  describe("ssh-agent forwarding through a session on Docker Engine 28.5", () => {
    layer(docker28, { excludeTestServices: true })((it) => {
      it.effect("RUN --mount=type=ssh reaches the agent: ssh-add -l lists its key (default id, SSH_AUTH_SOCK)", () =>
        withAgent((agent) =>
          Effect.gen(function*() {
            const before = process.env["SSH_AUTH_SOCK"]
            process.env["SSH_AUTH_SOCK"] = agent.socket
            const messages = yield* Fx.sessionBuild({ context: contextDir(), ssh: [{ id: "default" }] }, {
              labels: { [C.LABEL_KEY]: RUN_ID }
            }).pipe(Effect.ensuring(Effect.sync(() => {
              if (before === undefined) delete process.env["SSH_AUTH_SOCK"]
              else process.env["SSH_AUTH_SOCK"] = before
            })))
            assert.include(Fx.traceOutput(messages).text, agent.fingerprint)
            // the build is over: no connection to the agent is left open
            assert.strictEqual(agentConnections(agent.socket), 0)
          })
        ))

      it.effect("a named id is forwarded to the mount that asks for it", () =>
        withAgent((agent) =>
          Effect.gen(function*() {
            const messages = yield* Fx.sessionBuild(
              {
                context: contextDir(",id=deploy,required=true"),
                ssh: [{ id: "deploy", socket: agent.socket }]
              },
              { labels: { [C.LABEL_KEY]: RUN_ID } }
            )
            assert.include(Fx.traceOutput(messages).text, agent.fingerprint)
          })
        ))

      it.effect("the forwarded agent is read-only as with buildx: ssh-add -D fails, the key stays", () =>
        withAgent((agent) =>
          Effect.gen(function*() {
            const messages = yield* Fx.sessionBuild(
              {
                context: contextDir(",required=true", "ssh-add -D; echo removed=$?; ssh-add -l"),
                ssh: [{ id: "default", socket: agent.socket }]
              },
              { labels: { [C.LABEL_KEY]: RUN_ID } }
            )
            const text = Fx.traceOutput(messages).text
            assert.include(text, "removed=1")
            assert.include(text, agent.fingerprint)
            const listed = execFileSync("ssh-add", ["-l"], {
              env: { ...process.env, SSH_AUTH_SOCK: agent.socket },
              encoding: "utf8"
            })
            assert.include(listed, agent.fingerprint)
          })
        ))

      it.effect("a required mount of an id the session does not forward fails the step as with buildx", () =>
        withAgent((agent) =>
          Effect.gen(function*() {
            const images = yield* Images.Images
            const error = yield* Effect.flip(
              images.build(Stream.empty, {
                version: "2",
                networkMode: "none",
                noCache: true,
                session: { context: contextDir(), ssh: [{ id: "other", socket: agent.socket }] }
              }).outcome
            )
            assert.strictEqual(error.reason._tag, "StreamError")
            assert.include(error.message, "unset ssh forward key default")
          })
        ))

      it.effect("key files are served in-process: the step lists them and signs with each through the agent", () =>
        withKeys((keys) =>
          Effect.gen(function*() {
            const dir = TempDirs.make("dockhand-ssh-ctx-")
            SshAgent.writeSigningContext(dir, C.BUSYBOX_PATH, keys.publicKeys, ",id=deploy,required=true")
            const messages = yield* Fx.sessionBuild(
              { context: dir, ssh: [{ id: "deploy", keys: keys.paths }] },
              { labels: { [C.LABEL_KEY]: RUN_ID } }
            )
            const text = Fx.traceOutput(messages).text
            for (const fingerprint of keys.fingerprints) assert.include(text, fingerprint)
            // ed25519 and RSA (ssh-keygen -Y asks for rsa-sha2-512), each verified in the step
            assert.strictEqual(text.split("Good \"file\" signature for signer").length - 1, 2, text)
            assert.include(text, `dockhand-${RUN_ID} (ED25519)`)
            assert.notInclude(text, "PRIVATE KEY")
          })
        ))

      it.effect("a key protected by a passphrase fails before the session opens, naming the file", () =>
        withKeys((keys) =>
          Effect.gen(function*() {
            const encrypted = path.join(keys.dir, "id_encrypted")
            execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "a passphrase", "-f", encrypted], {
              stdio: "ignore"
            })
            const images = yield* Images.Images
            const error = yield* Effect.flip(
              images.build(Stream.empty, {
                version: "2",
                session: { context: contextDir(), ssh: [{ id: "default", keys: [keys.paths[0]!, encrypted] }] }
              }).outcome
            )
            assert.strictEqual(error.reason._tag, "SystemError")
            assert.strictEqual((error.reason as { path?: string }).path, encrypted)
            assert.include(error.message, `failed to parse ${encrypted}: ssh: this private key is passphrase protected`)
            assert.include(error.message, "ssh-add")
          })
        ))

      it.effect("a socket that does not exist fails before the session opens", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const error = yield* Effect.flip(
            images.build(Stream.empty, {
              version: "2",
              session: { context: contextDir(), ssh: [{ id: "default", socket: "/nonexistent-dockhand-agent.sock" }] }
            }).outcome
          )
          assert.strictEqual(error.reason._tag, "SystemError")
          assert.include(error.message, "stat /nonexistent-dockhand-agent.sock: no such file or directory")
        }))
    })
  })
}
