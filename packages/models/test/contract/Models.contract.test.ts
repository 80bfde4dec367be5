/**
 * Contract tests: our wire models against the Docker Engine OpenAPI specs (API 1.54 and 1.41, read from
 * `shared/spec/`), their examples, and real daemon answers.
 *
 * For every spec schema the image API uses, the spec is compared with the wire shape of our model
 * (`test/utils/SchemaShape.ts`). Each difference is a failure unless one of the commented allowlists below explains
 * it. A test fails with the full list of its definition's differences. Allowlist entries that no longer match
 * anything fail too, so the lists stay honest.
 */
import {
  Build,
  Common,
  Container,
  DockerSpec,
  Filters,
  Image,
  JsonMessage,
  Oci,
  Registry,
  Storage,
  System
} from "@dockhand/models"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { isDeepStrictEqual } from "node:util"
import { describeSchema } from "../utils/SchemaShape.ts"
import {
  type ApiVersion,
  describeLocation,
  fixtureFiles,
  ITEMS,
  joinPath,
  loadSpec,
  readFixture,
  refName,
  schemaAt,
  type SpecLocation,
  type SpecNode,
  walk
} from "../utils/SharedSpec.ts"
import { collectExamples, compare, type Finding } from "../utils/SpecCompare.ts"

/** Any of our models, as a decoder of unknown wire JSON. */
type Model = Schema.Codec<unknown, unknown>

// ===============================================================================================================
// Which spec schema is which model
// ===============================================================================================================

/** One spec schema and the model it corresponds to. `null` marks a schema the 1.41 spec does not have. */
interface Entry {
  /** Its 1.54 name; paths in messages and allowlists use it for both versions. */
  readonly name: string
  readonly model: Model
  readonly v154: SpecLocation
  readonly v141: SpecLocation | null
  /** Keys at the root that belong to other parts of the API (compared nowhere here). */
  readonly skip?: ReadonlyArray<string>
}

const definition = (name: string, model: Model, v141: string | null = name): Entry => ({
  name,
  model,
  v154: { definition: name },
  v141: v141 === null ? null : { definition: v141 }
})

const inline = (name: string, at: string, model: Model, since141 = true): Entry => ({
  name: `${name}.${at}`,
  model,
  v154: { definition: name, at: [at] },
  v141: since141 ? { definition: name, at: [at] } : null
})

const response = (method: string, path: string, status: string, model: Model, at: Array<string> = []): Entry => {
  const location: SpecLocation = { method, path, status, at }
  return { name: describeLocation(location), model, v154: location, v141: location }
}

const entries: ReadonlyArray<Entry> = [
  definition("ImageSummary", Image.Summary),
  definition("ImageInspect", Image.InspectResponse),
  inline("ImageInspect", "RootFS", Image.RootFS),
  inline("ImageInspect", "Metadata", Image.Metadata),
  definition("ImageConfig", DockerSpec.DockerOCIImageConfig),
  definition("ContainerConfig", Container.Config),
  definition("HealthConfig", DockerSpec.HealthcheckConfig),
  definition("DriverData", Storage.DriverData, "GraphDriverData"),
  definition("ImageHistoryResponseItem", Image.HistoryResponseItem),
  definition("ImageDeleteResponseItem", Image.DeleteResponse),
  definition("ImagesDiskUsage", Image.DiskUsage, null),
  definition("ImageManifestSummary", Image.ManifestSummary, null),
  inline("ImageManifestSummary", "ImageData", Image.ImageProperties, false),
  inline("ImageManifestSummary", "AttestationData", Image.AttestationProperties, false),
  inline("ImageManifestSummary", "Kind", Image.ManifestKind, false), // the spec's inline enum is Go's ManifestKind
  definition("OCIDescriptor", Oci.Descriptor),
  definition("OCIPlatform", Oci.Platform),
  definition("AuthConfig", Registry.AuthConfig),
  // 1.41 has no AuthResponse definition: its /auth answer is an inline object
  {
    ...definition("AuthResponse", Registry.AuthResponse, null),
    v141: { method: "post", path: "/auth", status: "200" }
  },
  definition("BuildCache", Build.CacheRecord),
  definition("BuildCacheDiskUsage", Build.DiskUsage, null),
  definition("ImageID", JsonMessage.BuildResult),
  definition("CreateImageInfo", JsonMessage.Message),
  definition("PushImageInfo", JsonMessage.Message),
  definition("BuildInfo", JsonMessage.Message),
  definition("ErrorDetail", JsonMessage.ErrorDetail),
  definition("ProgressDetail", JsonMessage.ProgressDetail),
  definition("ErrorResponse", Common.ErrorResponse),
  definition("IDResponse", Common.IDResponse, "IdResponse"),
  definition("DistributionInspect", Registry.DistributionInspect),
  definition("SystemVersion", System.VersionResponse),
  definition("Identity", Image.Identity, null),
  definition("BuildIdentity", Image.BuildIdentity, null),
  definition("PullIdentity", Image.PullIdentity, null),
  definition("SignatureIdentity", Image.SignatureIdentity, null),
  definition("SignatureTimestamp", Image.SignatureTimestamp, null),
  definition("SignerIdentity", Image.SignerIdentity, null),
  definition("SignatureTimestampType", Image.SignatureTimestampType, null),
  definition("SignatureType", Image.SignatureType, null),
  definition("KnownSignerIdentity", Image.KnownSignerIdentity, null),
  response("post", "/images/prune", "200", Image.PruneReport),
  response("post", "/build/prune", "200", Build.CachePruneReport),
  response("get", "/images/search", "200", Registry.SearchResult, [ITEMS]),
  response("post", "/commit", "201", Common.IDResponse),
  // only the image and build-cache parts of disk usage are modelled in detail
  {
    ...response("get", "/system/df", "200", System.DiskUsage),
    skip: ["Containers", "Volumes", "ContainerUsage", "VolumeUsage"]
  }
]

