/**
 * BuildKit sessions, as `docker buildx build` opens them: `POST /session` upgraded to h2c, then the client serves
 * gRPC to the daemon on that connection — filesync (the context directory and the Dockerfile, read from disk only as
 * the daemon asks, `.dockerignore` applied here), secrets (`RUN --mount=type=secret`), ssh-agent forwarding
 * (`RUN --mount=type=ssh`: each connection a step makes to its agent socket is carried to a new connection to the
 * agent's unix socket, closed when the step closes it or the build ends, or answered by an agent dockhand runs
 * in-process over private key files), registry credentials (from the
 * `Credentials` service) and the health check. `Images.build` opens one when given `session`; it lives as long as
 * the build's progress stream, and its socket is closed when the build ends, fails or is interrupted.
 *
 * The server is `node:http2`, handed the upgraded socket: it works on Node and Deno. Bun's `node:http2` server does
 * not take such a socket, so there a build with a session fails with a `WrongRuntime` reason (a build from a tar
 * context still works).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type * as Scope from "effect/Scope"
import type { Duplex } from "node:stream"
import * as Constants from "./Constants.ts"
import type * as Credentials from "./Credentials.ts"
import * as DockerError from "./DockerError.ts"
import * as DockerHost from "./DockerHost.ts"
import * as Runtime from "./internal/runtime.ts"
import * as SshKey from "./internal/sshKey.ts"

/**
 * Where a secret's bytes come from: a file, an environment variable, or a value the caller holds.
 *
 * @category models
 * @since 0.1.0
 */
export type SecretSource =
  | { readonly _tag: "File"; readonly path: string }
  | { readonly _tag: "Env"; readonly name: string }
  | { readonly _tag: "Value"; readonly value: Redacted.Redacted<string | Uint8Array> }

/**
 * A secret the build may mount by `id` (`RUN --mount=type=secret,id=…`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Secret {
  readonly id: string
  readonly source: SecretSource
}

/**
 * An ssh-agent the build may use by `id` (`RUN --mount=type=ssh,id=…`; an empty id is `default`, the id a mount
 * without one asks for), given one of two ways:
 *
 * - `socket`: an ssh-agent's unix socket, `$SSH_AUTH_SOCK` when neither `socket` nor `keys` is given (as buildx's
 *   `--ssh default`); each connection a step makes is carried to a new connection to that agent.
 * - `keys`: private key files (at least one), served by an agent dockhand runs in-process for the build, as buildx
 *   loads key files into an agent of its own: OpenSSH's format (what `ssh-keygen` writes) or PEM (PKCS#1 RSA, SEC1
 *   EC, PKCS#8); ed25519, RSA and ECDSA (nistp256, nistp384, nistp521) keys. A key protected by a passphrase is
 *   refused (no passphrase is asked for): load it into an `ssh-agent` with `ssh-add` and give that agent's socket.
 *
 * Not both. Either agent is read-only to the build, as with buildx: a step may list its keys and sign, while adding,
 * removing or locking keys and extensions are answered with a failure (and never reach a socket's agent).
 * Everything is checked when the session opens, before the build: a missing socket or a key file that cannot be
 * read fails with a `SystemError` (its `path` the file), a key file holding no key dockhand can serve (or one
 * protected by a passphrase) with a `SystemError` of kind `InvalidData`, a path that is not a socket, both `socket`
 * and `keys`, an empty `keys`, an id given twice or no socket at all with an `InvalidArgument`. No error shows a
 * key's bytes.
 *
 * @category models
 * @since 0.1.0
 */
export interface SshAgent {
  readonly id: string
  /** The agent's unix socket (`$SSH_AUTH_SOCK` when neither this nor `keys` is given). */
  readonly socket?: string | undefined
  /** Private key files for an in-process agent, instead of `socket`. */
  readonly keys?: ReadonlyArray<string> | undefined
}

