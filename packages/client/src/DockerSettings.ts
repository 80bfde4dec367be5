/**
 * Where to connect, chosen exactly as the docker CLI 28 chooses: from its flags (`--host`, `--context`, `--tls*`,
 * `--config`), the environment (`DOCKER_HOST`, `DOCKER_CONTEXT`, `DOCKER_TLS_VERIFY`, `DOCKER_TLS`,
 * `DOCKER_CERT_PATH`, `DOCKER_CONFIG`, `DOCKER_API_VERSION`), the current context of `config.json`, and the
 * context store (`<config dir>/contexts`). Every setting says where it came from, so a CLI can explain its choice.
 *
 * @since 0.1.0
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as DockerConfig from "./DockerConfig.ts"
import type * as DockerEngine from "./DockerEngine.ts"
import type * as DockerError from "./DockerError.ts"
import * as DockerHost from "./DockerHost.ts"
import * as DockerPlatform from "./DockerPlatform.ts"
import * as GoPath from "./GoPath.ts"
import * as LocalError from "./internal/localError.ts"

/**
 * A setting and where it came from (re-exported from `DockerConfig`).
 *
 * @category models
 * @since 0.1.0
 */
export type Sourced<A> = DockerConfig.Sourced<A>

/**
 * The docker CLI's connection flags; each is optional and means "not given" when absent. `tls` and `tlsVerify`
 * are the values of `--tls` and `--tlsverify` when given (`--tlsverify=false` is `false`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Flags {
  /** `--host` / `-H`. */
  readonly host?: string | undefined
  /** `--context` / `-c`. */
  readonly context?: string | undefined
  /** `--tls`. */
  readonly tls?: boolean | undefined
  /** `--tlsverify`. */
  readonly tlsVerify?: boolean | undefined
  /** `--tlscacert`. */
  readonly tlsCaCert?: string | undefined
  /** `--tlscert`. */
  readonly tlsCert?: string | undefined
  /** `--tlskey`. */
  readonly tlsKey?: string | undefined
  /** `--config`. */
  readonly configDir?: string | undefined
}

/**
 * How TLS is set up, by file path (never by content): whether the server certificate is verified, and which CA,
 * certificate and key files were loaded.
 *
 * @category models
 * @since 0.1.0
 */
export interface TlsSettings {
  readonly verify: boolean
  readonly ca: string | undefined
  readonly cert: string | undefined
  readonly key: string | undefined
}

/**
 * The resolved connection: the endpoint to dial, and each choice with its origin.
 *
 * @category models
 * @since 0.1.0
 */
export interface Settings {
  /** What a transport dials. Its TLS key is held `Redacted` and printed as `<redacted>`. */
  readonly endpoint: DockerHost.Endpoint
  /** The host as the docker CLI writes it (`unix:///var/run/docker.sock`, `tcp://localhost:2376`). */
  readonly host: Sourced<string>
  /** The context in use (`default` when none is). */
  readonly context: Sourced<string>
  /** TLS, when the endpoint uses it. */
  readonly tls: Sourced<TlsSettings> | undefined
  /** The fixed API version (`DOCKER_API_VERSION`), when negotiation is off. */
  readonly apiVersion: Sourced<string> | undefined
  /** The configuration directory. */
  readonly configDir: Sourced<string>
}

/**
 * The name of the context that stands for "flags and environment", which is never stored.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultContextName = "default"

/** Plain TCP when only the protocol is given (the CLI's `defaultTCPHost`). */
const defaultTcpHost = "tcp://localhost:2375"
/** TCP with TLS when nothing is given but TLS is on (the CLI's `defaultTLSHost`). */
const defaultTlsHost = "tcp://localhost:2376"

const cut = (text: string, separator: string): readonly [string, string, boolean] => {
  const at = text.indexOf(separator)
  return at === -1 ? [text, "", false] : [text.slice(0, at), text.slice(at + separator.length), true]
}

