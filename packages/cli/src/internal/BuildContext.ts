/**
 * The build context the docker CLI sends: the files of a directory as a tar stream, less what `.dockerignore`
 * excludes (the Dockerfile and `.dockerignore` are always sent), owned by root. The directory is walked lazily and
 * each file is opened only when the tar encoder reaches it (and closed right after), so that memory and open files
 * stay flat whatever the context's size. Nothing outside the context is ever read into it: symbolic links are sent
 * as links, sockets are skipped, FIFOs and devices are sent as such (never opened), and the files the CLI itself
 * reads (`.dockerignore`, a Dockerfile from outside the context) are read with a bound.
 *
 * @internal
 */
import { DockerError } from "@dockhand/client"
import * as GoPath from "@dockhand/client/GoPath"
import * as Arr from "effect/Array"
import * as Bytes from "effect/Bytes"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Tar from "effect/encoding/Tar"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import { closeSync, constants, openSync, readSync } from "node:fs"
import * as DockerIgnore from "./DockerIgnore.ts"
import * as Failure from "./Failure.ts"

// ---------------------------------------------------------------------------------------------------------------
// Bounded reads of the files the CLI itself reads
// ---------------------------------------------------------------------------------------------------------------

/** The length at which docker's line readers give up (Go's `bufio.MaxScanTokenSize`, 64 KiB; newline excluded). */
export const maxLineSize = 64 * 1024

/** The most dockhand reads of a `.dockerignore` or a Dockerfile it sends itself: 16 MiB. */
export const maxFileSize = 16 * 1024 * 1024

/** Why a bounded read stopped. */
type Overrun = "line" | "size"

/**
 * Reads `path` (following links, as docker does) up to `maxFileSize` bytes, stopping at once at a line of
 * `maxLineSize` bytes or more: an endless file such as `/dev/zero` stops after 64 KiB, memory stays flat.
 */
const readBounded = (path: string): Effect.Effect<Uint8Array | Overrun, unknown> =>
  Effect.acquireUseRelease(
    Effect.try({ try: () => openSync(path, constants.O_RDONLY), catch: (cause) => cause }),
    (fd) =>
      Effect.try({
        try: (): Uint8Array | Overrun => {
          const chunks: Array<Uint8Array> = []
          let total = 0
          let line = 0
          while (true) {
            const chunk = new Uint8Array(64 * 1024)
            const n = readSync(fd, chunk, 0, chunk.length, null)
            if (n === 0) return Bytes.concat(chunks)
            for (let i = 0; i < n; i++) {
              if (chunk[i] === 0x0a) line = 0
              else if (++line >= maxLineSize) return "line"
            }
            total += n
            if (total > maxFileSize) return "size"
            chunks.push(chunk.subarray(0, n))
          }
        },
        catch: (cause) => cause
      }),
    (fd) => Effect.sync(() => closeSync(fd))
  )

/**
 * The bytes of the context's `.dockerignore` (followed if it is a link, as docker reads it; `undefined` when there
 * is none), read with a bound. Fails with docker's text (`error reading .dockerignore: bufio.Scanner: token too
 * long`) when a line is 64 KiB or longer, e.g. for a link to `/dev/zero`; a FIFO is not read (docker would block).
 */
export const readDockerignore = (root: string): Effect.Effect<Uint8Array | undefined, Error> => {
  const path = `${root}/.dockerignore`
  const fail = (text: string) => Effect.fail(new Error(`error reading .dockerignore: ${text}`))
  return Effect.suspend(() => {
    const stat = fs.statSync(path, { throwIfNoEntry: false })
    if (stat === undefined) return Effect.succeed(undefined)
    if (stat.isFIFO() || stat.isSocket()) return Effect.succeed(undefined)
    return Effect.flatMap(
      readBounded(path).pipe(Effect.catch((cause) => fail(Failure.goError(cause)))),
      (read) =>
        read === "line" ?
          fail("bufio.Scanner: token too long") :
          read === "size" ?
          fail(`larger than ${maxFileSize / 1024 / 1024} MiB`) :
          Effect.succeed(read)
    )
  })
}

/**
 * A Dockerfile dockhand reads itself (from outside the context, or named by a link that leads out of it), read
 * with a bound. Fails with the daemon's parse error (`dockerfile line greater than max allowed size of 65535`) at a
 * line of 64 KiB or more, e.g. for a link to `/dev/zero` (docker reads it whole and runs out of memory), and when
 * the file is larger than 16 MiB.
 */
