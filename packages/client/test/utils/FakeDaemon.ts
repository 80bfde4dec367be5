/**
 * A fake Docker daemon for unit tests: an `HttpClient` that answers from a handler with Web `Response`s and records
 * every request (method, path, query, headers, body). It is for what the real engines here cannot show (API 1.54
 * options, version gates, faults), never instead of them.
 */
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as DockerEngine from "../../src/DockerEngine.ts"
import * as DockerHost from "../../src/DockerHost.ts"
import * as Images from "../../src/Images.ts"
import * as SystemApi from "../../src/SystemApi.ts"

/** One request the fake daemon received. */
export interface Recorded {
  readonly method: string
  /** The path as sent (still percent-encoded), e.g. `/v1.54/images/busybox/json`. */
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/** The handler answering one request. */
export type Handler = (request: Recorded) => Response | Promise<Response>

/** A JSON answer, as the daemon writes it. */
export const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body) + "\n", { status, headers: { "content-type": "application/json" } })

/** A daemon error answer `{"message": ...}`. */
export const daemonError = (status: number, message: string): Response => json({ message }, status)

/** A progress stream: each object on its own `\r\n`-terminated line. */
export const jsonLines = (lines: ReadonlyArray<unknown>): Response =>
  new Response(lines.map((line) => JSON.stringify(line) + "\r\n").join(""), {
    status: 200,
    headers: { "content-type": "application/json" }
  })

/** The `/_ping` answer of a daemon whose maximum API is `version`. */
export const ping = (version: string | undefined): Response =>
  new Response("OK", { status: 200, headers: version === undefined ? {} : { "api-version": version, ostype: "linux" } })

/** The query values of `key`, in order. */
export const queryAll = (request: Recorded, key: string): ReadonlyArray<string> =>
  request.query.filter(([k]) => k === key).map(([, v]) => v)

/** The single query value of `key`, or `undefined`. */
export const query = (request: Recorded, key: string): string | undefined => queryAll(request, key)[0]

const readBody = async (body: unknown): Promise<Uint8Array> => {
  if (body instanceof Uint8Array) return body
  if (typeof body === "string") return new TextEncoder().encode(body)
  return new Uint8Array(0)
}

/**
 * Builds the fake daemon: `handler` answers every request except `/_ping`, which answers with `apiVersion`
 * unless the handler is given `pingToo`; `maxBodySize` goes to the engine. `requests` holds everything received;
 * `layer` has the `Images` and `System` services over the fake, `client` is the fake `HttpClient` itself.
 */
export const make = (
  handler: Handler,
  options: {
    readonly apiVersion?: string | undefined
    readonly pingToo?: boolean
    readonly maxBodySize?: number | undefined
  } = {}
) => {
  const requests: Array<Recorded> = []
  const client = HttpClient.make((request, url) =>
    Effect.gen(function*() {
      let body: Uint8Array
      if (request.body._tag === "Stream") {
        const chunks = yield* Stream.runCollect(request.body.stream).pipe(Effect.orDie)
        const total = chunks.reduce((n, c) => n + c.length, 0)
        body = new Uint8Array(total)
        let offset = 0
        for (const chunk of chunks) {
          body.set(chunk, offset)
          offset += chunk.length
        }
      } else {
        body = yield* Effect.promise(() =>
          readBody(request.body._tag === "Empty" ? undefined : (request.body as { body: unknown }).body)
        )
      }
      const recorded: Recorded = {
        method: request.method,
        path: url.pathname,
        query: [...url.searchParams.entries()],
        headers: request.headers,
        body
      }
      requests.push(recorded)
      const response = url.pathname === "/_ping" && options.pingToo !== true
        ? ping(options.apiVersion ?? "1.54")
        : yield* Effect.promise(async () => handler(recorded))
      return HttpClientResponse.fromWeb(request, response)
    })
  )
  const endpoint = new DockerHost.Unix({ path: "/fake/docker.sock" })
  const engine = DockerEngine.layer({ endpoint, maxBodySize: options.maxBodySize }).pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
  )
  const layer = Layer.mergeAll(Images.layer, SystemApi.layer).pipe(Layer.provideMerge(engine))
  return { requests, layer, client }
}