/** `x-go-type` item types (1.52+ disk usage) and the definitions they stand for. */
const goTypes = new Map([["Summary", "ImageSummary"], ["CacheRecord", "BuildCache"]])

/** Spec property → the JSON key really sent, where they differ. */
const aliases = new Map([
  // §7.8: the Go tag is `json:" Parents,omitempty"`, so the key on the wire has a leading space
  ["BuildCache.Parents", " Parents"]
])

// ===============================================================================================================
// Allowlists. Paths use the 1.54 spec names; `Model.key` entries name one of our models by its identifier.
// Section numbers refer to shared/docs/engine-api-images.md.
// ===============================================================================================================

/**
 * Keys we require although the spec leaves them optional: the Go type has no `omitempty` on them, so every daemon
 * sends them (checked against the presence columns of §2b). A missing one is a broken answer.
 */
const goAlwaysSends: Readonly<Record<string, string>> = {
  "OCIDescriptor.mediaType": "§2b.10 always",
  "OCIDescriptor.digest": "§2b.10 always",
  "OCIDescriptor.size": "§2b.10 always",
  "OCIPlatform.architecture": "§2b.11 always",
  "OCIPlatform.os": "§2b.11 always",
  "ImageInspect.Id": "§2b.2 always",
  "ImageInspect.RepoTags": "§2b.2 always (nil becomes [])",
  "ImageInspect.RepoDigests": "§2b.2 always (nil becomes [])",
  "ImageInspect.Config": "§2b.2 always (can be null)",
  "ImageInspect.Architecture": "§2b.2 always",
  "ImageInspect.Os": "§2b.2 always",
  "ImageInspect.Size": "§2b.2 always",
  "ImageInspect.RootFS": "§2b.2 always",
  "ImageInspect.Metadata": "§2b.2 always",
  "BuildCache.ID": "§2b.15 build.CacheRecord: only Parents is omitempty",
  "BuildCache.Type": "§2b.15 build.CacheRecord: only Parents is omitempty",
  "BuildCache.Description": "§2b.15 build.CacheRecord: only Parents is omitempty",
  "BuildCache.InUse": "§2b.15 build.CacheRecord: only Parents is omitempty",
  "BuildCache.Shared": "§2b.15 build.CacheRecord: only Parents is omitempty",
  "BuildCache.Size": "§2b.15 build.CacheRecord: only Parents is omitempty",
  "BuildCache.CreatedAt": "§2b.15 build.CacheRecord: only Parents is omitempty",
  "BuildCache.LastUsedAt": "§2b.15 build.CacheRecord: a *time.Time without omitempty, sent as null",
  "BuildCache.UsageCount": "§2b.15 build.CacheRecord: only Parents is omitempty",
  "ImageID.ID": "§2.2/§2b.15 build.Result: the build aux exists to carry the ID",
  "SignatureTimestamp.Type": "§2b.14 always",
  "SignatureTimestamp.URI": "§2b.14 always",
  "SignatureTimestamp.Timestamp": "§2b.14 always",
  "SignerIdentity.CertificateIssuer": "§2b.14 always",
  "SignerIdentity.SubjectAlternativeName": "§2b.14 always",
  "BuildIdentity.CreatedAt": "§2b.14 always (omitempty does nothing on a time.Time)",
  "SystemVersion.Version": "§2.18 no omitempty",
  "SystemVersion.ApiVersion": "§2.18 no omitempty",
  "SystemVersion.Os": "§2.18 no omitempty",
  "SystemVersion.Arch": "§2.18 no omitempty",
  "POST /images/prune 200.ImagesDeleted": "§2b.5 always (null when nothing was deleted)",
  "POST /images/prune 200.SpaceReclaimed": "§2b.5 always",
  "POST /build/prune 200.CachesDeleted": "§2.3 Go field without a tag: always (maybe null)",
  "POST /build/prune 200.SpaceReclaimed": "§2.3 Go field without a tag: always",
  "GET /images/search 200[].star_count": "§2b.15 registry.SearchResult: all always sent",
  "GET /images/search 200[].is_official": "§2b.15 registry.SearchResult: all always sent",
  "GET /images/search 200[].name": "§2b.15 registry.SearchResult: all always sent",
  "GET /images/search 200[].is_automated": "§2b.15 registry.SearchResult: all always sent",
  "GET /images/search 200[].description": "§2b.15 registry.SearchResult: all always sent"
}

