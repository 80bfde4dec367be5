/**
 * BuildKit's `--progress=plain` view, as `docker build` (buildx 0.29) prints it on standard error: one block per
 * step, `#N name`, its sub-task lines (`#N exporting layers 0.1s done`), warnings (`#N WARN: ...`), output lines
 * with the time since the step started (`#N 0.123 text`), and how it ended (`#N CACHED`, `#N DONE 0.1s`,
 * `#N ERROR: ...`); a step left unfinished when another one prints is closed with `#N ...`. At the end, the failed
 * steps' last output lines between `------` rules, and the summary of the warnings.
 *
 * Every update is printed as it arrives (buildx batches them at most every 100 ms, which changes only how often a
 * running sub-task's progress is repeated). Steps in a progress group are not shown.
 *
 * @internal
 */
import type { BuildkitTrace } from "@dockhand/codecs"

interface Interval {
  readonly start: number
  readonly stop: number | undefined
}

interface Status {
  value: BuildkitTrace.VertexStatus
}

interface Step {
  vertex: BuildkitTrace.Vertex
  index: number
  intervals: Map<number, Interval>
  merged: Array<Interval>
  statuses: Array<Status>
  byId: Map<string, Status>
  statusUpdates: Set<string>
  warnings: Array<BuildkitTrace.VertexWarning>
  warningIndex: number
  logs: Array<string>
  logsPartial: boolean
  logsOffset: number
  /** The last lines of output (at most 10), for the error summary. */
  lastLines: Array<string>
  /** The line being completed, kept apart from `lastLines` until its newline. */
  lastPartial: string | undefined
  /** The last update of the step that had it started, to tell whether a new one changes anything. */
  previous: BuildkitTrace.Vertex | undefined
}

const LAST_LINES = 10
/** A running sub-task's progress is repeated only after 5 % more of it or 5 s. */
const MIN_PROGRESS_DELTA = 0.05
const MIN_TIME_DELTA_MS = 5000

/** Overlapping intervals joined, in start order; an open interval absorbs every later one. */
const mergeIntervals = (intervals: ReadonlyArray<Interval>): Array<Interval> => {
  const sorted = [...intervals].sort((a, b) => a.start - b.start)
  if (sorted.length === 0) return []
  const merged: Array<Interval> = []
  let current = sorted[0]!
  for (const next of sorted.slice(1)) {
    if (current.stop === undefined) break
    if (current.stop < next.start) {
      merged.push(current)
      current = next
      continue
    }
    current = {
      start: current.start,
      stop: next.stop === undefined ? undefined : Math.max(current.stop, next.stop)
    }
  }
  merged.push(current)
  return merged
}

/** tonistiigi/units' `%.2f` of a byte count: `123B`, `1.98MB`. */
export const bytes = (n: number): string => {
  const unitNames = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
  let unit = 0
  let base = 1
  while (n >= base * 1000 && unit < unitNames.length - 1) {
    base *= 1000
    unit++
  }
  return unit === 0 ? `${n}B` : `${(n / base).toFixed(2)}${unitNames[unit]}`
}

/** A log line's time since the step started, as buildx writes it: 3 decimals under 10 s, 2 under 100 s, else 1. */
const logTime = (seconds: number): string => seconds.toFixed(seconds < 10 ? 3 : seconds < 100 ? 2 : 1)

/** The plain view's state over one build. */
export interface Printer {
  /** Takes one update and returns the text to print for it. */
  readonly update: (trace: BuildkitTrace.Trace) => string
  /** Takes one update without printing it. */
  readonly add: (trace: BuildkitTrace.Trace) => void
  /** The text to print for the updates taken since the last print (buildx's refresh). */
  readonly print: () => string
  /** The text to print when the stream ends: what is still pending, then the failed steps' last output lines. */
  readonly done: () => string
  /** Every warning the build reported, in order. */
  readonly warnings: () => ReadonlyArray<BuildkitTrace.VertexWarning>
}

/**
 * Makes the plain view. `description` is the `#0` line buildx starts with (`building with "default" instance using
 * docker driver`).
 */
