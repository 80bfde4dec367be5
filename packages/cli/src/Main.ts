/**
 * The `dockhand` program: reads the global flags the docker way, runs the command tree built with `effect/cli`
 * against the client layer those flags select, and turns every failure into docker's message and exit code.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import { CliError, Command } from "effect/cli"
import * as NodeChildProcessSpawner from "@effect/platform-node-shared/NodeChildProcessSpawner"
import * as NodeFileSystem from "@effect/platform-node-shared/NodeFileSystem"
import * as NodePath from "@effect/platform-node-shared/NodePath"
import * as NodeStdio from "@effect/platform-node-shared/NodeStdio"
import * as NodeTerminal from "@effect/platform-node-shared/NodeTerminal"
import * as Commands from "./commands/index.ts"
import * as GlobalFlags from "./GlobalFlags.ts"
import * as Failure from "./internal/Failure.ts"
import * as Runtime from "./internal/Runtime.ts"
import * as Terminal from "./internal/Terminal.ts"
import { version } from "./version.ts"


/** What effect/cli needs from the platform. */
const platform = Layer.mergeAll(
  NodeFileSystem.layer,
  NodePath.layer,
  NodeTerminal.layer,
  NodeStdio.layer,
  NodeChildProcessSpawner.layer.pipe(Layer.provide([NodeFileSystem.layer, NodePath.layer]))
)

/** docker's wording for a parse error of effect/cli, with the usage hint of the command it concerns. */
const parseFailure = (error: CliError.CliError, path: ReadonlyArray<string>): Failure.CliFailure => {
  const command = path.slice(1).join(" ")
  const hint = `\nRun 'dockhand${command ? ` ${command}` : ""} --help' for more information\n`
  switch (error._tag) {
    case "UnrecognizedOption":
      return new Failure.CliFailure({
        message: error.option.startsWith("--")
          ? `unknown flag: ${error.option}\n${hint}`
          : `unknown shorthand flag: '${error.option.slice(1, 2)}' in ${error.option}\n${hint}`,
        exitCode: 125
      })
    case "UnknownSubcommand":
      return new Failure.CliFailure({
        message: `dockhand: unknown command: dockhand ${[...(error.parent ?? []).slice(1), error.subcommand].join(" ")}\n${hint}`,
        exitCode: 1
      })
    case "InvalidValue":
      return new Failure.CliFailure({
        message: `invalid argument "${error.value}" for "${error.option}" flag: ${error.expected}\n${hint}`,
        exitCode: 125
      })
    case "MissingOption":
    case "DuplicateOption":
    case "MissingArgument":
    case "UnexpectedArgument":
    case "ValidationError":
    case "UserError":
      return new Failure.CliFailure({ message: `${error.message}\n${hint}`, exitCode: 125 })
    case "ShowHelp":
      return error.errors.length > 0 ? parseFailure(error.errors[0]!, error.commandPath) : new Failure.CliFailure({ message: "", exitCode: 0 })
  }
}

/**
 * Runs `dockhand` with `argv` (the arguments after the program name) and gives the exit code. Output goes through
 * the `Terminal` service.
 *
 * @category running
 * @since 0.1.0
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, Terminal.Terminal> =>
  Effect.gen(function*() {
    const terminal = yield* Terminal.Terminal
    const parsed = GlobalFlags.parse(argv)
    if (Result.isFailure(parsed)) {
      yield* terminal.err(`${parsed.failure}\n\nRun 'dockhand --help' for more information\n`)
      return 125
    }
    const flags = parsed.success
    if (flags.version && flags.rest.length === 0) {
      yield* terminal.out(`dockhand version ${version}\n`)
      return 0
    }
    const args = flags.help ? [...flags.rest, "--help"] : flags.rest
    const program = Command.runWith(Commands.root, { version, renderErrors: false })(args).pipe(
      Effect.provide(Runtime.clientLayer(flags.settings)),
      Effect.provide(platform)
    )
    const exit = yield* Effect.exit(program)
    if (Exit.isSuccess(exit)) return 0
    const failure = Cause.findErrorOption(exit.cause)
    if (failure._tag === "None") {
      yield* terminal.err(`${Cause.pretty(exit.cause)}\n`)
      return 1
    }
    const error = failure.value
    const worded = error instanceof Failure.CliFailure
      ? error
      : CliError.isCliError(error)
      ? parseFailure(error, ["dockhand", ...flags.rest.filter((a) => !a.startsWith("-"))])
      : error._tag === "DockerError"
      ? Failure.fromDockerError(error)
      : Failure.message(String((error as { message?: unknown }).message ?? error))
    if (worded.message !== "") yield* terminal.err(worded.message)
    return worded.exitCode
  })