/** The CLI's `ParseTCPAddr` with its `url.Parse` checks; `address` is what followed `tcp://`. */
const parseTcpAddress = (address: string): Result.Result<string, string> => {
  if (address === "" || address === "tcp://") return Result.succeed(defaultTcpHost)
  let addr = address.startsWith("tcp://") ? address.slice(6) : address
  if (addr.includes("://") || addr === "") return Result.fail(`invalid proto, expected tcp: ${address}`)
  const [defaultHost, defaultPort] = ["localhost", "2375"]
  if (addr.endsWith("]:")) addr += defaultPort
  const [beforeFragment] = cut(addr, "#")
  const [beforeQuery] = cut(beforeFragment, "?")
  const slash = beforeQuery.indexOf("/")
  const authority = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash)
  const path = slash === -1 ? "" : beforeQuery.slice(slash)
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1)
  // url.Parse: what follows the host must be a (possibly empty) numeric port.
  const portText = hostPort.startsWith("[")
    ? hostPort.slice(hostPort.indexOf("]") + 1)
    : hostPort.includes(":")
    ? hostPort.slice(hostPort.lastIndexOf(":"))
    : ""
  if (hostPort.startsWith("[") && !hostPort.includes("]")) {
    return Result.fail(`parse "tcp://${addr}": missing ']' in host`)
  }
  if (portText !== "" && !/^:\d*$/.test(portText)) {
    return Result.fail(`parse "tcp://${addr}": invalid port "${portText}" after host`)
  }
  // Go's net.SplitHostPort, tried once more with the default port added.
  const split = Result.getOrUndefined(
    Result.orElse(
      DockerHost.splitHostPort(hostPort),
      () => DockerHost.splitHostPort(DockerHost.joinHostPort(hostPort, defaultPort))
    )
  )
  if (split === undefined) return Result.fail(`invalid bind address format: ${address}`)
  const host = split.host === "" ? defaultHost : split.host
  const port = split.port === "" ? defaultPort : split.port
  return Result.succeed(`tcp://${DockerHost.joinHostPort(host, port)}${path}`)
}

const parseSimpleAddress = (proto: string, address: string, fallback: string): Result.Result<string, string> => {
  const addr = address.startsWith(`${proto}://`) ? address.slice(proto.length + 3) : address
  if (addr.includes("://")) return Result.fail(`invalid proto, expected ${proto}: ${addr}`)
  return Result.succeed(`${proto}://${addr === "" ? fallback : addr}`)
}

/**
 * Normalizes a `--host` / `DOCKER_HOST` value as the docker CLI's `ParseHost` does: blank means the default
 * socket (or `tcp://localhost:2376` when TLS is on), a missing protocol means `tcp://`, a TCP address gets
 * `localhost` and port 2375 where they are missing, and only `tcp`, `unix`, `npipe`, `fd` and `ssh` are accepted.
 * The failure is docker's message.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseHost = (value: string, defaultToTls: boolean): Result.Result<string, string> => {
  const host = value.trim()
  if (host === "") return Result.succeed(defaultToTls ? defaultTlsHost : DockerHost.defaultHost)
  const [proto, rest, hasProto] = cut(host, "://")
  const [scheme, address] = hasProto ? [proto, rest] : ["tcp", host]
  switch (scheme) {
    case "tcp":
      return parseTcpAddress(address)
    case "unix":
      return parseSimpleAddress("unix", address, DockerHost.defaultUnixSocket)
    case "npipe":
      return parseSimpleAddress("npipe", address, "//./pipe/docker_engine")
    case "fd":
    case "ssh":
      return Result.succeed(host)
    default:
      return Result.fail(`invalid bind address format: ${host}`)
  }
}

/**
 * TLS material whose private key stays `Redacted`: transports read `key` as usual, while `JSON.stringify`,
 * `String` and `util.inspect` show `<redacted>`.
 */