/**
 * Keys we have that neither spec defines for that schema. Keys found in the other version's spec, or in a sibling
 * definition mapped to the same model, need no entry: e.g. the stream's `progress`/`error` and inspect's `Parent`,
 * `DockerVersion`, `Container`, `ContainerConfig`, `VirtualSize` (§7.7; all in the 1.41 spec), `BuildCache.Parent`
 * (1.41), and the descriptor's `data`/`artifactType` (in the 1.54 spec).
 */
const extraKeys: Readonly<Record<string, string>> = {
  "Message.from": "legacy events fields old daemons put on stream lines (jsonstream.Message)",
  "Message.time": "legacy events fields old daemons put on stream lines (jsonstream.Message)",
  "Message.timeNano": "legacy events fields old daemons put on stream lines (jsonstream.Message)",
  "ProgressDetail.start": "§7.12 sent on the wire, undocumented",
  "ProgressDetail.hidecounts": "§7.12 sent on the wire, undocumented",
  "ProgressDetail.units": "§7.12 sent on the wire, undocumented",
  "RootFS.BaseLayer": "§2b.7 Engine 20.10 on Windows; gone from the 1.54 Go type",
  "AuthConfig.auth": "§2b.15 registry.AuthConfig field (≤1.41) the spec never listed",
  "AuthConfig.identitytoken": "§2b.15/§4 registry.AuthConfig field, sent after a token login",
  "AuthConfig.registrytoken": "§2b.15 registry.AuthConfig field (≤1.41) the spec never listed",
  "DiskUsage.BuilderSize": "§2.17 sent by API ≤1.41 daemons; missing from the 1.41 spec"
}

/** Where we accept more JSON types than the spec says, on purpose. */
const widerThanSpec: Readonly<Record<string, string>> = {
  "ImageConfig.Cmd": "§2b.9 Go's StrSlice also decodes a bare string",
  "ImageConfig.Entrypoint": "§2b.9 Go's StrSlice also decodes a bare string",
  "ContainerConfig.Cmd": "§2b.9 Go's StrSlice also decodes a bare string",
  "ContainerConfig.Entrypoint": "§2b.9 Go's StrSlice also decodes a bare string"
}

/** Where we accept any JSON value although the spec names a type. */
const opaque: Readonly<Record<string, string>> = {
  "BuildInfo.aux": "§3 aux is any JSON: build result, push result, containerd push notes, BuildKit trace (a string)"
}

/** Documented spec bugs: the spec describes a key that does not exist on the wire. */
const specBugs: Readonly<Record<string, string>> = {
  "ImageManifestSummary.ImageData.UnpackedSize": "§7.5 required but never defined; the value is Size.Unpacked"
}

/** 1.41 only: keys the 1.41 spec requires that later APIs dropped, so the model has them optional. */
const requiredOnlyIn141: Readonly<Record<string, string>> = {
  "ImageSummary.VirtualSize": "§5.1 removed in API 1.44; optional so that newer answers decode"
}

