/**
 * `dockhand context ls` and `dockhand context show`: the contexts of the docker config directory, read the way the
 * docker CLI reads them, with the current one marked.
 *
 * @since 0.1.0
 */
import { DockerPlatform, DockerSettings, GoPath } from "@dockhand/client"
import * as WireJson from "@dockhand/codecs/WireJson"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Args from "../internal/Args.ts"
import * as Directories from "../internal/Directories.ts"
import * as Failure from "../internal/Failure.ts"
import * as Table from "../internal/format/Table.ts"
import { Terminal } from "../internal/Terminal.ts"

/** A stored context's `meta.json`, as far as listing needs it. */
const ContextMeta = Schema.Struct({
  Name: Schema.String,
  Metadata: Schema.optionalKey(Schema.NullOr(Schema.Struct({ Description: Schema.optionalKey(Schema.String) }))),
  Endpoints: Schema.optionalKey(
    Schema.NullOr(Schema.Record(Schema.String, Schema.Struct({ Host: Schema.optionalKey(Schema.String) })))
  )
})
const readMeta = WireJson.decodeResult(ContextMeta)

/** One row of `context ls`, its keys in the order `--format json` prints them. */
interface Row {
  readonly Current: boolean
  readonly Description: string
  readonly DockerEndpoint: string
  readonly Error: string
  readonly Name: string
}

/** Every context: `default` (from the flags and environment) and the stored ones, sorted by name. */
const rows = Effect.gen(function*() {
  const settings = yield* DockerSettings.DockerSettings
  const platform = yield* DockerPlatform.DockerPlatform
  const current = settings.context.value
  const defaultHost = settings.context.value === DockerSettings.defaultContextName
    ? settings.host.value
    : platform.env("DOCKER_HOST") || "unix:///var/run/docker.sock"
  const out: Array<Row> = [{
    Current: current === DockerSettings.defaultContextName,
    Description: "Current DOCKER_HOST based configuration",
    DockerEndpoint: defaultHost,
    Error: "",
    Name: DockerSettings.defaultContextName
  }]
  const metaDir = GoPath.join(settings.configDir.value, "contexts", "meta")
  // Each stored context is a directory `meta/<sha256 of its name>/` (the platform lists files only).
  const ids = yield* Directories.subdirectories(metaDir)
  for (const id of ids) {
    const text = yield* platform.readFile(GoPath.join(metaDir, id, "meta.json")).pipe(
      Effect.orElseSucceed(() => Option.none<string>())
    )
    if (Option.isNone(text)) continue
    const meta = readMeta(text.value)
    if (Result.isFailure(meta)) continue
    out.push({
      Current: meta.success.Name === current,
      Description: meta.success.Metadata?.Description ?? "",
      DockerEndpoint: meta.success.Endpoints?.["docker"]?.Host ?? "",
      Error: "",
      Name: meta.success.Name
    })
  }
  return out.sort((a, b) => a.Name.localeCompare(b.Name, "en", { numeric: true }))
})

/** How `context ls` is used, after its path. */
export const lsUsage = "[OPTIONS]"

const lsFormat = "table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}"
const lsHeader = {
  Name: "NAME",
  Description: "DESCRIPTION",
  DockerEndpoint: "DOCKER ENDPOINT",
  Error: "ERROR",
  Current: false
}

/** `context ls [-q] [--format F]`. */
const ls = Command.make("ls", {
  quiet: Flag.Boolean("quiet").pipe(
    Flag.withDefault(false),
    Flag.withAlias("q"),
    Flag.withDescription("Only show context names")
  ),
  format: Flag.String("format").pipe(Flag.optional, Flag.withDescription("Format output using a custom template")),
  args: Args.all
}, ({ args, quiet, format }) =>
  Effect.gen(function*() {
    yield* Args.expect({ path: "context ls", usage: lsUsage }, args, 0, 0)
    const terminal = yield* Terminal
    const all = yield* rows
    const chosen = quiet ? "{{.Name}}" : Option.getOrElse(format, () => lsFormat) || lsFormat
    const text = Table.render({ format: chosen, header: lsHeader, rows: all })
    if (Result.isFailure(text)) return yield* Effect.fail(Failure.message(text.failure.message))
    yield* terminal.out(text.success)
    const platform = yield* DockerPlatform.DockerPlatform
    if ((platform.env("DOCKER_HOST") ?? "") !== "") {
      yield* terminal.err(
        "Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set the " +
          "global --context flag, or unset DOCKER_HOST environment variable.\n"
      )
    }
  })).pipe(Command.withAlias("list"), Command.withDescription("List contexts"))

/** How `context show` is used, after its path: with no arguments. */
export const showUsage = ""

/** `context show`: the name of the current context. */
const show = Command.make("show", { args: Args.all }, ({ args }) =>
  Effect.gen(function*() {
    yield* Args.expect({ path: "context show", usage: showUsage }, args, 0, 0)
    const terminal = yield* Terminal
    const settings = yield* DockerSettings.DockerSettings
    yield* terminal.out(`${settings.context.value}\n`)
  })).pipe(Command.withDescription("Print the name of the current context"))

/** `dockhand context …`. */
export const context = Command.make("context").pipe(
  Command.withDescription("Manage contexts"),
  Command.withSubcommands([ls, show])
)
