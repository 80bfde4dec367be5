/**
 * The `SystemApi` service: the engine-wide calls an image client needs: ping, version, registry login (`/auth`) and
 * the image part of disk usage.
 *
 * @since 0.1.0
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import { Image, Registry, System } from "@dockhand/models"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as ApiVersion from "./ApiVersion.ts"
import { DockerEngine, type PingResult } from "./DockerEngine.ts"
import type * as DockerError from "./DockerError.ts"
import * as Request from "./internal/request.ts"

/**
 * Options of {@link Service.diskUsage} (`SystemDataUsage`).
 *
 * @category models
 * @since 0.1.0
 */
export interface DiskUsageOptions {
  /** Compute only these kinds of object. API 1.42. */
  readonly types?: ReadonlyArray<"container" | "image" | "volume" | "build-cache"> | undefined
  /** Include the per-object `Items`. API 1.52. */
  readonly verbose?: boolean | undefined
}

/**
 * The image part of disk usage in one shape whatever the API version: for API < 1.52 the totals are worked out
 * from the old answer as the Go client does (an image is active when a container uses it; reclaimable space is
 * `Size - SharedSize` of the unused ones).
 *
 * @category models
 * @since 0.1.0
 */
export interface ImagesDiskUsage {
  readonly activeCount: number
  readonly totalCount: number
  readonly reclaimable: number
  readonly totalSize: number
  readonly items: ReadonlyArray<Image.Summary>
}

/**
 * The answer of {@link Service.diskUsage}: the daemon's JSON as decoded, and the image part summed up.
 *
 * @category models
 * @since 0.1.0
 */
export interface DiskUsageResult {
  readonly raw: System.DiskUsage
  readonly images: ImagesDiskUsage
}

/**
 * The system operations.
 *
 * @category models
 * @since 0.1.0
 */
export interface Service {
  /** Pings the daemon and reads what its headers say (API version, OS, builder, swarm state). */
  readonly ping: Effect.Effect<PingResult, DockerError.DockerError>
  /** The daemon's version and components (`GET /version`). */
  readonly version: Effect.Effect<System.VersionResponse, DockerError.DockerError>
  /** Checks credentials with a registry through the daemon (`POST /auth`). */
  readonly login: (auth: Registry.AuthConfig) => Effect.Effect<Registry.AuthResponse, DockerError.DockerError>
  /** Disk usage (`GET /system/df`), with the image part summed up. */
  readonly diskUsage: (options?: DiskUsageOptions) => Effect.Effect<DiskUsageResult, DockerError.DockerError>
  /** The API version in use (negotiated on first use). */
  readonly apiVersion: Effect.Effect<string, DockerError.DockerError>
  /** Where the engine is, as a host string. */
  readonly host: string
}

/**
 * The system operations service.
 *
 * @category services
 * @since 0.1.0
 */
export class SystemApi extends Context.Service<SystemApi, Service>()("@dockhand/client/SystemApi") {}

/**
 * Sums up the image part of a disk-usage answer, whichever shape it has.
 *
 * @category utils
 * @since 0.1.0
 */
export const imagesDiskUsage = (raw: System.DiskUsage): ImagesDiskUsage => {
  if (raw.ImageUsage !== undefined) {
    return {
      activeCount: raw.ImageUsage.ActiveCount ?? 0,
      totalCount: raw.ImageUsage.TotalCount ?? 0,
      reclaimable: raw.ImageUsage.Reclaimable ?? 0,
      totalSize: raw.ImageUsage.TotalSize ?? 0,
      items: raw.ImageUsage.Items ?? raw.Images ?? []
    }
  }
  const items = raw.Images ?? []
  let active = 0
  let reclaimable = 0
  for (const image of items) {
    if (image.Containers > 0) active++
    else reclaimable += image.Size - Math.max(image.SharedSize, 0)
  }
  return { activeCount: active, totalCount: items.length, reclaimable, totalSize: raw.LayersSize ?? 0, items }
}

/**
 * Builds the service over the engine connection.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.gen(function*() {
  const engine = yield* DockerEngine
  const host = engine.host

  const version = Effect.gen(function*() {
    const call = { operation: "SystemVersion" }
    return yield* engine.execute(call, HttpClientRequest.get("/version")).pipe(
      Effect.flatMap(Request.json(System.VersionResponse, call, host))
    )
  }).pipe(Effect.withSpan("SystemApi.version"))

  const login = Effect.fn("SystemApi.login")(function*(auth: Registry.AuthConfig) {
    const call = { operation: "SystemAuth", reference: auth.serveraddress }
    const body = yield* WireJson.encode(Registry.AuthConfig, { newline: false })(auth).pipe(
      Effect.mapError((error) => Request.invalidError(call.operation, `invalid credentials: ${error.message}`))
    )
    const request = HttpClientRequest.post("/auth").pipe(HttpClientRequest.bodyText(body, "application/json"))
    return yield* engine.execute(call, request).pipe(Effect.flatMap(Request.json(Registry.AuthResponse, call, host)))
  })

  const diskUsage = Effect.fn("SystemApi.diskUsage")(function*(options: DiskUsageOptions = {}) {
    const call = { operation: "SystemDataUsage" }
    const apiVersion = yield* engine.apiVersion
    yield* ApiVersion.require(call.operation, "type", "1.42", apiVersion).pipe(
      Effect.when(Effect.succeed((options.types?.length ?? 0) > 0))
    )
    yield* ApiVersion.require(call.operation, "verbose", "1.52", apiVersion).pipe(
      Effect.when(Effect.succeed(options.verbose === true))
    )
    const request = HttpClientRequest.get("/system/df").pipe(
      Request.withQuery({ type: options.types, verbose: Request.flag(options.verbose) })
    )
    const raw = yield* engine.execute(call, request).pipe(
      Effect.flatMap(Request.json(System.DiskUsage, call, host))
    )
    return { raw, images: imagesDiskUsage(raw) }
  })

  return SystemApi.of({ ping: engine.ping, version, login, diskUsage, apiVersion: engine.apiVersion, host })
})

/**
 * A layer with the `SystemApi` service, given the engine connection.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<SystemApi, never, DockerEngine> = Layer.effect(SystemApi, make)
