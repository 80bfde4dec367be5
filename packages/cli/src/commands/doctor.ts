/**
 * `dockhand doctor`: which engine dockhand would talk to and why (which flag, variable, context or config file
 * decided it), whether it answers, and the API version negotiated with it.
 *
 * @since 0.1.0
 */
import { ApiVersion, DockerSettings, SystemApi } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Args from "../internal/Args.ts"
import { Terminal } from "../internal/Terminal.ts"

const why = (sourced: DockerSettings.Sourced<unknown>): string => {
  switch (sourced.source) {
    case "flag":
      return `the ${sourced.detail} flag`
    case "env":
      return `the ${sourced.detail} environment variable`
    case "context":
      return `the "${sourced.detail}" context`
    case "config-file":
      return `currentContext in ${sourced.detail}`
    case "default":
      return "the default"
  }
}

/** How `doctor` is used, after its path: with no arguments. */
export const usage = ""

/** `doctor`: explains the connection and checks it; exits 1 when the engine does not answer. */
export const doctor = Command.make("doctor", { args: Args.all }, ({ args }) =>
  Effect.gen(function*() {
    yield* Args.expect({ path: "doctor", usage }, args, 0, 0)
    const terminal = yield* Terminal
    const settings = yield* DockerSettings.DockerSettings
    const system = yield* SystemApi.SystemApi
    const lines = [
      `Engine:      ${settings.host.value}`,
      `  chosen by  ${why(settings.host)}`,
      `Context:     ${settings.context.value} (chosen by ${why(settings.context)})`,
      `Config dir:  ${settings.configDir.value} (chosen by ${why(settings.configDir)})`,
      settings.tls === undefined
        ? "TLS:         off"
        : `TLS:         ${
          settings.tls.value.verify ? "on, server certificate verified" : "on, server certificate NOT verified"
        }` +
          ` (chosen by ${why(settings.tls)})` +
          (settings.tls.value.ca ? `\n  CA          ${settings.tls.value.ca}` : "") +
          (settings.tls.value.cert ? `\n  certificate ${settings.tls.value.cert}` : ""),
      settings.apiVersion === undefined
        ? `API version: negotiated (this client speaks ${ApiVersion.minimum} to ${ApiVersion.maximum})`
        : `API version: fixed at ${settings.apiVersion.value} by ${why(settings.apiVersion)}`
    ]
    yield* terminal.out(`${lines.join("\n")}\n`)
    const ping = yield* Effect.result(system.ping)
    if (ping._tag === "Failure") {
      yield* terminal.out(`Daemon:      does not answer\n`)
      return yield* Effect.fail(ping.failure)
    }
    const version = yield* Effect.result(system.version)
    const negotiated = yield* system.apiVersion
    const server = version._tag === "Success"
      ? `${
        version.success.Platform?.Name || "engine"
      } ${version.success.Version} (${version.success.Os}/${version.success.Arch})`
      : "answers /_ping"
    yield* terminal.out(
      `Daemon:      answers: ${server}\n` +
        `API version: ${negotiated} in use (daemon maximum ${ping.success.apiVersion ?? "not given"})\n`
    )
  })).pipe(Command.withDescription("Explain which engine dockhand talks to, and check that it answers"))
