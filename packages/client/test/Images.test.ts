import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { readFileSync } from "node:fs"
import * as Credentials from "../src/Credentials.ts"
import * as DockerPlatform from "../src/DockerPlatform.ts"
import * as Images from "../src/Images.ts"
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

const run = <A, E>(
  daemon: ReturnType<typeof FakeDaemon.make>,
  f: (images: Images.Service) => Effect.Effect<A, E>
) => Images.Images.use(f).pipe(Effect.provide(daemon.layer))

const withoutPing = (requests: ReadonlyArray<FakeDaemon.Recorded>) => requests.filter((r) => r.path !== "/_ping")

describe("Images.list", () => {
  it.effect("sends the Go client's query and decodes Engine 20.10 nulls", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json([summary]), { apiVersion: "1.41" })
      const list = yield* run(daemon, (images) =>
        images.list({ all: true, filters: { dangling: true, label: ["a=b", "c"] } }))
      assert.strictEqual(list[0]!.RepoDigests, null)
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(request!.method, "GET")
      assert.strictEqual(request!.path, "/v1.41/images/json")
      assert.strictEqual(FakeDaemon.query(request!, "all"), "1")
      assert.deepStrictEqual(JSON.parse(FakeDaemon.query(request!, "filters")!), {
        dangling: { true: true },
        label: { "a=b": true, c: true }
      })
    }))

  it.effect("refuses an option the negotiated API lacks, before any request", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json([]), { apiVersion: "1.41" })
      const error = yield* Effect.flip(run(daemon, (images) => images.list({ sharedSize: true })))
      assert.strictEqual(error.reason._tag, "ApiVersionError")
      assert.strictEqual(
        error.message,
        `"shared-size" requires API version 1.42, but the Docker daemon API version is 1.41`
      )
      assert.lengthOf(withoutPing(daemon.requests), 0)
    }))

  it.effect("sends identity together with manifests on API 1.54", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json([]))
      yield* run(daemon, (images) => images.list({ identity: true }))
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(request!.path, "/v1.54/images/json")
      assert.strictEqual(FakeDaemon.query(request!, "manifests"), "1")
      assert.strictEqual(FakeDaemon.query(request!, "identity"), "1")
    }))
})

describe("errors", () => {
  it.effect("maps a 404 to NotFound with the daemon's message, like the docker CLI", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.daemonError(404, "No such image: x:latest"))
      const error = yield* Effect.flip(run(daemon, (images) => images.inspect("x")))
      assert.strictEqual(error.reason._tag, "NotFound")
      assert.strictEqual(error.message, "Error response from daemon: No such image: x:latest")
      if (error.reason._tag === "NotFound") {
        assert.strictEqual(error.reason.status, 404)
        assert.strictEqual(error.reason.operation, "ImageInspect")
        assert.strictEqual(error.reason.reference, "x")
      }
    }))

  it.effect("reports a text/plain error body as its text", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() =>
        new Response("something broke\n", { status: 500, headers: { "content-type": "text/plain" } })
      )
      const error = yield* Effect.flip(run(daemon, (images) => images.list()))
      assert.strictEqual(error.reason._tag, "ServerError")
      assert.strictEqual(error.message, "Error response from daemon: something broke")
    }))

  it.effect("maps 409, 400, 401, 403 and 503", () =>
    Effect.gen(function*() {
      for (
        const [status, tag] of [[409, "Conflict"], [400, "BadRequest"], [401, "Unauthorized"], [403, "Forbidden"], [
          503,
          "Unavailable"
        ]] as const
      ) {
        const daemon = FakeDaemon.make(() => FakeDaemon.daemonError(status, "no"))
        const error = yield* Effect.flip(run(daemon, (images) => images.remove("x")))
        assert.strictEqual(error.reason._tag, tag)
      }
    }))

  it.effect("gives a DecodeError for a malformed answer", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() =>
        new Response("[{", { status: 200, headers: { "content-type": "application/json" } })
      )
      const error = yield* Effect.flip(run(daemon, (images) => images.list()))
      assert.strictEqual(error.reason._tag, "DecodeError")
    }))
})

