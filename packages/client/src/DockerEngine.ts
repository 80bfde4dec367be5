/**
 * The connection to one Docker-compatible engine: where it is, which API version to speak (negotiated lazily, once,
 * from `/_ping`), and how a request goes out and how a failed answer becomes a {@link DockerError.DockerError}.
 * Every service of the package is built on it.
 *
 * @since 0.1.0
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import { Common } from "@dockhand/models"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Semaphore from "effect/Semaphore"
import * as ApiVersion from "./ApiVersion.ts"
import * as Constants from "./Constants.ts"
import * as DockerError from "./DockerError.ts"
import * as DockerHost from "./DockerHost.ts"
import * as Body from "./internal/body.ts"

/**
 * What `/_ping` says about the daemon (all from its headers).
 *
 * @category models
 * @since 0.1.0
 */
export interface PingResult {
  /** The daemon's maximum API version (`Api-Version`), `major.minor`. */
  readonly apiVersion: string | undefined
  /** `linux` or `windows` (`Ostype`). */
  readonly osType: string | undefined
  /** Whether experimental features are on (`Docker-Experimental`). */
  readonly experimental: boolean
  /** `1` (classic) or `2` (BuildKit), the daemon's default builder (`Builder-Version`). */
  readonly builderVersion: string | undefined
  /** The swarm state, e.g. `inactive` or `active/manager` (`Swarm`, API 1.42). */
  readonly swarm: string | undefined
}

/**
 * How to reach the engine: the endpoint, and optionally a fixed API version (as `DOCKER_API_VERSION` sets), which
 * turns negotiation off.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly endpoint: DockerHost.Endpoint
  readonly apiVersion?: string | undefined
  readonly userAgent?: string | undefined
  /**
   * The most bytes of one non-streaming answer (list, inspect, history, df, version, …) the client reads:
   * {@link defaultMaxBodySize} (256 MiB) by default. A longer answer fails with a `DecodeError` naming the limit,
   * and its connection is dropped, without buffering past the limit. Streams (pull, push, load, save, build) are
   * not bound by it.
   */
  readonly maxBodySize?: number | undefined
}

/**
 * The default of {@link Options.maxBodySize}: 256 MiB. The largest real answers, `image ls` and `system df` of
 * tens of thousands of images, take tens of MiB; the docker CLI has no limit and reads such an answer forever.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultMaxBodySize = 256 * 1024 * 1024

/**
 * The most bytes of an error answer that are read, as the Go client reads: 1 MiB. A longer one is cut there, its
 * connection dropped, and the call fails with docker's `request returned … with a message (> 1048576 bytes) …`.
 *
 * @category constants
 * @since 0.1.0
 */
export const maxErrorBodySize = 1 << 20

/**
 * What a request is about, for error messages.
 *
 * @category models
 * @since 0.1.0
 */
export interface Call {
  /** The swagger operationId, e.g. `ImageList`. */
  readonly operation: string
  /** The image reference, when the call is about one. */
  readonly reference?: string | undefined
}

/**
 * The engine connection.
 *
 * @category models
 * @since 0.1.0
 */