/** 1.41 only: keys of the 1.41 spec that the model dropped. Each must also be gone from the 1.54 spec. */
const droppedSince141: Readonly<Record<string, string>> = {}

// ===============================================================================================================
// Comparing
// ===============================================================================================================

/** The verdict on one spec schema. */
interface Verdict {
  readonly failures: ReadonlyArray<string>
  readonly lenient: ReadonlyArray<string>
  readonly allowed: ReadonlyArray<string>
  readonly nullable: ReadonlyArray<string>
}

const otherVersion = (version: ApiVersion): ApiVersion => (version === "1.54" ? "1.41" : "1.54")
const locationOf = (entry: Entry, version: ApiVersion) => (version === "1.54" ? entry.v154 : entry.v141)
const identifierOf = (model: Model): string => describeSchema(model).identifier ?? "?"

/** The allowlist entries some finding matched, to report the stale ones. */
const used = new Set<string>()

const allow = (list: Readonly<Record<string, string>>, name: string, key: string): string | undefined => {
  const reason = list[key]
  if (reason !== undefined) used.add(`${name}:${key}`)
  return reason
}

/** Definitions with an entry of their own: a `$ref` to one only has to point at the right model. */
const mappedDefinitions = (version: ApiVersion): Map<string, string> => {
  const out = new Map<string, string>()
  for (const entry of entries) {
    const location = locationOf(entry, version)
    if (location !== null && "definition" in location && (location.at ?? []).length === 0) {
      out.set(location.definition, identifierOf(entry.model))
    }
  }
  return out
}

/** Inline objects with an entry of their own, by path. */
const mappedInline = new Map(
  entries.filter((e) => (e.v154.at ?? []).length > 0 && !("method" in e.v154)).map((e) => [
    e.name,
    identifierOf(e.model)
  ])
)

const findingsOf = (entry: Entry, version: ApiVersion): ReadonlyArray<Finding> => {
  const location = locationOf(entry, version)
  if (location === null) return []
  const doc = loadSpec(version)
  return compare(doc, schemaAt(doc, location), describeSchema(entry.model), {
    root: entry.name,
    mappedDefinitions: mappedDefinitions(version),
    mappedInline,
    goTypes,
    aliases,
    ...(entry.skip === undefined ? {} : { skip: entry.skip })
  })
}

/** Whether a spec (either version) defines this key for the same model, at the same place. */
const definedElsewhere = (entry: Entry, version: ApiVersion, segments: ReadonlyArray<string>): string | undefined => {
  for (const v of [version, otherVersion(version)]) {
    const doc = loadSpec(v)
    for (const sibling of entries.filter((e) => e.model === entry.model)) {
      const location = locationOf(sibling, v)
      if (location === null || (sibling === entry && v === version)) continue
      if (walk(doc, schemaAt(doc, location), segments) !== undefined) {
        return `defined in the ${v} spec at ${joinPath(describeLocation(location), segments)}`
      }
    }
  }
  return undefined
}

/** Sorts one finding into failure, lenient, allowed (with its reason) or informational. */
const judge = (entry: Entry, version: ApiVersion, f: Finding): { bucket: keyof Verdict; text: string } => {
  const line = (reason?: string) => `${f.path}: ${f.kind} (${f.detail})${reason === undefined ? "" : ` — ${reason}`}`
  const modelKey = joinPath(identifierOf(entry.model), f.segments)
  const allowed = (reason: string | undefined) =>
    reason === undefined
      ? { bucket: "failures" as const, text: line() }
      : { bucket: "allowed" as const, text: line(reason) }
  switch (f.kind) {
    case "lenient":
      return { bucket: "lenient", text: f.path }
    case "nullable":
      return { bucket: "nullable", text: f.path }
    case "stricter":
      return allowed(allow(goAlwaysSends, "goAlwaysSends", f.path))
    case "extra":
      return allowed(allow(extraKeys, "extraKeys", modelKey) ?? definedElsewhere(entry, version, f.segments))
    case "wider":
      return allowed(allow(widerThanSpec, "widerThanSpec", f.path))
    case "opaque":
      return allowed(allow(opaque, "opaque", f.path))
    case "undefinedRequired":
      return allowed(allow(specBugs, "specBugs", f.path))
    case "optional":
      return allowed(version === "1.41" ? allow(requiredOnlyIn141, "requiredOnlyIn141", f.path) : undefined)
    case "missing":
      return allowed(version === "1.41" ? droppedReason(entry, f) : allow(specBugs, "specBugs", f.path))
    default:
      return allowed(undefined)
  }
}

