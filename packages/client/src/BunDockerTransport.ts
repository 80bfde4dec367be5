/**
 * The Bun transport: Bun's native `fetch`, which dials unix sockets (`unix`) and takes TLS client certificates
 * (`tls`) itself. `ssh://` endpoints go through the Node transport, which Bun runs as well.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Headers from "effect/http/Headers"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import type * as DockerHost from "./DockerHost.ts"
import * as FetchDockerTransport from "./FetchDockerTransport.ts"
import * as BodyFile from "./internal/bodyFile.ts"
import * as WriteInto from "./internal/writeInto.ts"
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

/** Bun's `Bun.write`, which writes a `fetch` answer's body into a file in native code. */
const bunWrite = (fd: number, response: Response): Promise<number> =>
  (globalThis as unknown as { readonly Bun: { write(fd: number, input: Response): Promise<number> } }).Bun.write(
    fd,
    response
  )

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })

/** Whether Bun's `Bun.write` failed writing the file (an errno error of `write`), not reading the answer. */
const fileWriteFailed = (cause: unknown): boolean =>
  typeof cause === "object" && cause !== null && (cause as { readonly syscall?: unknown }).syscall === "write"

/**
 * A `GET` whose answer is to be written into the file `into` (`WriteInto`, for `Images.save` run by
 * `AtomicFile.write`): `fetch`ed here with an abort controller of its own. A success's `stream` writes the whole body
 * into the file with `Bun.write` and ends without a chunk; interrupting it aborts the answer and waits until
 * `Bun.write` has let go of the file, so that the caller can close it. A cut answer fails the stream as a streamed one
 * would; a failed write of the file is left in `into` as well. Any other status is read as usual.
 */
const download = (
  init: RequestInit,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  into: WriteInto.Target
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.callback((resume, signal) => {
    const controller = new AbortController()
    const abort = () => controller.abort()
    signal.addEventListener("abort", abort, { once: true })
    const headers = Headers.merge(Headers.fromInput((init.headers ?? {}) as Headers.Input), request.headers)
    fetch(url, { ...init, method: "GET", headers, signal: controller.signal }).then(
      (answer) => {
        signal.removeEventListener("abort", abort)
        const response = HttpClientResponse.fromWeb(request, answer)
        if (!answer.ok) return resume(Effect.succeed(response))
        const written = Effect.callback<void, HttpClientError.HttpClientError>((done) => {
          const writing = bunWrite(into.fd, answer)
          writing.then(
            () => done(Effect.void),
            (cause) => {
              if (fileWriteFailed(cause)) into.writeError = cause
              done(Effect.fail(
                new HttpClientError.HttpClientError({
                  reason: new HttpClientError.DecodeError({ request, response, cause })
                })
              ))
            }
          )
          return Effect.promise(() => {
            controller.abort()
            return writing.catch(() => 0)
          })
        })
        resume(Effect.succeed(WriteInto.drained(response, written)))
      },
      (cause) => {
        signal.removeEventListener("abort", abort)
        resume(Effect.fail(transportError(request, cause)))
      }
    )
    return Effect.sync(abort)
  })

/**
 * The `fetch` transport for a unix socket or TCP endpoint, sending bodies marked as files as the files, and writing
 * the answer of a `GET` made with `WriteInto` straight into that file ({@link download}).
 */
const fetchLayer = (endpoint: DockerHost.Unix | DockerHost.Tcp): Layer.Layer<HttpClient.HttpClient> => {
  const init = requestInit(endpoint)
  return Layer.effect(HttpClient.HttpClient)(
    Effect.map(Effect.service(HttpClient.HttpClient), (inner) => {
      const client = HttpClient.mapRequest(inner, sendFile)
      const direct = HttpClient.make((request, url, _signal, fiber) =>
        download(init, request, url, fiber.getRef(WriteInto.WriteInto)!)
      )
      return HttpClient.makeWith<HttpClientError.HttpClientError, never, HttpClientError.HttpClientError, never>(
        (effect) =>
          Effect.flatMap(
            effect,
            (request) =>
              Effect.withFiber((fiber) =>
                fiber.getRef(WriteInto.WriteInto) !== undefined && request.method === "GET" &&
                  request.body._tag === "Empty"
                  ? direct.execute(request)
                  : client.execute(request)
              )
          ),
        Effect.succeed
      )
    })
  ).pipe(
    Layer.provide(FetchDockerTransport.layer(endpoint, Layer.succeed(FetchHttpClient.RequestInit, init)))
  )
}

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
