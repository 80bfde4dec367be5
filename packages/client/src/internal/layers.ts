/**
 * How a runtime entry (`node.ts`, `bun.ts`, `deno.ts`) turns its transport into layers of every service: from
 * explicit options, or from the environment exactly as the docker CLI resolves it.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as HttpClient from "effect/http/HttpClient"
import * as Credentials from "../Credentials.ts"
import * as DockerEngine from "../DockerEngine.ts"
import type * as DockerError from "../DockerError.ts"
import type * as DockerHost from "../DockerHost.ts"
import * as DockerSettings from "../DockerSettings.ts"
import * as Images from "../Images.ts"
import * as NodePlatform from "../NodePlatform.ts"
import type * as Platform from "../Platform.ts"
import * as System from "../System.ts"

/** A runtime's transport: an `HttpClient` for an endpoint. */
export type Transport = (endpoint: DockerHost.Endpoint) => Layer.Layer<HttpClient.HttpClient>

/** Every service a runtime entry provides. */
export type Services =
  | Images.Images
  | System.System
  | DockerEngine.DockerEngine
  | DockerSettings.DockerSettings
  | Credentials.Credentials
  | Platform.DockerPlatform

/**
 * The image and system services over `options.endpoint`, without credentials or settings. `Images.layer` and
 * `System.layer` are shared constants, and Effect memoizes layers by identity, also into layers provided later
 * inside an effect that already runs with one (the memo map is forked, not replaced): without `Layer.fresh` a
 * second endpoint's layer would hand out the first endpoint's services.
 */
export const fromOptions = (transport: Transport) => (options: DockerEngine.Options) =>
  Layer.mergeAll(Layer.fresh(Images.layer), Layer.fresh(System.layer)).pipe(
    Layer.provideMerge(DockerEngine.layer(options)),
    Layer.provide(transport(options.endpoint))
  )

/** Every service, connected where the docker CLI would connect with these flags in this environment. */
export const fromEnvironment =
  (transport: Transport) => (flags: DockerSettings.Flags = {}): Layer.Layer<Services, DockerError.DockerError> =>
    Layer.unwrap(
      Effect.map(DockerSettings.resolve(flags), (settings) => {
        const credentials = Credentials.layerWith({ configDir: settings.configDir.value })
        return fromOptions(transport)(DockerSettings.engineOptions(settings)).pipe(
          Layer.provideMerge(credentials),
          Layer.merge(Layer.succeed(DockerSettings.DockerSettings, settings))
        )
      })
    ).pipe(Layer.provideMerge(Layer.fresh(NodePlatform.layer)))
