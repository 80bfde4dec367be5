/**
 * Client conformance against Podman 4.3's Docker-compatible API (API 1.41), through this runtime's entry of
 * `@dockhand/client` (`layerFromOptions` with `DOCKHAND_PODMAN_SOCK`): the endpoints the compat API serves (list,
 * inspect, history, tag, remove, import, build, push and pull with the plain registry, which start.sh's
 * registries.conf marks insecure, save, load, commit, prune with a label filter, ping, version, df), and the
 * unsupported ones as the typed errors the client turns them into. Where Podman answers differently from Docker,
 * the test asserts what the client makes of it; `CLIENT_ON_PODMAN` lists those cases (compare `PODMAN_DIFFERENCES`
 * of packages/models/test/engine/images.engine.test.ts, which records the wire differences).
 */
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type * as DockerError from "../../src/DockerError.ts"
import * as Images from "../../src/Images.ts"
import * as SystemApi from "../../src/SystemApi.ts"
import * as C from "./Conformance.ts"

const RUN_ID = C.makeRunId()
const LABEL = C.runLabel(RUN_ID)
const REPO = `dockhand-conformance/${RUN_ID}-podman`
/** Podman qualifies short names with `docker.io/` in everything it returns. */
const qualified = (ref: string) => `docker.io/${ref}`

/**
 * What the client gives back on Podman 4.3 where it differs from Docker 20.10; each row is asserted by the test
 * named in it, and the last test prints the table.
 */
const CLIENT_ON_PODMAN = {
  ping: "`osType` undefined (no `Ostype` header), `experimental` true",
  build:
    "`STEP n/m:` lines, then aux `{ID}` and Docker-style `Successfully …` lines: messages and outcome as on Docker",
  list: "RepoTags not narrowed by a `reference` filter; an untagged image has `RepoTags: null`, `RepoDigests: []`",
  remove: "`Deleted` first, then `Untagged`; no parents or layers listed",
  push: "no aux PushResult: outcome.pushed comes from the `<tag>: digest: … size: …` status line",
  pull: "no `Digest:`/`Status:` lines: outcome.digest and outcome.pullStatus are undefined",
  commit: "the `config` body is ignored; `Id` without `sha256:`",
  distributionInspect: "NotFound (404 `Not Found`, route missing)",
  buildCachePrune: "NotFound (404 `Not Found`, route missing)",
  search: "DecodeError: Podman lists the registry catalog with items that are not registry.SearchResult",
  login: "ServerError 500 for a wrong password (as Docker 20.10)",
  diskUsage: "`LayersSize` 0; ids without `sha256:`"
} as const
const observed = new Set<keyof typeof CLIENT_ON_PODMAN>()
const differs = (key: keyof typeof CLIENT_ON_PODMAN) => void observed.add(key)

const reasonOf = <T extends DockerError.Reason["_tag"]>(error: DockerError.DockerError, tag: T) => {
  assert.strictEqual(error.reason._tag, tag, `expected a ${tag}, got ${error.reason._tag}: ${error.message}`)
  return error.reason as Extract<DockerError.Reason, { readonly _tag: T }>
}

/** `sha256:` + hex whether or not Podman sent the prefix. */
const fullId = (id: string) => (id.startsWith("sha256:") ? id : `sha256:${id}`)

const dockerfile = [
  "FROM scratch",
  `LABEL ${LABEL}`,
  "COPY busybox /bin/busybox",
  "COPY hello.txt /hello.txt",
  "ARG GREETING=none",
  "ENV GREETING=$GREETING",
  `CMD ["/bin/busybox", "cat", "/hello.txt"]`,
  ""
].join("\n")

