/**
 * The build-cache types of the image API (`github.com/moby/moby/api/types/build`): cache records, the prune
 * report and the build-cache part of disk usage.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Int64, NullableStrings, Timestamp, Uint64 } from "./internal/fields.ts"

/**
 * `build.CacheRecord`: one build-cache entry (spec `BuildCache`). From API 1.42 the parents are sent under the
 * key `" Parents"` (with a leading space, from the Go tag); API 1.41 sends a single `Parent`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CacheRecord = Schema.Struct({
  ID: Schema.String,
  " Parents": Schema.optionalKey(NullableStrings),
  Parent: Schema.optionalKey(Schema.String),
  Type: Schema.String,
  Description: Schema.String,
  InUse: Schema.Boolean,
  Shared: Schema.Boolean,
  Size: Int64,
  CreatedAt: Timestamp,
  LastUsedAt: Schema.NullOr(Timestamp),
  UsageCount: Int64
}).annotate({ identifier: "CacheRecord" })
/**
 * @category models
 * @since 0.1.0
 */
export interface CacheRecord extends Schema.Schema.Type<typeof CacheRecord> {}

/**
 * `build.CachePruneReport`: what `POST /build/prune` removed and how many bytes that freed.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CachePruneReport = Schema.Struct({
  CachesDeleted: NullableStrings,
  SpaceReclaimed: Uint64
}).annotate({ identifier: "CachePruneReport" })
/**
 * @category models
 * @since 0.1.0
 */
export interface CachePruneReport extends Schema.Schema.Type<typeof CachePruneReport> {}

/**
 * `build.DiskUsage`: the build-cache part of `GET /system/df` from API 1.52 (spec `BuildCacheDiskUsage`).
 * Every key is omitempty: a count of 0 is left out.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DiskUsage = Schema.Struct({
  ActiveCount: Schema.optionalKey(Int64),
  TotalCount: Schema.optionalKey(Int64),
  Reclaimable: Schema.optionalKey(Int64),
  TotalSize: Schema.optionalKey(Int64),
  Items: Schema.optionalKey(Schema.Array(CacheRecord))
}).annotate({ identifier: "BuildCacheDiskUsage" })
/**
 * @category models
 * @since 0.1.0
 */
export interface DiskUsage extends Schema.Schema.Type<typeof DiskUsage> {}
