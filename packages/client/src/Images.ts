/**
 * The `Images` service: every image endpoint of the Docker Engine API, with every option the Go client has, named
 * after the Go client's verbs (`list`, `inspect`, `pull`, ...). Options newer than the negotiated API version fail
 * before any request with an `ApiVersionError`; the daemon would ignore them silently.
 *
 * @since 0.1.0
 */
import * as Filters from "@dockhand/codecs/Filters"
import * as Platform from "@dockhand/codecs/Platform"
import * as RegistryAuth from "@dockhand/codecs/RegistryAuth"
import * as WireJson from "@dockhand/codecs/WireJson"
import { Build, Common, Container, Image, Oci, Registry } from "@dockhand/models"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ApiVersion from "./ApiVersion.ts"
import * as BuildSession from "./BuildSession.ts"
import * as Credentials from "./Credentials.ts"
import { DockerEngine } from "./DockerEngine.ts"
import type * as DockerError from "./DockerError.ts"
import * as Reference from "./internal/reference.ts"
import * as Request from "./internal/request.ts"
import * as WriteInto from "./internal/writeInto.ts"
import * as Progress from "./Progress.ts"

/** The list answers' schemas, built once (the decoders are cached by schema). */
const Summaries = Schema.Array(Image.Summary)
/** The history answer: `null` when the image's config has no history (a loaded legacy tar), read as no items. */
const HistoryItems = Schema.NullOr(Schema.Array(Image.HistoryResponseItem))
const DeleteResponses = Schema.Array(Image.DeleteResponse)
const SearchResults = Schema.Array(Registry.SearchResult)

/** Filters as a ready map-of-sets, or as `{ term: value | values }`. */
type FiltersInput = Filters.Filters | Filters.Input

/**
 * Options of {@link Service.list} (`GET /images/json`, `ImageList`).
 *
 * @category models
 * @since 0.1.0
 */
export interface ListOptions {
  /** Also list intermediate images. */
  readonly all?: boolean | undefined
  /** `dangling`, `label`, `before`, `since`, `reference`, `until` (not on Engine 20.10). */
  readonly filters?: FiltersInput | undefined
  /** Compute `SharedSize` (otherwise -1). API 1.42. */
  readonly sharedSize?: boolean | undefined
  /** Documented by the API; daemons ignore it and always send `RepoDigests`. */
  readonly digests?: boolean | undefined
  /** Add `Manifests` to each summary (containerd store). API 1.47. */
  readonly manifests?: boolean | undefined
  /** Add each manifest's `ImageData.Identity`; implies `manifests`. API 1.54. */
  readonly identity?: boolean | undefined
}

/**
 * Options of {@link Service.inspect} (`ImageInspect`).
 *
 * @category models
 * @since 0.1.0
 */
export interface InspectOptions {
  /** Add `Manifests` (containerd store). API 1.48. Cannot be combined with `platform`. */
  readonly manifests?: boolean | undefined
  /** Inspect one platform of a multi-platform image. API 1.49. */
  readonly platform?: Oci.Platform | undefined
}

/**
 * Options of {@link Service.history} (`ImageHistory`).
 *
 * @category models
 * @since 0.1.0
 */
export interface HistoryOptions {
  /** The platform whose history to show. API 1.48. */
  readonly platform?: Oci.Platform | undefined
}

/**
 * Options of {@link Service.remove} (`ImageDelete`).
 *
 * @category models
 * @since 0.1.0
 */
export interface RemoveOptions {
  /** Remove even if several tags point to the image or a stopped container uses it. */
  readonly force?: boolean | undefined
  /** Keep untagged parent images (docker's `--no-prune`). */
  readonly noPrune?: boolean | undefined
  /** Remove only these platforms' content. API 1.50. */
  readonly platforms?: ReadonlyArray<Oci.Platform> | undefined
}

/**
 * Options of {@link Service.prune} (`ImagePrune`).
 *
 * @category models
 * @since 0.1.0
 */
export interface PruneOptions {
  /** `dangling` (`true` by default on the daemon: only untagged images), `until`, `label`, `label!`. */
  readonly filters?: FiltersInput | undefined
}

/**
 * Options of {@link Service.search} (`ImageSearch`).
 *
 * @category models
 * @since 0.1.0
 */
export interface SearchOptions {
  /** At most this many results (1 – 100; the daemon's default is 25). */
  readonly limit?: number | undefined
  /** `is-official`, `stars`, `is-automated` (deprecated). */
  readonly filters?: FiltersInput | undefined
  /** Credentials for the registry searched. */
  readonly auth?: Registry.AuthConfig | undefined
}

/**
 * Options of {@link Service.pull} (`ImageCreate` with `fromImage`).
 *
 * @category models
 * @since 0.1.0
 */
export interface PullOptions {
  /** Pull every tag of the repository (the reference must have no tag or digest). */
  readonly all?: boolean | undefined
  /** The platform to pull, e.g. `{ os: "linux", architecture: "arm64", variant: "v8" }`. */
  readonly platform?: Oci.Platform | undefined
  /** Credentials for the registry. */
  readonly auth?: Registry.AuthConfig | undefined
}

