/**
 * `@dockhand/client/promise` against the fake daemon: promises resolve with the models and reject with the Effect
 * API's own `DockerError`, signals stop calls, progress handles iterate, sum up and render once, tar inputs of every
 * kind are uploaded, `save` is a Web stream, and `createClient` picks this runtime's entry.
 */
import type { JsonMessage } from "@dockhand/models"
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Readable } from "node:stream"
import type { Image, Registry } from "../../models/src/index.ts"
import * as DockerError from "../src/DockerError.ts"
import * as DockerPromise from "../src/promise.ts"
import * as FakeDaemon from "./utils/FakeDaemon.ts"

const summary = {
  Containers: -1,
  Created: 1,
  Id: "sha256:" + "a".repeat(64),
  Labels: null,
  ParentId: "",
  RepoDigests: null,
  RepoTags: ["busybox:latest"],
  SharedSize: -1,
  Size: 10
}

const pulling: ReadonlyArray<JsonMessage.Message> = [
  { id: "latest", status: "Pulling from library/busybox" },
  { id: "aaaaaaaaaaaa", status: "Pull complete", progressDetail: {} },
  { status: "Digest: sha256:" + "d".repeat(64) },
  { status: "Status: Downloaded newer image for busybox:latest" }
]

const withoutPing = (requests: ReadonlyArray<FakeDaemon.Recorded>) => requests.filter((r) => r.path !== "/_ping")

/** A client over a fake daemon answering with `handler`. */
const fake = (handler: FakeDaemon.Handler) => {
  const daemon = FakeDaemon.make(handler)
  return { daemon, docker: DockerPromise.fromLayer(daemon.layer) }
}

/** The rejection of `promise` (fails the test when it resolves). */
const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error
  )

