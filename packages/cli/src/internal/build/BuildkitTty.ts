/**
 * BuildKit's `--progress=tty` view, as `docker build` (buildx 0.29) draws it on a terminal: a header
 * `[+] Building 1.2s (5/7)` with the builder on the right (`docker:default`), then one line per step with its timer
 * (` => [2/3] RUN make   0.3s`), its sub-tasks (` => => exporting layers   0.1s`) and warnings below it; a running
 * step that writes output shows its last lines (` => => # text`, faint) in a small virtual terminal while there is
 * room; finished steps are drawn in colour (blue; red with `ERROR`, yellow when `CANCELED`, none with `NO_COLOR`,
 * others through `BUILDKIT_COLORS`). Each frame is drawn over the previous one with cursor moves; while running,
 * only as many lines as the screen has are drawn (the latest ones, running steps kept); the final frame has every
 * step and `FINISHED`, followed by the failed steps' output.
 *
 * The state follows the trace; a frame is a function of that state, the clock (`now`, Unix milliseconds) and the
 * terminal's size. The caller decides when to draw (buildx: on an update at most every 100 ms, and every 150 ms).
 *
 * @internal
 */
import * as BuildkitTrace from "@dockhand/codecs/BuildkitTrace"
import * as BuildkitPlain from "./BuildkitPlain.ts"
import * as StepTracker from "./StepTracker.ts"

/** Columns a step's virtual terminal leaves for ` => => # `. */
const TERM_PAD = 10
const TERM_HEIGHT_MIN = 6

const ESC = "\x1b["
const RESET = "\x1b[0m"
const FAINT = "\x1b[2m"
const HIDE = "\x1b[?25l"
const SHOW = "\x1b[?25h"

/** The colours of finished steps (an SGR sequence, or `undefined` for none). */
export interface Colors {
  readonly run: string | undefined
  readonly cancel: string | undefined
  readonly warning: string | undefined
  readonly error: string | undefined
}

const NAMED: Record<string, number> = {
  default: 39,
  black: 30,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  "light-black": 90,
  "light-red": 91,
  "light-green": 92,
  "light-yellow": 93,
  "light-blue": 94,
  "light-magenta": 95,
  "light-cyan": 96,
  "light-white": 97
}

/** One `BUILDKIT_COLORS` value: a name (`cyan`, `light-red`) or `r,g,b` (as a 256-colour index, as buildx does). */
const color = (value: string): string | undefined => {
  const named = NAMED[value.toLowerCase()]
  if (named !== undefined) return `${ESC}${named}m`
  const parts = value.split(",")
  if (parts.length !== 3 || !parts.every((part) => /^\d+$/.test(part) && Number(part) <= 255)) return undefined
  const [r, g, b] = parts.map((part) => Math.floor(Number(part) / 43))
  return `${ESC}38;5;${16 + 36 * r! + 6 * g! + b!}m`
}

/**
 * The colours as buildx picks them from the environment: none when `NO_COLOR` is set (not empty); else blue for
 * finished steps, yellow for cancelled ones and warnings, red for errors, each replaced by `BUILDKIT_COLORS`
 * (`run=green:error=light-red:cancel=255,165,0`; unknown keys and values are skipped).
 */
export const colors = (env: (name: string) => string | undefined): Colors => {
  const noColor = env("NO_COLOR")
  if (noColor !== undefined && noColor !== "") {
    return { run: undefined, cancel: undefined, warning: undefined, error: undefined }
  }
  const out = { run: `${ESC}34m`, cancel: `${ESC}33m`, warning: `${ESC}33m`, error: `${ESC}31m` }
  const user = env("BUILDKIT_COLORS")
  if (user !== undefined) {
    for (const field of user.split(":")) {
      const eq = field.indexOf("=")
      if (eq === -1 || field.indexOf("=", eq + 1) !== -1) continue
      const key = field.slice(0, eq).toLowerCase()
      const value = color(field.slice(eq + 1))
      if (value === undefined) continue
      if (key === "run" || key === "cancel" || key === "error" || key === "warning") out[key] = value
    }
  }
  return out
}

