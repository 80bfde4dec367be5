/**
 * The client layer for the runtime the CLI runs on: Bun's and Deno's own `fetch`, or Node's `node:http`. Only that
 * runtime's entry of `@dockhand/client` is loaded, and its transport answers from the requests sent ahead
 * (`Prefetch`) when they are exactly the ones it is asked to send.
 *
 * @internal
 */
import type { DockerError, DockerHost, DockerSettings } from "@dockhand/client"
import type * as NodeClient from "@dockhand/client/node"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Prefetch from "./Prefetch.ts"
import * as RuntimeName from "./RuntimeName.ts"

/** The response for an answer sent ahead. */
const responseOf = (
  request: HttpClientRequest.HttpClientRequest,
  answer: Prefetch.Answer
): Effect.Effect<HttpClientResponse.HttpClientResponse> =>
  answer._tag === "Response"
    ? Effect.promise(() => import("effect/http/HttpClientResponse")).pipe(
      Effect.map((module) => module.fromWeb(request, answer.response))
    )
    : Effect.promise(() => import("@dockhand/client/NodeDockerTransport")).pipe(
      Effect.map((module) => module.fromIncomingMessage(request, answer.message))
    )

/**
 * `client`, answering a request to a unix socket from {@link Prefetch.take} when the same request was sent ahead
 * (a debug log line says so); every other request, and one whose early sending failed, goes out as usual.
 */
export const withPrefetched = (client: HttpClient.HttpClient, endpoint: DockerHost.Endpoint): HttpClient.HttpClient =>
  endpoint._tag !== "Unix" ? client : HttpClient.transform(client, (effect, request) => {
    const url = HttpClientRequest.toUrl(request)
    if (Option.isNone(url)) return effect
    const path = url.value.pathname + url.value.search
    const ahead = Prefetch.take(endpoint.path, request.method, path)
    if (ahead === undefined) return effect
    return Effect.flatMap(
      Effect.promise(() => ahead),
      (answer) =>
        answer === undefined ? effect : responseOf(request, answer).pipe(
          Effect.tap(() => Effect.logDebug(`answered from the request sent ahead: ${request.method} ${path}`))
        )
    )
  })

/** Every client service, resolved from the global flags and the environment like the docker CLI. */
export const clientLayer = (
  flags: DockerSettings.Flags
): Layer.Layer<Layer.Success<typeof NodeClient.layer>, DockerError.DockerError> =>
  Layer.unwrap(
    Effect.promise(() =>
      RuntimeName.name === "bun"
        ? import("@dockhand/client/bun")
        : RuntimeName.name === "deno"
        ? import("@dockhand/client/deno")
        : import("@dockhand/client/node")
    ).pipe(Effect.map((entry) => entry.layerWith(flags, { wrapTransport: withPrefetched })))
  )