/** A 1.41 key we dropped is fine only when the 1.54 spec dropped it too and the allowlist says why. */
const droppedReason = (entry: Entry, f: Finding): string | undefined => {
  const reason = allow(droppedSince141, "droppedSince141", f.path)
  if (reason === undefined) return undefined
  const doc = loadSpec("1.54")
  return walk(doc, schemaAt(doc, entry.v154), f.segments) === undefined ? reason : undefined
}

const verdictOf = (entry: Entry, version: ApiVersion): Verdict => {
  const out: Record<keyof Verdict, Array<string>> = { failures: [], lenient: [], allowed: [], nullable: [] }
  for (const finding of findingsOf(entry, version)) {
    const { bucket, text } = judge(entry, version, finding)
    out[bucket].push(text)
  }
  return out
}

const memo = <A>(f: () => A): () => A => {
  let value: { readonly a: A } | undefined
  return () => (value ??= { a: f() }).a
}

/** Every verdict, computed once (and completely, so that stale allowlist entries are found whatever test runs). */
const verdicts = memo(() => {
  const out = new Map<string, Verdict>()
  for (const version of ["1.54", "1.41"] as const) {
    for (const entry of entries) {
      if (locationOf(entry, version) !== null) out.set(`${version} ${entry.name}`, verdictOf(entry, version))
    }
  }
  return out
})

/** Fails with every problem listed, one per line. */
const assertNone = (title: string, problems: ReadonlyArray<string>): void => {
  if (problems.length > 0) assert.fail(`${title}: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`)
}

for (const version of ["1.54", "1.41"] as const) {
  describe(`models match the API ${version} spec`, () => {
    for (const entry of entries) {
      const location = locationOf(entry, version)
      if (location === null) continue
      it(`${describeLocation(location)} → ${identifierOf(entry.model)}`, () => {
        assertNone(`${version} ${entry.name}`, verdicts().get(`${version} ${entry.name}`)!.failures)
      })
    }
  })
}

// ===============================================================================================================
// Examples: the fixtures taken from the specs, and the `example:` values in the YAML
// ===============================================================================================================

/** The issues of a failed decode, as `path: message`; empty when the value decodes. */
const decodeIssues = (model: Model, value: unknown): ReadonlyArray<string> => {
  const result = Schema.decodeUnknownResult(model)(value, { errors: "all" })
  if (Result.isSuccess(result)) return []
  return SchemaIssue.makeFormatterStandardSchemaV1()(result.failure.issue).issues.map((issue) =>
    `${(issue.path ?? []).map(String).join(".")}: ${issue.message}`
  )
}

/**
 * Examples that do not decode, and why. A listed example must fail at exactly the listed paths: everything else
 * in it has to decode. Keys: `<version> <fixture file>` or `<version> example <spec path>`.
 */
const exampleFailures: Readonly<Record<string, { readonly paths: ReadonlyArray<string>; readonly reason: string }>> = {
  "1.54 example ImageSummary.Created": { paths: [""], reason: "§7.4 a quoted string; the wire value is an integer" },
  "1.41 example ImageSummary.Created": { paths: [""], reason: "§7.4 a quoted string; the wire value is an integer" },
  "1.54 example OCIDescriptor.data": { paths: [""], reason: "`example: null` placeholder; Go omits it" },
  "1.54 example OCIDescriptor.artifactType": { paths: [""], reason: "`example: null` placeholder; Go omits it" },
  "1.54 swagger-v1.54/definition-ImageSummary-assembled.json": {
    paths: ["Created", "Manifests.0.ImageData.Platform"],
    reason: "assembled: §7.4 quoted Created; the assembler left out the $ref'd ImageData.Platform (spec-required)"
  },
  "1.54 swagger-v1.54/definition-ImageInspect-assembled.json": {
    paths: ["Manifests.0.ImageData.Platform"],
    reason: "assembled: the assembler left out the $ref'd ImageData.Platform (spec-required)"
  },
  "1.41 swagger-v1.41/definition-ImageSummary-assembled.json": {
    paths: ["Created"],
    reason: "assembled: §7.4 quoted Created"
  }
}

/** One value that must decode with a model (or fail exactly as `exampleFailures` says). */
interface ExampleCase {
  /** `<version> <fixture file>` or `<version> example <spec path>` */
  readonly key: string
  readonly model: Model
  readonly value: unknown
  /** Verbatim examples must also encode back to themselves (assembled ones and property examples need not). */
  readonly roundTrip: boolean
}

