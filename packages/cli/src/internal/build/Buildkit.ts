/**
 * What `build` needs for BuildKit beyond the classic builder: which builder docker 28 would pick, the flags only
 * BuildKit reads (`--progress`, `--shm-size` and `--ulimit` values), and the run itself: the daemon's trace drawn
 * as buildx draws it on standard error (its live view on a terminal, the plain view, raw JSON), the warnings
 * summary, and failures worded as buildx words them.
 *
 * @internal
 */
import { type DockerError, Progress } from "@dockhand/client"
import type * as BuildkitTrace from "@dockhand/codecs/BuildkitTrace"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { readFileSync, statSync, writeFileSync } from "node:fs"
import { basename, isAbsolute, join } from "node:path"
import * as Failure from "../Failure.ts"
import type * as Terminal from "../Terminal.ts"
import type * as BuildkitPlain from "./BuildkitPlain.ts"
import type * as BuildkitRawJson from "./BuildkitRawJson.ts"
import type * as BuildkitTty from "./BuildkitTty.ts"
import type * as DockerfileExcerpt from "./DockerfileExcerpt.ts"

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

const MODES: ReadonlyArray<string> = ["auto", "plain", "tty", "quiet", "rawjson"]

/**
 * Reads `--progress` as buildx does: `quiet` (or `-q`, which makes it `quiet`; `none` is `quiet` too), and any
 * other mode with `-q` is an error, as is an unknown mode.
 */
export const progressMode = (value: string, quiet: boolean) => {
  const mode = value === "none" ? "quiet" : value
  if (quiet || mode === "quiet") {
    return mode === "auto" || mode === "quiet"
      ? Effect.succeed<ProgressMode>("quiet")
      : Effect.fail(Failure.message(`ERROR: progress=${value} and quiet cannot be used together`))
  }
  return MODES.includes(mode)
    ? Effect.succeed(mode as ProgressMode)
    : Effect.fail(Failure.message(`ERROR: invalid progress mode ${value}`))
}

/**
 * The view buildx draws for a mode: `auto` is `BUILDKIT_PROGRESS` when set, then `tty` when standard error is a
 * terminal and `plain` otherwise; `tty` needs a terminal.
 */
