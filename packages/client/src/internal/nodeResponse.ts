/**
 * An `HttpClientResponse` read straight from Node's `IncomingMessage`, without converting it to a Web `Response`
 * (which costs a copy per chunk and makes Node load its fetch implementation at start-up).
 *
 * @internal
 */
import * as Bytes from "effect/Bytes"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Cookies from "effect/http/Cookies"
import * as Headers from "effect/http/Headers"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as HttpIncomingMessage from "effect/http/HttpIncomingMessage"
import type * as UrlParams from "effect/http/UrlParams"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as http from "node:http"
import type { RawMessage } from "./rawGet.ts"
import * as ResponseBody from "./responseBody.ts"

/** Where an answer is read from: Node's `IncomingMessage`, or a {@link RawMessage} read from a plain socket. */
export type Message = http.IncomingMessage | RawMessage

const headersOf = (source: Message): Headers.Headers => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(source.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return Headers.fromInput(out)
}

/**
 * The body of `source`, read with `data` events (lighter than the stream's async iterator, whose code Node compiles
 * on first use), up to `max` bytes: a longer body is cut there and the message destroyed (with its socket), so
 * nothing past `max` is read or kept. A connection that closes before the end fails; interruption destroys the
 * message.
 */
const readAll = (source: Message, max: number): Effect.Effect<Uint8Array<ArrayBuffer>, Error> =>
  Effect.callback<Uint8Array<ArrayBuffer>, Error>((resume) => {
    if (source.readableEnded) return resume(Effect.succeed(new Uint8Array(0)))
    if (source.destroyed) return resume(Effect.fail(source.errored ?? new Error("the answer was already closed")))
    const chunks: Array<Uint8Array> = []
    let size = 0
    const onData = (chunk: Uint8Array) => {
      if (chunk.byteLength < max - size) {
        chunks.push(chunk)
        size += chunk.byteLength
        return
      }
      chunks.push(chunk.subarray(0, max - size))
      cleanup()
      source.destroy()
      resume(Effect.succeed(Bytes.concat(chunks)))
    }
    const onEnd = () => {
      cleanup()
      resume(Effect.succeed(Bytes.concat(chunks)))
    }
    const onError = (error: Error) => {
      cleanup()
      resume(Effect.fail(error))
    }
    const onClose = () => onError(new Error("the connection closed before the end of the answer"))
    const cleanup = () => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onError)
      source.off("close", onClose)
    }
    source.on("data", onData)
    source.on("end", onEnd)
    source.on("error", onError)
    source.on("close", onClose)
    return Effect.sync(() => {
      cleanup()
      source.destroy()
    })
  })

/** How many bytes of an answer may wait to be pulled before the message is paused. */
const highWater = 1024 * 1024

/**
 * The body of `source` as a stream of the chunks Node reads from the socket, each passed on as it came (no joined
 * copies). The chunks of one socket read (an answer in chunked encoding gives two or three per read) are handed on
 * together, once the read is parsed, so that a consumer writes them in one call; the message is paused only when
 * {@link highWater} bytes wait, and resumed when they are taken, so a slow consumer (a file, a pipe) holds back the
 * daemon without the pause and resume of the socket at every chunk. A message that lends its chunks (a
 * {@link RawMessage} read for a consumer that writes them at once) reads again only at the next pull, when the chunks
 * handed on are done with. A connection that closes before the end fails; a consumer that stops early destroys the
 * message, and with it the socket.
 */
