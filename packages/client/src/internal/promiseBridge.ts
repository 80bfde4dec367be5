/**
 * How `@dockhand/client/promise` turns the Effect services into promises, async iterators and Web streams: every
 * call runs as a fiber of one `ManagedRuntime`, an `AbortSignal` interrupts it and the promise rejects with the
 * signal's reason, and a failure rejects with the `DockerError` itself (never a wrapper).
 *
 * @internal
 */
import type { JsonMessage } from "@dockhand/models"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as ManagedRuntime from "effect/ManagedRuntime"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import * as DockerError from "../DockerError.ts"
import * as Images from "../Images.ts"
import * as Progress from "../Progress.ts"
import * as ProgressDisplay from "../ProgressDisplay.ts"

/** The runtime every call of one client runs on. */
export type Runtime = ManagedRuntime.ManagedRuntime<Images.Images, DockerError.DockerError>

/** What a rejected call rejects with: the signal's reason when it was aborted, else the failure itself. */
const rejection = (cause: Cause.Cause<unknown>, signal: AbortSignal | undefined): unknown =>
  signal?.aborted === true && Cause.hasInterruptsOnly(cause) ? signal.reason : Cause.squash(cause)

/** Runs `effect` on `runtime`; `signal` interrupts it, and the promise then rejects with `signal.reason`. */
export const run = <A>(
  runtime: Runtime,
  effect: Effect.Effect<A, DockerError.DockerError, Images.Images>,
  signal: AbortSignal | undefined
): Promise<A> =>
  runtime.runPromiseExit(effect, { signal }).then((exit) =>
    Exit.isSuccess(exit) ? exit.value : Promise.reject(rejection(exit.cause, signal))
  )

/** Fails with the signal's reason once it is aborted (never, without a signal). */
const aborted = (signal: AbortSignal | undefined): Effect.Effect<never, unknown> =>
  signal === undefined ? Effect.never : Effect.callback<never, unknown>((resume) => {
    const onAbort = () => resume(Effect.fail(signal.reason))
    if (signal.aborted) return onAbort()
    signal.addEventListener("abort", onAbort, { once: true })
    return Effect.sync(() => signal.removeEventListener("abort", onAbort))
  })

/**
 * A Web `ReadableStream` of a stream of `runtime`'s services: it runs when read, stops when cancelled, and errors
 * with the `DockerError` (or the signal's reason once `signal` is aborted).
 */
export const readable = <A>(
  runtime: Runtime,
  stream: Stream.Stream<A, DockerError.DockerError, Images.Images>,
  signal: AbortSignal | undefined
): ReadableStream<A> =>
  Stream.toReadableStream(
    Stream.unwrap(Effect.map(runtime.contextEffect, (context) => Stream.provideContext(stream, context))).pipe(
      Stream.interruptWhen(aborted(signal))
    )
  )

/** What can feed an upload: bytes, a Web `ReadableStream`, a Node `Readable` or any (async) iterable of bytes. */
export type Body = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>

/** A failure of the caller's own stream, as the `SystemError` reason a failed local read is. */
const readError = (operation: string) => (cause: unknown): DockerError.DockerError =>
  DockerError.make(
    new DockerError.SystemError({
      kind: DockerError.systemErrorKind((cause as { readonly code?: string } | undefined)?.code),
      message: cause instanceof Error ? cause.message : String(cause),
      operation,
      syscall: "read",
      cause
    })
  )

/** A {@link Body} as the byte stream the services upload. */
export const bodyStream = (operation: string, body: Body): Stream.Stream<Uint8Array, DockerError.DockerError> => {
  if (body instanceof Uint8Array) return Stream.make(body)
  if (typeof (body as ReadableStream<Uint8Array>).getReader === "function") {
    return Stream.fromReadableStream({
      evaluate: () => body as ReadableStream<Uint8Array>,
      onError: readError(operation)
    })
  }
  if (Symbol.asyncIterator in body) return Stream.fromAsyncIterable(body, readError(operation))
  return Stream.fromIterable(body as Iterable<Uint8Array>)
}

/**
 * A long-running operation for promise users: an async iterable of its messages, the outcome as `done`, and
 * docker's display of it as `render`.
 */
