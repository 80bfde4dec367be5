/**
 * Local files and standard input read to feed `load` and `import`: a file opened the docker way, and the error a
 * failed read becomes.
 *
 * @internal
 */
import { DockerError } from "@dockhand/client"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { createReadStream, openSync } from "node:fs"
import * as Failure from "./Failure.ts"

/** A file's bytes as a stream; the file is opened first, so that a missing one fails with docker's `open x: …`. */
export const readFile = (path: string): Effect.Effect<Stream.Stream<Uint8Array, Error>, Failure.CliFailure> =>
  Effect.try({
    try: () => openSync(path, "r"),
    catch: (cause) => Failure.message(Failure.goError(cause))
  }).pipe(
    Effect.map((fd) =>
      Stream.fromAsyncIterable(
        createReadStream(path, { fd }) as AsyncIterable<Uint8Array>,
        (cause) => cause instanceof Error ? cause : new Error(String(cause))
      )
    )
  )

/** A local read error while feeding `load` or `import` (stdin or the input file): a `SystemError` reason. */
export const readError = (operation: string) => (cause: Error): DockerError.DockerError =>
  DockerError.make(
    new DockerError.SystemError({
      kind: DockerError.systemErrorKind((cause as NodeJS.ErrnoException).code),
      message: cause.message,
      operation,
      syscall: "read",
      cause
    })
  )
