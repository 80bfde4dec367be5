/**
 * Synchronous writes of whole buffers into an open file, shared by `AtomicFile.write` and the Node transport's
 * download into a file: a write to a regular file lands in the page cache at once, so waiting on a thread pool for
 * each one would cost more than the write.
 *
 * @internal
 */
import * as fs from "node:fs"

/** Writes every byte of `bytes` at the file's current position, continuing short writes; throws what `write` throws. */
export const writeAll = (fd: number, bytes: Uint8Array): void => {
  for (let offset = 0; offset < bytes.byteLength;) offset += fs.writeSync(fd, bytes, offset)
}
