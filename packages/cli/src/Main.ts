/**
 * The `dockhand` program: reads the global flags the docker way, runs the command tree built with `effect/cli`
 * against the client layer those flags select, and turns every failure into docker's message and exit code.
 *
 * @since 0.1.0
 */
import { DockerConfig, DockerError, DockerPlatform, DockerSettings, GoPath } from "@dockhand/client"
import type { Credentials, Images, SystemApi } from "@dockhand/client"
import * as NodeFileSystem from "@effect/platform-node-shared/NodeFileSystem"
import * as NodePath from "@effect/platform-node-shared/NodePath"
import * as NodeStdio from "@effect/platform-node-shared/NodeStdio"
import * as NodeTerminal from "@effect/platform-node-shared/NodeTerminal"
import * as Cause from "effect/Cause"
import * as CliConfig from "effect/cli/CliConfig"
import * as CliError from "effect/cli/CliError"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as GlobalFlag from "effect/cli/GlobalFlag"
import type * as HelpDoc from "effect/cli/HelpDoc"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import type * as LogLevel from "effect/LogLevel"
import * as ChildProcessSpawner from "effect/process/ChildProcessSpawner"
import * as References from "effect/References"
import * as Result from "effect/Result"
import * as os from "node:os"
import * as Commands from "./commands/index.ts"
import * as GlobalFlags from "./GlobalFlags.ts"
import * as Failure from "./internal/Failure.ts"
import * as GlobalHelp from "./internal/GlobalHelp.ts"
import * as Runtime from "./internal/Runtime.ts"
import * as Terminal from "./internal/Terminal.ts"
import { version } from "./version.ts"

/**
 * What effect/cli needs from the platform. effect/cli itself spawns nothing and no command uses its process
 * spawner: dockhand runs programs (git, ssh, credential helpers) only through `@dockhand/client/Exec`, which finds
 * them as Go's `exec.LookPath` does. The spawner required by effect/cli's types therefore refuses, and
 * `node:child_process` is not loaded at start.
 */
const platform = Layer.mergeAll(
  NodeFileSystem.layer,
  NodePath.layer,
  NodeTerminal.layer,
  NodeStdio.layer,
  Layer.succeed(
    ChildProcessSpawner.ChildProcessSpawner,
    ChildProcessSpawner.make(() => Effect.die("dockhand runs programs only through @dockhand/client/Exec"))
  )
)

/** docker's `--log-level` values as Effect's log levels. */
const logLevels: Readonly<Record<string, LogLevel.LogLevel>> = {
  debug: "Debug",
  info: "Info",
  warn: "Warn",
  error: "Error",
  fatal: "Fatal"
}

/** The one-letter aliases of docker's boolean and number flags, for `invalid argument "x" for "-a, --all" flag`. */
const shorthands: Readonly<Record<string, string>> = { all: "a", "all-tags": "a", force: "f", human: "H", quiet: "q" }

/**
 * docker's wording for a parse error of effect/cli: a flag error (exit 125) names the command's use line; an unknown
 * subcommand (exit 1) that of its parent. `args` are the command-line words, to tell `-f` from `--format`.
 */
const parseFailure = (
  error: CliError.CliError,
  commandPath: ReadonlyArray<string>,
  args: ReadonlyArray<string>
): Failure.CliFailure => {
  const usage = Commands.usageOf(Failure.canonicalPath(commandPath.slice(1).join(" ")))
  switch (error._tag) {
    case "UnrecognizedOption":
      return Failure.flagError(
        error.option.startsWith("--")
          ? `unknown flag: ${error.option}`
          : `unknown shorthand flag: '${error.option.slice(1, 2)}' in ${error.option}`,
        usage
      )
    case "UnknownSubcommand":
      return Failure.unknownCommand(
        Commands.usageOf(Failure.canonicalPath((error.parent ?? []).slice(1).join(" "))),
        error.subcommand
      )
    case "InvalidValue": {
      const last = args[args.length - 1] ?? ""
      if (error.value === "" && last.startsWith("-") && !last.includes("=")) {
        return Failure.flagError(
          `flag needs an argument: ${last.startsWith("--") ? last : `'${last.slice(-1)}' in ${last}`}`,
          usage
        )
      }
      const short = shorthands[error.option]
      const name = `${short === undefined ? "" : `-${short}, `}--${error.option}`
      const why = error.expected.startsWith("Expected \"true\"")
        ? `strconv.ParseBool: parsing "${error.value}": invalid syntax`
        : /number|integer/.test(error.expected)
        ? `strconv.ParseInt: parsing "${error.value}": invalid syntax`
        : error.expected
      return Failure.flagError(`invalid argument "${error.value}" for "${name}" flag: ${why}`, usage)
    }
    case "MissingOption":
    case "DuplicateOption":
    case "MissingArgument":
    case "UnexpectedArgument":
    case "ValidationError":
    case "UserError":
      return Failure.flagError(error.message, usage)
    case "ShowHelp":
      return error.errors.length > 0
        ? parseFailure(error.errors[0]!, error.commandPath, args)
        : new Failure.CliFailure({ message: "", exitCode: 0 })
  }
}

