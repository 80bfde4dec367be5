/**
 * The registry types the image endpoints use (`github.com/moby/moby/api/types/registry`): credentials,
 * the login answer, search results and what a registry says about an image.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Int64 } from "./internal/fields.ts"
import * as Oci from "./Oci.ts"

const Secret = Schema.RedactedFromValue(Schema.String)

/**
 * `registry.AuthConfig`: credentials for a registry, sent base64url-encoded in `X-Registry-Auth` or as the body
 * of `POST /auth`. Every key is omitempty. The secrets (`password`, `auth`, `identitytoken`, `registrytoken`)
 * decode to `Redacted` values, so they never show up when the config is logged or printed; encoding unwraps
 * them again for the wire. `email` is accepted for API 1.41 daemons; 1.52 dropped it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AuthConfig = Schema.Struct({
  username: Schema.optionalKey(Schema.String),
  password: Schema.optionalKey(Secret),
  auth: Schema.optionalKey(Secret),
  email: Schema.optionalKey(Schema.String),
  serveraddress: Schema.optionalKey(Schema.String),
  identitytoken: Schema.optionalKey(Secret),
  registrytoken: Schema.optionalKey(Secret)
}).annotate({ identifier: "AuthConfig" })
/**
 * @category models
 * @since 0.1.0
 */
export interface AuthConfig extends Schema.Schema.Type<typeof AuthConfig> {}

/**
 * `registry.AuthResponse`: the answer of `POST /auth`, with an identity token when the registry gave one.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AuthResponse = Schema.Struct({
  Status: Schema.String,
  IdentityToken: Schema.optionalKey(Schema.RedactedFromValue(Schema.String))
}).annotate({ identifier: "AuthResponse" })
/**
 * @category models
 * @since 0.1.0
 */
export interface AuthResponse extends Schema.Schema.Type<typeof AuthResponse> {}

/**
 * `registry.SearchResult`: one hit of `GET /images/search`. Keys are snake_case; `is_automated` is always
 * `false` since API 1.44.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SearchResult = Schema.Struct({
  star_count: Int64,
  is_official: Schema.Boolean,
  name: Schema.String,
  is_automated: Schema.Boolean,
  description: Schema.String
}).annotate({ identifier: "SearchResult" })
/**
 * @category models
 * @since 0.1.0
 */
export interface SearchResult extends Schema.Schema.Type<typeof SearchResult> {}

/**
 * `registry.DistributionInspect`: what `GET /distribution/{name}/json` learns from the registry, the manifest's
 * descriptor and the platforms it offers (`null` for a single manifest whose config could not be read).
 *
 * @category schemas
 * @since 0.1.0
 */
export const DistributionInspect = Schema.Struct({
  Descriptor: Oci.Descriptor,
  Platforms: Schema.NullOr(Schema.Array(Oci.Platform))
}).annotate({ identifier: "DistributionInspect" })
/**
 * @category models
 * @since 0.1.0
 */
export interface DistributionInspect extends Schema.Schema.Type<typeof DistributionInspect> {}