/**
 * Options of {@link Service.push} (`ImagePush`).
 *
 * @category models
 * @since 0.1.0
 */
export interface PushOptions {
  /** Push every local tag of the repository (the reference must have no tag). */
  readonly all?: boolean | undefined
  /** Push only this platform's manifest. API 1.46. */
  readonly platform?: Oci.Platform | undefined
  /** Credentials for the registry (anonymous when absent: `e30=` is sent, which Engine 20.10 needs). */
  readonly auth?: Registry.AuthConfig | undefined
}

/**
 * Options of {@link Service.save} (`ImageGetAll`).
 *
 * @category models
 * @since 0.1.0
 */
export interface SaveOptions {
  /** Export only these platforms. API 1.48 (more than one: 1.52). */
  readonly platforms?: ReadonlyArray<Oci.Platform> | undefined
}

/**
 * Options of {@link Service.load} (`ImageLoad`).
 *
 * @category models
 * @since 0.1.0
 */
export interface LoadOptions {
  /** Suppress progress lines (sent explicitly: the daemon's default is quiet). */
  readonly quiet?: boolean | undefined
  /** Load only these platforms. API 1.48 (more than one: 1.52). */
  readonly platforms?: ReadonlyArray<Oci.Platform> | undefined
}

/**
 * Where {@link Service.import} reads the root filesystem: a tar byte stream (optionally compressed), or a URL the
 * daemon downloads.
 *
 * @category models
 * @since 0.1.0
 */
export type ImportSource =
  | { readonly _tag: "Stream"; readonly stream: Stream.Stream<Uint8Array, DockerError.DockerError> }
  | { readonly _tag: "Url"; readonly url: string }

/**
 * Options of {@link Service.import} (`ImageCreate` with `fromSrc`).
 *
 * @category models
 * @since 0.1.0
 */
export interface ImportOptions {
  /** The name of the new image, `repo[:tag]`. */
  readonly reference?: string | undefined
  /** The commit message (default `Imported from <source>`). */
  readonly message?: string | undefined
  /** Dockerfile instructions to apply: `CMD`, `ENTRYPOINT`, `ENV`, `EXPOSE`, `ONBUILD`, `USER`, `VOLUME`, `WORKDIR`. */
  readonly changes?: ReadonlyArray<string> | undefined
  /** The image's platform (OS and architecture). */
  readonly platform?: Oci.Platform | undefined
}

/**
 * Where a BuildKit build exports its result (`outputs`, Go's `build.ImageBuildOutput`): `moby` (the default, an
 * image in the engine's store), `image`, `cacheonly`, `local`, `tar`, `oci`, `docker`, with the exporter's
 * attributes.
 *
 * @category models
 * @since 0.1.0
 */
export interface BuildOutput {
  readonly type: string
  readonly attrs?: Readonly<Record<string, string>> | undefined
}

/**
 * Options of {@link Service.build} (`ImageBuild`). `version` picks the builder: `"1"` the classic builder (the
 * default, as the Go client's), `"2"` BuildKit (Engine 23+ on Linux; `System.ping`'s `builderVersion` says which one
 * the daemon prefers). The options marked "classic builder" are refused with BuildKit, `outputs` with the classic
 * builder: the daemon would ignore them.
 *
 * @category models
 * @since 0.1.0
 */
export interface BuildOptions {
  /** `"1"` the classic builder (default), `"2"` BuildKit. */
  readonly version?: "1" | "2" | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  /** The Dockerfile's path inside the context (default `Dockerfile`). */
  readonly dockerfile?: string | undefined
  /** `null` means "named but not set". */
  readonly buildArgs?: Readonly<Record<string, string | null>> | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** The stage to build. */
  readonly target?: string | undefined
  readonly platform?: Oci.Platform | undefined
  readonly noCache?: boolean | undefined
  /** Always try to pull newer base images. */
  readonly pull?: boolean | undefined
  /** Remove intermediate containers after a successful build (the daemon's default is true). Classic builder. */
  readonly remove?: boolean | undefined
  /** Always remove intermediate containers. Classic builder. */
  readonly forceRemove?: boolean | undefined
  /** Print only the image ID. Classic builder. */
  readonly quiet?: boolean | undefined
  /** BuildKit takes `default`, `host` and `none`. */
  readonly networkMode?: string | undefined
  /** `host:ip` entries for `/etc/hosts`. */
  readonly extraHosts?: ReadonlyArray<string> | undefined
  readonly cacheFrom?: ReadonlyArray<string> | undefined
  readonly shmSize?: number | undefined
  /** The options from here to `securityOpt`: classic builder. */
  readonly memory?: number | undefined
  readonly memorySwap?: number | undefined
  readonly cpuShares?: number | undefined
  readonly cpuPeriod?: number | undefined
  readonly cpuQuota?: number | undefined
  readonly cpuSetCpus?: string | undefined
  readonly cpuSetMems?: string | undefined
  readonly cgroupParent?: string | undefined
  readonly squash?: boolean | undefined
  readonly isolation?: string | undefined
  readonly securityOpt?: ReadonlyArray<string> | undefined
  readonly ulimits?: ReadonlyArray<{ readonly Name: string; readonly Hard: number; readonly Soft: number }> | undefined
  /** Where BuildKit exports the result; one output at most. BuildKit. */
  readonly outputs?: ReadonlyArray<BuildOutput> | undefined
  /** A Git URL, tarball URL or Dockerfile URL to build from instead of the context stream. */
  readonly remote?: string | undefined
  /** A handle for cancelling the build (`POST /build/cancel`). */
  readonly buildId?: string | undefined
  /** Credentials for every registry the build may pull from, keyed by registry host. */
  readonly authConfigs?: Readonly<Record<string, Registry.AuthConfig>> | undefined
  /**
   * Build through a BuildKit session (as `docker buildx build`): the daemon reads the context directory and the
   * Dockerfile from disk through it (the `context` stream is not read), asks for `secrets` and for registry
   * credentials (from the `Credentials` service). BuildKit only; not with `remote`. Node and Deno; on Bun it fails
   * with a `WrongRuntime` reason. See {@link BuildSession}.
   */
  readonly session?: BuildSession.Options | undefined
}

