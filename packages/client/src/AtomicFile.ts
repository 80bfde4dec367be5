/**
 * Files replaced whole or not at all, on any runtime with Node's `node:fs` (Node, Bun, Deno): the bytes go to a new
 * temporary file in the target's directory, which is renamed over the target once every byte is written and the
 * file is closed; if anything fails, or the write is interrupted, the temporary file is removed and the target is
 * as it was. A symbolic link at the target is followed (the link stays, the file it points to is replaced), a file
 * being replaced keeps its mode and a new one gets 0600. The docker CLI's `config.json` and `dockhand save -o` are
 * written this way.
 *
 * **Gotchas**
 *
 * As the docker CLI's writers, this does not `fsync`: a crash of the machine (not of the process) soon after the
 * rename may leave the old content or an empty file. The target's directory must exist.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import * as DockerError from "./DockerError.ts"
import * as DockerPlatform from "./DockerPlatform.ts"
import * as Errno from "./Errno.ts"
import { writeAll } from "./internal/fileWrite.ts"
import { LendChunks } from "./internal/lendChunks.ts"
import * as WriteInto from "./internal/writeInto.ts"

/**
 * How to write: `operation` names the caller in errors (default `AtomicFile.write`); `tempPrefix` starts the name
 * of the temporary file (default `.NAME.tmp-` for a target named NAME; `dockhand save -o` uses docker's
 * `.docker_temp_`), which a random suffix completes. `keepMode` (default `true`) gives a replaced file's mode to the
 * new one; with `false` the result always has {@link newFileMode}, as docker's `save -o` leaves it.
 *
 * `lendChunks` (default `false`) says that the stream is a download read straight from the daemon's answer (such as
 * `Images.save`), whose chunks may be views of one buffer that the transport reuses: each array is written before the
 * next is pulled, so none is read over while in use. On Node it makes the answer be read into one 1 MiB buffer
 * instead of a new 64 KiB one for each read of the socket: a 512 MiB `save` takes about a third of the CPU and leaves
 * no garbage. Only for such a stream: one that reads another answer's stream to the end within it and keeps its
 * chunks would find them overwritten.
 *
 * `observe` (none by default) is called with each chunk of a stream once it is written, for a caller that keeps
 * count (the CLI frees Node's read buffers every few MiB). `Images.save`'s own stream, given as it is, may reach the
 * file without a chunk: on Node (a unix socket or plain TCP) and on Bun the transport writes the answer into the
 * file itself, and `observe` is never called.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly operation?: string | undefined
  readonly tempPrefix?: string | undefined
  readonly keepMode?: boolean | undefined
  readonly lendChunks?: boolean | undefined
  readonly observe?: ((chunk: Uint8Array) => void) | undefined
}

/**
 * The mode of a new file (0600: it may hold credentials or a private image).
 *
 * @category constants
 * @since 0.1.0
 */
export const newFileMode = 0o600

type ErrnoException = NodeJS.ErrnoException

/** A failed system call on `path` as a `SystemError` worded as Go words it: `open /x/.tmp-1: permission denied`. */
const failure = (operation: string, syscall: string, path: string, target?: string) => (cause: unknown) => {
  const code = (cause as ErrnoException | undefined)?.code
  const text = Errno.goText(code) ?? code ?? (cause instanceof Error ? cause.message : String(cause))
  const subject = target === undefined ? path : `${path} ${target}`
  return DockerPlatform.localError(operation, `${syscall} ${subject}: ${text}`, {
    kind: DockerError.systemErrorKind(code),
    path,
    syscall,
    cause
  })
}

const attempt = <A>(operation: string, syscall: string, path: string, run: () => A) =>
  Effect.try({ try: run, catch: failure(operation, syscall, path) })

/**
 * The file a write to `path` replaces: `path` itself, or the file a symbolic link at `path` points to (a dangling
 * link included, so that the link survives, as the docker CLI keeps a linked `config.json`).
 */
const resolveTarget = (operation: string, path: string): Effect.Effect<string, DockerError.DockerError> =>
  Effect.try({ try: () => fs.realpathSync(path), catch: (cause) => cause as ErrnoException }).pipe(
    Effect.catch((error) =>
      error.code === "ENOENT"
        ? Effect.try({ try: () => fs.readlinkSync(path), catch: () => path }).pipe(
          Effect.map((link) => nodePath.resolve(nodePath.dirname(path), link)),
          Effect.orElseSucceed(() => path)
        )
        : Effect.fail(failure(operation, "stat", path)(error))
    )
  )

