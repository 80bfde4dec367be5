/**
 * The docker CLI's configuration directory and its `config.json`: where they are (`--config`, `DOCKER_CONFIG`,
 * `~/.docker`), the fields dockhand uses (registry credentials, credential helpers, the current context), reading
 * the file leniently and writing it back with every key it had.
 *
 * Registry secrets in the file (`auth`, `password`, `identitytoken`, `registrytoken`) decode to `Redacted` values,
 * and no error of this module repeats the file's contents.
 *
 * @since 0.1.0
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import { Registry } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Base64 from "effect/encoding/Base64"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as DockerError from "./DockerError.ts"
import * as DockerPlatform from "./DockerPlatform.ts"
import * as GoPath from "./GoPath.ts"

/**
 * Where a setting came from: a command-line flag, an environment variable, a docker context, `config.json`, or
 * the docker CLI's built-in default.
 *
 * @category models
 * @since 0.1.0
 */
export type Source = "flag" | "env" | "context" | "config-file" | "default"

/**
 * A setting with its origin, so a CLI can explain itself ("talking to X because DOCKER_CONTEXT=foo"). `detail`
 * names the flag (`--host`), the variable (`DOCKER_HOST`), the context, or the file (`/root/.docker/config.json`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Sourced<A> {
  readonly value: A
  readonly source: Source
  readonly detail: string
}

/**
 * The name of the file inside the configuration directory.
 *
 * @category constants
 * @since 0.1.0
 */
export const fileName = "config.json"

/**
 * The configuration directory, chosen as the docker CLI does: an explicit directory (its `--config` flag, empty
 * means not given), else `DOCKER_CONFIG` when non-empty, else `.docker` in the home directory.
 *
 * @category constructors
 * @since 0.1.0
 */
export const resolveDir = (platform: DockerPlatform.Service, override?: string | undefined): Sourced<string> => {
  if (override !== undefined && override !== "") {
    return { value: GoPath.clean(override), source: "flag", detail: "--config" }
  }
  const env = platform.env("DOCKER_CONFIG")
  if (env !== undefined && env !== "") return { value: env, source: "env", detail: "DOCKER_CONFIG" }
  return { value: GoPath.join(platform.homeDir, ".docker"), source: "default", detail: "~/.docker" }
}

const Secret = Schema.RedactedFromValue(Schema.String)

/** Keys nobody declared are kept, so a rewrite loses nothing. */
const Rest = Schema.Record(Schema.String, Schema.Unknown)

/**
 * One entry of `auths`: the registry's credentials as `docker login` stores them without a helper. `auth` is
 * base64 of `username:password`; the secrets are `Redacted`; unknown keys are kept.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AuthEntry = Schema.StructWithRest(
  Schema.Struct({
    auth: Schema.optionalKey(Secret),
    username: Schema.optionalKey(Schema.String),
    password: Schema.optionalKey(Secret),
    identitytoken: Schema.optionalKey(Secret),
    registrytoken: Schema.optionalKey(Secret),
    email: Schema.optionalKey(Schema.String),
    serveraddress: Schema.optionalKey(Schema.String)
  }),
  [Rest]
).annotate({ identifier: "AuthEntry" })
/**
 * @category models
 * @since 0.1.0
 */
export type AuthEntry = typeof AuthEntry.Type

/**
 * The parts of `config.json` dockhand reads: `auths` (registry → {@link AuthEntry}), `credsStore` (the default
 * credential helper), `credHelpers` (registry → helper) and `currentContext`. `null` is accepted wherever the
 * docker CLI accepts it, and every other key (`proxies`, `aliases`, `plugins`, …) is kept as it is.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ConfigFile = Schema.StructWithRest(
  Schema.Struct({
    auths: Schema.optionalKey(Schema.NullOr(Schema.Record(Schema.String, AuthEntry))),
    credsStore: Schema.optionalKey(Schema.NullOr(Schema.String)),
    credHelpers: Schema.optionalKey(Schema.NullOr(Schema.Record(Schema.String, Schema.String))),
    currentContext: Schema.optionalKey(Schema.NullOr(Schema.String))
  }),
  [Rest]
).annotate({ identifier: "ConfigFile" })
/**
 * @category models
 * @since 0.1.0
 */
export type ConfigFile = typeof ConfigFile.Type

/**
 * `config.json` as read: the directory and where it came from, the file's path, whether it exists, its contents
 * (empty when it does not), and the credentials of `auths` as the docker CLI loads them (`auth` split into
 * `username` and `password`, `serveraddress` set to the key).
 *
 * @category models
 * @since 0.1.0
 */
