import { ApiVersion, DockerHost } from "@dockhand/client"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import * as Prefetch from "../src/internal/Prefetch.ts"
import * as Runtime from "../src/internal/Runtime.ts"

const noContext = { env: {}, currentContext: () => undefined }

describe("Prefetch.plan", () => {
  it("image ls, image list and images, with output flags, are read ahead", () => {
    for (
      const argv of [
        ["images"],
        ["image", "ls"],
        ["image", "list"],
        ["image", "ls", "-q", "--digests", "--no-trunc"],
        ["images", "--format", "{{.ID}}"],
        ["images", "--format={{json .}}"],
        ["-D", "images"],
        ["--log-level", "debug", "image", "ls"]
      ]
    ) {
      assert.deepStrictEqual(Prefetch.plan(argv, noContext), {
        socketPath: "/var/run/docker.sock",
        path: "/images/json"
      }, argv.join(" "))
    }
    for (const argv of [["images", "-a"], ["image", "ls", "--all"], ["images", "-qa"], ["images", "-aq"]]) {
      assert.deepStrictEqual(Prefetch.plan(argv, noContext)?.path, "/images/json?all=1", argv.join(" "))
    }
    // --tree lists with manifests (docker CLI 28.5's tree), in the client's query order.
    assert.deepStrictEqual(
      Prefetch.plan(["--log-level=warn", "images", "--tree"], noContext)?.path,
      "/images/json?manifests=1"
    )
    assert.deepStrictEqual(
      Prefetch.plan(["image", "ls", "--tree", "-a"], noContext)?.path,
      "/images/json?all=1&manifests=1"
    )
  })

  it("anything that changes the request, or another command, is not", () => {
    for (
      const argv of [
        ["images", "busybox"],
        ["images", "-f", "dangling=true"],
        ["images", "--filter=x=y"],
        ["images", "--all=false"],
        ["image", "inspect", "x"],
        ["image"],
        [],
        ["-H", "unix:///x.sock", "images"],
        ["--context", "x", "images"],
        ["images", "--"],
        ["images", "-x"],
        ["--config", "/tmp", "images"],
        ["image", "pull", "ls"]
      ]
    ) {
      assert.isUndefined(Prefetch.plan(argv, noContext), argv.join(" "))
    }
  })

  it("the socket is the one the docker CLI would use, and only when it is sure", () => {
    const socket = (env: Record<string, string>, currentContext?: string) =>
      Prefetch.socketPath({ env, currentContext: () => currentContext })
    assert.strictEqual(socket({}), "/var/run/docker.sock")
    assert.strictEqual(socket({ DOCKER_HOST: "unix:///tmp/d.sock" }), "/tmp/d.sock")
    assert.strictEqual(socket({ DOCKER_HOST: "unix:///tmp/d.sock", DOCKER_CONTEXT: "other" }), "/tmp/d.sock")
    assert.strictEqual(socket({}, "default"), "/var/run/docker.sock")
    assert.strictEqual(socket({ DOCKER_CONTEXT: "default" }, "other"), "/var/run/docker.sock")
    assert.isUndefined(socket({ DOCKER_HOST: "tcp://127.0.0.1:2375" }))
    assert.isUndefined(socket({ DOCKER_HOST: "ssh://host" }))
    assert.isUndefined(socket({ DOCKER_CONTEXT: "other" }))
    assert.isUndefined(socket({}, "remote"))
    assert.isUndefined(socket({ DOCKER_API_VERSION: "1.41" }))
  })
})

describe("Prefetch.negotiate", () => {
  it("speaks the client's range (the constants are the client's own)", () => {
    assert.strictEqual(`1.${Prefetch.apiVersions.minimum}`, ApiVersion.minimum)
    assert.strictEqual(`1.${Prefetch.apiVersions.maximum}`, ApiVersion.maximum)
    assert.strictEqual(Prefetch.negotiate("1.41"), "1.41")
    assert.strictEqual(Prefetch.negotiate(" 1.47 "), "1.47")
    assert.strictEqual(Prefetch.negotiate("1.99"), ApiVersion.maximum)
    assert.isUndefined(Prefetch.negotiate("1.40"))
    assert.isUndefined(Prefetch.negotiate(undefined))
    assert.isUndefined(Prefetch.negotiate("two"))
  })
})

/** A daemon on a unix socket answering `/_ping` and `/v1.41/images/json`, counting requests. */
const daemon = () =>
  Effect.acquireRelease(
    Effect.promise(() => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-prefetch-"))
      const socket = path.join(dir, "docker.sock")
      const seen: Array<string> = []
      const server = http.createServer((request, response) => {
        seen.push(`${request.method} ${request.url} ${request.headers["user-agent"]}`)
        response.setHeader("api-version", "1.41")
        if (request.url === "/_ping") return response.end("OK")
        response.setHeader("content-type", "application/json")
        response.end(`[{"n":${seen.length}}]\n`)
      })
      return new Promise<{ socket: string; seen: Array<string>; close: () => void }>((resolve) =>
        server.listen(socket, () =>
          resolve({ socket, seen, close: () => (server.close(), fs.rmSync(dir, { recursive: true, force: true })) }))
      )
    }),
    (d) =>
      Effect.sync(d.close)
  )

