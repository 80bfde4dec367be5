/**
 * `Memory.tracker` collects Node's young generation every 2 MiB of new buffers on every Node the CLI supports (22
 * and 24), and collects nothing with `DOCKHAND_NO_GC=1` or for chunks that are views of one reused buffer. Each case
 * runs the compiled module in a child process of that Node and counts the minor collections Node reports through
 * `perf_hooks`. `Memory.boundYoungGeneration` keeps the young
 * generation from growing under a long run of allocations that survive a collection or two (V8 grows it to 32–128
 * MiB there), and leaves it to grow with `DOCKHAND_NO_GC=1`. `Memory.pauseOptimizing` keeps a hot function from being
 * optimized until it is resumed (V8's `%GetOptimizationStatus`, in a child run with `--allow-natives-syntax`).
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const compiled = path.join(root, "packages/cli/dist/internal/Memory.js")

/** Compiles the CLI package when its output is missing or older than the source (quick when it is up to date). */
const ensureCompiled = () => {
  const source = fs.statSync(path.join(root, "packages/cli/src/internal/Memory.ts")).mtimeMs
  if ((fs.statSync(compiled, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= source) return
  const tsc = spawnSync(path.join(root, "node_modules/.bin/tsc"), ["-b", "packages/cli/tsconfig.json"], {
    cwd: root,
    encoding: "utf8"
  })
  assert.strictEqual(tsc.status, 0, tsc.stdout + tsc.stderr)
}

/**
 * Tracks 8 MiB in 1 MiB buffers (or, with REUSE=1, one 1 MiB buffer eight times, each time through a new view) and
 * prints how many minor collections Node ran meanwhile.
 */
const script = `
import { PerformanceObserver, constants } from "node:perf_hooks"
const { tracker } = await import(${JSON.stringify(new URL(`file://${compiled}`).href)})
let minor = 0
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++
})
observer.observe({ entryTypes: ["gc"] })
const track = tracker()
const reused = new Uint8Array(1024 * 1024)
for (let i = 0; i < 8; i++) track(process.env.REUSE === "1" ? reused.subarray(0) : new Uint8Array(1024 * 1024))
setTimeout(() => { observer.disconnect(); console.log(minor) }, 100)
`

/**
 * Bounds the young generation, then allocates 3 million small objects of which the last 50,000 stay alive (so each
 * collection finds survivors, as in a transfer of many files), and prints the largest size of the young generation
 * seen, in MiB.
 */
const growthScript = `
import v8 from "node:v8"
const { boundYoungGeneration } = await import(${JSON.stringify(new URL(`file://${compiled}`).href)})
boundYoungGeneration()
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size
let most = newSpace()
const ring = new Array(50_000)
for (let i = 0; i < 3_000_000; i++) {
  ring[i % ring.length] = { i, s: "x" + i, a: [i, i] }
  if (i % 10_000 === 0) most = Math.max(most, newSpace())
}
console.log(most / 2 ** 20)
`

/**
 * Pauses the optimizing compilers, makes a function hot, resumes them and makes another one hot; prints which of
 * the two V8 optimized (its optimization status, masked to "optimized", "Maglev" and "TurboFan"), as "paused after".
 */
const optimizingScript = `
const { pauseOptimizing } = await import(${JSON.stringify(new URL(`file://${compiled}`).href)})
const hot = () => {
  const sum = new Function("a", "let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * 3; return s")
  const numbers = Array.from({ length: 100 }, (_, i) => i)
  for (let i = 0; i < 200_000; i++) sum(numbers)
  return sum
}
const optimized = (f) => (eval("%GetOptimizationStatus(f)") & 0x70) !== 0
const resume = pauseOptimizing()
const paused = hot()
await new Promise((resolve) => setTimeout(resolve, 50))
resume()
const after = hot()
await new Promise((resolve) => setTimeout(resolve, 50))
console.log(optimized(paused), optimized(after))
`

const candidates: ReadonlyArray<readonly [label: string, bin: string]> = [
  ["Node 24 (the repo's)", path.join(root, "node_modules/.bin/node")],
  ["Node 22", path.join(root, "node_modules/node22/bin/node")]
]
const nodes = candidates.filter(([, bin]) => fs.existsSync(bin))

/** Runs `source` in a child process of `node` and reads the number it prints. */
const run = (node: string, source: string, env: Record<string, string>) => {
  const child = spawnSync(node, ["--input-type=module", "-e", source], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env }
  })
  assert.strictEqual(child.status, 0, child.stderr)
  return Number(child.stdout.trim())
}

const minorCollections = (node: string, env: Record<string, string>) => run(node, script, env)

/** The largest young generation (MiB) seen while the growth script ran. */
const youngGeneration = (node: string, env: Record<string, string>) => run(node, growthScript, env)

describe("Memory.tracker", () => {
  it("runs on at least two Node versions here", () => assert.isAtLeast(nodes.length, 2))
  for (const [label, node] of nodes) {
    it(`${label}: a minor collection every 2 MiB`, () => {
      ensureCompiled()
      assert.isAtLeast(minorCollections(node, {}), 4)
    })
    it(`${label}: none with DOCKHAND_NO_GC=1`, () => {
      ensureCompiled()
      assert.isBelow(minorCollections(node, { DOCKHAND_NO_GC: "1" }), 4)
    })
    it(`${label}: none for chunks of one reused buffer`, () => {
      ensureCompiled()
      assert.isBelow(minorCollections(node, { REUSE: "1" }), 4)
    })
  }
})

describe("Memory.boundYoungGeneration", () => {
  for (const [label, node] of nodes) {
    it(`${label}: the young generation stays under half of what it grows to without the bound`, () => {
      ensureCompiled()
      // Seen here: Node 24 7–19 MiB bounded but 83 once in about 16 runs, 128 unbounded; Node 22 8 and 32. V8 honours
      // the growth factor most of the time, not always (how far the young generation grows around the bound depends
      // on timing), so the bound must show in one of three runs; without it, every run reaches the unbounded size.
      const unbounded = youngGeneration(node, { DOCKHAND_NO_GC: "1" })
      const runs: Array<number> = []
      while (runs.length < 3 && !runs.some((size) => size < unbounded / 2)) runs.push(youngGeneration(node, {}))
      assert.isBelow(Math.min(...runs), unbounded / 2, `bounded ${runs.join(", ")} MiB, unbounded ${unbounded} MiB`)
    })
    it(`${label}: it grows past 16 MiB with DOCKHAND_NO_GC=1`, () => {
      ensureCompiled()
      assert.isAbove(youngGeneration(node, { DOCKHAND_NO_GC: "1" }), 16)
    })
  }
})

describe("Memory.pauseOptimizing", () => {
  for (const [label, node] of nodes) {
    /** Whether the function made hot while paused, and the one made hot after, were optimized. */
    const optimized = (env: Record<string, string>) => {
      const child = spawnSync(node, ["--allow-natives-syntax", "--input-type=module", "-e", optimizingScript], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, ...env }
      })
      assert.strictEqual(child.status, 0, child.stderr)
      return child.stdout.trim()
    }
    it(`${label}: nothing is optimized while paused, and what runs hot after the resume is`, () => {
      ensureCompiled()
      assert.strictEqual(optimized({}), "false true")
    })
    it(`${label}: nothing is paused with DOCKHAND_NO_GC=1`, () => {
      ensureCompiled()
      assert.strictEqual(optimized({ DOCKHAND_NO_GC: "1" }), "true true")
    })
  }
})
