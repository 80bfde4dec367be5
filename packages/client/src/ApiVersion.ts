/**
 * Engine API versions (`1.41`, `1.54`): the range this client speaks, comparison, and the gate that refuses an
 * option the negotiated version does not know (the daemon would ignore it without a word).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Constants from "./Constants.ts"
import * as DockerError from "./DockerError.ts"

/**
 * The newest API version this client speaks (Engine 29.3 – 29.5).
 *
 * @category constants
 * @since 0.1.0
 */
export const maximum: string = Constants.apiVersionMaximum

/**
 * The oldest API version this client speaks (Engine 20.10).
 *
 * @category constants
 * @since 0.1.0
 */
export const minimum: string = Constants.apiVersionMinimum

const parts = (version: string): readonly [number, number] => {
  const [major = "0", minor = "0"] = version.split(".")
  return [Number.parseInt(major, 10) || 0, Number.parseInt(minor, 10) || 0]
}

/**
 * Compares two versions: negative when `a` is older than `b`, 0 when equal, positive when newer.
 *
 * @category utils
 * @since 0.1.0
 */
export const compare = (a: string, b: string): number => {
  const [aMajor, aMinor] = parts(a)
  const [bMajor, bMinor] = parts(b)
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor
}

/**
 * Whether `version` is at least `required`.
 *
 * @category utils
 * @since 0.1.0
 */
export const atLeast = (version: string, required: string): boolean => compare(version, required) >= 0

/**
 * `major.minor` of whatever the daemon wrote in `Api-Version` (`1.41`, ` 1.54 `, `1.54.0`), or `undefined`.
 *
 * @category utils
 * @since 0.1.0
 */
export const normalize = (header: string | null | undefined): string | undefined => {
  const match = header?.trim().match(/^(\d+)\.(\d+)/)
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined
}

/**
 * The version to speak with a daemon whose maximum is `server`: the lower of the two maximums. Fails when the
 * daemon is older than {@link minimum}.
 *
 * @category utils
 * @since 0.1.0
 */
export const negotiate = (server: string | undefined, operation = "Ping") =>
  server === undefined
    ? Effect.succeed(maximum)
    : compare(server, minimum) < 0
    ? Effect.fail(DockerError.make(
      new DockerError.ApiVersionError({
        message:
          `API version ${server} is not supported by this client: the minimum supported API version is ${minimum}`,
        operation,
        required: minimum,
        actual: server
      })
    ))
    : Effect.succeed(compare(server, maximum) > 0 ? maximum : server)

/**
 * Fails before any request when `option` needs API `required` but `actual` is older, with the Go client's wording:
 * `"platform" requires API version 1.48, but the Docker daemon API version is 1.41`.
 *
 * @category utils
 * @since 0.1.0
 */
export const require = (
  operation: string,
  option: string,
  required: string,
  actual: string
): Effect.Effect<void, DockerError.DockerError> =>
  atLeast(actual, required)
    ? Effect.void
    : Effect.fail(DockerError.make(
      new DockerError.ApiVersionError({
        message: `"${option}" requires API version ${required}, but the Docker daemon API version is ${actual}`,
        operation,
        option,
        required,
        actual
      })
    ))
