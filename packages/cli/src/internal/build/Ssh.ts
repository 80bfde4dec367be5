/**
 * `--ssh` as `docker build` (buildx) reads it: `id[=path[,path…]]`, the id before the first `=` (empty: `default`),
 * the paths split at commas; no path (or one empty path) means `$SSH_AUTH_SOCK`. A path that is not a socket is a
 * private key file, which the session serves from an in-process agent as buildx serves it from an agent of its
 * own; an id takes several key files, or one socket. Each agent is checked before the build as buildx checks it,
 * with buildx's error texts: an id given twice, no socket, a path that cannot be stat'ed, two sockets, a key file
 * that cannot be opened, read or parsed, keys before a socket. No text shows a key's bytes.
 *
 * @internal
 */
import { BuildSession } from "@dockhand/client"
import * as Result from "effect/Result"
import * as fs from "node:fs"
import * as Failure from "../Failure.ts"

/**
 * What `stat` says of a path: a socket, or a file with buildx's text for why it is no key the session can serve
 * (`keyError`, from {@link keyFileError}; none: a key), or Go's error text (`stat /x: no such file or directory`).
 */
export type StatOf = (path: string) => { readonly socket: boolean; readonly keyError?: string | undefined } | string

/** Go's text of a failed file call, with the path Node leaves out of a read's error (`read /x: is a directory`). */
const goFileError = (cause: unknown, syscall: string, path: string) =>
  Failure.goError({ code: (cause as { code?: unknown }).code, syscall, path, message: String(cause) })

/**
 * Why the private key file at `path` is no key the session can serve, in buildx's words (`failed to open <path>:
 * open <path>: permission denied`, `failed to read …`, `failed to parse <path>: ssh: no key found`); a key
 * protected by a passphrase is told to go through an agent. `undefined` when it is a key. At most as many bytes
 * are read as buildx reads.
 */
export const keyFileError = (path: string): string | undefined => {
  const fd = Result.try(() => fs.openSync(path, "r"))
  if (Result.isFailure(fd)) return `failed to open ${path}: ${goFileError(fd.failure, "open", path)}`
  const buffer = new Uint8Array(BuildSession.maxSshKeyFileBytes)
  const read = Result.try(() => {
    let length = 0
    for (let n = 1; n > 0 && length < buffer.byteLength;) {
      n = fs.readSync(fd.success, buffer, length, buffer.byteLength - length, null)
      length += n
    }
    return length
  })
  fs.closeSync(fd.success)
  if (Result.isFailure(read)) return `failed to read ${path}: ${goFileError(read.failure, "read", path)}`
  const key = BuildSession.checkSshKey(buffer.subarray(0, read.success))
  buffer.fill(0)
  if (Result.isSuccess(key)) return undefined
  const hint = key.failure.endsWith("passphrase protected")
    ? " (dockhand asks for no passphrase: load the key into an ssh-agent with ssh-add and forward the agent's socket)"
    : ""
  return `failed to parse ${path}: ${key.failure}${hint}`
}

/** One `--ssh` value as buildx's `ParseSSHSpecs` splits it. */
interface Spec {
  readonly id: string
  readonly paths: ReadonlyArray<string> | undefined
}

const split = (value: string): Spec => {
  const eq = value.indexOf("=")
  return eq === -1 ? { id: value, paths: undefined } : { id: value.slice(0, eq), paths: value.slice(eq + 1).split(",") }
}

/**
 * The `--ssh` values as the session's agents, or buildx's error text (printed after `ERROR: failed to build: `).
 * `env` reads `SSH_AUTH_SOCK`.
 */
export const parse = (
  values: ReadonlyArray<string>,
  env: (name: string) => string | undefined,
  statOf: StatOf
): Result.Result<ReadonlyArray<BuildSession.SshAgent>, string> => {
  const agents: Array<BuildSession.SshAgent> = []
  const seen = new Set<string>()
  for (const value of values) {
    if (value === "") continue
    const spec = split(value)
    const id = spec.id === "" ? "default" : spec.id
    if (seen.has(id)) return Result.fail(`duplicate agent ID "${id}"`)
    seen.add(id)
    // Go's %v of the config: the paths as a slice, `[a b]`
    const config = `failed to convert agent config {${id} [${(spec.paths ?? []).join(" ")}] false}`
    let paths = spec.paths ?? []
    if (paths.length === 0 || (paths.length === 1 && paths[0] === "")) paths = [env("SSH_AUTH_SOCK") ?? ""]
    if (paths[0] === "") {
      return Result.fail(`${config}: invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set`)
    }
    const forId = `${config}: failed to convert agent config for ID: "${id}"`
    let socket: string | undefined
    const keys: Array<string> = []
    for (const path of paths) {
      if (socket !== undefined) return Result.fail(`${forId}: only single socket allowed`)
      const stat = statOf(path)
      if (typeof stat === "string") return Result.fail(`${forId}: ${stat}`)
      if (stat.socket) socket = path
      else if (stat.keyError !== undefined) return Result.fail(`${forId}: ${stat.keyError}`)
      else keys.push(path)
    }
    if (socket !== undefined && keys.length > 0) return Result.fail(`${forId}: invalid combination of keys and sockets`)
    agents.push(socket === undefined ? { id, keys } : { id, socket })
  }
  return Result.succeed(agents)
}
