/**
 * `@dockhand/client/promise`: the image API for programs that do not use Effect. `createClient()` connects where the
 * docker CLI would (the same options and environment as the Effect entries, on Node, Bun or Deno: the runtime's own
 * transport is picked and loaded when the first call runs), and every method returns a promise, a progress handle
 * or a Web stream over the same services, with the same models and the same errors: a failed call rejects with the
 * `DockerError` the Effect API fails with, whose `reason._tag` says what went wrong (`NotFound`, `Conflict`,
 * `StreamError`, `ConnectionError`, …). Every call takes an `AbortSignal` (`{ signal }`): aborting it stops the
 * call, and its promise rejects with the signal's reason.
 *
 * Pull, push, build, load and import give a progress handle: iterate it (`for await`) for the daemon's progress
 * messages, then await `done` for the outcome (or only await `done`, which keeps no messages), or let
 * `render({ out: process.stdout })` print docker's own progress display. Nothing is sent until one of these runs,
 * and each runs the operation once.
 *
 * @example
 * ```ts
 * import { createClient, isDockerError } from "@dockhand/client/promise"
 *
 * await using docker = createClient()
 * for (const image of await docker.images.list()) console.log(image.Id, image.RepoTags)
 * const outcome = await docker.images.pull("busybox").render({ out: process.stdout })
 * try {
 *   await docker.images.inspect("no-such-image")
 * } catch (error) {
 *   if (isDockerError(error) && error.reason._tag === "NotFound") console.log("not there")
 * }
 * ```
 *
 * Coming from dockerode or `@docker/node-sdk` (dockerode's methods are on `new Docker()`, the SDK's on its
 * `DockerClient`, these on `createClient()`'s client):
 *
 * | dockerode | `@docker/node-sdk` | `@dockhand/client/promise` |
 * | --- | --- | --- |
 * | `listImages(opts)` | `imageList(opts)` | `images.list(opts)` |
 * | `getImage(name).inspect()` | `imageInspect(name)` | `images.inspect(name, opts)` |
 * | `getImage(name).history()` | `imageHistory(name, opts)` | `images.history(name, opts)` |
 * | `getImage(name).tag({ repo, tag })` | `imageTag(name, { repo, tag })` | `images.tag(name, "repo:tag")` |
 * | `getImage(name).remove(opts)` | `imageDelete(name, opts)` | `images.remove(name, opts)` |
 * | `pruneImages(opts)` | `imagePrune(filters)` | `images.prune(opts)` |
 * | `searchImages(opts)` | — | `images.search(term, opts)` |
 * | `pull(ref)`, then `modem.followProgress` | `imageCreate({ fromImage })` | `images.pull(ref, opts)`: a handle |
 * | `getImage(name).push(opts)` | `imagePush(name, opts)` | `images.push(ref, opts)`: a handle |
 * | `buildImage(tar, opts)` | `imageBuild(tar, opts)` | `images.build(tar, opts)`: a handle |
 * | `loadImage(tar)` | `imageLoad(tar, opts)` | `images.load(tar, opts)`: a handle |
 * | `importImage(tar, opts)` | `imageCreate({ fromSrc })` | `images.import(tar, opts)`: a handle |
 * | `getImage(name).get()` | `imageGet(name, out)` | `images.save(name)`: a `ReadableStream` |
 * | `getImages(names)` | `imageGetAll(names)` | `images.save(names)` |
 * | `modem.followProgress(stream, onEnd, onEach)` | `messages()`, `wait()` | `for await (… of handle)`, `handle.done` |
 * | (no display) | (no display) | `handle.render({ out: process.stdout })`: docker's display |
 * | errors with `statusCode` | errors with a status | `DockerError` with `reason._tag` |
 *
 * Tar inputs (`build`, `load`, `import`) take bytes, a Web `ReadableStream`, a Node `Readable` (such as
 * `fs.createReadStream(path)`) or any (async) iterable of `Uint8Array`. References are docker's (`busybox` means
 * `docker.io/library/busybox:latest`); credentials come from the docker CLI's config unless `auth` is given.
 *
 * @since 0.1.0
 */
import type { Image, JsonMessage, Registry } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Stream from "effect/Stream"
import type { DockerError } from "./DockerError.ts"
import type * as DockerLayers from "./DockerLayers.ts"
import type * as DockerSettings from "./DockerSettings.ts"
import * as Images from "./Images.ts"
import * as Bridge from "./internal/promiseBridge.ts"
import type * as Progress from "./Progress.ts"
import type * as ProgressDisplay from "./ProgressDisplay.ts"

export {
  /**
   * The error every call rejects with; `reason._tag` says what went wrong. The class itself, for `instanceof`.
   *
   * @category errors
   * @since 0.1.0
   */
  DockerError,
  /**
   * Whether a rejection is a {@link DockerError} (from any copy of the package).
   *
   * @category guards
   * @since 0.1.0
   */
  isDockerError
} from "./DockerError.ts"

