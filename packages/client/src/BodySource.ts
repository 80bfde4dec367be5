/**
 * An agreement between the source of a request body (the stream given to `Images.load`, `Images.build`, …) and the
 * transport that sends it, so that a large upload can be read into two buffers in turn instead of a new buffer for
 * each chunk. Fresh buffers cost the kernel's page faults on every read and leave garbage behind: for a 512 MiB
 * `load`, about twice the CPU of reused ones.
 *
 * The Node transport offers {@link InTurn} to the stream of a body it sends. A source that accepts calls
 * {@link InTurn.accept} before it hands on its first chunk; the transport then pulls each chunk only once it has
 * written every chunk but the one before. The source may therefore read chunk N+1 into the buffer of chunk N-1. A
 * source that does not accept is sent as before (each chunk written as soon as the socket takes more), so many small
 * chunks (a build context) never wait for each write. `fetch`-based transports (Bun, Deno) make no offer: `fetch`
 * keeps pulled chunks for as long as it likes.
 *
 * A body can also be marked as the contents of a file ({@link withFile}). The Bun transport then sends the file
 * itself, with no JavaScript in the copy: Bun's `fetch` takes `Bun.file(path)`, and the kernel copies it to the
 * socket. For a 512 MiB `load` that took 0.6 s of wall time and no user CPU, where streaming it took 1.0–1.25 s.
 *
 * The offer holds only for a source that gives one chunk for each pull (a stream's pull may give many, and a stage
 * such as `Stream.map` handles them all at once) and reaches the transport through stages that do not read ahead
 * (`Stream.map`, `Stream.mapError`). `Stream.buffer`, `Stream.rechunk` and the like pull ahead of the transport, so
 * a source behind them must not accept.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Stream from "effect/Stream"
import * as BodyFile from "./internal/bodyFile.ts"

/**
 * A transport's offer to a body's source to reuse buffers.
 *
 * @category models
 * @since 0.1.0
 */
export interface InTurn {
  /**
   * Accepts the offer. Called before the first chunk is handed on, it makes the transport finish writing chunk N
   * before it pulls chunk N+2.
   */
  readonly accept: () => void
}

/**
 * The offer of the transport that runs the body's stream, read by the source when its stream starts; `undefined`
 * when the transport makes none (the default).
 *
 * @category references
 * @since 0.1.0
 */
export const InTurn: Context.Reference<InTurn | undefined> = Context.Reference<InTurn | undefined>(
  "@dockhand/client/BodySource/InTurn",
  { defaultValue: () => undefined }
)

/**
 * `stream`, marked as giving exactly the bytes of the regular file at `path`. A transport that can send a file
 * itself (Bun's) sends the file and never runs the stream; the others run the stream. The file must not change
 * while it is sent, and a failure to read it is then the transport's error, not the stream's.
 *
 * @category constructors
 * @since 0.1.0
 */
export const withFile = <E, R>(
  stream: Stream.Stream<Uint8Array, E, R>,
  path: string
): Stream.Stream<Uint8Array, E, R> => {
  const marked = Stream.suspend(() => stream)
  BodyFile.mark(marked, path)
  return marked
}