export const make = (description: string | undefined): Printer => {
  const steps = new Map<string, Step>()
  /** Steps in the order they started, for the error summary. */
  const started: Array<Step> = []
  const updates = new Set<string>()
  const lastStatus = new Map<string, { current: number; timestamp: number }>()
  const allWarnings: Array<BuildkitTrace.VertexWarning> = []
  let current: string | undefined
  let notFirst = false
  let nextIndex = 0
  let out = ""

  const isStarted = (step: Step) => step.merged.length > 0
  const mostRecent = (step: Step) => step.merged[step.merged.length - 1]
  const isCompleted = (step: Step) => mostRecent(step)?.stop !== undefined
  const hidden = (step: Step) => step.vertex.progressGroup !== undefined

  const vertexChanged = (previous: BuildkitTrace.Vertex | undefined, next: BuildkitTrace.Vertex) =>
    previous === undefined || previous.name !== next.name || previous.started !== next.started ||
    (next.completed !== undefined && previous.completed !== next.completed) || previous.cached !== next.cached ||
    previous.error !== next.error

  const add = (trace: BuildkitTrace.Trace) => {
    for (const vertex of trace.vertexes) {
      let step = steps.get(vertex.digest)
      const wasStarted = step !== undefined && isStarted(step)
      if (step === undefined) {
        step = {
          vertex,
          index: 0,
          intervals: new Map(),
          merged: [],
          statuses: [],
          byId: new Map(),
          statusUpdates: new Set(),
          warnings: [],
          warningIndex: 0,
          logs: [],
          logsPartial: false,
          logsOffset: 0,
          lastLines: [],
          lastPartial: undefined,
          previous: undefined
        }
        steps.set(vertex.digest, step)
      }
      if (vertex.started !== undefined) {
        if (vertexChanged(step.previous, vertex)) updates.add(vertex.digest)
        step.previous = vertex
      }
      if (vertex.started !== undefined && !wasStarted) started.push(step)
      if (!wasStarted || vertex.started !== undefined) step.vertex = vertex
      if (vertex.started !== undefined) {
        step.intervals.set(vertex.started, { start: vertex.started, stop: vertex.completed })
        step.merged = mergeIntervals([...step.intervals.values()])
      }
    }
    for (const status of trace.statuses) {
      const step = steps.get(status.vertex)
      if (step === undefined) continue
      let entry = step.byId.get(status.id)
      const first = entry === undefined
      if (entry === undefined) {
        entry = { value: status }
        step.byId.set(status.id, entry)
      }
      if (status.started !== undefined && (first || entry.value.started === undefined)) step.statuses.push(entry)
      entry.value = status
      step.statusUpdates.add(status.id)
      updates.add(status.vertex)
    }
    for (const warning of trace.warnings) {
      allWarnings.push(warning)
      steps.get(warning.vertex)?.warnings.push(warning)
    }
    for (const log of trace.logs) {
      const step = steps.get(log.vertex)
      if (step === undefined) continue
      const text = new TextDecoder().decode(log.data)
      const parts = text.split("\n")
      const complete = text.endsWith("\n")
      if (complete) parts.pop()
      parts.forEach((part, i) => {
        if (step.logsPartial && step.logs.length > 0 && i === 0) {
          step.logs[step.logs.length - 1] += part
        } else {
          const interval = mostRecent(step)
          const seconds = interval === undefined || log.timestamp === undefined
            ? 0
            : (log.timestamp - interval.start) / 1000
          step.logs.push(`${logTime(seconds)} ${part}`)
        }
      })
      step.logsPartial = !complete
      updates.add(log.vertex)
    }
  }

  const remember = (step: Step, line: string) => {
    step.lastPartial = step.logsPartial ? line : undefined
    if (!step.logsPartial) {
      step.lastLines.push(line)
      if (step.lastLines.length > LAST_LINES) step.lastLines.shift()
    }
  }

  const printStep = (digest: string) => {
    const step = steps.get(digest)
    if (step === undefined) return
    if (step.index === 0) step.index = ++nextIndex
    const n = step.index
    if (digest !== current) {
      if (current !== undefined) {
        const old = steps.get(current)!
        if (old.logsPartial) out += "\n"
        old.logsOffset = 0
        out += `#${old.index} ...\n`
      }
      if (notFirst) out += "\n"
      else {
        if (description !== undefined) out += `#0 ${description}\n\n`
        notFirst = true
      }
      out += `#${n} ${step.vertex.name}\n`
    }
    let openStatus = false
    for (const status of step.statuses) {
      if (!step.statusUpdates.has(status.value.id)) continue
      const s = status.value
      const last = lastStatus.get(s.id)
      if (last !== undefined && s.completed === undefined) {
        const progress = s.total > 0 ? (s.current - last.current) / s.total : 0
        if (progress < MIN_PROGRESS_DELTA && (s.timestamp ?? 0) - last.timestamp < MIN_TIME_DELTA_MS) continue
      }
      lastStatus.set(s.id, { current: s.current, timestamp: s.timestamp ?? 0 })
      const size = s.total !== 0
        ? ` ${bytes(s.current)} / ${bytes(s.total)}`
        : s.current !== 0
        ? ` ${bytes(s.current)}`
        : ""
      let time = ""
      const end = s.completed ?? s.timestamp
      if (s.started !== undefined && end !== undefined) {
        const seconds = (end - s.started) / 1000
        if (seconds > 0.01) time = ` ${seconds.toFixed(1)}s`
      }
      if (s.completed !== undefined) time += " done"
      else openStatus = true
      out += `#${n} ${s.id}${size}${time}\n`
    }
    step.statusUpdates.clear()
    for (const warning of step.warnings.slice(step.warningIndex)) {
      out += `#${n} WARN: ${warning.short}\n`
      step.warningIndex++
    }
    step.logs.forEach((line, i) => {
      const shown = i === 0 && step.logsOffset !== 0 ? line.slice(step.logsOffset) : line
      out += i === 0 && step.logsOffset !== 0 ? shown : `#${n} ${shown}`
      if (i !== step.logs.length - 1 || !step.logsPartial) out += "\n"
      remember(step, line)
    })
    if (step.logs.length > 0) {
      if (step.logsPartial) {
        step.logs = step.logs.slice(-1)
        step.logsOffset = step.logs[0]!.length
      } else {
        step.logs = []
        step.logsOffset = 0
      }
    }
    current = digest
    if (isCompleted(step) && !openStatus) {
      current = undefined
      if (step.logsPartial) out += "\n"
      if (step.vertex.error !== undefined) {
        out += step.vertex.error.endsWith("context canceled")
          ? `#${n} CANCELED\n`
          : `#${n} ERROR: ${step.vertex.error}\n`
      } else if (step.vertex.cached) {
        out += `#${n} CACHED\n`
      } else {
        const seconds = step.merged.reduce((sum, i) => sum + ((i.stop ?? i.start) - i.start), 0) / 1000
        out += `#${n} DONE ${seconds.toFixed(1)}s\n`
      }
    }
    updates.delete(digest)
  }

  const print = () => {
    const completed: Array<string> = []
    const rest: Array<string> = []
    for (const digest of updates) {
      const step = steps.get(digest)
      if (step === undefined || hidden(step)) continue
      ;(isCompleted(step) ? completed : rest).push(digest)
    }
    const now = current
    if (now !== undefined && completed.includes(now)) printStep(now)
    const stop = (digest: string) => mostRecent(steps.get(digest)!)?.stop ?? 0
    for (const digest of completed.sort((a, b) => stop(a) - stop(b))) {
      if (digest !== now) printStep(digest)
    }
    if (rest.length === 0) {
      if (current !== undefined) {
        const step = steps.get(current)!
        if (isStarted(step) && !isCompleted(step)) return
      }
      for (const [digest, step] of steps) {
        if (isStarted(step) && !isCompleted(step) && !hidden(step)) {
          printStep(digest)
          return
        }
      }
      return
    }
    if (current !== undefined && rest.includes(current)) {
      printStep(current)
      return
    }
    printStep(rest[0]!)
  }

  const take = () => {
    const text = out
    out = ""
    return text
  }

  return {
    update: (trace) => {
      add(trace)
      print()
      return take()
    },
    add,
    print: () => {
      print()
      return take()
    },
    done: () => {
      print()
      for (const step of started) {
        const error = step.vertex.error
        if (error === undefined || error.endsWith("context canceled")) continue
        out += `------\n > ${step.vertex.name}:\n`
        for (const line of step.lastLines) out += `${line}\n`
        if (step.lastPartial !== undefined) out += `${step.lastPartial}\n`
        out += "------\n"
      }
      return take()
    },
    warnings: () => allWarnings
  }
}

