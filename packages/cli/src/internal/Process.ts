/**
 * Runs the program as the `dockhand` process: on the real terminal, exiting with docker's exit code. Shared by the
 * bundle's entry (`bin.ts`) and the Node start-up snapshot's (`snapshot.ts`), so that both run the same way.
 *
 * SIGINT and SIGTERM interrupt the program rather than kill the process: every finalizer runs (the temporary file
 * of `save -o` is removed, a git context's checkout is deleted, sockets are closed), then the process exits with
 * docker's code for the signal (130 for SIGINT, 143 for SIGTERM) and prints nothing, as docker does. A second
 * signal while the finalizers run exits at once with that signal's code, without waiting for them.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Main from "../Main.ts"
import * as Terminal from "./Terminal.ts"

/** The exit code of a process that a signal ended, as a shell (and docker) reports it: 128 + the signal number. */
const signalCodes = { SIGINT: 130, SIGTERM: 143 } as const

/** Runs `dockhand` with `argv` (the arguments after the program name) and exits the process when it is done. */
export const start = (argv: ReadonlyArray<string>): void => {
  // A reader that stops early (`dockhand image ls | head`) closes the pipe: stop quietly, as a Go program does.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0)
      throw error
    })
  }

  const fiber = Effect.runFork(Main.run(argv).pipe(Effect.provide(Terminal.layer)))

  let signalled: number | undefined
  let finished = false
  const onSignal = (signal: keyof typeof signalCodes) => {
    // the second signal does not wait for the finalizers of the first, nor does one that comes while the output drains
    if (signalled !== undefined || finished) process.exit(signalCodes[signal])
    signalled = signalCodes[signal]
    fiber.interruptUnsafe()
  }
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)

  /**
   * Exits with `code` once what was written to standard output and error has been handed to them: a write to a pipe
   * can still be queued in the process when the program ends (the reader is slower), and `process.exit` would drop
   * it — the end of a `save` to a pipe. An empty write's callback runs after the writes queued before it.
   */
  const exitWhenWritten = (code: number) => {
    finished = true
    process.exitCode = code
    let waiting = 2
    const written = () => {
      waiting -= 1
      if (waiting === 0) process.exit(code)
    }
    process.stdout.write("", written)
    process.stderr.write("", written)
  }

  fiber.addObserver((exit) => {
    if (signalled !== undefined) process.exit(signalled)
    if (Exit.isSuccess(exit)) return exitWhenWritten(exit.value)
    process.stderr.write(`${Cause.pretty(exit.cause)}\n`)
    exitWhenWritten(1)
  })
}
