/**
 * Every type of moby's Go package `github.com/moby/moby/api/types/image` at API 1.54, as Effect Schemas under
 * their Go names. The schemas describe what real engines send (Docker 20.10 to 29, Podman's compatible API):
 * lists and maps that may be `null`, `-1` for "not computed", fields newer APIs dropped. They transform nothing,
 * so encoding a decoded value gives back the daemon's JSON for every field API 1.54 defines.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Container from "./Container.ts"
import { DockerOCIImageConfig } from "./DockerSpec.ts"
import { Int64, NullableLabels, NullableStrings, specRequired, Timestamp, Uint64 } from "./internal/fields.ts"
import * as Oci from "./Oci.ts"
import * as Storage from "./Storage.ts"

// ---------------------------------------------------------------------------------------------------------------
// Identity (API 1.53 on inspect, 1.54 in list manifests)
// ---------------------------------------------------------------------------------------------------------------

/**
 * `image.SignatureTimestampType`: who vouched for a signature's time, `Tlog` (a transparency log) or
 * `TimestampAuthority`. Kept open to other strings for newer daemons. API 1.53.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SignatureTimestampType = Schema.String.annotate({
  identifier: "SignatureTimestampType",
  examples: ["Tlog", "TimestampAuthority"]
})
/**
 * @category models
 * @since 0.1.0
 */
export type SignatureTimestampType = typeof SignatureTimestampType.Type

/**
 * `image.SignatureType`: the format of an image signature, `bundle-v0.3` or `simplesigning-v1` (Go also mentions
 * `hashedrecord`, so any string is accepted). API 1.53.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SignatureType = Schema.String.annotate({
  identifier: "SignatureType",
  examples: ["bundle-v0.3", "simplesigning-v1"]
})
/**
 * @category models
 * @since 0.1.0
 */
export type SignatureType = typeof SignatureType.Type

/**
 * `image.KnownSignerIdentity`: a signer the daemon recognises, such as `DHI` (Docker Hardened Images). API 1.53.
 *
 * @category schemas
 * @since 0.1.0
 */
export const KnownSignerIdentity = Schema.String.annotate({ identifier: "KnownSignerIdentity", examples: ["DHI"] })
/**
 * @category models
 * @since 0.1.0
 */
export type KnownSignerIdentity = typeof KnownSignerIdentity.Type

/**
 * `image.SignatureTimestamp`: one trusted timestamp of a signature and where it was recorded. API 1.53.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SignatureTimestamp = Schema.Struct({
  Type: SignatureTimestampType,
  URI: Schema.String,
  Timestamp: Timestamp
}).annotate({ identifier: "SignatureTimestamp" })
/**
 * @category models
 * @since 0.1.0
 */
export interface SignatureTimestamp extends Schema.Schema.Type<typeof SignatureTimestamp> {}

/**
 * `image.SignerIdentity`: the certificate details of whoever signed an image (Sigstore/Fulcio extensions).
 * API 1.53.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SignerIdentity = Schema.Struct({
  CertificateIssuer: Schema.String,
  SubjectAlternativeName: Schema.String,
  Issuer: Schema.optionalKey(Schema.String),
  BuildSignerURI: Schema.optionalKey(Schema.String),
  BuildSignerDigest: Schema.optionalKey(Schema.String),
  RunnerEnvironment: Schema.optionalKey(Schema.String),
  SourceRepositoryURI: Schema.optionalKey(Schema.String),
  SourceRepositoryDigest: Schema.optionalKey(Schema.String),
  SourceRepositoryRef: Schema.optionalKey(Schema.String),
  SourceRepositoryIdentifier: Schema.optionalKey(Schema.String),
  SourceRepositoryOwnerURI: Schema.optionalKey(Schema.String),
  SourceRepositoryOwnerIdentifier: Schema.optionalKey(Schema.String),
  BuildConfigURI: Schema.optionalKey(Schema.String),
  BuildConfigDigest: Schema.optionalKey(Schema.String),
  BuildTrigger: Schema.optionalKey(Schema.String),
  RunInvocationURI: Schema.optionalKey(Schema.String),
  SourceRepositoryVisibilityAtSigning: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "SignerIdentity" })
/**
 * @category models
 * @since 0.1.0
 */