/** The plain view printed at buildx's pace. */
export interface Paced {
  /** Takes one update received at `now` (milliseconds); the text to print now (empty while updates are held back). */
  readonly update: (trace: BuildkitTrace.Trace, now: number) => string
  /** The text of a refresh (buildx's ticker, 150 ms after the last update). */
  readonly refresh: () => string
}

/**
 * Prints at buildx's pace: an update is printed only when `every` ms (100) have passed since the last printed one;
 * the ones in between are taken in and printed together by the next printed update or refresh. A step the daemon
 * completes and starts again within that time (a session's `[internal] load build context`) is printed once, as
 * buildx prints it.
 */
export const paced = (printer: Printer, every: number): Paced => {
  let last = Number.NEGATIVE_INFINITY
  return {
    update: (trace, now) => {
      printer.add(trace)
      if (now - last < every) return ""
      last = now
      return printer.print()
    },
    refresh: printer.print
  }
}

/**
 * The warnings summary buildx prints after the progress (on standard error): a blank line, then the count in
 * yellow, then one line per warning.
 */
export const warningsSummary = (warnings: ReadonlyArray<BuildkitTrace.VertexWarning>): string => {
  if (warnings.length === 0) return ""
  const count = warnings.length === 1 ? "1 warning found" : `${warnings.length} warnings found`
  return `\n \x1b[33m${count} (use docker --debug to expand):\n\x1b[0m` +
    warnings.map((warning) => ` - ${warning.short}\n`).join("")
}
