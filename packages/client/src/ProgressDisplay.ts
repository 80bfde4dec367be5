/**
 * docker's display of a progress stream (pull, push, load, import, build), for a {@link Progress.Progress} in one
 * call: on a terminal, one line per layer redrawn in place with a progress bar; otherwise, one plain line per state
 * change and no bars, exactly as the docker CLI prints them. On a terminal the daemon's fields (ids, statuses,
 * progress text, build output) are shown with their control characters escaped, so that an image name cannot drive
 * the terminal; only the display's own cursor movements reach it.
 *
 * @example
 * ```ts
 * import { Images, ProgressDisplay } from "@dockhand/client"
 * import * as Docker from "@dockhand/client/node"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const images = yield* Images.Images
 *   const outcome = yield* ProgressDisplay.render(images.pull("busybox"), { out: process.stdout })
 *   console.log(outcome.digest)
 * })
 * Effect.runPromise(program.pipe(Effect.provide(Docker.layer)))
 * ```
 *
 * @since 0.1.0
 */
import type { JsonMessage } from "@dockhand/models"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as ControlChars from "./ControlChars.ts"
import type * as DockerError from "./DockerError.ts"
import { humanSize } from "./HumanSize.ts"
import * as Progress from "./Progress.ts"

/**
 * How a display writes: for a terminal or not, and how wide it is.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** Whether the output is a terminal: progress bars redrawn in place, or plain lines. */
  readonly terminal: boolean
  /**
   * Whether to escape the control characters of the daemon's fields (default: `terminal`); for text kept back and
   * written to another stream later, whether that stream is a terminal.
   */
  readonly escape?: boolean | undefined
  /** Terminal columns; docker assumes 200 when it cannot tell. The bar is drawn only above 110. */
  readonly columns?: number | undefined
}

/**
 * A display: give it each message and "now" (Unix seconds, for the time-left estimate), it gives back the text to
 * write (cursor movements included on a terminal; `""` when nothing is shown). Messages carrying an error are not
 * shown: the operation fails with it.
 *
 * @category models
 * @since 0.1.0
 */
export type Display = (message: JsonMessage.Message, now: number) => string

/**
 * Where {@link render} writes: anything with a `write(text)` method, such as Node's, Bun's or Deno's
 * `process.stdout`, whose `isTTY` and `columns` are read when present.
 *
 * @category models
 * @since 0.1.0
 */
export interface Writer {
  readonly write: (text: string) => unknown
  readonly isTTY?: boolean | undefined
  readonly columns?: number | undefined
}

/**
 * What {@link render} takes: where to write, and (to override what `out` says of itself) whether it is a terminal
 * and how wide.
 *
 * @category models
 * @since 0.1.0
 */
export interface RenderOptions<E = never, R = never> {
  /** A writer such as `process.stdout`, or an effect writing the text. */
  readonly out: Writer | ((text: string) => Effect.Effect<void, E, R>)
  /** Whether `out` is a terminal (default: `out.isTTY === true`). */
  readonly isTerminal?: boolean | undefined
  /** Terminal columns (default: `out.columns`, else 200). */
  readonly columns?: number | undefined
  /** Whether to escape the daemon's control characters (default: `isTerminal`). */
  readonly escape?: boolean | undefined
}