export const displayMode = (
  mode: ProgressMode,
  stderrIsTerminal: boolean,
  env: (name: string) => string | undefined
) => {
  const chosen = mode === "auto" ? env("BUILDKIT_PROGRESS") || "auto" : mode
  if (chosen === "auto" || chosen === "tty") {
    if (stderrIsTerminal) return Effect.succeed<Exclude<ProgressMode, "auto">>("tty")
    if (chosen === "tty") {
      return Effect.fail(Failure.message("ERROR: failed to get console: provided file is not a console"))
    }
    return Effect.succeed<Exclude<ProgressMode, "auto">>("plain")
  }
  return chosen === "plain" || chosen === "quiet" || chosen === "rawjson"
    ? Effect.succeed<Exclude<ProgressMode, "auto">>(chosen)
    : Effect.fail(Failure.message(`ERROR: invalid progress mode ${chosen}`))
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

/** A Go integer from the environment (`TTY_DISPLAY_RATE`, `BUILDKIT_TTY_LOG_LINES`), else `undefined`. */
const envInt = (text: string | undefined): number | undefined =>
  text !== undefined && /^[+-]?\d+$/.test(text) ? Number(text) : undefined

/**
 * What a BuildKit build draws with: BuildKit's trace decoder (its protobuf descriptors) and the views. They are loaded
 * by {@link run}, on the first BuildKit build, so that no other command evaluates them at start-up.
 */
interface Modules {
  readonly trace: typeof BuildkitTrace
  readonly plain: typeof BuildkitPlain
  readonly tty: typeof BuildkitTty
  readonly rawJson: typeof BuildkitRawJson
  readonly excerpt: typeof DockerfileExcerpt
}

/** Loads the {@link Modules}. */
const loadModules: Effect.Effect<Modules> = Effect.promise(() =>
  Promise.all([
    import("@dockhand/codecs/BuildkitTrace"),
    import("./BuildkitPlain.ts"),
    import("./BuildkitTty.ts"),
    import("./BuildkitRawJson.ts"),
    import("./DockerfileExcerpt.ts")
  ])
).pipe(Effect.map(([trace, plain, tty, rawJson, excerpt]) => ({ trace, plain, tty, rawJson, excerpt })))

/**
 * How a view takes the build: `update` for each trace, `finish` once the stream ends, fails or is interrupted (the
 * last frame, the failed steps' output, the warnings summary).
 */
interface View {
  readonly update: (trace: BuildkitTrace.Trace) => Effect.Effect<void>
  readonly finish: Effect.Effect<void>
}

/**
 * buildx's live view: a frame on an update at most every 100 ms and every 150 ms while nothing arrives (both
 * `TTY_DISPLAY_RATE` ms when set), the final frame and the failed steps' output at the end, then the warnings.
 */
const ttyView = (terminal: Terminal.Service, { plain: BuildkitPlain, tty: BuildkitTty }: Modules) =>
  Effect.gen(function*() {
    const size = () => terminal.stderrSize() ?? { columns: 80, rows: 10 }
    const display = BuildkitTty.make({
      desc: "docker:default",
      colors: BuildkitTty.colors(terminal.env),
      logLines: envInt(terminal.env("BUILDKIT_TTY_LOG_LINES")),
      columns: size().columns
    })
    const rate = envInt(terminal.env("TTY_DISPLAY_RATE"))
    const displayEvery = rate ?? 100
    const tickEvery = rate ?? 150
    let lastFrame = Number.NEGATIVE_INFINITY
    let lastUpdate = Number.NEGATIVE_INFINITY
    const draw = (now: number) => terminal.errRaw(display.frame(now, size(), false))
    const ticker = yield* Effect.forkChild(Effect.forever(
      Effect.sleep(`${Math.max(tickEvery, 1)} millis`).pipe(
        Effect.andThen(Clock.currentTimeMillis),
        Effect.flatMap((now) => now - lastUpdate >= tickEvery ? draw(now) : Effect.void)
      )
    ))
    const view: View = {
      update: (trace) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          display.update(trace, now)
          lastUpdate = now
          if (now - lastFrame < displayEvery) return Effect.void
          lastFrame = now
          return draw(now)
        }),
      finish: Effect.gen(function*() {
        yield* Fiber.interrupt(ticker)
        const now = yield* Clock.currentTimeMillis
        yield* terminal.errRaw(
          display.frame(now, size(), true) + display.errorLogs() + BuildkitPlain.warningsSummary(display.warnings())
        )
      })
    }
    return view
  })

/**
 * buildx's plain view, then the warnings: an update printed at most every 100 ms, the others with the next one or
 * a refresh 150 ms after the last update (both `TTY_DISPLAY_RATE` ms when set).
 */
const plainView = (terminal: Terminal.Service, { plain: BuildkitPlain }: Modules) =>
  Effect.gen(function*() {
    const plain = BuildkitPlain.make("building with \"default\" instance using docker driver")
    const rate = envInt(terminal.env("TTY_DISPLAY_RATE"))
    const paced = BuildkitPlain.paced(plain, rate ?? 100)
    const tickEvery = rate ?? 150
    let lastUpdate = Number.NEGATIVE_INFINITY
    const write = (text: string) => text === "" ? Effect.void : terminal.errRaw(text)
    const ticker = yield* Effect.forkChild(Effect.forever(
      Effect.sleep(`${Math.max(tickEvery, 1)} millis`).pipe(
        Effect.andThen(Clock.currentTimeMillis),
        Effect.flatMap((now) => now - lastUpdate >= tickEvery ? write(paced.refresh()) : Effect.void)
      )
    ))
    const view: View = {
      update: (trace) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          lastUpdate = now
          return write(paced.update(trace, now))
        }),
      finish: Effect.gen(function*() {
        yield* Fiber.interrupt(ticker)
        yield* terminal.errRaw(plain.done() + BuildkitPlain.warningsSummary(plain.warnings()))
      })
    }
    return view
  })

