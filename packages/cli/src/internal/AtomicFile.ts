/**
 * `save -o PATH`'s file: docker's checks of the path, and the write through the client's atomic writer (a temporary
 * file renamed over the target once every byte is written).
 *
 * @internal
 */
import type { DockerError } from "@dockhand/client"
import * as ClientAtomicFile from "@dockhand/client/AtomicFile"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { lstatSync, statSync } from "node:fs"
import { posix } from "node:path"
import * as Failure from "./Failure.ts"
import * as Memory from "./Memory.ts"
import * as RuntimeName from "./RuntimeName.ts"

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
 * Writes a byte stream to `path` as docker's `CopyToFile` does, through the client's {@link ClientAtomicFile.write}:
 * into a new temporary file (`.docker_temp_…`, mode 0600) next to it, renamed over `path` only once every byte is
 * written, so that a failed or interrupted save leaves an existing file alone; the saved file is 0600, replaced or not,
 * as docker's is. `bytes` goes to the client as it is, so that the client may see that it is `Images.save`'s own
 * stream and have the transport write the archive into the file itself (Node for a unix socket or plain TCP, Bun).
 * On Node, V8's optimizing compilers are paused meanwhile ({@link Memory.pauseOptimizing}), until a chunk shows
 * that the bytes do pass through JavaScript (a TLS or ssh endpoint); from there each chunk is counted for
 * {@link Memory.tracker}.
 */
export const writeFile = (path: string, bytes: Stream.Stream<Uint8Array, DockerError.DockerError>) => {
  const options = { operation: "ImageSave", tempPrefix: ".docker_temp_", keepMode: false, lendChunks: true }
  if (RuntimeName.name !== "node") return ClientAtomicFile.write(path, bytes, options)
  return Effect.acquireUseRelease(
    Effect.sync(Memory.pauseOptimizing),
    (resume) => {
      const track = Memory.tracker()
      return ClientAtomicFile.write(path, bytes, {
        ...options,
        observe: (chunk) => {
          resume()
          track(chunk)
        }
      })
    },
    (resume) => Effect.sync(resume)
  )
}
