/**
 * The runtime entries' public types: every type in the signatures of `@dockhand/client/node`, `/bun` and `/deno`
 * can be named from a public module (the entry itself, `@dockhand/client/DockerLayers` or `@dockhand/client`). This
 * file is type-checked by `tsc -p tsconfig.test.json`; its type assertions fail the build, not only the run.
 */
import { Images } from "@dockhand/client"
import type {
  Credentials,
  DockerEngine,
  DockerError,
  DockerPlatform,
  DockerSettings,
  SystemApi
} from "@dockhand/client"
import * as BunDocker from "@dockhand/client/bun"
import * as DenoDocker from "@dockhand/client/deno"
import * as DockerHost from "@dockhand/client/DockerHost"
import * as DockerLayers from "@dockhand/client/DockerLayers"
import * as Docker from "@dockhand/client/node"
import * as NodeDockerTransport from "@dockhand/client/NodeDockerTransport"
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpClient from "effect/http/HttpClient"
import type * as Layer from "effect/Layer"

/** What a user writes against the public names only. */
const withRecording = (
  flags: DockerSettings.Flags,
  options: Docker.Options
): Layer.Layer<Docker.Services, DockerError.DockerError> => Docker.layerWith(flags, options)

describe("the runtime entries' public types", () => {
  it("layer, layerWith and layerFromOptions are typed with public names, the same on every entry", () => {
    expectTypeOf(Docker.layer).toEqualTypeOf<Layer.Layer<Docker.Services, DockerError.DockerError>>()
    expectTypeOf(Docker.layerWith).toEqualTypeOf<
      (flags: DockerSettings.Flags, options?: Docker.Options) => Layer.Layer<Docker.Services, DockerError.DockerError>
    >()
    expectTypeOf(Docker.layerFromOptions).toEqualTypeOf<
      (options: DockerEngine.Options) => Layer.Layer<Docker.EndpointServices>
    >()
    expectTypeOf(Docker.transport).toEqualTypeOf<Docker.Transport>()
    expectTypeOf(BunDocker.layerWith).toEqualTypeOf(Docker.layerWith)
    expectTypeOf(DenoDocker.layerWith).toEqualTypeOf(Docker.layerWith)
    expectTypeOf(BunDocker.layerFromOptions).toEqualTypeOf(Docker.layerFromOptions)
    expectTypeOf(DenoDocker.layer).toEqualTypeOf(Docker.layer)
    expectTypeOf<Docker.Options>().toEqualTypeOf<DockerLayers.Options>()
    expectTypeOf<BunDocker.Services>().toEqualTypeOf<DockerLayers.Services>()
    expectTypeOf<DenoDocker.EndpointServices>().toEqualTypeOf<DockerLayers.EndpointServices>()
    expectTypeOf<Docker.Services>().toEqualTypeOf<
      | Images.Images
      | SystemApi.SystemApi
      | DockerEngine.DockerEngine
      | DockerSettings.DockerSettings
      | Credentials.Credentials
      | DockerPlatform.DockerPlatform
    >()
    expectTypeOf<Docker.EndpointServices>().toEqualTypeOf<
      Images.Images | SystemApi.SystemApi | DockerEngine.DockerEngine
    >()
    expectTypeOf<NonNullable<Docker.Options["wrapTransport"]>>().toEqualTypeOf<
      (client: HttpClient.HttpClient, endpoint: DockerHost.Endpoint) => HttpClient.HttpClient
    >()
    expectTypeOf(withRecording).returns.toEqualTypeOf<Layer.Layer<Docker.Services, DockerError.DockerError>>()
  })

  it("each entry is the one factory over its own transport", () => {
    assert.strictEqual(Docker.transport, NodeDockerTransport.layer)
    const entry = DockerLayers.make(NodeDockerTransport.layer)
    assert.deepStrictEqual(Object.keys(entry).sort(), ["layer", "layerFromOptions", "layerWith", "transport"])
    assert.strictEqual(entry.transport, Docker.transport)
    for (const runtime of [Docker, BunDocker, DenoDocker]) {
      assert.deepStrictEqual(
        Object.keys(runtime).sort(),
        ["layer", "layerFromOptions", "layerWith", "transport"]
      )
    }
    // A wrapTransport given through the public Options type is accepted as it is.
    const options: Docker.Options = { wrapTransport: (client) => client }
    assert.isDefined(withRecording({ host: "unix:///nowhere.sock" }, options))
    assert.isDefined(Docker.layerFromOptions({ endpoint: new DockerHost.Unix({ path: "/nowhere.sock" }) }))
  })
})

describe("a runtime entry used on the wrong runtime", () => {
  // This file runs on Node (the client's unit tests run on Node 24): the Bun and Deno entries are the wrong ones.
  const wrong = [["@dockhand/client/bun", BunDocker], ["@dockhand/client/deno", DenoDocker]] as const
  const services = Effect.gen(function*() {
    yield* Images.Images
  })

  for (const [entry, runtime] of wrong) {
    it.effect(`${entry}: layer fails when built, with a WrongRuntime reason naming @dockhand/client/node`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(services.pipe(Effect.provide(runtime.layer)))
        assert.strictEqual(error.reason._tag, "WrongRuntime")
        assert.strictEqual(
          error.message,
          `${entry} runs on ${
            entry.endsWith("bun") ? "Bun" : "Deno"
          } only, and this is Node: import @dockhand/client/node instead`
        )
        if (error.reason._tag === "WrongRuntime") {
          assert.deepStrictEqual(
            { entry: error.reason.entry, runtime: error.reason.runtime, use: error.reason.use },
            { entry, runtime: "node", use: "@dockhand/client/node" }
          )
        }
      }))

    it.effect(`${entry}: layerWith fails the same way, whatever the flags`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(
          services.pipe(Effect.provide(runtime.layerWith({ host: "unix:///nowhere.sock" })))
        )
        assert.strictEqual(error.reason._tag, "WrongRuntime")
        assert.include(error.message, "import @dockhand/client/node instead")
      }))

    it.effect(`${entry}: layerFromOptions fails each request with the same words, before any traffic`, () =>
      Effect.gen(function*() {
        const layer = runtime.layerFromOptions({ endpoint: new DockerHost.Unix({ path: "/nowhere.sock" }) })
        const error = yield* Effect.flip(
          Effect.gen(function*() {
            return yield* (yield* Images.Images).list()
          }).pipe(Effect.provide(layer))
        )
        assert.strictEqual(error.reason._tag, "ConnectionError")
        assert.include(error.message, `${entry} runs on`)
        assert.include(error.message, "import @dockhand/client/node instead")
      }))
  }

  it.effect("@dockhand/client/node builds on Node", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        services.pipe(Effect.provide(Docker.layerWith({ host: "unix:///nowhere.sock" })))
      )
      assert.isTrue(Exit.isSuccess(exit))
    }))
})
