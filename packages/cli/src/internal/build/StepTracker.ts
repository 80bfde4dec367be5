/**
 * The steps of a BuildKit build as both progress views (plain and tty) fold the daemon's trace into them, the way
 * buildx's progress trace does: which steps exist (by digest), when each ran (its intervals, joined where they
 * overlap), its latest vertex (cached, error), its sub-tasks in the order they started, its warnings and its output
 * lines with the time since the step started (`0.123 text`).
 *
 * The views keep what only they need next to it (the plain view what it has printed, the live view its small
 * terminals and progress groups) by extending {@link Step}.
 *
 * @internal
 */
import type { BuildkitTrace } from "@dockhand/codecs"

/** A time a step ran, in Unix milliseconds; `stop` is `undefined` while it runs. */
export interface Interval {
  readonly start: number
  readonly stop: number | undefined
}

/** buildx's interval merge: overlapping intervals joined, in start order; one that does not stop absorbs the rest. */
export const mergeIntervals = (intervals: ReadonlyArray<Interval>): Array<Interval> => {
  const sorted = [...intervals].sort((a, b) => a.start - b.start)
  if (sorted.length === 0) return []
  const merged: Array<Interval> = []
  let current = sorted[0]!
  for (const next of sorted.slice(1)) {
    if (current.stop === undefined) {
      merged.push(current)
      return merged
    }
    if (current.stop < next.start) {
      merged.push(current)
      current = next
      continue
    }
    if (next.stop === undefined) {
      merged.push({ start: current.start, stop: undefined })
      return merged
    }
    if (current.stop >= next.stop) continue
    current = { start: current.start, stop: next.stop }
  }
  merged.push(current)
  return merged
}

/** A sub-task's latest state (shared between a step's list and its index by id). */
export interface Status {
  value: BuildkitTrace.VertexStatus
}

/** One step's state. */
export interface Step {
  vertex: BuildkitTrace.Vertex
  intervals: Map<number, Interval>
  merged: Array<Interval>
  /** The sub-tasks in the order they started. */
  statuses: Array<Status>
  byId: Map<string, Status>
  warnings: Array<BuildkitTrace.VertexWarning>
  /** Output lines (`0.123 text`) not yet taken by the view. */
  logs: Array<string>
  /** Whether the last of `logs` waits for the rest of its line. */
  logsPartial: boolean
}

/** A new step's state for its first vertex. */
export const newStep = (vertex: BuildkitTrace.Vertex): Step => ({
  vertex,
  intervals: new Map(),
  merged: [],
  statuses: [],
  byId: new Map(),
  warnings: [],
  logs: [],
  logsPartial: false
})

/** Whether the step has run. */
export const isStarted = (step: Step): boolean => step.merged.length > 0
/** The step's last interval. */
export const mostRecent = (step: Step): Interval | undefined => step.merged[step.merged.length - 1]
/** Whether the step's last interval stopped. */
export const isCompleted = (step: Step): boolean => mostRecent(step)?.stop !== undefined

/** How long the step ran in seconds: the sum of its merged intervals (a running one counts as not begun). */
export const seconds = (merged: ReadonlyArray<Interval>): number =>
  merged.reduce((sum, i) => sum + ((i.stop ?? i.start) - i.start), 0) / 1000

/** A log line's time since the step started, as buildx writes it: 3 decimals under 10 s, 2 under 100 s, else 1. */
export const logTime = (seconds: number): string => seconds.toFixed(seconds < 10 ? 3 : seconds < 100 ? 2 : 1)

/** The steps of one build, by digest, and every warning in order. */
export interface Tracker<S extends Step> {
  readonly steps: Map<string, S>
  readonly warnings: Array<BuildkitTrace.VertexWarning>
  /**
   * Takes a vertex into its step (made by `makeStep` when new): the vertex replaces the step's unless it is a repeat of
   * a started step's vertex without times; a start adds an interval. Tells whether the step started with it.
   */
  readonly vertex: (vertex: BuildkitTrace.Vertex) => { readonly step: S; readonly started: boolean }
  /** Takes a sub-task's update into its step; the step, if known. */
  readonly status: (status: BuildkitTrace.VertexStatus) => S | undefined
  /** Takes a warning (kept in order, and with its step). */
  readonly warning: (warning: BuildkitTrace.VertexWarning) => void
  /** Adds output text to a step's lines, completing a partial last line; each new line gets its time. */
  readonly text: (step: S, text: string, timestamp: number | undefined) => void
}

/** Makes a {@link Tracker}; `makeStep` makes the view's step for a new digest. */
export const make = <S extends Step>(makeStep: (vertex: BuildkitTrace.Vertex) => S): Tracker<S> => {
  const steps = new Map<string, S>()
  const warnings: Array<BuildkitTrace.VertexWarning> = []
  return {
    steps,
    warnings,
    vertex: (vertex) => {
      let step = steps.get(vertex.digest)
      const wasStarted = step !== undefined && isStarted(step)
      if (step === undefined) {
        step = makeStep(vertex)
        steps.set(vertex.digest, step)
      }
      if (!wasStarted || vertex.started !== undefined) step.vertex = vertex
      if (vertex.started !== undefined) {
        step.intervals.set(vertex.started, { start: vertex.started, stop: vertex.completed })
        step.merged = mergeIntervals([...step.intervals.values()])
      }
      return { step, started: vertex.started !== undefined && !wasStarted }
    },
    status: (status) => {
      const step = steps.get(status.vertex)
      if (step === undefined) return undefined
      let entry = step.byId.get(status.id)
      const first = entry === undefined
      if (entry === undefined) {
        entry = { value: status }
        step.byId.set(status.id, entry)
      }
      if (status.started !== undefined && (first || entry.value.started === undefined)) step.statuses.push(entry)
      entry.value = status
      return step
    },
    warning: (warning) => {
      warnings.push(warning)
      steps.get(warning.vertex)?.warnings.push(warning)
    },
    text: (step, text, timestamp) => {
      const parts = text.split("\n")
      const complete = text.endsWith("\n")
      if (complete) parts.pop()
      parts.forEach((part, i) => {
        if (step.logsPartial && step.logs.length > 0 && i === 0) {
          step.logs[step.logs.length - 1] += part
          return
        }
        const interval = mostRecent(step)
        const seconds = interval === undefined || timestamp === undefined ? 0 : (timestamp - interval.start) / 1000
        step.logs.push(`${logTime(seconds)} ${part}`)
      })
      step.logsPartial = !complete
    }
  }
}
