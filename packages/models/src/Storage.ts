/**
 * The storage types of the image API (`github.com/moby/moby/api/types/storage`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { NullableLabels } from "./internal/fields.ts"

/**
 * `storage.DriverData`: the storage driver behind an image and its driver-specific details
 * (spec `DriverData`; `GraphDriverData` in API 1.41). `Data` is `null` with a containerd snapshotter.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DriverData = Schema.Struct({
  Data: NullableLabels,
  Name: Schema.String
}).annotate({ identifier: "DriverData" })
/**
 * @category models
 * @since 0.1.0
 */
export interface DriverData extends Schema.Schema.Type<typeof DriverData> {}
