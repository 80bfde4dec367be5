/**
 * Request building and response reading shared by the services: query parameters the way the Go client writes
 * them, names placed in paths without letting them escape their segment, JSON bodies decoded through
 * `@dockhand/codecs`, and every failure mapped to a `DockerError`.
 *
 * @internal
 */
import type * as BuildkitTrace from "@dockhand/codecs/BuildkitTrace"
import * as JsonMessageStream from "@dockhand/codecs/JsonMessageStream"
import * as WireJson from "@dockhand/codecs/WireJson"
import type { JsonMessage } from "@dockhand/models"
import * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as DockerEngine from "../DockerEngine.ts"
import * as DockerError from "../DockerError.ts"
import * as Body from "./body.ts"

/** A query value: omitted when `undefined`, repeated when a list. */
export type QueryValue = string | number | ReadonlyArray<string> | undefined

/** Appends query parameters in order; lists become repeated keys (`t=a&t=b`), as the daemon reads them. */
export const withQuery = (params: Record<string, QueryValue>) => (request: HttpClientRequest.HttpClientRequest) => {
  let out = request
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue
    if (typeof value === "string" || typeof value === "number") {
      out = HttpClientRequest.appendUrlParam(out, key, String(value))
    } else for (const item of value) out = HttpClientRequest.appendUrlParam(out, key, item)
  }
  return out
}

/** `"1"` when set, left out otherwise: how the Go client sends a boolean that defaults to false. */
export const flag = (value: boolean | undefined): string | undefined => (value === true ? "1" : undefined)

/**
 * A name (image reference, id, container) placed in a path: kept as the Go client sends it (`/`, `:` and `@`
 * stay), with `?`, `#`, `%` and whitespace escaped so that it cannot reach the query. Dot segments (`..`) are
 * refused: URL parsers resolve them (even escaped) and the request would go to another endpoint.
 */
export const pathName = (operation: string, name: string): Effect.Effect<string, DockerError.DockerError> =>
  name.split("/").some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment))
    ? Effect.fail(invalidError(operation, `invalid reference format: ${JSON.stringify(name)}`))
    : Effect.succeed(
      name.split("/").map((segment) => encodeURIComponent(segment).replace(/%3A/gi, ":").replace(/%40/gi, "@")).join(
        "/"
      )
    )

/** Sets a registry-auth header from a redacted value; the value is unwrapped only here, on the way out. */
export const withSecretHeader =
  (name: string, value: Redacted.Redacted<string> | undefined) => (request: HttpClientRequest.HttpClientRequest) =>
    value === undefined ? request : HttpClientRequest.setHeader(request, name, Redacted.value(value))

const decodeError = (call: DockerEngine.Call, cause: unknown, message: string) =>
  DockerError.make(new DockerError.DecodeError({ operation: call.operation, message, cause }))

/**
 * A failed read of an answer: a `DecodeError` naming the limit when the body was longer than the engine's
 * `maxBodySize` (its connection was dropped), a `ConnectionError` when the connection broke.
 */
const readError = (call: DockerEngine.Call, host: string) => (cause: HttpClientError.HttpClientError) => {
  const limit = Body.tooLargeLimit(cause)
  return limit !== undefined
    ? decodeError(
      call,
      cause,
      `${call.operation}: the daemon's answer is larger than ${limit} bytes, the most the client reads of one ` +
        `answer (maxBodySize); it was not read further`
    )
    : connectionError(call, host, cause)
}

const connectionError = (call: DockerEngine.Call, host: string, cause: { message: string }) =>
  DockerError.make(
    new DockerError.ConnectionError({
      host,
      operation: call.operation,
      message: `error reading the daemon's answer: ${cause.message}`,
      cause
    })
  )

/** Decoders by schema: compiling a schema's parser costs more than decoding a small answer, so it happens once. */
const decoders = new WeakMap<object, (input: Uint8Array) => Effect.Effect<unknown, WireJson.WireJsonError>>()
const decoderOf = <S extends Schema.ConstraintDecoder<unknown>>(schema: S) => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = WireJson.decode(schema)
    decoders.set(schema, decoder)
  }
  return decoder as (input: Uint8Array) => Effect.Effect<S["Type"], WireJson.WireJsonError>
}

/** Reads a JSON answer and decodes it with `schema`; a body that does not fit is a `DecodeError`. */
export const json =
  <S extends Schema.ConstraintDecoder<unknown>>(schema: S, call: DockerEngine.Call, host: string) =>
  (response: HttpClientResponse.HttpClientResponse): Effect.Effect<S["Type"], DockerError.DockerError> =>
    response.arrayBuffer.pipe(
      Effect.mapError(readError(call, host)),
      Effect.flatMap((body) =>
        decoderOf(schema)(new Uint8Array(body)).pipe(
          Effect.mapError((error) => decodeError(call, error, `${call.operation}: ${error.message}`))
        )
      )
    )

