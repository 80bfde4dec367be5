/**
 * docker's `system df -v`: the images, containers, local volumes and build cache the daemon's `/system/df` lists,
 * as four tables (`Images space usage:` …, `Build cache usage: SIZE`) or, with `--format`, one template over
 * `.Images`, `.Containers`, `.Volumes` and `.BuildCache`. Each item is docker's formatter context for it
 * (`imageContext`, `ContainerContext`, `volumeContext`, `buildCacheContext`) with the same fields and JSON.
 *
 * Containers and volumes are outside the image API this project models; their items are read field by field, and
 * a field that is missing or of another type reads as Go's zero value.
 *
 * @internal
 */
import * as DockerHost from "@dockhand/client/DockerHost"
import type { Build, Image } from "@dockhand/models"
import * as Result from "effect/Result"
import * as V from "./GoValue.ts"
import * as ImageFormat from "./ImageFormat.ts"
import { ellipsis } from "./RuneWidth.ts"
import * as Table from "./Table.ts"
import * as Units from "./Units.ts"

// ---------------------------------------------------------------------------------------------------------------
// Reading items the models leave as unknown JSON
// ---------------------------------------------------------------------------------------------------------------

type Json = Readonly<Record<string, unknown>>

const objectAt = (value: unknown, key: string): Json | undefined => {
  const v = (value as Json | null | undefined)?.[key]
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined
}
const stringAt = (value: unknown, key: string): string => {
  const v = (value as Json | null | undefined)?.[key]
  return typeof v === "string" ? v : ""
}
const numberAt = (value: unknown, key: string): number => {
  const v = (value as Json | null | undefined)?.[key]
  return typeof v === "number" ? v : 0
}
const arrayAt = (value: unknown, key: string): ReadonlyArray<unknown> => {
  const v = (value as Json | null | undefined)?.[key]
  return Array.isArray(v) ? v : []
}
/** A JSON object's string entries as Go's `k=v` pairs (in the daemon's order, which Go's map order is not). */
const pairs = (labels: Json | undefined, sorted: boolean): string => {
  const entries = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${typeof v === "string" ? v : ""}`)
  return (sorted ? entries.sort(V.compareStrings) : entries).join(",")
}

const contextStruct = (typeName: string, methods: Readonly<Record<string, () => unknown>>) =>
  V.makeStruct({
    typeName,
    fields: { Header: null, FullHeader: () => null, ...methods },
    json: Table.methodsJson(methods)
  })

// ---------------------------------------------------------------------------------------------------------------
// Containers (docker's ContainerContext)
// ---------------------------------------------------------------------------------------------------------------

/** docker's `DisplayablePorts`: `0.0.0.0:80->9090/tcp, 9988/tcp`, consecutive ports grouped. */
export const displayablePorts = (ports: ReadonlyArray<unknown>): string => {
  const sorted = [...ports].sort((a, b) =>
    numberAt(a, "PrivatePort") - numberAt(b, "PrivatePort") ||
    V.compareStrings(stringAt(a, "IP"), stringAt(b, "IP")) ||
    numberAt(a, "PublicPort") - numberAt(b, "PublicPort") ||
    V.compareStrings(stringAt(a, "Type"), stringAt(b, "Type"))
  )
  const groups = new Map<string, { first: number; last: number }>()
  const result: Array<string> = []
  const hostMappings: Array<string> = []
  const formGroup = (key: string, first: number, last: number) => {
    const [a, b] = key.split("/") as [string, string | undefined]
    const ip = b === undefined ? "" : a
    const type = b === undefined ? a : b
    let group = first === last ? String(first) : `${first}-${last}`
    if (ip !== "") group = `${DockerHost.joinHostPort(ip, group)}->${group}`
    return `${group}/${type}`
  }
  for (const port of sorted) {
    const current = numberAt(port, "PrivatePort")
    const ip = stringAt(port, "IP")
    let key = stringAt(port, "Type")
    if (ip !== "") {
      if (numberAt(port, "PublicPort") !== current) {
        hostMappings.push(
          `${DockerHost.joinHostPort(ip, numberAt(port, "PublicPort"))}->${current}/${stringAt(port, "Type")}`
        )
        continue
      }
      key = `${ip}/${stringAt(port, "Type")}`
    }
    const group = groups.get(key)
    if (group === undefined) groups.set(key, { first: current, last: current })
    else if (current === group.last + 1) group.last = current
    else {
      result.push(formGroup(key, group.first, group.last))
      groups.set(key, { first: current, last: current })
    }
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last))
  return [...result, ...hostMappings].join(", ")
}

/** docker's `ContainerContext` of a `/system/df` container (its virtual size not shown, as `df -v` does). */
export const containerContext = (c: unknown, trunc: boolean, clock: ImageFormat.Clock): V.Struct => {
  const zone = clock.timeZone ?? Units.utc
  const created = numberAt(c, "Created")
  const mounts = arrayAt(c, "Mounts")
  return contextStruct("*formatter.ContainerContext", {
    Command: () => V.quote(trunc ? ellipsis(stringAt(c, "Command"), 20) : stringAt(c, "Command")),
    CreatedAt: () => Units.goTimeString(created, zone),
    ID: () => trunc ? Units.truncateId(stringAt(c, "Id")) : stringAt(c, "Id"),
    Image: () => {
      const image = stringAt(c, "Image")
      if (image === "") return "<no image>"
      if (!trunc) return image
      const short = Units.truncateId(stringAt(c, "ImageID"))
      if (short === Units.truncateId(image)) return short
      const ref = ImageFormat.parseReferenceByGrammar(image)
      if (ref === undefined) return image
      return ref.tag === undefined ? ref.familiarName : `${ref.familiarName}:${ref.tag}`
    },
    Labels: () => pairs(objectAt(c, "Labels"), true),
    LocalVolumes: () => String(mounts.filter((m) => stringAt(m, "Driver") === "local").length),
    Mounts: () =>
      mounts.map((m) => {
        const name = stringAt(m, "Name") === "" ? stringAt(m, "Source") : stringAt(m, "Name")
        return trunc ? ellipsis(name, 15) : name
      }).join(","),
    Names: () => {
      const names = arrayAt(c, "Names").map((n) => (typeof n === "string" ? n.replace(/^\//, "") : ""))
      return trunc ? names.find((n) => !n.includes("/")) ?? "" : names.join(",")
    },
    Networks: () => Object.keys(objectAt(objectAt(c, "NetworkSettings"), "Networks") ?? {}).join(","),
    Platform: () => null,
    Ports: () => displayablePorts(arrayAt(c, "Ports")),
    RunningFor: () => Units.timeAgo(created, clock.now),
    Size: () => Units.humanSizeWithPrecision(numberAt(c, "SizeRw"), 3),
    State: () => stringAt(c, "State"),
    Status: () => stringAt(c, "Status")
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Volumes (docker's volumeContext)
// ---------------------------------------------------------------------------------------------------------------

/** docker's `volumeContext`: `Links` and `Size` from the volume's `UsageData`, `N/A` without it. */
export const volumeContext = (v: unknown): V.Struct => {
  const usage = objectAt(v, "UsageData")
  const cluster = objectAt(v, "ClusterVolume")
  return contextStruct("*formatter.volumeContext", {
    Availability: () => cluster === undefined ? "N/A" : stringAt(objectAt(cluster, "Spec"), "Availability"),
    Driver: () => stringAt(v, "Driver"),
    Group: () => cluster === undefined ? "N/A" : stringAt(objectAt(cluster, "Spec"), "Group"),
    Labels: () => pairs(objectAt(v, "Labels"), false),
    Links: () => usage === undefined ? "N/A" : String(numberAt(usage, "RefCount")),
    Mountpoint: () => stringAt(v, "Mountpoint"),
    Name: () => stringAt(v, "Name"),
    Scope: () => stringAt(v, "Scope"),
    Size: () => usage === undefined ? "N/A" : Units.humanSize(numberAt(usage, "Size")),
    Status: () => {
      if (cluster === undefined) return "N/A"
      if (stringAt(objectAt(cluster, "Info"), "VolumeID") === "") return "pending creation"
      const published = arrayAt(cluster, "PublishStatus").length
      return published === 0 ? "created" : published === 1 ? "in use (1 node)" : `in use (${published} nodes)`
    }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Build cache (docker's buildCacheContext)
// ---------------------------------------------------------------------------------------------------------------

/** Seconds since the epoch of an RFC 3339 time, and Go's `time.Time.String()` of it. */
const goTime = (rfc3339: string): { readonly seconds: number; readonly text: string } => {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339)
  if (m === null) return { seconds: 0, text: rfc3339 }
  const seconds = Math.floor(Date.parse(`${m[1]}T${m[2]}${m[4]}`) / 1000)
  const fraction = (m[3] ?? "").replace(/0+$/, "")
  const zone = m[4] === "Z" ? "+0000 UTC" : `${m[4]!.replace(":", "")} ${m[4]!.replace(":", "")}`
  return { seconds, text: `${m[1]} ${m[2]}${fraction === "" ? "" : `.${fraction}`} ${zone}` }
}

/** docker's `buildCacheSort`: never-used records first, then by last use, ties by ID. */
export const sortBuildCache = (records: ReadonlyArray<Build.CacheRecord>): Array<Build.CacheRecord> =>
  [...records].sort((a, b) => {
    if (a.LastUsedAt === null || b.LastUsedAt === null) {
      if (a.LastUsedAt === b.LastUsedAt) return V.compareStrings(a.ID, b.ID)
      return a.LastUsedAt === null ? -1 : 1
    }
    const ta = Date.parse(a.LastUsedAt)
    const tb = Date.parse(b.LastUsedAt)
    return ta === tb ? V.compareStrings(a.ID, b.ID) : ta - tb
  })

/** docker's `buildCacheContext`: an ID that is in use ends with `*`. */
export const buildCacheContext = (r: Build.CacheRecord, trunc: boolean, clock: ImageFormat.Clock): V.Struct => {
  const created = goTime(r.CreatedAt)
  const lastUsed = r.LastUsedAt === null ? undefined : goTime(r.LastUsedAt)
  const parents = r[" Parents"] ?? []
  return contextStruct("*formatter.buildCacheContext", {
    CacheType: () => r.Type,
    CreatedAt: () => created.text,
    CreatedSince: () => Units.timeAgo(created.seconds, clock.now),
    Description: () => r.Description,
    ID: () => (trunc ? Units.truncateId(r.ID) : r.ID) + (r.InUse ? "*" : ""),
    InUse: () => String(r.InUse),
    LastUsedAt: () => lastUsed?.text ?? "",
    LastUsedSince: () => lastUsed === undefined ? "" : Units.timeAgo(lastUsed.seconds, clock.now),
    Parent: () => {
      const parent = parents.length > 0 ? parents.join(", ") : r.Parent ?? ""
      return trunc ? Units.truncateId(parent) : parent
    },
    Shared: () => String(r.Shared),
    Size: () => Units.humanSizeWithPrecision(r.Size, 3),
    UsageCount: () => String(r.UsageCount)
  })
}

// ---------------------------------------------------------------------------------------------------------------
// system df -v
// ---------------------------------------------------------------------------------------------------------------

/** docker's `system df -v` tables. */
export const containerTableFormat =
  "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}"
export const volumeTableFormat = "table {{.Name}}\t{{.Links}}\t{{.Size}}"
export const buildCacheTableFormat =
  "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}"

/** The column titles of each section (docker's header contexts). */
const containerHeader = {
  ID: "CONTAINER ID",
  Image: "IMAGE",
  Command: "COMMAND",
  LocalVolumes: "LOCAL VOLUMES",
  Size: "SIZE",
  RunningFor: "CREATED",
  Status: "STATUS",
  Names: "NAMES",
  CreatedAt: "CREATED AT",
  Ports: "PORTS",
  State: "STATE",
  Labels: "LABELS",
  Mounts: "MOUNTS",
  Networks: "NETWORKS",
  Platform: "PLATFORM"
}
const volumeHeader = {
  Name: "VOLUME NAME",
  Links: "LINKS",
  Size: "SIZE",
  Driver: "DRIVER",
  Scope: "SCOPE",
  Mountpoint: "MOUNTPOINT",
  Labels: "LABELS",
  Group: "GROUP",
  Availability: "AVAILABILITY",
  Status: "STATUS"
}
const buildCacheHeader = {
  ID: "CACHE ID",
  CacheType: "CACHE TYPE",
  Size: "SIZE",
  CreatedSince: "CREATED",
  LastUsedSince: "LAST USED",
  UsageCount: "USAGE",
  Shared: "SHARED",
  Parent: "PARENT",
  InUse: "IN USE",
  Description: "DESCRIPTION"
}

/** What `/system/df` answered, as `system df -v` needs it. */
export interface DiskUsage {
  readonly images: ReadonlyArray<Image.Summary>
  readonly containers: ReadonlyArray<unknown>
  readonly volumes: ReadonlyArray<unknown>
  readonly buildCache: ReadonlyArray<Build.CacheRecord>
  /** The build cache's size as `Build cache usage:` prints it. */
  readonly buildCacheSize: number
}

/**
 * The whole output of `docker system df -v`: the four tables, or `format` (`json`, a template) executed once over
 * the four lists (`.Images`, `.Containers`, `.Volumes`, `.BuildCache`).
 */
export const formatDiskUsageVerbose = (
  usage: DiskUsage,
  format: string | undefined,
  clock: ImageFormat.Clock
): Result.Result<string, Table.FormatError> => {
  const source = format === undefined || format === "" ? Table.TableFormatKey : format
  const trunc = Table.isTable(source)
  const images = ImageFormat.diskUsageImageRows(usage.images, trunc, clock)
  const containers = usage.containers.map((c) => containerContext(c, trunc, clock))
  const volumes = usage.volumes.map(volumeContext)
  const buildCache = sortBuildCache(usage.buildCache).map((r) => buildCacheContext(r, trunc, clock))
  if (source !== Table.TableFormatKey) {
    const all = V.makeStruct({
      typeName: "*formatter.diskUsageContext",
      fields: { Images: images, Containers: containers, Volumes: volumes, BuildCache: buildCache }
    })
    // executed once, with no newline after it (docker writes the template's output as it is)
    return Result.map(Table.render({ format: source, header: {}, rows: [all] }), (text) => text.slice(0, -1))
  }
  const sections: Array<[string, string, unknown, ReadonlyArray<V.Struct>]> = [
    ["Images space usage:\n\n", ImageFormat.defaultDiskUsageImageTableFormat, ImageFormat.imageHeader, images],
    ["\nContainers space usage:\n\n", containerTableFormat, containerHeader, containers],
    ["\nLocal Volumes space usage:\n\n", volumeTableFormat, volumeHeader, volumes],
    [
      `\nBuild cache usage: ${Units.humanSize(usage.buildCacheSize)}\n\n`,
      buildCacheTableFormat,
      buildCacheHeader,
      buildCache
    ]
  ]
  let out = ""
  for (const [title, sectionFormat, header, rows] of sections) {
    const table = Table.render({ format: sectionFormat, header, rows })
    if (Result.isFailure(table)) return table
    out += title + table.success
  }
  return Result.succeed(out)
}
