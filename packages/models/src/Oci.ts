/**
 * The OCI image-spec types the image API embeds (`github.com/opencontainers/image-spec/specs-go/v1`):
 * content descriptors, platforms and digests. Their JSON keys are lower camelCase, unlike the rest of the API.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Int64 } from "./internal/fields.ts"

/**
 * A content digest `algorithm:encoded` (`go-digest`), such as `sha256:` and 64 hex characters.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Digest = Schema.String.check(
  Schema.isPattern(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, { expected: "a digest algorithm:hex" })
).annotate({ identifier: "Digest" })
/**
 * @category models
 * @since 0.1.0
 */
export type Digest = typeof Digest.Type

/**
 * `ocispec.Platform`: the OS and CPU an image runs on (spec `OCIPlatform`). Note the dotted keys
 * `os.version` and `os.features`. Present in API 1.41.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Platform = Schema.Struct({
  architecture: Schema.String,
  os: Schema.String,
  "os.version": Schema.optionalKey(Schema.String),
  "os.features": Schema.optionalKey(Schema.Array(Schema.String)),
  variant: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "Platform" })
/**
 * @category models
 * @since 0.1.0
 */
export interface Platform extends Schema.Schema.Type<typeof Platform> {}

/**
 * `ocispec.Descriptor`: what a piece of content is, its digest and size, and where it applies
 * (spec `OCIDescriptor`). `data` and `artifactType` come from image-spec 1.1 and are absent on Engine 20.10.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Descriptor = Schema.Struct({
  mediaType: Schema.String,
  digest: Digest,
  size: Int64,
  urls: Schema.optionalKey(Schema.Array(Schema.String)),
  annotations: Schema.optionalKey(Schema.Record(Schema.String, Schema.String)),
  data: Schema.optionalKey(Schema.String),
  platform: Schema.optionalKey(Platform),
  artifactType: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "Descriptor" })
/**
 * @category models
 * @since 0.1.0
 */
export interface Descriptor extends Schema.Schema.Type<typeof Descriptor> {}
