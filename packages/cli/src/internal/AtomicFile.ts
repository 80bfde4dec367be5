/**
 * `save -o PATH`'s file: docker's checks of the path, and its atomic writer (a temporary file renamed over the
 * target once every byte is written).
 *
 * @internal
 */
import type { DockerError } from "@dockhand/client"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { randomBytes } from "node:crypto"
import { closeSync, lstatSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs"
import { dirname, join, posix } from "node:path"
import * as Failure from "./Failure.ts"
import * as Memory from "./Memory.ts"

/** Go's `filepath.Dir`: everything before the last slash, cleaned (`a/b/` gives `a/b`, `x.tar` gives `.`). */
const goDir = (path: string): string => {
  const slash = path.lastIndexOf("/")
  if (slash === -1) return "."
  const dir = posix.normalize(path.slice(0, slash + 1))
  return dir === "/" ? dir : dir.replace(/\/+$/, "")
}

/**
 * docker's checks of `save -o PATH`, made before anything is asked of the daemon: the directory of `path` must be
 * one, and `path` itself must be neither a symbolic link (docker refuses to write through one; renaming the
 * temporary file over it would replace the link) nor a directory.
 */
export const validateOutputPath = (path: string) => {
  const refuse = (text: string) => Failure.message(`failed to save image: ${text}`)
  const dir = goDir(path)
  const parent = dir === "." ? Effect.void : Effect.try({
    try: () => statSync(dir),
    catch: (cause) => refuse(`invalid output path: ${Failure.goError(cause)}`)
  }).pipe(
    Effect.flatMap((stat) =>
      stat.isDirectory() ? Effect.void : Effect.fail(refuse(`invalid output path: stat ${dir}: not a directory`))
    )
  )
  const target = Effect.try({
    try: () => lstatSync(path, { throwIfNoEntry: false }),
    catch: (cause) => refuse(Failure.goError(cause))
  }).pipe(Effect.flatMap((stat) =>
    stat?.isSymbolicLink() === true
      ? Effect.fail(refuse("cannot write to a symbolic link directly"))
      : stat?.isDirectory() === true
      ? Effect.fail(refuse("cannot write to a directory"))
      : Effect.void
  ))
  return Effect.andThen(parent, target)
}

/**
 * Writes a byte stream to `path` as docker's `CopyToFile` does: into a new temporary file (mode 0600) next to it,
 * renamed over `path` only once every byte is written, so that a failed save leaves an existing file alone. Each
 * chunk is written before the next is read, synchronously: a write lands in the page cache at once, and handing
 * tens of thousands of chunks to a thread pool and back made `save -o` a third slower than docker's.
 */
export const writeFile = (path: string, bytes: Stream.Stream<Uint8Array, DockerError.DockerError>) => {
  const goFailure = (cause: unknown) => Failure.message(Failure.goError(cause))
  return Effect.acquireUseRelease(
    Effect.try({
      try: () => {
        const temp = join(dirname(path), `.docker_temp_${randomBytes(5).toString("hex")}`)
        return { temp, fd: openSync(temp, "wx", 0o600), closed: false, renamed: false, track: Memory.tracker() }
      },
      catch: goFailure
    }),
    (file) =>
      Stream.runForEach(bytes, (chunk) =>
        Effect.try({
          try: () => {
            for (let offset = 0; offset < chunk.byteLength;) offset += writeSync(file.fd, chunk, offset)
            file.track(chunk.byteLength)
          },
          catch: goFailure
        })).pipe(
          Effect.andThen(Effect.try({
            try: () => {
              closeSync(file.fd)
              file.closed = true
              renameSync(file.temp, path)
              file.renamed = true
            },
            catch: goFailure
          }))
        ),
    // on failure or interruption: the temporary file goes, whatever `path` held stays
    (file) =>
      Effect.sync(() => {
        if (!file.closed) closeSync(file.fd)
        if (!file.renamed) rmSync(file.temp, { force: true })
      })
  )
}