/**
 * Whether a private key file's bytes hold a key a build's in-process ssh-agent can serve (see {@link SshAgent}'s
 * `keys`): success, or why not in the words of Go's `ssh` package where it has them, as buildx reports them after
 * `failed to parse <file>: ` (`ssh: no key found`, `ssh: this private key is passphrase protected`). Only the first
 * {@link maxSshKeyFileBytes} are read by a session, as buildx reads them. The text never shows the bytes.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkSshKey = (bytes: Uint8Array): Result.Result<void, string> =>
  Result.map(SshKey.parse(bytes.subarray(0, SshKey.maxKeyFileBytes)), () => undefined)

/**
 * The most bytes of a private key file a session reads (100 KiB, as buildx).
 *
 * @category constants
 * @since 0.1.0
 */
export const maxSshKeyFileBytes: number = SshKey.maxKeyFileBytes

/**
 * What a build's session serves.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** The context directory (absolute, or relative to the working directory). */
  readonly context: string
  /** The Dockerfile's path (absolute, or relative to the working directory); `<context>/Dockerfile` by default. */
  readonly dockerfile?: string | undefined
  readonly secrets?: ReadonlyArray<Secret> | undefined
  /** The ssh-agents forwarded to `RUN --mount=type=ssh` steps; none by default (such a step finds no agent). */
  readonly ssh?: ReadonlyArray<SshAgent> | undefined
}

/**
 * Opens raw connections to the engine for a session: the request line and headers are written as given, and the
 * socket is handed over once the daemon answers `101`. Provided by the runtime entries for unix and TCP (TLS)
 * endpoints.
 *
 * @category services
 * @since 0.1.0
 */
export class SessionDialer extends Context.Service<SessionDialer, {
  readonly upgrade: (
    path: string,
    headers: ReadonlyArray<readonly [string, string]>
  ) => Effect.Effect<Duplex, DockerError.DockerError, Scope.Scope>
}>()("@dockhand/client/BuildSession/SessionDialer") {}

const sessionError = (host: string, message: string, cause?: unknown) =>
  DockerError.make(new DockerError.ConnectionError({ host, message, operation: "Session", cause }))

/** Reads the answer's head (at most 64 KiB); the bytes after it stay on the socket. */
const readHead = (socket: Duplex, host: string) =>
  Effect.callback<{ readonly status: number; readonly rest: string }, DockerError.DockerError>((resume) => {
    let head = Buffer.alloc(0)
    const cleanup = () => {
      socket.off("data", onData)
      socket.off("error", onError)
      socket.off("end", onEnd)
    }
    const onError = (cause: Error) => {
      cleanup()
      resume(Effect.fail(sessionError(host, `error during connect: ${cause.message}`, cause)))
    }
    const onEnd = () => {
      cleanup()
      resume(Effect.fail(sessionError(host, "the daemon closed the session connection before answering")))
    }
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf("\r\n\r\n")
      if (end === -1) {
        if (head.byteLength > 65536) onError(new Error("the daemon's answer to POST /session is too long"))
        return
      }
      cleanup()
      socket.pause()
      const after = head.subarray(end + 4)
      if (after.byteLength > 0) socket.unshift(after)
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head.toString("latin1"))?.[1] ?? 0)
      resume(Effect.succeed({ status, rest: after.toString("utf8") }))
    }
    socket.on("data", onData)
    socket.on("error", onError)
    socket.on("end", onEnd)
  })

