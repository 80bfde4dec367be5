/**
 * `@dockhand/client/bun`: every service of the package on Bun, over Bun's own transport.
 *
 * @example
 * ```ts
 * import { Images } from "@dockhand/client"
 * import * as Docker from "@dockhand/client/bun"
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
import type * as DockerSettings from "./DockerSettings.ts"
import * as Layers from "./internal/layers.ts"
import * as Transport from "./BunDockerTransport.ts"

/**
 * Every service (`Images`, `System`, `Credentials`, `DockerEngine`, `DockerSettings`, `DockerPlatform`), talking to
 * the engine the docker CLI would choose in the same environment (`DOCKER_HOST`, `DOCKER_CONTEXT`, the config's
 * current context, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`, `DOCKER_API_VERSION`, the default socket).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<Layers.Services, DockerError.DockerError> = Layers.fromEnvironment(Transport.layer)()

/**
 * Every service, resolved as the docker CLI resolves its flags (`--host`, `--context`, `--tls*`, `--config`).
 * `options.wrapTransport` wraps the transport before the services use it.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerWith = (
  flags: DockerSettings.Flags,
  options?: Layers.Options
): Layer.Layer<Layers.Services, DockerError.DockerError> => Layers.fromEnvironment(Transport.layer)(flags, options)

/**
 * The `Images`, `System` and `DockerEngine` services for an explicit endpoint, ignoring the environment (no
 * credentials are looked up: pass them per call).
 *
 * @category layers
 * @since 0.1.0
 */
export const layerFromOptions = (options: DockerEngine.Options) => Layers.fromOptions(Transport.layer)(options)

/**
 * The transport itself: an Effect `HttpClient` for an endpoint.
 *
 * @category layers
 * @since 0.1.0
 */
export const transport = Transport.layer
