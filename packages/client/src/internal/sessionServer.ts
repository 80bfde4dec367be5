/**
 * The gRPC services a BuildKit session serves (see `BuildSession`): filesync, secrets, registry credentials and the
 * health check. `BuildSession.open` loads this module on the first build with a session: it evaluates the session's
 * protobuf descriptors and the gRPC server, which no other call needs.
 *
 * @internal
 */
import * as BuildkitSession from "@dockhand/codecs/BuildkitSession"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import type { Secret } from "../BuildSession.ts"
import type * as Credentials from "../Credentials.ts"
import * as Filesync from "./filesync.ts"
import * as Grpc from "./grpcServer.ts"
import * as SshForward from "./sshForward.ts"

/** The secrets handler: the caller's secrets by id; an unknown id is gRPC's NotFound, as buildx answers. */
const secretsHandler = (secrets: ReadonlyArray<Secret>): Grpc.Handler => (call) =>
  Effect.gen(function*() {
    const request = yield* Stream.runHead(call.messages)
    if (Option.isNone(request)) return
    const id = Result.getOrUndefined(BuildkitSession.decodeSecretRequest(request.value))
    const secret = secrets.find((s) => s.id === id)
    if (secret === undefined) {
      return yield* new Grpc.GrpcStatus({ code: Grpc.code.notFound, message: `secret ${id ?? ""} not found` })
    }
    const notFound = new Grpc.GrpcStatus({ code: Grpc.code.notFound, message: `secret ${secret.id} not found` })
    const source = secret.source
    const bytes: Uint8Array = source._tag === "Value"
      ? (() => {
        const value = Redacted.value(source.value)
        return typeof value === "string" ? new TextEncoder().encode(value) : value
      })()
      : source._tag === "Env"
      ? yield* Effect.fromNullishOr(process.env[source.name]).pipe(
        Effect.map((value) => new TextEncoder().encode(value)),
        Effect.mapError(() => notFound)
      )
      : yield* Effect.tryPromise({
        try: () => process.getBuiltinModule("node:fs").promises.readFile(source.path),
        catch: () => notFound
      })
    yield* call.send(BuildkitSession.encodeSecretResponse(bytes))
  })

/** The registry credentials handler, from the `Credentials` service; none found: anonymous. */
const authHandler = (credentials: Option.Option<Credentials.Service>): Grpc.Handler => (call) =>
  Effect.gen(function*() {
    const request = yield* Stream.runHead(call.messages)
    if (Option.isNone(request)) return
    const host = Result.getOrElse(BuildkitSession.decodeCredentialsRequest(request.value), () => "")
    const auth = Option.isNone(credentials) ? Option.none() : yield* credentials.value.get(host).pipe(
      Effect.orElseSucceed(() => Option.none())
    )
    const answer = Option.match(auth, {
      onNone: () => ["", ""] as const,
      onSome: (a) => {
        const token = a.identitytoken === undefined ? "" : Redacted.value(a.identitytoken)
        if (token !== "") return ["", token] as const
        if (a.username === undefined && a.auth !== undefined) {
          const pair = atob(Redacted.value(a.auth))
          const colon = pair.indexOf(":")
          return colon === -1 ? ["", ""] as const : [pair.slice(0, colon), pair.slice(colon + 1)] as const
        }
        return [a.username ?? "", a.password === undefined ? "" : Redacted.value(a.password)] as const
      }
    })
    yield* call.send(BuildkitSession.encodeCredentialsResponse(answer[0], answer[1]))
  })

const healthHandler: Grpc.Handler = (call) =>
  Effect.andThen(Stream.runDrain(call.messages), call.send(BuildkitSession.healthServing))

const unimplemented: Grpc.Handler = () =>
  Effect.fail(new Grpc.GrpcStatus({ code: Grpc.code.unimplemented, message: "not implemented" }))

/**
 * The session's handlers by gRPC method: `dirs` served by filesync (`context`, `dockerfile`), `secrets` by id, the
 * ssh-agents by id (from {@link resolveAgents}), and the registry credentials from `credentials`.
 */
export const handlers = (
  dirs: ReadonlyMap<string, string>,
  secrets: ReadonlyArray<Secret>,
  agents: ReadonlyMap<string, SshForward.Agent>,
  credentials: Option.Option<Credentials.Service>
): ReadonlyMap<string, Grpc.Handler> =>
  new Map<string, Grpc.Handler>([
    ["/moby.filesync.v1.FileSync/DiffCopy", Filesync.diffCopy(dirs)],
    ["/moby.buildkit.secrets.v1.Secrets/GetSecret", secretsHandler(secrets)],
    ["/moby.sshforward.v1.SSH/CheckAgent", SshForward.checkAgent(agents)],
    ["/moby.sshforward.v1.SSH/ForwardAgent", SshForward.forwardAgent(agents)],
    ["/moby.filesync.v1.Auth/Credentials", authHandler(credentials)],
    ["/moby.filesync.v1.Auth/FetchToken", unimplemented],
    ["/moby.filesync.v1.Auth/GetTokenAuthority", unimplemented],
    ["/moby.filesync.v1.Auth/VerifyTokenAuthority", unimplemented],
    ["/grpc.health.v1.Health/Check", healthHandler]
  ])

/** The ssh-agents a session forwards, by id, checked before the session opens (see `sshForward`). */
export const resolveAgents = SshForward.resolve

/** Serves the handlers on the daemon's upgraded connection until the scope closes (see `grpcServer`). */
export const serve = Grpc.serve