/**
 * Options of {@link Service.buildCachePrune} (`BuildPrune`).
 *
 * @category models
 * @since 0.1.0
 */
export interface BuildCachePruneOptions {
  /** Remove all unused build cache, not only dangling entries. */
  readonly all?: boolean | undefined
  /** Bytes of cache to keep (`keep-storage` before API 1.48, `reserved-space` from it). */
  readonly reservedSpace?: number | undefined
  /** Prune down to this many bytes of cache. API 1.48. */
  readonly maxUsedSpace?: number | undefined
  /** Keep at least this many bytes free on disk. API 1.48. */
  readonly minFreeSpace?: number | undefined
  readonly filters?: FiltersInput | undefined
}

/**
 * Options of {@link Service.commit} (`ImageCommit`).
 *
 * @category models
 * @since 0.1.0
 */
export interface CommitOptions {
  /** The new image's name, `repo[:tag]`. */
  readonly reference?: string | undefined
  readonly comment?: string | undefined
  readonly author?: string | undefined
  /** Dockerfile instructions to apply. */
  readonly changes?: ReadonlyArray<string> | undefined
  /** Pause the container while committing (the daemon's default is true). */
  readonly pause?: boolean | undefined
  /** A container config to merge into the image's. */
  readonly config?: Container.Config | undefined
}

/**
 * Options of {@link Service.distributionInspect} (`DistributionInspect`).
 *
 * @category models
 * @since 0.1.0
 */
export interface DistributionInspectOptions {
  readonly auth?: Registry.AuthConfig | undefined
}

/**
 * The image operations.
 *
 * @category models
 * @since 0.1.0
 */
export interface Service {
  /** Lists images. */
  readonly list: (options?: ListOptions) => Effect.Effect<ReadonlyArray<Image.Summary>, DockerError.DockerError>
  /** Inspects an image by name or id. */
  readonly inspect: (
    name: string,
    options?: InspectOptions
  ) => Effect.Effect<Image.InspectResponse, DockerError.DockerError>
  /** Inspects an image and gives the daemon's JSON text as sent, fields newer than the models included. */
  readonly inspectRaw: (name: string, options?: InspectOptions) => Effect.Effect<string, DockerError.DockerError>
  /** The layers an image was built from, newest first; empty for an image whose config has no history. */
  readonly history: (
    name: string,
    options?: HistoryOptions
  ) => Effect.Effect<ReadonlyArray<Image.HistoryResponseItem>, DockerError.DockerError>
  /** Gives `source` the name `target` (`repo[:tag]`, `latest` by default). */
  readonly tag: (source: string, target: string) => Effect.Effect<void, DockerError.DockerError>
  /** Removes an image or untags a name. */
  readonly remove: (
    name: string,
    options?: RemoveOptions
  ) => Effect.Effect<ReadonlyArray<Image.DeleteResponse>, DockerError.DockerError>
  /** Removes unused images. */
  readonly prune: (options?: PruneOptions) => Effect.Effect<Image.PruneReport, DockerError.DockerError>
  /** Searches a registry. */
  readonly search: (
    term: string,
    options?: SearchOptions
  ) => Effect.Effect<ReadonlyArray<Registry.SearchResult>, DockerError.DockerError>
  /** Pulls an image (`busybox` means `docker.io/library/busybox:latest`). */
  readonly pull: (reference: string, options?: PullOptions) => Progress.Progress
  /** Pushes an image (or, with `all`, every tag of a repository) to its registry. */
  readonly push: (reference: string, options?: PushOptions) => Progress.Progress
  /** Exports images as a tar stream (nothing is buffered: memory stays flat whatever the size). */
  readonly save: (
    names: ReadonlyArray<string>,
    options?: SaveOptions
  ) => Stream.Stream<Uint8Array, DockerError.DockerError>
  /** Loads images from a tar stream made by `save`. */
  readonly load: (
    tar: Stream.Stream<Uint8Array, DockerError.DockerError>,
    options?: LoadOptions
  ) => Progress.Progress
  /** Creates an image from a root filesystem tar. */
  readonly import: (source: ImportSource, options?: ImportOptions) => Progress.Progress
  /** Builds an image from a tar'ed context, with the classic builder or BuildKit (`version: "2"`). */
  readonly build: (
    context: Stream.Stream<Uint8Array, DockerError.DockerError>,
    options?: BuildOptions
  ) => Progress.Progress
  /**
   * Cancels a running build by the `buildId` it was started with (`POST /build/cancel`): the daemon stops the build
   * and ends its progress stream with what it reports last (with BuildKit, the running steps as cancelled) and a
   * `context canceled` error. An id the daemon does not know is not an error.
   */
  readonly buildCancel: (buildId: string) => Effect.Effect<void, DockerError.DockerError>
  /** Removes build cache. */
  readonly buildCachePrune: (
    options?: BuildCachePruneOptions
  ) => Effect.Effect<Build.CachePruneReport, DockerError.DockerError>
  /** Makes an image from a container's changes. */
  readonly commit: (
    container: string,
    options?: CommitOptions
  ) => Effect.Effect<Common.IDResponse, DockerError.DockerError>
  /** Asks the registry about an image: its manifest descriptor and platforms. */
  readonly distributionInspect: (
    reference: string,
    options?: DistributionInspectOptions
  ) => Effect.Effect<Registry.DistributionInspect, DockerError.DockerError>
}