export interface SignerIdentity extends Schema.Schema.Type<typeof SignerIdentity> {}

/**
 * `image.SignatureIdentity`: one signature found on an image and what the daemon concluded about it. When
 * `Error` is set the other fields are empty. API 1.53.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SignatureIdentity = Schema.Struct({
  Name: Schema.optionalKey(Schema.String),
  Timestamps: Schema.optionalKey(Schema.Array(SignatureTimestamp)),
  KnownSigner: Schema.optionalKey(KnownSignerIdentity),
  DockerReference: Schema.optionalKey(Schema.String),
  Signer: Schema.optionalKey(SignerIdentity),
  SignatureType: Schema.optionalKey(SignatureType),
  Error: Schema.optionalKey(Schema.String),
  Warnings: Schema.optionalKey(Schema.Array(Schema.String))
}).annotate({ identifier: "SignatureIdentity" })
/**
 * @category models
 * @since 0.1.0
 */
export interface SignatureIdentity extends Schema.Schema.Type<typeof SignatureIdentity> {}

/**
 * `image.PullIdentity`: a repository the image was pulled from. API 1.53.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PullIdentity = Schema.Struct({
  Repository: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "PullIdentity" })
/**
 * @category models
 * @since 0.1.0
 */
export interface PullIdentity extends Schema.Schema.Type<typeof PullIdentity> {}

/**
 * `image.BuildIdentity`: a local build that produced the image. `CreatedAt` is always sent. API 1.53.
 *
 * @category schemas
 * @since 0.1.0
 */
export const BuildIdentity = Schema.Struct({
  Ref: Schema.optionalKey(Schema.String),
  CreatedAt: Timestamp
}).annotate({ identifier: "BuildIdentity" })
/**
 * @category models
 * @since 0.1.0
 */
export interface BuildIdentity extends Schema.Schema.Type<typeof BuildIdentity> {}

/**
 * `image.Identity`: where an image came from, as far as the daemon can tell: its signatures, pulls and builds.
 * API 1.53 on inspect, 1.54 in list manifests (with `identity=1`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Identity = Schema.Struct({
  Signature: Schema.optionalKey(Schema.Array(SignatureIdentity)),
  Pull: Schema.optionalKey(Schema.Array(PullIdentity)),
  Build: Schema.optionalKey(Schema.Array(BuildIdentity))
}).annotate({ identifier: "Identity" })
/**
 * @category models
 * @since 0.1.0
 */
export interface Identity extends Schema.Schema.Type<typeof Identity> {}

// ---------------------------------------------------------------------------------------------------------------
// Manifests (API 1.47 list, 1.48 inspect; containerd image store only)
// ---------------------------------------------------------------------------------------------------------------

/**
 * `image.ManifestKind`: what a manifest in an image index holds, `image`, `attestation` or `unknown`. API 1.47.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ManifestKind = Schema.Literals(["image", "attestation", "unknown"]).annotate({
  identifier: "ManifestKind"
})
/**
 * @category models
 * @since 0.1.0
 */
export type ManifestKind = typeof ManifestKind.Type

/**
 * `image.ImageProperties`: the details of an image manifest: its platform, unpacked size, the containers using
 * it and (API 1.54, with `identity=1`) its identity. API 1.47.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ImageProperties = Schema.Struct({
  Platform: Oci.Platform,
  Identity: Schema.optionalKey(Identity),
  Size: Schema.Struct({ Unpacked: Int64 }),
  Containers: NullableStrings
}).annotate({ identifier: "ImageProperties" })
/**
 * @category models
 * @since 0.1.0
 */
export interface ImageProperties extends Schema.Schema.Type<typeof ImageProperties> {}

/**
 * `image.AttestationProperties`: the manifest an attestation is about. API 1.47.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AttestationProperties = Schema.Struct({
  For: Oci.Digest
}).annotate({ identifier: "AttestationProperties" })
/**
 * @category models
 * @since 0.1.0
 */
