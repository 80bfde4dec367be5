/**
 * The `dockhand` executable: runs the program on the real terminal and exits with docker's exit code.
 *
 * SIGINT and SIGTERM interrupt the program rather than kill the process: every finalizer runs (the temporary file
 * of `save -o` is removed, a git context's checkout is deleted, sockets are closed), then the process exits with
 * docker's code for the signal (130 for SIGINT, 143 for SIGTERM) and prints nothing, as docker does. A second
 * signal while the finalizers run exits at once with that signal's code, without waiting for them.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Terminal from "./internal/Terminal.ts"
import * as Main from "./Main.ts"

// A reader that stops early (`dockhand image ls | head`) closes the pipe: stop quietly, as a Go program does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0)
    throw error
  })
}

/** The exit code of a process that a signal ended, as a shell (and docker) reports it: 128 + the signal number. */
const signalCodes = { SIGINT: 130, SIGTERM: 143 } as const

const fiber = Effect.runFork(Main.run(process.argv.slice(2)).pipe(Effect.provide(Terminal.layer)))

let signalled: number | undefined
const onSignal = (signal: keyof typeof signalCodes) => {
  // the second signal does not wait for the finalizers of the first
  if (signalled !== undefined) process.exit(signalCodes[signal])
  signalled = signalCodes[signal]
  fiber.interruptUnsafe()
}
process.on("SIGINT", onSignal)
process.on("SIGTERM", onSignal)

fiber.addObserver((exit) => {
  if (signalled !== undefined) process.exit(signalled)
  if (Exit.isSuccess(exit)) process.exit(exit.value)
  process.stderr.write(`${Cause.pretty(exit.cause)}\n`)
  process.exit(1)
})