/** The problems of one case: unexpected decode issues, or an encode that does not give the input back. */
const caseProblems = ({ key, model, roundTrip, value }: ExampleCase): ReadonlyArray<string> => {
  const issues = decodeIssues(model, value)
  const expected = exampleFailures[key]
  if (expected === undefined) {
    if (issues.length > 0) return issues.map((i) => `${key}: ${i}`)
    return roundTrip ? roundTripProblems(key, model, value) : []
  }
  used.add(`exampleFailures:${key}`)
  const paths = [...new Set(issues.map((i) => i.slice(0, i.indexOf(": "))))].sort()
  const want = [...expected.paths].sort()
  return JSON.stringify(paths) === JSON.stringify(want)
    ? []
    : [`${key}: expected failures at [${want.join(", ")}], got ${issues.length === 0 ? "none" : issues.join("; ")}`]
}

const roundTripProblems = (key: string, model: Model, value: unknown): ReadonlyArray<string> => {
  const encoded = Schema.encodeUnknownResult(model)(Schema.decodeUnknownSync(model)(value))
  if (Result.isFailure(encoded)) return [`${key}: encode failed: ${encoded.failure.message}`]
  return isDeepStrictEqual(encoded.success, value) // key order is ignored
    ? []
    : [`${key}: encoding the decoded value does not give back the input: ${JSON.stringify(encoded.success)}`]
}

const arrayOf = (model: Model): Model => Schema.Array(model) as unknown as Model

/** The entry whose schema sits exactly at a location. */
const entryAt = (version: ApiVersion, location: SpecLocation): Entry | undefined =>
  entries.find((e) => {
    const own = locationOf(e, version)
    return own !== null && describeLocation(own) === describeLocation(location)
  })

/** The fixture files under `swagger-v*` that are not definitions, and what they hold. */
const pathFixtures: Readonly<Record<string, Model>> = {
  "path-GET-images-name-json-404.json": Common.ErrorResponse,
  "path-GET-images-name-history-200.json": arrayOf(Image.HistoryResponseItem),
  "path-DELETE-images-name-200.json": arrayOf(Image.DeleteResponse),
  "path-GET-images-search-200.json": arrayOf(Registry.SearchResult),
  "path-POST-commit-404.json": Common.ErrorResponse,
  "path-GET-distribution-name-json-401.json": Common.ErrorResponse,
  "path-POST-auth-200.json": Registry.AuthResponse
}

/** The fixtures taken from a spec (`definition-*` files map by definition name). Unmapped files are problems. */
const swaggerFixtureCases = (version: ApiVersion): { cases: Array<ExampleCase>; unmapped: Array<string> } => {
  const set = `swagger-v${version}`
  const cases: Array<ExampleCase> = []
  const unmapped: Array<string> = []
  for (const file of fixtureFiles(set)) {
    const name = /^definition-(.+)-(?:example|assembled)\.json$/.exec(file)?.[1]
    const model = pathFixtures[file] ?? (name === undefined ? undefined : entryAt(version, { definition: name })?.model)
    if (model === undefined) unmapped.push(`${set}/${file}: no model mapped; add it to the tables`)
    else {
      const value = readFixture(set, file)
      cases.push({ key: `${version} ${set}/${file}`, model, value, roundTrip: !file.includes("assembled") })
    }
  }
  return { cases, unmapped }
}

/** Paths of the image API, whose response examples must decode. */
const imagePaths = [
  "/images/json",
  "/build",
  "/build/prune",
  "/images/create",
  "/images/{name}/json",
  "/images/{name}/history",
  "/images/{name}/push",
  "/images/{name}/tag",
  "/images/{name}",
  "/images/search",
  "/images/prune",
  "/commit",
  "/images/{name}/get",
  "/images/get",
  "/images/load",
  "/distribution/{name}/json",
  "/system/df",
  "/version",
  "/auth",
  "/_ping"
]

/** Our model of a response: an entry at that place, a mapped definition it refers to, or an array of either. */
const responseModel = (version: ApiVersion, location: SpecLocation, schema: SpecNode): Model | undefined => {
  const byRef = (node: SpecNode) =>
    node.$ref === undefined ? undefined : entryAt(version, { definition: refName(node.$ref) })?.model
  const items = schema.items === undefined
    ? undefined
    : byRef(schema.items) ?? entryAt(version, { ...location, at: [ITEMS] })?.model
  return entryAt(version, location)?.model ?? byRef(schema) ?? (items === undefined ? undefined : arrayOf(items))
}