describe("promise entry: calls", () => {
  it("list resolves with the decoded summaries and sends the Go client's query", async () => {
    const { daemon, docker } = fake(() => FakeDaemon.json([summary]))
    const list = await docker.images.list({ all: true, filters: { dangling: true } })
    assert.strictEqual(list[0]!.Id, summary.Id)
    assert.deepStrictEqual(list[0]!.RepoTags, ["busybox:latest"])
    const [request] = withoutPing(daemon.requests)
    assert.strictEqual(request!.path, "/v1.54/images/json")
    assert.strictEqual(FakeDaemon.query(request!, "all"), "1")
    await docker.close()
  })

  it("rejects with the Effect API's DockerError instance, its reason matching", async () => {
    const { docker } = fake(() => FakeDaemon.daemonError(404, "No such image: nope:latest"))
    const error = await rejectionOf(docker.images.inspect("nope"))
    assert.instanceOf(error, DockerError.DockerError)
    assert.instanceOf(error, DockerPromise.DockerError)
    assert.isTrue(DockerPromise.isDockerError(error))
    const dockerError = error as DockerError.DockerError
    assert.strictEqual(dockerError.reason._tag, "NotFound")
    assert.strictEqual(dockerError.message, "Error response from daemon: No such image: nope:latest")
    await docker.close()
  })

  it("rejects an invalid argument before any request, as the Effect API does", async () => {
    const { daemon, docker } = fake(() => FakeDaemon.json({}))
    const error = await rejectionOf(docker.images.tag("busybox", "Upper:case"))
    assert.strictEqual((error as DockerError.DockerError).reason._tag, "InvalidArgument")
    assert.lengthOf(withoutPing(daemon.requests), 0)
    await docker.close()
  })

  it("an aborted signal stops a call waiting for the daemon: it rejects with the signal's reason", async () => {
    let answered = false
    const { daemon, docker } = fake(() =>
      new Promise<Response>((resolve) =>
        setTimeout(() => {
          answered = true
          resolve(FakeDaemon.json([]))
        }, 60_000).unref()
      )
    )
    const controller = new AbortController()
    const listing = docker.images.list({ signal: controller.signal })
    while (withoutPing(daemon.requests).length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    const reason = new Error("user gave up")
    controller.abort(reason)
    assert.strictEqual(await rejectionOf(listing), reason)
    assert.isFalse(answered)
    await docker.close()
  })

  it("a signal aborted before the call sends nothing", async () => {
    const { daemon, docker } = fake(() => FakeDaemon.json([]))
    const error = await rejectionOf(docker.images.prune({ signal: AbortSignal.abort() }))
    assert.strictEqual((error as DOMException).name, "AbortError")
    assert.lengthOf(withoutPing(daemon.requests), 0)
    await docker.close()
  })

  it("the results carry the models' types", () => {
    const docker = DockerPromise.fromLayer(FakeDaemon.make(() => FakeDaemon.json([])).layer)
    expectTypeOf(docker.images.list).returns.resolves.toEqualTypeOf<ReadonlyArray<Image.Summary>>()
    expectTypeOf(docker.images.inspect).returns.resolves.toEqualTypeOf<Image.InspectResponse>()
    expectTypeOf(docker.images.history).returns.resolves.toEqualTypeOf<ReadonlyArray<Image.HistoryResponseItem>>()
    expectTypeOf(docker.images.remove).returns.resolves.toEqualTypeOf<ReadonlyArray<Image.DeleteResponse>>()
    expectTypeOf(docker.images.prune).returns.resolves.toEqualTypeOf<Image.PruneReport>()
    expectTypeOf(docker.images.search).returns.resolves.toEqualTypeOf<ReadonlyArray<Registry.SearchResult>>()
    expectTypeOf(docker.images.save).returns.toEqualTypeOf<ReadableStream<Uint8Array>>()
    expectTypeOf(docker.images.pull).returns.toEqualTypeOf<DockerPromise.ProgressHandle>()
  })
})

describe("promise entry: progress handles", () => {
  it("iterating gives every message, then done gives the outcome of the same single request", async () => {
    const { daemon, docker } = fake(() => FakeDaemon.jsonLines(pulling))
    const handle = docker.images.pull("busybox")
    assert.lengthOf(withoutPing(daemon.requests), 0, "nothing is sent before the handle is used")
    const seen: Array<JsonMessage.Message> = []
    for await (const message of handle) seen.push(message)
    assert.deepStrictEqual(seen, pulling)
    const outcome = await handle.done
    assert.strictEqual(outcome.digest, "sha256:" + "d".repeat(64))
    assert.strictEqual(outcome.pullStatus?.upToDate, false)
    assert.lengthOf(withoutPing(daemon.requests), 1)
    await docker.close()
  })

  it("awaiting done alone runs the operation and gives the outcome", async () => {
    const { daemon, docker } = fake(() => FakeDaemon.jsonLines(pulling))
    const outcome = await docker.images.pull("busybox", { platform: { os: "linux", architecture: "amd64" } }).done
    assert.strictEqual(outcome.messages, pulling.length)
    const [request] = withoutPing(daemon.requests)
    assert.strictEqual(FakeDaemon.query(request!, "fromImage"), "docker.io/library/busybox")
    assert.strictEqual(FakeDaemon.query(request!, "platform"), "linux/amd64")
    await docker.close()
  })

  it("render writes docker's display to the writer and gives the outcome", async () => {
    const { docker } = fake(() => FakeDaemon.jsonLines(pulling))
    const written: Array<string> = []
    const outcome = await docker.images.pull("busybox").render({ out: { write: (text) => written.push(text) } })
    assert.strictEqual(
      written.join(""),
      "latest: Pulling from library/busybox\naaaaaaaaaaaa: Pull complete\nDigest: sha256:" + "d".repeat(64) +
        "\nStatus: Downloaded newer image for busybox:latest\n"
    )
    assert.strictEqual(outcome.messages, pulling.length)
    await docker.close()
  })

  it("an in-band error is thrown from the loop and rejects done, as a StreamError DockerError", async () => {
    const { docker } = fake(() =>
      FakeDaemon.jsonLines([pulling[0], { errorDetail: { message: "manifest unknown" }, error: "manifest unknown" }])
    )
    const handle = docker.images.pull("busybox:nope")
    const seen: Array<JsonMessage.Message> = []
    const thrown = await rejectionOf((async () => {
      for await (const message of handle) seen.push(message)
    })())
    assert.deepStrictEqual(seen, [pulling[0]])
    assert.instanceOf(thrown, DockerError.DockerError)
    assert.strictEqual((thrown as DockerError.DockerError).reason._tag, "StreamError")
    assert.strictEqual((thrown as DockerError.DockerError).message, "manifest unknown")
    assert.strictEqual(await rejectionOf(handle.done), thrown)
    await docker.close()
  })

  it("a handle runs once: a second way to run it throws a TypeError", async () => {
    const { daemon, docker } = fake(() => FakeDaemon.jsonLines(pulling))
    const handle = docker.images.pull("busybox")
    await handle.done
    assert.throws(() => handle[Symbol.asyncIterator](), TypeError)
    assert.instanceOf(await rejectionOf(handle.render({ out: { write: () => undefined } })), TypeError)
    await handle.done
    assert.lengthOf(withoutPing(daemon.requests), 1)
    await docker.close()
  })

  it("leaving the loop early stops the operation; done then rejects with an AbortError", async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ id: "x", status: `step ${i}` }))
    const { docker } = fake(() => FakeDaemon.jsonLines(many))
    const handle = docker.images.pull("busybox")
    for await (const message of handle) {
      assert.strictEqual(message.status, "step 0")
      break
    }
    const error = await rejectionOf(handle.done)
    assert.strictEqual((error as DOMException).name, "AbortError")
    await docker.close()
  })

  it("an aborted signal stops a handle's loop and the operation with the signal's reason", async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ id: "x", status: `step ${i}` }))
    const { docker } = fake(() => FakeDaemon.jsonLines(many))
    const controller = new AbortController()
    const handle = docker.images.pull("busybox", { signal: controller.signal })
    const reason = new Error("stop")
    const thrown = await rejectionOf((async () => {
      for await (const _ of handle) controller.abort(reason)
    })())
    assert.strictEqual(thrown, reason)
    assert.strictEqual(await rejectionOf(handle.done), reason)
    await docker.close()
  })
})