describe("names in paths", () => {
  it.effect("keeps a reference as the Go client sends it, but lets nothing escape the path", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.daemonError(404, "no"))
      yield* Effect.flip(run(daemon, (images) => images.inspect("127.0.0.1:5000/team/app:1.2")))
      yield* Effect.flip(run(daemon, (images) => images.inspect("x?force=1#y")))
      const dots = yield* Effect.flip(run(daemon, (images) => images.history("../../containers/json")))
      const escapedDots = yield* Effect.flip(run(daemon, (images) => images.remove("a/%2E%2E/b")))
      const [plain, injected, ...others] = withoutPing(daemon.requests)
      assert.strictEqual(plain!.path, "/v1.54/images/127.0.0.1:5000/team/app:1.2/json")
      assert.strictEqual(injected!.path, "/v1.54/images/x%3Fforce%3D1%23y/json")
      assert.lengthOf(injected!.query, 0)
      assert.strictEqual(dots.reason._tag, "InvalidArgument")
      assert.strictEqual(escapedDots.reason._tag, "InvalidArgument")
      assert.lengthOf(others, 0)
    }))

  it.effect("keeps a filter value inside the filters parameter", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json([]))
      yield* run(daemon, (images) => images.list({ filters: { reference: "a&all=1" } }))
      const [request] = withoutPing(daemon.requests)
      assert.deepStrictEqual(request!.query.map(([k]) => k), ["filters"])
    }))
})

describe("Images.history", () => {
  it.effect("gives an empty list for the null the containerd store sends when the config has no history", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json(null), { apiVersion: "1.51" })
      const history = yield* run(daemon, (images) => images.history("legacy:loaded"))
      assert.deepStrictEqual(history, [])
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(request!.path, "/v1.51/images/legacy:loaded/history")
    }))
})

describe("Images.pull", () => {
  const secret = "s3cr3t-passw0rd"
  const auth = { username: "u", password: Redacted.make(secret), serveraddress: "127.0.0.1:5443" }

  it.effect("normalises the reference and sends padded base64url credentials", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() =>
        FakeDaemon.jsonLines([
          { status: "Pulling from library/busybox", id: "latest" },
          { status: "Digest: sha256:" + "b".repeat(64) },
          { status: "Status: Downloaded newer image for busybox:latest" }
        ])
      )
      const outcome = yield* run(daemon, (images) =>
        images.pull("busybox", { auth, platform: { os: "linux", architecture: "arm64", variant: "v8" } }).outcome)
      assert.strictEqual(outcome.digest, "sha256:" + "b".repeat(64))
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(FakeDaemon.query(request!, "fromImage"), "docker.io/library/busybox")
      assert.strictEqual(FakeDaemon.query(request!, "tag"), "latest")
      assert.strictEqual(FakeDaemon.query(request!, "platform"), "linux/arm64/v8")
      const header = request!.headers["x-registry-auth"]!
      assert.match(header, /^[A-Za-z0-9_-]+=*$/)
      assert.strictEqual(header.length % 4, 0)
      const decoded = JSON.parse(atob(header.replace(/-/g, "+").replace(/_/g, "/")))
      assert.deepStrictEqual(decoded, { username: "u", password: secret, serveraddress: "127.0.0.1:5443" })
    }))

  it.effect("fails with StreamError when the stream reports an error, and never shows the secret", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() =>
        FakeDaemon.jsonLines([
          { status: "Pulling from x", id: "1" },
          {
            errorDetail: { code: 401, message: "unauthorized: authentication required" },
            error: "unauthorized: authentication required"
          }
        ])
      )
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        run(daemon, (images) =>
          images.pull("127.0.0.1:5443/x:1", { auth }).messages.pipe(
            Stream.runForEach((message) => Effect.sync(() => seen.push(message.status ?? "")))
          ))
      )
      assert.deepStrictEqual(seen, ["Pulling from x"])
      assert.strictEqual(error.reason._tag, "StreamError")
      if (error.reason._tag === "StreamError") assert.strictEqual(error.reason.code, 401)
      for (const text of [error.message, String(error), JSON.stringify(error)]) assert.notInclude(text, secret)
    }))

  it.effect("pulls a digest, or every tag", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines([]))
      const digest = "sha256:" + "c".repeat(64)
      yield* run(daemon, (images) => images.pull(`127.0.0.1:5000/a/b@${digest}`).outcome)
      yield* run(daemon, (images) => images.pull("alpine", { all: true }).outcome)
      const [byDigest, all] = withoutPing(daemon.requests)
      assert.strictEqual(FakeDaemon.query(byDigest!, "fromImage"), "127.0.0.1:5000/a/b")
      assert.strictEqual(FakeDaemon.query(byDigest!, "tag"), digest)
      assert.isUndefined(FakeDaemon.query(all!, "tag"))
      assert.isUndefined(all!.headers["x-registry-auth"])
    }))

  it.effect("a credHelpers program that cannot run leaves the pull without credentials, with a warning", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines([]))
      const credentials = Credentials.layer.pipe(Layer.provide(DockerPlatform.DockerPlatform.fromRecord({
        env: { DOCKER_CONFIG: "/cfg" },
        files: { "/cfg/config.json": JSON.stringify({ credHelpers: { "127.0.0.1:5000": "absent" } }) }
      })))
      const logged: Array<unknown> = []
      yield* run(daemon, (images) => images.pull("127.0.0.1:5000/a:1").outcome).pipe(
        Effect.provide(credentials),
        Effect.provide(
          Logger.layer([Logger.make(({ logLevel, message }) => void logged.push([logLevel, message].flat()))])
        )
      )
      const [request] = withoutPing(daemon.requests)
      assert.isUndefined(request!.headers["x-registry-auth"])
      assert.deepStrictEqual(logged, [[
        "Warn",
        "Failed to get credentials for registry: 127.0.0.1:5000: error getting credentials - err: exec: \"docker-credential-absent\": executable file not found in $PATH, out: ``"
      ]])
    }))

  it.effect("rejects an invalid reference with docker's message and sends nothing", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines([]))
      const error = yield* Effect.flip(run(daemon, (images) => images.pull("Busybox").outcome))
      assert.strictEqual(error.message, "invalid reference format: repository name (library/Busybox) must be lowercase")
      assert.lengthOf(withoutPing(daemon.requests), 0)
    }))
})