class TlsMaterial implements DockerHost.Tls {
  readonly ca: string | undefined
  readonly cert: string | undefined
  readonly verify: boolean
  readonly #key: Redacted.Redacted<string> | undefined
  constructor(options: { ca: string | undefined; cert: string | undefined; key: string | undefined; verify: boolean }) {
    this.ca = options.ca
    this.cert = options.cert
    this.verify = options.verify
    this.#key = options.key === undefined ? undefined : Redacted.make(options.key)
  }
  get key(): string | undefined {
    return this.#key === undefined ? undefined : Redacted.value(this.#key)
  }
  toJSON() {
    const key = this.#key === undefined ? undefined : "<redacted>"
    return { ca: this.ca, cert: this.cert, key, verify: this.verify }
  }
  toString() {
    return JSON.stringify(this.toJSON())
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toJSON()
  }
}

/** Unix sockets, named pipes and file descriptors never use TLS; neither does ssh (a connection helper). */
const usesTls = (host: string) => !["unix", "npipe", "fd", "ssh"].includes(cut(host, "://")[0])

/** `meta.json` of a stored context: only the docker endpoint matters here. */
const ContextMeta = Schema.Struct({
  Name: Schema.optionalKey(Schema.NullOr(Schema.String)),
  Endpoints: Schema.optionalKey(Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown)))
}).annotate({ identifier: "context metadata" })
const decodeContextMeta = WireJson.decodeResult(ContextMeta)

const DockerEndpointMeta = Schema.Struct({
  Host: Schema.optionalKey(Schema.NullOr(Schema.String)),
  SkipTLSVerify: Schema.optionalKey(Schema.NullOr(Schema.Boolean))
}).annotate({ identifier: "docker endpoint" })
let dockerEndpointDecoder: ReturnType<typeof Schema.decodeUnknownResult<typeof DockerEndpointMeta>> | undefined
/** Compiled on first use (a context's metadata is read only when a context is selected), then kept. */
const decodeDockerEndpoint = (input: unknown) =>
  (dockerEndpointDecoder ??= Schema.decodeUnknownResult(DockerEndpointMeta))(input)

const nonEmpty = (value: string | undefined): value is string => value !== undefined && value !== ""

type Pem = { readonly path: string; readonly text: string } | undefined

/** The TLS settings and material of the PEM files found: the certificate and key are used only as a pair. */
const tlsOf = (
  verify: boolean,
  pems: { readonly ca: Pem; readonly cert: Pem; readonly key: Pem },
  origin: { readonly source: DockerConfig.Source; readonly detail: string }
): { readonly tls: Sourced<TlsSettings>; readonly material: TlsMaterial } => {
  const { ca } = pems
  const [cert, key] = pems.cert !== undefined && pems.key !== undefined ? [pems.cert, pems.key] : [undefined, undefined]
  return {
    tls: { value: { verify, ca: ca?.path, cert: cert?.path, key: key?.path }, ...origin },
    material: new TlsMaterial({ ca: ca?.text, cert: cert?.text, key: key?.text, verify })
  }
}

/** Where the connection goes: the host, and TLS when the endpoint uses it. */
interface Connection {
  readonly host: Sourced<string>
  readonly tls: Sourced<TlsSettings> | undefined
  readonly material: TlsMaterial | undefined
}

const operation = "DockerSettings.resolve"
const fail = (message: string) => Effect.fail(DockerPlatform.argumentError(operation, message))
const unresolved = (message: string) => fail(`unable to resolve docker endpoint: ${message}`)

/**
 * The context's name: `--context`, else `default` when `--host` or `DOCKER_HOST` is set, else `DOCKER_CONTEXT`,
 * else `currentContext` of `config.json` (read only then), else `default`.
 */