describe("promise entry: tar uploads and save", () => {
  const loaded = [{ stream: "Loaded image: app:1\n" }]

  it("load, build and import upload bytes, Web streams, Node streams and iterables as they are", async () => {
    const { daemon, docker } = fake(() => FakeDaemon.jsonLines(loaded))
    const bytes = new Uint8Array([1, 2, 3, 4])
    assert.deepStrictEqual((await docker.images.load(bytes).done).loaded, ["app:1"])
    await docker.images.load(new Blob([bytes]).stream()).done
    await docker.images.build(Readable.from([Buffer.from([1, 2]), Buffer.from([3, 4])]), { tags: ["app:2"] }).done
    await docker.images.import([bytes.subarray(0, 2), bytes.subarray(2)], { reference: "app:3" }).done
    await docker.images.import({ url: "http://127.0.0.1:1/rootfs.tar" }).done
    const requests = withoutPing(daemon.requests)
    assert.deepStrictEqual(requests.map((r) => r.path), [
      "/v1.54/images/load",
      "/v1.54/images/load",
      "/v1.54/build",
      "/v1.54/images/create",
      "/v1.54/images/create"
    ])
    for (const request of requests.slice(0, 4)) assert.deepStrictEqual([...request.body], [1, 2, 3, 4])
    assert.strictEqual(FakeDaemon.query(requests[3]!, "fromSrc"), "-")
    assert.strictEqual(FakeDaemon.query(requests[4]!, "fromSrc"), "http://127.0.0.1:1/rootfs.tar")
    await docker.close()
  })

  it("a failing tar input rejects with a SystemError DockerError", async () => {
    const { docker } = fake(() => FakeDaemon.jsonLines(loaded))
    const broken = (async function*() {
      yield new Uint8Array([1])
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" })
    })()
    const error = await rejectionOf(docker.images.load(broken).done)
    assert.strictEqual((error as DockerError.DockerError).reason._tag, "SystemError")
    assert.include((error as DockerError.DockerError).message, "EIO: i/o error, read")
    await docker.close()
  })

  it("save is a Web ReadableStream of the daemon's tar, asking only when read", async () => {
    const { daemon, docker } = fake(() => new Response(new Uint8Array([7, 8, 9])))
    const stream = docker.images.save(["app:1", "app:2"])
    assert.lengthOf(withoutPing(daemon.requests), 0)
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer())
    assert.deepStrictEqual([...bytes], [7, 8, 9])
    assert.deepStrictEqual(FakeDaemon.queryAll(withoutPing(daemon.requests)[0]!, "names"), ["app:1", "app:2"])
    await docker.close()
  })

  it("save errors the stream with the DockerError", async () => {
    const { docker } = fake(() => FakeDaemon.daemonError(404, "reference does not exist"))
    const error = await rejectionOf(new Response(docker.images.save("nope")).arrayBuffer())
    assert.strictEqual((error as DockerError.DockerError).reason._tag, "NotFound")
    await docker.close()
  })
})

describe("promise entry: createClient", () => {
  it("resolves the settings like the docker CLI, over this runtime's entry, and closes", async () => {
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-promise-"))
    const daemon = FakeDaemon.make(() => FakeDaemon.json([summary]))
    const endpoints: Array<string> = []
    await using docker = DockerPromise.createClient({
      host: "unix:///fake/promise.sock",
      configDir,
      wrapTransport: (_client, endpoint) => {
        endpoints.push(endpoint._tag === "Unix" ? endpoint.path : endpoint._tag)
        return daemon.client
      }
    })
    const list = await docker.images.list()
    assert.strictEqual(list[0]!.Id, summary.Id)
    assert.deepStrictEqual(endpoints, ["/fake/promise.sock"])
    fs.rmSync(configDir, { recursive: true, force: true })
  })

  it("a host the docker CLI refuses rejects the first call with its DockerError", async () => {
    const docker = DockerPromise.createClient({ host: "udp://nowhere" })
    const error = await rejectionOf(docker.images.list())
    assert.isTrue(DockerPromise.isDockerError(error))
    assert.strictEqual((error as DockerError.DockerError).reason._tag, "InvalidArgument")
    assert.include((error as DockerError.DockerError).message, "invalid bind address format: udp://nowhere")
    await docker.close()
  })
})