describe("Images.push, tag, remove", () => {
  it.effect("push sends e30= when anonymous and the tag separately", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() =>
        FakeDaemon.jsonLines([{ status: "1: digest: sha256:x size: 527" }, {
          progressDetail: {},
          aux: { Tag: "1", Digest: "sha256:" + "d".repeat(64), Size: 527 }
        }])
      )
      const outcome = yield* run(daemon, (images) => images.push("127.0.0.1:5000/team/app:1").outcome)
      assert.deepStrictEqual(outcome.pushed, { Tag: "1", Digest: "sha256:" + "d".repeat(64), Size: 527 })
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(request!.path, "/v1.54/images/127.0.0.1:5000/team/app/push")
      assert.strictEqual(FakeDaemon.query(request!, "tag"), "1")
      assert.strictEqual(request!.headers["x-registry-auth"], "e30=")
    }))

  it.effect("push refuses a platform on API 1.41", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines([]), { apiVersion: "1.41" })
      const error = yield* Effect.flip(
        run(daemon, (images) => images.push("a:1", { platform: { os: "linux", architecture: "amd64" } }).outcome)
      )
      assert.strictEqual(error.reason._tag, "ApiVersionError")
    }))

  it.effect("tag sends the familiar name and refuses a digest target", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => new Response(null, { status: 201 }))
      yield* run(daemon, (images) => images.tag("busybox", "docker.io/library/mybox"))
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(FakeDaemon.query(request!, "repo"), "mybox")
      assert.strictEqual(FakeDaemon.query(request!, "tag"), "latest")
      const error = yield* Effect.flip(run(daemon, (images) => images.tag("busybox", "x@sha256:" + "e".repeat(64))))
      assert.strictEqual(error.message, "refusing to create a tag with a digest reference")
    }))

  it.effect("remove sends force, noprune and repeated JSON platforms", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json([{ Untagged: "a:1" }]))
      yield* run(daemon, (images) =>
        images.remove("a:1", {
          force: true,
          noPrune: true,
          platforms: [{ os: "linux", architecture: "amd64" }, { os: "linux", architecture: "arm64", variant: "v8" }]
        }))
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(request!.method, "DELETE")
      assert.strictEqual(FakeDaemon.query(request!, "force"), "1")
      assert.strictEqual(FakeDaemon.query(request!, "noprune"), "1")
      assert.deepStrictEqual(FakeDaemon.queryAll(request!, "platforms").map((p) => JSON.parse(p)), [
        { architecture: "amd64", os: "linux" },
        { architecture: "arm64", os: "linux", variant: "v8" }
      ])
    }))
})

