/**
 * What `dockhand` runs first: sends the command's first read ahead (see `internal/Prefetch.ts`) while the rest of
 * the program loads, then starts it. It loads nothing but that module before the program.
 *
 * @since 0.1.0
 */
import * as Prefetch from "./internal/Prefetch.ts"

void Prefetch.start(process.argv.slice(2), process.env).then(() => import("./bin.ts"))
