/**
 * How the CLI fails like the docker CLI: what goes to standard error and with which exit code. Daemon and
 * connection errors exit 1 with docker's text; misuse of a command (wrong argument count) exits 1 with a usage
 * hint; an unknown flag exits 125.
 *
 * @internal
 */
import type { DockerError } from "@dockhand/client"
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

/** The usage hint docker prints after a misuse. */
export const usageHint = (usage: Usage, verb: "See" | "Run" = "Run") =>
  `\nUsage:  dockhand ${usage.path} ${usage.usage}\n\n${verb} 'dockhand ${usage.path} --help' for more information\n`

/** docker's text for a wrong number of arguments, e.g. `'dockhand image rm' requires at least 1 argument`. */
export const argumentCount = (usage: Usage, count: number, min: number, max: number | undefined): CliFailure | undefined => {
  const plural = (n: number) => `${n} argument${n === 1 ? "" : "s"}`
  const need = min === max
    ? count === min ? undefined : `requires ${plural(min)}`
    : count < min
    ? `requires at least ${plural(min)}`
    : max !== undefined && count > max
    ? `requires at most ${plural(max)}`
    : undefined
  if (need === undefined) return undefined
  const verb = min === max || (max !== undefined && count > max) ? "Run" : "See"
  return new CliFailure({ message: `dockhand: 'dockhand ${usage.path}' ${need}\n${usageHint(usage, verb)}`, exitCode: 1 })
}

/** A plain error line, exit 1 (`invalid reference format`, `Error response from daemon: ...`). */
export const message = (text: string, exitCode = 1) => new CliFailure({ message: `${text}\n`, exitCode })

/** A client error worded as the docker CLI words it. */
export const fromDockerError = (error: DockerError.DockerError): CliFailure => message(error.message)
