/**
 * Where the daemon is: `DOCKER_HOST`-style addresses (`unix://`, `tcp://`, `http://`, `https://`, `ssh://`,
 * `npipe://`) parsed into an endpoint a transport can dial, with the docker CLI's defaults.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import * as Constants from "./Constants.ts"

/**
 * The socket the docker CLI uses when nothing else is configured.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultUnixSocket = "/var/run/docker.sock"

/**
 * `unix:///var/run/docker.sock`, the default host.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultHost = `unix://${defaultUnixSocket}`

/**
 * TLS material and policy for a TCP endpoint. `ca`, `cert` and `key` are PEM texts; `verify` false accepts any
 * server certificate (the docker CLI's `--tls` without `--tlsverify`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Tls {
  readonly ca?: string | undefined
  readonly cert?: string | undefined
  readonly key?: string | undefined
  readonly verify: boolean
}

/**
 * A daemon reached through a unix socket.
 *
 * @category models
 * @since 0.1.0
 */
export class Unix extends Data.TaggedClass("Unix")<{ readonly path: string }> {}

/**
 * A daemon reached over TCP, with TLS when `tls` is set.
 *
 * @category models
 * @since 0.1.0
 */
export class Tcp extends Data.TaggedClass("Tcp")<{
  readonly hostname: string
  readonly port: number
  readonly tls: Tls | undefined
}> {}

/**
 * A daemon reached through `ssh`, which runs `docker system dial-stdio` on the remote host.
 *
 * @category models
 * @since 0.1.0
 */
export class Ssh extends Data.TaggedClass("Ssh")<{
  readonly user: string | undefined
  readonly hostname: string
  readonly port: number | undefined
  readonly socketPath: string | undefined
}> {}

/**
 * A Windows named pipe; it exists only on Windows.
 *
 * @category models
 * @since 0.1.0
 */
export class Npipe extends Data.TaggedClass("Npipe")<{ readonly path: string }> {}

/**
 * Every kind of endpoint.
 *
 * @category models
 * @since 0.1.0
 */
export type Endpoint = Unix | Tcp | Ssh | Npipe

/**
 * A host string that cannot be used, with docker's wording.
 *
 * @category errors
 * @since 0.1.0
 */
export class InvalidHost extends Data.TaggedError("InvalidHost")<{ readonly host: string; readonly message: string }> {}

const invalid = (host: string, why?: string) =>
  Result.fail(new InvalidHost({ host, message: why ?? `invalid bind address format: ${host}` }))

const parsePort = (text: string, host: string): Result.Result<number | undefined, InvalidHost> => {
  if (text === "") return Result.succeed(undefined)
  const port = Number(text)
  return Number.isInteger(port) && port > 0 && port < 65536 && /^\d+$/.test(text)
    ? Result.succeed(port)
    : invalid(host, `invalid port "${text}" in ${host}`)
}

/**
 * `host` and `port` joined as Go's `net.JoinHostPort`: `host:port`, or `[host]:port` when the host has a colon (an
 * IPv6 address).
 *
 * @category formatting
 * @since 0.1.0
 */
