/**
 * The build context the docker CLI sends: the files of a directory as a tar stream, less what `.dockerignore`
 * excludes (the Dockerfile and `.dockerignore` are always sent), owned by root, read lazily so that memory stays
 * flat whatever the context's size.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
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
      const patterns = Result.getOrThrow(DockerIgnore.parse(ignoreText))
      const always = new Set([DockerIgnore.cleanPath(dockerfile), ".dockerignore"])
      const items: Array<Item> = []
      const visit = (rel: string) => {
        const names = readdirSync(rel === "" ? root : `${root}/${rel}`).sort()
        for (const name of names) {
          const path = rel === "" ? name : `${rel}/${name}`
          const stat = lstatSync(`${root}/${path}`)
          const excluded = !always.has(path) && Result.getOrThrow(DockerIgnore.isExcluded(patterns, path))
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
  Stream.make(Tar.file("Dockerfile", content, { mode: 0o644, mtime: new Date(Math.floor(Date.now() / 1000) * 1000) })).pipe(
    Stream.pipeThroughChannel(Tar.encode<never, unknown, Tar.Entry<Error>>())
  )
