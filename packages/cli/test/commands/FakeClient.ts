/**
 * A fake `@dockhand/client` for the CLI's golden-output tests (docker/cli's `fakeClient` idea): `Images`, `SystemApi`,
 * `Credentials`, `DockerSettings` and `DockerPlatform` answering from fixed data, recording what they were asked,
 * and a `run` helper that runs `Main.runWith` against them with the `Terminal.makeTest` fake terminal.
 */
import {
  Credentials,
  DockerError,
  DockerHost,
  DockerPlatform,
  DockerSettings,
  Images,
  Progress,
  SystemApi
} from "@dockhand/client"
import type { Image, JsonMessage, Registry, System } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Terminal from "../../src/internal/Terminal.ts"
import * as Main from "../../src/Main.ts"

/** What the fake daemon holds. Every field is optional; a missing answer is a 404. */
export interface FakeDaemon {
  readonly images?: ReadonlyArray<Image.Summary>
  /** Raw inspect JSON by name. */
  readonly inspect?: Readonly<Record<string, string>>
  readonly history?: Readonly<Record<string, ReadonlyArray<Image.HistoryResponseItem>>>
  /** What removing a name gives: the delete responses, or a daemon error (status, message). */
  readonly remove?: Readonly<
    Record<string, ReadonlyArray<Image.DeleteResponse> | { readonly status: number; readonly message: string }>
  >
  readonly prune?: Image.PruneReport
  /** The progress messages of pull, push, load, import and build. */
  readonly progress?: ReadonlyArray<JsonMessage.Message>
  readonly save?: Uint8Array
  /** The answer of `/system/df`. */
  readonly diskUsage?: System.DiskUsage
}

/** A call the CLI made, with its arguments. */
export interface Call {
  readonly operation: string
  readonly args: ReadonlyArray<unknown>
}

const notFound = (operation: string, message: string) => DockerError.fromStatus({ status: 404, message, operation })

const settings: DockerSettings.Settings = {
  endpoint: new DockerHost.Unix({ path: "/var/run/docker.sock" }),
  host: { value: "unix:///var/run/docker.sock", source: "default", detail: "" },
  context: { value: "default", source: "default", detail: "" },
  tls: undefined,
  apiVersion: undefined,
  configDir: { value: "/home/user/.docker", source: "default", detail: "" }
}

