// The floor's second step: the Node platform services every effect/cli program is given (file system, path, stdio,
// terminal and a process spawner), provided to one effect.
import * as Effect from "effect/Effect"
import * as Services from "./services.ts"

Effect.runFork(Effect.sync(() => process.stdout.write("platform\n")).pipe(Effect.provide(Services.layer)))