/** buildx's raw JSON: each update as a line, nothing at the end (no warnings summary). */
const rawJsonView = (terminal: Terminal.Service, { rawJson: BuildkitRawJson }: Modules): View => ({
  update: (trace) => terminal.errRaw(BuildkitRawJson.line(trace)),
  finish: Effect.void
})

const quietView: View = { update: () => Effect.void, finish: Effect.void }

/**
 * The Dockerfile a build uses, for the `Dockerfile:N` excerpt of a failed step: its name as buildx shows it
 * (`Dockerfile`, the base name of `-f`) and its content, read when a step fails (`undefined` when it cannot be).
 */
export interface DockerfileSource {
  readonly name: string
  readonly read: Effect.Effect<Uint8Array | undefined>
}

/** A Dockerfile larger than this is not read for an excerpt. */
const EXCERPT_MAX_BYTES = 4 * 1024 * 1024

/** A {@link DockerfileSource} read from a file (nothing when it cannot be read or is very large). */
export const dockerfileFromFile = (name: string, path: string): DockerfileSource => ({
  name,
  read: Effect.try(() => statSync(path).size <= EXCERPT_MAX_BYTES ? readFileSync(path) : undefined).pipe(
    Effect.orElseSucceed(() => undefined)
  )
})

/** A {@link DockerfileSource} of a content already read. */
export const dockerfileFromBytes = (name: string, content: Uint8Array): DockerfileSource => ({
  name,
  read: Effect.succeed(content)
})

/**
 * The Dockerfile of a local directory or git checkout context, named as buildx names it: the base name of `-f`
 * (for a git context, `-f` as given unless absolute), else `Dockerfile` (or `dockerfile` when only that exists);
 * `Dockerfile` when it comes from standard input (`-f -`).
 */
export const localDockerfile = (options: {
  readonly file: string | undefined
  readonly git: boolean
  readonly local: {
    readonly root: string
    readonly dockerfile: string
    readonly outside: { readonly content: Uint8Array } | undefined
  }
  readonly stdinDockerfile: Uint8Array | undefined
}): DockerfileSource => {
  const { file, local } = options
  if (options.stdinDockerfile !== undefined) return dockerfileFromBytes("Dockerfile", options.stdinDockerfile)
  const name = file === undefined || file === ""
    ? options.git ? "Dockerfile" : basename(local.dockerfile)
    : options.git && !isAbsolute(file)
    ? file
    : basename(file)
  return local.outside === undefined
    ? dockerfileFromFile(name, join(local.root, local.dockerfile))
    : dockerfileFromBytes(name, local.outside.content)
}

/**
 * The steps that failed in a build (their names by error text), to tell which one a solve error is about: the one
 * whose error is the solve error's text, else the only one (cancelled steps left out).
 */
const failedSteps = ({ trace: BuildkitTrace }: Modules) => {
  const failed = new Map<string, string>()
  return {
    add: (trace: BuildkitTrace.Trace) => {
      for (const vertex of trace.vertexes) {
        if (vertex.error === undefined || BuildkitTrace.isCanceled(vertex.error)) continue
        if (!failed.has(vertex.error)) failed.set(vertex.error, vertex.name)
      }
    },
    find: (message: string): string | undefined =>
      failed.get(message) ?? (failed.size === 1 ? [...failed.values()][0] : undefined)
  }
}

/** The excerpt buildx prints before the error line, for the step a solve error is about (empty if none). */
const excerptFor = (
  { excerpt: DockerfileExcerpt }: Modules,
  dockerfile: DockerfileSource | undefined,
  vertex: string | undefined
) =>
  dockerfile === undefined || vertex === undefined ? Effect.succeed("") : Effect.map(
    dockerfile.read,
    (content) =>
      content === undefined
        ? ""
        : DockerfileExcerpt.excerpt(
          dockerfile.name,
          new TextDecoder("utf-8", { ignoreBOM: true }).decode(content),
          vertex
        )
  )

/**
 * How long an interrupted build goes on reading what the daemon sends once asked to cancel (buildx stops reading its
 * status stream when nothing came for 5 s): the daemon's last reports, the running steps as cancelled, come within
 * a fraction of a second.
 */
const CANCEL_GRACE = "5 seconds"

