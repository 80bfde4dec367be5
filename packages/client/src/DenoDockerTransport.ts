/**
 * The Deno transport: Deno's native `fetch` with a `Deno.HttpClient` that dials the unix socket (a unix proxy
 * transport) or presents TLS client certificates; the client is closed with the layer. `ssh://` endpoints go
 * through the Node transport, which Deno runs as well.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as Layer from "effect/Layer"
import type * as DockerHost from "./DockerHost.ts"
import * as FetchDockerTransport from "./FetchDockerTransport.ts"
import * as NodeDockerTransport from "./NodeDockerTransport.ts"

/** The part of Deno's API used here. */
interface DenoHttpClient {
  close(): void
}
interface DenoGlobal {
  createHttpClient(options: Record<string, unknown>): DenoHttpClient
}

const deno = (): DenoGlobal => (globalThis as unknown as { Deno: DenoGlobal }).Deno

const failing = (description: string) =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.fail(
        new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, description }) })
      )
    )
  )

/** A `Deno.HttpClient` for the endpoint, closed when the layer's scope ends. */
const clientInit = (options: Record<string, unknown>) =>
  Layer.effect(
    FetchHttpClient.RequestInit,
    Effect.acquireRelease(
      Effect.sync(() => deno().createHttpClient(options)),
      (client) => Effect.sync(() => client.close())
    ).pipe(Effect.map((client) => ({ client }) as unknown as RequestInit))
  )

/**
 * A layer with Deno's `HttpClient` for `endpoint`. Deno cannot switch off certificate verification for one client,
 * so a TLS endpoint with `verify: false` is refused with a clear error.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (endpoint: DockerHost.Endpoint): Layer.Layer<HttpClient.HttpClient> => {
  switch (endpoint._tag) {
    case "Unix":
      return FetchDockerTransport.layer(endpoint, clientInit({ proxy: { transport: "unix", path: endpoint.path } }))
    case "Tcp": {
      if (endpoint.tls === undefined) {
        return FetchDockerTransport.layer(endpoint, Layer.succeed(FetchHttpClient.RequestInit, {}))
      }
      if (!endpoint.tls.verify) {
        return failing(
          "Deno cannot skip TLS verification for one connection: use --tlsverify with a CA, or run with Node or Bun"
        )
      }
      return FetchDockerTransport.layer(
        endpoint,
        clientInit({
          ...(endpoint.tls.ca === undefined ? {} : { caCerts: [endpoint.tls.ca] }),
          ...(endpoint.tls.cert === undefined ? {} : { cert: endpoint.tls.cert }),
          ...(endpoint.tls.key === undefined ? {} : { key: endpoint.tls.key })
        })
      )
    }
    case "Ssh":
      return NodeDockerTransport.layer(endpoint)
    case "Npipe":
      return failing("npipe:// endpoints exist only on Windows")
  }
}
