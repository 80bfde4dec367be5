/**
 * `@dockhand/client`: Effect services and layers for any Docker-compatible engine's image API. This entry loads no
 * runtime-specific code; pick a runtime's layer from `@dockhand/client/node`, `/bun` or `/deno`.
 *
 * @since 0.1.0
 */

/**
 * API versions: the supported range, comparison and option gates.
 *
 * @since 0.1.0
 */
export * as ApiVersion from "./ApiVersion.ts"
/**
 * The package version, user agent and API version range, with no dependencies.
 *
 * @since 0.1.0
 */
export * as Constants from "./Constants.ts"
/**
 * Registry credentials like the docker CLI: DOCKER_AUTH_CONFIG, helpers, creds store, config.json.
 *
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.ts"
/**
 * The docker CLI's config directory and config.json.
 *
 * @since 0.1.0
 */
export * as DockerConfig from "./DockerConfig.ts"
/**
 * The engine connection: negotiation, requests, error mapping.
 *
 * @since 0.1.0
 */
export * as DockerEngine from "./DockerEngine.ts"
/**
 * The one error type of the client and its reasons.
 *
 * @since 0.1.0
 */
export * as DockerError from "./DockerError.ts"
/**
 * `DOCKER_HOST`-style addresses parsed into endpoints.
 *
 * @since 0.1.0
 */
export * as DockerHost from "./DockerHost.ts"
/**
 * Where to connect, chosen exactly like the docker CLI, with where each choice came from.
 *
 * @since 0.1.0
 */
export * as DockerSettings from "./DockerSettings.ts"
/**
 * Slash-separated paths cleaned and joined as Go's `path.Clean` and `path.Join` do.
 *
 * @since 0.1.0
 */
export * as GoPath from "./GoPath.ts"
/**
 * Go's words for errno codes, as the docker CLI prints local failures.
 *
 * @since 0.1.0
 */
export * as Errno from "./Errno.ts"
/**
 * Request bodies read into two buffers in turn, when the transport writes each chunk before pulling much further.
 *
 * @since 0.1.0
 */
export * as BodySource from "./BodySource.ts"
/**
 * BuildKit sessions (filesync, secrets, registry credentials) for `Images.build`.
 *
 * @since 0.1.0
 */
export * as BuildSession from "./BuildSession.ts"
/**
 * The `Images` service: every image endpoint.
 *
 * @since 0.1.0
 */
export * as Images from "./Images.ts"
/**
 * What the client needs from the runtime: environment, files, helper processes.
 *
 * @since 0.1.0
 */
export * as DockerPlatform from "./DockerPlatform.ts"
/**
 * Progress streams of pull, push, load, import and build.
 *
 * @since 0.1.0
 */
export * as Progress from "./Progress.ts"
/**
 * docker's progress display (bars redrawn in place on a terminal) for a progress operation.
 *
 * @since 0.1.0
 */
export * as ProgressDisplay from "./ProgressDisplay.ts"
/**
 * The `SystemApi` service: ping, version, login, disk usage.
 *
 * @since 0.1.0
 */
export * as SystemApi from "./SystemApi.ts"