/**
 * A step's output as a small terminal shows it (what tonistiigi/vt100 does for buildx): text wraps at the width,
 * `\n` moves to the next line, `\r` to its start, `\b` back one column, the screen scrolls at the bottom; other
 * control sequences are dropped, `ESC[K` clears (part of) the line.
 */
class Term {
  rows: Array<Array<string>>
  x = 0
  y = 0
  escape: "" | "esc" | "csi" = ""
  csi = ""
  readonly decoder = new TextDecoder()
  height: number
  width: number
  constructor(height: number, width: number) {
    this.height = height
    this.width = width
    this.rows = Array.from({ length: height }, () => Array<string>(width).fill(" "))
  }
  resize(height: number, width: number) {
    width = Math.max(width, 6)
    height = Math.max(height, 1)
    while (this.rows.length < height) this.rows.push(Array<string>(this.width).fill(" "))
    if (this.rows.length > height) this.rows.length = height
    this.height = height
    for (const row of this.rows) {
      while (row.length < width) row.push(" ")
      row.length = width
    }
    this.width = width
    if (this.y > height) this.y = height
  }
  private scrollIfNeeded() {
    if (this.x >= this.width) {
      this.x = 0
      this.y++
    }
    while (this.y >= this.height) {
      const first = this.rows.shift()!
      first.fill(" ")
      this.rows.push(first)
      this.y--
    }
  }
  private put(c: string) {
    this.scrollIfNeeded()
    this.rows[this.y]![this.x] = c
    this.x++
    if (this.x >= this.width) {
      this.x = 0
      this.y++
    }
  }
  private eraseLine(mode: string) {
    if (this.y >= this.height) return
    const row = this.rows[this.y]!
    const from = mode === "1" || mode === "2" ? 0 : this.x
    const to = mode === "1" ? this.x + 1 : row.length
    for (let i = from; i < Math.min(to, row.length); i++) row[i] = " "
  }
  write(data: Uint8Array) {
    for (const c of this.decoder.decode(data, { stream: true })) {
      if (this.escape === "esc") {
        this.escape = c === "[" ? "csi" : ""
        this.csi = ""
        continue
      }
      if (this.escape === "csi") {
        if (c >= "@" && c <= "~") {
          this.escape = ""
          if (c === "K") this.eraseLine(this.csi)
        } else this.csi += c
        continue
      }
      if (c === "\x1b") this.escape = "esc"
      else if (c === "\n") {
        this.y++
        this.x = 0
      } else if (c === "\r") this.x = 0
      else if (c === "\b") this.x = Math.max(0, this.x - 1)
      else if (c >= " " && c !== "\x7f") this.put(c)
    }
  }
  usedHeight() {
    return this.rows.filter((row) => row.some((c) => c !== " ")).length
  }
}

/** A step (its `logs` kept for the summary of a failed step, dropped when the step succeeds) and its terminal. */
interface Step extends StepTracker.Step {
  term: Term
  termBytes: number
  termCount: number
  /** A progress group's members (buildx draws a group as one step); `undefined` for a plain step. */
  members: Map<string, BuildkitTrace.Vertex> | undefined
  hidden: boolean
}

interface Job {
  readonly intervals: ReadonlyArray<StepTracker.Interval>
  readonly completed: boolean
  readonly name: string
  readonly status: string
  readonly error: boolean
  readonly canceled: boolean
  readonly step: Step | undefined
  showTerm: boolean
}

/** The terminal's size in columns and rows. */
export interface Size {
  readonly columns: number
  readonly rows: number
}

/** The live view's state over one build. */
export interface Display {
  /** Takes one update, received at `now`. */
  readonly update: (trace: BuildkitTrace.Trace, now: number) => void
  /**
   * The text that draws the view at `now` over the previous frame; `final` draws every step (the last frame, with
   * `FINISHED` when every step completed).
   */
  readonly frame: (now: number, size: Size, final: boolean) => string
  /** The failed steps' output, as buildx prints it after the last frame. */
  readonly errorLogs: () => string
  /** Every warning the build reported, in order. */
  readonly warnings: () => ReadonlyArray<BuildkitTrace.VertexWarning>
}

