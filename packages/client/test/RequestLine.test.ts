/**
 * What goes on the wire: the request line and `Host` header each transport sends for a request `DockerEngine` built,
 * against a raw server that records the request head (a unix socket, and TCP on 127.0.0.1).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as DockerEngine from "../src/DockerEngine.ts"
import * as DockerHost from "../src/DockerHost.ts"
import * as FetchDockerTransport from "../src/FetchDockerTransport.ts"
import * as NodeDockerTransport from "../src/NodeDockerTransport.ts"

/** A server answering `[]` to every request and keeping each request's head (request line and headers). */
const recorder = (where: "unix" | "tcp") =>
  Effect.acquireRelease(
    Effect.promise(() => {
      const heads: Array<{ line: string; host: string | undefined }> = []
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-request-line-"))
      const server = net.createServer((connection) => {
        let text = ""
        connection.on("data", (chunk: Buffer) => {
          text += chunk.toString("latin1")
          let end: number
          while ((end = text.indexOf("\r\n\r\n")) !== -1) {
            const [line = "", ...headers] = text.slice(0, end).split("\r\n")
            text = text.slice(end + 4)
            const host = headers.find((h) => h.toLowerCase().startsWith("host:"))?.slice(5).trim()
            heads.push({ line, host })
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n[]\n")
          }
        })
      })
      const socket = path.join(dir, "docker.sock")
      return new Promise<{ endpoint: DockerHost.Endpoint; heads: typeof heads; close: () => void }>((resolve) => {
        const close = () => (server.close(), fs.rmSync(dir, { recursive: true, force: true }))
        if (where === "unix") {
          server.listen(socket, () => resolve({ endpoint: new DockerHost.Unix({ path: socket }), heads, close }))
        } else {
          server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port
            resolve({ endpoint: new DockerHost.Tcp({ hostname: "127.0.0.1", port, tls: undefined }), heads, close })
          })
        }
      })
    }),
    (server) => Effect.sync(server.close)
  )

const listAll = (endpoint: DockerHost.Endpoint, transport: Layer.Layer<import("effect/http/HttpClient").HttpClient>) =>
  DockerEngine.DockerEngine.use((engine) =>
    engine.execute({ operation: "ImageList" }, HttpClientRequest.get("/images/json", { urlParams: { all: "1" } }))
  ).pipe(
    Effect.flatMap((response) => response.text),
    Effect.provide(DockerEngine.layer({ endpoint, apiVersion: "1.41" }).pipe(Layer.provide(transport)))
  )

describe("the request line and Host header on the wire", () => {
  it.effect("Node transport, unix socket: docker's placeholder host, the path and query as the request target", () =>
    Effect.gen(function*() {
      const server = yield* recorder("unix")
      yield* listAll(server.endpoint, NodeDockerTransport.layer(server.endpoint))
      assert.deepStrictEqual(server.heads, [{
        line: "GET /v1.41/images/json?all=1 HTTP/1.1",
        host: "api.moby.localhost"
      }])
    }).pipe(Effect.scoped))

  it.effect("Node transport, TCP: host:port", () =>
    Effect.gen(function*() {
      const server = yield* recorder("tcp")
      yield* listAll(server.endpoint, NodeDockerTransport.layer(server.endpoint))
      assert.deepStrictEqual(server.heads, [{
        line: "GET /v1.41/images/json?all=1 HTTP/1.1",
        host: DockerHost.hostHeader(server.endpoint)
      }])
      assert.match(server.heads[0]!.host!, /^127\.0\.0\.1:\d+$/)
    }).pipe(Effect.scoped))

  it.effect("fetch transport (here Node's fetch), TCP: the URL DockerEngine built, sent as it is", () =>
    Effect.gen(function*() {
      const server = yield* recorder("tcp")
      yield* listAll(
        server.endpoint,
        FetchDockerTransport.layer(server.endpoint, Layer.succeed(FetchHttpClient.RequestInit, {}))
      )
      assert.deepStrictEqual(server.heads, [{
        line: "GET /v1.41/images/json?all=1 HTTP/1.1",
        host: DockerHost.hostHeader(server.endpoint)
      }])
    }).pipe(Effect.scoped))
})
