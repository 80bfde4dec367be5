/**
 * `dockhand image prune`, `dockhand system df` and `dockhand version`: the engine-wide commands, worded and laid
 * out as the docker CLI does.
 *
 * @since 0.1.0
 */
import { ApiVersion, DockerSettings, Images, System } from "@dockhand/client"
import type { Build, System as SystemModels } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { Command, Flag } from "effect/cli"
import * as Args from "../internal/Args.ts"
import * as Failure from "../internal/Failure.ts"
import * as FilterFlags from "../internal/FilterFlags.ts"
import * as DiskUsageFormat from "../internal/format/DiskUsageFormat.ts"
import * as ImageFormat from "../internal/format/ImageFormat.ts"
import * as Table from "../internal/format/Table.ts"
import * as Units from "../internal/format/Units.ts"
import * as RuntimeName from "../internal/RuntimeName.ts"
import { Terminal } from "../internal/Terminal.ts"

/** Reads one answer line from standard input; an empty or closed input means "no", as docker treats it. */
const confirm = Effect.gen(function*() {
  const terminal = yield* Terminal
  const first = yield* Stream.runHead(terminal.stdin).pipe(Effect.orElseSucceed(() => Option.none<Uint8Array>()))
  const answer = Option.isSome(first) ? new TextDecoder().decode(first.value).split(/\r?\n/)[0]!.trim().toLowerCase() : ""
  return answer === "y" || answer === "yes"
})

/** `image prune [-a] [-f] [--filter F]...`: asks before deleting unless `-f`. */
export const prune = Command.make("prune", {
  all: Flag.Boolean("all").pipe(Flag.withDefault(false), Flag.withAlias("a"), Flag.withDescription("Remove all unused images, not just dangling ones")),
  force: Flag.Boolean("force").pipe(Flag.withDefault(false), Flag.withAlias("f"), Flag.withDescription("Do not prompt for confirmation")),
  filter: Flag.String("filter").pipe(Flag.atLeast(0), Flag.withDescription("Provide filter values (e.g. \"until=<timestamp>\")")),
  args: Args.all
}, ({ args, all, force, filter }) =>
  Effect.gen(function*() {
    yield* Args.expect({ path: "image prune", usage: "[OPTIONS]" }, args, 0, 0)
    const terminal = yield* Terminal
    // docker checks the filters while parsing the flags, before asking.
    const filters = yield* FilterFlags.parse(filter, "--filter", "image prune")
    ;(filters["dangling"] ??= []).unshift(all ? "false" : "true")
    if (!force) {
      yield* terminal.out(
        all
          ? "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] "
          : "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
      )
      if (!(yield* confirm)) return
    }
    const images = yield* Images.Images
    const report = yield* images.prune({ filters })
    let out = ""
    if ((report.ImagesDeleted ?? []).length > 0) {
      out += "Deleted Images:\n"
      for (const item of report.ImagesDeleted ?? []) {
        if (item.Untagged !== undefined) out += `untagged: ${item.Untagged}\n`
        if (item.Deleted !== undefined) out += `deleted: ${item.Deleted}\n`
      }
      out += "\n"
    }
    yield* terminal.out(`${out}Total reclaimed space: ${Units.humanSize(report.SpaceReclaimed)}\n`)
  })).pipe(Command.withDescription("Remove unused images"))

/** A row of the `system df` summary other than images (containers, volumes, build cache). */
const summaryRow = (type: string, total: number, active: number, size: number, reclaimable: number) => ({
  Type: type,
  TotalCount: String(total),
  Active: String(active),
  Size: Units.humanSize(size),
  Reclaimable: size > 0 ? `${Units.humanSize(reclaimable)} (${Math.trunc((reclaimable * 100) / size)}%)` : Units.humanSize(reclaimable)
})

const numberOf = (value: unknown, key: string): number => {
  const v = (value as Record<string, unknown> | null)?.[key]
  return typeof v === "number" ? v : 0
}