/** Go's `time.Duration.String` of a whole number of seconds: `45s`, `1m30s`, `2h0m5s`. */
const goDuration = (seconds: number): string => {
  if (seconds <= 0) return "0s"
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`
}

/**
 * docker's progress bar for a `progressDetail`: `[=====>      ]  1.2MB/3.4MB 5s`, or `""` when there is no
 * progress. The bar itself is drawn only when `columns` is above 110; `now` (Unix seconds) gives the time left.
 *
 * @category formatting
 * @since 0.1.0
 */
export const progressBar = (detail: JsonMessage.ProgressDetail, columns: number, now: number): string => {
  const current = detail.current ?? 0
  const total = detail.total ?? 0
  if (current <= 0 && total <= 0) return ""
  if (total <= 0) {
    return detail.units === undefined || detail.units === ""
      ? humanSize(current).padStart(8)
      : `${current} ${detail.units}`
  }
  const percentage = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2))
  const bar = columns > 110 ? `[${"=".repeat(percentage)}>${" ".repeat(Math.max(0, 50 - percentage))}] ` : ""
  let numbers = ""
  if (detail.hidecounts !== true) {
    if (detail.units === undefined || detail.units === "") {
      numbers = current > total
        ? humanSize(current).padStart(8)
        : `${humanSize(current).padStart(8)}/${humanSize(total)}`
    } else {
      numbers = current > total ? `${current} ${detail.units}` : `${current}/${total} ${detail.units}`
    }
  }
  let left = ""
  if (current > 0 && (detail.start ?? 0) > 0 && percentage < 50) {
    const perByte = (now - detail.start!) / current
    left = ` ${goDuration(Math.round((total - current) * perByte))}`
  }
  return bar + numbers + left
}

/**
 * A new {@link Display}, which keeps the lines of the layers shown so far to redraw them in place (docker's
 * `DisplayJSONMessagesStream`). One display per operation.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options): Display => {
  const columns = options.columns ?? 200
  const field = (options.escape ?? options.terminal) ? ControlChars.escape : (text: string) => text
  let ids = new Map<string, number>()

  /** One message as docker's `JSONMessage.Display` writes it. */
  const display = (message: JsonMessage.Message, now: number): string => {
    const bar = message.progressDetail === undefined ? "" : progressBar(message.progressDetail, columns, now)
    let out = ""
    let end = ""
    if (options.terminal && message.stream === undefined && message.progressDetail !== undefined) {
      out += "\x1b[2K\r"
      end = "\r"
    } else if (bar !== "") {
      return ""
    }
    const status = field(message.status ?? "")
    if (message.id !== undefined && message.id !== "") out += `${field(message.id)}: `
    if (message.from !== undefined && message.from !== "") out += `(from ${field(message.from)}) `
    if (message.progressDetail !== undefined && options.terminal) out += `${status} ${field(bar)}${end}`
    else if (message.progress !== undefined && message.progress !== "") {
      out += `${status} ${field(message.progress)}${end}`
    } else if (message.stream !== undefined) out += `${field(message.stream)}${end}`
    else out += `${status}${end}\n`
    return out
  }

  return (message, now) => {
    if (message.errorDetail !== undefined || message.error !== undefined) return ""
    if (message.aux !== undefined && message.status === undefined && message.stream === undefined) return ""
    let out = ""
    let diff = 0
    const hasProgress = message.progressDetail !== undefined ||
      (message.progress !== undefined && message.progress !== "")
    if (message.id !== undefined && message.id !== "" && hasProgress) {
      let line = ids.get(message.id)
      if (line === undefined) {
        line = ids.size
        ids.set(message.id, line)
        if (options.terminal) out += "\n"
      }
      diff = ids.size - line
      if (options.terminal && diff > 0) out += `\x1b[${diff}A`
    } else {
      ids = new Map()
    }
    out += display(message, now)
    if (message.id !== undefined && message.id !== "" && options.terminal && diff > 0) out += `\x1b[${diff}B`
    return out
  }
}

/**
 * Runs a progress operation to its end, writing docker's display of it to `out` (a terminal when `out.isTTY`, or
 * `isTerminal`), and gives its outcome; fails as the operation does (an error the daemon reports in the stream is a
 * `StreamError`, not shown). The counterpart of dockerode's `followProgress` with docker's own output.
 *
 * @category combinators
 * @since 0.1.0
 */
export const render = <E = never, R = never>(
  progress: Progress.Progress,
  options: RenderOptions<E, R>
): Effect.Effect<Progress.Outcome, DockerError.DockerError | E, R> => {
  const { out } = options
  const writer = typeof out === "function" ? undefined : out
  const terminal = options.isTerminal ?? writer?.isTTY === true
  const display = make({ terminal, columns: options.columns ?? writer?.columns, escape: options.escape })
  const write = typeof out === "function" ? out : (text: string) => Effect.sync(() => void out.write(text))
  return Progress.run(progress, (message) =>
    Effect.flatMap(Clock.currentTimeMillis, (millis) => {
      const text = display(message, Math.floor(millis / 1000))
      return text === "" ? Effect.void : write(text)
    })).pipe(Effect.withSpan("ProgressDisplay.render"))
}