describe("Images.save, load, import, build", () => {
  it.effect("save sends repeated names and streams the tar", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() =>
        new Response(new Uint8Array([1, 2, 3]), { status: 200, headers: { "content-type": "application/x-tar" } })
      )
      const chunks = yield* run(daemon, (images) => Stream.runCollect(images.save(["a:1", "b:2"])))
      assert.deepStrictEqual(Array.from(chunks.flatMap((c) => Array.from(c))), [1, 2, 3])
      const [request] = withoutPing(daemon.requests)
      assert.deepStrictEqual(FakeDaemon.queryAll(request!, "names"), ["a:1", "b:2"])
    }))

  it.effect("save with two platforms needs API 1.52", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => new Response(new Uint8Array(0)), { apiVersion: "1.48" })
      const p = { os: "linux", architecture: "amd64" }
      const error = yield* Effect.flip(
        run(
          daemon,
          (images) => Stream.runDrain(images.save(["a"], { platforms: [p, { ...p, architecture: "arm64" }] }))
        )
      )
      assert.strictEqual(
        error.message,
        `"multiple platforms" requires API version 1.52, but the Docker daemon API version is 1.48`
      )
    }))

  it.effect("load always sends quiet and reports the loaded names", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() =>
        FakeDaemon.jsonLines([{ stream: "Loaded image: a:1\n" }, {
          stream: "Loaded image ID: sha256:" + "f".repeat(64) + "\n"
        }])
      )
      const outcome = yield* run(daemon, (images) => images.load(Stream.make(new Uint8Array([9, 9]))).outcome)
      assert.deepStrictEqual(outcome.loaded, ["a:1", "sha256:" + "f".repeat(64)])
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(FakeDaemon.query(request!, "quiet"), "0")
      assert.deepStrictEqual(Array.from(request!.body), [9, 9])
      assert.strictEqual(request!.headers["content-type"], "application/x-tar")
    }))

  it.effect("import sends repo, tag, repeated changes and the tar; the outcome has the new id", () =>
    Effect.gen(function*() {
      const id = "sha256:" + "1".repeat(64)
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines([{ status: id }]))
      const outcome = yield* run(
        daemon,
        (images) =>
          images.import({ _tag: "Stream", stream: Stream.make(new Uint8Array([7])) }, {
            reference: "team/app:2",
            changes: ["ENV A=b", `CMD ["sh"]`],
            message: "hi",
            platform: { os: "linux", architecture: "amd64" }
          }).outcome
      )
      assert.strictEqual(outcome.imageId, id)
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(FakeDaemon.query(request!, "fromSrc"), "-")
      assert.strictEqual(FakeDaemon.query(request!, "repo"), "team/app:2")
      assert.isUndefined(FakeDaemon.query(request!, "tag"))
      assert.deepStrictEqual(FakeDaemon.queryAll(request!, "changes"), ["ENV A=b", `CMD ["sh"]`])
      assert.strictEqual(FakeDaemon.query(request!, "platform"), "linux/amd64")
    }))

  it.effect("build sends the classic builder's parameters and every registry's credentials", () =>
    Effect.gen(function*() {
      const id = "sha256:" + "2".repeat(64)
      const daemon = FakeDaemon.make(() =>
        FakeDaemon.jsonLines([{ stream: "Step 1/1 : FROM scratch\n" }, { aux: { ID: id } }])
      )
      const outcome = yield* run(daemon, (images) =>
        images.build(Stream.make(new Uint8Array([1])), {
          tags: ["a:1", "b:2"],
          buildArgs: { X: "1", Y: null },
          labels: { l: "v" },
          remove: false,
          target: "final",
          authConfigs: { "127.0.0.1:5443": { username: "u", password: Redacted.make("p") } }
        }).outcome)
      assert.strictEqual(outcome.imageId, id)
      const [request] = withoutPing(daemon.requests)
      assert.deepStrictEqual(FakeDaemon.queryAll(request!, "t"), ["a:1", "b:2"])
      assert.deepStrictEqual(JSON.parse(FakeDaemon.query(request!, "buildargs")!), { X: "1", Y: null })
      assert.strictEqual(FakeDaemon.query(request!, "rm"), "0")
      assert.strictEqual(FakeDaemon.query(request!, "version"), "1")
      const config = JSON.parse(atob(request!.headers["x-registry-config"]!.replace(/-/g, "+").replace(/_/g, "/")))
      assert.deepStrictEqual(config, { "127.0.0.1:5443": { username: "u", password: "p" } })
    }))

  it.effect("build reports a failed RUN step's exit status as the StreamError code", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() =>
        FakeDaemon.jsonLines([{
          errorDetail: { code: 2, message: "The command '/bin/sh -c false' returned a non-zero code: 2" }
        }])
      )
      const error = yield* Effect.flip(run(daemon, (images) => images.build(Stream.empty).outcome))
      assert.strictEqual(error.reason._tag, "StreamError")
      if (error.reason._tag === "StreamError") assert.strictEqual(error.reason.code, 2)
    }))
})

