/**
 * What `build` needs for BuildKit beyond the classic builder: which builder docker 28 would pick, the flags only
 * BuildKit reads (`--progress`, `--shm-size` and `--ulimit` values), and the run itself: the daemon's trace drawn
 * as buildx's plain view on standard error, the warnings summary, and failures worded as buildx words them.
 *
 * @internal
 */
import { type DockerError, Progress } from "@dockhand/client"
import { BuildkitTrace } from "@dockhand/codecs"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { writeFileSync } from "node:fs"
import * as Failure from "../Failure.ts"
import type * as Terminal from "../Terminal.ts"
import * as BuildkitPlain from "./BuildkitPlain.ts"

/** Go's `strconv.ParseBool`. */
const parseBool = (text: string): boolean | undefined =>
  ["1", "t", "T", "TRUE", "true", "True"].includes(text)
    ? true
    : ["0", "f", "F", "FALSE", "false", "False"].includes(text)
    ? false
    : undefined

/**
 * Whether docker 28 builds with BuildKit: `DOCKER_BUILDKIT` when set (a Go boolean), else whether the daemon's
 * `/_ping` says `Builder-Version: 2` (Engine 23+ on Linux; Engine 20.10 and Podman do not).
 */
export const enabled = (env: string | undefined, builderVersion: string | undefined) => {
  if (env === undefined || env === "") return Effect.succeed(builderVersion === "2")
  const value = parseBool(env)
  return value === undefined
    ? Effect.fail(Failure.message(
      `DOCKER_BUILDKIT environment variable expects boolean value: strconv.ParseBool: parsing ${
        JSON.stringify(env)
      }: invalid syntax`
    ))
    : Effect.succeed(value)
}

/** The `--progress` values buildx takes. */
export type ProgressMode = "auto" | "plain" | "tty" | "quiet" | "rawjson"

/**
 * Reads `--progress` (and `-q`, which makes it `quiet`). `tty` and `rawjson` are refused: dockhand draws only the
 * plain view so far, which `auto` also uses on a terminal.
 */
export const progressMode = (value: string, quiet: boolean) => {
  if (quiet) return Effect.succeed<ProgressMode>("quiet")
  if (value === "auto" || value === "plain" || value === "quiet") return Effect.succeed<ProgressMode>(value)
  if (value === "tty" || value === "rawjson") {
    return Effect.fail(Failure.message(
      `ERROR: --progress=${value} is not supported by dockhand yet: use --progress=plain (or auto, which is plain)`
    ))
  }
  return Effect.fail(Failure.message(`ERROR: invalid progress mode ${JSON.stringify(value)}`))
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgtp])?(?:i?b)?$/i
const MULTIPLIER: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }

/** go-units' `RAMInBytes` (`64m`, `1g`, `512`), as `--shm-size` reads it; `undefined` when it is not a size. */
export const ramInBytes = (text: string): number | undefined => {
  const match = SIZE.exec(text.trim())
  if (match === null) return undefined
  return Math.trunc(Number(match[1]) * (match[2] === undefined ? 1 : MULTIPLIER[match[2].toLowerCase()]!))
}

/** go-units' `ParseUlimit`: `nofile=1024[:2048]`; `undefined` when it is not one. */
export const parseUlimit = (
  text: string
): { readonly Name: string; readonly Soft: number; readonly Hard: number } | undefined => {
  const match = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(text)
  if (match === null) return undefined
  const soft = Number(match[2])
  const hard = match[3] === undefined ? soft : Number(match[3])
  return soft > hard && hard !== -1 ? undefined : { Name: match[1]!, Soft: soft, Hard: hard }
}

/** Writes `--iidfile` as docker does: the ID, no newline, mode 0644. */
export const writeIidFile = (path: string, id: string) =>
  Effect.try({
    try: () => writeFileSync(path, id, { mode: 0o644 }),
    catch: (cause) => Failure.message(`ERROR: writing image ID file: ${Failure.goError(cause)}`)
  })

/**
 * Runs a BuildKit build: the plain view on standard error (nothing with `quiet`), then the warnings summary; the
 * image ID on standard output with `-q`. A failure is worded as buildx words it (`ERROR: failed to build: failed to
 * solve: ...`, exit 1), after the failed step's last output lines.
 */
export const run = (
  progress: Progress.Progress,
  options: { readonly mode: ProgressMode; readonly quietId: boolean; readonly iidfile: string | undefined },
  terminal: Terminal.Service
) =>
  Effect.gen(function*() {
    const plain = options.mode === "quiet"
      ? undefined
      : BuildkitPlain.make("building with \"default\" instance using docker driver")
    const draw = (message: Parameters<typeof BuildkitTrace.fromMessage>[0]) => {
      if (plain === undefined) return Effect.void
      const trace = BuildkitTrace.fromMessage(message)
      if (Result.isFailure(trace) || Option.isNone(trace.success)) return Effect.void
      const text = plain.update(trace.success.value)
      return text === "" ? Effect.void : terminal.errRaw(text)
    }
    const finish = plain === undefined
      ? Effect.void
      : Effect.suspend(() => terminal.errRaw(plain.done() + BuildkitPlain.warningsSummary(plain.warnings())))
    const outcome = yield* Progress.run(progress, draw).pipe(
      Effect.tapError(() => finish),
      Effect.catch((error: DockerError.DockerError) =>
        Effect.fail(
          error.reason._tag === "StreamError"
            ? Failure.message(`ERROR: failed to build: failed to solve: ${error.reason.message}`)
            : Failure.message(`ERROR: failed to build: ${error.message}`)
        )
      )
    )
    yield* finish
    const id = outcome.imageId ?? ""
    if (options.quietId) yield* terminal.outRaw(`${id}\n`)
    if (options.iidfile !== undefined) yield* writeIidFile(options.iidfile, id)
  })
