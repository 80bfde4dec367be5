/**
 * `@dockhand/codecs`: what travels on the Docker Engine API's wire, with no HTTP and no services.
 *
 * @since 0.1.0
 */

/**
 * Registry credential headers `X-Registry-Auth` and `X-Registry-Config`.
 *
 * @since 0.1.0
 */
export * as RegistryAuth from "./RegistryAuth.ts"
/**
 * The `filters` query parameter: building, writing as Go does, reading both forms.
 *
 * @since 0.1.0
 */
export * as Filters from "./Filters.ts"
/**
 * The wire formats of a BuildKit session (gRPC framing, filesync packets, secrets, auth, health).
 *
 * @since 0.1.0
 */
export * as BuildkitSession from "./BuildkitSession.ts"
/**
 * BuildKit's build progress (`moby.buildkit.trace` lines) as typed values.
 *
 * @since 0.1.0
 */
export * as BuildkitTrace from "./BuildkitTrace.ts"
/**
 * The JSON progress stream of pull, push, load, import and build.
 *
 * @since 0.1.0
 */
export * as JsonMessageStream from "./JsonMessageStream.ts"
/**
 * The plain and JSON platform query values.
 *
 * @since 0.1.0
 */
export * as Platform from "./Platform.ts"
/**
 * Query strings as the Go client builds them.
 *
 * @since 0.1.0
 */
export * as QueryParams from "./QueryParams.ts"
/**
 * Image references parsed and normalised as the docker CLI does.
 *
 * @since 0.1.0
 */
export * as Reference from "./Reference.ts"
/**
 * JSON bodies: decoding with located, secret-free errors; encoding exactly as Go writes it.
 *
 * @since 0.1.0
 */
export * as WireJson from "./WireJson.ts"
