/**
 * Local files and standard input read to feed `load` and `import`: a file opened the docker way, and the error a
 * failed read becomes.
 *
 * @internal
 */
import { BodySource, DockerError } from "@dockhand/client"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs"
import * as Failure from "./Failure.ts"
import * as Memory from "./Memory.ts"

/**
 * A Node readable (a file, standard input) as a byte stream; whatever it fails with becomes an `Error` (which
 * {@link readError} then turns into a `SystemError`).
 */
export const fromReadable = (readable: AsyncIterable<unknown>): Stream.Stream<Uint8Array, Error> =>
  Stream.fromAsyncIterable(
    readable as AsyncIterable<Uint8Array>,
    (cause) => cause instanceof Error ? cause : new Error(String(cause))
  )

/** How many bytes each read of a file takes. */
const readSize = 256 * 1024

/** How many bytes each read of a file takes when the transport writes them in turn: two buffers of this size. */
const inTurnSize = 1024 * 1024

/** A read failure as an `Error` (Node's own, with its `code`, when it is one). */
const asError = (cause: unknown): Error => cause instanceof Error ? cause : new Error(String(cause))

/**
 * A file's bytes as a stream; the file is opened first, so that a missing one fails with docker's `open x: …`, and
 * closed when the stream ends, fails or is interrupted.
 *
 * Each chunk is read synchronously, as docker's `io.Copy` reads: from the page cache this is a copy, and handing each
 * read to Node's thread pool and back (`fs.createReadStream`) made `load -i` of 512 MiB take twice as long as
 * docker's and grew the process by 40 MiB. When the transport offers to write chunks in turn (`BodySource.InTurn`,
 * the Node transport), the file is read into two 1 MiB buffers in turn, with no new memory and no garbage, and V8's
 * optimizing compilers are paused until the stream ends (`Memory.pauseOptimizing`: a few steps for each MiB are not
 * worth optimizing, and a 2 GiB load peaked 12 MiB lower without it, in the same time). Otherwise each chunk is a
 * buffer of its own, which a consumer may keep; the buffers passed on are freed as the stream goes (`Memory.ts`).
 */
export const readFile = (path: string): Effect.Effect<Stream.Stream<Uint8Array, Error>, Failure.CliFailure> =>
  Effect.map(open(path), (fd) => collected(fromDescriptor(fd)))

/** Opens a file to read, failing with docker's `open x: …`. */
const open = (path: string): Effect.Effect<number, Failure.CliFailure> =>
  Effect.try({
    try: () => openSync(path, "r"),
    catch: (cause) => Failure.message(Failure.goError(cause))
  })

/**
 * The bytes of an open file as {@link readFile} gives them (without {@link collected}), from where it stands; the file
 * is closed at the end unless `keepOpen`.
 */
const fromDescriptor = (fd: number, keepOpen = false): Stream.Stream<Uint8Array, Error> => {
  let closed = keepOpen
  let optimize: (() => void) | undefined
  const close = Effect.sync(() => {
    optimize?.()
    if (closed) return
    closed = true
    closeSync(fd)
  })
  const read = (buffer: Buffer) =>
    Effect.flatMap(
      Effect.try({ try: () => readSync(fd, buffer, 0, buffer.byteLength, null), catch: asError }),
      (size) =>
        size === 0
          ? Cause.done()
          : Effect.succeed([size === buffer.byteLength ? buffer : buffer.subarray(0, size)] as const)
    )
  const fresh = Effect.succeed(Effect.suspend(() => read(Buffer.allocUnsafeSlow(readSize))))
  const inTurn = Effect.sync(() => {
    optimize = Memory.pauseOptimizing()
    const buffers = [Buffer.allocUnsafeSlow(inTurnSize), Buffer.allocUnsafeSlow(inTurnSize)] as const
    let turn = 0
    return Effect.suspend(() => {
      turn = 1 - turn
      return read(buffers[turn])
    })
  })
  const pull = Effect.flatMap(Effect.service(BodySource.InTurn), (offer) => {
    if (offer === undefined) return fresh
    offer.accept()
    return inTurn
  })
  return Stream.fromPull(pull).pipe(Stream.ensuring(close))
}

