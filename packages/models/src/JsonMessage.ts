/**
 * The JSON progress messages that pull, push, load, import and build stream back
 * (`github.com/moby/moby/api/types/jsonstream`; spec `CreateImageInfo`, `PushImageInfo`, `BuildInfo`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Int64 } from "./internal/fields.ts"
import * as Oci from "./Oci.ts"

/**
 * `jsonstream.Progress`: how far a layer has got (spec `ProgressDetail`). Every key is omitempty; state changes
 * send `{}`. `units` is `"bytes"` when absent.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ProgressDetail = Schema.Struct({
  current: Schema.optionalKey(Int64),
  total: Schema.optionalKey(Int64),
  start: Schema.optionalKey(Int64),
  hidecounts: Schema.optionalKey(Schema.Boolean),
  units: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "ProgressDetail" })
/**
 * @category models
 * @since 0.1.0
 */
export interface ProgressDetail extends Schema.Schema.Type<typeof ProgressDetail> {}

/**
 * `jsonstream.Error`: the fatal error that ends a stream (spec `ErrorDetail`). In a classic build whose `RUN` step
 * failed, `code` is the command's exit status, not an HTTP status.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ErrorDetail = Schema.Struct({
  code: Schema.optionalKey(Int64),
  message: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "ErrorDetail" })
/**
 * @category models
 * @since 0.1.0
 */
export interface ErrorDetail extends Schema.Schema.Type<typeof ErrorDetail> {}

/**
 * `jsonstream.Message`: one line of a progress stream. Every key is omitempty. `progress` (a text bar) and
 * `error` (a copy of `errorDetail.message`) are deprecated but still sent by Engine 20.10 – 28; `from`, `time` and
 * `timeNano` come from the events API of old daemons. `aux` is any JSON value: decode it with {@link BuildResult},
 * {@link PushResult} and friends.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Message = Schema.Struct({
  stream: Schema.optionalKey(Schema.String),
  status: Schema.optionalKey(Schema.String),
  progressDetail: Schema.optionalKey(ProgressDetail),
  progress: Schema.optionalKey(Schema.String),
  id: Schema.optionalKey(Schema.String),
  from: Schema.optionalKey(Schema.String),
  time: Schema.optionalKey(Int64),
  timeNano: Schema.optionalKey(Int64),
  errorDetail: Schema.optionalKey(ErrorDetail),
  error: Schema.optionalKey(Schema.String),
  aux: Schema.optionalKey(Schema.Unknown)
}).annotate({ identifier: "Message" })
/**
 * @category models
 * @since 0.1.0
 */
export interface Message extends Schema.Schema.Type<typeof Message> {}

/**
 * `build.Result`: the `aux` of a build line that names the image it made (spec `ImageID`), `{"ID": "sha256:..."}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const BuildResult = Schema.Struct({
  ID: Schema.String
}).annotate({ identifier: "BuildResult" })
/**
 * @category models
 * @since 0.1.0
 */
export interface BuildResult extends Schema.Schema.Type<typeof BuildResult> {}

/**
 * `jsonstream.PushResult` / `auxprogress.PushResult`: the `aux` that ends a push on the graphdriver store,
 * with the pushed tag, manifest digest and manifest size.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PushResult = Schema.Struct({
  Tag: Schema.String,
  Digest: Schema.String,
  Size: Int64
}).annotate({ identifier: "PushResult" })
/**
 * @category models
 * @since 0.1.0
 */
export interface PushResult extends Schema.Schema.Type<typeof PushResult> {}

/**
 * `auxprogress.ManifestPushedInsteadOfIndex`: the containerd store pushed one platform's manifest because the
 * rest of the index was missing locally.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ManifestPushedInsteadOfIndex = Schema.Struct({
  manifestPushedInsteadOfIndex: Schema.Literal(true),
  originalIndex: Oci.Descriptor,
  selectedManifest: Oci.Descriptor
}).annotate({ identifier: "ManifestPushedInsteadOfIndex" })
/**
 * @category models
 * @since 0.1.0
 */
export interface ManifestPushedInsteadOfIndex extends Schema.Schema.Type<typeof ManifestPushedInsteadOfIndex> {}

/**
 * `auxprogress.ContentMissing`: the containerd store could not push because content is missing locally;
 * an error line follows.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ContentMissing = Schema.Struct({
  contentMissing: Schema.Literal(true),
  desc: Oci.Descriptor
}).annotate({ identifier: "ContentMissing" })
/**
 * @category models
 * @since 0.1.0
 */
export interface ContentMissing extends Schema.Schema.Type<typeof ContentMissing> {}
