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
import * as BuildkitTrace from "@dockhand/codecs/BuildkitTrace"
import * as StepTracker from "./StepTracker.ts"

interface Step extends StepTracker.Step {
  index: number
  statusUpdates: Set<string>
  warningIndex: number
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
  const tracker = StepTracker.make<Step>((vertex) => ({
    ...StepTracker.newStep(vertex),
    index: 0,
    statusUpdates: new Set(),
    warningIndex: 0,
    logsOffset: 0,
    lastLines: [],
    lastPartial: undefined,
    previous: undefined
  }))
  const steps = tracker.steps
  /** Steps in the order they started, for the error summary. */
  const started: Array<Step> = []
  const updates = new Set<string>()
  const lastStatus = new Map<string, { current: number; timestamp: number }>()
  let current: string | undefined
  let notFirst = false
  let nextIndex = 0
  let out = ""

  const { isCompleted, isStarted } = StepTracker
  const hidden = (step: Step) => step.vertex.progressGroup !== undefined

  const vertexChanged = (previous: BuildkitTrace.Vertex | undefined, next: BuildkitTrace.Vertex) =>
    previous === undefined || previous.name !== next.name || previous.started !== next.started ||
    (next.completed !== undefined && previous.completed !== next.completed) || previous.cached !== next.cached ||
    previous.error !== next.error

  const add = (trace: BuildkitTrace.Trace) => {
    for (const vertex of trace.vertexes) {
      const { started: newlyStarted, step } = tracker.vertex(vertex)
      if (vertex.started !== undefined) {
        if (vertexChanged(step.previous, vertex)) updates.add(vertex.digest)
        step.previous = vertex
      }
      if (newlyStarted) started.push(step)
    }
    for (const status of trace.statuses) {
      const step = tracker.status(status)
      if (step === undefined) continue
      step.statusUpdates.add(status.id)
      updates.add(status.vertex)
    }
    for (const warning of trace.warnings) tracker.warning(warning)
    for (const log of trace.logs) {
      const step = steps.get(log.vertex)
      if (step === undefined) continue
      tracker.text(step, new TextDecoder().decode(log.data), log.timestamp)
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
        out += BuildkitTrace.isCanceled(step.vertex.error)
          ? `#${n} CANCELED\n`
          : `#${n} ERROR: ${step.vertex.error}\n`
      } else if (step.vertex.cached) {
        out += `#${n} CACHED\n`
      } else {
        const seconds = StepTracker.seconds(step.merged)
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
    const stop = (digest: string) => StepTracker.mostRecent(steps.get(digest)!)?.stop ?? 0
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
        if (error === undefined || BuildkitTrace.isCanceled(error)) continue
        out += `------\n > ${step.vertex.name}:\n`
        for (const line of step.lastLines) out += `${line}\n`
        if (step.lastPartial !== undefined) out += `${step.lastPartial}\n`
        out += "------\n"
      }
      return take()
    },
    warnings: () => tracker.warnings
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