/**
 * Where to connect: the docker CLI's flags (`host` as `--host`, `context`, `tls`, `tlsVerify`, `tlsCaCert`,
 * `tlsCert`, `tlsKey`, `configDir`); what is not given comes from the environment (`DOCKER_HOST`,
 * `DOCKER_CONTEXT`, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`, `DOCKER_API_VERSION`, the config's current context) as
 * with the docker CLI. `wrapTransport` (unstable) is the Effect entries' option of that name.
 *
 * @category models
 * @since 0.1.0
 */
export interface ClientOptions extends DockerSettings.Flags, DockerLayers.Options {}

/**
 * What every call takes besides its own options: a signal that stops it.
 *
 * @category models
 * @since 0.1.0
 */
export interface CallOptions {
  /** Aborting it stops the call; its promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined
}

/**
 * Bytes a tar upload reads: a `Uint8Array`, a Web `ReadableStream`, a Node `Readable` or an (async) iterable of
 * chunks. A failure reading it rejects with a `DockerError` whose reason is a `SystemError`.
 *
 * @category models
 * @since 0.1.0
 */
export type Body = Bridge.Body

/**
 * A long-running operation (pull, push, build, load, import). Nothing is sent until the first of:
 *
 * - iterating it (`for await (const message of handle)`): the daemon's progress messages, a few at most held ahead
 *   of the loop; an error in the stream is thrown from the loop. Leaving the loop early stops the operation;
 * - awaiting `done`: the outcome (image id, digest, pushed size, loaded names, …), after the iteration if there was
 *   one, else running the operation without keeping its messages;
 * - `render(options)`: docker's progress display written to `options.out` (e.g. `process.stdout`), then the outcome.
 *
 * The operation runs once: a second way to run it throws a `TypeError`.
 *
 * @category models
 * @since 0.1.0
 */
export interface ProgressHandle extends AsyncIterable<JsonMessage.Message> {
  readonly done: Promise<Progress.Outcome>
  readonly render: (options: ProgressDisplay.RenderOptions) => Promise<Progress.Outcome>
}

/**
 * Where {@link ImagesClient.import} reads the root filesystem: a tar {@link Body}, or `{ url }` for the daemon to
 * download.
 *
 * @category models
 * @since 0.1.0
 */
export type ImportSource = Body | { readonly url: string }

/**
 * The image operations, as promises. Options are the Effect API's (`Images.ListOptions`, …) plus `signal`.
 *
 * @category models
 * @since 0.1.0
 */
export interface ImagesClient {
  /** Lists images (`GET /images/json`). */
  readonly list: (options?: Images.ListOptions & CallOptions) => Promise<ReadonlyArray<Image.Summary>>
  /** Inspects an image by name or id. */
  readonly inspect: (name: string, options?: Images.InspectOptions & CallOptions) => Promise<Image.InspectResponse>
  /** The layers an image was built from, newest first. */
  readonly history: (
    name: string,
    options?: Images.HistoryOptions & CallOptions
  ) => Promise<ReadonlyArray<Image.HistoryResponseItem>>
  /** Gives `source` the name `target` (`repo[:tag]`, `latest` by default). */
  readonly tag: (source: string, target: string, options?: CallOptions) => Promise<void>
  /** Removes an image or untags a name. */
  readonly remove: (
    name: string,
    options?: Images.RemoveOptions & CallOptions
  ) => Promise<ReadonlyArray<Image.DeleteResponse>>
  /** Removes unused images. */
  readonly prune: (options?: Images.PruneOptions & CallOptions) => Promise<Image.PruneReport>
  /** Searches a registry (Docker Hub unless the term names another). */
  readonly search: (
    term: string,
    options?: Images.SearchOptions & CallOptions
  ) => Promise<ReadonlyArray<Registry.SearchResult>>
  /** Pulls an image. */
  readonly pull: (reference: string, options?: Images.PullOptions & CallOptions) => ProgressHandle
  /** Pushes an image (or, with `all`, every tag of a repository). */
  readonly push: (reference: string, options?: Images.PushOptions & CallOptions) => ProgressHandle
  /** Builds an image from a tar'ed context with the classic builder. */
  readonly build: (context: Body, options?: Images.BuildOptions & CallOptions) => ProgressHandle
  /** Loads images from a tar made by `save` (or `docker save`). */
  readonly load: (tar: Body, options?: Images.LoadOptions & CallOptions) => ProgressHandle
  /** Creates an image from a root filesystem tar, or from a URL the daemon downloads. */
  readonly import: (source: ImportSource, options?: Images.ImportOptions & CallOptions) => ProgressHandle
  /**
   * Exports images as a tar: a Web `ReadableStream` that asks the daemon when first read and is never buffered
   * whole (pipe it to a file with `Writable.toWeb(fs.createWriteStream(path))`, or iterate it).
   */
  readonly save: (
    names: string | ReadonlyArray<string>,
    options?: Images.SaveOptions & CallOptions
  ) => ReadableStream<Uint8Array>
}

/**
 * A client: the image operations, and `close` (also `await using`) to release its connections.
 *
 * @category models
 * @since 0.1.0
 */
export interface Client extends AsyncDisposable {
  readonly images: ImagesClient
  /** Stops every call still running and closes the connections. */
  readonly close: () => Promise<void>
}

/** The entry of the runtime this process is: Bun's, Deno's or Node's own transport. */
const runtimeEntry = (): Promise<DockerLayers.Entry> => {
  const runtime = globalThis as { readonly Bun?: unknown; readonly Deno?: unknown }
  return runtime.Bun !== undefined
    ? import("./bun.ts")
    : runtime.Deno !== undefined
    ? import("./deno.ts")
    : import("./node.ts")
}

/** Splits a call's options into the signal and the service's own options. */
const split = <O extends CallOptions>(
  options: O | undefined
): readonly [Omit<O, "signal">, AbortSignal | undefined] => {
  if (options === undefined) return [{} as Omit<O, "signal">, undefined]
  const { signal, ...rest } = options
  return [rest, signal]
}

/**
 * A client over any layer providing the `Images` service: for a program that has one (the Effect entries'
 * `layerFromOptions`, a test's fake daemon) and hands a promise API to code that does not use Effect.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromLayer = (layer: Layer.Layer<Images.Images, DockerError>): Client => {
  const runtime: Bridge.Runtime = ManagedRuntime.make(layer)
  const call = <A>(
    f: (images: Images.Service) => Effect.Effect<A, DockerError>,
    signal: AbortSignal | undefined
  ) => Bridge.run(runtime, Images.Images.use(f), signal)
  const progress = <O extends CallOptions>(
    options: O | undefined,
    f: (images: Images.Service, options: Omit<O, "signal">) => Progress.Progress
  ): ProgressHandle => {
    const [rest, signal] = split(options)
    return Bridge.progressHandle(runtime, (images) => f(images, rest), signal)
  }
  const images: ImagesClient = {
    list: (options) => {
      const [rest, signal] = split(options)
      return call((images) => images.list(rest), signal)
    },
    inspect: (name, options) => {
      const [rest, signal] = split(options)
      return call((images) => images.inspect(name, rest), signal)
    },
    history: (name, options) => {
      const [rest, signal] = split(options)
      return call((images) => images.history(name, rest), signal)
    },
    tag: (source, target, options) => call((images) => images.tag(source, target), options?.signal),
    remove: (name, options) => {
      const [rest, signal] = split(options)
      return call((images) => images.remove(name, rest), signal)
    },
    prune: (options) => {
      const [rest, signal] = split(options)
      return call((images) => images.prune(rest), signal)
    },
    search: (term, options) => {
      const [rest, signal] = split(options)
      return call((images) => images.search(term, rest), signal)
    },
    pull: (reference, options) => progress(options, (images, rest) => images.pull(reference, rest)),
    push: (reference, options) => progress(options, (images, rest) => images.push(reference, rest)),
    build: (context, options) =>
      progress(options, (images, rest) => images.build(Bridge.bodyStream("ImageBuild", context), rest)),
    load: (tar, options) => progress(options, (images, rest) => images.load(Bridge.bodyStream("ImageLoad", tar), rest)),
    import: (source, options) =>
      progress(options, (images, rest) =>
        images.import(
          isUrl(source)
            ? { _tag: "Url", url: source.url }
            : { _tag: "Stream", stream: Bridge.bodyStream("ImageCreate", source) },
          rest
        )),
    save: (names, options) => {
      const [rest, signal] = split(options)
      const list = typeof names === "string" ? [names] : names
      return Bridge.readable(
        runtime,
        Stream.unwrap(Images.Images.use((images) => Effect.succeed(images.save(list, rest)))),
        signal
      )
    }
  }
  const close = () => runtime.dispose()
  return { images, close, [Symbol.asyncDispose]: close }
}

const isUrl = (source: ImportSource): source is { readonly url: string } =>
  !(source instanceof Uint8Array) && typeof (source as { readonly url?: unknown }).url === "string"

/**
 * A client talking to the engine the docker CLI would choose with these flags in this environment, over the
 * transport of the runtime it runs on (Node, Bun or Deno). Settings are resolved, and the runtime's transport
 * loaded, when the first call runs; a failure there rejects that call (and every later one) with its `DockerError`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const createClient = (options: ClientOptions = {}): Client => {
  const { wrapTransport, ...flags } = options
  return fromLayer(
    Layer.unwrap(
      Effect.promise(runtimeEntry).pipe(
        Effect.map((entry) => entry.layerWith(flags, wrapTransport === undefined ? {} : { wrapTransport }))
      )
    )
  )
}
