/**
 * The Node.js transport: an Effect `HttpClient` that talks to a Docker endpoint with `node:http` and `node:https`
 * over a unix socket, TCP, TLS with client certificates, or `ssh` running `docker system dial-stdio` (found and
 * started by {@link Exec}). It loads only Node built-ins, so it adds no dependency.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import type * as Http from "node:http"
import type * as Https from "node:https"
import { Duplex } from "node:stream"
import * as BodySource from "./BodySource.ts"
import * as DockerHost from "./DockerHost.ts"
import * as Exec from "./Exec.ts"
import * as FileWrite from "./internal/fileWrite.ts"
import { LendChunks } from "./internal/lendChunks.ts"
import { type Message, NodeHttpClientResponse } from "./internal/nodeResponse.ts"
import * as RawGet from "./internal/rawGet.ts"
import * as ResponseBody from "./internal/responseBody.ts"
import * as Runtime from "./internal/runtime.ts"
import * as WriteInto from "./internal/writeInto.ts"

// `node:http` and `node:https` are taken from the runtime when a transport is made, not imported: an ESM import of
// `node:http` makes Node 22+ load its whole fetch implementation (the namespace reads the module's lazy `WebSocket`
// export), about 20 ms of start-up, and Bun, which loads this module for ssh:// only, would pay for it too.
// `node:https` only for a TLS endpoint: it loads `node:tls` and `node:crypto` (3–5 ms more).
const http = () => process.getBuiltinModule("node:http")
const https = () => process.getBuiltinModule("node:https")

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown, description?: string) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.TransportError({ request, cause, ...(description ? { description } : {}) })
  })

/**
 * A duplex over `ssh -o ConnectTimeout=30 -T [-l user] [-p port] -- host docker system dial-stdio`, as the docker
 * CLI dials ssh hosts (same arguments, same order). `ssh` is the program {@link Exec.lookPath} found when the
 * transport was made: one found through a relative `PATH` entry is refused, and that refusal is the connection's
 * error. The readable side ends only once ssh has exited: when it failed, the connection fails with docker's text
 * and ssh's own standard error (`… has exited with exit status 255, make sure the URL is valid, and Docker 18.09 or
 * later is installed on the remote host: stderr=ssh: connect to host …`), not with a bare "socket hang up".
 */
const sshConnection = (endpoint: DockerHost.Ssh, ssh: Result.Result<string, Exec.ExecError>) => (): Duplex => {
  const args = [
    "-o",
    "ConnectTimeout=30",
    "-T",
    ...(endpoint.user ? ["-l", endpoint.user] : []),
    ...(endpoint.port ? ["-p", String(endpoint.port)] : []),
    "--",
    endpoint.hostname,
    "docker",
    ...(endpoint.socketPath ? ["--host", `unix://${endpoint.socketPath}`] : []),
    "system",
    "dial-stdio"
  ]
  if (Result.isFailure(ssh)) {
    const failed = new Duplex({
      read() {},
      write(_chunk, _encoding, done) {
        done()
      }
    })
    process.nextTick(() => failed.destroy(new Error(ssh.failure.message)))
    return failed
  }
  // The environment is passed explicitly: in a worker thread (Deno) the default is the process's original one.
  const child = Exec.start(ssh.success, args, { env: process.env, stdin: "pipe" })
  let stderr = ""
  child.stderr.on("data", (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString("utf8").slice(0, 4096 - stderr.length)
  })
  const duplex = new Duplex({
    read() {
      child.stdout.resume()
    },
    // A write to an ssh that already exited fails (EPIPE); its exit status, below, is the connection's error.
    write(chunk, _encoding, done) {
      if (child.stdin?.writable) child.stdin.write(chunk, () => done())
      else done()
    },
    final(done) {
      child.stdin?.end()
      done()
    },
    destroy(error, done) {
      if (child.exitCode === null && child.signalCode === null) child.kill()
      done(error)
    }
  })
  child.stdin?.on("error", () => {})
  child.stdout.on("data", (chunk: Buffer) => {
    if (!duplex.push(chunk)) child.stdout.pause()
  })
  child.on(
    "error",
    (error: NodeJS.ErrnoException) => duplex.destroy(new Error(Exec.startError(ssh.success, error).message))
  )
  child.on("close", (code, signal) => {
    const failure = Exec.exitText({ exitCode: code ?? -1, signal: signal ?? undefined })
    if (failure === undefined) return void duplex.push(null)
    duplex.destroy(
      new Error(
        `command [ssh ${args.join(" ")}] has exited with ${failure}, make sure the URL is valid, and Docker 18.09 ` +
          `or later is installed on the remote host: stderr=${stderr}`
      )
    )
  })
  return duplex
}

