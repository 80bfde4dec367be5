/**
 * The registry credential headers: `X-Registry-Auth` (pull, push, search, distribution inspect) and
 * `X-Registry-Config` (build). Both are base64url **with** `=` padding of JSON, which is what the daemon's strict
 * decoder needs; a header it cannot decode is silently treated as "no credentials".
 *
 * Encoded headers are `Redacted`, and no error of this module ever contains a header or a credential.
 *
 * @since 0.1.0
 */
import { Registry } from "@dockhand/models"
import * as Base64Url from "effect/encoding/Base64Url"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { compareCodePoints, quote } from "./internal/goJson.ts"
import * as WireJson from "./WireJson.ts"

/**
 * Why a credential header could not be read: `Base64` (not base64url text) or `Json` (not an `AuthConfig`, or a
 * map of them, once decoded). The message and issues never include the header or any credential.
 *
 * @category errors
 * @since 0.1.0
 */
export class RegistryAuthError extends Schema.TaggedError<RegistryAuthError>()("RegistryAuthError", {
  reason: Schema.Literals(["Base64", "Json"]),
  message: Schema.String,
  issues: Schema.Array(WireJson.WireJsonIssue)
}) {}

/** The JSON keys of `AuthConfig` in the Go struct's order. */
const authKeys = Object.keys(Registry.AuthConfig.fields) as ReadonlyArray<keyof Registry.AuthConfig>

/** `AuthConfig` as Go's `json.Marshal` writes it: struct order, and empty strings left out (omitempty). */
const authJson = (config: Registry.AuthConfig): string => {
  const parts: Array<string> = []
  for (const key of authKeys) {
    const given: unknown = config[key]
    const text = Redacted.isRedacted(given) ? Redacted.value(given) : given
    if (typeof text !== "string" || text === "") continue
    parts.push(`${quote(key)}:${quote(text)}`)
  }
  return `{${parts.join(",")}}`
}

const toHeader = (json: string): Redacted.Redacted<string> => Redacted.make(Base64Url.encodePadded(json))

/**
 * The header value that means "no credentials": `e30=`, the encoded `{}`. Send it on push, where Engine 20.10
 * needs the header even for anonymous access.
 *
 * @category constants
 * @since 0.1.0
 */
export const empty: Redacted.Redacted<string> = toHeader("{}")

/**
 * Encodes credentials for `X-Registry-Auth`: the JSON of the config (keys in Go's order, empty values left out),
 * as base64url with padding. The result stays `Redacted` until the transport unwraps it.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode = (config: Registry.AuthConfig): Redacted.Redacted<string> => toHeader(authJson(config))

/**
 * Encodes the credentials for several registries for `X-Registry-Config` (build): a JSON object from registry
 * host (for Docker Hub `https://index.docker.io/v1/`) to config, hosts sorted as Go sorts map keys, as base64url
 * with padding. No registries give `e30=`.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeConfig = (
  configs: { readonly [registry: string]: Registry.AuthConfig }
): Redacted.Redacted<string> => {
  const hosts = Object.keys(configs).sort(compareCodePoints)
  return toHeader(`{${hosts.map((host) => `${quote(host)}:${authJson(configs[host]!)}`).join(",")}}`)
}

const unwrap = (header: string | Redacted.Redacted<string>): string =>
  Redacted.isRedacted(header) ? Redacted.value(header) : header

const base64Failure = (header: string) =>
  new RegistryAuthError({
    reason: "Base64",
    message: `${header} is not base64url text`,
    issues: [{ path: "$", expected: "base64url text", found: "other characters or a wrong length" }]
  })

const jsonFailure = (header: string, error: WireJson.WireJsonError) =>
  new RegistryAuthError({
    reason: "Json",
    message: `${header} does not hold the expected JSON: ${error.message}`,
    issues: error.issues
  })

const readBytes = (header: string, text: string): Result.Result<Uint8Array, RegistryAuthError> =>
  Result.mapError(Base64Url.decode(text), () => base64Failure(header))

const readAuth = WireJson.decodeResult(Registry.AuthConfig)

/**
 * Reads an `X-Registry-Auth` value back into credentials (for tests and fake daemons). Accepts the value with or
 * without `=` padding; an empty value means no credentials and gives `{}`.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode = (
  header: string | Redacted.Redacted<string>
): Result.Result<Registry.AuthConfig, RegistryAuthError> => {
  const text = unwrap(header)
  if (text === "") return Result.succeed({})
  return Result.flatMap(
    readBytes("X-Registry-Auth", text),
    (bytes) => Result.mapError(readAuth(bytes), (error) => jsonFailure("X-Registry-Auth", error))
  )
}

const readConfigs = WireJson.decodeResult(Schema.Record(Schema.String, Registry.AuthConfig))

/**
 * Reads an `X-Registry-Config` value back into registry host → credentials. Accepts the value with or without
 * padding; an empty value gives `{}`.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeConfig = (
  header: string | Redacted.Redacted<string>
): Result.Result<{ readonly [registry: string]: Registry.AuthConfig }, RegistryAuthError> => {
  const text = unwrap(header)
  if (text === "") return Result.succeed({})
  return Result.flatMap(
    readBytes("X-Registry-Config", text),
    (bytes) => Result.mapError(readConfigs(bytes), (error) => jsonFailure("X-Registry-Config", error))
  )
}
