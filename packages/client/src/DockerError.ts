/**
 * The one error every `@dockhand/client` call fails with: `DockerError`, whose `reason` says what went wrong in a
 * way a caller can match on (`Effect.catchReason("DockerError", "NotFound", ...)`). Messages read like the docker
 * CLI's and never contain registry credentials.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Predicate from "effect/Predicate"

const TypeId = "~@dockhand/client/DockerError"

/** Fields every daemon answer reason carries: the HTTP status, the daemon's message, the operation and the image. */
interface DaemonAnswer {
  /** The HTTP status the daemon answered with. */
  readonly status: number
  /** The daemon's own message (`No such image: x:latest`), or the body text when it was not JSON. */
  readonly message: string
  /** The swagger operationId of the call, e.g. `ImageInspect`. */
  readonly operation: string
  /** The image reference the call was about, when there was one. */
  readonly reference?: string | undefined
  /**
   * The answer's body was 1 MiB or longer and was not read to its end: `message` is then the Go client's own
   * sentence (`request returned 500 Internal Server Error with a message (> 1048576 bytes) for API route and
   * version …`), which the docker CLI prints without `Error response from daemon:`.
   */
  readonly cut?: boolean | undefined
}

/**
 * 404: the image, container or repository does not exist (or, for a registry, is not readable).
 *
 * @category errors
 * @since 0.1.0
 */
export class NotFound extends Data.TaggedError("NotFound")<DaemonAnswer> {}

/**
 * 409: the request conflicts with the daemon's state, e.g. deleting an image a container uses.
 *
 * @category errors
 * @since 0.1.0
 */
export class Conflict extends Data.TaggedError("Conflict")<DaemonAnswer> {}

/**
 * 400: the daemon rejected the request's parameters, e.g. an invalid filter or reference.
 *
 * @category errors
 * @since 0.1.0
 */
export class BadRequest extends Data.TaggedError("BadRequest")<DaemonAnswer> {}

/**
 * 401: the registry or daemon wants (other) credentials.
 *
 * @category errors
 * @since 0.1.0
 */
export class Unauthorized extends Data.TaggedError("Unauthorized")<DaemonAnswer> {}

/**
 * 403: the request is not allowed, e.g. pulling `scratch`, or an authorization plugin said no.
 *
 * @category errors
 * @since 0.1.0
 */
export class Forbidden extends Data.TaggedError("Forbidden")<DaemonAnswer> {}

/**
 * 500 and every other unexpected status: the daemon failed.
 *
 * @category errors
 * @since 0.1.0
 */
export class ServerError extends Data.TaggedError("ServerError")<DaemonAnswer> {}

/**
 * 501 or 503: the daemon cannot do this now or at all (not implemented, unhealthy, shutting down).
 *
 * @category errors
 * @since 0.1.0
 */
export class Unavailable extends Data.TaggedError("Unavailable")<DaemonAnswer> {}

/**
 * The daemon could not be reached: the socket is missing or refuses connections, TLS failed, the connection broke.
 * `host` is where the client tried to connect (`unix:///var/run/docker.sock`).
 *
 * @category errors
 * @since 0.1.0
 */
export class ConnectionError extends Data.TaggedError("ConnectionError")<{
  readonly host: string
  readonly message: string
  readonly operation: string
  readonly cause?: unknown
}> {}

/**
 * The daemon answered, but not with what the API promises (malformed JSON, a wrong shape, a truncated stream).
 *
 * @category errors
 * @since 0.1.0
 */
export class DecodeError extends Data.TaggedError("DecodeError")<{
  readonly message: string
  readonly operation: string
  readonly cause?: unknown
}> {}

/**
 * A progress stream (pull, push, load, import, build) reported an error in-band after answering 200.
 * `code` is what the daemon put in `errorDetail.code` (for a failed `RUN` of the classic builder, the command's
 * exit status). A BuildKit build names the step that failed in `vertex` (`[2/3] RUN make`) and keeps its last lines
 * of output in `logs`.
 *
 * @category errors
 * @since 0.1.0
 */
export class StreamError extends Data.TaggedError("StreamError")<{
  readonly message: string
  readonly code?: number | undefined
  readonly operation: string
  readonly reference?: string | undefined
  readonly vertex?: string | undefined
  readonly logs?: ReadonlyArray<string> | undefined
}> {}

/**
 * An option needs a newer API than the one negotiated with the daemon, which would otherwise ignore it silently;
 * or the daemon's API is older than this client supports.
 *
 * @category errors
 * @since 0.1.0
 */
export class ApiVersionError extends Data.TaggedError("ApiVersionError")<{
  readonly message: string
  readonly operation: string
  /** The option that needs a newer API, e.g. `platform`. */
  readonly option?: string | undefined
  /** The API version the option needs, e.g. `1.48`. */
  readonly required: string
  /** The API version in use. */
  readonly actual: string
}> {}

/**
 * A request the client refused to send because an argument is invalid (an invalid reference, two platforms where
 * the API takes one, an empty name): checked before any traffic, with docker's wording.
 *
 * @category errors
 * @since 0.1.0
 */
export class InvalidArgument extends Data.TaggedError("InvalidArgument")<{
  readonly message: string
  readonly operation: string
}> {}

/**
 * What kind of local failure a {@link SystemError} is, from the errno code when there is one (as Effect's
 * `PlatformError.SystemErrorTag` groups them):
 *
 * - `NotFound`: a file, directory or program that does not exist (`ENOENT`, a helper not on `PATH`);
 * - `PermissionDenied`: `EACCES`, `EPERM`, a file that is not executable;
 * - `NoSpace`: `ENOSPC`, `EDQUOT` (a full disk or quota);
 * - `ReadOnly`: `EROFS`;
 * - `NotADirectory` / `IsADirectory`: `ENOTDIR` / `EISDIR`;
 * - `InvalidData`: a local file that could be read but not understood (a malformed `config.json`);
 * - `Unknown`: anything else (another errno code, a helper that failed).
 *
 * @category errors
 * @since 0.1.0
 */
