import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as DockerEngine from "../src/DockerEngine.ts"
import * as DockerHost from "../src/DockerHost.ts"
import * as Images from "../src/Images.ts"
import * as NodeDockerTransport from "../src/NodeDockerTransport.ts"
import * as FakeDaemon from "./utils/FakeDaemon.ts"

const versionOf = (daemon: ReturnType<typeof FakeDaemon.make>) =>
  DockerEngine.DockerEngine.use((engine) =>
    Effect.flatMap(
      engine.execute({ operation: "ImageList" }, HttpClientRequest.get("/images/json")),
      () => engine.apiVersion
    )
  ).pipe(Effect.provide(daemon.layer))

describe("API version negotiation", () => {
  it.effect("pings once per connection and clamps to the client's range", () =>
    Effect.gen(function*() {
      for (const [server, expected] of [["1.41", "1.41"], ["1.54", "1.54"], ["1.99", "1.54"]] as const) {
        const daemon = FakeDaemon.make(() => FakeDaemon.json([]), { apiVersion: server })
        const version = yield* DockerEngine.DockerEngine.use((engine) =>
          Effect.all([engine.apiVersion, engine.apiVersion, engine.apiVersion], { concurrency: "unbounded" })
        ).pipe(Effect.provide(daemon.layer))
        assert.deepStrictEqual(version, [expected, expected, expected])
        assert.lengthOf(daemon.requests.filter((r) => r.path === "/_ping"), 1)
      }
    }))

  it.effect("sends every request under /v{version}/ and pings without a prefix", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json([]), { apiVersion: "1.43" })
      yield* versionOf(daemon)
      assert.deepStrictEqual(daemon.requests.map((r) => `${r.method} ${r.path}`), [
        "HEAD /_ping",
        "GET /v1.43/images/json"
      ])
    }))

  it.effect("refuses a daemon older than 1.41", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json([]), { apiVersion: "1.40" })
      const error = yield* Effect.flip(versionOf(daemon))
      assert.strictEqual(error.reason._tag, "ApiVersionError")
    }))

  it.effect("falls back to GET /_ping, and retries negotiation after a failed ping", () =>
    Effect.gen(function*() {
      let pings = 0
      const daemon = FakeDaemon.make((request) => {
        if (request.path !== "/_ping") return FakeDaemon.json([])
        pings++
        if (pings <= 2) return FakeDaemon.daemonError(500, "unhealthy")
        return request.method === "HEAD" ? new Response(null, { status: 405 }) : FakeDaemon.ping("1.45")
      }, { pingToo: true })
      const first = yield* Effect.flip(versionOf(daemon))
      assert.strictEqual(first.reason._tag, "ServerError")
      const version = yield* versionOf(daemon)
      assert.strictEqual(version, "1.45")
      assert.deepStrictEqual(daemon.requests.filter((r) => r.path === "/_ping").map((r) => r.method), [
        "HEAD",
        "GET",
        "HEAD",
        "GET"
      ])
    }))

  it.effect("uses a fixed version without pinging", () =>
    Effect.gen(function*() {
      const requests: Array<string> = []
      const client = HttpClient.make((request, url) => {
        requests.push(url.pathname)
        return Effect.succeed(
          (FakeDaemon.json([]) as unknown) as never
        )
      })
      const endpoint = new DockerHost.Unix({ path: "/fake.sock" })
      yield* DockerEngine.DockerEngine.use((engine) => engine.apiVersion).pipe(
        Effect.tap((version) => Effect.sync(() => assert.strictEqual(version, "1.44"))),
        Effect.provide(
          DockerEngine.layer({ endpoint, apiVersion: "1.44" }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
          )
        )
      )
      assert.lengthOf(requests, 0)
    }))
})

describe("connection errors", () => {
  it.effect("says what the docker CLI says when the socket is missing", () =>
    Effect.gen(function*() {
      const endpoint = new DockerHost.Unix({ path: "/nonexistent/docker.sock" })
      const error = yield* Effect.flip(
        DockerEngine.DockerEngine.use((engine) => engine.apiVersion).pipe(
          Effect.provide(DockerEngine.layer({ endpoint }).pipe(Layer.provide(NodeDockerTransport.layer(endpoint))))
        )
      )
      assert.strictEqual(error.reason._tag, "ConnectionError")
      assert.strictEqual(
        error.message,
        "Cannot connect to the Docker daemon at unix:///nonexistent/docker.sock. Is the docker daemon running?"
      )
    }))
})

/** A body that never ends: 64 KiB chunks for as long as they are pulled; `state` says how much went out and whether it was cancelled. */
const endlessBody = (chunk: Uint8Array) => {
  const state = { pulled: 0, cancelled: false }
  const body = new ReadableStream<Uint8Array>({
    // Each chunk after a macrotask, so that a client reading forever does not starve the test's timeout.
    pull: (controller) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          state.pulled += chunk.byteLength
          controller.enqueue(chunk)
          resolve()
        }, 0)
      ),
    cancel: () => {
      state.cancelled = true
    }
  }, { highWaterMark: 0 })
  return { state, body }
}

describe("bounded answers (a Web Response, as Bun's and Deno's fetch give them)", () => {
  it.effect("an endless 500 body: 1 MiB is read, the body cancelled, docker's message naming the route", () =>
    Effect.gen(function*() {
      const { state, body } = endlessBody(new TextEncoder().encode("x".repeat(64 * 1024)))
      const daemon = FakeDaemon.make(() =>
        new Response(body, { status: 500, headers: { "content-type": "application/json" } })
      )
      const error = yield* Effect.flip(versionOf(daemon))
      assert.strictEqual(error.reason._tag, "ServerError")
      assert.strictEqual(
        error.message,
        "request returned 500 Internal Server Error with a message (> 1048576 bytes) for API route and version " +
          "http://%2Ffake%2Fdocker.sock/v1.54/images/json, check if the server supports the requested API version"
      )
      assert.isTrue(state.cancelled)
      assert.isAtMost(state.pulled, 2 * 1024 * 1024)
    }))

  it.effect("a JSON answer past maxBodySize: a DecodeError naming the limit, the body cancelled", () =>
    Effect.gen(function*() {
      const { state, body } = endlessBody(new TextEncoder().encode(" ".repeat(64 * 1024)))
      const daemon = FakeDaemon.make(
        () => new Response(body, { status: 200, headers: { "content-type": "application/json" } }),
        { maxBodySize: 1_000_000 }
      )
      const error = yield* Images.Images.use((images) => images.list()).pipe(Effect.provide(daemon.layer), Effect.flip)
      assert.strictEqual(error.reason._tag, "DecodeError")
      assert.strictEqual(
        error.message,
        "ImageList: the daemon's answer is larger than 1000000 bytes, the most the client reads of one answer " +
          "(maxBodySize); it was not read further"
      )
      assert.isTrue(state.cancelled)
      assert.isAtMost(state.pulled, 2 * 1024 * 1024)
    }))
})
