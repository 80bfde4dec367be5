/**
 * The {@link DockerPlatform.DockerPlatform} of a real machine on any runtime with Node's built-ins (Node, Bun and
 * Deno): built on `node:fs`, `node:os`, {@link Exec} (which runs programs with `node:child_process`, found on
 * `PATH` as Go's `exec.LookPath` finds them) and {@link AtomicFile} (which replaces `config.json` whole or not at
 * all). Bun and Deno implement these `node:` built-ins too, so this one layer serves all three runtimes; hence the
 * name.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import * as AtomicFile from "./AtomicFile.ts"
import * as DockerError from "./DockerError.ts"
import * as DockerPlatform from "./DockerPlatform.ts"
import * as Errno from "./Errno.ts"
import * as Exec from "./Exec.ts"

/**
 * What to take instead of the process's own state: an environment (replacing `process.env`, not merged with it)
 * and a home directory. Tests use it to point `PATH`, `DOCKER_CONFIG` and `HOME` at temporary directories.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly env?: { readonly [name: string]: string | undefined } | undefined
  readonly homeDir?: string | undefined
}

/** The most bytes of a helper's stdout or stderr that are kept. */
const maxOutput = 1 << 20

type ErrnoException = NodeJS.ErrnoException

/** Go's wording for the usual errno codes, so messages read like the docker CLI's. */
const describe = (error: ErrnoException): string => Errno.goText(error.code) ?? error.code ?? "input/output error"

/** A Node callback API as an Effect that fails with the errno error. */
const call = <A>(
  run: (done: (error: ErrnoException | null, value?: A) => void) => void
): Effect.Effect<A, ErrnoException> =>
  Effect.callback<A, ErrnoException>((resume) => {
    run((error, value) => resume(error ? Effect.fail(error) : Effect.succeed(value as A)))
  })

const fsError = (operation: string, verb: string, path: string) => (error: ErrnoException): DockerError.DockerError =>
  DockerPlatform.localError(operation, `${verb} ${path}: ${describe(error)}`, {
    kind: DockerError.systemErrorKind(error.code),
    path,
    syscall: verb,
    cause: error
  })

/** Why a program could not be found or started, as a {@link DockerError.SystemError}. */
const execError = (operation: string) => (error: Exec.ExecError): DockerError.DockerError =>
  DockerPlatform.localError(operation, error.message, {
    kind: error.kind === "NotFound" ? "NotFound" : error.code === undefined
      ? "PermissionDenied"
      : DockerError.systemErrorKind(error.code),
    path: error.program,
    syscall: "exec",
    cause: error
  })

/**
 * The home directory as Go's `os.UserHomeDir` finds it: `HOME` (`USERPROFILE` on Windows) from the environment,
 * and only when that is unset or empty the runtime's own lookup (`os.homedir()`, which Deno allows only with
 * `--allow-sys`).
 */
const homeOf = (env: { readonly [name: string]: string | undefined }, platform: NodeJS.Platform): string => {
  const fromEnv = platform === "win32" ? env["USERPROFILE"] : env["HOME"]
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : os.homedir()
}

/**
 * Builds the platform from the process (or from `options`): the environment is copied now, so later changes to
 * `process.env` are not seen. The home directory is `options.homeDir`, else `HOME` (`USERPROFILE` on Windows) from
 * that environment, as Go reads it, so that Deno needs no `sys` permission.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options?: Options): DockerPlatform.Service => {
  const env: { readonly [name: string]: string | undefined } = { ...(options?.env ?? process.env) }
  const platform = process.platform
  const homeDir = options?.homeDir ?? homeOf(env, platform)

  const readFile = Effect.fn("NodeCompatPlatform.readFile")(function*(path: string) {
    return yield* call<string>((done) => fs.readFile(path, "utf8", done)).pipe(
      Effect.map(Option.some),
      Effect.catch((error) =>
        error.code === "ENOENT"
          ? Effect.succeed(Option.none<string>())
          : Effect.fail(fsError("NodeCompatPlatform.readFile", error.code === "EISDIR" ? "read" : "open", path)(error))
      )
    )
  })

  const listFiles = Effect.fn("NodeCompatPlatform.listFiles")(function*(path: string) {
    return yield* call<Array<fs.Dirent>>((done) => fs.readdir(path, { withFileTypes: true }, done)).pipe(
      Effect.map((entries) => Option.some(entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name))),
      Effect.catch((error) =>
        error.code === "ENOENT" || error.code === "ENOTDIR"
          ? Effect.succeed(Option.none<ReadonlyArray<string>>())
          : Effect.fail(fsError("NodeCompatPlatform.listFiles", "open", path)(error))
      )
    )
  })

  const writeFile = Effect.fn("NodeCompatPlatform.writeFile")(function*(path: string, text: string) {
    const operation = "NodeCompatPlatform.writeFile"
    const dir = nodePath.dirname(path)
    yield* call<string | undefined>((done) => fs.mkdir(dir, { recursive: true, mode: 0o700 }, done)).pipe(
      Effect.mapError(fsError(operation, "mkdir", dir))
    )
    yield* AtomicFile.write(path, text, { operation })
  })

  const findProgram = Effect.fn("NodeCompatPlatform.findProgram")(function*(program: string) {
    return yield* Exec.lookPath(program, env, platform).pipe(Effect.option)
  })

  const runHelper = Effect.fn("NodeCompatPlatform.runHelper")(
    function*(program: string, args: ReadonlyArray<string>, stdin: string) {
      const result = yield* Exec.runProgram(program, { args, env, stdin, maxOutput }).pipe(
        Effect.mapError(execError("NodeCompatPlatform.runHelper"))
      )
      const decoder = new TextDecoder()
      return {
        exitCode: result.signal === undefined
          ? result.exitCode
          : 128 + (os.constants.signals[result.signal as NodeJS.Signals] ?? 0),
        stdout: decoder.decode(result.stdout),
        stderr: decoder.decode(result.stderr)
      }
    }
  )

  return {
    os: platform,
    env: (name) => env[name],
    homeDir,
    readFile,
    listFiles,
    writeFile,
    findProgram,
    runHelper,
    sha256Hex: DockerPlatform.sha256Hex
  }
}

/**
 * The platform of this process: `process.env` as it is when the layer is built, the user's home directory, the
 * real file system and processes. Works on Node, Bun and Deno (which implement the `node:` built-ins it uses).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<DockerPlatform.DockerPlatform> = Layer.sync(DockerPlatform.DockerPlatform, () => make())

/**
 * The Node platform with a given environment and/or home directory instead of the process's.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerWith = (options: Options): Layer.Layer<DockerPlatform.DockerPlatform> =>
  Layer.sync(DockerPlatform.DockerPlatform, () => make(options))
