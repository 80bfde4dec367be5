/**
 * Frees the buffers a long transfer leaves behind on Node. Node reads a socket into a new buffer each time and lets
 * its collector reclaim them only when its heap fills, so a 512 MiB `save` grew the process by 130 MiB of dead
 * buffers. A young-generation collection every 2 MiB keeps the growth near 30 MiB and even saves time (fewer page
 * faults). Bun frees them itself (`Bun.gc` only cost time there) and Deno offers no collector: there it does nothing.
 *
 * Node documents flags set after start-up as unsupported, so this is a best effort: where the collector cannot be
 * had (a Node that refuses the flag or gives no `gc`), or with `DOCKHAND_NO_GC=1`, nothing is collected and the
 * transfer works as before, only with more memory.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as RuntimeName from "./RuntimeName.ts"

let collect: (() => void) | undefined

const nothing = (): void => undefined

/** Node's collector of the young generation, or nothing where it cannot be had or is turned off. */
const collector = (): () => void => {
  if (RuntimeName.name !== "node" || process.env["DOCKHAND_NO_GC"] === "1") return nothing
  return Effect.runSync(
    Effect.try(() => {
      // Node exposes its collector only to contexts made after `--expose-gc` is set.
      process.getBuiltinModule("node:v8").setFlagsFromString("--expose-gc")
      const gc: unknown = process.getBuiltinModule("node:vm").runInNewContext("gc")
      if (typeof gc !== "function") return nothing
      return () => (gc as (options: { type: "minor" }) => void)({ type: "minor" })
    }).pipe(Effect.orElseSucceed(() => nothing))
  )
}

/**
 * Keeps Node's young generation at the size it has now for the rest of the process (V8's semi-space growth factor
 * set to 1), for a long run of small allocations such as a build sending thousands of files: V8 doubles the young
 * generation (up to 32 MiB here) each time as many bytes as it holds have survived a collection since it last grew,
 * which a transfer of 10,000 files reaches three times over although what is alive at any one time stays flat (a
 * build of 10,000 files peaked at about 120 MiB of RSS, about 97 MiB with this). What survives is promoted sooner;
 * the CPU time of the builds measured stayed within their noise. V8 honours it most of the time, not always (about
 * one run in 16 of a test allocating 3 million objects still grew to 83 of the 128 MiB it reaches without it on
 * Node 24). Node only (Bun and Deno: nothing), best effort as {@link tracker}, and off with `DOCKHAND_NO_GC=1`.
 */
export const boundYoungGeneration = (): void => setFlags("--semi-space-growth-factor=1")

/**
 * Sets V8 `flags` on Node, a best effort (see the module's description); nothing elsewhere or with
 * `DOCKHAND_NO_GC=1`.
 */
const setFlags = (...flags: ReadonlyArray<string>): void => {
  if (RuntimeName.name !== "node" || process.env["DOCKHAND_NO_GC"] === "1") return
  Effect.runSync(
    Effect.ignore(
      Effect.try(() => {
        const v8 = process.getBuiltinModule("node:v8")
        for (const flag of flags) v8.setFlagsFromString(flag)
      })
    )
  )
}

/**
 * Turns V8's optimizing compilers (Maglev and TurboFan) off until the function returned is called, for a transfer
 * whose JavaScript is a few steps per read (Node's transport writing `save -o`'s archive into the file itself, a file
 * sent for `load` from two 1 MiB buffers): those steps are run often enough to be optimized, which paged in about
 * 8 MiB of the `node` binary's compiler code and took 2–3 MiB of memory to compile, for no CPU saved (0.07–0.20 s of
 * user time for a 512 MiB save either way). Code already optimized stays; the interpreter and the baseline compiler
 * run the rest. Node only, best effort as {@link tracker}, and off with `DOCKHAND_NO_GC=1`.
 */
export const pauseOptimizing = (): () => void => {
  setFlags("--no-maglev", "--no-turbofan")
  let paused = true
  return () => {
    if (!paused) return
    paused = false
    setFlags("--maglev", "--turbofan")
  }
}

/** How many bytes may pass between two collections. */
const collectEvery = 2 * 1024 * 1024

/** Collects the young generation (dead read buffers) now. */
const collectYoung = (): void => {
  collect ??= collector()
  collect()
}

/**
 * A counter for one transfer: call it with each chunk, and it collects once {@link collectEvery} bytes of new buffers
 * have passed. A chunk counts the whole buffer it is a view of, once: the chunks of one read share its buffer, and a
 * transfer through reused buffers (Node's transport writing a `save -o` file, a file read into two buffers in turn
 * for `load`) leaves nothing to collect and makes no collection.
 */
export const tracker = (): (chunk: Uint8Array) => void => {
  let since = 0
  const seen = new WeakSet<ArrayBufferLike>()
  return (chunk) => {
    if (seen.has(chunk.buffer)) return
    seen.add(chunk.buffer)
    since += chunk.buffer.byteLength
    if (since >= collectEvery) {
      since = 0
      collectYoung()
    }
  }
}
