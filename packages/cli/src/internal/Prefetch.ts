/**
 * Requests sent ahead. Loading the CLI's code takes Node and Bun 40–60 ms; listing thousands of images takes the
 * daemon about as long. So before that code loads, {@link start} looks at the command line and, for a command whose
 * first request is a plain read (`image ls`, `images`), pings the engine the docker CLI would pick and sends that
 * request. The daemon works while the code loads.
 *
 * Nothing here decides what the program does. The client resolves its settings, negotiates and builds its requests as
 * always; its transport then asks {@link take} for an answer to exactly that request: the same socket, method, path
 * and query. Anything else is sent as usual and the early answer is dropped. A guess that was wrong costs one
 * unneeded read; it cannot change a result.
 *
 * This module is loaded before Effect and everything else, so it depends on nothing but the runtime.
 *
 * @internal
 */
import * as Constants from "@dockhand/client/Constants"
import type * as Http from "node:http"
import * as RuntimeName from "./RuntimeName.ts"

/** The minor numbers of the API versions the client speaks (its `Constants`, read without loading Effect). */
export const apiVersions = {
  minimum: Number(Constants.apiVersionMinimum.split(".")[1]),
  maximum: Number(Constants.apiVersionMaximum.split(".")[1])
} as const

/** The user agent the client sends (`DockerEngine` with the CLI's options). */
export const userAgent = Constants.userAgent

/** A request worth sending ahead: where, and which path and query. */
export interface Plan {
  /** The unix socket the engine listens on. */
  readonly socketPath: string
  /** The request's path below `/v{version}` and its query, e.g. `/images/json?all=1`. */
  readonly path: string
}

/** What the environment says about the engine: the variables and the config file's `currentContext`. */
export interface Environment {
  readonly env: Readonly<Record<string, string | undefined>>
  /** `currentContext` of the CLI config file, if it has one; asked only when no variable decides. */
  readonly currentContext: () => string | undefined
}

const listCommands = [["images"], ["image", "ls"], ["image", "list"]]
/** The global flags that do not change where or what is requested. */
const harmlessGlobals = new Set(["-D", "--debug"])
const globalsWithValue = new Set(["-l", "--log-level"])
/** `image ls` flags that change only the output. */
const outputFlags = new Set(["-q", "--quiet", "--digests", "--no-trunc"])

/** The socket the docker CLI would dial in `environment`, when that is a unix socket it can be sure of. */
export const socketPath = (environment: Environment): string | undefined => {
  const { env } = environment
  const host = env["DOCKER_HOST"]
  if (host !== undefined && host !== "") {
    const match = /^unix:\/\/(\/.+)$/.exec(host)
    return match === null ? undefined : match[1]
  }
  if (env["DOCKER_API_VERSION"] !== undefined && env["DOCKER_API_VERSION"] !== "") return undefined
  const context = env["DOCKER_CONTEXT"] || environment.currentContext()
  if (context !== undefined && context !== "" && context !== "default") return undefined
  return "/var/run/docker.sock"
}

/**
 * The request `argv` (the words after the program name) will make first, if it is one worth sending ahead:
 * `image ls` / `image list` / `images` with no filter and no reference, with any output flags.
 */
export const plan = (argv: ReadonlyArray<string>, environment: Environment): Plan | undefined => {
  let i = 0
  while (i < argv.length && argv[i]!.startsWith("-")) {
    const word = argv[i]!
    if (harmlessGlobals.has(word) || word.startsWith("--log-level=")) i += 1
    else if (globalsWithValue.has(word)) i += 2
    else return undefined
  }
  const command = listCommands.find((words) => words.every((word, j) => argv[i + j] === word))
  if (command === undefined) return undefined
  let all = false
  // `--tree` lists with `manifests=1` (API 1.47; on an older engine the command fails before it lists).
  let tree = false
  for (let j = i + command.length; j < argv.length; j++) {
    const word = argv[j]!
    if (word === "-a" || word === "--all") all = true
    else if (word === "--tree") tree = true
    else if (/^-[aq]+$/.test(word)) all ||= word.includes("a")
    else if (word === "--format") j += 1
    else if (!outputFlags.has(word) && !word.startsWith("--format=")) return undefined
  }
  const socket = socketPath(environment)
  const query = [...(all ? ["all=1"] : []), ...(tree ? ["manifests=1"] : [])].join("&")
  return socket === undefined
    ? undefined
    : { socketPath: socket, path: `/images/json${query === "" ? "" : `?${query}`}` }
}

/** An answer sent ahead: Node's `IncomingMessage` or a Web `Response` (Bun). */
export type Answer =
  | { readonly _tag: "IncomingMessage"; readonly message: Http.IncomingMessage }
  | { readonly _tag: "Response"; readonly response: Response }

interface Pending {
  readonly socketPath: string
  readonly method: string
  readonly path: string
  readonly answer: Promise<Answer | undefined>
}

let pending: Array<Pending> = []

/** The `major.minor` to speak with a daemon whose `Api-Version` is `header`, as the client negotiates it. */
export const negotiate = (header: string | null | undefined): string | undefined => {
  const match = header?.trim().match(/^1\.(\d+)/)
  if (!match) return undefined
  const minor = Number(match[1])
  return minor < apiVersions.minimum ? undefined : `1.${Math.min(minor, apiVersions.maximum)}`
}

