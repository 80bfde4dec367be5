/**
 * A small test-only HTTP client for the Docker Engine API over a unix socket, built on `node:http`: it sends one
 * request (query with repeated keys, headers, a body as bytes or a stream, or JSON) and waits for the whole answer,
 * so tests never sleep. Streaming answers (pull, push, import, load, build) are split into lines as they arrive.
 * Every path is sent under `/v1.41`, the API version both engines speak.
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as http from "node:http"
import { Readable } from "node:stream"
import { StringDecoder } from "node:string_decoder"

/** The API version both engines under test speak (Docker 20.10 and Podman 4.3's compatible API). */
export const API_VERSION = "1.41"

/** One engine under test: a name for messages and the unix socket it listens on. */
export interface Engine {
  readonly name: "docker" | "podman"
  readonly socket: string
}

/** A query value: booleans go out as `1`/`0`, arrays as repeated keys (`?t=a&t=b`), `undefined` is left out. */
export type QueryValue = string | number | boolean | ReadonlyArray<string> | undefined

/** What a test sends. `path` is given without the version prefix, e.g. `/images/json`. */
export interface EngineRequest {
  readonly method?: "GET" | "HEAD" | "POST" | "DELETE"
  readonly path: string
  readonly query?: Readonly<Record<string, QueryValue>>
  readonly headers?: Readonly<Record<string, string>>
  /** A raw body (a tar, say). Bytes are sent with a `Content-Length`, streams chunked. */
  readonly body?: Uint8Array | Readable
  /** A JSON body; sets `Content-Type: application/json`. */
  readonly json?: unknown
  /** Idle timeout of the socket; the request fails when the engine stays silent that long. */
  readonly idleTimeoutMs?: number
}

/** The whole answer: status, headers (lower-case keys) and body bytes. */
export interface EngineResponse {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: Buffer
}

/** A streamed answer, also split into lines (`\r\n` or `\n`, empty lines dropped) while it arrived. */
export interface EngineLinesResponse extends EngineResponse {
  readonly lines: ReadonlyArray<string>
}

/** The engine could not be reached, or the connection broke before the answer was complete. */
export class EngineError extends Data.TaggedError("EngineError")<{
  readonly message: string
}> {}

/** The request path with the version prefix and the query (repeated keys for arrays). */
export const requestPath = (request: EngineRequest): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value === undefined) continue
    if (typeof value === "boolean") params.append(key, value ? "1" : "0")
    else if (typeof value === "string" || typeof value === "number") params.append(key, String(value))
    else for (const item of value) params.append(key, item)
  }
  const query = params.toString()
  return `/v${API_VERSION}${request.path}${query === "" ? "" : `?${query}`}`
}

/**
 * Splits a byte stream into lines as chunks arrive, decoding UTF-8 across chunk borders. `\r` before `\n` is
 * dropped, and so are empty lines; `end` returns a last line that had no newline (Podman ends some streams so).
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8")
  private rest = ""

  push(chunk: Uint8Array): Array<string> {
    const parts = (this.rest + this.decoder.write(Buffer.from(chunk))).split("\n")
    this.rest = parts.pop() ?? ""
    return parts.map((line) => line.replace(/\r$/, "")).filter((line) => line.trim() !== "")
  }

  end(): Array<string> {
    const last = (this.rest + this.decoder.end()).replace(/\r$/, "")
    this.rest = ""
    return last.trim() === "" ? [] : [last]
  }
}

const send = (engine: Engine, request: EngineRequest, onChunk?: (chunk: Buffer) => void) =>
  Effect.callback<EngineResponse, EngineError>((resume, signal) => {
    const method = request.method ?? "GET"
    const path = requestPath(request)
    const describe = `${method} ${path} on ${engine.name} (unix://${engine.socket})`
    const headers: Record<string, string> = { Host: "dockhand-test", ...request.headers }
    let body: Uint8Array | Readable | undefined = request.body
    if (request.json !== undefined) {
      body = Buffer.from(JSON.stringify(request.json), "utf8")
      headers["Content-Type"] = "application/json"
    }
    if (body instanceof Uint8Array) headers["Content-Length"] = String(body.byteLength)
    let settled = false
    const fail = (what: string, cause: unknown) => {
      if (settled) return
      settled = true
      const code = (cause as { code?: unknown } | undefined)?.code
      const reason = cause instanceof Error ? cause.message : String(cause)
      resume(Effect.fail(new EngineError({ message: `${what}: ${describe}: ${reason}${code ? ` (${code})` : ""}` })))
    }
    const req = http.request({
      socketPath: engine.socket,
      method,
      path,
      headers,
      agent: false,
      signal,
      timeout: request.idleTimeoutMs ?? 60_000
    })
    req.on("timeout", () => req.destroy(new Error(`no data for ${request.idleTimeoutMs ?? 60_000} ms`)))
    req.on("error", (cause) => fail(`the ${engine.name} engine did not answer`, cause))
    req.on("response", (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk)
        onChunk?.(chunk)
      })
      res.on("error", (cause) => fail(`the answer of the ${engine.name} engine broke off`, cause))
      res.on("end", () => {
        if (settled) return
        settled = true
        resume(Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      })
    })
    if (body instanceof Readable) body.pipe(req)
    else req.end(body)
  })

/** Sends one request and waits for the whole answer. */
export const request = (engine: Engine, req: EngineRequest): Effect.Effect<EngineResponse, EngineError> =>
  send(engine, req)

/** Sends one request whose answer is a stream of JSON lines, splitting it as it arrives, until the stream ends. */
export const requestLines = (
  engine: Engine,
  req: EngineRequest,
  onLine?: (line: string) => void
): Effect.Effect<EngineLinesResponse, EngineError> =>
  Effect.suspend(() => {
    const splitter = new LineSplitter()
    const lines: Array<string> = []
    const take = (found: ReadonlyArray<string>) => {
      for (const line of found) {
        lines.push(line)
        onLine?.(line)
      }
    }
    return send(engine, req, (chunk) => take(splitter.push(chunk))).pipe(
      Effect.map((response) => {
        take(splitter.end())
        return { ...response, lines }
      })
    )
  })

/** The body as UTF-8 text. */
export const text = (response: EngineResponse): string => response.body.toString("utf8")

/** The body parsed as JSON; a body that is not JSON fails the test with the status and the text. */
export const json = (response: EngineResponse): unknown => {
  try {
    return JSON.parse(text(response))
  } catch {
    throw new Error(`expected a JSON body, got ${response.status} ${JSON.stringify(text(response).slice(0, 300))}`)
  }
}

/** One header as a string (`undefined` when absent). */
export const header = (response: EngineResponse, name: string): string | undefined => {
  const value = response.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(", ") : value
}
