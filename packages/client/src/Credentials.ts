/**
 * Registry credentials found, stored and erased exactly where the docker CLI keeps them: `DOCKER_AUTH_CONFIG`,
 * a registry's credential helper (`credHelpers`), the default helper (`credsStore`, or the platform's helper when
 * `config.json` configures nothing), or the `auths` of `config.json`.
 *
 * Every secret stays `Redacted`; no error or log line of this module contains one.
 *
 * @since 0.1.0
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import { Registry } from "@dockhand/models"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as DockerConfig from "./DockerConfig.ts"
import type * as DockerError from "./DockerError.ts"
import * as DockerHost from "./DockerHost.ts"
import * as DockerPlatform from "./DockerPlatform.ts"
import * as CredentialHelper from "./internal/credentialHelper.ts"

/**
 * The key Docker Hub's credentials are stored under: `https://index.docker.io/v1/`.
 *
 * @category constants
 * @since 0.1.0
 */
export const indexServer = "https://index.docker.io/v1/"

/** The host names that mean Docker Hub. */
const hubHosts = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"])

/**
 * The `host[:port]` of a registry address written with or without a scheme and path (`https://host:5000/v1/`,
 * `http://host`, `host/path`), as the docker CLI's `ConvertToHostname` finds it. User information is dropped;
 * an IPv6 address keeps its brackets only when a port follows.
 *
 * @category utils
 * @since 0.1.0
 */
export const convertToHostname = (address: string): string => {
  const scheme = address.indexOf("://")
  if (scheme === -1) return address.split("/")[0]!
  const authority = address.slice(scheme + 3).split(/[/?#]/)[0]!
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1)
  const bracketed = hostPort.match(/^\[([^\]]*)\](?::(\d*))?$/)
  const [host, port] = bracketed
    ? [bracketed[1]!, bracketed[2] ?? ""]
    : hostPort.split(":").length === 2
    ? [hostPort.split(":")[0]!, hostPort.split(":")[1]!]
    : [hostPort, ""]
  return port === "" ? host : DockerHost.joinHostPort(host, port)
}

/**
 * The key a registry's credentials are stored under: {@link indexServer} for Docker Hub (`docker.io`,
 * `index.docker.io`, `registry-1.docker.io`, with or without a scheme, or an empty name), otherwise the registry's
 * `host[:port]`.
 *
 * @category utils
 * @since 0.1.0
 */
export const registryKey = (registry: string): string => {
  const trimmed = registry.trim()
  if (trimmed === "" || trimmed === indexServer) return indexServer
  const host = convertToHostname(trimmed)
  return hubHosts.has(host.toLowerCase()) ? indexServer : host
}

/**
 * Registry credentials as the docker CLI keeps them.
 *
 * @category models
 * @since 0.1.0
 */
export interface Service {
  /**
   * The credentials for a registry (a host, `host:port`, a URL, or a Docker Hub name), with `serveraddress` set;
   * `None` when nothing is stored for it.
   */
  readonly get: (registry: string) => Effect.Effect<Option.Option<Registry.AuthConfig>, DockerError.DockerError>
  /**
   * The credentials of every configured registry, keyed as the docker CLI keys them for `X-Registry-Config`:
   * the `auths` of `config.json` (or what the default helper lists), `DOCKER_AUTH_CONFIG`, then every
   * `credHelpers` registry. Registries without credentials are left out.
   */
  readonly all: () => Effect.Effect<{ readonly [registry: string]: Registry.AuthConfig }, DockerError.DockerError>
  /**
   * Stores credentials as `docker login` does: through the registry's helper when one is configured (the
   * `auths` entry then holds no secret), otherwise as base64 `auth` in `config.json`, keeping every other key.
   */
  readonly store: (registry: string, auth: Registry.AuthConfig) => Effect.Effect<void, DockerError.DockerError>
  /**
   * Erases credentials as `docker logout` does: from the helper and from `config.json`, under the registry's key
   * and the `http://` / `https://` spellings older CLIs wrote.
   */
  readonly erase: (registry: string) => Effect.Effect<void, DockerError.DockerError>
}

