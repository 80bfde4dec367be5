/**
 * The system types the image API relies on (`github.com/moby/moby/api/types/system`): the daemon's version
 * and the two shapes of `GET /system/df`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Build from "./Build.ts"
import * as Image from "./Image.ts"
import { Int64 } from "./internal/fields.ts"

/**
 * One component of the engine (`Engine`, `containerd`, `runc`, ...) and its version.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ComponentVersion = Schema.Struct({
  Name: Schema.String,
  Version: Schema.String,
  Details: Schema.optionalKey(Schema.NullOr(Schema.Record(Schema.String, Schema.String)))
}).annotate({ identifier: "ComponentVersion" })
/**
 * @category models
 * @since 0.1.0
 */
export type ComponentVersion = typeof ComponentVersion.Type

/**
 * `system.VersionResponse`: the answer of `GET /version` (spec `SystemVersion`). `ApiVersion` (sic) is the
 * daemon's maximum API version; `MinAPIVersion` the oldest it accepts. The deprecated `GitCommit`, `GoVersion`,
 * `KernelVersion`, `Experimental` and `BuildTime` are omitempty.
 *
 * @category schemas
 * @since 0.1.0
 */
export const VersionResponse = Schema.Struct({
  Platform: Schema.optionalKey(Schema.Struct({ Name: Schema.String })),
  Components: Schema.optionalKey(Schema.NullOr(Schema.Array(ComponentVersion))),
  Version: Schema.String,
  ApiVersion: Schema.String,
  MinAPIVersion: Schema.optionalKey(Schema.String),
  GitCommit: Schema.optionalKey(Schema.String),
  GoVersion: Schema.optionalKey(Schema.String),
  Os: Schema.String,
  Arch: Schema.String,
  KernelVersion: Schema.optionalKey(Schema.String),
  Experimental: Schema.optionalKey(Schema.Boolean),
  BuildTime: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "SystemVersion" })
/**
 * @category models
 * @since 0.1.0
 */
export type VersionResponse = typeof VersionResponse.Type

/**
 * `GET /system/df` in either shape. Before API 1.52 (Engine 20.10 included) the daemon sends `LayersSize`,
 * `Images`, `Containers`, `Volumes`, `BuildCache` (and, up to 1.41, `BuilderSize`). From 1.52 it sends
 * `ImageUsage`, `ContainerUsage`, `VolumeUsage`, `BuildCacheUsage`, each left out when not computed, and, unless
 * `verbose=1`, the old keys too. Container and volume entries are kept as the daemon sent them.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DiskUsage = Schema.Struct({
  LayersSize: Schema.optionalKey(Int64),
  Images: Schema.optionalKey(Schema.NullOr(Schema.Array(Image.Summary))),
  Containers: Schema.optionalKey(Schema.NullOr(Schema.Array(Schema.Unknown))),
  Volumes: Schema.optionalKey(Schema.NullOr(Schema.Array(Schema.Unknown))),
  BuildCache: Schema.optionalKey(Schema.NullOr(Schema.Array(Build.CacheRecord))),
  BuilderSize: Schema.optionalKey(Int64),
  ImageUsage: Schema.optionalKey(Image.DiskUsage),
  ContainerUsage: Schema.optionalKey(Schema.Unknown),
  VolumeUsage: Schema.optionalKey(Schema.Unknown),
  BuildCacheUsage: Schema.optionalKey(Build.DiskUsage)
}).annotate({ identifier: "DiskUsage" })
/**
 * @category models
 * @since 0.1.0
 */
export type DiskUsage = typeof DiskUsage.Type
