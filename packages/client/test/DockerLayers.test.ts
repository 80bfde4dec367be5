/**
 * The runtime entries' public types: every type in the signatures of `@dockhand/client/node`, `/bun` and `/deno`
 * can be named from a public module (the entry itself, `@dockhand/client/DockerLayers` or `@dockhand/client`). This
 * file is type-checked by `tsc -p tsconfig.test.json`; its type assertions fail the build, not only the run.
 */
import type {
  Credentials,
  DockerEngine,
  DockerError,
  DockerPlatform,
  DockerSettings,
  Images,
  SystemApi
} from "@dockhand/client"
import * as BunDocker from "@dockhand/client/bun"
import * as DenoDocker from "@dockhand/client/deno"
import * as DockerHost from "@dockhand/client/DockerHost"
import * as DockerLayers from "@dockhand/client/DockerLayers"
import * as Docker from "@dockhand/client/node"
import * as NodeDockerTransport from "@dockhand/client/NodeDockerTransport"
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
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
