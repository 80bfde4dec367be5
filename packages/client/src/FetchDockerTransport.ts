/**
 * The transport for runtimes whose `fetch` can reach a Docker endpoint (Bun, Deno): Effect's `FetchHttpClient`
 * with the runtime's own connection options, and request URLs pointed at the endpoint's origin.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as DockerHost from "./DockerHost.ts"

/** The origin `DockerEngine` writes into every request URL, replaced here by the endpoint's real one. */
const placeholderOrigin = "http://api.moby.localhost"

/**
 * The URL origin requests to `endpoint` go to: `http://api.moby.localhost` for a unix socket (the host is ignored
 * but still sent), `http(s)://host:port` for TCP.
 *
 * @category utils
 * @since 0.1.0
 */
export const originOf = (endpoint: DockerHost.Endpoint): string =>
  endpoint._tag === "Tcp"
    ? `${endpoint.tls ? "https" : "http"}://${endpoint.hostname.includes(":") ? `[${endpoint.hostname}]` : endpoint.hostname}:${endpoint.port}`
    : placeholderOrigin

/**
 * A layer with an `HttpClient` built on `fetch`, given the runtime-specific `RequestInit` extras (Bun's `unix` and
 * `tls`, Deno's `client`) for `endpoint`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  endpoint: DockerHost.Endpoint,
  requestInit: Layer.Layer<FetchHttpClient.RequestInit>
): Layer.Layer<HttpClient.HttpClient> => {
  const origin = originOf(endpoint)
  // `Layer.fresh`: `FetchHttpClient.layer` is a shared constant that captures the `RequestInit` (the socket) it is
  // built with; memoized, a second endpoint's transport would reuse the first endpoint's client.
  return Layer.effect(
    HttpClient.HttpClient,
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      return origin === placeholderOrigin ? client : HttpClient.mapRequest(client, (request) =>
        request.url.startsWith(placeholderOrigin)
          ? HttpClientRequest.setUrl(request, origin + request.url.slice(placeholderOrigin.length))
          : request)
    })
  ).pipe(Layer.provide(Layer.fresh(FetchHttpClient.layer)), Layer.provide(requestInit))
}