export const readDockerfile = (path: string): Effect.Effect<Uint8Array, string> =>
  Effect.flatMap(
    readBounded(path).pipe(Effect.mapError((cause) => `unable to open Dockerfile: ${Failure.goError(cause)}`)),
    (read) =>
      read === "line" ?
        Effect.fail(`failed to parse Dockerfile: dockerfile line greater than max allowed size of ${maxLineSize - 1}`) :
        read === "size" ?
        Effect.fail(`failed to read Dockerfile: larger than ${maxFileSize / 1024 / 1024} MiB`) :
        Effect.succeed(read)
  )

// ---------------------------------------------------------------------------------------------------------------
// The walk: one entry at a time, in docker's order
// ---------------------------------------------------------------------------------------------------------------

/**
 * A failure to read the context as it is sent: docker's text (after `error checking context: `), the path it is
 * about and the runtime's error as its `cause`, whose errno code says what kind of failure it is.
 */
export class ContextReadError extends Error {
  readonly path: string
  constructor(message: string, path: string, cause: unknown) {
    super(message, { cause })
    this.path = path
  }
}

/** docker's `ValidateContextDirectory` texts (after `error checking context: `), naming the absolute path. */
const walkError = (cause: unknown, abs: string): Error => {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  if (code === "EACCES" || code === "EPERM") return new ContextReadError(`can't stat '${abs}'`, abs, cause)
  if (code === "ENOENT") {
    return new ContextReadError(`file ('${abs}') not found or excluded by .dockerignore`, abs, cause)
  }
  return new ContextReadError(Failure.goError(cause), abs, cause)
}

/** The error of opening a file to send it: docker's `no permission to read from '…'` for an unreadable one. */
const openError = (cause: unknown, abs: string): Error => {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  if (code === "EACCES" || code === "EPERM") {
    return new ContextReadError(`no permission to read from '${abs}'`, abs, cause)
  }
  if (code === "ENOENT") {
    return new ContextReadError(`file ('${abs}') not found or excluded by .dockerignore`, abs, cause)
  }
  return new ContextReadError(Failure.goError(cause), abs, cause)
}

const errnoCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code

/**
 * The client error a failed context stream (from {@link tar}) becomes: a local failure, so a `SystemError` reason
 * worded as docker words it (`error checking context: can't stat '/x'`). Its kind comes from the errno code (an
 * unreadable file is `PermissionDenied`); a `.dockerignore` docker refuses is `InvalidData`.
 */
export const checkError = (cause: Error): DockerError.DockerError =>
  DockerError.make(
    new DockerError.SystemError({
      kind: cause instanceof DockerIgnore.DockerIgnoreError
        ? "InvalidData"
        : DockerError.systemErrorKind(errnoCode(cause) ?? errnoCode(cause.cause)),
      message: `error checking context: ${cause.message}`,
      operation: "ImageBuild",
      ...(cause instanceof ContextReadError ? { path: cause.path } : {}),
      cause
    })
  )

/** A directory being walked: its names, sorted, and how far the walk is. */
interface Frame {
  readonly rel: string
  readonly names: ReadonlyArray<string>
  index: number
}

/** The bytes a read of a context file gives at most at once. */
const chunkSize = 64 * 1024

/**
 * `O_NOFOLLOW | O_NONBLOCK` where the platform has them: a file swapped for a link or a FIFO is never followed or
 * waited on.
 */
const openFlags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/** Opens a context file to send it (never following a link, never waiting on a FIFO). */
const openFile = (abs: string) =>
  Effect.try({ try: () => fs.openSync(abs, openFlags), catch: (cause) => openError(cause, abs) })

const closeFile = (fd: number) => Effect.sync(() => fs.closeSync(fd))

/**
 * The next bytes (at most 64 KiB) of the file `abs` of `size` bytes from `offset`; fails when the file has become
 * shorter than it was when listed.
 */
const readChunk = (fd: number, abs: string, size: number, offset: number) =>
  Effect.try({
    try: () => {
      // its own memory, not zero-filled first: the read overwrites what is kept
      const buffer = Buffer.allocUnsafeSlow(Math.min(chunkSize, size - offset))
      return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, offset))
    },
    catch: (cause) => new ContextReadError(Failure.goError(cause), abs, cause)
  }).pipe(Effect.flatMap((bytes) =>
    bytes.length === 0
      ? Effect.fail(new Error(`file ('${abs}') changed size while it was sent`))
      : Effect.succeed(bytes)
  ))