/** The headers the client sends over a unix socket (`DockerHost.hostHeader`), read from its `Constants`. */
const headers = { host: Constants.socketHost, "user-agent": userAgent }

/**
 * Sends one request over the socket. `answer` is `undefined` when it fails (the program will send it again itself);
 * `written` resolves once the request is on the socket: Node connects and writes only when its event loop runs,
 * which it does not while the program's code loads.
 */
const send = (
  runtime: "node" | "bun",
  socketPath: string,
  method: string,
  path: string
): { readonly answer: Promise<Answer | undefined>; readonly written: Promise<void> } => {
  if (runtime === "bun") {
    const answer = fetch(`http://${Constants.socketHost}${path}`, { method, headers, unix: socketPath } as RequestInit)
      .then(
        (response): Answer => ({ _tag: "Response", response }),
        () => undefined
      )
    return { answer, written: Promise.resolve() }
  }
  // An empty `servername` keeps Node's agent from checking whether the Host header is an IP address, which compiles
  // a large regular expression (3 ms at start-up) to name a TLS server that a unix socket does not have.
  const request = process.getBuiltinModule("node:http").request(
    { socketPath, method, path, headers, servername: "" } as Http.RequestOptions
  )
  const answer = new Promise<Answer | undefined>((resolve) => {
    request.on("response", (message) => resolve({ _tag: "IncomingMessage", message }))
    request.on("error", () => resolve(undefined))
  })
  const written = new Promise<void>((resolve) => {
    request.on("finish", resolve)
    request.on("error", () => resolve())
  })
  request.end()
  return { answer, written }
}

const apiVersionOf = (answer: Answer | undefined): string | undefined => {
  if (answer === undefined) return undefined
  if (answer._tag === "Response") {
    return answer.response.status === 200 ? negotiate(answer.response.headers.get("api-version")) : undefined
  }
  const header = answer.message.headers["api-version"]
  return answer.message.statusCode === 200 && typeof header === "string" ? negotiate(header) : undefined
}

/** How long {@link start} waits for the ping before letting the program load anyway. */
const pingBudgetMs = 50

/**
 * Pings the engine and sends the request `argv` will make, when {@link plan} finds one (on Node and Bun; not when
 * `DOCKHAND_NO_PREFETCH` is set). Resolves once the request is on its way, or at once when there is nothing to send,
 * and after at most 50 ms when the engine is slow to answer the ping. Never fails: whatever goes wrong here (an
 * unreadable config file, say) only means nothing is sent ahead, and the program finds and reports it itself.
 */
export const start = (argv: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>): Promise<void> =>
  new Promise<void>((resolve) => resolve(startUnsafe(argv, env))).catch(() => undefined)

const startUnsafe = (argv: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>): Promise<void> => {
  // Deno's fetch reaches a unix socket only through a client made for it: Deno sends nothing ahead.
  const runtime = RuntimeName.name
  if (runtime === "deno" || env["DOCKHAND_NO_PREFETCH"]) return Promise.resolve()
  const found = plan(argv, { env, currentContext: () => currentContextOf(env) })
  if (found === undefined) return Promise.resolve()
  const ping = send(runtime, found.socketPath, "HEAD", "/_ping").answer
  pending.push({ socketPath: found.socketPath, method: "HEAD", path: "/_ping", answer: ping })
  const sent = ping.then((answer) => {
    const apiVersion = apiVersionOf(answer)
    if (apiVersion === undefined) return
    const path = `/v${apiVersion}${found.path}`
    const list = send(runtime, found.socketPath, "GET", path)
    pending.push({ socketPath: found.socketPath, method: "GET", path, answer: list.answer })
    return list.written
  })
  return Promise.race([sent, new Promise<void>((resolve) => setTimeout(resolve, pingBudgetMs).unref?.())])
}

/** `currentContext` from the config file (`DOCKER_CONFIG` or `~/.docker`). */
const currentContextOf = (env: Readonly<Record<string, string | undefined>>): string | undefined => {
  const fs = process.getBuiltinModule("node:fs")
  const dir = env["DOCKER_CONFIG"] || `${env["HOME"] ?? ""}/.docker`
  const file = `${dir}/config.json`
  if (!fs.existsSync(file)) return undefined
  const text = fs.readFileSync(file, "utf8")
  // Only `"currentContext"` matters, and only whether it names a context: a config that says anything unclear
  // about it ("not default") simply means no request is sent ahead.
  const match = /"currentContext"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)
  return match === null ? (text.includes("currentContext") ? "?" : undefined) : match[1]
}

/**
 * The answer sent ahead for exactly this request (socket, method, and path with query), once; `undefined` when none
 * was sent. A request that does not match drops every answer still waiting, closing its connection.
 */
export const take = (socketPath: string, method: string, path: string): Promise<Answer | undefined> | undefined => {
  const index = pending.findIndex((p) => p.socketPath === socketPath && p.method === method && p.path === path)
  if (index >= 0) return pending.splice(index, 1)[0]!.answer
  if (pending.length > 0) discard()
  return undefined
}

/** Drops every answer still waiting: reads of a command that went another way. */
export const discard = (): void => {
  const dropped = pending
  pending = []
  for (const p of dropped) {
    void p.answer.then((answer) => {
      if (answer?._tag === "IncomingMessage") answer.message.destroy()
      else if (answer?._tag === "Response") void answer.response.body?.cancel().catch(() => undefined)
    })
  }
}