/**
 * The image operations service.
 *
 * @category services
 * @since 0.1.0
 */
export class Images extends Context.Service<Images, Service>()("@dockhand/client/Images") {}

const filtersParam = (filters: FiltersInput | undefined): string | undefined => {
  if (filters === undefined) return undefined
  const values = Object.values(filters)
  const isSets = values.every((v) => v !== null && typeof v === "object" && !Array.isArray(v))
  return Filters.encode(isSets ? (filters as Filters.Filters) : Filters.make(filters as Filters.Input))
}

const authHeader = (auth: Registry.AuthConfig | undefined) =>
  auth === undefined ? RegistryAuth.empty : RegistryAuth.encode(auth)

const platformsJson = (platforms: ReadonlyArray<Oci.Platform> | undefined): ReadonlyArray<string> | undefined => {
  if (platforms === undefined || platforms.length === 0) return undefined
  return [...new Set(platforms.map(Platform.toQueryJson))]
}

/** The registry a search term goes to: `host/...` when the first part looks like a host, else Docker Hub. */
const searchRegistry = (term: string): string => {
  const slash = term.indexOf("/")
  const first = slash === -1 ? "" : term.slice(0, slash)
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : "docker.io"
}

/** Requires API `required` for `option` when `used`. */
const gate = (operation: string, version: string, checks: ReadonlyArray<readonly [boolean, string, string]>) =>
  Effect.forEach(
    checks,
    ([used, option, required]) => used ? ApiVersion.require(operation, option, required, version) : Effect.void,
    { discard: true }
  )