/**
 * The content of the regular file `abs` of `size` bytes (its size when it was listed): opened when the tar encoder
 * reaches it, read in 64 KiB chunks, closed as soon as it is sent (or the stream stops). The reads are blocking, as
 * docker's are: Deno's callback file API keeps memory per call (230 MB more for 100,000 files), the blocking one
 * does not, and no read takes long.
 */
const fileBody = (abs: string, size: number): Stream.Stream<Uint8Array, Error> =>
  Stream.unwrap(Effect.map(Effect.acquireRelease(openFile(abs), closeFile), (fd) =>
    size === 0
      ? Stream.empty
      : Stream.paginate(0, (offset: number) =>
        Effect.map(readChunk(fd, abs, size, offset), (bytes) => {
          const next = offset + bytes.length
          return [[bytes], next < size ? Option.some(next) : Option.none()] as const
        }))))

/**
 * The whole content of a file of at most one chunk, read when the walk reaches it, with {@link fileBody}'s errors: the
 * encoder then writes it without a stream and a scope of its own (most of the time a context of many small files
 * spent per file).
 */
const smallFile = (abs: string, size: number): Effect.Effect<Uint8Array, Error> =>
  Effect.acquireUseRelease(
    openFile(abs),
    (fd) => size === 0 ? Effect.succeed(new Uint8Array(0)) : readChunk(fd, abs, size, 0),
    closeFile
  )

/** Linux's `major`/`minor` of a device number. */
const deviceNumbers = (rdev: number) => ({
  devMajor: ((Math.floor(rdev / 2 ** 8)) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff),
  devMinor: (rdev & 0xff) | (Math.floor(rdev / 2 ** 12) & ~0xff)
})

/** A FIFO or device entry (header only; never opened), which `effect/encoding/Tar` writes from a plain header. */
const special = (
  path: string,
  type: "Fifo" | "CharDevice" | "BlockDevice",
  stat: fs.Stats,
  mtime: Date
): Tar.Entry<Error> => ({
  header: {
    path,
    type,
    typeflag: type === "Fifo" ? "6" : type === "CharDevice" ? "3" : "4",
    size: 0,
    mode: stat.mode & 0o7777,
    uid: 0,
    gid: 0,
    uname: "",
    gname: "",
    mtime,
    ...(type === "Fifo" ? {} : deviceNumbers(stat.rdev)),
    pax: {}
  },
  body: Stream.empty
})

/**
 * The tar entry of one listed item, or `undefined` for what docker leaves out (sockets). A regular file of at most
 * one chunk is read here, whole; a larger one is streamed when the encoder reaches it.
 */
const entryOf = (root: string, path: string, stat: fs.Stats): Effect.Effect<Tar.Entry<Error> | undefined, Error> => {
  const mtime = new Date(Math.floor(stat.mtimeMs / 1000) * 1000)
  const options = { mode: stat.mode & 0o7777, mtime }
  const abs = `${root}/${path}`
  if (stat.isFile()) {
    return stat.size <= chunkSize
      ? Effect.map(smallFile(abs, stat.size), (bytes) => Tar.file(path, bytes, options))
      : Effect.succeed(Tar.fileStream(path, stat.size, fileBody(abs, stat.size), options))
  }
  return Effect.try({ try: () => otherEntry(path, abs, stat, options), catch: (cause) => walkError(cause, abs) })
}

/** The tar entry of what is not a regular file. */
const otherEntry = (
  path: string,
  abs: string,
  stat: fs.Stats,
  options: { readonly mode: number; readonly mtime: Date }
): Tar.Entry<Error> | undefined => {
  const mtime = options.mtime
  if (stat.isDirectory()) return Tar.directory(path, options)
  if (stat.isSymbolicLink()) return Tar.symlink(path, fs.readlinkSync(abs), options)
  if (stat.isFIFO()) return special(path, "Fifo", stat, mtime)
  if (stat.isCharacterDevice()) return special(path, "CharDevice", stat, mtime)
  if (stat.isBlockDevice()) return special(path, "BlockDevice", stat, mtime)
  return undefined // a socket
}

/**
 * The context's entries in docker's order (lexical, depth first), listed lazily: one directory's names are read
 * when the walk enters it, one entry is made each time the encoder asks for one. `.dockerignore` exclusions apply;
 * the Dockerfile and `.dockerignore` are always sent; `replace` gives the entry to send instead of a path's own.
 */