const randomSuffix = (): string =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(5)), (byte) => byte.toString(16).padStart(2, "0"))
    .join("")

/** Writes every byte of `chunks`, in order, at the file's current position: one `writev` call for all of them. */
const writeAllOf = (fd: number, chunks: ReadonlyArray<Uint8Array>): void => {
  if (chunks.length === 1) return writeAll(fd, chunks[0]!)
  let rest = chunks
  while (rest.length > 0) {
    let written = fs.writevSync(fd, rest as Array<Uint8Array>)
    let first = 0
    while (first < rest.length && written >= rest[first]!.byteLength) written -= rest[first++]!.byteLength
    rest = first === rest.length ? [] : [rest[first]!.subarray(written), ...rest.slice(first + 1)]
  }
}

/**
 * Replaces the file at `path` with `content` (text as UTF-8, bytes, or a byte stream) atomically, as described
 * above. A stream's chunks are written synchronously, each array of them the stream hands on in one call, before the
 * next is read: a write lands in the page cache at once, and for the tens of thousands of chunks of an image archive
 * a thread-pool round trip each costs more than the writes (see {@link Options} for `lendChunks`). Failures of the
 * file system are `SystemError`s with the errno's kind, the file and the call; a failure of the stream is passed on as
 * it is.
 *
 * @category constructors
 * @since 0.1.0
 */
export const write = <E = never, R = never>(
  path: string,
  content: string | Uint8Array | Stream.Stream<Uint8Array, E, R>,
  options: Options = {}
): Effect.Effect<void, E | DockerError.DockerError, R> => {
  const operation = options.operation ?? "AtomicFile.write"
  return Effect.acquireUseRelease(
    Effect.gen(function*() {
      const target = yield* resolveTarget(operation, path)
      // the mode of the file replaced; a new file's when there is none or it cannot be read
      const existing = yield* Effect.try({ try: () => fs.statSync(target, { throwIfNoEntry: false }), catch: () => 0 })
        .pipe(Effect.orElseSucceed(() => undefined))
      const mode = existing === undefined || options.keepMode === false ? newFileMode : existing.mode & 0o7777
      const prefix = options.tempPrefix ?? `.${nodePath.basename(target)}.tmp-`
      const temp = nodePath.join(nodePath.dirname(target), `${prefix}${randomSuffix()}`)
      const fd = yield* attempt(operation, "open", temp, () => fs.openSync(temp, "wx", newFileMode))
      return { target, mode, temp, fd, closed: false, renamed: false }
    }),
    (file) => {
      const bytes = (chunks: ReadonlyArray<Uint8Array>) =>
        attempt(operation, "write", file.temp, () => writeAllOf(file.fd, chunks))
      const observe = options.observe
      const chunksOf = observe === undefined ? bytes : (chunks: ReadonlyArray<Uint8Array>) =>
        Effect.andThen(
          bytes(chunks),
          Effect.sync(() => {
            for (const chunk of chunks) observe(chunk)
          })
        )
      // `Images.save`'s own stream may be written into the file by the transport: a write of it that failed is
      // this file's failed write, as it would be here
      const into: WriteInto.Target | undefined = typeof content === "object" && WriteInto.isMarked(content)
        ? { fd: file.fd, writeError: undefined }
        : undefined
      const written: Effect.Effect<void, E | DockerError.DockerError, R> = typeof content === "string"
        ? bytes([new TextEncoder().encode(content)])
        : content instanceof Uint8Array
        ? bytes([content])
        : Stream.runForEachArray(content, chunksOf).pipe(
          Effect.provideService(LendChunks, options.lendChunks === true),
          Effect.provideService(WriteInto.WriteInto, into),
          Effect.catch((error) =>
            Effect.fail(
              into?.writeError === undefined ? error : failure(operation, "write", file.temp)(into.writeError)
            )
          )
        )
      return written.pipe(
        Effect.andThen(attempt(operation, "close", file.temp, () => {
          fs.closeSync(file.fd)
          file.closed = true
        })),
        Effect.andThen(attempt(operation, "chmod", file.temp, () => fs.chmodSync(file.temp, file.mode))),
        Effect.andThen(Effect.try({
          try: () => {
            fs.renameSync(file.temp, file.target)
            file.renamed = true
          },
          catch: failure(operation, "rename", file.temp, file.target)
        }))
      )
    },
    // on failure or interruption: the temporary file goes, whatever the target held stays
    (file) =>
      Effect.sync(() => {
        if (!file.closed) fs.closeSync(file.fd)
        if (!file.renamed) fs.rmSync(file.temp, { force: true })
      })
  )
}
