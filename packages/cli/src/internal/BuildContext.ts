/**
 * The build context the docker CLI sends: the files of a directory as a tar stream, less what `.dockerignore`
 * excludes (the Dockerfile and `.dockerignore` are always sent), owned by root, read lazily so that memory stays
 * flat whatever the context's size.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Tar from "effect/encoding/Tar"
import { createReadStream, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs"
import * as DockerIgnore from "./DockerIgnore.ts"

/** A file or directory of the context, relative to its root. */
interface Item {
  readonly path: string
  readonly kind: "file" | "dir" | "symlink"
  readonly size: number
  readonly mode: number
  readonly mtime: Date
}

/** Lists the context's files in lexical order, skipping what `.dockerignore` excludes. */
const readIgnoreFile = (root: string) =>
  Effect.try(() => readFileSync(`${root}/.dockerignore`, "utf8")).pipe(Effect.orElseSucceed(() => ""))

const walk = (root: string, dockerfile: string): Effect.Effect<ReadonlyArray<Item>, Error> =>
  Effect.flatMap(readIgnoreFile(root), (ignoreText) => Effect.try({
    try: () => {
      const patterns = DockerIgnore.parse(ignoreText)
      const always = new Set([DockerIgnore.cleanPath(dockerfile), ".dockerignore"])
      const items: Array<Item> = []
      const visit = (rel: string) => {
        const names = readdirSync(rel === "" ? root : `${root}/${rel}`).sort()
        for (const name of names) {
          const path = rel === "" ? name : `${rel}/${name}`
          const stat = lstatSync(`${root}/${path}`)
          const excluded = !always.has(path) && DockerIgnore.isExcluded(patterns, path)
          if (stat.isDirectory()) {
            if (excluded && !DockerIgnore.hasExceptionsBelow(patterns, path)) continue
            if (!excluded) items.push({ path, kind: "dir", size: 0, mode: stat.mode & 0o7777, mtime: stat.mtime })
            visit(path)
          } else if (!excluded) {
            items.push({
              path,
              kind: stat.isSymbolicLink() ? "symlink" : "file",
              size: stat.isSymbolicLink() ? 0 : stat.size,
              mode: stat.mode & 0o7777,
              mtime: stat.mtime
            })
          }
        }
      }
      visit("")
      return items
    },
    catch: (cause) => (cause instanceof Error ? cause : new Error(String(cause)))
  }))

const fileBytes = (path: string): Stream.Stream<Uint8Array, Error> =>
  Stream.fromAsyncIterable(createReadStream(path) as AsyncIterable<Uint8Array>, (cause) =>
    cause instanceof Error ? cause : new Error(String(cause)))

/** A Dockerfile from outside the context, sent inside it under a random name (`.dockerfile.<hex>`), as docker does. */
export interface OutsideDockerfile {
  readonly name: string
  readonly content: Uint8Array
}

/**
 * The tar stream of the context directory `root`. `dockerfile` is the Dockerfile's path inside the context
 * (always included even if `.dockerignore` excludes it). With `outside`, that Dockerfile is added under its random
 * name and the name is appended to `.dockerignore` (which is created when missing), as docker's
 * `AddDockerfileToBuildContext` does.
 */
export const tar = (root: string, dockerfile: string, outside?: OutsideDockerfile): Stream.Stream<Uint8Array, Error> =>
  Stream.unwrap(Effect.map(walk(root, dockerfile), (items) => {
    const added: Array<Tar.Entry<Error>> = []
    if (outside !== undefined) {
      const ignore = `\n${outside.name}\n`
      if (!items.some((item) => item.path === ".dockerignore")) {
        added.push(Tar.file(".dockerignore", `.dockerignore${ignore}`, { mode: 0o600 }))
      }
      added.push(Tar.file(outside.name, outside.content, { mode: 0o600, mtime: new Date(Math.floor(Date.now() / 1000) * 1000) }))
    }
    return Stream.fromIterable(items).pipe(
      Stream.map((item): Tar.Entry<Error> => {
        const options = { mode: item.mode, mtime: new Date(Math.floor(item.mtime.getTime() / 1000) * 1000) }
        if (outside !== undefined && item.path === ".dockerignore") {
          const text = `${readFileSync(`${root}/.dockerignore`, "utf8")}\n${outside.name}\n`
          return Tar.file(item.path, text, options)
        }
        switch (item.kind) {
          case "dir":
            return Tar.directory(item.path, options)
          case "symlink":
            return Tar.symlink(item.path, readlinkSync(`${root}/${item.path}`), options)
          case "file":
            return Tar.fileStream(item.path, item.size, fileBytes(`${root}/${item.path}`), options)
        }
      }),
      Stream.concat(Stream.fromIterable(added)),
      Stream.pipeThroughChannel(Tar.encode<never, unknown, Tar.Entry<Error>>())
    )
  }))
