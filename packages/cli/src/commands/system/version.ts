/**
 * `dockhand version`: dockhand's own client facts, then the engine's components as the docker CLI prints them.
 *
 * @since 0.1.0
 */
import { ApiVersion, DockerSettings, SystemApi } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Args from "../../internal/Args.ts"
import * as RuntimeName from "../../internal/RuntimeName.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** A `key: value` line of `version`, values aligned in column 20 as docker aligns them. */
const field = (indent: number, key: string, value: string) =>
  `${" ".repeat(indent)}${`${key}:`.padEnd(20 - indent)}${value}`

const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** docker's `reformatDate`: an RFC 3339 build time shown in Go's ANSIC layout in the local zone; other text as is. */
const ansic = (text: string): string => {
  const date = new Date(text)
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) return text
  const two = (n: number) => String(n).padStart(2, "0")
  return `${days[date.getDay()]} ${months[date.getMonth()]} ${String(date.getDate()).padStart(2, " ")} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())} ${date.getFullYear()}`
}

/** How `version` is used, after its path. */
export const usage = "[OPTIONS]"

/** `version`: dockhand's own client facts, then the engine's components as docker prints them. */
export const version = (clientVersion: string) =>
  Command.make("version", { args: Args.all }, ({ args }) =>
    Effect.gen(function*() {
      yield* Args.expect({ path: "version", usage }, args, 0, 0)
      const terminal = yield* Terminal
      const settings = yield* DockerSettings.DockerSettings
      const system = yield* SystemApi.SystemApi
      const negotiated = yield* Effect.result(system.apiVersion)
      const api = negotiated._tag === "Success"
        ? negotiated.success === ApiVersion.maximum
          ? negotiated.success
          : `${negotiated.success} (downgraded from ${ApiVersion.maximum})`
        : ApiVersion.maximum
      const runtimeVersion = RuntimeName.name === "node"
        ? `node ${process.version}`
        : `${RuntimeName.name} ${process.versions[RuntimeName.name] ?? ""}`
      const lines = [
        "Client:",
        field(1, "Version", clientVersion),
        field(1, "API version", api),
        field(1, "Runtime", runtimeVersion.trim()),
        field(1, "OS/Arch", `${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}`),
        field(1, "Context", settings.context.value),
        ""
      ]
      yield* terminal.out(lines.join("\n") + "\n")
      const server = yield* system.version
      const out = [`Server:${server.Platform?.Name ? ` ${server.Platform.Name}` : ""}`]
      for (const component of server.Components ?? []) {
        out.push(` ${component.Name}:`)
        const details = component.Details ?? {}
        if (component.Name === "Engine") {
          out.push(
            field(2, "Version", component.Version),
            field(
              2,
              "API version",
              `${details["ApiVersion"] ?? ""} (minimum version ${details["MinAPIVersion"] ?? ""})`
            ),
            field(2, "Go version", details["GoVersion"] ?? ""),
            field(2, "Git commit", details["GitCommit"] ?? ""),
            field(2, "Built", ansic(details["BuildTime"] ?? "")),
            field(2, "OS/Arch", `${details["Os"] ?? ""}/${details["Arch"] ?? ""}`),
            field(2, "Experimental", details["Experimental"] ?? "")
          )
        } else {
          out.push(field(2, "Version", component.Version))
          for (const key of Object.keys(details).sort()) out.push(field(2, key, details[key]!))
        }
      }
      yield* terminal.out(out.join("\n") + "\n")
    })).pipe(Command.withDescription("Show the dockhand version information"))