/** The `examples:` of the image API's responses. */
const responseExampleCases = (version: ApiVersion): { cases: Array<ExampleCase>; unmapped: Array<string> } => {
  const doc = loadSpec(version)
  const cases: Array<ExampleCase> = []
  const unmapped: Array<string> = []
  for (const path of imagePaths) {
    for (const [method, operation] of Object.entries(doc.paths[path] ?? {})) {
      for (const [status, res] of Object.entries(operation.responses)) {
        const value = res.examples?.["application/json"]
        if (value === undefined) continue
        const location: SpecLocation = { method, path, status }
        const key = `${version} example ${describeLocation(location)}`
        const model = res.schema === undefined ? undefined : responseModel(version, location, res.schema)
        if (model === undefined) unmapped.push(`${key}: no model for this response`)
        else cases.push({ key, model, value, roundTrip: true })
      }
    }
  }
  return { cases, unmapped }
}

/** The `example:` values and enum values inside the mapped schemas, each with the part of our model it belongs to. */
const schemaExampleCases = (version: ApiVersion): { cases: Array<ExampleCase>; unmapped: Array<string> } => {
  const doc = loadSpec(version)
  const cases = new Map<string, ExampleCase>() // inline objects with their own entry are reached twice
  for (const entry of entries) {
    const location = locationOf(entry, version)
    if (location === null) continue
    for (const example of collectExamples(schemaAt(doc, location), entry.model.ast, entry.name, aliases)) {
      const key = `${version} example ${example.path}`
      const model = Schema.make<Model>(example.ast)
      cases.set(`${key} ${JSON.stringify(example.value)}`, { key, model, value: example.value, roundTrip: false })
    }
  }
  return { cases: [...cases.values()], unmapped: [] }
}

/** Where examples come from. */
const exampleSources: ReadonlyArray<{
  readonly title: (version: ApiVersion) => string
  readonly cases: (version: ApiVersion) => { cases: Array<ExampleCase>; unmapped: Array<string> }
}> = [
  { title: (v) => `fixtures swagger-v${v}`, cases: swaggerFixtureCases },
  { title: (v) => `response examples in the ${v} spec`, cases: responseExampleCases },
  { title: (v) => `schema, property and enum examples in the ${v} spec`, cases: schemaExampleCases }
]

describe("spec examples decode", () => {
  for (const version of ["1.54", "1.41"] as const) {
    for (const source of exampleSources) {
      it(source.title(version), () => {
        const { cases, unmapped } = source.cases(version)
        assert.isAbove(cases.length, 0, "no examples found: the tables or the spec layout changed")
        assertNone(source.title(version), [...unmapped, ...cases.flatMap(caseProblems)])
      })
    }
  }
})

// ===============================================================================================================
// Real answers of an Engine 20.10 daemon (API 1.41), and JSON literals from moby's tests
// ===============================================================================================================

/** What each captured response holds. `*-headers.json` files are header summaries and are skipped. */
const liveFixtures: Readonly<Record<string, Model>> = {
  "GET-version.json": System.VersionResponse,
  "GET-v1.54-version-400-too-new.json": Common.ErrorResponse,
  "GET-images-doesnotexist-json-404.json": Common.ErrorResponse,
  "GET-images-json-invalid-filter-400.json": Common.ErrorResponse,
  "GET-images-json-filters-map-reference.json": arrayOf(Image.Summary),
  "GET-images-local-bb-1-json.json": Image.InspectResponse,
  "GET-images-local-imp-1-json.json": Image.InspectResponse,
  "GET-images-local-bb-1-history.json": arrayOf(Image.HistoryResponseItem),
  "GET-images-local-imp-1-history.json": arrayOf(Image.HistoryResponseItem)
}

/** The `Config` of an inspect answer. */
const InspectConfig = Schema.NullOr(DockerSpec.DockerOCIImageConfig) as unknown as Model

