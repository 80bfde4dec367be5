/**
 * Downloads written into their file by the transport itself. `Images.save` marks the stream it returns; when
 * `AtomicFile.write` is given that very stream (no stage in between that could change its bytes), it provides its
 * temporary file as {@link WriteInto} while it runs it. `Images.save` passes it on to the one request that fetches the
 * archive. Bun's transport then has Bun write the answer's body into the file (`Bun.write`), and Node's writes each
 * read of the socket into it as the read comes (`rawGet.ts`): no chunk goes through a stream. Either gives an empty
 * stream that ends once every byte is written ({@link drained}). Other transports, and other endpoints (TLS, ssh),
 * ignore it and stream the answer as usual.
 *
 * @internal
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"

/**
 * The file a download is written into: its descriptor, and the error of a write into it that stopped the download,
 * which the transport that wrote leaves here so that `AtomicFile.write` reports it as a failed write of its file
 * (`write PATH: no space left on device`) rather than as a failed answer.
 */
export interface Target {
  readonly fd: number
  writeError: unknown
}

/** The file that the body of the request being made is to be written into; `undefined` if none. */
export const WriteInto = Context.Reference<Target | undefined>("@dockhand/client/WriteInto", {
  defaultValue: () => undefined
})

const downloads = new WeakSet<object>()

/** Marks `stream` as a download whose bytes are a daemon's answer, unchanged: see the module's description. */
export const mark = <A extends object>(stream: A): A => {
  downloads.add(stream)
  return stream
}

/** Whether `stream` is a download marked by {@link mark} (the same object, not a stream made from it). */
export const isMarked = (stream: object): boolean => downloads.has(stream)

/**
 * `response` with a body that `write` puts into the file: its stream runs `write` and ends without a chunk. Every
 * other part of the response (status, headers, and the reads of an error's body) is `response`'s.
 */
export const drained = (
  response: HttpClientResponse.HttpClientResponse,
  write: Effect.Effect<void, HttpClientError.HttpClientError>
): HttpClientResponse.HttpClientResponse =>
  Object.create(response, { stream: { get: () => Stream.fromEffectDrain(write) } })
