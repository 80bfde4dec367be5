/**
 * What reading the docker CLI's settings and registry credentials needs from the runtime: environment variables,
 * the home directory, a few file operations, running `docker-credential-*` helpers and SHA-256. The modules that
 * use it (`DockerConfig`, `Credentials`, `DockerSettings`) stay free of any runtime API; `NodeCompatPlatform`
 * provides the real thing for Node, Bun and Deno, and {@link DockerPlatform.fromRecord} an in-memory one for tests.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as DockerError from "./DockerError.ts"

/**
 * What a helper program did: its exit code and everything it wrote (as UTF-8 text).
 *
 * @category models
 * @since 0.1.0
 */
export interface HelperResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * The runtime access the docker-compatible settings need.
 *
 * @category models
 * @since 0.1.0
 */
export interface Service {
  /** The operating system, as Node names it: `linux`, `darwin`, `win32`, … */
  readonly os: string
  /** An environment variable, read from a snapshot taken when the platform was built. */
  readonly env: (name: string) => string | undefined
  /** The user's home directory (`$HOME`, else the user database). */
  readonly homeDir: string
  /** A UTF-8 text file; `None` when it does not exist; any other failure is a typed error. */
  readonly readFile: (path: string) => Effect.Effect<Option.Option<string>, DockerError.DockerError>
  /** The names of the entries of a directory that are not directories; `None` when it does not exist. */
  readonly listFiles: (path: string) => Effect.Effect<Option.Option<ReadonlyArray<string>>, DockerError.DockerError>
  /**
   * Replaces a file atomically (a temporary file renamed over it), creating missing parent directories with mode
   * 0700. A new file gets mode 0600; an existing one keeps its mode, and a symlink is followed, as the docker CLI
   * does when it saves `config.json`.
   */
  readonly writeFile: (path: string, text: string) => Effect.Effect<void, DockerError.DockerError>
  /**
   * Where `program` is found on the snapshot's `PATH`, like Go's `exec.LookPath`; `None` when it is not, or when it is
   * found only through an empty, `.` or relative `PATH` entry (Go's `exec.ErrDot`: such a program is never run).
   */
  readonly findProgram: (program: string) => Effect.Effect<Option.Option<string>>
  /**
   * Runs `program` (looked up on the snapshot's `PATH`, with the snapshot as its environment), writes `stdin` to
   * it and collects its output. A program that cannot be found or started is a typed error; a non-zero exit is not.
   */
  readonly runHelper: (
    program: string,
    args: ReadonlyArray<string>,
    stdin: string
  ) => Effect.Effect<HelperResult, DockerError.DockerError>
  /** The lowercase hex SHA-256 of the UTF-8 bytes of `text` (context directories are named this way). */
  readonly sha256Hex: (text: string) => Effect.Effect<string>
}

/**
 * The lowercase hex SHA-256 of `text`'s UTF-8 bytes, computed with WebCrypto (`crypto.subtle`), which Node, Bun,
 * Deno and browsers all have.
 *
 * @category utils
 * @since 0.1.0
 */
export const sha256Hex = (text: string): Effect.Effect<string> =>
  Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))).pipe(
    Effect.map((digest) => Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join(""))
  )

/**
 * What {@link localError} knows about a local failure besides its message: its kind (`Unknown` when not given), the
 * file or program, the operation in Go's words and the runtime's own error.
 *
 * @category models
 * @since 0.1.0
 */
export interface LocalErrorDetails {
  readonly kind?: DockerError.SystemErrorKind | undefined
  readonly path?: string | undefined
  readonly syscall?: string | undefined
  readonly cause?: unknown
}

/**
 * A local failure (a file, a helper program) as a {@link DockerError.DockerError} with a
 * {@link DockerError.SystemError} reason, never an `InvalidArgument`; `operation` names our call.
 *
 * @category constructors
 * @since 0.1.0
 */
