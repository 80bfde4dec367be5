/**
 * Bounded reading of a daemon's answer: at most so many bytes are read, and a body that goes on is dropped with its
 * connection instead of being read to the end. A daemon that never ends a body, or sends a larger one than any real
 * answer, cannot keep the client reading or fill its memory.
 *
 * @internal
 */
import * as Bytes from "effect/Bytes"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as Cookies from "effect/http/Cookies"
import type * as Headers from "effect/http/Headers"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as HttpIncomingMessage from "effect/http/HttpIncomingMessage"
import type * as UrlParams from "effect/http/UrlParams"
import * as Inspectable from "effect/Inspectable"
import type * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { NodeHttpClientResponse } from "./nodeResponse.ts"
import * as ResponseBody from "./responseBody.ts"

/**
 * At most the first `max` bytes of `response`'s body, in a buffer of their own. A longer body is not read further:
 * its connection is dropped (the Node message destroyed, the Web body cancelled), so the daemon cannot keep the
 * client reading.
 */
export const readUpTo = (
  response: HttpClientResponse.HttpClientResponse,
  max: number
): Effect.Effect<Uint8Array<ArrayBuffer>, HttpClientError.HttpClientError> => {
  if (response instanceof NodeHttpClientResponse) return response.readUpTo(max)
  return Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    // Stopping early ends the stream's scope, which cancels the body's reader (Bun, Deno) or returns the iterator.
    return Stream.runForEachWhile(response.stream, (chunk) =>
      Effect.sync(() => {
        const part = chunk.byteLength > max - size ? chunk.subarray(0, max - size) : chunk
        chunks.push(part)
        size += part.byteLength
        return size < max
      })).pipe(
        Effect.catchIf(
          (error) => error.reason._tag === "EmptyBodyError",
          () => Effect.void
        ),
        Effect.map(() => Bytes.concat(chunks))
      )
  })
}

/**
 * Why a whole-body read of an answer stopped: the body is longer than `limit` bytes. It is the `cause` of the
 * `HttpClientError` a {@link limited} response fails with.
 */
export class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{ readonly limit: number }> {
  override get message(): string {
    return `the answer is larger than ${this.limit} bytes`
  }
}

/** Whether a read failed because the body was over its limit, and which limit. */
export const tooLargeLimit = (error: HttpClientError.HttpClientError): number | undefined => {
  const cause = (error.reason as { readonly cause?: unknown }).cause
  return cause instanceof BodyTooLarge ? cause.limit : undefined
}

/**
 * `response`, whose whole-body reads (`arrayBuffer`, `text`, `json`, `urlParamsBody`) take at most `limit` bytes
 * and fail beyond, with a {@link BodyTooLarge} cause, after dropping the connection; nothing past the limit is
 * buffered. Its `stream` is the original one, unbounded: progress streams and image archives are long by nature.
 */
export const limited = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): HttpClientResponse.HttpClientResponse => new LimitedResponse(response, limit)

class LimitedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: typeof HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: typeof HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private readonly inner: HttpClientResponse.HttpClientResponse
  private readonly limit: number

  constructor(inner: HttpClientResponse.HttpClientResponse, limit: number) {
    super()
    this.inner = inner
    this.limit = limit
  }

  get request(): HttpClientRequest.HttpClientRequest {
    return this.inner.request
  }
  get url(): string {
    return this.inner.url
  }
  get status(): number {
    return this.inner.status
  }
  get headers(): Headers.Headers {
    return this.inner.headers
  }
  get cookies(): Cookies.Cookies {
    return this.inner.cookies
  }
  get remoteAddress(): Option.Option<string> {
    return this.inner.remoteAddress
  }
  get stream(): Stream.Stream<Uint8Array, HttpClientError.HttpClientError> {
    return this.inner.stream
  }
  get formData(): Effect.Effect<FormData, HttpClientError.HttpClientError> {
    return this.inner.formData
  }
  get upgrade() {
    return this.inner.upgrade
  }

  private body?: Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError>
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError> {
    // One byte past the limit tells a body of exactly `limit` bytes from a longer one.
    return this.body ??= readUpTo(this.inner, this.limit + 1).pipe(
      Effect.flatMap((bytes) =>
        bytes.byteLength > this.limit
          ? Effect.fail(ResponseBody.decodeError(this, new BodyTooLarge({ limit: this.limit })))
          : Effect.succeed(bytes.buffer)
      ),
      Effect.cached,
      Effect.runSync
    )
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

  toJSON(): unknown {
    return this.inner.toJSON()
  }

  pipe() {
    return pipeArguments(this, arguments)
  }
}
