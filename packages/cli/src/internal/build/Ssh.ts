/**
 * `--ssh` as `docker build` (buildx) reads it: `id[=path[,path…]]`, the id before the first `=` (empty: `default`),
 * the paths split at commas; no path (or one empty path) means `$SSH_AUTH_SOCK`. Each agent is checked before the
 * build as buildx checks it, with buildx's error texts: an id given twice, no socket, a path that cannot be
 * stat'ed, two sockets. A path that is not a socket is a private key file, which buildx loads into an agent of its
 * own: dockhand does not read key files and says so (load the key into an ssh-agent with `ssh-add` and forward it).
 *
 * @internal
 */
import type { BuildSession } from "@dockhand/client"
import * as Result from "effect/Result"

/** What `stat` says of a path: a socket or not, or Go's error text (`stat /x: no such file or directory`). */
export type StatOf = (path: string) => { readonly socket: boolean } | string

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
    for (const path of paths) {
      if (socket !== undefined) return Result.fail(`${forId}: only single socket allowed`)
      const stat = statOf(path)
      if (typeof stat === "string") return Result.fail(`${forId}: ${stat}`)
      if (!stat.socket) {
        return Result.fail(
          `${forId}: ${path} is not a socket: dockhand forwards ssh-agent sockets only, not key files ` +
            "(load the key into an agent with ssh-add and forward the agent's socket)"
        )
      }
      socket = path
    }
    agents.push({ id, socket: socket! })
  }
  return Result.succeed(agents)
}