const contextName = Effect.fnUntraced(function*(platform: DockerPlatform.Service, flags: Flags) {
  const sourced = (value: string, source: DockerConfig.Source, detail: string): Sourced<string> => ({
    value,
    source,
    detail
  })
  const fromEnv = platform.env("DOCKER_CONTEXT")
  if (nonEmpty(flags.context)) return sourced(flags.context, "flag", "--context")
  if (nonEmpty(flags.host)) return sourced(defaultContextName, "flag", "--host")
  if (nonEmpty(platform.env("DOCKER_HOST"))) return sourced(defaultContextName, "env", "DOCKER_HOST")
  if (nonEmpty(fromEnv)) return sourced(fromEnv, "env", "DOCKER_CONTEXT")
  const loaded = yield* DockerConfig.read({ configDir: flags.configDir })
  const current = DockerConfig.currentContext(loaded.config)
  return current === undefined
    ? sourced(defaultContextName, "default", "no context configured")
    : sourced(current, "config-file", loaded.path)
})

/** The fixed API version of `DOCKER_API_VERSION` (a leading `v` dropped), `undefined` when it is unset or blank. */
const fixedApiVersion = (
  platform: DockerPlatform.Service
): Effect.Effect<Sourced<string> | undefined, DockerError.DockerError> => {
  const text = platform.env("DOCKER_API_VERSION")
  const version = text?.trim().replace(/^v/, "")
  if (text === undefined || version === undefined || version === "") return Effect.succeed(undefined)
  if (!/^\d+\.\d+$/.test(version)) return fail(`invalid API version (${text}): expected <major>.<minor>, e.g. 1.47`)
  return Effect.succeed({ value: version, source: "env", detail: "DOCKER_API_VERSION" })
}

/**
 * The `default` context: `--host`, else `DOCKER_HOST`, else the default socket (`tcp://localhost:2376` with TLS);
 * TLS with `--tlsverify`/`DOCKER_TLS_VERIFY` (verified) or `--tls`/`DOCKER_TLS`, its files named by the flags or
 * found in `DOCKER_CERT_PATH` (else the default config directory, never `--config`).
 */
const defaultContext = Effect.fnUntraced(function*(platform: DockerPlatform.Service, flags: Flags) {
  const env = (name: string) => platform.env(name)
  const tlsVerify = flags.tlsVerify ?? nonEmpty(env("DOCKER_TLS_VERIFY"))
  const tlsOn = flags.tlsVerify !== undefined || tlsVerify || (flags.tls ?? nonEmpty(env("DOCKER_TLS")))
  const given = nonEmpty(flags.host)
    ? { text: flags.host, source: "flag" as const, detail: "--host" }
    : nonEmpty(env("DOCKER_HOST"))
    ? { text: env("DOCKER_HOST")!, source: "env" as const, detail: "DOCKER_HOST" }
    : undefined
  const parsed = parseHost(given?.text ?? "", tlsOn)
  if (Result.isFailure(parsed)) return yield* unresolved(parsed.failure)
  const host: Sourced<string> = given === undefined
    ? { value: parsed.success, source: "default", detail: tlsOn ? "the default TLS address" : "the default socket" }
    : { value: parsed.success, source: given.source, detail: given.detail }
  if (!tlsOn) return { host, tls: undefined, material: undefined } satisfies Connection
  // The certificate directory ignores --config: the CLI fixes it before parsing flags.
  const certPath = nonEmpty(env("DOCKER_CERT_PATH"))
    ? env("DOCKER_CERT_PATH")!
    : DockerConfig.resolveDir(platform).value
  const readPem = (path: string, required: boolean) =>
    platform.readFile(path).pipe(
      Effect.mapError((error) =>
        LocalError.rewrap(operation, `unable to resolve docker endpoint: ${error.message}`, error)
      ),
      Effect.flatMap((text) =>
        Option.isSome(text)
          ? Effect.succeed({ path, text: text.value })
          : required
          ? unresolved(`open ${path}: no such file or directory`)
          : Effect.succeed(undefined)
      )
    )
  const pick = (flag: string | undefined, file: string) =>
    flag !== undefined
      ? (flag === "" ? Effect.succeed(undefined) : readPem(flag, true))
      : readPem(GoPath.join(certPath, file), file === "ca.pem")
  const ca = yield* pick(flags.tlsCaCert, "ca.pem")
  const cert = yield* pick(flags.tlsCert, "cert.pem")
  const key = yield* pick(flags.tlsKey, "key.pem")
  const hasData = ca !== undefined || cert !== undefined || key !== undefined
  if (!usesTls(parsed.success) || !(hasData || !tlsVerify)) {
    return { host, tls: undefined, material: undefined } satisfies Connection
  }
  const origin = flags.tlsVerify !== undefined
    ? { source: "flag" as const, detail: "--tlsverify" }
    : nonEmpty(env("DOCKER_TLS_VERIFY"))
    ? { source: "env" as const, detail: "DOCKER_TLS_VERIFY" }
    : flags.tls === true
    ? { source: "flag" as const, detail: "--tls" }
    : { source: "env" as const, detail: "DOCKER_TLS" }
  return { host, ...tlsOf(tlsVerify, { ca, cert, key }, origin) } satisfies Connection
})