/**
 * Builds the service over the engine connection.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.gen(function*() {
  const engine = yield* DockerEngine
  const host = engine.host
  const credentials = yield* Effect.serviceOption(Credentials.Credentials)
  const dialer = yield* Effect.serviceOption(BuildSession.SessionDialer)

  /**
   * The caller's credentials, else (with a `Credentials` service) the stored ones for `registry`, like the CLI.
   * Stored credentials that cannot be had (a `credHelpers` program that is missing or fails) are none, with a
   * warning logged: the docker CLI goes on without them too.
   */
  const authFor = (explicit: Registry.AuthConfig | undefined, registry: string) =>
    explicit !== undefined || Option.isNone(credentials)
      ? Effect.succeed(explicit)
      : credentials.value.get(registry).pipe(
        Effect.map(Option.getOrUndefined),
        Effect.catch((error) =>
          Effect.logWarning(`Failed to get credentials for registry: ${registry}: ${error.message}`).pipe(
            Effect.as(undefined)
          )
        )
      )

  const list = Effect.fn("Images.list")(function*(options: ListOptions = {}) {
    const call = { operation: "ImageList" }
    const version = yield* engine.apiVersion
    yield* gate(call.operation, version, [
      [options.sharedSize === true, "shared-size", "1.42"],
      [options.manifests === true, "manifests", "1.47"],
      [options.identity === true, "identity", "1.54"]
    ])
    const request = HttpClientRequest.get("/images/json").pipe(Request.withQuery({
      all: Request.flag(options.all),
      filters: filtersParam(options.filters),
      "shared-size": Request.flag(options.sharedSize),
      digests: Request.flag(options.digests),
      manifests: Request.flag(options.manifests || options.identity),
      identity: Request.flag(options.identity)
    }))
    return yield* engine.execute(call, request).pipe(Effect.flatMap(Request.json(Summaries, call, host)))
  })

  const inspectRequest = Effect.fnUntraced(function*(name: string, options: InspectOptions) {
    const call = { operation: "ImageInspect", reference: name }
    if (name === "") return yield* Request.invalid(call.operation, "image name cannot be empty")
    if (options.manifests === true && options.platform !== undefined) {
      return yield* Request.invalid(call.operation, "manifests and platform cannot be used together")
    }
    const version = yield* engine.apiVersion
    yield* gate(call.operation, version, [
      [options.manifests === true, "manifests", "1.48"],
      [options.platform !== undefined, "platform", "1.49"]
    ])
    const path = yield* Request.pathName(call.operation, name)
    const request = HttpClientRequest.get(`/images/${path}/json`).pipe(Request.withQuery({
      manifests: Request.flag(options.manifests),
      platform: options.platform === undefined ? undefined : Platform.toQueryJson(options.platform)
    }))
    return { call, response: yield* engine.execute(call, request) }
  })

  const inspect = Effect.fn("Images.inspect")(function*(name: string, options: InspectOptions = {}) {
    const { call, response } = yield* inspectRequest(name, options)
    return yield* Request.json(Image.InspectResponse, call, host)(response)
  })

  const inspectRaw = Effect.fn("Images.inspectRaw")(function*(name: string, options: InspectOptions = {}) {
    const { call, response } = yield* inspectRequest(name, options)
    return yield* Request.text(call, host)(response)
  })

  const history = Effect.fn("Images.history")(function*(name: string, options: HistoryOptions = {}) {
    const call = { operation: "ImageHistory", reference: name }
    if (name === "") return yield* Request.invalid(call.operation, "image name cannot be empty")
    const version = yield* engine.apiVersion
    yield* gate(call.operation, version, [[options.platform !== undefined, "platform", "1.48"]])
    const path = yield* Request.pathName(call.operation, name)
    const request = HttpClientRequest.get(`/images/${path}/history`).pipe(Request.withQuery({
      platform: options.platform === undefined ? undefined : Platform.toQueryJson(options.platform)
    }))
    const items = yield* engine.execute(call, request).pipe(
      Effect.flatMap(Request.json(HistoryItems, call, host))
    )
    return items ?? []
  })

  const tag = Effect.fn("Images.tag")(function*(source: string, target: string) {
    const call = { operation: "ImageTag", reference: source }
    yield* Reference.parseAny(call.operation, source)
    const ref = yield* Reference.parseNamed(call.operation, target)
    if (ref.digest !== undefined) {
      return yield* Request.invalid(call.operation, "refusing to create a tag with a digest reference")
    }
    const path = yield* Request.pathName(call.operation, source)
    const request = HttpClientRequest.post(`/images/${path}/tag`).pipe(Request.withQuery({
      repo: ref.familiarName,
      tag: ref.tag ?? "latest"
    }))
    yield* engine.execute(call, request)
  })

  const remove = Effect.fn("Images.remove")(function*(name: string, options: RemoveOptions = {}) {
    const call = { operation: "ImageDelete", reference: name }
    if (name === "") return yield* Request.invalid(call.operation, "image name cannot be empty")
    const version = yield* engine.apiVersion
    yield* gate(call.operation, version, [[(options.platforms?.length ?? 0) > 0, "platforms", "1.50"]])
    const path = yield* Request.pathName(call.operation, name)
    const request = HttpClientRequest.delete(`/images/${path}`).pipe(Request.withQuery({
      force: Request.flag(options.force),
      noprune: Request.flag(options.noPrune),
      platforms: platformsJson(options.platforms)
    }))
    return yield* engine.execute(call, request).pipe(
      Effect.flatMap(Request.json(DeleteResponses, call, host))
    )
  })

  const prune = Effect.fn("Images.prune")(function*(options: PruneOptions = {}) {
    const call = { operation: "ImagePrune" }
    const request = HttpClientRequest.post("/images/prune").pipe(
      Request.withQuery({ filters: filtersParam(options.filters) })
    )
    return yield* engine.execute(call, request).pipe(Effect.flatMap(Request.json(Image.PruneReport, call, host)))
  })

  const search = Effect.fn("Images.search")(function*(term: string, options: SearchOptions = {}) {
    const call = { operation: "ImageSearch", reference: term }
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 100)) {
      return yield* Request.invalid(call.operation, `invalid limit ${options.limit}: it must be between 1 and 100`)
    }
    const auth = yield* authFor(options.auth, searchRegistry(term))
    const request = HttpClientRequest.get("/images/search").pipe(
      Request.withQuery({ term, limit: options.limit, filters: filtersParam(options.filters) }),
      Request.withSecretHeader("x-registry-auth", authHeader(auth))
    )
    return yield* engine.execute(call, request).pipe(
      Effect.flatMap(Request.json(SearchResults, call, host))
    )
  })

  /** A progress operation: validation and the request happen when the stream runs. */
  const progress = (
    call: { readonly operation: string; readonly reference?: string | undefined },
    request: Effect.Effect<HttpClientRequest.HttpClientRequest, DockerError.DockerError, Scope.Scope>,
    messages: typeof Request.messages = Request.messages
  ) =>
    Progress.make(
      Stream.unwrap(
        request.pipe(
          Effect.flatMap((req) => engine.execute(call, req)),
          Effect.map(messages(call, host))
        )
      ).pipe(Stream.withSpan(`Images.${call.operation}`))
    )

  const pull = (reference: string, options: PullOptions = {}) =>
    progress(
      { operation: "ImageCreate", reference },
      Effect.gen(function*() {
        const ref = yield* Reference.parseNamed("ImageCreate", reference)
        const auth = yield* authFor(options.auth, ref.domain)
        if (options.all === true && (ref.tag !== undefined || ref.digest !== undefined)) {
          return yield* Request.invalid("ImageCreate", "tag can't be used with --all-tags/-a")
        }
        return HttpClientRequest.post("/images/create").pipe(
          Request.withQuery({
            fromImage: ref.name,
            tag: options.all === true ? undefined : ref.digest ?? ref.tag ?? "latest",
            platform: options.platform === undefined ? undefined : Platform.toQueryString(options.platform)
          }),
          Request.withSecretHeader("x-registry-auth", auth === undefined ? undefined : RegistryAuth.encode(auth))
        )
      })
    )

  const push = (reference: string, options: PushOptions = {}) =>
    progress(
      { operation: "ImagePush", reference },
      Effect.gen(function*() {
        const ref = yield* Reference.parseNamed("ImagePush", reference)
        const auth = yield* authFor(options.auth, ref.domain)
        if (ref.digest !== undefined) {
          return yield* Request.invalid("ImagePush", "cannot push a digest reference")
        }
        if (options.all === true && ref.tag !== undefined) {
          return yield* Request.invalid("ImagePush", "tag can't be used with --all-tags/-a")
        }
        const version = yield* engine.apiVersion
        yield* gate("ImagePush", version, [[options.platform !== undefined, "platform", "1.46"]])
        const path = yield* Request.pathName("ImagePush", ref.name)
        return HttpClientRequest.post(`/images/${path}/push`).pipe(
          Request.withQuery({
            tag: options.all === true ? undefined : ref.tag ?? "latest",
            platform: options.platform === undefined ? undefined : Platform.toQueryJson(options.platform)
          }),
          Request.withSecretHeader("x-registry-auth", authHeader(auth))
        )
      })
    )

  const platformsGate = (operation: string, version: string, platforms: ReadonlyArray<Oci.Platform> | undefined) =>
    gate(operation, version, [
      [(platforms?.length ?? 0) > 0, "platform", "1.48"],
      [(platforms?.length ?? 0) > 1, "multiple platforms", "1.52"]
    ])

  const save = (names: ReadonlyArray<string>, options: SaveOptions = {}) => {
    const call = { operation: "ImageGetAll", reference: names.join(", ") }
    // `AtomicFile.write` given this very stream provides its file as `WriteInto`: passed on to the archive's request
    // alone (not to a version negotiation), for a transport that writes the answer into the file itself (Bun's).
    return WriteInto.mark(
      Stream.unwrap(Effect.flatMap(Effect.service(WriteInto.WriteInto), (into) =>
        Effect.gen(function*() {
          if (names.length === 0) return yield* Request.invalid(call.operation, "at least one image name is required")
          const version = yield* engine.apiVersion
          yield* platformsGate(call.operation, version, options.platforms)
          const request = HttpClientRequest.get("/images/get").pipe(
            Request.withQuery({ names, platform: platformsJson(options.platforms) })
          )
          const response = yield* engine.execute(call, request).pipe(Effect.provideService(WriteInto.WriteInto, into))
          return Request.bytes(call, host)(response)
        }).pipe(Effect.provideService(WriteInto.WriteInto, undefined)))).pipe(Stream.withSpan("Images.save"))
    )
  }

  const load = (tar: Stream.Stream<Uint8Array, DockerError.DockerError>, options: LoadOptions = {}) =>
    progress(
      { operation: "ImageLoad" },
      Effect.gen(function*() {
        const version = yield* engine.apiVersion
        yield* platformsGate("ImageLoad", version, options.platforms)
        return HttpClientRequest.post("/images/load").pipe(
          Request.withQuery({ quiet: options.quiet === true ? "1" : "0", platform: platformsJson(options.platforms) }),
          HttpClientRequest.bodyStream(tar, { contentType: "application/x-tar" })
        )
      })
    )

  const importImage = (source: ImportSource, options: ImportOptions = {}) =>
    progress(
      { operation: "ImageCreate", reference: options.reference },
      Effect.gen(function*() {
        const ref = options.reference === undefined || options.reference === ""
          ? undefined
          : yield* Reference.parseNamed("ImageCreate", options.reference)
        if (ref?.digest !== undefined) {
          return yield* Request.invalid("ImageCreate", "cannot import to a digest reference")
        }
        const request = HttpClientRequest.post("/images/create").pipe(Request.withQuery({
          fromSrc: source._tag === "Url" ? source.url : "-",
          // The whole reference goes in `repo`, as the Go client sends it: Podman ignores a separate `tag`.
          repo: ref === undefined
            ? undefined
            : ref.tag === undefined
            ? ref.familiarName
            : `${ref.familiarName}:${ref.tag}`,
          message: options.message,
          changes: options.changes,
          platform: options.platform === undefined ? undefined : Platform.toQueryString(options.platform)
        }))
        return source._tag === "Url"
          ? request
          : HttpClientRequest.bodyStream(request, source.stream, { contentType: "application/x-tar" })
      })
    )

  const jsonParam = (value: unknown): string | undefined => value === undefined ? undefined : JSON.stringify(value)

  /** The options only the classic builder honours, by the name the daemon's query gives them. */
  const classicOnly = (options: BuildOptions): ReadonlyArray<readonly [boolean, string]> => [
    [options.quiet === true, "q"],
    [options.remove === false, "rm"],
    [options.forceRemove === true, "forcerm"],
    [options.memory !== undefined, "memory"],
    [options.memorySwap !== undefined, "memswap"],
    [options.cpuShares !== undefined, "cpushares"],
    [options.cpuPeriod !== undefined, "cpuperiod"],
    [options.cpuQuota !== undefined, "cpuquota"],
    [options.cpuSetCpus !== undefined, "cpusetcpus"],
    [options.cpuSetMems !== undefined, "cpusetmems"],
    [options.cgroupParent !== undefined, "cgroupparent"],
    [options.squash === true, "squash"],
    [options.isolation !== undefined, "isolation"],
    [(options.securityOpt?.length ?? 0) > 0, "securityopt"]
  ]

  /** Opens the build's session (BuildKit only, not with `remote`), for as long as the progress stream runs. */
  const openSession = (session: BuildSession.Options, options: BuildOptions) =>
    Effect.gen(function*() {
      if (options.version !== "2") {
        return yield* Request.invalid("ImageBuild", "a session needs the BuildKit builder (version 2)")
      }
      if (options.remote !== undefined) {
        return yield* Request.invalid("ImageBuild", "a session serves a local context: it cannot be used with remote")
      }
      if (Option.isNone(dialer)) {
        return yield* Request.invalid(
          "ImageBuild",
          "a session needs a connection of the runtime entry (@dockhand/client/node or /deno layers)"
        )
      }
      return yield* BuildSession.open(dialer.value, yield* engine.apiVersion, session, credentials)
    })

  const build = (context: Stream.Stream<Uint8Array, DockerError.DockerError>, options: BuildOptions = {}) =>
    progress(
      { operation: "ImageBuild", reference: options.tags?.[0] },
      Effect.gen(function*() {
        const buildkit = options.version === "2"
        if (options.version !== undefined && options.version !== "1" && !buildkit) {
          return yield* Request.invalid("ImageBuild", `invalid builder version ${JSON.stringify(options.version)}`)
        }
        if (buildkit) {
          const unsupported = classicOnly(options).filter(([used]) => used).map(([, name]) => name)
          if (unsupported.length > 0) {
            return yield* Request.invalid(
              "ImageBuild",
              `the BuildKit builder does not support ${unsupported.join(", ")} (the classic builder's options)`
            )
          }
          if ((options.outputs?.length ?? 0) > 1) {
            return yield* Request.invalid("ImageBuild", "multiple outputs not supported")
          }
        } else if (options.outputs !== undefined && options.outputs.length > 0) {
          return yield* Request.invalid("ImageBuild", "outputs need the BuildKit builder (version 2)")
        }
        for (const tag of options.tags ?? []) yield* Reference.parseNamed("ImageBuild", tag)
        const session = options.session === undefined ? undefined : yield* openSession(options.session, options)
        const authConfigs = options.authConfigs !== undefined || Option.isNone(credentials)
          ? options.authConfigs
          : yield* credentials.value.all()
        const request = HttpClientRequest.post("/build").pipe(
          Request.withQuery({
            t: options.tags,
            dockerfile: session === undefined ? options.dockerfile : session.dockerfileName,
            q: Request.flag(options.quiet),
            remote: session === undefined ? options.remote : "client-session",
            session: session?.id,
            nocache: Request.flag(options.noCache),
            pull: Request.flag(options.pull),
            rm: options.remove === false ? "0" : undefined,
            forcerm: Request.flag(options.forceRemove),
            memory: options.memory,
            memswap: options.memorySwap,
            cpushares: options.cpuShares,
            cpuperiod: options.cpuPeriod,
            cpuquota: options.cpuQuota,
            cpusetcpus: options.cpuSetCpus,
            cpusetmems: options.cpuSetMems,
            cgroupparent: options.cgroupParent,
            shmsize: options.shmSize,
            squash: Request.flag(options.squash),
            isolation: options.isolation,
            securityopt: options.securityOpt,
            extrahosts: options.extraHosts,
            networkmode: options.networkMode === "default" ? undefined : options.networkMode,
            buildargs: jsonParam(options.buildArgs),
            labels: jsonParam(options.labels),
            cachefrom: jsonParam(options.cacheFrom),
            ulimits: jsonParam(options.ulimits),
            target: options.target,
            platform: options.platform === undefined ? undefined : Platform.toQueryString(options.platform),
            buildid: options.buildId,
            outputs: options.outputs === undefined || options.outputs.length === 0
              ? undefined
              : JSON.stringify(options.outputs.map((output) => ({ Type: output.type, Attrs: output.attrs ?? {} }))),
            version: buildkit ? "2" : "1"
          }),
          Request.withSecretHeader(
            "x-registry-config",
            authConfigs === undefined ? undefined : RegistryAuth.encodeConfig(authConfigs)
          )
        )
        return options.remote !== undefined || session !== undefined
          ? request
          : HttpClientRequest.bodyStream(request, context, { contentType: "application/x-tar" })
      }),
      options.version === "2" ? Request.buildkitMessages : Request.messages
    )

  const buildCancel = Effect.fn("Images.buildCancel")(function*(buildId: string) {
    const request = HttpClientRequest.post("/build/cancel").pipe(Request.withQuery({ id: buildId }))
    yield* engine.execute({ operation: "BuildCancel" }, request)
  })

  const buildCachePrune = Effect.fn("Images.buildCachePrune")(function*(options: BuildCachePruneOptions = {}) {
    const call = { operation: "BuildPrune" }
    const version = yield* engine.apiVersion
    yield* gate(call.operation, version, [
      [options.maxUsedSpace !== undefined, "max-used-space", "1.48"],
      [options.minFreeSpace !== undefined, "min-free-space", "1.48"]
    ])
    const reservedKey = ApiVersion.atLeast(version, "1.48") ? "reserved-space" : "keep-storage"
    const request = HttpClientRequest.post("/build/prune").pipe(Request.withQuery({
      all: Request.flag(options.all),
      [reservedKey]: options.reservedSpace,
      "max-used-space": options.maxUsedSpace,
      "min-free-space": options.minFreeSpace,
      filters: filtersParam(options.filters)
    }))
    return yield* engine.execute(call, request).pipe(Effect.flatMap(Request.json(Build.CachePruneReport, call, host)))
  })

  const commit = Effect.fn("Images.commit")(function*(container: string, options: CommitOptions = {}) {
    const call = { operation: "ImageCommit", reference: options.reference }
    const ref = options.reference === undefined || options.reference === ""
      ? undefined
      : yield* Reference.parseNamed(call.operation, options.reference)
    if (ref?.digest !== undefined) {
      return yield* Request.invalid(call.operation, "refusing to create a tag with a digest reference")
    }
    let request = HttpClientRequest.post("/commit").pipe(Request.withQuery({
      container,
      repo: ref?.familiarName ?? "",
      tag: ref === undefined ? "" : ref.tag ?? "",
      comment: options.comment ?? "",
      author: options.author ?? "",
      changes: options.changes,
      pause: options.pause === false ? "0" : undefined
    }))
    if (options.config !== undefined) {
      const body = yield* WireJson.encode(Container.Config, { newline: false })(options.config).pipe(
        Effect.mapError((error) => Request.invalidError(call.operation, `invalid container config: ${error.message}`))
      )
      request = HttpClientRequest.bodyText(request, body, "application/json")
    }
    return yield* engine.execute(call, request).pipe(Effect.flatMap(Request.json(Common.IDResponse, call, host)))
  })

  const distributionInspect = Effect.fn("Images.distributionInspect")(function*(
    reference: string,
    options: DistributionInspectOptions = {}
  ) {
    const call = { operation: "DistributionInspect", reference }
    const ref = yield* Reference.parseNamed(call.operation, reference)
    const auth = yield* authFor(options.auth, ref.domain)
    const path = yield* Request.pathName(call.operation, reference)
    const request = HttpClientRequest.get(`/distribution/${path}/json`).pipe(
      Request.withSecretHeader("x-registry-auth", auth === undefined ? undefined : RegistryAuth.encode(auth))
    )
    return yield* engine.execute(call, request).pipe(
      Effect.flatMap(Request.json(Registry.DistributionInspect, call, host))
    )
  })

  return Images.of({
    list,
    inspect,
    inspectRaw,
    history,
    tag,
    remove,
    prune,
    search,
    pull,
    push,
    save,
    load,
    import: importImage,
    build,
    buildCancel,
    buildCachePrune,
    commit,
    distributionInspect
  })
})

/**
 * A layer with the `Images` service, given the engine connection.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<Images, never, DockerEngine> = Layer.effect(Images, make)