export const joinHostPort = (host: string, port: string | number): string =>
  host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`

/**
 * A `host:port` or `[host]:port` split as Go's `net.SplitHostPort` splits it: the port is required (it may be
 * empty), an IPv6 address must be bracketed, and a stray bracket is refused. The failure is Go's text.
 *
 * @category parsing
 * @since 0.1.0
 */
export const splitHostPort = (
  hostPort: string
): Result.Result<{ readonly host: string; readonly port: string }, string> => {
  const fail = (why: string) => Result.fail(`address ${hostPort}: ${why}`)
  const colon = hostPort.lastIndexOf(":")
  if (colon === -1) return fail("missing port in address")
  let host: string
  let from = 0
  let to = 0
  if (hostPort.startsWith("[")) {
    const end = hostPort.indexOf("]")
    if (end === -1) return fail("missing ']' in address")
    if (end + 1 === hostPort.length) return fail("missing port in address")
    if (end + 1 !== colon) {
      return fail(hostPort[end + 1] === ":" ? "too many colons in address" : "missing port in address")
    }
    host = hostPort.slice(1, end)
    from = 1
    to = end + 1
  } else {
    host = hostPort.slice(0, colon)
    if (host.includes(":")) return fail("too many colons in address")
  }
  if (hostPort.slice(from).includes("[")) return fail("unexpected '[' in address")
  if (hostPort.slice(to).includes("]")) return fail("unexpected ']' in address")
  return Result.succeed({ host, port: hostPort.slice(colon + 1) })
}

/**
 * The host and port of a URL's authority, leniently: `[::1]:port` and `[::1]` lose their brackets, otherwise the
 * port is what follows the last colon (checked by the caller, which words docker's error).
 */
const splitAuthority = (authority: string): { hostname: string; port: string } => {
  const bracketed = authority.match(/^\[([^\]]*)\](?::(.*))?$/)
  if (bracketed) return { hostname: bracketed[1]!, port: bracketed[2] ?? "" }
  const colon = authority.lastIndexOf(":")
  return colon === -1
    ? { hostname: authority, port: "" }
    : { hostname: authority.slice(0, colon), port: authority.slice(colon + 1) }
}

/**
 * Parses a host as the docker CLI does: an empty string is the default socket; `tcp://` defaults to
 * `localhost` and port 2375 (2376 with TLS and no host); `http://` is plain TCP and `https://` TCP with TLS
 * (verified unless `tls.verify` says otherwise); `ssh://[user@]host[:port][/socket]`; `npipe://` is refused away from
 * Windows by the
 * transports, not here.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (host: string, tls?: Tls | undefined): Result.Result<Endpoint, InvalidHost> => {
  const trimmed = host.trim()
  if (trimmed === "") return Result.succeed(new Unix({ path: defaultUnixSocket }))
  const scheme = trimmed.match(/^([a-z]+):\/\/(.*)$/)
  if (!scheme) return invalid(host)
  const [, proto, rest = ""] = scheme
  switch (proto) {
    case "unix":
      return Result.succeed(new Unix({ path: rest === "" ? defaultUnixSocket : rest }))
    case "npipe":
      return Result.succeed(new Npipe({ path: rest === "" ? "//./pipe/docker_engine" : rest }))
    case "tcp":
    case "http":
    case "https": {
      const authority = rest.replace(/\/.*$/, "")
      const { hostname, port } = splitAuthority(authority)
      const useTls = proto === "https" ? (tls ?? { verify: true }) : proto === "http" ? undefined : tls
      return Result.map(parsePort(port, host), (parsed) =>
        new Tcp({
          hostname: hostname === "" ? "localhost" : hostname,
          // docker: an empty host means localhost:2376 with TLS, 2375 without; a host without a port gets 2375.
          port: parsed ?? (proto === "https" ? 443 : proto === "http" ? 80 : hostname === "" && useTls ? 2376 : 2375),
          tls: useTls
        }))
    }
    case "ssh": {
      const slash = rest.indexOf("/")
      const authority = slash === -1 ? rest : rest.slice(0, slash)
      const socketPath = slash === -1 || rest.slice(slash) === "/" ? undefined : rest.slice(slash)
      const at = authority.lastIndexOf("@")
      const user = at === -1 ? undefined : authority.slice(0, at)
      const { hostname, port } = splitAuthority(at === -1 ? authority : authority.slice(at + 1))
      if (hostname === "") return invalid(host, `no host specified in ${host}`)
      return Result.map(
        parsePort(port, host),
        (parsed) => new Ssh({ user: user === "" ? undefined : user, hostname, port: parsed, socketPath })
      )
    }
    default:
      return invalid(host)
  }
}

/**
 * The endpoint written back as a host string, e.g. `unix:///var/run/docker.sock` or `tcp://127.0.0.1:2376`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (endpoint: Endpoint): string => {
  switch (endpoint._tag) {
    case "Unix":
      return `unix://${endpoint.path}`
    case "Npipe":
      return `npipe://${endpoint.path}`
    case "Tcp":
      return `tcp://${joinHostPort(endpoint.hostname, endpoint.port)}`
    case "Ssh":
      return `ssh://${endpoint.user ? `${endpoint.user}@` : ""}${endpoint.hostname}${
        endpoint.port ? `:${endpoint.port}` : ""
      }${endpoint.socketPath ?? ""}`
  }
}

/**
 * The `Host` header of requests to `endpoint`, as the docker CLI sends it: `host:port` (`[::1]:2375`) for TCP, the
 * port written even when it is the scheme's default; {@link Constants.socketHost} (`api.moby.localhost`) for a unix
 * socket, ssh or a named pipe, which have no host to name.
 *
 * @category formatting
 * @since 0.1.0
 */
export const hostHeader = (endpoint: Endpoint): string =>
  endpoint._tag === "Tcp" ? joinHostPort(endpoint.hostname, endpoint.port) : Constants.socketHost

/**
 * The origin of request URLs to `endpoint`: `http(s)://host:port` for TCP (`https` with TLS), and
 * `http://api.moby.localhost` for a unix socket, ssh or a named pipe, whose transport dials the endpoint itself and
 * sends only the URL's path and query. `DockerEngine` writes it in front of every request.
 *
 * @category formatting
 * @since 0.1.0
 */
export const origin = (endpoint: Endpoint): string =>
  `${endpoint._tag === "Tcp" && endpoint.tls ? "https" : "http"}://${hostHeader(endpoint)}`