/**
 * An ssh connection's failure as Go's `*url.Error` words it for the docker CLI, whose connection helpers dial
 * `http://docker.example.com`: `Head "http://docker.example.com/_ping": <why>`.
 */
const sshError = (method: string, url: URL, cause: Error): Error =>
  new Error(
    `${method.slice(0, 1)}${
      method.slice(1).toLowerCase()
    } "http://docker.example.com${url.pathname}${url.search}": ${cause.message}`
  )

/** What `node:http` needs to reach the endpoint, and which module sends it. */
const connectionOptions = (
  endpoint: DockerHost.Endpoint,
  agent: Http.Agent | undefined,
  ssh: Result.Result<string, Exec.ExecError>
) => {
  switch (endpoint._tag) {
    case "Unix":
      // An empty `servername` spares the agent a check of the Host header (a large regular expression compiled at
      // the first request) whose only use is naming a TLS server.
      return { module: http(), options: { socketPath: endpoint.path, agent, servername: "" } as Http.RequestOptions }
    case "Tcp":
      return endpoint.tls === undefined
        ? { module: http(), options: { host: endpoint.hostname, port: endpoint.port, agent } as Http.RequestOptions }
        : {
          module: https(),
          options: {
            host: endpoint.hostname,
            port: endpoint.port,
            agent,
            ca: endpoint.tls.ca,
            cert: endpoint.tls.cert,
            key: endpoint.tls.key,
            rejectUnauthorized: endpoint.tls.verify
          } as Https.RequestOptions
        }
    case "Ssh":
      // No agent at all: node:http uses `createConnection` only when `agent` is undefined (`false` makes a new Agent).
      return { module: http(), options: { createConnection: sshConnection(endpoint, ssh) } as Http.RequestOptions }
    case "Npipe":
      return undefined
  }
}

/**
 * Where the plain-socket reader (`rawGet.ts`) connects for `endpoint`: a unix socket or TCP without TLS, on Node
 * only; `undefined` for the rest, which `node:http` reads.
 */
const rawTarget = (endpoint: DockerHost.Endpoint): RawGet.Target | undefined => {
  if (Runtime.current() !== "node") return undefined
  if (endpoint._tag === "Unix") return { path: endpoint.path }
  if (endpoint._tag === "Tcp" && endpoint.tls === undefined) return { host: endpoint.hostname, port: endpoint.port }
  return undefined
}

const noBodyStatus = (status: number, method: string) =>
  method === "HEAD" || status === 204 || status === 205 || status === 304 || (status >= 100 && status < 200)

/**
 * The `HttpClientResponse` for `request` read from a Node `IncomingMessage`, as this transport gives them: the body
 * is streamed from `message` (none for HEAD, 1xx, 204, 205 and 304 answers, whose message is drained). Exported for
 * the CLI, which answers some requests from ones it sent ahead (through `wrapTransport`); it may change or go away
 * in any release.
 *
 * @stability unstable
 * @category constructors
 * @since 0.1.0
 */
export const fromIncomingMessage = (
  request: HttpClientRequest.HttpClientRequest,
  message: Http.IncomingMessage
): HttpClientResponse.HttpClientResponse => responseOf(request, message)

const responseOf = (
  request: HttpClientRequest.HttpClientRequest,
  message: Message
): HttpClientResponse.HttpClientResponse => {
  const hasBody = !noBodyStatus(message.statusCode ?? 500, request.method)
  if (!hasBody) message.resume()
  return new NodeHttpClientResponse(request, message, hasBody)
}

/** Writes every byte of `bytes` into file `fd` at its position, or gives why it could not. */
const writeOrError = (fd: number, bytes: Uint8Array): Error | undefined => {
  const written = Result.try(() => FileWrite.writeAll(fd, bytes))
  return Result.isFailure(written) ? written.failure as Error : undefined
}