export interface Loaded {
  readonly dir: Sourced<string>
  readonly path: string
  readonly exists: boolean
  readonly config: ConfigFile
  readonly auths: { readonly [registry: string]: Registry.AuthConfig }
  /**
   * Why the file could not be read (`Error loading config file: open …: permission denied`, `Error parsing config
   * file (…): read …: is a directory`), in the docker CLI's words; the configuration is then empty, as docker goes
   * on with one. A CLI prints it as docker does: `WARNING: ` and the text, on standard error.
   */
  readonly warning?: string | undefined
}

const nonEmpty = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value === "" ? undefined : value

/**
 * `credsStore`, or `undefined` when it is absent, `null` or empty.
 *
 * @category utils
 * @since 0.1.0
 */
export const credsStore = (config: ConfigFile): string | undefined => nonEmpty(config.credsStore)

/**
 * `currentContext`, or `undefined` when it is absent, `null` or empty.
 *
 * @category utils
 * @since 0.1.0
 */
export const currentContext = (config: ConfigFile): string | undefined => nonEmpty(config.currentContext)

/**
 * `credHelpers` (never `null`).
 *
 * @category utils
 * @since 0.1.0
 */
export const credHelpers = (config: ConfigFile): { readonly [registry: string]: string } => config.credHelpers ?? {}

/**
 * `auths` as stored (never `null`).
 *
 * @category utils
 * @since 0.1.0
 */
export const authEntries = (config: ConfigFile): { readonly [registry: string]: AuthEntry } => config.auths ?? {}

/**
 * Whether the file configures any credentials: a `credsStore`, a `credHelpers` entry or an `auths` entry. When it
 * does not, the docker CLI looks for the platform's default helper.
 *
 * @category utils
 * @since 0.1.0
 */
export const containsAuth = (config: ConfigFile): boolean =>
  credsStore(config) !== undefined || Object.keys(credHelpers(config)).length > 0 ||
  Object.keys(authEntries(config)).length > 0

/**
 * Splits an `auth` value (base64 of `username:password`) as the docker CLI does: standard padded base64, a
 * non-empty username before the first `:`, NUL bytes trimmed from the password. The failure text never includes
 * the value.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeAuth = (
  auth: string | Redacted.Redacted<string>
): Result.Result<{ readonly username: string; readonly password: Redacted.Redacted<string> }, string> => {
  const text = Redacted.isRedacted(auth) ? Redacted.value(auth) : auth
  const bytes = Base64.decode(text)
  if (Result.isFailure(bytes)) return Result.fail("illegal base64 data")
  const decoded = new TextDecoder().decode(bytes.success)
  const colon = decoded.indexOf(":")
  if (colon <= 0) return Result.fail("Invalid auth configuration file")
  return Result.succeed({
    username: decoded.slice(0, colon),
    password: Redacted.make(decoded.slice(colon + 1).replace(/^\0+|\0+$/g, ""))
  })
}

/**
 * The `auth` value for a username and password (base64 of `username:password`), or `undefined` when both are
 * empty, as the docker CLI writes it.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeAuth = (
  username: string | undefined,
  password: string | Redacted.Redacted<string> | undefined
): Redacted.Redacted<string> | undefined => {
  const secret = password === undefined ? "" : Redacted.isRedacted(password) ? Redacted.value(password) : password
  const user = username ?? ""
  return user === "" && secret === "" ? undefined : Redacted.make(Base64.encode(`${user}:${secret}`))
}

const isSet = (secret: Redacted.Redacted<string> | undefined): secret is Redacted.Redacted<string> =>
  secret !== undefined && Redacted.value(secret) !== ""

/**
 * One `auths` entry as the docker CLI loads it: `auth` (when set) replaces `username` and `password`, `auth`
 * itself is dropped, `serveraddress` is the key.
 *
 * @category decoding
 * @since 0.1.0
 */
export const toAuthConfig = (key: string, entry: AuthEntry): Result.Result<Registry.AuthConfig, string> => {
  let username = entry.username
  let password = entry.password
  if (isSet(entry.auth)) {
    const decoded = decodeAuth(entry.auth)
    if (Result.isFailure(decoded)) return Result.fail(decoded.failure)
    username = decoded.success.username
    password = decoded.success.password
  }
  return Result.succeed({
    ...(username !== undefined && username !== "" ? { username } : {}),
    ...(isSet(password) ? { password } : {}),
    ...(entry.email !== undefined && entry.email !== "" ? { email: entry.email } : {}),
    serveraddress: key,
    ...(isSet(entry.identitytoken) ? { identitytoken: entry.identitytoken } : {}),
    ...(isSet(entry.registrytoken) ? { registrytoken: entry.registrytoken } : {})
  })
}

/**
 * Whether an `AuthConfig` holds anything to authenticate with: a username, a password or a token.
 *
 * @category guards
 * @since 0.1.0
 */