/** docker's wording when the connection settings cannot be resolved: `Failed to initialize: …`. */
const initializationFailure = (error: DockerError.DockerError): Layer.Layer<ClientServices, Failure.CliFailure> =>
  Layer.unwrap(
    Effect.fail(Failure.message(`Failed to initialize: ${error.message}`)) as Effect.Effect<
      Layer.Layer<ClientServices>,
      Failure.CliFailure
    >
  )

/**
 * docker's warning when `config.json` cannot be read (`WARNING: Error loading config file: open …: permission
 * denied`), on standard error before the command runs; the command then goes on without the file, as docker's.
 * Only the file's reading is tried here (no parsing: nothing is added to a command's start).
 */
const configWarning = Effect.gen(function*() {
  const settings = yield* DockerSettings.DockerSettings
  const platform = yield* DockerPlatform.DockerPlatform
  const path = GoPath.join(settings.configDir.value, DockerConfig.fileName)
  const failure = yield* Effect.flip(platform.readFile(path)).pipe(Effect.option)
  if (failure._tag === "Some") {
    yield* (yield* Terminal.Terminal).err(`WARNING: ${DockerConfig.unreadable(path, failure.value)}\n`)
  }
})

/** The commands the global help lists: the root's subcommands, named and described as they declare it. */
const listedCommands = (): ReadonlyArray<GlobalHelp.Listed> =>
  Commands.root.subcommands.flatMap((group) => group.commands).filter((command) => !command.unlisted).map((
    command
  ) => ({ name: command.name, description: command.shortDescription ?? command.description ?? "" }))

/** `dockhand --help`, with docker's defaults for the configuration and certificate directories. */
const globalHelp = (terminal: Terminal.Service): string => {
  const configDir = terminal.env("DOCKER_CONFIG") || `${terminal.env("HOME") || os.homedir()}/.docker`
  return GlobalHelp.text(Commands.root.description ?? "", listedCommands(), {
    configDir,
    certDir: terminal.env("DOCKER_CERT_PATH") || configDir,
    columns: terminal.columns
  })
}

/**
 * The services the commands use: what `@dockhand/client`'s runtime entries give, resolved from the global flags.
 *
 * @category models
 * @since 0.1.0
 */
export type ClientServices =
  | Images.Images
  | SystemApi.SystemApi
  | Credentials.Credentials
  | DockerSettings.DockerSettings
  | DockerPlatform.DockerPlatform

/**
 * Runs `dockhand` with `argv` (the arguments after the program name) against the client layer `clientLayer` builds
 * from the global flags, and gives the exit code. Output goes through the `Terminal` service. Tests pass a fake
 * client here.
 *
 * @category running
 * @since 0.1.0
 */
