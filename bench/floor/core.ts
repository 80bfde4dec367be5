// The floor's first step: effect's core alone, one effect run that writes a line.
import * as Effect from "effect/Effect"

Effect.runFork(Effect.sync(() => process.stdout.write("core\n")))