/** A transport that must not be used: every request it gets is recorded and answered 500. */
const underlying = () => {
  const sent: Array<string> = []
  const client = HttpClient.make((request, url) => {
    sent.push(`${request.method} ${url.pathname}${url.search}`)
    return Effect.succeed(HttpClientResponse.fromWeb(request, new Response("no", { status: 500 })))
  })
  return { client, sent }
}

describe("Prefetch.start and Runtime.withPrefetched", () => {
  it.effect("answers the exact request sent ahead from that answer, once, and the rest as usual", () =>
    Effect.gen(function*() {
      const d = yield* daemon()
      yield* Effect.promise(() => Prefetch.start(["image", "ls", "-q"], { DOCKER_HOST: `unix://${d.socket}` }))
      const { client, sent } = underlying()
      const wrapped = Runtime.withPrefetched(client, new DockerHost.Unix({ path: d.socket }))
      const get = (url: string) =>
        wrapped.execute(HttpClientRequest.get(`http://api.moby.localhost${url}`)).pipe(
          Effect.flatMap((response) => Effect.map(response.text, (text) => `${response.status} ${text.trim()}`))
        )
      const ping = yield* wrapped.execute(HttpClientRequest.head("http://api.moby.localhost/_ping"))
      assert.strictEqual(ping.status, 200)
      assert.strictEqual(yield* get("/v1.41/images/json"), "200 [{\"n\":2}]")
      // the same request again goes out as usual
      assert.strictEqual(yield* get("/v1.41/images/json"), "500 no")
      assert.deepStrictEqual(sent, ["GET /v1.41/images/json"])
      assert.deepStrictEqual(d.seen, [
        `HEAD /_ping ${Prefetch.userAgent}`,
        `GET /v1.41/images/json ${Prefetch.userAgent}`
      ])
    }).pipe(Effect.scoped))

  it.effect("a request that differs is sent as usual and the answer sent ahead is dropped", () =>
    Effect.gen(function*() {
      const d = yield* daemon()
      yield* Effect.promise(() => Prefetch.start(["images", "-a"], { DOCKER_HOST: `unix://${d.socket}` }))
      const { client, sent } = underlying()
      const wrapped = Runtime.withPrefetched(client, new DockerHost.Unix({ path: d.socket }))
      // another socket: not the one the answers came from
      const elsewhere = Runtime.withPrefetched(client, new DockerHost.Unix({ path: "/elsewhere.sock" }))
      const status = (c: HttpClient.HttpClient, url: string) =>
        c.execute(HttpClientRequest.get(`http://api.moby.localhost${url}`)).pipe(Effect.map((r) => r.status))
      assert.strictEqual(yield* status(elsewhere, "/v1.41/images/json?all=1"), 500)
      // the mismatch dropped every waiting answer
      assert.strictEqual(yield* status(wrapped, "/v1.41/images/json?all=1"), 500)
      assert.deepStrictEqual(sent, ["GET /v1.41/images/json?all=1", "GET /v1.41/images/json?all=1"])
    }).pipe(Effect.scoped))

  it.effect("nothing is sent for other commands, with DOCKHAND_NO_PREFETCH, or when the engine is not there", () =>
    Effect.gen(function*() {
      const d = yield* daemon()
      yield* Effect.promise(() => Prefetch.start(["image", "inspect", "x"], { DOCKER_HOST: `unix://${d.socket}` }))
      yield* Effect.promise(() =>
        Prefetch.start(["images"], { DOCKER_HOST: `unix://${d.socket}`, DOCKHAND_NO_PREFETCH: "1" })
      )
      assert.deepStrictEqual(d.seen, [])
      yield* Effect.promise(() => Prefetch.start(["images"], { DOCKER_HOST: "unix:///nonexistent/docker.sock" }))
      assert.isUndefined(Prefetch.take("/nonexistent/docker.sock", "GET", "/v1.41/images/json"))
    }).pipe(Effect.scoped))

  it.effect("a config file that cannot be read means nothing is sent ahead, not a crash", () =>
    Effect.gen(function*() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-prefetch-config-"))
      fs.mkdirSync(path.join(dir, "config.json"))
      yield* Effect.promise(() => Prefetch.start(["images"], { DOCKER_CONFIG: dir, HOME: dir }))
      fs.rmSync(dir, { recursive: true, force: true })
      assert.isUndefined(Prefetch.take("/var/run/docker.sock", "HEAD", "/_ping"))
    }))
})
