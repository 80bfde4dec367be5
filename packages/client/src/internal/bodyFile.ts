/**
 * Which request body streams are the contents of a regular file (`BodySource.withFile`), for a transport that can
 * send the file itself: Bun's, whose `fetch` takes `Bun.file(path)` and has the kernel copy it to the socket.
 *
 * @internal
 */
import type * as Stream from "effect/Stream"

const files = new WeakMap<object, string>()

/** Records that `stream` gives exactly the bytes of the regular file at `path`. */
export const mark = (stream: Stream.Stream<Uint8Array, unknown, unknown>, path: string): void => {
  files.set(stream, path)
}

/** The path of the regular file whose bytes `stream` gives, if it was marked. */
export const pathOf = (stream: Stream.Stream<Uint8Array, unknown, unknown>): string | undefined => files.get(stream)