/** The containers, volumes and build-cache rows, computed from the old `/system/df` answer as docker does. */
const otherRows = (raw: SystemModels.DiskUsage) => {
  const containers = raw.Containers ?? []
  let containerSize = 0
  let containerReclaimable = 0
  let running = 0
  for (const c of containers) {
    const size = numberOf(c, "SizeRw")
    containerSize += size
    if ((c as { State?: unknown }).State === "running") running++
    else containerReclaimable += size
  }
  const volumes = raw.Volumes ?? []
  let volumeSize = 0
  let volumeReclaimable = 0
  let volumesUsed = 0
  for (const v of volumes) {
    const usage = (v as { UsageData?: unknown }).UsageData
    const size = numberOf(usage, "Size")
    if (size > 0) volumeSize += size
    if (numberOf(usage, "RefCount") > 0) volumesUsed++
    else if (size > 0) volumeReclaimable += size
  }
  const cache: ReadonlyArray<Build.CacheRecord> = raw.BuildCache ?? []
  let cacheSize = 0
  let inUse = 0
  for (const record of cache) {
    if (!record.Shared) cacheSize += record.Size
    if (record.InUse && !record.Shared) inUse += record.Size
  }
  const builderSize = raw.BuilderSize ?? cacheSize
  return [
    summaryRow("Containers", containers.length, running, containerSize, containerReclaimable),
    summaryRow("Local Volumes", volumes.length, volumesUsed, volumeSize, volumeReclaimable),
    summaryRow("Build Cache", cache.length, cache.filter((r) => r.InUse).length, cacheSize, builderSize - inUse)
  ]
}

/** `system df [-v] [--format F]`. */
export const df = Command.make("df", {
  verbose: Flag.Boolean("verbose").pipe(Flag.withDefault(false), Flag.withAlias("v"), Flag.withDescription("Show detailed information on space usage")),
  format: Flag.String("format").pipe(Flag.optional, Flag.withDescription("Format output using a custom template")),
  args: Args.all
}, ({ args, verbose, format }) =>
  Effect.gen(function*() {
    yield* Args.expect({ path: "system df", usage: "[OPTIONS]" }, args, 0, 0)
    const terminal = yield* Terminal
    const system = yield* System.System
    const usage = yield* system.diskUsage()
    if (verbose) {
      const cache: ReadonlyArray<Build.CacheRecord> = usage.raw.BuildCache ?? []
      const text = DiskUsageFormat.formatDiskUsageVerbose({
        images: usage.images.items,
        containers: usage.raw.Containers ?? [],
        volumes: usage.raw.Volumes ?? [],
        buildCache: cache,
        buildCacheSize: usage.raw.BuilderSize ?? cache.reduce((sum, r) => (r.Shared ? sum : sum + r.Size), 0)
      }, Option.getOrUndefined(format), { now: Date.now(), timeZone: Units.localZone() })
      if (Result.isFailure(text)) return yield* Effect.fail(Failure.message(text.failure.message))
      return yield* terminal.out(text.success)
    }
    const rows = [
      ImageFormat.diskUsageImagesContext(usage.raw.LayersSize ?? usage.images.totalSize, usage.images.items),
      ...otherRows(usage.raw)
    ]
    const chosen = Option.getOrElse(format, () => "") || ImageFormat.defaultDiskUsageTableFormat
    const text = Table.render({ format: chosen, header: ImageFormat.diskUsageHeader, rows })
    if (Result.isFailure(text)) return yield* Effect.fail(Failure.message(text.failure.message))
    yield* terminal.out(text.success)
  })).pipe(Command.withDescription("Show docker disk usage"))

/** `system …`. */
export const system = Command.make("system").pipe(
  Command.withDescription("Manage Docker"),
  Command.withSubcommands([df])
)

/** A `key: value` line of `version`, values aligned in column 20 as docker aligns them. */
const field = (indent: number, key: string, value: string) => `${" ".repeat(indent)}${`${key}:`.padEnd(20 - indent)}${value}`

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

/** `version`: dockhand's own client facts, then the engine's components as docker prints them. */
export const version = (clientVersion: string) =>
  Command.make("version", { args: Args.all }, ({ args }) =>
    Effect.gen(function*() {
      yield* Args.expect({ path: "version", usage: "[OPTIONS]" }, args, 0, 0)
      const terminal = yield* Terminal
      const settings = yield* DockerSettings.DockerSettings
      const system = yield* System.System
      const negotiated = yield* Effect.result(system.apiVersion)
      const api = negotiated._tag === "Success"
        ? negotiated.success === ApiVersion.maximum ? negotiated.success : `${negotiated.success} (downgraded from ${ApiVersion.maximum})`
        : ApiVersion.maximum
      const runtimeVersion = RuntimeName.name === "node" ? `node ${process.version}` : `${RuntimeName.name} ${process.versions[RuntimeName.name] ?? ""}`
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
            field(2, "API version", `${details["ApiVersion"] ?? ""} (minimum version ${details["MinAPIVersion"] ?? ""})`),
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