/**
 * The body of `load -i FILE` and `import FILE`: {@link readFile}'s bytes, a failed read being a `SystemError` of
 * `operation`. A regular file's stream is marked as its contents (`BodySource.withFile`), so that Bun's transport
 * sends the file itself; it is then closed at once and opened again only if the stream runs. Anything else (a pipe, a
 * device) stays open, as it may not be opened twice.
 */
export const fileBody = (
  path: string,
  operation: string
): Effect.Effect<Stream.Stream<Uint8Array, DockerError.DockerError>, Failure.CliFailure> =>
  Effect.flatMap(open(path), (fd) =>
    Effect.map(isRegular(fd), (regular) => {
      if (!regular) return bodyOf(fromDescriptor(fd), undefined, operation)
      closeSync(fd)
      const again = Effect.try({ try: () => openSync(path, "r"), catch: asError })
      return bodyOf(Stream.unwrap(Effect.map(again, (reopened) => fromDescriptor(reopened))), path, operation)
    }))

/** Whether an open file is a regular file (`false` when that cannot be told). */
const isRegular = (fd: number): Effect.Effect<boolean> =>
  Effect.try(() => fstatSync(fd).isFile()).pipe(Effect.orElseSucceed(() => false))

/**
 * `bytes`, with the buffers each run of it leaves behind freed as it goes (see `Memory.ts`): standard input is read
 * into a new buffer each time, and a 512 MiB `load` from it otherwise grew the process by tens of MiB.
 */
export const collected = <E>(bytes: Stream.Stream<Uint8Array, E>): Stream.Stream<Uint8Array, E> =>
  Stream.suspend(() => {
    const track = Memory.tracker()
    return Stream.map(bytes, (chunk) => {
      track(chunk)
      return chunk
    })
  })

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

/** Standard input read as a regular file, and a path that names its bytes when there is one ({@link stdinFile}). */
export interface StdinFile {
  readonly bytes: Stream.Stream<Uint8Array, Error>
  readonly path: string | undefined
}

/**
 * Standard input when it is a regular file (a shell's `< FILE`), read as {@link readFile} reads a file (into two
 * buffers in turn when the transport offers), from where it stands, and left open; `undefined` for a pipe, a terminal
 * or a device, which `node:process` reads. `path` is `/dev/stdin` when Linux's `/proc/self/fdinfo/0` says the file
 * is read from its start, so that the file itself may be sent (`BodySource.withFile`); `undefined` otherwise (the
 * shell has read part of it, or the system has no such file).
 */
export const stdinFile: Effect.Effect<StdinFile | undefined> = Effect.flatMap(isRegular(0), (regular) => {
  if (!regular) return Effect.succeed(undefined)
  return Effect.try(() => /^pos:\s*0$/m.test(readFileSync("/proc/self/fdinfo/0", "latin1"))).pipe(
    Effect.orElseSucceed(() => false),
    Effect.map((atStart) => ({ bytes: fromDescriptor(0, true), path: atStart ? "/dev/stdin" : undefined }))
  )
})

/**
 * `bytes` as the body of `load` or `import` (a file's, or standard input's): {@link collected}, a failed read being a
 * `SystemError` of `operation`, and marked as the contents of `path` (`BodySource.withFile`) when a path names those
 * bytes from their start (a regular file, {@link stdinFile}'s `path`).
 */
export const bodyOf = (
  bytes: Stream.Stream<Uint8Array, Error>,
  path: string | undefined,
  operation: string
): Stream.Stream<Uint8Array, DockerError.DockerError> => {
  const body = collected(bytes).pipe(Stream.mapError(readError(operation)))
  return path === undefined ? body : BodySource.withFile(body, path)
}
