/**
 * How a runtime entry (`node.ts`, `bun.ts`, `deno.ts`) turns its transport into layers of every service: from
 * explicit options, or from the environment exactly as the docker CLI resolves it.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as HttpClient from "effect/http/HttpClient"
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

/**
 * What a runtime entry's `layerWith` takes besides the flags.
 *
 * @since 0.1.0
 */
export interface Options {
  /**
   * Wraps the runtime's transport before any service uses it, given the endpoint the settings chose: to record
   * traffic, to add headers, or to answer some requests from elsewhere (the CLI serves requests it sent ahead).
   */
  readonly wrapTransport?:
    | ((client: HttpClient.HttpClient, endpoint: DockerHost.Endpoint) => HttpClient.HttpClient)
    | undefined
}

/** The transport for an endpoint, wrapped when asked. */
const transportFor = (transport: Transport, endpoint: DockerHost.Endpoint, options: Options) => {
  const wrap = options.wrapTransport
  if (wrap === undefined) return transport(endpoint)
  return Layer.effect(
    HttpClient.HttpClient,
    Effect.gen(function*() {
      return wrap(yield* HttpClient.HttpClient, endpoint)
    })
  ).pipe(Layer.provide(transport(endpoint)))
}

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
export const fromOptions = (transport: Transport) => (options: DockerEngine.Options, layerOptions: Options = {}) =>
  Layer.mergeAll(Layer.fresh(Images.layer), Layer.fresh(System.layer)).pipe(
    Layer.provideMerge(DockerEngine.layer(options)),
    Layer.provide(transportFor(transport, options.endpoint, layerOptions))
  )

/** Every service, connected where the docker CLI would connect with these flags in this environment. */
export const fromEnvironment =
  (transport: Transport) =>
  (flags: DockerSettings.Flags = {}, options: Options = {}): Layer.Layer<Services, DockerError.DockerError> =>
    Layer.unwrap(
      Effect.map(DockerSettings.resolve(flags), (settings) => {
        const credentials = Credentials.layerWith({ configDir: settings.configDir.value })
        return fromOptions(transport)(DockerSettings.engineOptions(settings), options).pipe(
          Layer.provideMerge(credentials),
          Layer.merge(Layer.succeed(DockerSettings.DockerSettings, settings))
        )
      })
    ).pipe(Layer.provideMerge(Layer.fresh(NodePlatform.layer)))
