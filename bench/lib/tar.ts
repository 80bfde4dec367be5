/**
 * The archives the image fixtures need, written by `effect/encoding/Tar` (the encoder the CLI uses for build
 * contexts): a small archive held in memory, and one big file streamed chunk by chunk as the reader asks.
 */
import * as Bytes from "effect/Bytes"
import * as Effect from "effect/Effect"
import * as Tar from "effect/encoding/Tar"
import * as Stream from "effect/Stream"
import { Readable } from "node:stream"
import type { ReadableStream } from "node:stream/web"

const BLOCK = 512

/** A fixed mtime, so that the same contents make the same archive (and layer digest) in every run. */
const mtime = new Date(1_700_000_000_000)

const archive = <E>(entries: ReadonlyArray<Tar.Entry<E>>): Stream.Stream<Uint8Array, E | Tar.TarError> =>
  Stream.fromIterable(entries).pipe(Stream.pipeThroughChannel(Tar.encode<never, unknown, Tar.Entry<E>>()))

/** A whole small archive in memory: files given as name → contents. */
export const small = (files: ReadonlyArray<readonly [string, Buffer]>): Buffer =>
  Buffer.from(Effect.runSync(
    Stream.runCollect(archive(files.map(([name, data]) => Tar.file(name, data, { mode: 0o644, mtime })))).pipe(
      Effect.map(Bytes.concat)
    )
  ))

/** The exact byte length of {@link bigFile}'s archive: a header, the contents padded to a block, two end blocks. */
export const bigFileLength = (size: number): number => BLOCK + Math.ceil(size / BLOCK) * BLOCK + 2 * BLOCK

/**
 * An archive with one file of `size` bytes made of a repeated 1 MiB pseudo-random pattern, produced chunk by chunk
 * as the reader asks (the stream holds at most a few chunks).
 */
export const bigFile = (name: string, size: number): Readable => {
  const chunk = new Uint8Array(1024 * 1024)
  const words = new DataView(chunk.buffer)
  let x = 0x9e3779b9
  for (let i = 0; i < chunk.length; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    words.setUint32(i, x >>> 0, true)
  }
  const contents = Stream.unfold(
    size,
    (left) =>
      Effect.succeed(
        left <= 0 ? undefined : [left >= chunk.length ? chunk : chunk.subarray(0, left), left - chunk.length] as const
      )
  )
  const tar = archive([Tar.fileStream(name, size, contents, { mode: 0o644, mtime })])
  return Readable.fromWeb(Stream.toReadableStream(tar) as unknown as ReadableStream<Uint8Array>)
}
