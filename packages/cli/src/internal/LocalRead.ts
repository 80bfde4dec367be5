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

/**
 * A Node readable (a file, standard input) as a byte stream; whatever it fails with becomes an `Error` (which
 * {@link readError} then turns into a `SystemError`).
 */
export const fromReadable = (readable: AsyncIterable<unknown>): Stream.Stream<Uint8Array, Error> =>
  Stream.fromAsyncIterable(
    readable as AsyncIterable<Uint8Array>,
    (cause) => cause instanceof Error ? cause : new Error(String(cause))
  )

/** A file's bytes as a stream; the file is opened first, so that a missing one fails with docker's `open x: …`. */
export const readFile = (path: string): Effect.Effect<Stream.Stream<Uint8Array, Error>, Failure.CliFailure> =>
  Effect.try({
    try: () => openSync(path, "r"),
    catch: (cause) => Failure.message(Failure.goError(cause))
  }).pipe(
    Effect.map((fd) => fromReadable(createReadStream(path, { fd })))
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
