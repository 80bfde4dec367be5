/**
 * A daemon that misbehaves on purpose, for what no real engine shows: a `node:net` server on a unix socket in a
 * temporary directory (Node, Bun and Deno all run it) that reads each request's head and lets a script write raw
 * bytes back: endless bodies, oversized answers, garbage. Every connection counts what it wrote and says when it
 * closed, so a test can check that the client stopped reading and dropped the connection.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as nodePath from "node:path"

/** One request as the daemon read it: the request line's method and target, and the header lines. */
export interface Request {
  readonly method: string
  /** The request target's path and query, e.g. `/v1.51/images/json?all=1` (a whole URL is cut to these). */
  readonly target: string
  readonly headers: ReadonlyArray<string>
}

/** One client connection, as the daemon sees it. */
export interface Connection {
  /** Bytes the daemon handed to the socket so far. */
  readonly written: () => number
  /** Whether the socket is closed (by the client, or on a write error). */
  readonly isClosed: () => boolean
  /** Resolves once the socket is closed. */
  readonly closed: Promise<void>
  /** Writes `bytes` unless the socket is closed; resolves when the socket can take more (backpressure). */
  readonly write: (bytes: string | Uint8Array) => Promise<void>
  /** Writes the result of `next` again and again until the client closes the connection (or `limit` bytes). */
  readonly writeForever: (next: () => string | Uint8Array, limit?: number) => Promise<void>
  /** Ends the connection after what was written. */
  readonly end: () => void
}

/** How the daemon answers one request on `connection`. */
export type Script = (request: Request, connection: Connection) => void | Promise<void>

/** A running hostile daemon. */
export interface Daemon {
  /** The socket's path. */
  readonly socket: string
  /** Every connection accepted, in order. */
  readonly connections: ReadonlyArray<Connection>
  /** Every request read, in order. */
  readonly requests: ReadonlyArray<Request>
  /** Replaces the script for the requests that come next. */
  readonly setScript: (script: Script) => void
}

/** Hands out one connection's view, counting bytes and tracking its close. */
const track = (socket: net.Socket): Connection => {
  let written = 0
  let closed = false
  const closedPromise = new Promise<void>((resolve) =>
    socket.once("close", () => {
      closed = true
      resolve()
    })
  )
  socket.on("error", () => {
    closed = true
  })
  const write = (bytes: string | Uint8Array) =>
    new Promise<void>((resolve) => {
      if (closed || socket.destroyed) return resolve()
      written += typeof bytes === "string" ? Buffer.byteLength(bytes, "latin1") : bytes.byteLength
      const more = typeof bytes === "string" ? socket.write(bytes, "latin1") : socket.write(bytes)
      if (more) return resolve()
      const done = () => {
        socket.off("drain", done)
        socket.off("close", done)
        resolve()
      }
      socket.on("drain", done)
      socket.on("close", done)
    })
  const writeForever = async (next: () => string | Uint8Array, limit = Number.POSITIVE_INFINITY) => {
    while (!closed && !socket.destroyed && written < limit) await write(next())
  }
  return {
    written: () => written,
    isClosed: () => closed || socket.destroyed,
    closed: closedPromise,
    write,
    writeForever,
    end: () => {
      if (!socket.destroyed) socket.end()
    }
  }
}

/**
 * Starts a hostile daemon in a fresh temporary directory, stopped (every connection destroyed, the directory
 * removed) when the scope closes. Requests are read as heads only; a request body is skipped by its
 * `Content-Length` (the calls tested here send none).
 */
export const make = (script: Script): Effect.Effect<Daemon, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => {
      const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), "dockhand-hostile-"))
      const socketPath = nodePath.join(dir, "docker.sock")
      const connections: Array<Connection> = []
      const sockets: Array<net.Socket> = []
      const requests: Array<Request> = []
      let current = script
      const server = net.createServer((socket) => {
        sockets.push(socket)
        const connection = track(socket)
        connections.push(connection)
        let buffered = ""
        let skip = 0
        socket.on("data", (data: Buffer) => {
          buffered += data.toString("latin1")
          for (;;) {
            if (skip > 0) {
              const n = Math.min(skip, buffered.length)
              buffered = buffered.slice(n)
              skip -= n
            }
            const end = buffered.indexOf("\r\n\r\n")
            if (end === -1) return
            const [line = "", ...headers] = buffered.slice(0, end).split("\r\n")
            buffered = buffered.slice(end + 4)
            const length = headers.find((h) => /^content-length:/i.test(h))
            skip = length === undefined ? 0 : Number(length.split(":")[1]?.trim() ?? 0)
            const [method = "", sent = ""] = line.split(" ")
            // Deno's unix transport talks to the socket as to a proxy: the target is a whole URL.
            const target = sent.replace(/^[a-z]+:\/\/[^/]*/i, "")
            const request = { method, target, headers }
            requests.push(request)
            void Promise.resolve(current(request, connection)).catch(() => socket.destroy())
          }
        })
      })
      return new Promise<Daemon & { readonly stop: () => void }>((resolve) =>
        server.listen(socketPath, () =>
          resolve({
            socket: socketPath,
            connections,
            requests,
            setScript: (next) => {
              current = next
            },
            stop: () => {
              for (const socket of sockets) socket.destroy()
              server.close()
              fs.rmSync(dir, { recursive: true, force: true })
            }
          }))
      )
    }),
    (daemon) => Effect.sync(daemon.stop)
  )

/** A complete answer with a `Content-Length`. */
export const answer = (status: string, headers: ReadonlyArray<string>, body = ""): string =>
  `HTTP/1.1 ${status}\r\n${
    [...headers, `Content-Length: ${Buffer.byteLength(body, "latin1")}`].join("\r\n")
  }\r\n\r\n${body}`

/** The head of a chunked answer; its chunks follow with {@link chunk}. */
export const chunkedHead = (status: string, headers: ReadonlyArray<string>): string =>
  `HTTP/1.1 ${status}\r\n${[...headers, "Transfer-Encoding: chunked"].join("\r\n")}\r\n\r\n`

/** One chunk of a chunked body. */
export const chunk = (data: string): string => `${Buffer.byteLength(data, "latin1").toString(16)}\r\n${data}\r\n`

/** The `/_ping` answer of a daemon whose API is `version`. */
export const ping = (version: string): string => answer("200 OK", [`Api-Version: ${version}`, "Ostype: linux"], "OK")

/** Resolves with `promise`, or fails after `ms` milliseconds (a guard against a hang, not a timing assertion). */
export const within = <A>(ms: number, what: string, promise: Promise<A>): Effect.Effect<A, Error> =>
  Effect.tryPromise({
    try: () =>
      new Promise<A>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)
        promise.then((value) => (clearTimeout(timer), resolve(value)), (error) => (clearTimeout(timer), reject(error)))
      }),
    catch: (error) => error as Error
  })
