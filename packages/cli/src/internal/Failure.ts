/**
 * How the CLI fails like the docker CLI: what goes to standard error and with which exit code. Daemon and
 * connection errors exit 1 with docker's text; misuse of a command (wrong argument count) exits 1 with a usage
 * hint; an unknown flag exits 125.
 *
 * @internal
 */
import type { DockerError } from "@dockhand/client"
import * as Errno from "@dockhand/client/Errno"
import * as Data from "effect/Data"

/** A failure that has already been worded for the user: `message` goes to stderr, the process exits with `exitCode`. */
export class CliFailure extends Data.TaggedError("CliFailure")<{
  readonly message: string
  readonly exitCode: number
}> {}

/** What a command is called and how it is used, for usage hints. */
export interface Usage {
  /** `image ls`, as typed after `dockhand`. */
  readonly path: string
  /** `[OPTIONS] [REPOSITORY[:TAG]]`. */
  readonly usage: string
}

/** `dockhand image ls [OPTIONS] [REPOSITORY[:TAG]]`: the command and how it is used, as docker's usage line. */
const useLine = (usage: Usage) =>
  `dockhand${usage.path === "" ? "" : ` ${usage.path}`}${usage.usage === "" ? "" : ` ${usage.usage}`}`

/** The usage hint docker prints after a misuse. */
export const usageHint = (usage: Usage, verb: "See" | "Run" = "Run") =>
  `\nUsage:  ${useLine(usage)}\n\n${verb} 'dockhand${
    usage.path === "" ? "" : ` ${usage.path}`
  } --help' for more information\n`

/** docker's text for a wrong number of arguments, e.g. `'dockhand image rm' requires at least 1 argument`. */
export const argumentCount = (
  usage: Usage,
  count: number,
  min: number,
  max: number | undefined
): CliFailure | undefined => {
  const plural = (n: number) => `${n} argument${n === 1 ? "" : "s"}`
  const need = min === max
    ? count === min ? undefined : min === 0 ? "accepts no arguments" : `requires ${plural(min)}`
    : count < min
    ? `requires at least ${plural(min)}`
    : max !== undefined && count > max
    ? `requires at most ${plural(max)}`
    : undefined
  if (need === undefined) return undefined
  const verb = min === max || (max !== undefined && count > max) ? "Run" : "See"
  return new CliFailure({
    message: `dockhand: 'dockhand ${usage.path}' ${need}\n${usageHint(usage, verb)}`,
    exitCode: 1
  })
}

/** Aliases resolved to the name docker's messages use (`image list` is `image ls`). */
const aliases: Readonly<Record<string, string>> = {
  "image list": "image ls",
  "image remove": "image rm",
  "context list": "context ls"
}

/** A command path with its aliases resolved. */
export const canonicalPath = (path: string): string => aliases[path] ?? path

/**
 * docker's text for a bad flag (`unknown flag: --x`, `flag needs an argument: --format`) of the command `usage`
 * describes, exit 125.
 */
export const flagError = (text: string, usage: Usage): CliFailure =>
  new CliFailure({ message: `${text}\n${usageHint(usage)}`, exitCode: 125 })

/** docker's text for an unknown command under `parent` (path `""` for the top level), exit 1. */
export const unknownCommand = (parent: Usage, command: string): CliFailure => {
  const name = `dockhand${parent.path === "" ? "" : ` ${parent.path}`}`
  return new CliFailure({
    message: `dockhand: unknown command: ${name} ${command}\n\n` +
      (parent.path === "" ? "" : `Usage:  ${useLine(parent)}\n\n`) +
      `Run '${name} --help' for more information\n`,
    exitCode: 1
  })
}

/** A Node file-system error as Go words it: `open /x.tar: no such file or directory`. */
export const goError = (cause: unknown): string => {
  if (cause === null || typeof cause !== "object") return String(cause)
  const error = cause as { code?: unknown; syscall?: unknown; path?: unknown; message?: unknown }
  const text = typeof error.code === "string" ? Errno.goText(error.code) : undefined
  if (text === undefined || typeof error.syscall !== "string") return String(error.message ?? cause)
  const op = error.syscall === "scandir" ? "open" : error.syscall
  return typeof error.path === "string" ? `${op} ${error.path}: ${text}` : `${op}: ${text}`
}

/** A plain error line, exit 1 (`invalid reference format`, `Error response from daemon: ...`). */
export const message = (text: string, exitCode = 1) => new CliFailure({ message: `${text}\n`, exitCode })

/**
 * A client error worded as the docker CLI words it: its message, whatever the reason (a `SystemError` reads exactly
 * as the `InvalidArgument` local failures it replaced did, e.g. `open /x/config.json: permission denied`).
 */
export const fromDockerError = (error: DockerError.DockerError): CliFailure => message(error.message)