/** Progress lines of `POST /build?version=2` recorded from Engine 28.5.2 (the codecs package's fixtures). */
const recordedBuildkit = (name: string): Array<unknown> =>
  readFileSync(new URL(`../../codecs/test/fixtures/buildkit-engine-28.5.2/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line))

describe("Images.build with BuildKit", () => {
  it.effect("a session is refused with the classic builder and with remote, before any request", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines([]))
      const classic = yield* Effect.flip(
        run(daemon, (images) => images.build(Stream.empty, { session: { context: "." } }).outcome)
      )
      assert.strictEqual(classic.reason._tag, "InvalidArgument")
      assert.include(classic.message, "a session needs the BuildKit builder (version 2)")
      const remote = yield* Effect.flip(
        run(
          daemon,
          (images) =>
            images.build(Stream.empty, {
              version: "2",
              remote: "https://example.invalid/x.git",
              session: { context: "." }
            })
              .outcome
        )
      )
      assert.include(remote.message, "cannot be used with remote")
      assert.deepStrictEqual(withoutPing(daemon.requests), [])
    }))

  it.effect("sends version=2 with BuildKit's options and gives the image ID of a recorded build", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines(recordedBuildkit("ok.jsonl")))
      const outcome = yield* run(daemon, (images) =>
        images.build(Stream.make(new Uint8Array([1])), {
          version: "2",
          tags: ["a:1"],
          dockerfile: "Dockerfile.dev",
          target: "final",
          buildArgs: { GREETING: "hi" },
          labels: { l: "v" },
          noCache: true,
          pull: true,
          networkMode: "none",
          platform: { os: "linux", architecture: "amd64" },
          cacheFrom: ["a:0"],
          extraHosts: ["h:127.0.0.1"],
          shmSize: 1024,
          ulimits: [{ Name: "nofile", Soft: 1024, Hard: 2048 }],
          outputs: [{ type: "moby" }]
        }).outcome)
      assert.strictEqual(outcome.imageId, "sha256:ebd759ec29d79447ffc1741e20f19f55e456c5614bf4fd35c59a6b952d0c9091")
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(FakeDaemon.query(request!, "version"), "2")
      assert.strictEqual(FakeDaemon.query(request!, "dockerfile"), "Dockerfile.dev")
      assert.strictEqual(FakeDaemon.query(request!, "target"), "final")
      assert.strictEqual(FakeDaemon.query(request!, "nocache"), "1")
      assert.strictEqual(FakeDaemon.query(request!, "pull"), "1")
      assert.strictEqual(FakeDaemon.query(request!, "networkmode"), "none")
      assert.strictEqual(FakeDaemon.query(request!, "platform"), "linux/amd64")
      assert.strictEqual(FakeDaemon.query(request!, "shmsize"), "1024")
      assert.deepStrictEqual(FakeDaemon.queryAll(request!, "extrahosts"), ["h:127.0.0.1"])
      assert.deepStrictEqual(JSON.parse(FakeDaemon.query(request!, "cachefrom")!), ["a:0"])
      assert.deepStrictEqual(JSON.parse(FakeDaemon.query(request!, "ulimits")!), [
        { Name: "nofile", Soft: 1024, Hard: 2048 }
      ])
      assert.deepStrictEqual(JSON.parse(FakeDaemon.query(request!, "outputs")!), [{ Type: "moby", Attrs: {} }])
      assert.isUndefined(FakeDaemon.query(request!, "q"))
    }))

  it.effect("a failed step fails with a StreamError naming the step and carrying its last output lines", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines(recordedBuildkit("fail.jsonl")))
      const error = yield* Effect.flip(run(daemon, (images) => images.build(Stream.empty, { version: "2" }).outcome))
      assert.strictEqual(error.reason._tag, "StreamError")
      if (error.reason._tag !== "StreamError") return
      assert.strictEqual(
        error.message,
        "process \"/bin/sh -c echo line one && echo line two && exit 3\" did not complete successfully: exit code: 3"
      )
      assert.strictEqual(error.reason.vertex, "[2/2] RUN echo line one && echo line two && exit 3")
      assert.deepStrictEqual(error.reason.logs, ["line one", "line two"])
      assert.isUndefined(error.reason.code)
    }))

  it.effect("refuses the classic builder's options with BuildKit, and outputs with the classic builder", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines([]))
      const buildkit = yield* Effect.flip(
        run(
          daemon,
          (images) => images.build(Stream.empty, { version: "2", squash: true, memory: 1, quiet: true }).outcome
        )
      )
      assert.strictEqual(buildkit.reason._tag, "InvalidArgument")
      assert.strictEqual(
        buildkit.message,
        "the BuildKit builder does not support q, memory, squash (the classic builder's options)"
      )
      const classic = yield* Effect.flip(
        run(
          daemon,
          (images) => images.build(Stream.empty, { outputs: [{ type: "local", attrs: { dest: "out" } }] }).outcome
        )
      )
      assert.strictEqual(classic.message, "outputs need the BuildKit builder (version 2)")
      const two = yield* Effect.flip(
        run(
          daemon,
          (images) => images.build(Stream.empty, { version: "2", outputs: [{ type: "moby" }, { type: "tar" }] }).outcome
        )
      )
      assert.strictEqual(two.message, "multiple outputs not supported")
      assert.lengthOf(withoutPing(daemon.requests), 0)
    }))
})

describe("Images.buildCancel", () => {
  it.effect("posts the build's id to /build/cancel; a daemon error is a typed failure", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => new Response(null, { status: 200 }))
      yield* run(daemon, (images) => images.buildCancel("b1d"))
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(request!.method, "POST")
      assert.strictEqual(request!.path.replace(/^\/v[\d.]+/, ""), "/build/cancel")
      assert.deepStrictEqual(request!.query, [["id", "b1d"]])
      const refused = FakeDaemon.make(() => FakeDaemon.daemonError(500, "no builder"))
      const error = yield* Effect.flip(run(refused, (images) => images.buildCancel("b1d")))
      assert.include(error.message, "no builder")
    }))
})

describe("Images.buildCachePrune and commit", () => {
  it.effect("sends keep-storage before API 1.48 and reserved-space from it", () =>
    Effect.gen(function*() {
      const report = { CachesDeleted: null, SpaceReclaimed: 0 }
      const old = FakeDaemon.make(() => FakeDaemon.json(report), { apiVersion: "1.41" })
      yield* run(old, (images) => images.buildCachePrune({ reservedSpace: 100 }))
      const current = FakeDaemon.make(() => FakeDaemon.json(report))
      yield* run(current, (images) => images.buildCachePrune({ reservedSpace: 100, all: true }))
      assert.strictEqual(FakeDaemon.query(withoutPing(old.requests)[0]!, "keep-storage"), "100")
      assert.strictEqual(FakeDaemon.query(withoutPing(current.requests)[0]!, "reserved-space"), "100")
    }))

  it.effect("commit always sends container, repo, tag, comment and author, and the config as JSON", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json({ Id: "sha256:" + "3".repeat(64) }, 201))
      const result = yield* run(
        daemon,
        (images) => images.commit("c1", { pause: false, config: { Labels: { a: "b" } } })
      )
      assert.strictEqual(result.Id, "sha256:" + "3".repeat(64))
      const [request] = withoutPing(daemon.requests)
      assert.deepStrictEqual(request!.query.map(([k]) => k), ["container", "repo", "tag", "comment", "author", "pause"])
      assert.strictEqual(FakeDaemon.query(request!, "pause"), "0")
      assert.deepStrictEqual(JSON.parse(new TextDecoder().decode(request!.body)), { Labels: { a: "b" } })
      assert.strictEqual(request!.headers["content-type"], "application/json")
    }))
})

describe("Images.history", () => {
  it.effect("reads a null answer (an image whose config has no history, as Engine 28.5 sends it) as no items", () =>
    Effect.gen(function*() {
      const daemon = FakeDaemon.make(() => FakeDaemon.json(null), { apiVersion: "1.51" })
      const items = yield* run(daemon, (images) => images.history("legacy:nohistory"))
      assert.deepStrictEqual(items, [])
      const [request] = withoutPing(daemon.requests)
      assert.strictEqual(request!.path, "/v1.51/images/legacy:nohistory/history")
    }))
})
