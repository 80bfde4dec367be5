/**
 * A progress operation (pull, push, import) shown on standard output the docker way.
 *
 * @internal
 */
import { Progress, ProgressDisplay } from "@dockhand/client"
import * as Effect from "effect/Effect"
import { Terminal } from "./Terminal.ts"

/** Shows a progress operation on stdout the docker way and gives its outcome; `quiet` shows nothing. */
export const show = (progress: Progress.Progress, quiet: boolean) =>
  Effect.gen(function*() {
    const terminal = yield* Terminal
    if (quiet) return yield* Progress.run(progress, () => Effect.void)
    return yield* ProgressDisplay.render(progress, {
      out: terminal.outRaw,
      isTerminal: terminal.stdoutIsTerminal,
      columns: terminal.columns
    })
  })
