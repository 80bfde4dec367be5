/**
 * The docker CLI's display of a progress stream (pull, push, load, import): on a terminal, one line per layer
 * redrawn in place with a progress bar; otherwise, one plain line per state change and no bars. On a terminal the
 * daemon's fields (ids, statuses, progress text, build output) are shown with their control characters escaped
 * (see `ControlChars`), and only the display's own cursor movements reach the terminal: its output is written raw.
 *
 * @internal
 */
import type { JsonMessage } from "@dockhand/models"
import * as ControlChars from "./ControlChars.ts"
import * as Units from "./format/Units.ts"

/** Whether and how wide the output terminal is. */
export interface Options {
  readonly terminal: boolean
  /**
   * Whether to escape the control characters of the daemon's fields (default: `terminal`); for text kept back and
   * written to another stream later (`build -q`), whether that stream is a terminal.
   */
  readonly escape?: boolean | undefined
  /** Terminal columns; docker assumes 200 when it cannot tell. */
  readonly columns?: number | undefined
  /** "Now" in Unix seconds, for the time-left estimate. */
  readonly now?: () => number
}

/** Go's `time.Duration.String` of a whole number of seconds: `45s`, `1m30s`, `2h0m5s`. */
const goDuration = (seconds: number): string => {
  if (seconds <= 0) return "0s"
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`
}

/** docker's progress bar for a `progressDetail`: `[=====>      ]  1.2MB/3.4MB`, or `""` when there is no progress. */
export const progressBar = (detail: JsonMessage.ProgressDetail, columns: number, now: number): string => {
  const current = detail.current ?? 0
  const total = detail.total ?? 0
  if (current <= 0 && total <= 0) return ""
  if (total <= 0) {
    return detail.units === undefined || detail.units === ""
      ? Units.humanSize(current).padStart(8)
      : `${current} ${detail.units}`
  }
  const percentage = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2))
  const bar = columns > 110 ? `[${"=".repeat(percentage)}>${" ".repeat(Math.max(0, 50 - percentage))}] ` : ""
  let numbers = ""
  if (detail.hidecounts !== true) {
    if (detail.units === undefined || detail.units === "") {
      numbers = current > total
        ? Units.humanSize(current).padStart(8)
        : `${Units.humanSize(current).padStart(8)}/${Units.humanSize(total)}`
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
 * A display: feed it messages, it returns the text to write for each (with cursor movements on a terminal).
 * Messages carrying an error are not displayed; the caller reports the error.
 */
export const make = (options: Options) => {
  const columns = options.columns ?? 200
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const field = (options.escape ?? options.terminal) ? ControlChars.escape : (text: string) => text
  let ids = new Map<string, number>()

  /** One message as docker's `JSONMessage.Display` writes it. */
  const display = (message: JsonMessage.Message): string => {
    const bar = message.progressDetail === undefined ? "" : progressBar(message.progressDetail, columns, now())
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

  return (message: JsonMessage.Message): string => {
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
    out += display(message)
    if (message.id !== undefined && message.id !== "" && options.terminal && diff > 0) out += `\x1b[${diff}B`
    return out
  }
}
