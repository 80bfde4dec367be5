/**
 * `dockhand system df`: the engine's disk usage, summed and laid out as the docker CLI does.
 *
 * @since 0.1.0
 */
import { SystemApi } from "@dockhand/client"
import type { Build, System } from "@dockhand/models"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Args from "../../internal/Args.ts"
import * as Failure from "../../internal/Failure.ts"
import * as DiskUsageFormat from "../../internal/format/DiskUsageFormat.ts"
import * as ImageFormat from "../../internal/format/ImageFormat.ts"
import * as Table from "../../internal/format/Table.ts"
import * as Units from "../../internal/format/Units.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** A row of the `system df` summary other than images (containers, volumes, build cache). */
const summaryRow = (
  type: string,
  total: number,
  active: number,
  size: number,
  reclaimable: number,
  percent = true
) => ({
  Type: type,
  TotalCount: String(total),
  Active: String(active),
  Size: Units.humanSize(size),
  Reclaimable: percent && size > 0
    ? `${Units.humanSize(reclaimable)} (${Math.trunc((reclaimable * 100) / size)}%)`
    : Units.humanSize(reclaimable)
})

const numberOf = (value: unknown, key: string): number => {
  const v = (value as Record<string, unknown> | null)?.[key]
  return typeof v === "number" ? v : 0
}

/** The containers, volumes and build-cache rows, computed from the old `/system/df` answer as docker does. */
const otherRows = (raw: System.DiskUsage) => {
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
    // docker's build-cache row gives the reclaimable size alone, with no percentage (unlike the other rows)
    summaryRow("Build Cache", cache.length, cache.filter((r) => r.InUse).length, cacheSize, builderSize - inUse, false)
  ]
}

/** How `system df` is used, after its path. */
export const usage = "[OPTIONS]"

/** `system df [-v] [--format F]`. */
export const df = Command.make("df", {
  verbose: Flag.Boolean("verbose").pipe(
    Flag.withDefault(false),
    Flag.withAlias("v"),
    Flag.withDescription("Show detailed information on space usage")
  ),
  format: Flag.String("format").pipe(Flag.optional, Flag.withDescription("Format output using a custom template")),
  args: Args.all
}, ({ args, verbose, format }) =>
  Effect.gen(function*() {
    yield* Args.expect({ path: "system df", usage }, args, 0, 0)
    const terminal = yield* Terminal
    const system = yield* SystemApi.SystemApi
    const disk = yield* system.diskUsage()
    if (verbose) {
      const cache: ReadonlyArray<Build.CacheRecord> = disk.raw.BuildCache ?? []
      const text = DiskUsageFormat.formatDiskUsageVerbose(
        {
          images: disk.images.items,
          containers: disk.raw.Containers ?? [],
          volumes: disk.raw.Volumes ?? [],
          buildCache: cache,
          buildCacheSize: disk.raw.BuilderSize ?? cache.reduce((sum, r) => (r.Shared ? sum : sum + r.Size), 0)
        },
        Option.getOrUndefined(format),
        { now: yield* Clock.currentTimeMillis, timeZone: Units.localZone() }
      )
      if (Result.isFailure(text)) return yield* Effect.fail(Failure.message(text.failure.message))
      return yield* terminal.out(text.success)
    }
    const rows = [
      ImageFormat.diskUsageImagesContext(disk.raw.LayersSize ?? disk.images.totalSize, disk.images.items),
      ...otherRows(disk.raw)
    ]
    const chosen = Option.getOrElse(format, () => "") || ImageFormat.defaultDiskUsageTableFormat
    const text = Table.render({ format: chosen, header: ImageFormat.diskUsageHeader, rows })
    if (Result.isFailure(text)) return yield* Effect.fail(Failure.message(text.failure.message))
    yield* terminal.out(text.success)
  })).pipe(Command.withDescription("Show docker disk usage"))