const entries = (
  root: string,
  patterns: DockerIgnore.Matcher,
  always: ReadonlySet<string>,
  replace: (path: string, stat: fs.Stats) => Tar.Entry<Error> | undefined
): Stream.Stream<Tar.Entry<Error>, Error> =>
  Stream.fromPull(Effect.sync(() => {
    let stack: Array<Frame> | undefined
    const attempt = <A>(f: () => A, abs: string) => Effect.try({ try: f, catch: (cause) => walkError(cause, abs) })
    /** A directory's names, sorted; `undefined` if it vanished since it was seen. */
    const list = (abs: string) =>
      Effect.try({ try: () => fs.readdirSync(abs).sort(), catch: (cause) => cause }).pipe(
        Effect.catch((cause) =>
          (cause as NodeJS.ErrnoException).code === "ENOENT" && abs !== root
            ? Effect.succeed(undefined)
            : Effect.fail(walkError(cause, abs))
        )
      )
    const next = Effect.gen(function*() {
      if (stack === undefined) stack = [{ rel: "", names: (yield* list(root)) ?? [], index: 0 }]
      while (stack.length > 0) {
        const frame = stack[stack.length - 1]!
        if (frame.index >= frame.names.length) {
          stack.pop()
          continue
        }
        const name = frame.names[frame.index++]!
        const path = frame.rel === "" ? name : `${frame.rel}/${name}`
        const abs = `${root}/${path}`
        // what vanished since its directory was listed is not sent, as docker's tar writer skips it
        const stat = yield* attempt(() => fs.lstatSync(abs, { throwIfNoEntry: false }), abs)
        if (stat === undefined) continue
        // every path is matched (the Dockerfile and `.dockerignore` too), so a pattern docker refuses fails here as
        // it does in docker; those two are then sent whatever the patterns say
        const matched = yield* Effect.fromResult(DockerIgnore.isExcluded(patterns, path))
        const excluded = matched && !always.has(path)
        if (stat.isDirectory()) {
          if (excluded && !DockerIgnore.hasExceptionsBelow(patterns, path)) continue
          const names = yield* list(abs)
          if (names === undefined) continue
          stack.push({ rel: path, names, index: 0 })
        }
        if (excluded) continue
        const entry = replace(path, stat) ?? (yield* entryOf(root, path, stat))
        if (entry !== undefined) return entry
      }
      return undefined
    })
    return Effect.flatMap(next, (entry) => entry === undefined ? Cause.done() : Effect.succeed(Arr.of(entry)))
  }))

/** A Dockerfile from outside the context, sent inside it under a random name (`.dockerfile.<hex>`), as docker does. */
export interface OutsideDockerfile {
  readonly name: string
  readonly content: Uint8Array
}

/**
 * The tar stream of the context directory `root`, whose `.dockerignore` holds `ignore` (as
 * {@link readDockerignore} read it). `dockerfile` is the Dockerfile's path inside the context (always included even
 * if `.dockerignore` excludes it). With `outside`, that Dockerfile is added under its random name and the name is
 * appended to `.dockerignore` (which is created when missing), as docker's `AddDockerfileToBuildContext` does; a
 * `.dockerignore` that is a symbolic link is sent as the link it is (docker fails there with `archive/tar: write too
 * long`), so the daemon does not drop the added Dockerfile from the context.
 *
 * The stream fails with docker's `ValidateContextDirectory` texts (`no permission to read from '…'`, `can't stat
 * '…'`), to be prefixed with `error checking context: `.
 */
export const tar = (
  root: string,
  dockerfile: string,
  ignore: Uint8Array | undefined,
  outside?: OutsideDockerfile
): Stream.Stream<Uint8Array, Error> =>
  Stream.unwrap(Effect.map(Effect.fromResult(DockerIgnore.parse(ignore ?? "")), (patterns) => {
    const always = new Set([GoPath.clean(dockerfile), ".dockerignore"])
    const added: Array<Tar.Entry<Error>> = []
    let replace: (path: string, stat: fs.Stats) => Tar.Entry<Error> | undefined = () => undefined
    if (outside !== undefined) {
      const line = new TextEncoder().encode(`\n${outside.name}\n`)
      if (fs.lstatSync(`${root}/.dockerignore`, { throwIfNoEntry: false }) === undefined) {
        added.push(
          Tar.file(".dockerignore", Bytes.concat([new TextEncoder().encode(".dockerignore"), line]), { mode: 0o600 })
        )
      }
      replace = (path, stat) =>
        path === ".dockerignore" && stat.isFile()
          ? Tar.file(path, Bytes.concat([ignore ?? new Uint8Array(0), line]), {
            mode: stat.mode & 0o7777,
            mtime: new Date(Math.floor(stat.mtimeMs / 1000) * 1000)
          })
          : undefined
      added.push(
        Tar.file(outside.name, outside.content, { mode: 0o600, mtime: new Date(Math.floor(Date.now() / 1000) * 1000) })
      )
    }
    return entries(root, patterns, always, replace).pipe(
      Stream.concat(Stream.fromIterable(added)),
      Stream.pipeThroughChannel(Tar.encode<Error, unknown, Tar.Entry<Error>>()),
      coalesce
    )
  }))

