/**
 * The Bun transport: Bun's native `fetch`, which dials unix sockets (`unix`) and takes TLS client certificates
 * (`tls`) itself. `ssh://` endpoints go through the Node transport, which Bun runs as well.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import type * as DockerHost from "./DockerHost.ts"
import * as FetchDockerTransport from "./FetchDockerTransport.ts"
import * as BodyFile from "./internal/bodyFile.ts"
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

/** Bun's own file handle, which its `fetch` sends with the kernel's help. */
const bunFile = (path: string): unknown =>
  (globalThis as { readonly Bun?: { file(path: string): unknown } }).Bun?.file(path)

/**
 * `request` with a body marked as a file's contents (`BodySource.withFile`) sent as the file itself: `Bun.file`, whose
 * bytes Bun's `fetch` has the kernel copy to the socket (with its size as `Content-Length`). Any other request, and
 * any request outside Bun, is left as it is.
 */
const sendFile = (request: HttpClientRequest.HttpClientRequest): HttpClientRequest.HttpClientRequest => {
  const body = request.body
  if (body._tag !== "Stream") return request
  const path = BodyFile.pathOf(body.stream)
  const file = path === undefined ? undefined : bunFile(path)
  if (file === undefined) return request
  return HttpClientRequest.setBody(request, HttpBody.raw(file, { contentType: body.contentType }))
}

/** The `fetch` transport for a unix socket or TCP endpoint, sending bodies marked as files as the files. */
const fetchLayer = (endpoint: DockerHost.Unix | DockerHost.Tcp): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(HttpClient.HttpClient)(
    Effect.map(Effect.service(HttpClient.HttpClient), (client) => HttpClient.mapRequest(client, sendFile))
  ).pipe(
    Layer.provide(
      FetchDockerTransport.layer(endpoint, Layer.succeed(FetchHttpClient.RequestInit, requestInit(endpoint)))
    )
  )

/**
 * A layer with Bun's `HttpClient` for `endpoint`. A request body marked as a file's contents
 * (`BodySource.withFile`) goes as the file itself, with no JavaScript in the copy.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (endpoint: DockerHost.Endpoint): Layer.Layer<HttpClient.HttpClient> => {
  switch (endpoint._tag) {
    case "Unix":
    case "Tcp":
      return fetchLayer(endpoint)
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
