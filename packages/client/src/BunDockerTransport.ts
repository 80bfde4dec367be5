/**
 * The Bun transport: Bun's native `fetch`, which dials unix sockets (`unix`) and takes TLS client certificates
 * (`tls`) itself. `ssh://` endpoints go through the Node transport, which Bun runs as well.
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

/** Bun's extra `fetch` options for the endpoint. */
const requestInit = (endpoint: DockerHost.Unix | DockerHost.Tcp): RequestInit => {
  if (endpoint._tag === "Unix") return { unix: endpoint.path } as unknown as RequestInit
  if (endpoint.tls === undefined) return {}
  return {
    tls: {
      ...(endpoint.tls.ca === undefined ? {} : { ca: endpoint.tls.ca }),
      ...(endpoint.tls.cert === undefined ? {} : { cert: endpoint.tls.cert }),
      ...(endpoint.tls.key === undefined ? {} : { key: endpoint.tls.key }),
      rejectUnauthorized: endpoint.tls.verify
    }
  } as unknown as RequestInit
}

/**
 * A layer with Bun's `HttpClient` for `endpoint`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (endpoint: DockerHost.Endpoint): Layer.Layer<HttpClient.HttpClient> => {
  switch (endpoint._tag) {
    case "Unix":
    case "Tcp":
      return FetchDockerTransport.layer(endpoint, Layer.succeed(FetchHttpClient.RequestInit, requestInit(endpoint)))
    case "Ssh":
      return NodeDockerTransport.layer(endpoint)
    case "Npipe":
      return Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request) =>
          Effect.fail(
            new HttpClientError.HttpClientError({
              reason: new HttpClientError.TransportError({
                request,
                description: "npipe:// endpoints exist only on Windows"
              })
            })
          )
        )
      )
  }
}
