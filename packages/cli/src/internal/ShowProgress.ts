/**
 * A progress operation (pull, push, import) shown on standard output the docker way.
 *
 * @internal
 */
import { Progress } from "@dockhand/client"
import type { JsonMessage } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as ProgressDisplay from "./ProgressDisplay.ts"
import { Terminal } from "./Terminal.ts"

/** Shows a progress operation on stdout the docker way and gives its outcome; `quiet` shows nothing. */
export const show = (progress: Progress.Progress, quiet: boolean) =>
  Effect.gen(function*() {
    const terminal = yield* Terminal
    const display = ProgressDisplay.make({ terminal: terminal.stdoutIsTerminal, columns: terminal.columns })
    return yield* Progress.run(progress, (message: JsonMessage.Message) => {
      if (quiet) return Effect.void
      const text = display(message)
      return text === "" ? Effect.void : terminal.outRaw(text)
    })
  })