const chunksOf = (source: Message): Stream.Stream<Uint8Array, Error> =>
  Stream.suspend(() => {
    // A message that lends its chunks reads again only once the chunks handed on are done with: at the next pull.
    const lends = "lendChunks" in source && source.lendChunks()
    let lent = false
    const queue: Array<Uint8Array> = []
    let ended = source.readableEnded
    let failure: Error | undefined = !ended && source.destroyed
      ? source.errored ?? new Error("the answer was already closed")
      : undefined
    let queued = 0
    let paused = false
    let wake: (() => void) | undefined
    let scheduled = false
    const notify = () => {
      scheduled = false
      const waiting = wake
      wake = undefined
      waiting?.()
    }
    // the consumer runs after the read that woke it is parsed, with all of that read's chunks
    const notifySoon = () => {
      if (scheduled || wake === undefined) return
      scheduled = true
      queueMicrotask(notify)
    }
    const onData = (chunk: Uint8Array) => {
      queue.push(chunk)
      queued += chunk.byteLength
      if (!lends && queued >= highWater && !paused) {
        paused = true
        source.pause()
      }
      notifySoon()
    }
    const onEnd = () => {
      ended = true
      notifySoon()
    }
    const onError = (error: Error) => {
      failure ??= error
      notifySoon()
    }
    const onClose = () => {
      if (!ended) onError(new Error("the connection closed before the end of the answer"))
    }
    const cleanup = Effect.sync(() => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onError)
      source.off("close", onClose)
      if (!ended) source.destroy()
    })
    if (!ended && failure === undefined) {
      source.on("data", onData)
      source.on("end", onEnd)
      source.on("error", onError)
      source.on("close", onClose)
    }
    const pull: Effect.Effect<readonly [Uint8Array, ...Array<Uint8Array>], Error | Cause.Done> = Effect.suspend(() => {
      if (lent) {
        lent = false
        if (!ended && failure === undefined) source.resume()
      }
      if (queue.length > 0) {
        const chunks = queue.splice(0, queue.length) as [Uint8Array, ...Array<Uint8Array>]
        queued = 0
        lent = lends
        if (paused) {
          paused = false
          if (!ended) source.resume()
        }
        return Effect.succeed(chunks)
      }
      if (failure !== undefined) return Effect.fail(failure)
      if (ended) return Cause.done()
      return Effect.andThen(
        Effect.callback<void>((resume) => {
          wake = () => resume(Effect.void)
          return Effect.sync(() => {
            wake = undefined
          })
        }),
        pull
      )
    })
    return Stream.fromPull(Effect.succeed(pull)).pipe(Stream.ensuring(cleanup))
  })

/** A response whose body is `source` (or none, for HEAD, 204 and 304 answers). */
export class NodeHttpClientResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: typeof HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: typeof HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly request: HttpClientRequest.HttpClientRequest
  readonly status: number
  readonly headers: Headers.Headers
  private readonly source: Message
  private readonly hasBody: boolean

  constructor(request: HttpClientRequest.HttpClientRequest, source: Message, hasBody: boolean) {
    super()
    this.request = request
    this.source = source
    this.hasBody = hasBody
    this.status = source.statusCode ?? 500
    this.headers = headersOf(source)
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }

  get url(): string {
    const url = HttpClientRequest.toUrl(this.request)
    return Option.isNone(url) ? "" : url.value.href
  }

  get cookies(): Cookies.Cookies {
    const setCookie = this.source.headers["set-cookie"]
    return Cookies.fromSetCookie(setCookie ?? [])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.fromNullishOr(this.source.socket?.remoteAddress)
  }

  private decodeError(cause: unknown) {
    return ResponseBody.decodeError(this, cause)
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.HttpClientError> {
    if (!this.hasBody) {
      return Stream.fail(
        new HttpClientError.HttpClientError({
          reason: new HttpClientError.EmptyBodyError({
            request: this.request,
            response: this,
            description: "can not create stream from empty body"
          })
        })
      )
    }
    return Stream.mapError(chunksOf(this.source), (cause) => this.decodeError(cause))
  }

  private arrayBufferBody?: Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError>
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError> {
    return this.arrayBufferBody ??= (this.hasBody
      ? Effect.mapError(readAll(this.source, Infinity), (cause) => this.decodeError(cause))
      : Effect.succeed(new Uint8Array(0))).pipe(Effect.map((bytes) => bytes.buffer), Effect.cached, Effect.runSync)
  }

  /**
   * At most the first `max` bytes of the body; a longer body is not read further, and its message and socket are
   * destroyed. Unlike {@link arrayBuffer} it is not cached: the body is read once, by one of them.
   */
  readUpTo(max: number): Effect.Effect<Uint8Array<ArrayBuffer>, HttpClientError.HttpClientError> {
    return this.hasBody
      ? Effect.mapError(readAll(this.source, max), (cause) => this.decodeError(cause))
      : Effect.succeed(new Uint8Array(0))
  }

  get text(): Effect.Effect<string, HttpClientError.HttpClientError> {
    return ResponseBody.text(this)
  }

  get json(): Effect.Effect<Schema.Json, HttpClientError.HttpClientError> {
    return ResponseBody.json(this)
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.HttpClientError> {
    return ResponseBody.urlParams(this)
  }

  get formData(): Effect.Effect<never, HttpClientError.HttpClientError> {
    return Effect.fail(this.decodeError(new Error("the Docker API sends no form data")))
  }

  get upgrade(): Effect.Effect<never, HttpClientError.HttpClientError> {
    return Effect.fail(
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.StatusCodeError({
          request: this.request,
          response: this,
          description: "upgrades are not used"
        })
      })
    )
  }

  pipe() {
    return pipeArguments(this, arguments)
  }
}