export const runWith = (
  argv: ReadonlyArray<string>,
  clientLayer: (flags: DockerSettings.Flags) => Layer.Layer<ClientServices, DockerError.DockerError>
): Effect.Effect<number, never, Terminal.Terminal> =>
  Effect.gen(function*() {
    const terminal = yield* Terminal.Terminal
    const parsed = GlobalFlags.parse(argv)
    if (Result.isFailure(parsed)) {
      yield* terminal.err(Failure.flagError(parsed.failure, Commands.usageOf("")).message)
      return 125
    }
    const flags = parsed.success
    if (flags.version && flags.rest.length === 0) {
      yield* terminal.out(`dockhand version ${version}\n`)
      return 0
    }
    if (flags.rest.length === 0) {
      // docker's global help: on stdout when asked for, on stderr for a bare `dockhand`, exit 0 either way
      const help = globalHelp(terminal)
      yield* flags.help ? terminal.out(help) : terminal.err(help)
      return 0
    }
    if (flags.rest[0] === "completion") {
      // loaded only here: no other command needs it
      const Completion = yield* Effect.promise(() => import("./internal/Completion.ts"))
      const shell = flags.rest.length === 2 && !flags.help ? flags.rest[1]! : ""
      if (!Completion.shells.includes(shell as (typeof Completion.shells)[number])) {
        yield* terminal.out(Completion.help)
        return 0
      }
      const tree = yield* Completion.tree(Commands.root).pipe(Effect.provide(platform))
      yield* terminal.out(Completion.script(shell, tree)!)
      return 0
    }
    const args = flags.help ? [...flags.rest, "--help"] : flags.rest
    // Help goes to stdout when asked for, and to stderr when a command group runs bare (`dockhand image`), as
    // docker does; a parse error prints no help, only docker's error text (below).
    const formatter = CliOutput.defaultFormatter({ colors: false })
    // the help of a command group run bare, laid out only when it is printed (a parse error presents it too, unused)
    let implicitHelp: HelpDoc.HelpDoc | undefined
    const presenter: CliOutput.Presenter = {
      present: (event) => {
        switch (event._tag) {
          case "Help":
            if (event.reason === "Requested") return terminal.out(`${formatter.formatHelpDoc(event.helpDoc)}\n`)
            implicitHelp = event.helpDoc
            return Effect.void
          case "Version":
            return terminal.out(`${formatter.formatVersion(event.name, event.version)}\n`)
          case "InvalidInvocation":
            return Effect.void
        }
      }
    }
    // The client's own log lines (a warning that credentials went into config.json, …) are not docker's output:
    // they show only with `-D` or `--log-level`.
    const logLevel = flags.debug ? "Debug" : logLevels[flags.logLevel?.toLowerCase() ?? ""] ?? "None"
    // The client layer (transport, config file, credentials) is built, and the config file's warning shown, once the
    // command line is parsed and a command runs: a command's help or a parse error needs neither, as with docker.
    // Settings that cannot be resolved (an unknown context, a bad host) then fail before the command runs, as docker's
    // "Failed to initialize".
    const root = Commands.root.pipe(
      Command.provideEffectDiscard(configWarning),
      Command.provide(clientLayer(flags.settings).pipe(Layer.catchTag("DockerError", initializationFailure)))
    )
    const program = Command.runWith(root, { version, renderErrors: false })(args).pipe(
      Effect.provideService(CliOutput.Presenter, presenter),
      // effect/cli's own global flags: only --help and --version, as docker's commands have; not --wizard,
      // --completions (`dockhand completion` is docker's way) or a second --log-level
      Effect.provideService(CliConfig.CliConfig, { builtIns: [GlobalFlag.Help, GlobalFlag.Version] }),
      Effect.provideService(References.MinimumLogLevel, logLevel),
      // log lines are diagnostics, as docker's: standard error, never mixed into the output
      Effect.provideService(Logger.LogToStderr, true),
      // No trace context on the wire: Effect's client adds `b3` and `traceparent` headers (a sampled trace) to every
      // request, which the docker CLI sends only when it exports traces itself; this CLI exports none, so a daemon
      // or registry that traces would record spans under a parent nobody can see.
      Effect.provideService(HttpClient.TracerPropagationEnabled, false),
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
      ? parseFailure(error, ["dockhand"], args)
      : DockerError.isDockerError(error)
      ? Failure.fromDockerError(error)
      : Failure.message(String((error as { message?: unknown }).message ?? error))
    if (worded.exitCode === 0 && implicitHelp !== undefined) {
      yield* terminal.err(`${formatter.formatHelpDoc(implicitHelp)}\n`)
    }
    if (worded.message !== "") yield* terminal.err(worded.message)
    return worded.exitCode
  })

/**
 * Runs `dockhand` with `argv` (the arguments after the program name) against the engine the global flags and the
 * environment select, and gives the exit code. Output goes through the `Terminal` service.
 *
 * @category running
 * @since 0.1.0
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, Terminal.Terminal> =>
  runWith(argv, Runtime.clientLayer)
