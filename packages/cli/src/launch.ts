/**
 * What `dockhand` runs first: answers `dockhand --version` at once (see `internal/Instant.ts`); otherwise turns on
 * Node's compile cache (the program's code is compiled once, not at every run), sends the command's first read ahead
 * (see `internal/Prefetch.ts`) while the rest of the program loads, then starts it. It loads nothing but those
 * modules before the program.
 *
 * @since 0.1.0
 */
import * as Instant from "./internal/Instant.ts"
import * as Prefetch from "./internal/Prefetch.ts"
import * as RuntimeName from "./internal/RuntimeName.ts"

/**
 * Writes `text` to standard output by the cheapest way each runtime has (`process.stdout` alone costs Bun 8 MiB and
 * a few milliseconds). A reader that stops early closes the pipe: that is not an error, as in the program.
 */
const writeOut = (text: string): Promise<unknown> =>
  new Promise((resolve) => {
    const bun = (globalThis as { Bun?: { write: (to: unknown, text: string) => Promise<number>; stdout: unknown } }).Bun
    resolve(
      RuntimeName.name === "bun" && bun !== undefined
        ? bun.write(bun.stdout, text)
        : process.getBuiltinModule("node:fs").writeSync(1, text)
    )
  }).catch(() => undefined)

const argv = process.argv.slice(2)
const instant = Instant.answer(argv)
if (instant !== undefined) {
  void writeOut(instant)
} else {
  // Node 22+ keeps the compiled code of the chunks imported after this; elsewhere it is absent or does nothing.
  ;(process.getBuiltinModule("node:module") as { enableCompileCache?: () => unknown }).enableCompileCache?.()
  void Prefetch.start(argv, process.env).then(() => import("./bin.ts"))
}
