/**
 * A write to a Node stream or socket that honours its back-pressure: written at once, and when the stream says it
 * is full, a wait for its `drain` that ends in a failure if the peer closes it first. The one owner of that logic
 * for the BuildKit session (the gRPC sender of `grpcServer.ts` and the agent connection of `sshForward.ts`).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type { EventEmitter } from "node:events"

/** How one write goes: what to check and do, and what to fail with when the stream is or becomes closed. */
export interface Options<E> {
  /** Whether the stream can no longer be written to: the write is not made and `gone` is the failure. */
  readonly closed: () => boolean
  /** Makes the write; `true` when the stream may take more now (nothing to wait for), `false` to wait for `drain`. */
  readonly write: () => boolean
  /** Called once the wait for `drain` is set up (to flush what a cork holds back, which `drain` waits for). */
  readonly waiting?: (() => void) | undefined
  /** The failure when the stream is closed before the write or closes (`close`) while it waits. */
  readonly gone: E
}

/**
 * Writes to `stream` as {@link Options} say: fails with `gone` without writing when it is closed; succeeds at once
 * when the write leaves room; otherwise waits for `drain` (success) or `close` (fails with `gone`), whichever comes
 * first, and removes the other listener.
 */
export const write = <E>(stream: EventEmitter, options: Options<E>): Effect.Effect<void, E> =>
  Effect.callback<void, E>((resume) => {
    if (options.closed()) return resume(Effect.fail(options.gone))
    if (options.write()) return resume(Effect.void)
    const drained = () => {
      stream.off("close", gone)
      resume(Effect.void)
    }
    const gone = () => {
      stream.off("drain", drained)
      resume(Effect.fail(options.gone))
    }
    stream.once("drain", drained)
    stream.once("close", gone)
    options.waiting?.()
  })
