/**
 * The transport for runtimes whose `fetch` can reach a Docker endpoint (Bun, Deno): Effect's `FetchHttpClient`
 * with the runtime's own connection options. Request URLs already carry the endpoint's origin
 * ({@link DockerHost.origin}, written by `DockerEngine`); `fetch` sends them as they are.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as DockerHost from "./DockerHost.ts"

/**
 * The URL origin requests to `endpoint` go to.
 *
 * @deprecated Use {@link DockerHost.origin}, which decides the origin and the `Host` header for every transport.
 * @category utils
 * @since 0.1.0
 */
export const originOf: (endpoint: DockerHost.Endpoint) => string = DockerHost.origin

/**
 * A layer with an `HttpClient` built on `fetch`, given the runtime-specific `RequestInit` extras (Bun's `unix` and
 * `tls`, Deno's `client`) for `endpoint`. Requests must carry {@link DockerHost.origin} of `endpoint`, as
 * `DockerEngine` writes it.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  _endpoint: DockerHost.Endpoint,
  requestInit: Layer.Layer<FetchHttpClient.RequestInit>
): Layer.Layer<HttpClient.HttpClient> =>
  // Each request runs with this endpoint's `RequestInit` (the socket) provided. `FetchHttpClient` reads it from the
  // fiber's context at request time, where a `RequestInit` already there wins over the one its layer captured: a
  // request made while another engine's request runs (this engine's `save` pulled as the body of another's `load`)
  // would otherwise go to that other engine. `Layer.fresh`: `FetchHttpClient.layer` is a shared constant.
  Layer.effect(HttpClient.HttpClient)(Effect.gen(function*() {
    const init = yield* FetchHttpClient.RequestInit
    const client = yield* HttpClient.HttpClient
    return HttpClient.transformResponse(client, Effect.provideService(FetchHttpClient.RequestInit, init))
  })).pipe(Layer.provide(Layer.fresh(FetchHttpClient.layer)), Layer.provide(requestInit))