/**
 * The answer of a download into the file `into` (`WriteInto`): a success's stream writes each read of the socket into
 * the file as it comes, synchronously (a write lands in the page cache at once, as `AtomicFile.write` writes its
 * chunks), and ends without a chunk once the body has ended. No chunk goes through a stream and the socket is never
 * paused: for a 512 MiB archive it is the bare runtime's own way (`bench/floor/save-file.mjs`, `raw`). A failed
 * write stops the answer and is left in `into`; a cut answer fails as a streamed one does; dropping the stream closes
 * the socket, after which nothing more is written. Any other answer is read as usual.
 */
const downloaded = (
  request: HttpClientRequest.HttpClientRequest,
  message: RawGet.RawMessage,
  into: WriteInto.Target
): HttpClientResponse.HttpClientResponse => {
  const response = responseOf(request, message)
  if (message.statusCode < 200 || message.statusCode >= 300) return response
  return WriteInto.drained(
    response,
    Effect.callback<void, HttpClientError.HttpClientError>((resume) => {
      if (message.readableEnded) return resume(Effect.void)
      if (message.destroyed) {
        return resume(
          Effect.fail(ResponseBody.decodeError(response, message.errored ?? new Error("the answer was already closed")))
        )
      }
      message.on("end", () => resume(Effect.void))
      message.on("error", (cause: Error) => resume(Effect.fail(ResponseBody.decodeError(response, cause))))
      message.writeTo((bytes) => {
        const error = writeOrError(into.fd, bytes)
        if (error !== undefined) into.writeError = error
        return error
      })
      return Effect.sync(() => message.destroy())
    })
  )
}

/** One chunk's write to the request, in turn (`BodySource.InTurn`): whether it has called back, and who waits. */
interface Written {
  done: boolean
  wake: (() => void) | undefined
}

/**
 * Writes a request body stream to `req` chunk by chunk, each chunk handed to the socket as it is (no copy, no Web
 * stream or Node stream in between) and the next one pulled only once `req` takes more ("drain"): the memory a long
 * upload (`load` of a 512 MiB archive) holds is a few chunks. On Node, the stream is offered `BodySource.InTurn`:
 * once its source accepts, chunk N+2 is pulled only after the write of chunk N has called back (its bytes are with
 * the socket), so that the source can read into two buffers in turn. The stream's failure destroys the request with
 * it; a request that closes early (an error, an interruption) stops the stream.
 */
const writeBody = (req: Http.ClientRequest, stream: Stream.Stream<Uint8Array, unknown>): void => {
  let inTurn = false
  let before: Written | undefined
  const written = (chunk: Uint8Array) =>
    Effect.callback<void>((resume) => {
      const previous = before
      const current: Written = { done: false, wake: undefined }
      before = current
      // Node calls back once the bytes are written, or with the error that destroyed the request.
      req.write(chunk, () => {
        current.done = true
        current.wake?.()
      })
      if (previous === undefined || previous.done) return resume(Effect.void)
      const go = () => {
        previous.wake = undefined
        req.off("close", go)
        resume(Effect.void)
      }
      previous.wake = go
      req.on("close", go)
    })
  const write = (chunk: Uint8Array) =>
    inTurn ? written(chunk) : Effect.callback<void>((resume) => {
      if (req.write(chunk)) return resume(Effect.void)
      const go = () => {
        req.off("drain", go)
        req.off("close", go)
        resume(Effect.void)
      }
      req.on("drain", go)
      req.on("close", go)
    })
  // Bun's and Deno's `node:http` sit on their own `fetch`; when their write callbacks run was not checked: no offer.
  const offer: BodySource.InTurn | undefined = Runtime.current() === "node"
    ? {
      accept: () => {
        inTurn = true
      }
    }
    : undefined
  const fiber = Effect.runFork(
    Stream.runForEachWhile(stream, (chunk) => req.destroyed ? Effect.succeed(false) : Effect.as(write(chunk), true))
      .pipe(
        Effect.provideService(BodySource.InTurn, offer)
      )
  )
  const stop = () => fiber.interruptUnsafe()
  req.once("close", stop)
  fiber.addObserver((exit) => {
    req.off("close", stop)
    if (req.destroyed) return
    if (exit._tag === "Success") req.end()
    else req.destroy(Cause.squash(exit.cause) as Error)
  })
}