/** What each literal from moby's tests is (requests included: they are values our codecs must produce). */
const mobyTestFixtures: Readonly<Record<string, Model>> = {
  "daemon-stream-aux.json": JsonMessage.Message,
  "daemon-stream-error-with-code.json": JsonMessage.Message,
  "daemon-stream-error.json": JsonMessage.Message,
  "daemon-stream-status.json": JsonMessage.Message,
  "daemon-stream-stderr.json": JsonMessage.Message,
  "daemon-stream-stdout.json": JsonMessage.Message,
  "image-history-response.json": arrayOf(Image.HistoryResponseItem),
  "image-inspect-Config-api-1.50-1.51.json": InspectConfig,
  "image-inspect-Config-api-ge-1.52.json": InspectConfig,
  "image-inspect-Config-api-lt-1.50.json": InspectConfig,
  "image-inspect-Config-empty.json": InspectConfig,
  "image-load-stream-line.json": JsonMessage.Message,
  "jsonstream-message-all-fields.json": JsonMessage.Message,
  "request-filters-images-list-1.json": Filters.Filters,
  "request-filters-images-list-2.json": Filters.Filters,
  "request-filters-images-prune.json": Filters.Filters,
  "request-filters-images-search.json": Filters.Filters,
  "request-platform-query-value.json": Oci.Platform,
  "request-platforms-delete-value.json": Oci.Platform,
  "stream-error-403.json": JsonMessage.Message,
  "stream-error-500.json": JsonMessage.Message,
  "stream-status-line.json": JsonMessage.Message
}

/** Every file of a fixture set decodes with its model, and encoding the result gives back the file's JSON. */
const roundTripSet = (set: string, table: Readonly<Record<string, Model>>) => {
  describe(set, () => {
    it("every fixture file is mapped to a model", () => {
      const unmapped = fixtureFiles(set).filter((f) => !f.endsWith("-headers.json") && table[f] === undefined)
      assertNone(`${set}: unmapped files`, unmapped)
    })
    for (const [file, model] of Object.entries(table)) {
      it(`${file} decodes and encodes back unchanged`, () => {
        const wire = readFixture(set, file)
        assertNone(`${file} does not decode`, decodeIssues(model, wire))
        const decoded = Schema.decodeUnknownSync(model)(wire)
        assert.deepStrictEqual(Schema.encodeUnknownSync(model)(decoded), wire) // key order is ignored
      })
    }
  })
}

roundTripSet("live-dockerd-20.10.24-api1.41", liveFixtures)
roundTripSet("from-tests-v1.54.2", mobyTestFixtures)

// ===============================================================================================================
// Bookkeeping
// ===============================================================================================================

const allowlists: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  goAlwaysSends,
  extraKeys,
  widerThanSpec,
  opaque,
  specBugs,
  requiredOnlyIn141,
  droppedSince141,
  exampleFailures
}

it("every allowlist entry still matches a difference", () => {
  verdicts()
  for (const version of ["1.54", "1.41"] as const) {
    for (const source of exampleSources) source.cases(version).cases.forEach(caseProblems)
  }
  const stale = Object.entries(allowlists).flatMap(([list, items]) =>
    Object.keys(items).filter((key) => !used.has(`${list}:${key}`)).map((key) => `${list}: ${key}`)
  )
  assertNone("stale allowlist entries (remove them)", stale)
})

/**
 * Prints what is lenient (spec-required keys we tolerate missing) and, per kind, how many differences the allowlists
 * accept. `CONTRACT_VERBOSE=1` lists every accepted difference with its reason.
 */
afterAll(() => {
  let all: Array<[string, Verdict]>
  try {
    all = [...verdicts()]
  } catch {
    return // the tests already report why (e.g. the specs are missing)
  }
  const verbose = process.env["CONTRACT_VERBOSE"] === "1"
  const lines = (pick: (v: Verdict) => ReadonlyArray<string>) =>
    all.flatMap(([name, v]) => pick(v).map((l) => `  [${name.slice(0, 4)}] ${l}`))
  const allowed = lines((v) => v.allowed)
  const byKind = new Map<string, number>()
  for (const line of allowed) {
    const kind = /: (\w+) \(/.exec(line)?.[1] ?? "?"
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
  }
  console.info([
    "Contract summary (models vs Docker Engine API specs)",
    "Lenient (spec-required, optional with the specRequired marker):",
    ...lines((v) => v.lenient),
    `Allowed differences: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ")}` +
    (verbose ? "" : " (CONTRACT_VERBOSE=1 lists them)"),
    ...(verbose ? allowed : []),
    `Spec says x-nullable but we reject null (Go omits the key instead): ${lines((v) => v.nullable).length}` +
    (verbose ? "" : " (CONTRACT_VERBOSE=1 lists them)"),
    ...(verbose ? lines((v) => v.nullable) : [])
  ].join("\n"))
})