/**
 * Makes the live view. `desc` is what buildx prints at the right of the header (`docker:default`), `phase` the
 * header's verb (`Building`), `logLines` the height of a step's output box (`BUILDKIT_TTY_LOG_LINES`, default 6).
 */
export const make = (options: {
  readonly desc: string
  readonly colors: Colors
  readonly phase?: string | undefined
  readonly logLines?: number | undefined
  readonly columns?: number | undefined
}): Display => {
  const phase = options.phase ?? "Building"
  const termHeightInitial = options.logLines !== undefined && options.logLines > 0
    ? options.logLines
    : TERM_HEIGHT_MIN
  let termHeight = termHeightInitial
  let width = options.columns ?? 80
  const newStep = (vertex: BuildkitTrace.Vertex, members?: Map<string, BuildkitTrace.Vertex>): Step => ({
    ...StepTracker.newStep(vertex),
    term: new Term(termHeight, Math.max(width - TERM_PAD, 1)),
    termBytes: 0,
    termCount: 0,
    members,
    hidden: members !== undefined
  })
  const tracker = StepTracker.make<Step>((vertex) => newStep(vertex))
  /** The steps by digest; a progress group's members and its id lead to the group. */
  const byDigest = tracker.steps
  const groups = new Map<string, Step>()
  /** Steps in the order they started (a progress group when it shows). */
  const order: Array<Step> = []
  let startTime: number | undefined
  let localTimeDiff = 0
  let lineCount = 0
  let repeated = false

  const { isCompleted, isStarted, mostRecent } = StepTracker

  /** A progress group takes in its members: their intervals, cached only if all are, the first error. */
  const refreshGroup = (group: Step, now: number) => {
    const alreadyStarted = isStarted(group)
    const wasHidden = group.hidden
    let cached = true
    let error: string | undefined
    let newlyStarted = false
    for (const member of group.members!.values()) {
      if (member.started !== undefined) {
        group.intervals.set(member.started, { start: member.started, stop: member.completed })
        if (!alreadyStarted) newlyStarted = true
        if (member.progressGroup?.weak !== true) group.hidden = false
      }
      cached = cached && member.cached
      if (error === undefined) error = member.error
      else group.hidden = false
    }
    group.vertex = { ...group.vertex, cached, error }
    group.merged = StepTracker.mergeIntervals([...group.intervals.values()])
    if (newlyStarted && localTimeDiff === 0 && group.merged.length > 0) localTimeDiff = now - group.merged[0]!.start
    if (!group.hidden && wasHidden) order.push(group)
  }

  const update = (trace: BuildkitTrace.Trace, now: number) => {
    const touched: Array<Step> = []
    for (const vertex of trace.vertexes) {
      if (startTime === undefined) startTime = vertex.started
      if (vertex.progressGroup !== undefined) {
        let group = groups.get(vertex.progressGroup.id)
        if (group === undefined) {
          group = newStep(
            { digest: vertex.progressGroup.id, name: vertex.progressGroup.name, inputs: [], cached: false },
            new Map()
          )
          groups.set(vertex.progressGroup.id, group)
          byDigest.set(vertex.progressGroup.id, group)
        }
        if (!touched.includes(group)) touched.push(group)
        group.members!.set(vertex.digest, vertex)
        byDigest.set(vertex.digest, group)
        continue
      }
      const { started, step } = tracker.vertex(vertex)
      if (started) {
        if (localTimeDiff === 0) localTimeDiff = now - vertex.started!
        order.push(step)
      }
    }
    for (const group of touched) refreshGroup(group, now)
    for (const status of trace.statuses) tracker.status(status)
    for (const warning of trace.warnings) tracker.warning(warning)
    for (const log of trace.logs) {
      const step = byDigest.get(log.vertex)
      if (step === undefined) continue
      // as buildx: a new log resizes the box to the width of the screen less the padding
      termHeight = Math.max(TERM_HEIGHT_MIN, Math.min(termHeightInitial, step.term.height - TERM_HEIGHT_MIN - 1))
      step.term.resize(termHeight, width - TERM_PAD)
      step.termBytes += log.data.length
      step.term.write(log.data)
      const text = new TextDecoder().decode(log.data)
      if (text !== "") tracker.text(step, text, log.timestamp)
    }
    // Only a failed step's output is printed at the end: a step's lines go when it completes without error.
    for (const step of byDigest.values()) {
      if (step.logs.length > 0 && isCompleted(step) && step.vertex.error === undefined) step.logs = []
    }
  }

  const duration = (interval: StepTracker.Interval, now: number) => ((interval.stop ?? now) - interval.start) / 1000

  /** The jobs buildx lists: each step (named with its ERROR/CANCELED/CACHED marks), its sub-tasks, its warnings. */
  const jobs = (): Array<Job> => {
    const out: Array<Job> = []
    for (const step of order) {
      const v = step.vertex
      let name = v.name.replaceAll("\t", " ")
      let error = false
      let canceled = false
      if (v.error !== undefined) {
        if (BuildkitTrace.isCanceled(v.error)) {
          canceled = true
          name = `CANCELED ${name}`
        } else {
          error = true
          name = `ERROR ${name}`
        }
      }
      if (v.cached) name = `CACHED ${name}`
      const intervals = StepTracker.mergeIntervals(
        [...step.intervals.values()].map((i) => ({
          start: i.start + localTimeDiff,
          stop: i.stop === undefined ? undefined : i.stop + localTimeDiff
        }))
      )
      out.push({
        intervals,
        completed: [...step.intervals.values()].every((i) => i.stop !== undefined),
        name,
        status: "",
        error,
        canceled,
        step,
        showTerm: false
      })
      for (const { value: s } of step.statuses) {
        out.push({
          intervals: s.started === undefined ? [] : [{
            start: s.started + localTimeDiff,
            stop: s.completed === undefined ? undefined : s.completed + localTimeDiff
          }],
          completed: s.completed !== undefined,
          name: `=> ${s.id}`,
          status: s.total !== 0
            ? `${BuildkitPlain.bytes(s.current)} / ${BuildkitPlain.bytes(s.total)}`
            : s.current !== 0
            ? BuildkitPlain.bytes(s.current)
            : "",
          error: false,
          canceled: false,
          step: undefined,
          showTerm: false
        })
      }
      for (const warning of step.warnings) {
        const recent = mostRecent(step)
        out.push({
          intervals: recent === undefined ? [{ start: Number.NaN, stop: undefined }] : [{
            start: recent.start + localTimeDiff,
            stop: recent.stop === undefined ? undefined : recent.stop + localTimeDiff
          }],
          completed: false,
          name: `WARN: ${warning.short}`,
          status: "",
          error: false,
          canceled: true,
          step: undefined,
          showTerm: false
        })
      }
    }
    return out
  }

  /** The last `limit` jobs, with running jobs that fell off the top brought back in place of finished ones. */
  const wrapHeight = (all: Array<Job>, limit: number): Array<Job> => {
    if (limit < 0) return []
    if (all.length <= limit) return all
    const wrapped = all.slice(all.length - limit)
    const invisible = all.slice(0, all.length - limit).filter((job) => !job.completed)
    if (invisible.length === 0) return wrapped
    let l = invisible.length
    const rewrapped: Array<Job> = []
    for (const job of wrapped) {
      if (!job.completed || l <= 0) rewrapped.push(job)
      l--
    }
    const free = wrapped.length - rewrapped.length
    return [...invisible.slice(invisible.length - free), ...rewrapped]
  }

  /** Which running steps show their output box (the busiest first, while the screen has room). */
  const setupTerminals = (all: Array<Job>, height: number, final: boolean): { jobs: Array<Job>; hide: number } => {
    const candidates = all.filter((job) => job.step !== undefined && job.step.termBytes > 0 && !job.completed)
    const inUse = all.filter((job) => !job.completed).length
    const weight = (job: Job) => job.step!.termBytes + job.step!.termCount * 50
    candidates.sort((a, b) => weight(b) - weight(a))
    let free = height - 2 - inUse
    let hide = 0
    termHeight = Math.max(TERM_HEIGHT_MIN, Math.min(termHeightInitial, height - TERM_HEIGHT_MIN - 1))
    const termLimit = termHeight + 3
    for (let i = 0; free > termLimit && i < candidates.length; i++) {
      candidates[i]!.showTerm = true
      hide += candidates[i]!.step!.term.usedHeight()
      free -= termLimit
    }
    return { jobs: final ? all : wrapHeight(all, height - 2 - hide), hide }
  }

  /** Go's `%-*s %s`: `left` padded to `w - len(right) - 1`, a space, `right`. */
  const align = (left: string, right: string, w: number) => `${left.padEnd(w - right.length - 1)} ${right}`

  const frame = (now: number, size: Size, final: boolean): string => {
    width = size.columns
    const height = size.rows
    const { jobs: shown } = setupTerminals(jobs(), height, final)
    let out = `${ESC}1A`.repeat(lineCount + 1)
    if (!repeated) out += `${ESC}1B`
    repeated = true
    out += `${ESC}0G${HIDE}`

    let total = 0
    let completed = 0
    for (const step of byDigest.values()) {
      if (step.hidden) continue
      total++
      if (isCompleted(step)) completed++
    }
    const start = startTime === undefined ? now : startTime + localTimeDiff
    const status = completed > 0 && completed === total && final ? "FINISHED" : ""
    let header = `[+] ${phase} ${((now - start) / 1000).toFixed(1)}s (${completed}/${total}) ${status}`
    header = options.desc === "" ? align(header, "", width) : align(header, options.desc, width - 1)
    out += `${header.slice(0, width)}\n`

    let lines = 0
    for (const job of shown) {
      if (job.intervals.length === 0) continue
      let dt = job.intervals.reduce((sum, i) => sum + (Number.isNaN(i.start) ? 0 : duration(i, now)), 0)
      if (dt < 0.05) dt = 0
      const pfx = " => "
      const timer = ` ${dt.toFixed(1).padStart(3)}s\n`
      let left = width - pfx.length - timer.length - 1
      let showStatus = false
      if (job.status !== "" && left + job.status.length > 20) {
        showStatus = true
        left -= job.status.length + 1
      }
      if (left < 12) continue
      let line = pfx + job.name.slice(0, left)
      if (showStatus) line += ` ${job.status}`
      line = align(line, timer, width)
      if (job.completed) {
        const c = job.canceled ? options.colors.cancel : job.error ? options.colors.error : options.colors.run
        if (c !== undefined) line = c + line + RESET
      }
      out += line
      lines++
      if (job.showTerm && job.step !== undefined) {
        const term = job.step.term
        term.resize(termHeight, width - TERM_PAD)
        for (const row of term.rows) {
          if (row.every((c) => c === " ")) continue
          out += `${FAINT} => => # ${row.join("")}\n${RESET}`
          lines++
        }
        job.step.termCount++
      }
    }
    const diff = lineCount - lines
    if (diff > 0) {
      out += `${" ".repeat(width)}\n`.repeat(diff)
      out += `${ESC}${diff}A${ESC}0G`
    }
    lineCount = lines
    return out + SHOW
  }

  const errorLogs = () => {
    let out = ""
    for (const step of order) {
      const error = step.vertex.error
      if (error === undefined || BuildkitTrace.isCanceled(error)) continue
      out += `------\n > ${step.vertex.name}:\n`
      for (const line of step.logs) out += `${line}\n`
      out += "------\n"
    }
    return out
  }

  return { update, frame, errorLogs, warnings: () => tracker.warnings }
}