/**
 * The least bytes of a chunk of the context's tar stream but its last: each chunk costs the transport a turn (Bun's
 * fetch ~15 µs of CPU for a chunk of a streamed body), and the encoder gives three for a small file (header, content,
 * padding).
 */
const minChunk = 64 * 1024

/**
 * `stream`'s bytes in chunks of at least {@link minChunk}: small chunks are copied together into a buffer of their
 * own; a large one arriving with nothing held goes on as it is.
 */
const coalesce = <E>(stream: Stream.Stream<Uint8Array, E>): Stream.Stream<Uint8Array, E> =>
  stream.pipe(Stream.mapAccum(
    () => ({ buffer: new Uint8Array(0), size: 0 }),
    (state, chunk) => {
      if (state.size === 0 && chunk.length >= minChunk) return [state, [chunk]]
      const out: Array<Uint8Array> = []
      let rest = chunk
      while (rest.length > 0) {
        if (state.size === 0 && rest.length >= minChunk) {
          out.push(rest)
          break
        }
        if (state.buffer.length === 0) state.buffer = new Uint8Array(minChunk)
        const part = Math.min(rest.length, minChunk - state.size)
        state.buffer.set(rest.subarray(0, part), state.size)
        state.size += part
        rest = rest.subarray(part)
        if (state.size === minChunk) {
          out.push(state.buffer)
          state.buffer = new Uint8Array(0)
          state.size = 0
        }
      }
      return [state, out]
    },
    { onHalt: (state) => state.size === 0 ? [] : [state.buffer.subarray(0, state.size)] }
  ))

// ---------------------------------------------------------------------------------------------------------------
// A context read from a stream (`build -`): an archive as it is, or a lone Dockerfile
// ---------------------------------------------------------------------------------------------------------------

/** How much of a stream docker looks at to tell an archive from a Dockerfile. */
export const peekSize = 1024

/** Whether a tar header block's checksum is right (Go's tar reader accepts the unsigned or the signed sum). */
const validTarHeader = (block: Uint8Array): boolean => {
  if (block.length < 512 || block.subarray(0, 512).every((b) => b === 0)) return false
  const field = new TextDecoder().decode(block.subarray(148, 156)).replace(/[\0 ]+$/, "").trim()
  if (!/^[0-7]+$/.test(field)) return false
  const stored = parseInt(field, 8)
  let unsigned = 0
  let signed = 0
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!
    unsigned += b
    signed += b > 127 ? b - 256 : b
  }
  return stored === unsigned || stored === signed
}

/**
 * docker's `IsArchive` on the first bytes of a stream: gzip, bzip2, xz or zstd magic, or a tar header whose checksum
 * holds.
 */
export const isArchive = (head: Uint8Array): boolean => {
  const starts = (...bytes: ReadonlyArray<number>) => bytes.every((b, i) => head[i] === b)
  return starts(0x1f, 0x8b, 0x08) || starts(0x42, 0x5a, 0x68) || starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00) ||
    starts(0x28, 0xb5, 0x2f, 0xfd) || validTarHeader(head)
}

/**
 * The tar of a context that holds nothing but a Dockerfile (`Dockerfile`, mode 0644, owned by root), as docker
 * builds one from a Dockerfile read on stdin or downloaded.
 */
export const dockerfileOnly = (content: Uint8Array): Stream.Stream<Uint8Array, Error> =>
  Stream.make(Tar.file("Dockerfile", content, { mode: 0o644, mtime: new Date(Math.floor(Date.now() / 1000) * 1000) }))
    .pipe(
      Stream.pipeThroughChannel(Tar.encode<never, unknown, Tar.Entry<Error>>())
    )