export interface AttestationProperties extends Schema.Schema.Type<typeof AttestationProperties> {}

/**
 * `image.ManifestSummary`: one manifest of a multi-platform image and whether its blobs are all present locally
 * (spec `ImageManifestSummary`; note the key `ID`, not `Id`). Experimental; API 1.47.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ManifestSummary = Schema.Struct({
  ID: Schema.String,
  Descriptor: Oci.Descriptor,
  Available: Schema.Boolean,
  Size: Schema.Struct({ Content: Int64, Total: Int64 }),
  Kind: ManifestKind,
  ImageData: Schema.optionalKey(ImageProperties),
  AttestationData: Schema.optionalKey(AttestationProperties)
}).annotate({ identifier: "ManifestSummary" })
/**
 * @category models
 * @since 0.1.0
 */
export interface ManifestSummary extends Schema.Schema.Type<typeof ManifestSummary> {}

// ---------------------------------------------------------------------------------------------------------------
// List, inspect, history
// ---------------------------------------------------------------------------------------------------------------

/**
 * `image.Summary`: one item of `GET /images/json` (spec `ImageSummary`). Before API 1.43 and on Engine 20.10,
 * `RepoTags`/`RepoDigests` can be `null` or `["<none>:<none>"]`/`["<none>@<none>"]`; `Labels` is `null` on the
 * graphdriver store. `SharedSize` and (before 1.51) `Containers` are `-1` when not computed. `VirtualSize` exists
 * only before API 1.44; `Descriptor` (1.48) and `Manifests` (1.47) only on the containerd store.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Summary = Schema.Struct({
  Containers: Int64,
  Created: Int64,
  Id: Schema.String,
  Labels: NullableLabels,
  ParentId: Schema.String,
  Descriptor: Schema.optionalKey(Oci.Descriptor),
  Manifests: Schema.optionalKey(Schema.Array(ManifestSummary)),
  RepoDigests: NullableStrings,
  RepoTags: NullableStrings,
  SharedSize: Int64,
  Size: Int64,
  VirtualSize: Schema.optionalKey(Int64)
}).annotate({ identifier: "Summary" })
/**
 * @category models
 * @since 0.1.0
 */
export interface Summary extends Schema.Schema.Type<typeof Summary> {}

/**
 * `image.RootFS`: the image's layers as diff IDs. `BaseLayer` is Engine 20.10 only (Windows).
 *
 * @category schemas
 * @since 0.1.0
 */
export const RootFS = Schema.Struct({
  Type: specRequired(Schema.String),
  Layers: Schema.optionalKey(NullableStrings),
  BaseLayer: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "RootFS" })
/**
 * @category models
 * @since 0.1.0
 */
export interface RootFS extends Schema.Schema.Type<typeof RootFS> {}

/**
 * `image.Metadata`: local facts about an image, not part of the image itself. `LastTagTime` is always sent,
 * `0001-01-01T00:00:00Z` when the image was never tagged.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Metadata = Schema.Struct({
  LastTagTime: Schema.optionalKey(Timestamp)
}).annotate({ identifier: "Metadata" })
/**
 * @category models
 * @since 0.1.0
 */
export interface Metadata extends Schema.Schema.Type<typeof Metadata> {}

/**
 * `image.InspectResponse`: the answer of `GET /images/{name}/json` (spec `ImageInspect`). What is present depends
 * on the API version asked for: `Parent`, `Comment`, `DockerVersion`, `Author` are always sent before 1.52 and
 * omitempty after; `Created` is left out when unknown from 1.44; `Container`, `ContainerConfig` (before 1.45) and
 * `VirtualSize` (before 1.44) are gone in newer APIs; `Descriptor`, `Manifests` (1.48) and `Identity` (1.53) are
 * new. `Config` is `null` for an image without a config.
 *
 * @category schemas
 * @since 0.1.0
 */