/**
 * The dialer for `endpoint` over `node:net` / `node:tls`: unix sockets and TCP with or without TLS (ssh and npipe
 * endpoints have none).
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeDialer = (endpoint: DockerHost.Endpoint, userAgent: string = Constants.userAgent) => {
  const host = DockerHost.format(endpoint)
  return SessionDialer.of({
    upgrade: (path, headers) =>
      Effect.gen(function*() {
        const socket = yield* Effect.acquireRelease(
          Effect.suspend((): Effect.Effect<Duplex, DockerError.DockerError> => {
            switch (endpoint._tag) {
              case "Unix":
                return Effect.sync(() => process.getBuiltinModule("node:net").connect({ path: endpoint.path }))
              case "Tcp":
                return Effect.sync(() =>
                  endpoint.tls === undefined
                    ? process.getBuiltinModule("node:net").connect({ host: endpoint.hostname, port: endpoint.port })
                    : process.getBuiltinModule("node:tls").connect({
                      host: endpoint.hostname,
                      port: endpoint.port,
                      servername: endpoint.hostname,
                      ca: endpoint.tls.ca,
                      cert: endpoint.tls.cert,
                      key: endpoint.tls.key,
                      rejectUnauthorized: endpoint.tls.verify
                    })
                )
              default:
                return Effect.fail(
                  sessionError(host, `BuildKit sessions are not supported over ${endpoint._tag} endpoints`)
                )
            }
          }),
          (socket) => Effect.sync(() => socket.destroy())
        )
        const lines = [
          `POST ${path} HTTP/1.1`,
          `Host: ${DockerHost.hostHeader(endpoint)}`,
          `User-Agent: ${userAgent}`,
          "Content-Length: 0",
          "Connection: Upgrade",
          "Upgrade: h2c",
          ...headers.map(([name, value]) => `${name}: ${value}`)
        ]
        socket.write(`${lines.join("\r\n")}\r\n\r\n`)
        const answer = yield* readHead(socket, host)
        if (answer.status !== 101) {
          const body = answer.rest.trim()
          const message = Result.getOrUndefined(
            Result.try(() => (JSON.parse(body) as { message?: unknown }).message)
          )
          return yield* Effect.fail(DockerError.fromStatus({
            status: answer.status === 0 ? 500 : answer.status,
            message: typeof message === "string" ? message : body === "" ? `HTTP status ${answer.status}` : body,
            operation: "Session"
          }))
        }
        return socket
      })
  })
}

/**
 * A layer with the dialer for `endpoint`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerDialer = (endpoint: DockerHost.Endpoint): Layer.Layer<SessionDialer> =>
  Layer.succeed(SessionDialer, makeDialer(endpoint))

const path = () => process.getBuiltinModule("node:path")

/**
 * A session open on the daemon: its id (the build's `session` parameter) and the Dockerfile's name inside the
 * directory served as `dockerfile` (the build's `dockerfile` parameter).
 *
 * @category models
 * @since 0.1.0
 */
export interface Session {
  readonly id: string
  readonly dockerfileName: string
}

/**
 * Opens a session for a build (`POST /v{version}/session`) and serves it until the scope closes. On Bun it fails
 * with a `WrongRuntime` reason (its `node:http2` server cannot serve the upgraded connection).
 *
 * @category constructors
 * @since 0.1.0
 */
export const open = Effect.fnUntraced(function*(
  dialer: SessionDialer["Service"],
  apiVersion: string,
  options: Options,
  credentials: Option.Option<Credentials.Service>
) {
  if (Runtime.current() === "bun") {
    return yield* Effect.fail(DockerError.make(
      new DockerError.WrongRuntime({
        message: "a BuildKit session (local context through filesync, secrets, ssh-agent forwarding, registry " +
          "credentials) needs Node or Deno: Bun's node:http2 server cannot serve gRPC on the daemon's upgraded " +
          "connection",
        operation: "ImageBuild",
        entry: "@dockhand/client/bun",
        runtime: "bun",
        use: "@dockhand/client/node"
      })
    ))
  }
  // the gRPC server and the session's protobuf descriptors are loaded here, by the first build with a session
  const server = yield* Effect.promise(() => import("./internal/sessionServer.ts"))
  const agents = yield* server.resolveAgents(options.ssh ?? [], process.env["SSH_AUTH_SOCK"], "ImageBuild")
  const context = path().resolve(options.context)
  const dockerfile = path().resolve(options.dockerfile ?? path().join(context, "Dockerfile"))
  const id = crypto.randomUUID()
  const sharedKey = yield* Effect.promise(() =>
    crypto.subtle.digest("SHA-256", new TextEncoder().encode(context)).then((digest) =>
      Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")
    )
  )
  const handlers = server.handlers(
    new Map([["context", context], ["dockerfile", path().dirname(dockerfile)]]),
    options.secrets ?? [],
    agents,
    credentials
  )
  const socket = yield* dialer.upgrade(`/v${apiVersion}/session`, [
    ["X-Docker-Expose-Session-Uuid", id],
    ["X-Docker-Expose-Session-Name", path().basename(context)],
    ["X-Docker-Expose-Session-Sharedkey", sharedKey],
    ...Array.from(handlers.keys(), (method) => ["X-Docker-Expose-Session-Grpc-Method", method] as const)
  ])
  yield* server.serve(socket, handlers)
  return { id, dockerfileName: path().basename(dockerfile) } satisfies Session
})