export interface Service {
  /** Where the engine is, as a host string (`unix:///var/run/docker.sock`). */
  readonly host: string
  /** The API version requests use: negotiated on first use, then kept; a failed ping is retried next time. */
  readonly apiVersion: Effect.Effect<string, DockerError.DockerError>
  /** Pings the daemon (`HEAD /_ping`, then `GET /_ping` if that fails). */
  readonly ping: Effect.Effect<PingResult, DockerError.DockerError>
  /**
   * Sends `request` (whose URL is a path such as `/images/json`) under `/v{version}/`, and fails with a
   * {@link DockerError.DockerError} for a non-2xx answer (of whose body at most 1 MiB is read) or a transport
   * failure. The response body is not read; its whole-body reads (`arrayBuffer`, `text`, `json`) stop at
   * {@link Options.maxBodySize} with a `DecodeError`, its `stream` is unbounded.
   */
  readonly execute: (
    call: Call,
    request: HttpClientRequest.HttpClientRequest
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, DockerError.DockerError>
}

/**
 * The engine connection service.
 *
 * @category services
 * @since 0.1.0
 */
export class DockerEngine extends Context.Service<DockerEngine, Service>()("@dockhand/client/DockerEngine") {}

/**
 * Headers whose values never appear in spans or logs: Effect's defaults plus the registry credentials headers.
 */
const redactedHeaders: ReadonlyArray<string> = [
  "authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-registry-auth",
  "x-registry-config"
]

/** The most bytes of a `GET /_ping` answer that are read before the connection is dropped (as the Go client drains). */
const maxPingBody = 512

/**
 * The reason phrases of the statuses a daemon answers with, for docker's
 * `request returned 500 Internal Server Error`.
 */
const statusTexts: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  410: "Gone",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  416: "Requested Range Not Satisfiable",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * The URL the Go client names in its errors: the socket path escaped as the host for a unix socket or named pipe
 * (`http://%2Fvar%2Frun%2Fdocker.sock/v1.51/images/json`), the address for TCP, docker's placeholder for ssh.
 * `request` is a request as sent, its URL starting with the endpoint's {@link DockerHost.origin}.
 */
const routeUrl = (endpoint: DockerHost.Endpoint, request: HttpClientRequest.HttpClientRequest): string => {
  const url = HttpClientRequest.toUrl(request)
  const route = Option.isSome(url) ? url.value.pathname + url.value.search : request.url
  switch (endpoint._tag) {
    case "Unix":
    case "Npipe":
      return `http://${encodeURIComponent(endpoint.path)}${route}`
    case "Tcp":
      return `${DockerHost.origin(endpoint)}${route}`
    case "Ssh":
      return `http://docker.example.com${route}`
  }
}

/** What a failed answer says, and whether it was cut at {@link maxErrorBodySize}. */
interface ErrorAnswer {
  readonly message: string
  readonly cut: boolean
}

const isJson = (contentType: string | undefined) =>
  contentType?.split(";")[0]?.trim().toLowerCase() === "application/json"

/**
 * Reads at most 1 MiB of an error answer: the JSON `message`, or the text itself when it is not JSON. A longer
 * answer is not read further (its connection is dropped) and is worded as the Go client words it, naming `route`.
 */
const errorMessage = (response: HttpClientResponse.HttpClientResponse, route: string): Effect.Effect<ErrorAnswer> =>
  Body.readUpTo(response, maxErrorBodySize).pipe(
    Effect.flatMap((bytes): Effect.Effect<ErrorAnswer> => {
      // The Go client counts a body that fills its 1 MiB reader as too long, even one of exactly 1 MiB.
      if (bytes.byteLength >= maxErrorBodySize) {
        const status = `${response.status} ${statusTexts[response.status] ?? ""}`.trim()
        return Effect.succeed({
          cut: true,
          message: `request returned ${status} with a message (> ${maxErrorBodySize} bytes) for API route and ` +
            `version ${route}, check if the server supports the requested API version`
        })
      }
      const message = isJson(response.headers["content-type"])
        ? WireJson.decode(Common.ErrorResponse)(bytes).pipe(
          Effect.map((body) => body.message),
          Effect.orElseSucceed(() => new TextDecoder().decode(bytes).trim())
        )
        : Effect.succeed(new TextDecoder().decode(bytes).trim())
      return Effect.map(message, (message) => ({ message, cut: false }))
    }),
    Effect.orElseSucceed((): ErrorAnswer => ({ message: "", cut: false })),
    Effect.map((answer) => answer.message === "" ? { message: `HTTP status ${response.status}`, cut: false } : answer)
  )

/** The `DockerError` of a non-2xx answer, its body read by {@link errorMessage}. */
const failedAnswer = (
  response: HttpClientResponse.HttpClientResponse,
  call: Call,
  route: string
): Effect.Effect<never, DockerError.DockerError> =>
  Effect.flatMap(errorMessage(response, route), ({ cut, message }) =>
    Effect.fail(DockerError.fromStatus({
      status: response.status,
      message,
      operation: call.operation,
      reference: call.reference,
      ...(cut ? { cut } : {})
    })))

/** Why a connection failed, worded like the docker CLI. */
const connectionError = (host: string, call: Call, error: HttpClientError.HttpClientError): DockerError.DockerError => {
  const cause = error.reason.cause as { code?: string; message?: string } | undefined
  // Deno's fetch fails with `TypeError: fetch failed` whose own `cause` holds the OS error as text only
  // (`... client error (Connect): No such file or directory (os error 2)`), so the whole chain is looked at.
  const chain: Array<{ code?: string; message?: string }> = []
  for (
    let c: unknown = cause;
    c !== null && typeof c === "object" && chain.length < 8;
    c = (c as { cause?: unknown }).cause
  ) {
    chain.push(c as { code?: string; message?: string })
  }
  const unreachable = chain.some(({ code, message }) =>
    code === "ENOENT" || code === "ECONNREFUSED" || code === "EACCES" || code === "ConnectionRefused" ||
    code === "FailedToOpenSocket" || /\(os error (?:2|13|111)\)$/.test(typeof message === "string" ? message : "")
  )
  const innermost = chain.findLast((c) => typeof c.message === "string" && c.message !== "")?.message
  const message = unreachable
    ? `Cannot connect to the Docker daemon at ${host}. Is the docker daemon running?`
    : `error during connect: ${innermost ?? error.message}`
  return DockerError.make(new DockerError.ConnectionError({ host, message, operation: call.operation, cause }))
}

/**
 * Builds the engine connection over the `HttpClient` in context (a runtime transport).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function*(options: Options) {
  const http = yield* HttpClient.HttpClient
  const host = DockerHost.format(options.endpoint)
  const userAgent = options.userAgent ?? Constants.userAgent
  const negotiated = yield* Ref.make(Option.fromNullishOr(options.apiVersion))
  const lock = yield* Semaphore.make(1)

  // The one place a request gets its full URL: the endpoint's origin (the transports send it as it is).
  const origin = DockerHost.origin(options.endpoint)

  const send = (call: Call, request: HttpClientRequest.HttpClientRequest) =>
    http.execute(HttpClientRequest.setHeader(request, "user-agent", userAgent)).pipe(
      Effect.mapError((error) => connectionError(host, call, error)),
      Effect.provideService(Headers.CurrentRedactedNames, redactedHeaders)
    )

  const maxBodySize = options.maxBodySize ?? defaultMaxBodySize

  // Only the headers of a ping matter: a GET's body is drained up to 512 bytes, then its connection dropped.
  const pingWith = (method: "HEAD" | "GET") => {
    const ping = HttpClientRequest.make(method)(`${origin}/_ping`)
    return send({ operation: "SystemPing" }, ping).pipe(
      Effect.flatMap((response) =>
        response.status !== 200
          ? failedAnswer(response, { operation: "SystemPing" }, routeUrl(options.endpoint, ping))
          : method === "GET"
          ? Effect.as(Effect.ignore(Body.readUpTo(response, maxPingBody)), response)
          : Effect.succeed(response)
      )
    )
  }

  const ping: Effect.Effect<PingResult, DockerError.DockerError> = pingWith("HEAD").pipe(
    Effect.catch((error) => error.reason._tag === "ConnectionError" ? Effect.fail(error) : pingWith("GET")),
    Effect.map((response) => ({
      apiVersion: ApiVersion.normalize(response.headers["api-version"]),
      osType: response.headers["ostype"],
      experimental: response.headers["docker-experimental"] === "true",
      builderVersion: response.headers["builder-version"],
      swarm: response.headers["swarm"]
    })),
    Effect.withSpan("DockerEngine.ping")
  )

  const apiVersion: Effect.Effect<string, DockerError.DockerError> = Effect.flatMap(
    Ref.get(negotiated),
    (known) =>
      Option.isSome(known)
        ? Effect.succeed(known.value)
        : lock.withPermits(1)(
          Effect.flatMap(Ref.get(negotiated), (again) =>
            Option.isSome(again)
              ? Effect.succeed(again.value)
              : ping.pipe(
                Effect.flatMap((result) => ApiVersion.negotiate(result.apiVersion)),
                Effect.tap((version) => Ref.set(negotiated, Option.some(version)))
              ))
        )
  )

  const execute = (call: Call, request: HttpClientRequest.HttpClientRequest) =>
    Effect.flatMap(apiVersion, (version) => {
      const versioned = HttpClientRequest.prependUrl(request, `${origin}/v${version}`)
      return send(call, versioned).pipe(
        Effect.flatMap((response) =>
          response.status >= 200 && response.status < 300
            ? Effect.succeed(Body.limited(response, maxBodySize))
            : failedAnswer(response, call, routeUrl(options.endpoint, versioned))
        )
      )
    })

  return DockerEngine.of({ host, apiVersion, ping, execute })
})

/**
 * A layer with the engine connection, given a transport `HttpClient`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: Options): Layer.Layer<DockerEngine, never, HttpClient.HttpClient> =>
  Layer.effect(DockerEngine, make(options))