describe("Images and System against Podman 4.3's compatible API (API 1.41)", () => {
  layer(Layer.provideMerge(C.sweeperLayer(RUN_ID, "podman"), C.podmanLayer), { excludeTestServices: true })((it) => {
    const state: { importedId?: string; builtId?: string; saved?: Buffer; pushDigest?: string } = {}
    const needs = <A>(value: A | undefined, what: string): A => {
      assert.isDefined(value, `${what} was made by an earlier test`)
      return value!
    }

    it.effect("SystemApi.ping and version: Podman speaks API 1.41 and says it is Podman 4", () =>
      Effect.gen(function*() {
        const system = yield* SystemApi.SystemApi
        const ping = yield* system.ping
        assert.strictEqual(ping.apiVersion, "1.41")
        assert.isUndefined(ping.osType)
        assert.isTrue(ping.experimental)
        differs("ping")
        assert.strictEqual(system.host, `unix://${(yield* C.engines).podmanSock}`)
        const version = yield* system.version
        assert.match(version.Version, /^4\./)
        assert.strictEqual(version.ApiVersion, "1.41")
        assert.strictEqual(version.Os, "linux")
      }))

    it.effect("a runtime layer provided inside another one talks to its own engine (Docker inside the Podman layer)", () =>
      Effect.gen(function*() {
        const outer = yield* (yield* SystemApi.SystemApi).version
        const inner = yield* SystemApi.SystemApi.use((system) => system.version).pipe(Effect.provide(C.dockerLayer))
        assert.match(outer.Version, /^4\./)
        assert.match(inner.Version, C.engineKind() === "docker28" ? /^28\.5\./ : /^20\.10\./)
      }))

    it.effect("Images.import reads a tar stream with changes and message; Podman ignores the tag", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const messages = yield* Stream.runCollect(
          images.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(RUN_ID)) }, {
            reference: `${REPO}:imported`,
            message: `imported by ${RUN_ID}`,
            changes: [`CMD ["/bin/busybox", "sh"]`, "ENV A=b", `LABEL ${LABEL}`]
          }).messages
        )
        assert.lengthOf(messages, 1)
        const id = fullId(messages[0]!.status ?? "")
        assert.match(id, /^sha256:[0-9a-f]{64}$/)
        yield* sweeper.image(id)
        state.importedId = id
        const image = yield* images.inspect(id)
        assert.deepStrictEqual(image.RepoTags, [qualified(`${REPO}:imported`)])
        assert.deepStrictEqual(image.Config?.Cmd, ["/bin/busybox", "sh"])
        assert.include(image.Config?.Env ?? [], "A=b")
        assert.strictEqual(image.Config?.Labels?.["dockhand.test"], RUN_ID)
        assert.strictEqual(image.Comment, `imported by ${RUN_ID}`)

        const outcome = yield* images.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(`${RUN_ID}-2`)) }, {
          reference: `${REPO}-2`,
          changes: [`LABEL ${LABEL}`]
        }).outcome
        assert.strictEqual(outcome.messages, 1)
        const second = yield* images.inspect(`${REPO}-2`)
        yield* sweeper.image(second.Id)
        assert.strictEqual(outcome.imageId, fullId(second.Id), "Podman repeats the new id in `id`; it is still read")
      }))

    it.effect("Images.build builds FROM scratch + COPY with tags, labels and buildArgs; messages and outcome", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const context = () => C.buildContext(dockerfile, { "hello.txt": `hello from ${RUN_ID}\n` })
        const options = {
          tags: [`${REPO}:built`, `${REPO}:built-alias`],
          labels: { "dockhand.option": "labels" },
          buildArgs: { GREETING: "hello" }
        }
        const messages = yield* Stream.runCollect(images.build(context(), options).messages)
        const text = messages.map((m) => m.stream ?? "").join("")
        assert.match(text, /STEP 1\/\d+: FROM scratch/)
        const aux = messages.findLast((m) => m.aux !== undefined)?.aux as { ID: string }
        const id = fullId(aux.ID)
        yield* sweeper.image(id)
        state.builtId = id
        const outcome = yield* images.build(context(), options).outcome
        assert.strictEqual(fullId(outcome.imageId ?? ""), id, "a cached rebuild gives the same image")
        differs("build")
        const image = yield* images.inspect(`${REPO}:built`)
        assert.strictEqual(image.Id, id)
        assert.sameMembers([...image.RepoTags], [qualified(`${REPO}:built`), qualified(`${REPO}:built-alias`)])
        assert.strictEqual(image.Config?.Labels?.["dockhand.test"], RUN_ID)
        assert.strictEqual(image.Config?.Labels?.["dockhand.option"], "labels")
        assert.include(image.Config?.Env ?? [], "GREETING=hello")
      }))

    it.effect("Images.list filters by label (both forms) and reference; all lists at least as much", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const builtId = needs(state.builtId, "the built image")
        const sets = yield* images.list({ filters: { label: { [LABEL]: true } } })
        const values = yield* images.list({ filters: { label: [LABEL] } })
        assert.sameMembers(sets.map((i) => fullId(i.Id)), values.map((i) => fullId(i.Id)))
        assert.includeMembers(sets.map((i) => fullId(i.Id)), [builtId, state.importedId])
        const byReference = yield* images.list({ filters: { reference: [`${REPO}:built`] } })
        assert.deepStrictEqual(byReference.map((i) => fullId(i.Id)), [builtId])
        assert.sameMembers(
          [...(byReference[0]!.RepoTags ?? [])],
          [qualified(`${REPO}:built`), qualified(`${REPO}:built-alias`)],
          "Podman does not narrow RepoTags"
        )
        const all = yield* images.list({ all: true, filters: { label: [LABEL] } })
        assert.includeMembers(all.map((i) => fullId(i.Id)), sets.map((i) => fullId(i.Id)))
      }))

    it.effect("Images.inspect, inspectRaw and history read the built image; an unknown one is NotFound", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const builtId = needs(state.builtId, "the built image")
        assert.strictEqual((yield* images.inspect(`${REPO}:built`)).Id, builtId)
        const raw = JSON.parse(yield* images.inspectRaw(`${REPO}:built`)) as { Id: string }
        assert.strictEqual(raw.Id, builtId)
        const history = yield* images.history(`${REPO}:built`)
        assert.isAtLeast(history.length, 2)
        assert.isTrue(history.some((item) => item.CreatedBy.includes("COPY")))
        const error = yield* Effect.flip(images.inspect(`${REPO}:nope`))
        assert.strictEqual(reasonOf(error, "NotFound").status, 404)
        reasonOf(yield* Effect.flip(images.history(`${REPO}:nope`)), "NotFound")
      }))

    it.effect("Images.tag and Images.remove: Podman lists the deleted image first", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const id = needs(state.importedId, "the imported image")
        yield* images.tag(id, `${REPO}:tagged`)
        assert.include([...(yield* images.inspect(id)).RepoTags], qualified(`${REPO}:tagged`))
        const untagged = yield* images.remove(`${REPO}:tagged`)
        assert.deepStrictEqual(untagged, [{ Untagged: qualified(`${REPO}:tagged`) }])

        const extra = yield* images.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(`${RUN_ID}-rm`)) }, {
          reference: `${REPO}-rm`,
          changes: [`LABEL ${LABEL}`]
        }).outcome
        const extraId = (yield* images.inspect(`${REPO}-rm`)).Id
        yield* sweeper.image(extraId)
        assert.strictEqual(extra.messages, 1)
        yield* images.tag(extraId, `${REPO}-rm:second`)
        const removed = yield* images.remove(extraId, { force: true })
        assert.strictEqual(fullId(removed[0]?.Deleted ?? ""), extraId)
        assert.sameMembers(removed.flatMap((item) => item.Untagged ?? []), [
          qualified(`${REPO}-rm:latest`),
          qualified(`${REPO}-rm:second`)
        ])
        differs("remove")
        reasonOf(yield* Effect.flip(images.inspect(extraId)), "NotFound")
      }))

    it.effect("Images.push to the plain registry and Images.pull back (no Digest/Status lines on Podman)", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        needs(state.builtId, "the built image")
        const target = `${(yield* C.engines).registry}/${REPO}:pushed`
        yield* sweeper.image(target)
        yield* images.tag(`${REPO}:built`, target)
        const messages = yield* Stream.runCollect(images.push(target).messages)
        assert.isTrue(messages.some((m) => m.status?.startsWith("pushed: digest: sha256:") ?? false))
        const outcome = yield* images.push(target).outcome
        assert.strictEqual(outcome.pushed?.Tag, "pushed")
        assert.match(outcome.digest ?? "", /^sha256:[0-9a-f]{64}$/)
        state.pushDigest = outcome.digest!

        yield* images.remove(target)
        const pulled = yield* Stream.runCollect(images.pull(target).messages)
        assert.isFalse(pulled.some((m) => m.status?.startsWith("Status:") ?? false))
        assert.strictEqual((yield* images.inspect(target)).Id, state.builtId)
        const again = yield* images.pull(target).outcome
        assert.isUndefined(again.digest)
        assert.isUndefined(again.pullStatus)
        differs("push")
        differs("pull")
      }))

    it.effect("Images.save of one and of several names streams archives naming them", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        needs(state.builtId, "the built image")
        const one = yield* C.readSavedTar(yield* C.collectBytes(images.save([`${REPO}:built`])))
        assert.lengthOf(one.manifest, 1)
        assert.include(one.manifest[0]!.RepoTags ?? [], qualified(`${REPO}:built`))
        const tar = yield* C.collectBytes(images.save([`${REPO}:built`, `${REPO}:imported`]))
        const two = yield* C.readSavedTar(tar)
        assert.sameMembers(two.manifest.flatMap((item) => item.RepoTags ?? []), [
          qualified(`${REPO}:built`),
          qualified(`${REPO}:imported`)
        ])
        state.saved = tar
      }))

    it.effect("Images.load (quiet and not) loads the archive; Podman names every image on one line", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const tar = needs(state.saved, "the saved archive")
        const messages = yield* Stream.runCollect(
          images.load(Stream.make(new Uint8Array(tar)), { quiet: false }).messages
        )
        const loaded = messages.flatMap((m) => m.stream?.startsWith("Loaded image: ") ? [m.stream] : [])
        assert.lengthOf(loaded, 1)
        const outcome = yield* images.load(Stream.make(new Uint8Array(tar)), { quiet: true }).outcome
        assert.sameMembers([...outcome.loaded], [qualified(`${REPO}:built`), qualified(`${REPO}:imported`)])
      }))

    it.effect("Images.commit makes an image from a container created through the engine's connection", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const builtId = needs(state.builtId, "the built image")
        const containerId = yield* C.createContainer(builtId, `dockhand-conformance-${RUN_ID}-podman-commit`, RUN_ID)
        yield* sweeper.container(containerId)
        const commitResult = yield* images.commit(containerId, {
          reference: `${REPO}:committed`,
          comment: `committed by ${RUN_ID}`,
          author: "dockhand conformance",
          changes: ["ENV C=d"],
          config: { Labels: { "dockhand.from-config": "yes" } }
        })
        const { Id } = commitResult
        assert.match(Id, /^[0-9a-f]{64}$/, "Podman's commit id has no sha256: prefix")
        yield* sweeper.image(fullId(Id))
        const image = yield* images.inspect(`${REPO}:committed`)
        assert.strictEqual(image.Id, fullId(Id))
        assert.strictEqual(image.Comment, `committed by ${RUN_ID}`)
        assert.include(image.Config?.Env ?? [], "C=d")
        assert.isUndefined(image.Config?.Labels?.["dockhand.from-config"], "Podman ignores the config body")
        differs("commit")
      }))

    it.effect("Images.prune filtered by the run's label removes only this run's dangling images", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const builtId = needs(state.builtId, "the built image")
        yield* images.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(`${RUN_ID}-dangling`)) }, {
          changes: [`LABEL ${LABEL}`, "LABEL dockhand.kind=dangling"]
        }).outcome
        const danglingList = yield* images.list({ filters: { dangling: true, label: [LABEL] } })
        const imported = danglingList.find((image) => image.Labels?.["dockhand.kind"] === "dangling")
        assert.isDefined(imported, "the untagged import is listed as dangling")
        assert.isNull(imported!.RepoTags, "Podman sends RepoTags: null for an untagged image")
        assert.deepStrictEqual(imported!.RepoDigests, [])
        const dangling = danglingList.map((i) => fullId(i.Id))
        assert.isAtLeast(dangling.length, 1)
        for (const id of dangling) yield* sweeper.image(id)
        const report = yield* images.prune({ filters: { label: [LABEL] } })
        const deleted = (report.ImagesDeleted ?? []).flatMap((item) => item.Deleted ?? []).map(fullId)
        assert.includeMembers(deleted, dangling)
        differs("list")
        assert.strictEqual((yield* images.inspect(`${REPO}:built`)).Id, builtId, "tagged images stay")
      }))

    it.effect("SystemApi.diskUsage decodes Podman's answer and lists the run's images", () =>
      Effect.gen(function*() {
        const usage = yield* (yield* SystemApi.SystemApi).diskUsage()
        const builtId = needs(state.builtId, "the built image")
        assert.include(usage.images.items.map((i) => fullId(i.Id)), builtId)
        assert.strictEqual(usage.raw.LayersSize, 0)
        assert.strictEqual(usage.images.totalCount, usage.raw.Images?.length)
        differs("diskUsage")
      }))

    it.effect("what Podman's compat API lacks comes back as typed errors (distributionInspect, buildCachePrune, search, wrong login)", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const system = yield* SystemApi.SystemApi
        const engines = yield* C.engines
        needs(state.pushDigest, "the pushed image")
        const target = `${engines.registry}/${REPO}:pushed`

        const distribution = yield* Effect.flip(images.distributionInspect(target))
        assert.strictEqual(reasonOf(distribution, "NotFound").message, "Not Found")
        differs("distributionInspect")

        const prune = yield* Effect.flip(images.buildCachePrune())
        assert.strictEqual(reasonOf(prune, "NotFound").message, "Not Found")
        differs("buildCachePrune")

        const search = yield* Effect.flip(images.search(`${engines.registry}/${REPO}`))
        assert.strictEqual(reasonOf(search, "DecodeError").operation, "ImageSearch")
        differs("search")

        const wrong = `wrong-${RUN_ID}`
        const login = yield* Effect.flip(system.login({
          username: engines.registryUser,
          password: Redacted.make(wrong),
          serveraddress: engines.registryTls
        }))
        assert.strictEqual(reasonOf(login, "ServerError").status, 500)
        assert.include(login.message, "401 Unauthorized")
        assert.notInclude(JSON.stringify(login) + String(login), wrong)
        differs("login")
      }))

    it.effect("options newer than API 1.41 fail with an ApiVersionError on Podman too", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const error = yield* Effect.flip(images.list({ sharedSize: true }))
        assert.strictEqual(reasonOf(error, "ApiVersionError").required, "1.42")
        const history = yield* Effect.flip(
          images.history(`${REPO}:built`, { platform: { os: "linux", architecture: "arm64" } })
        )
        assert.strictEqual(reasonOf(history, "ApiVersionError").required, "1.48")
      }))

    it.effect("the run's images are all removed again, and every CLIENT_ON_PODMAN row was observed", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        assert.deepStrictEqual(yield* (yield* C.Sweeper).sweep, [])
        assert.deepStrictEqual(yield* images.list({ all: true, filters: { label: [LABEL] } }), [])
        const lines = Object.entries(CLIENT_ON_PODMAN).map(([key, text]) => `  ${key}: ${text}`)
        console.log(`[${C.runtimeName}] the client on Podman 4.3:\n${lines.join("\n")}`)
        assert.deepStrictEqual(Object.keys(CLIENT_ON_PODMAN).filter((key) => !observed.has(key as never)), [])
      }))
  })
})
