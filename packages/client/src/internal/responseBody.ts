/**
 * The whole-body readers every response of ours shares (`text`, `json`, `urlParamsBody`), built on its
 * `arrayBuffer`, and the decode error they fail with: written once for the Node response and the bounded one.
 *
 * @internal
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import * as Effect from "effect/Effect"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as UrlParams from "effect/http/UrlParams"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"

/** The `HttpClientError` a read of `response`'s body fails with, for `cause`. */
export const decodeError = (
  response: HttpClientResponse.HttpClientResponse,
  cause: unknown
): HttpClientError.HttpClientError =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.DecodeError({ request: response.request, response, cause })
  })

/** `response`'s body as UTF-8 text. */
export const text = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<string, HttpClientError.HttpClientError> =>
  Effect.map(response.arrayBuffer, (bytes) => new TextDecoder().decode(bytes))

/**
 * `response`'s body as JSON, parsed by @dockhand/codecs (never a bare `JSON.parse` of daemon bytes); an empty body
 * is `null`.
 */
export const json = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<Schema.Json, HttpClientError.HttpClientError> =>
  Effect.flatMap(response.text, (body) => {
    if (body === "") return Effect.succeed(null)
    const parsed = WireJson.parse(body)
    return Result.isSuccess(parsed)
      ? Effect.succeed(parsed.success as Schema.Json)
      : Effect.fail(decodeError(response, parsed.failure))
  })

/** `response`'s body as URL-encoded parameters. */
export const urlParams = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<UrlParams.UrlParams, HttpClientError.HttpClientError> =>
  Effect.map(response.text, (body) => UrlParams.fromInput(new URLSearchParams(body)))
