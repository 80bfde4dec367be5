/**
 * Just enough of ustar to make image fixtures: a header per entry, contents padded to 512 bytes, two zero blocks
 * at the end. Large files are written as a stream of chunks, never held in memory.
 */
import { Readable } from "node:stream"

const BLOCK = 512

const octal = (value: number, width: number): string => value.toString(8).padStart(width - 1, "0") + "\0"

/** A ustar header for a regular file (`type` "0") or a directory ("5"). */
export const header = (name: string, size: number, options: { readonly mode?: number; readonly type?: "0" | "5"; readonly mtime?: number } = {}): Buffer => {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar name too long: ${name}`)
  const h = Buffer.alloc(BLOCK)
  h.write(name, 0, 100, "utf8")
  h.write(octal(options.mode ?? 0o644, 8), 100, 8, "ascii")
  h.write(octal(0, 8), 108, 8, "ascii")
  h.write(octal(0, 8), 116, 8, "ascii")
  h.write(octal(size, 12), 124, 12, "ascii")
  h.write(octal(options.mtime ?? 1_700_000_000, 12), 136, 12, "ascii")
  h.write("        ", 148, 8, "ascii")
  h.write(options.type ?? "0", 156, 1, "ascii")
  h.write("ustar\0", 257, 6, "ascii")
  h.write("00", 263, 2, "ascii")
  let sum = 0
  for (const byte of h) sum += byte
  h.write(octal(sum, 7) + " ", 148, 8, "ascii")
  return h
}

const padding = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK)

/** The two zero blocks that end an archive. */
export const end = (): Buffer => Buffer.alloc(2 * BLOCK)

/** A whole small archive in memory: files given as name → contents. */
export const small = (files: ReadonlyArray<readonly [string, Buffer]>): Buffer =>
  Buffer.concat([...files.flatMap(([name, data]) => [header(name, data.length), data, padding(data.length)]), end()])

/** The exact byte length of {@link bigFile}'s archive. */
export const bigFileLength = (size: number): number => BLOCK + size + padding(size).length + 2 * BLOCK

/**
 * An archive with one file of `size` bytes made of a repeated 1 MiB pseudo-random pattern, produced chunk by chunk
 * as the reader asks (the stream holds at most a few chunks).
 */
export const bigFile = (name: string, size: number): Readable => {
  const chunk = Buffer.alloc(1024 * 1024)
  let x = 0x9e3779b9
  for (let i = 0; i < chunk.length; i += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    chunk.writeUInt32LE(x >>> 0, i)
  }
  function* parts(): Generator<Buffer> {
    yield header(name, size)
    for (let left = size; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left)
    yield padding(size)
    yield end()
  }
  return Readable.from(parts(), { objectMode: false })
}
