/**
 * What `dockhand` runs first: turns on Node's compile cache (the program's code is compiled once, not at every run),
 * sends the command's first read ahead (see `internal/Prefetch.ts`) while the rest of the program loads, then
 * starts it. It loads nothing but that module before the program.
 *
 * @since 0.1.0
 */
// Node 22+ keeps the compiled code of the chunks imported after this; elsewhere it is absent or does nothing.
import * as Prefetch from "./internal/Prefetch.ts"
;(process.getBuiltinModule("node:module") as { enableCompileCache?: () => unknown }).enableCompileCache?.()

void Prefetch.start(process.argv.slice(2), process.env).then(() => import("./bin.ts"))