export interface ProgressHandle extends AsyncIterable<JsonMessage.Message> {
  readonly done: Promise<Progress.Outcome>
  readonly render: (options: ProgressDisplay.RenderOptions) => Promise<Progress.Outcome>
}

/** Thrown when a handle is used a second way: each operation runs once. */
const usedTwice = (how: string) =>
  new TypeError(
    `this operation already runs (${how}): iterate its messages (then await done), or await done, or render it, once`
  )

/** What `done` rejects with when the loop over the messages ended early and so stopped the operation. */
const leftEarly = () =>
  new DOMException("the loop over the operation's messages ended early, which stopped the operation", "AbortError")

/**
 * A {@link ProgressHandle} over the operation `operation` makes of the `Images` service. Nothing is sent until the
 * handle is iterated, `done` is awaited or `render` is called; the first of these runs the operation once. Iterating
 * keeps at most a few messages ahead of the loop (the daemon waits for a slow reader); leaving the loop early stops
 * the operation.
 */
export const progressHandle = (
  runtime: Runtime,
  operation: (images: Images.Service) => Progress.Progress,
  signal: AbortSignal | undefined
): ProgressHandle => {
  const withProgress = <A, E>(f: (progress: Progress.Progress) => Effect.Effect<A, E>) =>
    Images.Images.use((images) => f(operation(images)))
  let outcome: Promise<Progress.Outcome> | undefined
  let how = ""
  const started = (promise: Promise<Progress.Outcome>, mode: string) => {
    how = mode
    outcome = promise
    // `done` may never be awaited when the messages are iterated: its rejection is reported by the iterator.
    promise.catch(() => undefined)
    return promise
  }
  const outcomeOnly = () =>
    outcome ?? started(run(runtime, withProgress((progress) => progress.outcome), signal), "awaited done")
  // A promise that starts the operation when awaited (its `then` is the only way to know), as `done` must not run
  // the operation behind a loop that has not started yet.
  const done: Promise<Progress.Outcome> = {
    // oxlint-disable-next-line unicorn/no-thenable
    then: (onFulfilled, onRejected) => outcomeOnly().then(onFulfilled, onRejected),
    catch: (onRejected) => outcomeOnly().catch(onRejected),
    finally: (onFinally) => outcomeOnly().finally(onFinally),
    [Symbol.toStringTag]: "Promise"
  }
  const render = (options: ProgressDisplay.RenderOptions) =>
    outcome !== undefined
      ? Promise.reject(usedTwice(how))
      : started(
        run(runtime, withProgress((progress) => ProgressDisplay.render(progress, options)), signal),
        "rendered"
      )
  const iterate = (): AsyncIterator<JsonMessage.Message> => {
    if (outcome !== undefined) throw usedTwice(how)
    const queue = Effect.runSync(Queue.bounded<JsonMessage.Message, unknown>(16))
    let left = false
    const fiber = runtime.runFork(
      withProgress((progress) => Progress.run(progress, (message) => Queue.offer(queue, message))),
      { signal }
    )
    // Observed from outside: the fiber also fails before its effect starts when the runtime's layer fails.
    const exit = new Promise<Exit.Exit<Progress.Outcome, DockerError.DockerError>>((resolve) =>
      fiber.addObserver((exit) => {
        if (Exit.isSuccess(exit)) Queue.endUnsafe(queue)
        else Queue.failCauseUnsafe(queue, Cause.fail(rejection(exit.cause, signal)))
        resolve(exit)
      })
    )
    started(
      exit.then((exit) =>
        Exit.isSuccess(exit)
          ? exit.value
          : Promise.reject(left && Cause.hasInterruptsOnly(exit.cause) ? leftEarly() : rejection(exit.cause, signal))
      ),
      "iterated"
    )
    const messages = Stream.toAsyncIterable(Stream.fromQueue(queue))[Symbol.asyncIterator]()
    return {
      // Once the signal is aborted, the messages still held are not handed out.
      next: () => signal?.aborted === true ? Promise.reject(signal.reason) : messages.next(),
      return: (value?: unknown) => {
        left = true
        fiber.interruptUnsafe()
        return messages.return === undefined ? Promise.resolve({ done: true, value }) : messages.return(value)
      }
    }
  }
  return { done, render, [Symbol.asyncIterator]: iterate }
}