/**
 * A stored context: its docker endpoint read from `<config dir>/contexts/meta/<sha256 of its name>/meta.json`, its
 * TLS files from `<config dir>/contexts/tls/<sha256>/docker/`.
 */
const storedContext = Effect.fnUntraced(function*(platform: DockerPlatform.Service, configDir: string, name: string) {
  const id = yield* platform.sha256Hex(name)
  const metaPath = GoPath.join(configDir, "contexts", "meta", id, "meta.json")
  const metaText = yield* platform.readFile(metaPath).pipe(
    Effect.mapError((error) =>
      LocalError.rewrap(operation, `unable to resolve docker endpoint: context "${name}": ${error.message}`, error)
    )
  )
  if (Option.isNone(metaText)) {
    return yield* unresolved(`context "${name}": context not found: open ${metaPath}: no such file or directory`)
  }
  const meta = decodeContextMeta(metaText.value)
  if (Result.isFailure(meta)) {
    return yield* Effect.fail(
      DockerPlatform.localError(
        operation,
        `unable to resolve docker endpoint: context "${name}": parsing ${metaPath}: ${meta.failure.message}`,
        { kind: "InvalidData", path: metaPath }
      )
    )
  }
  const endpoints = meta.success.Endpoints ?? {}
  if (!Object.hasOwn(endpoints, "docker")) return yield* unresolved("cannot find docker endpoint in context")
  const endpointJson = endpoints["docker"]
  if (endpointJson === null) return yield* unresolved(`endpoint "docker" is not of type EndpointMeta`)
  const endpoint = decodeDockerEndpoint(endpointJson)
  if (Result.isFailure(endpoint)) {
    return yield* unresolved(`context "${name}": parsing ${metaPath}: ${endpoint.failure.message}`)
  }
  const hostText = nonEmpty(endpoint.success.Host ?? undefined) ? endpoint.success.Host! : DockerHost.defaultHost
  const host: Sourced<string> = { value: hostText, source: "context", detail: name }
  const skipVerify = endpoint.success.SkipTLSVerify === true
  const tlsDir = GoPath.join(configDir, "contexts", "tls", id, "docker")
  const files = yield* platform.listFiles(tlsDir).pipe(
    Effect.mapError((error) =>
      LocalError.rewrap(
        operation,
        `unable to resolve docker endpoint: failed to retrieve TLS files for context "${name}": ${error.message}`,
        error
      )
    )
  )
  const readTls = (file: string) =>
    Option.isSome(files) && files.value.includes(file)
      ? platform.readFile(GoPath.join(tlsDir, file)).pipe(
        Effect.mapError((error) =>
          LocalError.rewrap(
            operation,
            `unable to resolve docker endpoint: failed to retrieve TLS data (${file}) for context "${name}": ` +
              error.message,
            error
          )
        ),
        Effect.map((text) => Option.isSome(text) ? { path: GoPath.join(tlsDir, file), text: text.value } : undefined)
      )
      : Effect.succeed(undefined)
  const ca = yield* readTls("ca.pem")
  const cert = yield* readTls("cert.pem")
  const key = yield* readTls("key.pem")
  if (!usesTls(hostText) || !(Option.isSome(files) || skipVerify)) {
    return { host, tls: undefined, material: undefined } satisfies Connection
  }
  return { host, ...tlsOf(!skipVerify, { ca, cert, key }, { source: "context", detail: name }) } satisfies Connection
})