export const hasCredentials = (auth: Registry.AuthConfig): boolean =>
  (auth.username !== undefined && auth.username !== "") || isSet(auth.password) || isSet(auth.identitytoken) ||
  isSet(auth.registrytoken) || isSet(auth.auth)

const decodeConfig = WireJson.decodeResult(ConfigFile)

/**
 * Parses the text of a `config.json` (an empty or blank text is an empty configuration, as for the docker CLI)
 * and loads its credentials. The failure text says what is wrong and where, never what the file holds.
 *
 * @category decoding
 * @since 0.1.0
 */
export const parse = (
  text: string
): Result.Result<{ readonly config: ConfigFile; readonly auths: Loaded["auths"] }, string> => {
  const trimmed = text.trim()
  if (trimmed === "" || trimmed === "null") return Result.succeed({ config: {}, auths: {} })
  const decoded = decodeConfig(text)
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure.message)
  const auths: { [registry: string]: Registry.AuthConfig } = {}
  for (const [key, entry] of Object.entries(authEntries(decoded.success))) {
    const auth = toAuthConfig(key, entry)
    if (Result.isFailure(auth)) return Result.fail(auth.failure)
    auths[key] = auth.success
  }
  return Result.succeed({ config: decoded.success, auths })
}

/**
 * The docker CLI's warning (without its `WARNING: ` prefix) for a `config.json` at `path` that could not be read:
 * `Error loading config file: open …: permission denied` when it cannot be opened, `Error parsing config file (…):
 * read …: is a directory` when it cannot be read.
 *
 * @category utils
 * @since 0.1.0
 */
export const unreadable = (path: string, error: DockerError.DockerError): string =>
  error.message.startsWith("read ")
    ? `Error parsing config file (${path}): ${error.message}`
    : `Error loading config file: ${error.message}`

/**
 * Reads `config.json` from the configuration directory (`options.configDir` plays the `--config` flag). A missing
 * file is an empty configuration. A file that cannot be read (no permission, a directory) is one too, as the docker
 * CLI goes on without it: the {@link Loaded.warning} says why, and is logged at Warn level. A file that is read but
 * cannot be parsed fails with `parsing config file (<path>): <why>`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const read = Effect.fn("DockerConfig.read")(function*(
  options?: { readonly configDir?: string | undefined }
): Effect.fn.Return<Loaded, DockerError.DockerError, DockerPlatform.DockerPlatform> {
  const platform = yield* DockerPlatform.DockerPlatform
  const dir = resolveDir(platform, options?.configDir)
  const path = GoPath.join(dir.value, fileName)
  const text = yield* platform.readFile(path).pipe(
    Effect.map(Result.succeed),
    Effect.catch((error) => Effect.succeed(Result.fail(unreadable(path, error))))
  )
  if (Result.isFailure(text)) {
    yield* Effect.logWarning(text.failure)
    return { dir, path, exists: false, config: {}, auths: {}, warning: text.failure }
  }
  if (Option.isNone(text.success)) return { dir, path, exists: false, config: {}, auths: {} }
  const parsed = parse(text.success.value)
  if (Result.isFailure(parsed)) {
    return yield* Effect.fail(
      DockerPlatform.localError("DockerConfig.read", `parsing config file (${path}): ${parsed.failure}`, {
        kind: "InvalidData",
        path
      })
    )
  }
  return { dir, path, exists: true, ...parsed.success }
})

let configEncoder: ReturnType<typeof Schema.encodeUnknownResult<typeof ConfigFile>> | undefined
/** Compiled on first use (only a command that writes config.json needs it), then kept. */
const encodeConfig = (config: unknown) => (configEncoder ??= Schema.encodeUnknownResult(ConfigFile))(config)

/**
 * The text the docker CLI would write for `config`: JSON indented with tabs, secrets in clear (the file is the
 * secret store), every unknown key kept.
 *
 * @category encoding
 * @since 0.1.0
 */
export const format = (config: ConfigFile): Result.Result<string, string> =>
  Result.mapBoth(encodeConfig(config), {
    onFailure: (error) => `invalid configuration: ${error.message}`,
    onSuccess: (encoded) => JSON.stringify(encoded, null, "\t")
  })

/**
 * Writes `config` to `path` atomically; a new file gets mode 0600 and an existing one keeps its mode, as with the
 * docker CLI.
 *
 * @category constructors
 * @since 0.1.0
 */
export const write = Effect.fn("DockerConfig.write")(
  function*(
    path: string,
    config: ConfigFile
  ): Effect.fn.Return<void, DockerError.DockerError, DockerPlatform.DockerPlatform> {
    const platform = yield* DockerPlatform.DockerPlatform
    const text = format(config)
    if (Result.isFailure(text)) return yield* Effect.fail(DockerPlatform.localError("DockerConfig.write", text.failure))
    yield* platform.writeFile(path, text.success)
  }
)
