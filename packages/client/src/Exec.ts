/**
 * Finding and running external programs (`git`, `ssh`, `docker-credential-*`) the way the docker CLI does through
 * Go's `os/exec`: {@link lookPath} searches `PATH` like `exec.LookPath` and refuses a program found through an
 * empty, `.` or relative entry (Go's `exec.ErrDot`), so a program planted in the current directory, or in a
 * checked-out repository, is never run; {@link run} and {@link start} spawn the path it found. Every program
 * dockhand runs goes through this module.
 *
 * `node:child_process` (which Node, Bun and Deno all implement) is taken from the runtime at the first spawn, not
 * imported, so a command that runs no program does not load it.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as ChildProcess from "node:child_process"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import type { Readable } from "node:stream"
import * as Errno from "./Errno.ts"

/**
 * An environment: variable name → value (`undefined` for unset).
 *
 * @category models
 * @since 0.1.0
 */
export interface Env {
  readonly [name: string]: string | undefined
}

/**
 * Why a program could not be found or started, with Go's `os/exec` wording in `message`:
 *
 * - `NotFound`: `exec: "git": executable file not found in $PATH`
 * - `RelativePath`: `exec: "git": cannot run executable found relative to current directory` (Go's `ErrDot`)
 * - `NotExecutable`: a name with a `/` that is missing, a directory or not executable (`exec: "./x": …`)
 * - `StartFailed`: the program was found but could not be started (`fork/exec /usr/bin/x: …`)
 *
 * @category errors
 * @since 0.1.0
 */
export class ExecError extends Data.TaggedError("ExecError")<{
  readonly kind: "NotFound" | "RelativePath" | "NotExecutable" | "StartFailed"
  /** The program as asked for (`git`, `docker-credential-pass`) or the path that failed to start. */
  readonly program: string
  /** Go's text for the failure. */
  readonly message: string
  /** The errno code behind a `NotExecutable` or `StartFailed` failure (`ENOENT`, `EACCES`, `EISDIR`), when known. */
  readonly code?: string | undefined
}> {}

type ErrnoException = NodeJS.ErrnoException

/** Go's wording for the usual errno codes (`syscall.Errno.Error()`). */
const describe = (error: ErrnoException): string => Errno.goText(error.code) ?? error.code ?? error.message

/** Go's `findExecutable` on unix: why `path` is not a runnable file, or `undefined` when it is one. */
const whyNotExecutable = (path: string): Effect.Effect<{ readonly why: string; readonly code?: string } | undefined> =>
  Effect.callback<{ readonly why: string; readonly code?: string } | undefined>((resume) => {
    fs.stat(path, (error, stats) => {
      if (error) return resume(Effect.succeed({ why: `stat ${path}: ${describe(error)}`, ...codeOf(error) }))
      if (stats.isDirectory()) return resume(Effect.succeed({ why: "is a directory", code: "EISDIR" }))
      fs.access(
        path,
        fs.constants.X_OK,
        (denied) => resume(Effect.succeed(denied ? { why: describe(denied), ...codeOf(denied) } : undefined))
      )
    })
  })

/** An errno error's code as an optional field. */
const codeOf = (error: ErrnoException): { readonly code?: string } =>
  error.code === undefined ? {} : { code: error.code }

/**
 * Where `program` is, as Go's `exec.LookPath` finds it on unix (and, with `PATHEXT`, on Windows):
 *
 * - a name with a path separator is used as it is, if it is an executable file;
 * - otherwise each entry of `env.PATH` in turn (an empty `PATH` has none); the first entry holding an executable
 *   file of that name decides. If that entry is empty (meaning the current directory), `.` or any relative
 *   directory, the program is refused with `exec: "NAME": cannot run executable found relative to current
 *   directory`, as Go 1.19 and later do, rather than run from wherever the process happens to be;
 * - none: `exec: "NAME": executable file not found in $PATH`.
 *
 * The path given back is what Go gives back: absolute for a `PATH` search, as written for a name with a `/`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const lookPath = (
  program: string,
  env: Env,
  os: string = process.platform
): Effect.Effect<string, ExecError> =>
  Effect.gen(function*() {
    const quoted = JSON.stringify(program)
    const windows = os === "win32"
    if (program.includes("/") || (windows && program.includes("\\"))) {
      const failure = yield* whyNotExecutable(program)
      if (failure === undefined) return program
      return yield* new ExecError({
        kind: "NotExecutable",
        program,
        message: `exec: ${quoted}: ${failure.why}`,
        ...(failure.code === undefined ? {} : { code: failure.code })
      })
    }
    const pathText = env["PATH"] ?? (windows ? env["Path"] : undefined) ?? ""
    // Go's filepath.SplitList: an empty PATH has no entries; otherwise every entry counts, empty ones included.
    const dirs = pathText === "" ? [] : pathText.split(windows ? ";" : ":")
    const extensions = windows
      ? ["", ...(env["PATHEXT"] ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((ext) => ext !== "")]
      : [""]
    for (const dir of dirs) {
      for (const extension of extensions) {
        const candidate = nodePath.join(dir === "" ? "." : dir, program + extension)
        if ((yield* whyNotExecutable(candidate)) !== undefined) continue
        if (!nodePath.isAbsolute(candidate)) {
          return yield* new ExecError({
            kind: "RelativePath",
            program,
            message: `exec: ${quoted}: cannot run executable found relative to current directory`
          })
        }
        return candidate
      }
    }
    return yield* new ExecError({
      kind: "NotFound",
      program,
      message: `exec: ${quoted}: executable file not found in $PATH`
    })
  })

/**
 * How to run a program: its arguments, its whole environment (not merged with the process's), its working
 * directory, what to write to its standard input (nothing: standard input is closed), how many bytes of each
 * output to keep (1 MiB unless told), and whether standard error goes with standard output into one stream in the
 * order it came (`combineOutput`, as `git` is read).
 *
 * @category models
 * @since 0.1.0
 */