export const localError = (
  operation: string,
  message: string,
  details: LocalErrorDetails = {}
): DockerError.DockerError =>
  DockerError.make(
    new DockerError.SystemError({
      kind: details.kind ?? "Unknown",
      message,
      operation,
      ...(details.path === undefined ? {} : { path: details.path }),
      ...(details.syscall === undefined ? {} : { syscall: details.syscall }),
      ...(details.cause === undefined ? {} : { cause: details.cause })
    })
  )

/**
 * A setting or argument that cannot be used (conflicting flags, an unparsable `DOCKER_HOST`) as a
 * {@link DockerError.DockerError} with an `InvalidArgument` reason; `operation` names our call. The counterpart of
 * {@link localError}, for failures that are the caller's input rather than the machine's.
 *
 * @category constructors
 * @since 0.1.0
 */
export const argumentError = (operation: string, message: string): DockerError.DockerError =>
  DockerError.make(new DockerError.InvalidArgument({ operation, message }))

/**
 * What {@link DockerPlatform.fromRecord} takes: the environment, the home directory, the files (path → text) and
 * the helper programs (name → a function of the arguments and stdin). Everything is optional.
 *
 * @category models
 * @since 0.1.0
 */
export interface RecordOptions {
  readonly os?: string | undefined
  readonly env?: { readonly [name: string]: string | undefined } | undefined
  readonly homeDir?: string | undefined
  readonly files?: { readonly [path: string]: string } | undefined
  readonly helpers?: {
    readonly [program: string]: (args: ReadonlyArray<string>, stdin: string) => HelperResult
  } | undefined
}

/** An in-memory platform: files live in a map that `writeFile` updates. */
const fromRecordService = (record: RecordOptions): Service => {
  const env = { ...record.env }
  const files = new Map(Object.entries(record.files ?? {}))
  const helpers = record.helpers ?? {}
  const notFound = (program: string) =>
    localError("DockerPlatform.runHelper", `exec: "${program}": executable file not found in $PATH`, {
      kind: "NotFound",
      path: program,
      syscall: "exec"
    })
  return {
    os: record.os ?? "linux",
    env: (name) => env[name],
    homeDir: record.homeDir ?? "/home/user",
    readFile: (path) => Effect.sync(() => Option.fromNullishOr(files.get(path))),
    listFiles: (path) =>
      Effect.sync(() => {
        const prefix = `${path.replace(/\/+$/, "")}/`
        const names = [...files.keys()]
          .filter((file) => file.startsWith(prefix) && !file.slice(prefix.length).includes("/"))
          .map((file) => file.slice(prefix.length))
        const isDir = names.length > 0 || [...files.keys()].some((file) => file.startsWith(prefix))
        return isDir ? Option.some(names) : Option.none()
      }),
    writeFile: (path, text) => Effect.sync(() => void files.set(path, text)),
    findProgram: (program) => Effect.succeed(program in helpers ? Option.some(program) : Option.none()),
    runHelper: (program, args, stdin) => {
      const helper = helpers[program]
      return helper === undefined ? Effect.fail(notFound(program)) : Effect.sync(() => helper(args, stdin))
    },
    sha256Hex
  }
}

/**
 * The platform service. Provide `NodeCompatPlatform.layer` in programs; {@link DockerPlatform.fromRecord} builds an
 * in-memory one for tests.
 *
 * @category services
 * @since 0.1.0
 */
export class DockerPlatform extends Context.Service<DockerPlatform, Service>()("@dockhand/client/DockerPlatform") {
  /**
   * An in-memory platform (no file system, no processes): reads come from `record.files`, writes update that
   * copy (no parent directory needs to exist), helpers are plain functions found under their own name.
   *
   * @category layers
   * @since 0.1.0
   */
  static readonly fromRecord = (record: RecordOptions): Layer.Layer<DockerPlatform> =>
    Layer.sync(DockerPlatform, () => DockerPlatform.of(fromRecordService(record)))
}