/** The fake client's layer, and the calls it recorded. */
export const make = (daemon: FakeDaemon = {}) => {
  const calls: Array<Call> = []
  const stored = new Map<string, Registry.AuthConfig>()
  const record = (operation: string, ...args: ReadonlyArray<unknown>) =>
    Effect.sync(() => void calls.push({ operation, args }))
  const progress = (operation: string, ...args: ReadonlyArray<unknown>) =>
    Progress.make(Stream.unwrap(record(operation, ...args).pipe(Effect.as(Stream.fromIterable(daemon.progress ?? [])))))

  const images = Images.Images.of({
    list: (options) => record("list", options).pipe(Effect.as(daemon.images ?? [])),
    inspect: (name) => Effect.fail(notFound("ImageInspect", `no such image: ${name}`)),
    inspectRaw: (name) =>
      record("inspect", name).pipe(Effect.flatMap(() => {
        const raw = daemon.inspect?.[name]
        return raw === undefined
          ? Effect.fail(notFound("ImageInspect", `no such image: ${name}: No such image: ${name}`))
          : Effect.succeed(raw)
      })),
    history: (name) =>
      record("history", name).pipe(Effect.flatMap(() => {
        const items = daemon.history?.[name]
        return items === undefined
          ? Effect.fail(notFound("ImageHistory", `No such image: ${name}`))
          : Effect.succeed(items)
      })),
    tag: (source, target) => record("tag", source, target),
    remove: (name, options) =>
      record("remove", name, options).pipe(Effect.flatMap(() => {
        const answer = daemon.remove?.[name]
        if (answer === undefined) return Effect.fail(notFound("ImageDelete", `No such image: ${name}`))
        return "status" in answer
          ? Effect.fail(
            DockerError.fromStatus({ status: answer.status, message: answer.message, operation: "ImageDelete" })
          )
          : Effect.succeed(answer)
      })),
    prune: (options) =>
      record("prune", options).pipe(Effect.as(daemon.prune ?? { ImagesDeleted: null, SpaceReclaimed: 0 })),
    search: (term) => record("search", term).pipe(Effect.as([])),
    pull: (reference, options) => progress("pull", reference, options),
    push: (reference, options) => progress("push", reference, options),
    save: (names) =>
      Stream.unwrap(record("save", names).pipe(Effect.as(Stream.make(daemon.save ?? new Uint8Array([1, 2, 3]))))),
    load: (tar) =>
      Progress.make(Stream.unwrap(
        Stream.runCollect(tar).pipe(
          Effect.flatMap((chunks) => record("load", chunks.reduce((n, c) => n + c.length, 0))),
          Effect.as(Stream.fromIterable(daemon.progress ?? []))
        )
      )),
    import: (source, options) => progress("import", source._tag, options),
    build: (context, options) =>
      Progress.make(Stream.unwrap(
        Stream.runDrain(context).pipe(
          Effect.andThen(record("build", options)),
          Effect.as(Stream.fromIterable(daemon.progress ?? []))
        )
      )),
    buildCancel: (buildId) => record("buildCancel", buildId),
    buildCachePrune: () => Effect.succeed({ CachesDeleted: null, SpaceReclaimed: 0 }),
    commit: () => Effect.succeed({ Id: "sha256:0" }),
    distributionInspect: (reference) => Effect.fail(notFound("DistributionInspect", reference))
  })

  const system = SystemApi.SystemApi.of({
    ping: Effect.succeed({
      apiVersion: "1.41",
      osType: "linux",
      experimental: false,
      builderVersion: "1",
      swarm: undefined
    }),
    version: Effect.fail(notFound("SystemVersion", "not faked")),
    login: (auth) => record("login", auth.username, auth.serveraddress).pipe(Effect.as({ Status: "Login Succeeded" })),
    diskUsage: () =>
      daemon.diskUsage === undefined
        ? Effect.fail(notFound("SystemDataUsage", "not faked"))
        : Effect.succeed({ raw: daemon.diskUsage, images: SystemApi.imagesDiskUsage(daemon.diskUsage) }),
    apiVersion: Effect.succeed("1.41"),
    host: "unix:///var/run/docker.sock"
  })

  const credentials = Credentials.Credentials.of({
    get: (registry) => Effect.sync(() => Option.fromNullishOr(stored.get(Credentials.registryKey(registry)))),
    all: () => Effect.sync(() => Object.fromEntries(stored)),
    store: (registry, auth) => Effect.sync(() => void stored.set(Credentials.registryKey(registry), auth)),
    erase: (registry) => Effect.sync(() => void stored.delete(Credentials.registryKey(registry)))
  })

  const layer = Layer.mergeAll(
    Layer.succeed(Images.Images, images),
    Layer.succeed(SystemApi.SystemApi, system),
    Layer.succeed(Credentials.Credentials, credentials),
    Layer.succeed(DockerSettings.DockerSettings, settings),
    DockerPlatform.DockerPlatform.fromRecord({ env: {}, files: {} })
  )
  return { layer, calls, stored }
}

/** What a run printed and how it ended. */
export interface Ran {
  readonly stdout: string
  readonly stderr: string
  readonly bytes: ReadonlyArray<Uint8Array>
  readonly code: number
  readonly calls: ReadonlyArray<Call>
}

/** A fake client as {@link make} builds it. */
export type Fake = ReturnType<typeof make>

/** Runs `dockhand argv` against a given fake client (kept across runs) and a fake terminal. */
export const runOn = (
  fake: Fake,
  argv: ReadonlyArray<string>,
  terminal: Parameters<typeof Terminal.makeTest>[0] = {}
): Promise<Ran> => {
  const term = Terminal.makeTest(terminal)
  const before = fake.calls.length
  return Effect.runPromise(Main.runWith(argv, () => fake.layer).pipe(Effect.provide(term.layer))).then((code) => ({
    stdout: term.stdout(),
    stderr: term.stderr(),
    bytes: term.bytes(),
    code,
    calls: fake.calls.slice(before)
  }))
}

/** Runs `dockhand argv` against a fake daemon and a fake terminal. */
export const run = (
  argv: ReadonlyArray<string>,
  daemon: FakeDaemon = {},
  terminal: Parameters<typeof Terminal.makeTest>[0] = {}
): Promise<Ran> => runOn(make(daemon), argv, terminal)