/**
 * An `HttpClient` for `endpoint` over Node's own HTTP stack. The endpoint decides where to connect; the URL's path
 * and query are sent, with {@link DockerHost.hostHeader} as the `Host` header (the host of the URL's origin,
 * {@link DockerHost.origin}, with its port always written, as the docker CLI sends it). Interrupting a call, or
 * dropping its response stream, destroys the socket at once. Connections are kept alive in an agent that closes
 * with the scope. A download that `AtomicFile.write` runs (a GET without a body, to a unix socket or over plain TCP,
 * on Node) goes on a connection of its own instead, read into one reused buffer: written into the file from there
 * when it is `Images.save`'s own stream ({@link downloaded}), lent to the stream with `lendChunks` otherwise.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function*(endpoint: DockerHost.Endpoint) {
  const agent = endpoint._tag === "Ssh" || endpoint._tag === "Npipe"
    ? undefined
    : yield* Effect.acquireRelease(
      Effect.sync(() =>
        endpoint._tag === "Tcp" && endpoint.tls !== undefined
          ? new (https().Agent)({ keepAlive: true })
          : new (http().Agent)({ keepAlive: true })
      ),
      (agent) => Effect.sync(() => agent.destroy())
    )
  // ssh is looked up once, on the process's PATH as it is now; Go's exec.LookPath rules (no relative entries).
  const ssh = endpoint._tag === "Ssh"
    ? yield* Effect.result(Exec.lookPath("ssh", process.env))
    : Result.succeed("ssh")
  const target = connectionOptions(endpoint, agent, ssh)
  const host = DockerHost.hostHeader(endpoint)
  const raw = rawTarget(endpoint)
  return HttpClient.make((request, url, signal, fiber) => {
    if (target === undefined) {
      return Effect.fail(transportError(request, undefined, "npipe:// endpoints exist only on Windows"))
    }
    const into = fiber.getRef(WriteInto.WriteInto)
    if (
      raw !== undefined && request.method === "GET" && request.body._tag === "Empty" &&
      (into !== undefined || fiber.getRef(LendChunks))
    ) {
      return Effect.callback<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
        const abandon = RawGet.get(raw, url.pathname + url.search, { host, ...request.headers }, (result) =>
          resume(
            result instanceof Error
              ? Effect.fail(transportError(request, result))
              : Effect.succeed(into === undefined ? responseOf(request, result) : downloaded(request, result, into))
          ))
        return Effect.sync(abandon)
      })
    }
    return Effect.callback<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
      const req = target.module.request({
        ...target.options,
        method: request.method,
        path: url.pathname + url.search,
        headers: { host, ...request.headers },
        signal
      })
      req.on(
        "error",
        (cause) =>
          resume(
            Effect.fail(transportError(request, endpoint._tag === "Ssh" ? sshError(request.method, url, cause) : cause))
          )
      )
      req.on("response", (res) => {
        resume(Effect.succeed(fromIncomingMessage(request, res)))
      })
      const body = request.body
      switch (body._tag) {
        case "Empty":
          req.end()
          break
        case "Uint8Array":
          req.setHeader("content-length", body.body.byteLength)
          if (body.contentType) req.setHeader("content-type", body.contentType)
          req.end(body.body)
          break
        case "Raw":
          if (body.contentType) req.setHeader("content-type", body.contentType)
          req.end(body.body as string | Uint8Array)
          break
        case "Stream": {
          if (body.contentType) req.setHeader("content-type", body.contentType)
          if (body.contentLength !== undefined) req.setHeader("content-length", body.contentLength)
          writeBody(req, body.stream)
          break
        }
        case "FormData":
          req.destroy(new Error("multipart bodies are not used by the Docker API"))
          break
      }
      return Effect.sync(() => req.destroy())
    })
  })
})

/**
 * A layer with the Node `HttpClient` for `endpoint`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (endpoint: DockerHost.Endpoint): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(HttpClient.HttpClient, make(endpoint))
