/**
 * The `dockhand` executable: runs the program on the real terminal and exits with docker's exit code.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Main from "./Main.ts"
import * as Terminal from "./internal/Terminal.ts"

// A reader that stops early (`dockhand image ls | head`) closes the pipe: stop quietly, as a Go program does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0)
    throw error
  })
}

Effect.runPromise(Main.run(process.argv.slice(2)).pipe(Effect.provide(Terminal.layer))).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error}\n`)
    process.exit(1)
  }
)
