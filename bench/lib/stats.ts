/**
 * Interleaved rounds and ratios. Every bench measures its contenders in the same process, round by round, with the
 * order rotated each round, and reports the median of the per-round ratios against the baseline (so a slow spell
 * of the machine hits both sides of a ratio) next to the plain medians.
 */
import { spawn } from "node:child_process"
import { closeSync, existsSync, openSync, readFileSync } from "node:fs"

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The value at quantile `q` (0..1), nearest rank. */
export const quantile = (values: ReadonlyArray<number>, q: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!
}

export type Contender = () => Promise<unknown>

/**
 * Runs `warmup` unrecorded rounds, then `rounds` recorded ones; in each round every contender runs once, starting
 * from a different contender each round. Gives each contender's times in milliseconds, indexed by round.
 */
export const interleave = async (
  contenders: Readonly<Record<string, Contender>>,
  options: {
    readonly rounds: number
    readonly warmup: number
    readonly between?: () => Promise<void>
    readonly progress?: boolean
  }
): Promise<Record<string, Array<number>>> => {
  const names = Object.keys(contenders)
  const times: Record<string, Array<number>> = Object.fromEntries(names.map((n) => [n, []]))
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!
      const started = performance.now()
      await contenders[name]!()
      const ms = performance.now() - started
      if (round >= options.warmup) times[name]!.push(ms)
      if (options.between) await options.between()
    }
    if (options.progress) process.stderr.write(round < options.warmup ? "w" : ".")
  }
  if (options.progress) process.stderr.write("\n")
  return times
}

/** Median of the per-round ratios `a[i] / b[i]`. */
export const pairedRatio = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number =>
  median(a.map((x, i) => x / b[i]!))

export const fmtMs = (
  ms: number
): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`)
export const fmtMiB = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

/** A table of each contender's median, p10–p90 spread, and ratio to the baseline. */
export const report = (times: Readonly<Record<string, ReadonlyArray<number>>>, baseline: string): string => {
  const rows = Object.entries(times).map(([name, ms]) => [
    name,
    fmtMs(median(ms)),
    `${fmtMs(quantile(ms, 0.1))} – ${fmtMs(quantile(ms, 0.9))}`,
    name === baseline ? "1 (baseline)" : pairedRatio(ms, times[baseline]!).toFixed(3),
    name === baseline ? "" : (median(ms) / median(times[baseline]!)).toFixed(3)
  ])
  const head = ["", "median", "p10 – p90", `÷ ${baseline} (paired)`, "÷ medians"]
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")
}

/**
 * `name = value (target ≤ t: MET | MISSED by x%)`; `unit` (` ms`, ` MiB`) is printed after the value and the target,
 * which then show fewer decimals.
 */
export const verdict = (name: string, value: number, target: number, unit = ""): string => {
  const met = value <= target
  return `${name} = ${value.toFixed(unit === "" ? 3 : 1)}${unit}  (target ≤ ${target}${unit}: ${
    met ? "MET" : `MISSED by ${((value / target - 1) * 100).toFixed(1)}%`
  })`
}

export interface Exec {
  /** Wall time from spawn to exit, in milliseconds. */
  readonly ms: number
  readonly code: number | null
  readonly stdoutBytes: number
  readonly stdoutLines: number
  readonly stderr: string
  /** Peak resident set size in bytes: from `/usr/bin/time`, else the last `VmHWM` read from /proc while it ran. */
  readonly maxRss: number | undefined
}

const TIME = "/usr/bin/time"
export const hasGnuTime = existsSync(TIME)

/** How a command's standard output is taken: read through a pipe (as `| grep` would), or sent to `/dev/null`. */
export type Output = "pipe" | "null"

/**
 * Runs a command to its end, reading (and dropping) its stdout through a pipe as a shell pipeline would, or with
 * `output: "null"` sending it to `/dev/null` (then no lines are counted). With `rss`, it runs under
 * `/usr/bin/time -f %M` (or, without it, polls `/proc/<pid>/status`) to get its peak RSS.
 */
export const exec = (
  argv: ReadonlyArray<string>,
  options: { readonly env?: NodeJS.ProcessEnv; readonly rss?: boolean; readonly output?: Output } = {}
): Promise<Exec> =>
  new Promise((resolve, reject) => {
    const marker = "@@dockhand-bench-maxrss@@"
    const useTime = options.rss === true && hasGnuTime
    const full = useTime ? [TIME, "-f", `${marker}%M`, ...argv] : [...argv]
    const started = performance.now()
    const devNull = options.output === "null" ? openSync("/dev/null", "w") : undefined
    const child = spawn(full[0]!, full.slice(1), {
      env: options.env ?? process.env,
      stdio: ["ignore", devNull ?? "pipe", "pipe"]
    })
    if (devNull !== undefined) closeSync(devNull)
    let stdoutBytes = 0
    let stdoutLines = 0
    let stderr = ""
    let hwm: number | undefined
    let poll: NodeJS.Timeout | undefined
    if (options.rss === true && !useTime) {
      poll = setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))
          if (m) hwm = Number(m[1]) * 1024
        } catch { /* exited */ }
      }, 5)
    }
    child.stdout?.on("data", (chunk: Buffer) => {
      stdoutBytes += chunk.length
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) stdoutLines++
    })
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on("error", reject)
    child.on("close", (code) => {
      const ms = performance.now() - started
      if (poll) clearInterval(poll)
      let maxRss = hwm
      if (useTime) {
        const at = stderr.lastIndexOf(marker)
        if (at !== -1) {
          maxRss = Number(stderr.slice(at + marker.length).trim()) * 1024
          stderr = stderr.slice(0, at)
        }
      }
      resolve({ ms, code, stdoutBytes, stdoutLines, stderr, maxRss })
    })
  })

/** Fails with the command's stderr when it did not exit 0. */
export const execOk = async (
  argv: ReadonlyArray<string>,
  options: { readonly env?: NodeJS.ProcessEnv; readonly rss?: boolean; readonly output?: Output } = {}
): Promise<Exec> => {
  const result = await exec(argv, options)
  if (result.code !== 0) {
    throw new Error(`${argv.join(" ")} exited ${result.code}: ${result.stderr.trim().slice(0, 1000)}`)
  }
  return result
}

/** A positive integer from `--name=N` on the command line or the environment variable, else `fallback`. */
export const intOption = (name: string, env: string, fallback: number): number => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  const raw = arg?.slice(name.length + 3) ?? process.env[env]
  const value = raw === undefined ? fallback : Number(raw)
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} / ${env} must be a positive integer, got ${raw}`)
  }
  return value
}