export interface RunOptions {
  readonly args?: ReadonlyArray<string> | undefined
  readonly env: Env
  readonly cwd?: string | undefined
  readonly stdin?: string | Uint8Array | undefined
  readonly maxOutput?: number | undefined
  readonly combineOutput?: boolean | undefined
}

/**
 * How a program ended: its exit code (`-1` when a signal ended it, as Go reports it), the signal, and its output
 * (at most `maxOutput` bytes of each stream; `truncated` says whether more came). With `combineOutput`, `stdout`
 * holds both streams and `stderr` is empty.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunResult {
  readonly exitCode: number
  readonly signal: string | undefined
  readonly stdout: Uint8Array
  readonly stderr: Uint8Array
  readonly truncated: boolean
}

/**
 * How a program ended, as Go's `*exec.ExitError` words it: `exit status N` or `signal: SIGNAL`; `undefined` for
 * a success.
 *
 * @category utils
 * @since 0.1.0
 */
export const exitText = (result: Pick<RunResult, "exitCode" | "signal">): string | undefined =>
  result.signal !== undefined
    ? `signal: ${result.signal}`
    : result.exitCode === 0
    ? undefined
    : `exit status ${result.exitCode}`

/**
 * A started program whose standard output and error are pipes (standard input too, unless it was ignored).
 *
 * @category models
 * @since 0.1.0
 */
export interface Child extends ChildProcess.ChildProcess {
  readonly stdout: Readable
  readonly stderr: Readable
}

/**
 * How to start a program: its whole environment, its working directory, and whether standard input is a pipe.
 *
 * @category models
 * @since 0.1.0
 */
export interface StartOptions {
  readonly env: Env
  readonly cwd?: string | undefined
  readonly stdin: "pipe" | "ignore"
}

/**
 * Starts the program at `path` (from {@link lookPath}; a relative one is taken from the current directory, never
 * from `cwd`) with all three standard streams piped, except standard input when `ignore`d. For callers that
 * stream (the `ssh` transport); {@link run} is the one-shot form. A failure to start comes as the child's `error`
 * event; word it with {@link startError}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = (
  path: string,
  args: ReadonlyArray<string>,
  options: StartOptions
): Child =>
  process.getBuiltinModule("node:child_process").spawn(nodePath.resolve(path), [...args], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: options.env as NodeJS.ProcessEnv,
    stdio: [options.stdin, "pipe", "pipe"],
    windowsHide: true
  }) as Child

/**
 * The typed error for a program that was found but did not start: Go's `fork/exec PATH: REASON`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const startError = (path: string, error: ErrnoException): ExecError =>
  new ExecError({
    kind: "StartFailed",
    program: path,
    message: `fork/exec ${path}: ${describe(error)}`,
    ...codeOf(error)
  })

/** Keeps the first `max` bytes of what a stream sends. */
const collector = (max: number) => {
  const chunks: Array<Buffer> = []
  let size = 0
  let truncated = false
  return {
    push: (chunk: Buffer) => {
      if (size >= max) {
        truncated = true
        return
      }
      if (size + chunk.byteLength > max) truncated = true
      chunks.push(chunk.subarray(0, max - size))
      size += chunk.byteLength
    },
    bytes: () => new Uint8Array(Buffer.concat(chunks)),
    truncated: () => truncated
  }
}

/**
 * Runs the program at `path` (from {@link lookPath}) to its end and collects its output. A program that cannot be
 * started is a typed {@link ExecError}; a non-zero exit is not an error (see {@link exitText}). Interrupting the
 * effect kills the program.
 *
 * @category constructors
 * @since 0.1.0
 */
export const run = (path: string, options: RunOptions): Effect.Effect<RunResult, ExecError> =>
  Effect.callback<RunResult, ExecError>((resume) => {
    const max = options.maxOutput ?? 1 << 20
    const child = start(path, options.args ?? [], {
      env: options.env,
      cwd: options.cwd,
      stdin: options.stdin === undefined ? "ignore" : "pipe"
    })
    const stdout = collector(max)
    const stderr = options.combineOutput ? stdout : collector(max)
    child.stdout.on("data", stdout.push)
    child.stderr.on("data", stderr.push)
    child.on("error", (error: ErrnoException) => resume(Effect.fail(startError(path, error))))
    child.on("close", (code, signal) =>
      resume(Effect.succeed({
        exitCode: code ?? -1,
        signal: signal ?? undefined,
        stdout: stdout.bytes(),
        stderr: options.combineOutput ? new Uint8Array(0) : stderr.bytes(),
        truncated: stdout.truncated() || stderr.truncated()
      })))
    if (child.stdin !== null) {
      // A program may exit without reading its input; that is not an error of ours.
      child.stdin.on("error", () => {})
      child.stdin.end(options.stdin)
    }
    return Effect.sync(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
    })
  })

/**
 * {@link lookPath} then {@link run}: the program by name, as `exec.Command(name, args...)` runs it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const runProgram = (program: string, options: RunOptions): Effect.Effect<RunResult, ExecError> =>
  Effect.flatMap(lookPath(program, options.env), (path) => run(path, options))