/**
 * The registry credentials service.
 *
 * @category services
 * @since 0.1.0
 */
export class Credentials extends Context.Service<Credentials, Service>()("@dockhand/client/Credentials") {}

/**
 * Where to look: `configDir` plays the docker CLI's `--config` flag.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly configDir?: string | undefined
}

// ---------------------------------------------------------------------------------------------------------------
// DOCKER_AUTH_CONFIG
// ---------------------------------------------------------------------------------------------------------------

/** `DOCKER_AUTH_CONFIG` accepts `{"auths": {"<registry>": {"auth": "<base64>"}}}` and nothing else. */
const EnvConfig = Schema.Struct({
  auths: Schema.optionalKey(Schema.NullOr(Schema.Record(
    Schema.String,
    Schema.Struct({
      auth: Schema.optionalKey(Schema.NullOr(Schema.RedactedFromValue(Schema.String)))
    })
  )))
}).annotate({ identifier: "DOCKER_AUTH_CONFIG" })
const decodeEnvConfig = WireJson.decodeResult(EnvConfig, { strict: true })

/** The credentials of `DOCKER_AUTH_CONFIG` by key (docker CLI 28.3 and later). */
const envAuths = Effect.fn("Credentials.envAuths")(function*(platform: DockerPlatform.Service) {
  const text = platform.env("DOCKER_AUTH_CONFIG")
  const auths: { [registry: string]: Registry.AuthConfig } = {}
  if (text === undefined || text === "") return auths
  const failure = (why: string) =>
    Effect.fail(
      DockerPlatform.localError("Credentials", `Failed to create credential store from DOCKER_AUTH_CONFIG: ${why}`)
    )
  const decoded = decodeEnvConfig(text)
  if (Result.isFailure(decoded)) return yield* failure(decoded.failure.message)
  for (const [key, entry] of Object.entries(decoded.success.auths ?? {})) {
    const auth = entry.auth ?? undefined
    if (auth === undefined || Redacted.value(auth) === "") {
      return yield* failure(`DOCKER_AUTH_CONFIG environment variable is missing key \`auth\` for ${key}`)
    }
    const split = DockerConfig.decodeAuth(auth)
    if (Result.isFailure(split)) return yield* failure(split.failure)
    auths[key] = { username: split.success.username, password: split.success.password, serveraddress: key }
  }
  return auths
})

// ---------------------------------------------------------------------------------------------------------------
// Which credential helper
// ---------------------------------------------------------------------------------------------------------------

/** The helper of `credsStore`, or the platform's default one when `config.json` configures no credentials. */
const defaultStore = Effect.fn("Credentials.defaultStore")(
  function*(platform: DockerPlatform.Service, config: DockerConfig.ConfigFile) {
    const configured = DockerConfig.credsStore(config)
    if (configured !== undefined || DockerConfig.containsAuth(config)) return configured
    const candidate = platform.os === "darwin"
      ? "osxkeychain"
      : platform.os === "win32"
      ? "wincred"
      : platform.os === "linux"
      ? Option.isSome(yield* platform.findProgram("pass")) ? "pass" : "secretservice"
      : undefined
    if (candidate === undefined) return undefined
    return Option.isSome(yield* platform.findProgram(`docker-credential-${candidate}`)) ? candidate : undefined
  }
)

/** The helper for a key: its `credHelpers` entry (an empty one means none), else the default store. */
const helperFor = (config: DockerConfig.ConfigFile, store: string | undefined, key: string) => {
  const helpers = DockerConfig.credHelpers(config)
  const helper = Object.hasOwn(helpers, key) ? helpers[key] : store
  return helper === undefined || helper === "" ? undefined : helper
}

// ---------------------------------------------------------------------------------------------------------------
// config.json (the file store)
// ---------------------------------------------------------------------------------------------------------------

/**
 * `auths[key]`, else an entry whose key is a URL of that host (older CLIs wrote `https://host/v1/`); one with
 * credentials wins over an empty one.
 */
