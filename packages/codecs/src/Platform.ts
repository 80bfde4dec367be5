/**
 * The two ways the API takes a platform in the query string: the plain `os[/arch[/variant]]` string of pull,
 * import and build, and the JSON-encoded OCI platform of push, history, inspect, save, load and delete
 * (`platforms`).
 *
 * @since 0.1.0
 */
import { Oci } from "@dockhand/models"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { quote } from "./internal/goJson.ts"
import * as WireJson from "./WireJson.ts"

/**
 * A platform string that is not `os[/arch[/variant]]` with each part made of letters, digits, `_`, `.` and `-`.
 * `input` is the rejected string.
 *
 * @category errors
 * @since 0.1.0
 */
export class PlatformError extends Schema.TaggedError<PlatformError>()("PlatformError", {
  input: Schema.String,
  message: Schema.String
}) {}

const PART = /^[A-Za-z0-9_.-]+$/

/**
 * Writes a platform as the `platform` query value of pull, import and build: `os`, `os/arch` or
 * `os/arch/variant`, lower-cased like the Go client does. Empty parts are left out; an empty OS is written
 * `unknown`. `os.version` and `os.features` have no place in this form and are dropped.
 *
 * @category encoding
 * @since 0.1.0
 */
export const toQueryString = (platform: Oci.Platform): string =>
  [platform.os === "" ? "unknown" : platform.os, platform.architecture, platform.variant ?? ""]
    .filter((part) => part !== "")
    .join("/")
    .toLowerCase()

/**
 * Reads a platform string such as `linux`, `linux/amd64` or `linux/arm64/v8` (as users type it for `--platform`),
 * lower-casing it. A missing architecture is `""`; the daemon then picks its own.
 *
 * @category decoding
 * @since 0.1.0
 */
export const parse = (input: string): Result.Result<Oci.Platform, PlatformError> => {
  const parts = input.split("/")
  if (parts.length > 3 || !parts.every((part) => PART.test(part))) {
    return Result.fail(
      new PlatformError({
        input,
        message: `invalid platform "${input}": expected os[/arch[/variant]] ` +
          `with parts made of letters, digits, "_", "." and "-"`
      })
    )
  }
  const [os, architecture, variant] = parts.map((part) => part.toLowerCase())
  return Result.succeed({
    architecture: architecture ?? "",
    os: os!,
    ...(variant === undefined ? {} : { variant })
  })
}

/**
 * Writes a platform as the JSON `platform` (or `platforms`) query value: the OCI platform object with keys in the
 * image-spec's order (`architecture`, `os`, `os.version`, `os.features`, `variant`) and empty optional keys left
 * out, e.g. `{"architecture":"arm64","os":"linux","variant":"v8"}`. The daemon answers 400 unless both `os` and
 * `architecture` are set.
 *
 * @category encoding
 * @since 0.1.0
 */
export const toQueryJson = (platform: Oci.Platform): string => {
  const parts = [`"architecture":${quote(platform.architecture)}`, `"os":${quote(platform.os)}`]
  const version = platform["os.version"]
  if (version !== undefined && version !== "") parts.push(`"os.version":${quote(version)}`)
  const features = platform["os.features"]
  if (features !== undefined && features.length > 0) {
    parts.push(`"os.features":[${features.map(quote).join(",")}]`)
  }
  if (platform.variant !== undefined && platform.variant !== "") parts.push(`"variant":${quote(platform.variant)}`)
  return `{${parts.join(",")}}`
}

/**
 * Reads a JSON `platform` query value back into a platform (for tests and fake daemons).
 *
 * @category decoding
 * @since 0.1.0
 */
export const fromQueryJson: (text: string) => Result.Result<Oci.Platform, WireJson.WireJsonError> = WireJson
  .decodeResult(Oci.Platform)
