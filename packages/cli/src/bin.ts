/**
 * The `dockhand` executable: runs the program on the real terminal and exits with docker's exit code (see
 * `internal/Process.ts`, which also says how SIGINT and SIGTERM end it).
 *
 * @since 0.1.0
 */
import * as Process from "./internal/Process.ts"

Process.start(process.argv.slice(2))