/**
 * Reads the build with `reading`; when interrupted (SIGINT) after the daemon has begun to report (`started`), asks
 * the daemon to `cancel` the build and goes on reading until the stream ends, for at most {@link CANCEL_GRACE}, as
 * buildx reads its status stream to the end after a cancel: the views get the steps' last state (`#N CANCELED`).
 * Before the daemon has reported anything, an interrupt stops the reading at once (closing the connection cancels
 * the build in the daemon too).
 */
const readingUntilCancelled = <A, E>(
  reading: Effect.Effect<A, E>,
  started: () => boolean,
  cancel: Effect.Effect<void, unknown>
): Effect.Effect<A, E> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(restore(reading))
      return yield* restore(Fiber.join(fiber)).pipe(
        Effect.onInterrupt(() =>
          started()
            ? cancel.pipe(
              Effect.ignore,
              Effect.andThen(Fiber.await(fiber)),
              Effect.timeout(CANCEL_GRACE),
              Effect.ignore,
              Effect.andThen(Fiber.interrupt(fiber))
            )
            : Fiber.interrupt(fiber)
        )
      )
    })
  )

/**
 * Runs a BuildKit build: the view `--progress` asks for on standard error (the live view on a terminal, the plain
 * one otherwise, raw JSON, or nothing with `quiet`), then the warnings summary; the image ID on standard output
 * with `-q`. A failure is worded as buildx words it (`ERROR: failed to build: failed to solve: ...`, exit 1), after
 * the failed step's last output lines and, in every mode, the excerpt of the `dockerfile` around its instruction.
 * Interrupted, it asks the daemon to `cancel` the build (`Images.buildCancel` of the build's id) and shows what the
 * daemon reports then (the running steps `CANCELED`) before buildx's last line.
 */
export const run = (
  progress: Progress.Progress,
  options: {
    readonly mode: ProgressMode
    readonly quietId: boolean
    readonly iidfile: string | undefined
    readonly dockerfile?: DockerfileSource | undefined
    /** Cancels the build in the daemon (`POST /build/cancel` of its id); without it, an interrupt stops at once. */
    readonly cancel?: Effect.Effect<void, unknown> | undefined
  },
  terminal: Terminal.Service
) =>
  Effect.scoped(Effect.gen(function*() {
    const mode = yield* displayMode(options.mode, terminal.stderrIsTerminal, terminal.env)
    const modules = yield* loadModules
    const view = mode === "tty"
      ? yield* ttyView(terminal, modules)
      : mode === "plain"
      ? yield* plainView(terminal, modules)
      : mode === "rawjson"
      ? rawJsonView(terminal, modules)
      : quietView
    const failed = failedSteps(modules)
    let started = false
    const draw = (message: Parameters<typeof BuildkitTrace.fromMessage>[0]) => {
      started = true
      if (view === quietView && options.dockerfile === undefined) return Effect.void
      const trace = modules.trace.fromMessage(message)
      if (Result.isFailure(trace) || Option.isNone(trace.success)) return Effect.void
      failed.add(trace.success.value)
      return view.update(trace.success.value)
    }
    const reading = Progress.run(progress, draw)
    const outcome = yield* (
      options.cancel === undefined ? reading : readingUntilCancelled(reading, () => started, options.cancel)
    ).pipe(
      Effect.onExit(() => view.finish),
      // interrupted (SIGINT): buildx's last line once the daemon reports the cancelled solve
      Effect.onInterrupt(() =>
        terminal.errRaw("ERROR: failed to build: failed to solve: Canceled: context canceled\n")
      ),
      Effect.catch((error: DockerError.DockerError) => {
        if (error.reason._tag !== "StreamError") {
          return Effect.fail(Failure.message(`ERROR: failed to build: ${error.message}`))
        }
        const message = error.reason.message
        return Effect.flatMap(
          excerptFor(modules, options.dockerfile, failed.find(message)),
          (excerpt) => Effect.fail(Failure.message(`${excerpt}ERROR: failed to build: failed to solve: ${message}`))
        )
      })
    )
    const id = outcome.imageId ?? ""
    if (options.quietId) yield* terminal.outRaw(`${id}\n`)
    if (options.iidfile !== undefined) yield* writeIidFile(options.iidfile, id)
  }))
