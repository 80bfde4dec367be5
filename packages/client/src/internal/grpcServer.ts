/**
 * A small gRPC server over one connection, for a BuildKit session: `node:http2`'s server is handed the daemon's
 * upgraded socket (`emit("connection")`, as the daemon speaks h2c with prior knowledge), each call runs as a fiber
 * of the session's scope, and closing the scope destroys the HTTP/2 session and the socket.
 *
 * @internal
 */
import * as BuildkitSession from "@dockhand/codecs/BuildkitSession"
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import * as Queue from "effect/Queue"
import * as Result from "effect/Result"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Http2 from "node:http2"
import type { Duplex } from "node:stream"
import * as DrainWrite from "./drainWrite.ts"

/** A call's end other than OK: a gRPC status code and its message (never holding a secret). */
export class GrpcStatus extends Data.TaggedError("GrpcStatus")<{ readonly code: number; readonly message: string }> {}

/** gRPC status codes used here. */
export const code = { cancelled: 1, unknown: 2, invalidArgument: 3, notFound: 5, unimplemented: 12, internal: 13 }

/** One incoming call: its metadata (each header as sent, in order), its messages, and a way to answer. */
export interface Call {
  readonly metadata: ReadonlyArray<readonly [string, string]>
  readonly messages: Stream.Stream<Uint8Array, GrpcStatus>
  /** Sends one message; waits while HTTP/2 flow control holds the stream back. */
  readonly send: (message: Uint8Array) => Effect.Effect<void, GrpcStatus>
  /**
   * Sends one message already framed (its 5-byte prefix included), as `send` does; `written` is called once its
   * bytes are written out (or the stream failed), after which its buffer may be used again.
   */
  readonly sendFramed: (framed: Uint8Array, written?: () => void) => Effect.Effect<void, GrpcStatus>
}

/** A method's implementation. */
export type Handler = (call: Call) => Effect.Effect<void, GrpcStatus>

/** The most bytes of one incoming message (the daemon sends requests and small packets). */
const maxMessage = 4 << 20

const cancelled = new GrpcStatus({ code: code.cancelled, message: "the call was cancelled" })

const incoming = (stream: Http2.ServerHttp2Stream): Stream.Stream<Uint8Array, GrpcStatus> =>
  Stream.callback<Uint8Array, GrpcStatus>((queue) =>
    Effect.sync(() => {
      const deframe = BuildkitSession.makeDeframer(maxMessage)
      stream.on("data", (chunk: Uint8Array) => {
        const messages = deframe(chunk)
        if (Result.isFailure(messages)) {
          Queue.failCauseUnsafe(queue, Cause.fail(new GrpcStatus({ code: code.internal, message: messages.failure })))
          return
        }
        for (const message of messages.success) Queue.offerUnsafe(queue, message)
      })
      stream.on("end", () => Queue.endUnsafe(queue))
      stream.on("close", () => Queue.failCauseUnsafe(queue, Cause.fail(cancelled)))
    })
  )

/**
 * The bytes a stream may hold unsent before a send waits for them to drain: several file chunks in flight, so that
 * a send rarely waits a turn of the event loop, and memory stays bounded.
 */
const maxBuffered = 256 * 1024

/**
 * A stream's sender of framed messages. The writes of one turn of the event loop are corked and go out together (one
 * `writev`: many small STAT packets share HTTP/2 DATA frames); a send waits for `drain` only once `maxBuffered`
 * bytes are queued.
 */
const sender = (stream: Http2.ServerHttp2Stream) => {
  let corked = false
  const uncork = () => {
    corked = false
    stream.uncork()
  }
  return (framed: Uint8Array, written?: () => void): Effect.Effect<void, GrpcStatus> =>
    DrainWrite.write(stream, {
      closed: () => stream.destroyed || stream.closed,
      write: () => {
        if (!corked) {
          corked = true
          stream.cork()
          process.nextTick(uncork)
        }
        const ready = written === undefined ? stream.write(framed) : stream.write(framed, () => written())
        return ready || stream.writableLength < maxBuffered
      },
      // what is corked is written out now, or `drain` would wait for it
      waiting: () => {
        if (corked) uncork()
      },
      gone: cancelled
    })
}

/** Pairs the flat `[name, value, name, value, …]` list node:http2 gives. */
const pairs = (raw: ReadonlyArray<string>): ReadonlyArray<readonly [string, string]> => {
  const out: Array<readonly [string, string]> = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!.toLowerCase(), raw[i + 1]!])
  return out
}

/** Runs one call and ends its stream with the handler's status in the trailers. */
const handle = (
  handlers: ReadonlyMap<string, Handler>,
  stream: Http2.ServerHttp2Stream,
  path: string,
  raw: ReadonlyArray<string>
): Effect.Effect<void> => {
  const handler = handlers.get(path)
  const finish = (status: number, message: string) =>
    Effect.sync(() => {
      if (stream.destroyed || stream.closed) return
      stream.once("wantTrailers", () => {
        stream.sendTrailers(
          status === 0 ? { "grpc-status": "0" } : { "grpc-status": String(status), "grpc-message": encodeURI(message) }
        )
      })
      stream.end()
    })
  return Effect.sync(() => {
    stream.on("error", () => {})
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true })
  }).pipe(
    Effect.andThen(
      handler === undefined
        ? Effect.fail(new GrpcStatus({ code: code.unimplemented, message: `unknown method ${path}` }))
        : Effect.suspend(() => {
          const sendFramed = sender(stream)
          return handler({
            metadata: pairs(raw),
            messages: incoming(stream),
            send: (message) => sendFramed(BuildkitSession.frame(message)),
            sendFramed
          })
        })
    ),
    Effect.exit,
    Effect.flatMap((exit) => {
      if (Exit.isSuccess(exit)) return finish(0, "")
      const failure = exit.cause.reasons.find(Cause.isFailReason)
      if (failure !== undefined) return finish(failure.error.code, failure.error.message)
      return Cause.hasInterruptsOnly(exit.cause)
        ? Effect.sync(() => stream.close())
        : finish(code.internal, "internal error")
    })
  )
}

/**
 * Serves `handlers` (by method path, `/package.Service/Method`) on `socket` until the scope closes, which destroys
 * the HTTP/2 session and the socket and interrupts the calls still running.
 */
export const serve = (
  socket: Duplex,
  handlers: ReadonlyMap<string, Handler>
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const run = yield* FiberSet.makeRuntime<never, void, never>()
    const http2 = process.getBuiltinModule("node:http2")
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        const server = http2.createServer()
        const sessions = new Set<Http2.ServerHttp2Session>()
        server.on("session", (session) => {
          sessions.add(session)
          session.on("error", () => {})
        })
        server.on("stream", (stream, headers, _flags, raw) => {
          run(handle(handlers, stream, String(headers[":path"] ?? ""), raw as unknown as ReadonlyArray<string>))
        })
        socket.on("error", () => {})
        server.emit("connection", socket)
        return sessions
      }),
      (sessions) =>
        Effect.sync(() => {
          for (const session of sessions) session.destroy()
          socket.destroy()
        })
    )
  })
