/**
 * `@dockhand/client/node`: every service of the package on Node, over Node's own transport. The same
 * {@link DockerLayers.make} factory as the other runtime entries; the types of its signatures are exported here.
 *
 * @example
 * ```ts
 * import { Images } from "@dockhand/client"
 * import * as Docker from "@dockhand/client/node"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const images = yield* Images.Images
 *   for (const image of yield* images.list()) console.log(image.Id, image.RepoTags)
 * })
 * Effect.runPromise(program.pipe(Effect.provide(Docker.layer)))
 * ```
 *
 * @since 0.1.0
 */
import type * as Layer from "effect/Layer"
import type * as DockerEngine from "./DockerEngine.ts"
import type * as DockerError from "./DockerError.ts"
import * as DockerLayers from "./DockerLayers.ts"
import type * as DockerSettings from "./DockerSettings.ts"
import * as Transport from "./NodeDockerTransport.ts"

// The types of this entry's signatures.
export type {
  /**
   * The services `layerFromOptions` provides: the image and system services over one endpoint.
   *
   * @category models
   * @since 0.1.0
   */
  EndpointServices,
  /**
   * What `layerWith` takes besides the flags.
   *
   * @category models
   * @since 0.1.0
   */
  Options,
  /**
   * Every service `layer` and `layerWith` provide.
   *
   * @category models
   * @since 0.1.0
   */
  Services,
  /**
   * A runtime's transport: an Effect `HttpClient` for an endpoint.
   *
   * @category models
   * @since 0.1.0
   */
  Transport
} from "./DockerLayers.ts"

const entry = DockerLayers.make(Transport.layer)

/**
 * Every service (`Images`, `SystemApi`, `Credentials`, `DockerEngine`, `DockerSettings`, `DockerPlatform`), talking to
 * the engine the docker CLI would choose in the same environment (`DOCKER_HOST`, `DOCKER_CONTEXT`, the config's
 * current context, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`, `DOCKER_API_VERSION`, the default socket).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<DockerLayers.Services, DockerError.DockerError> = entry.layer

/**
 * Every service, resolved as the docker CLI resolves its flags (`--host`, `--context`, `--tls*`, `--config`).
 * `options.wrapTransport` (unstable) wraps the transport before the services use it.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerWith: (
  flags: DockerSettings.Flags,
  options?: DockerLayers.Options
) => Layer.Layer<DockerLayers.Services, DockerError.DockerError> = entry.layerWith

/**
 * The `Images`, `SystemApi` and `DockerEngine` services for an explicit endpoint, ignoring the environment (no
 * credentials are looked up: pass them per call).
 *
 * @category layers
 * @since 0.1.0
 */
export const layerFromOptions: (
  options: DockerEngine.Options
) => Layer.Layer<DockerLayers.EndpointServices> = entry.layerFromOptions

/**
 * The transport itself: an Effect `HttpClient` for an endpoint.
 *
 * @category layers
 * @since 0.1.0
 */
export const transport: DockerLayers.Transport = Transport.layer
