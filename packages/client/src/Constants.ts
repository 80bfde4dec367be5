/**
 * The values the client and the CLI's pre-load code must agree on: the package version, the user agent and the
 * range of Engine API versions spoken. The module imports nothing, so the CLI can read it before Effect loads.
 *
 * @since 0.1.0
 */

/**
 * The version of `@dockhand/client`, as its `package.json` says. `scripts/sync-versions.mjs` writes this line
 * (`npm run version-packages` runs it after `changeset version`); a test checks that the two agree.
 *
 * @category constants
 * @since 0.1.0
 */
export const version = "0.0.0"

/**
 * The `User-Agent` the client sends unless told otherwise.
 *
 * @category constants
 * @since 0.1.0
 */
export const userAgent = `dockhand/${version}`

/**
 * The oldest Engine API version the client speaks (Engine 20.10).
 *
 * @category constants
 * @since 0.1.0
 */
export const apiVersionMinimum = "1.41"

/**
 * The newest Engine API version the client speaks (Engine 29.3 – 29.5).
 *
 * @category constants
 * @since 0.1.0
 */
export const apiVersionMaximum = "1.54"

/**
 * The `Host` header of requests over a unix socket (or ssh, or a named pipe), where there is no host to name:
 * `api.moby.localhost`, what the docker CLI sends.
 *
 * @category constants
 * @since 0.1.0
 */
export const socketHost = "api.moby.localhost"