const fileGet = (loaded: DockerConfig.Loaded, key: string): Registry.AuthConfig | undefined => {
  if (Object.hasOwn(loaded.auths, key)) return loaded.auths[key]
  const matches = Object.entries(loaded.auths).filter(([stored]) => convertToHostname(stored) === key)
  return (matches.find(([, auth]) => DockerConfig.hasCredentials(auth)) ?? matches[0])?.[1]
}

/** The login's credentials, with `auth` split into username and password, and an empty identity token dropped. */
interface Login {
  readonly username: string | undefined
  readonly password: Redacted.Redacted<string> | undefined
  readonly identitytoken: Redacted.Redacted<string> | undefined
}

/**
 * The `auths` entry `docker login` writes: with a helper, only what the helper does not keep (the email and a
 * registry token); without one, also the base64 `auth` and the identity token.
 */
const fileEntry = (auth: Registry.AuthConfig, login: Login, withHelper: boolean): DockerConfig.AuthEntry => {
  const email = auth.email !== undefined && auth.email !== "" ? { email: auth.email } : {}
  const registrytoken = auth.registrytoken !== undefined && Redacted.value(auth.registrytoken) !== ""
    ? { registrytoken: auth.registrytoken }
    : {}
  if (withHelper) return { ...email, ...registrytoken }
  const encoded = DockerConfig.encodeAuth(login.username, login.password)
  return {
    ...(encoded === undefined ? {} : { auth: encoded }),
    ...email,
    ...(login.identitytoken === undefined ? {} : { identitytoken: login.identitytoken }),
    ...registrytoken
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------------------------

/**
 * Builds the service on the {@link DockerPlatform.DockerPlatform}. `config.json` and `DOCKER_AUTH_CONFIG` are read on
 * every call, so a login by another process is seen at once.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fn("Credentials.make")(function*(options?: Options) {
  const platform = yield* DockerPlatform.DockerPlatform
  const helpers = CredentialHelper.make(platform)
  const readConfig = DockerConfig.read({ configDir: options?.configDir }).pipe(
    Effect.provideService(DockerPlatform.DockerPlatform, platform)
  )
  const writeConfig = (path: string, config: DockerConfig.ConfigFile) =>
    DockerConfig.write(path, config).pipe(Effect.provideService(DockerPlatform.DockerPlatform, platform))

  /** The lookup of the docker CLI's `GetAuthConfig` for a key. */
  const lookup = Effect.fn("Credentials.lookup")(
    function*(loaded: DockerConfig.Loaded, env: { readonly [registry: string]: Registry.AuthConfig }, key: string) {
      if (Object.hasOwn(env, key)) return Option.some(env[key]!)
      const helper = helperFor(loaded.config, yield* defaultStore(platform, loaded.config), key)
      if (helper === undefined) {
        return Option.filter(Option.fromNullishOr(fileGet(loaded, key)), DockerConfig.hasCredentials)
      }
      const email = fileGet(loaded, key)?.email
      return Option.map(yield* helpers.get(helper, key), (auth) => (email ? { ...auth, email } : auth))
    }
  )

  const get = Effect.fn("Credentials.get")(function*(registry: string) {
    const loaded = yield* readConfig
    const env = yield* envAuths(platform)
    return yield* lookup(loaded, env, registryKey(registry))
  })

  const all = Effect.fn("Credentials.all")(function*() {
    const loaded = yield* readConfig
    const env = yield* envAuths(platform)
    const store = yield* defaultStore(platform, loaded.config)
    const result: { [registry: string]: Registry.AuthConfig } = {}
    if (store === undefined) {
      for (const [key, auth] of Object.entries(loaded.auths)) result[key] = auth
    } else {
      for (const url of yield* helpers.list(store)) {
        const found = yield* helpers.get(store, url)
        if (Option.isNone(found)) continue
        const email = loaded.auths[url]?.email
        result[url] = email ? { ...found.value, email } : found.value
      }
    }
    Object.assign(result, env)
    for (const key of Object.keys(DockerConfig.credHelpers(loaded.config))) {
      const found = yield* lookup(loaded, env, key).pipe(
        Effect.catch((error) =>
          Effect.logWarning(`Failed to get credentials for registry: ${key}: ${error.message}`).pipe(
            Effect.as(undefined)
          )
        )
      )
      if (found === undefined) continue
      if (Option.isSome(found)) result[key] = found.value
      else delete result[key]
    }
    for (const key of Object.keys(result)) {
      if (!DockerConfig.hasCredentials(result[key]!)) delete result[key]
    }
    return result
  })

  const store = Effect.fn("Credentials.store")(function*(registry: string, auth: Registry.AuthConfig) {
    const key = registryKey(registry)
    let username = auth.username
    let password = auth.password
    if ((username === undefined || username === "") && password === undefined && auth.auth !== undefined) {
      const split = DockerConfig.decodeAuth(auth.auth)
      if (Result.isFailure(split)) {
        return yield* Effect.fail(DockerPlatform.localError("Credentials.store", `invalid auth: ${split.failure}`))
      }
      username = split.success.username
      password = split.success.password
    }
    const token = auth.identitytoken !== undefined && Redacted.value(auth.identitytoken) !== ""
      ? auth.identitytoken
      : undefined
    const login: Login = { username, password, identitytoken: token }
    const loaded = yield* readConfig
    const detected = yield* defaultStore(platform, loaded.config)
    const helper = helperFor(loaded.config, detected, key)
    const auths = { ...DockerConfig.authEntries(loaded.config) }
    if (helper !== undefined) yield* helpers.store(helper, key, login)
    auths[key] = fileEntry(auth, login, helper !== undefined)
    // Like the docker CLI, a detected platform helper is written down as `credsStore` with the first login.
    const config: DockerConfig.ConfigFile =
      detected !== undefined && DockerConfig.credsStore(loaded.config) === undefined
        ? { ...loaded.config, auths, credsStore: detected }
        : { ...loaded.config, auths }
    yield* writeConfig(loaded.path, config)
    if (helper === undefined && password !== undefined && Redacted.value(password) !== "") {
      yield* Effect.logWarning(
        `Your credentials are stored unencrypted in '${loaded.path}'. ` +
          "Configure a credential helper to remove this warning."
      )
    }
  })

  const erase = Effect.fn("Credentials.erase")(function*(registry: string) {
    const key = registryKey(registry)
    const raw = registry.trim()
    const candidates = key === indexServer
      ? [indexServer]
      : [...new Set([raw === "" ? key : raw, key, `http://${key}`, `https://${key}`])]
    const loaded = yield* readConfig
    const detected = yield* defaultStore(platform, loaded.config)
    const auths = { ...DockerConfig.authEntries(loaded.config) }
    const errors: Array<string> = []
    let changed = false
    for (const candidate of candidates) {
      const helper = helperFor(loaded.config, detected, candidate)
      if (helper !== undefined) {
        const failure = yield* helpers.erase(helper, candidate)
        if (failure !== undefined) {
          errors.push(`${candidate}: ${failure}`)
          continue
        }
      }
      if (Object.hasOwn(auths, candidate)) {
        delete auths[candidate]
        changed = true
      }
    }
    if (changed) yield* writeConfig(loaded.path, { ...loaded.config, auths })
    if (errors.length === candidates.length) {
      return yield* Effect.fail(
        DockerPlatform.localError("Credentials.erase", `could not erase credentials: ${errors.join("; ")}`)
      )
    }
  })

  return Credentials.of({ get, all, store, erase })
})

/**
 * The credentials service over the platform in context, for the default configuration directory.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<Credentials, never, DockerPlatform.DockerPlatform> = Layer.effect(Credentials, make())

/**
 * The credentials service for a given configuration directory (the `--config` flag).
 *
 * @category layers
 * @since 0.1.0
 */
export const layerWith = (options: Options): Layer.Layer<Credentials, never, DockerPlatform.DockerPlatform> =>
  Layer.effect(Credentials, make(options))
