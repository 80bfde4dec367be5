/**
 * What every example shares: the runtime entry of `@dockhand/client` that fits the runtime running it
 * (`@dockhand/client/bun` on Bun, `/deno` on Deno, `/node` on Node), the command-line arguments, and `main`, which
 * runs an example's program, prints a failure as `error (Reason): message` and sets a non-zero exit code.
 *
 * Not run by itself: the other files of this folder import it.
 */
import type { DockerError } from "@dockhand/client"
import * as BunEntry from "@dockhand/client/bun"
import * as DenoEntry from "@dockhand/client/deno"
import * as NodeEntry from "@dockhand/client/node"
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const globals = globalThis as { readonly Bun?: unknown; readonly Deno?: unknown }

/** The runtime entry for this runtime: `layer` (where the docker CLI would connect), `layerWith({ host })`, … */
export const Docker: typeof NodeEntry = globals.Bun !== undefined
  ? BunEntry
  : globals.Deno !== undefined
  ? DenoEntry
  : NodeEntry

/** The arguments after the script's path (the same on Node, Bun and Deno). */
export const args: ReadonlyArray<string> = process.argv.slice(2)

/** The example was called wrongly: `message` says how to call it. */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/** A local file could not be read or written. */
export class FileError extends Data.TaggedError("FileError")<{ readonly message: string }> {}

/** The errors the examples print. */
export type ExampleError = DockerError.DockerError | UsageError | FileError

const describe = (error: ExampleError): string =>
  error._tag === "DockerError" ? `error (${error.reason._tag}): ${error.message}` : `error: ${error.message}`

const fail = (text: string) =>
  Effect.sync(() => {
    console.error(text)
    process.exitCode = 1
  })

/**
 * Runs `program` with the services of `layer` (default: the engine the docker CLI would use, `DOCKER_HOST` …);
 * a failure is printed on stderr and makes the exit code 1.
 */
export const main = <A>(
  program: Effect.Effect<A, ExampleError, NodeEntry.Services>,
  layer: Layer.Layer<NodeEntry.Services, DockerError.DockerError> = Docker.layer
): void => {
  Effect.runFork(
    program.pipe(
      Effect.provide(layer),
      Effect.catch((error) => fail(describe(error))),
      Effect.catchCause((cause) => fail(Cause.pretty(cause)))
    )
  )
}
