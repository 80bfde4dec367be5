/**
 * How a runtime entry (`@dockhand/client/node`, `/bun`, `/deno`) turns its transport into layers of every service:
 * from explicit options, or from the environment exactly as the docker CLI resolves it. The three entries are this
 * one factory ({@link make}) over their own transport; the types in their signatures ({@link Options},
 * {@link Services}, {@link EndpointServices}, {@link Transport}) are exported here and from each entry.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as Layer from "effect/Layer"
import * as BuildSession from "./BuildSession.ts"
import * as Credentials from "./Credentials.ts"
import * as DockerEngine from "./DockerEngine.ts"
import type * as DockerError from "./DockerError.ts"
import type * as DockerHost from "./DockerHost.ts"
import type * as DockerPlatform from "./DockerPlatform.ts"
import * as DockerSettings from "./DockerSettings.ts"
import * as Images from "./Images.ts"
import * as Runtime from "./internal/runtime.ts"
import * as NodeCompatPlatform from "./NodeCompatPlatform.ts"
import * as SystemApi from "./SystemApi.ts"

/**
 * A runtime's transport: an Effect `HttpClient` for an endpoint.
 *
 * @category models
 * @since 0.1.0
 */
export type Transport = (endpoint: DockerHost.Endpoint) => Layer.Layer<HttpClient.HttpClient>

/**
 * What a runtime entry's `layerWith` takes besides the flags.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /**
   * Wraps the runtime's transport before any service uses it, given the endpoint the settings chose: to record
   * traffic, to add headers, or to answer some requests from elsewhere (the CLI serves requests it sent ahead).
   * It sees the raw requests the services send, whose shape may change in any release.
   *
   * @stability unstable
   */
  readonly wrapTransport?:
    | ((client: HttpClient.HttpClient, endpoint: DockerHost.Endpoint) => HttpClient.HttpClient)
    | undefined
}

/**
 * Every service a runtime entry's `layer` and `layerWith` provide.
 *
 * @category models
 * @since 0.1.0
 */
export type Services =
  | Images.Images
  | SystemApi.SystemApi
  | DockerEngine.DockerEngine
  | DockerSettings.DockerSettings
  | Credentials.Credentials
  | DockerPlatform.DockerPlatform

/**
 * The services a runtime entry's `layerFromOptions` provides: the image and system services over one endpoint.
 *
 * @category models
 * @since 0.1.0
 */
export type EndpointServices = Images.Images | SystemApi.SystemApi | DockerEngine.DockerEngine

/**
 * What each runtime entry exports, built by {@link make} from the runtime's transport.
 *
 * @category models
 * @since 0.1.0
 */
export interface Entry {
  /**
   * Every service (`Images`, `SystemApi`, `Credentials`, `DockerEngine`, `DockerSettings`, `DockerPlatform`), talking
   * to the engine the docker CLI would choose in the same environment (`DOCKER_HOST`, `DOCKER_CONTEXT`, the
   * config's current context, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`, `DOCKER_API_VERSION`, the default socket).
   */
  readonly layer: Layer.Layer<Services, DockerError.DockerError>
  /**
   * Every service, resolved as the docker CLI resolves its flags (`--host`, `--context`, `--tls*`, `--config`).
   * `options.wrapTransport` wraps the transport before the services use it.
   */
  readonly layerWith: (flags: DockerSettings.Flags, options?: Options) => Layer.Layer<Services, DockerError.DockerError>
  /**
   * The `Images`, `SystemApi` and `DockerEngine` services for an explicit endpoint, ignoring the environment (no
   * credentials are looked up: pass them per call).
   */
  readonly layerFromOptions: (options: DockerEngine.Options) => Layer.Layer<EndpointServices>
  /** The transport itself: an Effect `HttpClient` for an endpoint. */
  readonly transport: Transport
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

/**
 * The image and system services over `options.endpoint`, without credentials or settings. `Images.layer` and
 * `SystemApi.layer` are shared constants, and Effect memoizes layers by identity, also into layers provided later
 * inside an effect that already runs with one (the memo map is forked, not replaced): without `Layer.fresh` a
 * second endpoint's layer would hand out the first endpoint's services.
 */
const fromOptions = (
  transport: Transport,
  options: DockerEngine.Options,
  layerOptions: Options = {}
): Layer.Layer<EndpointServices> =>
  Layer.mergeAll(
    Layer.fresh(Images.layer).pipe(Layer.provide(BuildSession.layerDialer(options.endpoint))),
    Layer.fresh(SystemApi.layer)
  ).pipe(
    Layer.provideMerge(DockerEngine.layer(options)),
    Layer.provide(transportFor(transport, options.endpoint, layerOptions))
  )

/** Every service, connected where the docker CLI would connect with these flags in this environment. */
const fromEnvironment = (
  transport: Transport,
  guard: Effect.Effect<void, DockerError.DockerError>,
  flags: DockerSettings.Flags = {},
  options: Options = {}
): Layer.Layer<Services, DockerError.DockerError> =>
  Layer.unwrap(
    guard.pipe(
      Effect.andThen(DockerSettings.resolve(flags)),
      Effect.map((settings) => {
        const credentials = Credentials.layerWith({ configDir: settings.configDir.value })
        return fromOptions(transport, DockerSettings.engineOptions(settings), options).pipe(
          Layer.provideMerge(credentials),
          Layer.merge(Layer.succeed(DockerSettings.DockerSettings, settings))
        )
      })
    )
  ).pipe(Layer.provideMerge(Layer.fresh(NodeCompatPlatform.layer)))

/**
 * A transport whose every request fails with `message` as its transport error (a `ConnectionError` for the
 * services): what `layerFromOptions` of an entry used on the wrong runtime talks through, as its type has no error.
 */
const refusing = (message: string): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.fail(
        new HttpClientError.HttpClientError({
          reason: new HttpClientError.TransportError({ request, description: message })
        })
      )
    )
  )

/**
 * A runtime entry over `transport`: `layer` (built once, here), `layerWith`, `layerFromOptions` and the transport.
 * With `runtime`, the entry is for that runtime only: on another one, `layer` and `layerWith` fail when they are
 * built with a `WrongRuntime` reason naming the entry that fits, and every request of `layerFromOptions` fails with
 * that message.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (transport: Transport, runtime?: "node" | "bun" | "deno"): Entry => {
  const mismatch = () => runtime === undefined ? undefined : Runtime.mismatch(runtime)
  const guard = Effect.suspend(() => {
    const error = mismatch()
    return error === undefined ? Effect.void : Effect.fail(error)
  })
  const guarded: Transport = runtime === undefined ? transport : (endpoint) =>
    Layer.unwrap(Effect.sync(() => {
      const error = mismatch()
      return error === undefined ? transport(endpoint) : refusing(error.message)
    }))
  return {
    layer: fromEnvironment(transport, guard),
    layerWith: (flags, options) => fromEnvironment(transport, guard, flags, options),
    layerFromOptions: (options) => fromOptions(guarded, options),
    transport
  }
}