/** Reads a JSON answer as the daemon wrote it, after checking that it is JSON. */
export const text =
  (call: DockerEngine.Call, host: string) =>
  (response: HttpClientResponse.HttpClientResponse): Effect.Effect<string, DockerError.DockerError> =>
    response.text.pipe(
      Effect.mapError(readError(call, host)),
      Effect.tap((body) => {
        const parsed = WireJson.parse(body)
        return Result.isFailure(parsed)
          ? Effect.fail(decodeError(call, parsed.failure, `${call.operation}: ${parsed.failure.message}`))
          : Effect.void
      })
    )

/** The answer's bytes as a stream; a broken connection is a `ConnectionError`. */
export const bytes =
  (call: DockerEngine.Call, host: string) =>
  (response: HttpClientResponse.HttpClientResponse): Stream.Stream<Uint8Array, DockerError.DockerError> =>
    Stream.mapError(response.stream, readError(call, host))

/** The errors of a decoded progress stream as `DockerError`s; `failed` names a BuildKit build's failed step. */
const messageError = (call: DockerEngine.Call, failed?: () => BuildkitTrace.Failure | undefined) =>
(
  error: JsonMessageStream.JsonStreamError | JsonMessageStream.InBandError | DockerError.DockerError
): DockerError.DockerError => {
  if (error._tag === "JsonStreamError") return decodeError(call, error, `${call.operation}: ${error.message}`)
  if (error._tag === "InBandError") {
    const step = failed?.()
    return DockerError.make(
      new DockerError.StreamError({
        message: error.message,
        code: error.code,
        operation: call.operation,
        reference: call.reference,
        ...(step === undefined ? {} : { vertex: step.vertex, logs: step.logs })
      })
    )
  }
  return error
}

/** The answer as progress messages, failing with a `StreamError` at an in-band error. */
export const messages =
  (call: DockerEngine.Call, host: string) =>
  (response: HttpClientResponse.HttpClientResponse): Stream.Stream<JsonMessage.Message, DockerError.DockerError> =>
    bytes(call, host)(response).pipe(JsonMessageStream.decodeOrFail(), Stream.mapError(messageError(call)))

/**
 * A BuildKit build's answer as progress messages: as {@link messages}, and the `StreamError` of a failed build names
 * the step that failed and carries its last lines of output, read from the `moby.buildkit.trace` lines.
 *
 * BuildKit's trace decoder is loaded here, on the first build: it evaluates BuildKit's protobuf descriptors, a fifth
 * of the module evaluation of every program that imports the client (measured on `dockhand image ls`).
 */
export const buildkitMessages =
  (call: DockerEngine.Call, host: string) =>
  (response: HttpClientResponse.HttpClientResponse): Stream.Stream<JsonMessage.Message, DockerError.DockerError> =>
    Stream.unwrap(Effect.map(
      Effect.promise(() => import("@dockhand/codecs/BuildkitTrace")),
      (BuildkitTrace) => buildkitStream(BuildkitTrace, call, host, response)
    ))

const buildkitStream = (
  BuildkitTrace: typeof import("@dockhand/codecs/BuildkitTrace"),
  call: DockerEngine.Call,
  host: string,
  response: HttpClientResponse.HttpClientResponse
): Stream.Stream<JsonMessage.Message, DockerError.DockerError> =>
  Stream.suspend(() => {
    const tracker = BuildkitTrace.makeTracker()
    const follow = (message: JsonMessage.Message) =>
      Effect.sync(() => {
        const trace = BuildkitTrace.fromMessage(message)
        // a trace that cannot be read is left to the caller's decoding: the build's own result is what counts
        if (Result.isSuccess(trace) && Option.isSome(trace.success)) tracker.add(trace.success.value)
      })
    return bytes(call, host)(response).pipe(
      JsonMessageStream.decode(),
      Stream.tap(follow),
      JsonMessageStream.failOnError,
      Stream.mapError(messageError(call, () => Option.getOrUndefined(tracker.failure())))
    )
  })

/**
 * Runs progress messages to the end and sums them up. The `Images` calls' messages come from {@link messages}, the
 * place an in-band error becomes a `DockerError` with its operation and reference, so `collect` finds none there.
 * A stream handed to `Progress.make` by a caller may still hold one: it fails as a `StreamError` reason too (with no
 * operation), never as a defect.
 */
export const outcome = <E, R>(
  stream: Stream.Stream<JsonMessage.Message, E, R>
): Effect.Effect<JsonMessageStream.Outcome, E | DockerError.DockerError, R> =>
  JsonMessageStream.collect(stream).pipe(
    Effect.mapError((error): E | DockerError.DockerError =>
      error instanceof JsonMessageStream.InBandError
        ? DockerError.make(new DockerError.StreamError({ message: error.message, code: error.code, operation: "" }))
        : error as E
    )
  )

/** Fails with an `InvalidArgument` before any traffic. */
export const invalid = (operation: string, message: string) =>
  Effect.fail(DockerError.make(new DockerError.InvalidArgument({ operation, message })))

/** The `InvalidArgument` error itself, for `mapError`. */
export const invalidError = (operation: string, message: string) =>
  DockerError.make(new DockerError.InvalidArgument({ operation, message }))