export type SystemErrorKind =
  | "NotFound"
  | "PermissionDenied"
  | "NoSpace"
  | "ReadOnly"
  | "NotADirectory"
  | "IsADirectory"
  | "InvalidData"
  | "Unknown"

/**
 * A local failure, not a bad argument and not the daemon: a file that cannot be read or written (a full disk while
 * saving `config.json`, `EACCES` on a context file), a credential helper that is missing or fails, an unreadable
 * stdin. `message` keeps docker's wording (`open /x/config.json: permission denied`); `kind` says what went wrong in
 * a way to match on; `path` and `syscall` say where, when known; `cause` is the runtime's own error.
 *
 * @category errors
 * @since 0.1.0
 */
export class SystemError extends Data.TaggedError("SystemError")<{
  readonly kind: SystemErrorKind
  readonly message: string
  readonly operation: string
  /** The file or program the failure is about, when there is one. */
  readonly path?: string | undefined
  /** What was being done, in Go's words where the message uses them: `open`, `write`, `mkdir`, `exec`, `read`. */
  readonly syscall?: string | undefined
  readonly cause?: unknown
}> {}

/**
 * The {@link SystemErrorKind} of a Node-style errno code (`ENOENT` → `NotFound`); `Unknown` for any other code.
 *
 * @category constructors
 * @since 0.1.0
 */
export const systemErrorKind = (code: string | undefined): SystemErrorKind => {
  switch (code) {
    case "ENOENT":
      return "NotFound"
    case "EACCES":
    case "EPERM":
      return "PermissionDenied"
    case "ENOSPC":
    case "EDQUOT":
      return "NoSpace"
    case "EROFS":
      return "ReadOnly"
    case "ENOTDIR":
      return "NotADirectory"
    case "EISDIR":
      return "IsADirectory"
    default:
      return "Unknown"
  }
}

/**
 * A runtime entry used on another runtime: `@dockhand/client/bun` needs Bun and `@dockhand/client/deno` needs Deno.
 * Their `layer` and `layerWith` fail with it when they are built, before any request; `message` names the entry
 * that fits the runtime (`use @dockhand/client/node on Node`).
 *
 * @category errors
 * @since 0.1.0
 */
export class WrongRuntime extends Data.TaggedError("WrongRuntime")<{
  readonly message: string
  readonly operation: string
  /** The entry that was used, e.g. `@dockhand/client/bun`. */
  readonly entry: string
  /** The runtime this process is: `node`, `bun` or `deno`. */
  readonly runtime: string
  /** The entry that fits this runtime, e.g. `@dockhand/client/node`. */
  readonly use: string
}> {}

/**
 * Every reason a {@link DockerError} can have.
 *
 * @category errors
 * @since 0.1.0
 */
export type Reason =
  | NotFound
  | Conflict
  | BadRequest
  | Unauthorized
  | Forbidden
  | ServerError
  | Unavailable
  | ConnectionError
  | DecodeError
  | StreamError
  | ApiVersionError
  | InvalidArgument
  | SystemError
  | WrongRuntime

/**
 * Whether `u` is a {@link DockerError} (from any copy of this package, as the check does not use `instanceof`).
 *
 * @category guards
 * @since 0.1.0
 */
export const isDockerError = (u: unknown): u is DockerError => Predicate.hasProperty(u, TypeId)

/**
 * The error of every client call. Match on `reason._tag`, or use `Effect.catchReason("DockerError", "NotFound", f)`.
 * `message` reads like the docker CLI: `Error response from daemon: No such image: x:latest`. The reason's `cause`
 * (the runtime's error behind a `ConnectionError`, `DecodeError` or `SystemError`) is the error's own `cause`, so it
 * shows in `Cause.pretty` and traces.
 *
 * @category errors
 * @since 0.1.0
 */
export class DockerError extends Data.TaggedError("DockerError")<{ readonly reason: Reason }> {
  constructor(props: { readonly reason: Reason }) {
    if ("cause" in props.reason && props.reason.cause !== undefined) {
      super({ ...props, cause: props.reason.cause } as { readonly reason: Reason })
    } else {
      super(props)
    }
  }

  /**
   * Marks this value as a {@link DockerError} for {@link isDockerError}.
   *
   * @since 0.1.0
   */
  readonly [TypeId]: typeof TypeId = TypeId

  override get message(): string {
    const reason = this.reason
    switch (reason._tag) {
      case "NotFound":
      case "Conflict":
      case "BadRequest":
      case "Unauthorized":
      case "Forbidden":
      case "ServerError":
      case "Unavailable":
        return reason.cut === true ? reason.message : `Error response from daemon: ${reason.message}`
      default:
        return reason.message
    }
  }
}

/**
 * Maps a daemon's error status to its reason, as moby's errdefs do.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromStatus = (answer: DaemonAnswer): DockerError => {
  const { status } = answer
  const reason = status === 404
    ? new NotFound(answer)
    : status === 409
    ? new Conflict(answer)
    : status === 400
    ? new BadRequest(answer)
    : status === 401
    ? new Unauthorized(answer)
    : status === 403
    ? new Forbidden(answer)
    : status === 501 || status === 503
    ? new Unavailable(answer)
    : new ServerError(answer)
  return new DockerError({ reason })
}

/**
 * Wraps a reason into a {@link DockerError}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (reason: Reason): DockerError => new DockerError({ reason })