export const InspectResponse = Schema.Struct({
  Id: Schema.String,
  RepoTags: Schema.Array(Schema.String),
  RepoDigests: Schema.Array(Schema.String),
  Parent: Schema.optionalKey(Schema.String),
  Comment: Schema.optionalKey(Schema.String),
  Created: Schema.optionalKey(Timestamp),
  Container: Schema.optionalKey(Schema.String),
  ContainerConfig: Schema.optionalKey(Schema.NullOr(Container.Config)),
  DockerVersion: Schema.optionalKey(Schema.String),
  Author: Schema.optionalKey(Schema.String),
  Config: Schema.NullOr(DockerOCIImageConfig),
  Architecture: Schema.String,
  Variant: Schema.optionalKey(Schema.String),
  Os: Schema.String,
  OsVersion: Schema.optionalKey(Schema.String),
  Size: Int64,
  VirtualSize: Schema.optionalKey(Int64),
  GraphDriver: Schema.optionalKey(Storage.DriverData),
  RootFS: RootFS,
  Metadata: Metadata,
  Descriptor: Schema.optionalKey(Oci.Descriptor),
  Manifests: Schema.optionalKey(Schema.Array(ManifestSummary)),
  Identity: Schema.optionalKey(Identity)
}).annotate({ identifier: "InspectResponse" })
/**
 * @category models
 * @since 0.1.0
 */
export interface InspectResponse extends Schema.Schema.Type<typeof InspectResponse> {}

/**
 * `image.HistoryResponseItem`: one layer of `GET /images/{name}/history`, newest first. `Id` is `"<missing>"`
 * for layers with no local image of their own; `Tags` is `null` when no tag points there; `Created` is Unix
 * seconds.
 *
 * @category schemas
 * @since 0.1.0
 */
export const HistoryResponseItem = Schema.Struct({
  Comment: Schema.String,
  Created: Int64,
  CreatedBy: Schema.String,
  Id: Schema.String,
  Size: Int64,
  Tags: NullableStrings
}).annotate({ identifier: "HistoryResponseItem" })
/**
 * @category models
 * @since 0.1.0
 */
export interface HistoryResponseItem extends Schema.Schema.Type<typeof HistoryResponseItem> {}

// ---------------------------------------------------------------------------------------------------------------
// Delete, prune, disk usage
// ---------------------------------------------------------------------------------------------------------------

/**
 * `image.DeleteResponse`: one thing `DELETE /images/{name}` or a prune did, either `Untagged` a reference or
 * `Deleted` an image or layer (spec `ImageDeleteResponseItem`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const DeleteResponse = Schema.Struct({
  Deleted: Schema.optionalKey(Schema.String),
  Untagged: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "DeleteResponse" })
/**
 * @category models
 * @since 0.1.0
 */
export interface DeleteResponse extends Schema.Schema.Type<typeof DeleteResponse> {}

/**
 * `image.PruneReport`: what `POST /images/prune` removed (`null` when nothing) and the bytes it freed.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PruneReport = Schema.Struct({
  ImagesDeleted: Schema.NullOr(Schema.Array(DeleteResponse)),
  SpaceReclaimed: Uint64
}).annotate({ identifier: "PruneReport" })
/**
 * @category models
 * @since 0.1.0
 */
export interface PruneReport extends Schema.Schema.Type<typeof PruneReport> {}

/**
 * `image.DiskUsage`: the image part of `GET /system/df` from API 1.52 (spec `ImagesDiskUsage`). Every key is
 * omitempty, so a count of 0 is left out; `Items` comes with `verbose=1`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DiskUsage = Schema.Struct({
  ActiveCount: Schema.optionalKey(Int64),
  TotalCount: Schema.optionalKey(Int64),
  Reclaimable: Schema.optionalKey(Int64),
  TotalSize: Schema.optionalKey(Int64),
  Items: Schema.optionalKey(Schema.Array(Summary))
}).annotate({ identifier: "ImagesDiskUsage" })
/**
 * @category models
 * @since 0.1.0
 */
export interface DiskUsage extends Schema.Schema.Type<typeof DiskUsage> {}