/**
 * Resolves where to connect, as the docker CLI 28 does:
 *
 * 1. `--host` with `--context` is an error.
 * 2. The context is `--context`, else `default` when `--host` or `DOCKER_HOST` is set, else `DOCKER_CONTEXT`,
 *    else `currentContext` of `config.json`, else `default`.
 * 3. The `default` context connects to `--host`, else `DOCKER_HOST`, else the default socket; TLS is on with
 *    `--tlsverify`/`DOCKER_TLS_VERIFY` (verified) or `--tls`/`DOCKER_TLS` (not verified), with `ca.pem`,
 *    `cert.pem` and `key.pem` from `DOCKER_CERT_PATH` (else `DOCKER_CONFIG`, else `~/.docker`; not `--config`).
 * 4. Another context is read from `<config dir>/contexts/meta/<sha256 of its name>/meta.json`, its TLS files
 *    from `<config dir>/contexts/tls/<sha256>/docker/`.
 * 5. `DOCKER_API_VERSION` fixes the API version.
 *
 * Failures carry docker's message. A setting that cannot be used (`--host` with `--context`, a malformed host, a
 * context that does not exist: `unable to resolve docker endpoint: context "x": context not found: …`) is an
 * `InvalidArgument` reason; a file that exists but cannot be read (a context's `meta.json`, a TLS file) is a
 * `SystemError` reason with the read's kind and path, and the read's error as its `cause`; a `meta.json` that is
 * not JSON is a `SystemError` of kind `InvalidData`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const resolve = Effect.fn("DockerSettings.resolve")(
  function*(flags: Flags = {}): Effect.fn.Return<Settings, DockerError.DockerError, DockerPlatform.DockerPlatform> {
    const platform = yield* DockerPlatform.DockerPlatform
    if (nonEmpty(flags.context) && nonEmpty(flags.host)) {
      return yield* fail("conflicting options: cannot specify both --host and --context")
    }
    const configDir = DockerConfig.resolveDir(platform, flags.configDir)
    const context = yield* contextName(platform, flags)
    const apiVersion = yield* fixedApiVersion(platform)
    const { host, material, tls } = context.value === defaultContextName
      ? yield* defaultContext(platform, flags)
      : yield* storedContext(platform, configDir.value, context.value)
    const endpoint = DockerHost.parse(host.value, material)
    if (Result.isFailure(endpoint)) return yield* fail(endpoint.failure.message)
    return { endpoint: endpoint.success, host, context, tls, apiVersion, configDir }
  }
)

/**
 * The resolved settings as a service, for code that needs to know where it is connected.
 *
 * @category services
 * @since 0.1.0
 */
export class DockerSettings extends Context.Service<DockerSettings, Settings>()("@dockhand/client/DockerSettings") {}

/**
 * A layer with the settings resolved from `flags` and the platform's environment.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  flags: Flags = {}
): Layer.Layer<DockerSettings, DockerError.DockerError, DockerPlatform.DockerPlatform> =>
  Layer.effect(DockerSettings, resolve(flags))

/**
 * What `DockerEngine.layer` needs from the settings: the endpoint and the fixed API version, if any.
 *
 * @category utils
 * @since 0.1.0
 */
export const engineOptions = (settings: Settings): DockerEngine.Options => ({
  endpoint: settings.endpoint,
  apiVersion: settings.apiVersion?.value
})
