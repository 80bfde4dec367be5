/**
 * Client conformance against the private Docker Engine 20.10 (API 1.41), through the public API of
 * `@dockhand/client` and the entry of the runtime that runs the test (`/node`, `/bun` or `/deno`): every method of
 * `Images` and `SystemApi` once, every progress operation both as its `messages` stream and as its `outcome`, the
 * daemon's errors as typed reasons, and the options newer than 1.41 refused before any request.
 *
 * The tests make their own images (busybox from Debian's busybox-static, tars written on the fly), name them
 * `dockhand-conformance/<run id>-docker`, label them `dockhand.test=<run id>` and remove them in the layer's
 * finalizer (on failure too). They never touch other images: prunes are filtered by that label.
 */
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import * as BodySource from "../../src/BodySource.ts"
import * as DockerEngine from "../../src/DockerEngine.ts"
import type * as DockerError from "../../src/DockerError.ts"
import * as Images from "../../src/Images.ts"
import * as Progress from "../../src/Progress.ts"
import * as SystemApi from "../../src/SystemApi.ts"
import * as C from "./Conformance.ts"

const RUN_ID = C.makeRunId()
const LABEL = C.runLabel(RUN_ID)
const REPO = `dockhand-conformance/${RUN_ID}-docker`

/** Two stages: `base` (busybox, a build argument, labels) and `final` (adds a file and a command). */
const twoStageDockerfile = [
  "FROM scratch AS base",
  `LABEL ${LABEL}`,
  "ARG GREETING=none",
  "COPY busybox /bin/busybox",
  "ENV GREETING=$GREETING PATH=/bin",
  "LABEL dockhand.stage=base",
  "FROM base AS final",
  "COPY hello.txt /hello.txt",
  "LABEL dockhand.stage=final",
  `CMD ["/bin/busybox", "cat", "/hello.txt"]`,
  ""
].join("\n")
const twoStageContext = () => C.buildContext(twoStageDockerfile, { "hello.txt": `hello from ${RUN_ID}\n` })

/** A step that fails: busybox's `false` exits with status 1. */
const failingDockerfile = [
  "FROM scratch",
  `LABEL ${LABEL} dockhand.kind=failing`,
  "COPY busybox /bin/busybox",
  `SHELL ["/bin/busybox", "sh", "-c"]`,
  "RUN /bin/busybox false",
  ""
].join("\n")

/** A chain of images no other build shares (its first instruction is unique), for the noPrune test. */
const chainDockerfile = [
  "FROM scratch",
  `LABEL ${LABEL} dockhand.kind=chain`,
  "COPY busybox /bin/busybox",
  "LABEL dockhand.step=last",
  ""
].join("\n")

/** Docker Engine 28.5 with the containerd image store (API 1.51), not 20.10 (`DOCKHAND_ENGINE`, checked below). */
const DOCKER28 = C.engineKind() === "docker28"
/** The API version the engine speaks and the client negotiates. */
const API = C.engineApiVersion()

const A_PLATFORM = { os: "linux", architecture: "arm64", variant: "v8" } as const

/** Fails the test unless `error` has the reason `tag`; returns the reason narrowed. */
const reasonOf = <T extends DockerError.Reason["_tag"]>(error: DockerError.DockerError, tag: T) => {
  assert.strictEqual(error.reason._tag, tag, `expected a ${tag}, got ${error.reason._tag}: ${error.message}`)
  return error.reason as Extract<DockerError.Reason, { readonly _tag: T }>
}

const statuses = (messages: ReadonlyArray<{ readonly status?: string }>) => messages.flatMap((m) => m.status ?? [])
const streamText = (messages: ReadonlyArray<{ readonly stream?: string }>) =>
  messages.map((m) => m.stream ?? "").join("")

describe(`Images and System against Docker Engine ${DOCKER28 ? "28.5" : "20.10"} (API ${API})`, () => {
  layer(Layer.provideMerge(C.sweeperLayer(RUN_ID, "docker"), C.dockerLayer), { excludeTestServices: true })((it) => {
    const state: {
      importedId?: string
      secondImportId?: string
      builtId?: string
      baseId?: string
      pushDigest?: string
      savedTwo?: Buffer
    } = {}
    const needs = <A>(value: A | undefined, what: string): A => {
      assert.isDefined(value, `${what} was made by an earlier test`)
      return value!
    }
    const registryRepo = () => Effect.map(C.engines, (e) => `${e.registry}/${REPO}`)

    // ---------------------------------------------------------------------------------------------------- System

    it.effect("SystemApi.ping negotiates API 1.41 with Docker 20.10 and reads its headers", () =>
      Effect.gen(function*() {
        const system = yield* SystemApi.SystemApi
        const ping = yield* system.ping
        assert.strictEqual(ping.apiVersion, API)
        assert.strictEqual(ping.osType, "linux")
        assert.isFalse(ping.experimental)
        assert.strictEqual(yield* system.apiVersion, API)
        assert.strictEqual(system.host, `unix://${(yield* C.engines).dockerSock}`)
      }))

    it.effect("SystemApi.version decodes Docker 20.10's version (ApiVersion 1.41, linux)", () =>
      Effect.gen(function*() {
        const version = yield* (yield* SystemApi.SystemApi).version
        assert.match(version.Version, DOCKER28 ? /^28\.5\./ : /^20\.10\./)
        assert.strictEqual(version.ApiVersion, API)
        assert.strictEqual(version.Os, "linux")
        assert.isAbove(version.Components?.length ?? 0, 0)
      }))

    // ---------------------------------------------------------------------------------------------------- import

    it.effect("Images.import reads a tar stream, applies changes and the message; its messages end with the new id", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const messages = yield* Stream.runCollect(
          images.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(RUN_ID)) }, {
            reference: `${REPO}:imported`,
            message: `imported by ${RUN_ID}`,
            changes: [`CMD ["/bin/busybox", "sh"]`, "ENV A=b", `LABEL ${LABEL}`, "LABEL dockhand.kind=imported"]
          }).messages
        )
        assert.lengthOf(messages, 1)
        const id = messages[0]!.status ?? ""
        assert.match(id, /^sha256:[0-9a-f]{64}$/)
        yield* sweeper.image(id)
        state.importedId = id
        const image = yield* images.inspect(`${REPO}:imported`)
        assert.strictEqual(image.Id, id)
        assert.deepStrictEqual(image.RepoTags, [`${REPO}:imported`])
        assert.strictEqual(image.Comment, `imported by ${RUN_ID}`)
        assert.deepStrictEqual(image.Config?.Cmd, ["/bin/busybox", "sh"])
        assert.include(image.Config?.Env ?? [], "A=b")
        assert.strictEqual(image.Config?.Labels?.["dockhand.test"], RUN_ID)
        assert.isAbove(image.Size, 1_000_000, "busybox is in the image")
      }))

    it.effect("Images.import's outcome gives the new image id (Progress.run hands over each message)", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const seen: Array<string> = []
        const progress = images.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(`${RUN_ID}-2`)) }, {
          reference: `${REPO}:imported-2`,
          changes: [`LABEL ${LABEL}`]
        })
        const outcome = yield* Progress.run(
          progress,
          (message) => Effect.sync(() => void seen.push(message.status ?? ""))
        )
        assert.match(outcome.imageId ?? "", /^sha256:[0-9a-f]{64}$/)
        yield* sweeper.image(outcome.imageId!)
        assert.strictEqual(outcome.messages, 1)
        assert.deepStrictEqual(seen, [outcome.imageId])
        assert.notStrictEqual(outcome.imageId, state.importedId, "a different root file system is a different image")
        const again = yield* images.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(`${RUN_ID}-3`)) }, {
          reference: `${REPO}:imported-3`,
          changes: [`LABEL ${LABEL}`]
        }).outcome
        yield* sweeper.image(again.imageId!)
        assert.strictEqual((yield* images.inspect(`${REPO}:imported-3`)).Id, again.imageId)
        state.secondImportId = outcome.imageId!
      }))

    // ----------------------------------------------------------------------------------------------------- build

    it.effect("Images.build (classic) runs FROM scratch + COPY busybox with tags, labels and buildArgs; messages carry the steps and the id", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const messages = yield* Stream.runCollect(
          images.build(twoStageContext(), {
            tags: [`${REPO}:built`, `${REPO}:built-alias`],
            labels: { "dockhand.option": "labels" },
            buildArgs: { GREETING: "hello" }
          }).messages
        )
        const aux = messages.flatMap((m) => m.aux === undefined ? [] : [m.aux as { ID?: string }])
        const id = aux.at(-1)?.ID ?? ""
        assert.match(id, /^sha256:[0-9a-f]{64}$/, "the build's aux names the image")
        yield* sweeper.image(id)
        state.builtId = id
        const text = streamText(messages)
        assert.include(text, "Step 1/")
        assert.include(text, `Successfully tagged ${REPO}:built\n`)
        assert.include(text, `Successfully tagged ${REPO}:built-alias\n`)
        const image = yield* images.inspect(id)
        assert.sameMembers([...image.RepoTags], [`${REPO}:built`, `${REPO}:built-alias`])
        assert.strictEqual(image.Config?.Labels?.["dockhand.test"], RUN_ID)
        assert.strictEqual(image.Config?.Labels?.["dockhand.stage"], "final")
        assert.strictEqual(image.Config?.Labels?.["dockhand.option"], "labels")
        assert.include(image.Config?.Env ?? [], "GREETING=hello")
        assert.deepStrictEqual(image.Config?.Cmd, ["/bin/busybox", "cat", "/hello.txt"])
      }))

    it.effect("Images.build with target stops at the named stage of a two-stage Dockerfile (outcome)", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const outcome = yield* images.build(twoStageContext(), {
          tags: [`${REPO}:base`],
          target: "base",
          buildArgs: { GREETING: "hello" }
        }).outcome
        assert.match(outcome.imageId ?? "", /^sha256:[0-9a-f]{64}$/)
        yield* sweeper.image(outcome.imageId!)
        state.baseId = outcome.imageId!
        assert.notStrictEqual(outcome.imageId, state.builtId)
        const image = yield* images.inspect(`${REPO}:base`)
        assert.strictEqual(image.Id, outcome.imageId)
        assert.strictEqual(image.Config?.Labels?.["dockhand.stage"], "base")
        const history = yield* images.history(`${REPO}:base`)
        assert.isFalse(history.some((item) => item.CreatedBy.includes("hello.txt")), "the final stage did not run")
      }))

    it.effect("Images.build reuses the build cache, and noCache rebuilds every step", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const builtId = needs(state.builtId, "the built image")
        const cached = yield* Stream.runCollect(
          images.build(twoStageContext(), {
            tags: [`${REPO}:built`],
            labels: { "dockhand.option": "labels" },
            buildArgs: { GREETING: "hello" }
          }).messages
        )
        assert.include(streamText(cached), "Using cache")
        assert.strictEqual((yield* images.inspect(`${REPO}:built`)).Id, builtId, "a cached build gives the same image")

        const fresh = yield* Stream.runCollect(
          images.build(twoStageContext(), {
            tags: [`${REPO}:nocache`],
            buildArgs: { GREETING: "hello" },
            noCache: true
          }).messages
        )
        assert.notInclude(streamText(fresh), "Using cache")
        const id = (fresh.findLast((m) => m.aux !== undefined)!.aux as { ID: string }).ID
        yield* sweeper.image(id)
        assert.notStrictEqual(id, builtId)
      }))

    it.effect("a failing `RUN /bin/busybox false` fails the build's messages and outcome with a StreamError whose code is the exit status", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const build = () =>
          images.build(C.buildContext(failingDockerfile), {
            tags: [`${REPO}:failing`],
            networkMode: "none",
            forceRemove: true
          })
        const fromMessages = yield* Effect.flip(Stream.runDrain(build().messages))
        const reason = reasonOf(fromMessages, "StreamError")
        assert.strictEqual(reason.code, 1)
        assert.strictEqual(reason.operation, "ImageBuild")
        assert.strictEqual(reason.reference, `${REPO}:failing`)
        assert.include(reason.message, "returned a non-zero code: 1")
        assert.strictEqual(fromMessages.message, reason.message)

        const fromOutcome = yield* Effect.flip(build().outcome)
        assert.strictEqual(reasonOf(fromOutcome, "StreamError").code, 1)
        const missing = yield* Effect.flip(images.inspect(`${REPO}:failing`))
        reasonOf(missing, "NotFound")
      }))

    // ------------------------------------------------------------------------------------------------------ list

    it.effect("Images.list filters by label and reference, in the map-of-sets and the term-to-values forms; all adds the build steps", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const builtId = needs(state.builtId, "the built image")
        const sets = yield* images.list({ filters: { label: { [LABEL]: true } } })
        const values = yield* images.list({ filters: { label: [LABEL] } })
        assert.sameMembers(sets.map((i) => i.Id), values.map((i) => i.Id))
        assert.include(sets.map((i) => i.Id), builtId)
        assert.include(sets.map((i) => i.Id), state.importedId)
        for (const image of sets) assert.strictEqual(image.Labels?.["dockhand.test"], RUN_ID)

        const byReference = yield* images.list({ filters: { reference: `${REPO}:built`, label: LABEL } })
        assert.deepStrictEqual(byReference.map((i) => i.Id), [builtId])
        assert.deepStrictEqual(byReference[0]!.RepoTags, [`${REPO}:built`], "Docker narrows RepoTags to the match")
        const bySets = yield* images.list({ filters: { reference: { [`${REPO}:built`]: true } } })
        assert.deepStrictEqual(bySets.map((i) => i.Id), [builtId])

        const all = yield* images.list({ all: true, filters: { label: [LABEL] } })
        assert.isAbove(all.length, sets.length, "all=1 also lists the intermediate images of the builds")
        const tagged = yield* images.list({ filters: { label: [LABEL], dangling: false } })
        const dangling = yield* images.list({ filters: { label: [LABEL], dangling: true } })
        assert.include(tagged.map((i) => i.Id), builtId)
        assert.notInclude(dangling.map((i) => i.Id), builtId)
        assert.sameMembers([...tagged, ...dangling].map((i) => i.Id), sets.map((i) => i.Id))
      }))

    it.effect("Images.list with an unknown filter term is a BadRequest with the daemon's message", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip((yield* Images.Images).list({ filters: { bogus: "x" } }))
        const reason = reasonOf(error, "BadRequest")
        assert.strictEqual(reason.status, 400)
        // 28.5 words it in lower case.
        assert.strictEqual(error.message, `Error response from daemon: ${DOCKER28 ? "i" : "I"}nvalid filter 'bogus'`)
      }))

    // --------------------------------------------------------------------------------------- inspect and history

    it.effect("Images.inspect decodes the image, inspectRaw gives the daemon's own JSON, an unknown image is NotFound", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const builtId = needs(state.builtId, "the built image")
        const image = yield* images.inspect(`${REPO}:built`)
        assert.strictEqual(image.Id, builtId)
        assert.strictEqual(image.Os, "linux")
        assert.isString(image.Parent)
        const raw = yield* images.inspectRaw(`${REPO}:built`)
        const json = JSON.parse(raw) as Record<string, unknown>
        assert.strictEqual(json["Id"], builtId)
        if (DOCKER28) {
          // API 1.51 has no `ContainerConfig` (gone in 1.45) and has the image's `Descriptor` (from 1.48).
          assert.notProperty(json, "ContainerConfig")
          assert.property(json, "Descriptor", "the raw text keeps what API 1.51 sends")
        } else assert.property(json, "ContainerConfig", "the raw text keeps what API 1.41 sends")
        const byId = yield* images.inspect(builtId)
        assert.strictEqual(byId.Id, builtId)

        const error = yield* Effect.flip(images.inspect(`${REPO}:nope`))
        const reason = reasonOf(error, "NotFound")
        assert.strictEqual(reason.status, 404)
        assert.strictEqual(reason.operation, "ImageInspect")
        assert.strictEqual(reason.reference, `${REPO}:nope`)
        assert.strictEqual(error.message, `Error response from daemon: ${reason.message}`)
        assert.include(reason.message, `No such image: ${REPO}:nope`)
        reasonOf(yield* Effect.flip(images.inspectRaw(`${REPO}:nope`)), "NotFound")
      }))

    it.effect("Images.history lists the build's steps newest first, the top one carrying the tags", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const builtId = needs(state.builtId, "the built image")
        const history = yield* images.history(`${REPO}:built`)
        assert.strictEqual(history[0]!.Id, builtId)
        assert.include([...(history[0]!.Tags ?? [])], `${REPO}:built`)
        assert.isTrue(history.some((item) => item.CreatedBy.includes("COPY") && item.CreatedBy.includes("hello.txt")))
        assert.isTrue(history.some((item) => item.CreatedBy.includes("/bin/busybox")))
        const created = history.map((item) => item.Created)
        assert.deepStrictEqual(created, [...created].sort((a, b) => b - a), "newest first")
        reasonOf(yield* Effect.flip(images.history(`${REPO}:nope`)), "NotFound")
      }))

    // ------------------------------------------------------------------------------------------------------- tag

    it.effect("Images.tag names an image; a digest target is refused before any request; an unknown source is NotFound", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const builtId = needs(state.builtId, "the built image")
        yield* images.tag(`${REPO}:built`, `${REPO}:tagged`)
        assert.strictEqual((yield* images.inspect(`${REPO}:tagged`)).Id, builtId)
        yield* images.tag(builtId, `${REPO}-other`)
        assert.include([...(yield* images.inspect(builtId)).RepoTags], `${REPO}-other:latest`)

        const digest = yield* Effect.flip(images.tag(`${REPO}:built`, `${REPO}@sha256:${"0".repeat(64)}`))
        assert.strictEqual(
          reasonOf(digest, "InvalidArgument").message,
          "refusing to create a tag with a digest reference"
        )
        const unknown = yield* Effect.flip(images.tag(`${REPO}:nope`, `${REPO}:never`))
        reasonOf(unknown, "NotFound")
      }))

    // ---------------------------------------------------------------------------------------------------- remove

    it.effect("Images.remove untags one of several names; removing an image that several names use is a Conflict unless forced", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const id = needs(state.secondImportId, "the second imported image")
        yield* images.tag(id, `${REPO}:rm-a`)
        yield* images.tag(id, `${REPO}:rm-b`)
        assert.deepStrictEqual(yield* images.remove(`${REPO}:rm-a`), [{ Untagged: `${REPO}:rm-a` }])
        assert.strictEqual((yield* images.inspect(`${REPO}:rm-b`)).Id, id, "the image stays while a name is left")

        const conflict = yield* Effect.flip(images.remove(id))
        const reason = reasonOf(conflict, "Conflict")
        assert.strictEqual(reason.status, 409)
        assert.include(reason.message, "must be forced")

        const forced = yield* images.remove(id, { force: true })
        assert.sameMembers(
          forced.flatMap((item) => item.Untagged ?? []),
          [`${REPO}:imported-2`, `${REPO}:rm-b`]
        )
        assert.include(forced.flatMap((item) => item.Deleted ?? []), id)
        reasonOf(yield* Effect.flip(images.inspect(id)), "NotFound")
        reasonOf(yield* Effect.flip(images.remove(id)), "NotFound")
      }))

    it.effect("Images.remove with noPrune keeps the untagged parent images; without it they are deleted too", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const built = yield* images.build(C.buildContext(chainDockerfile), { tags: [`${REPO}:chain`] }).outcome
        yield* sweeper.image(built.imageId!)
        const parent = (yield* images.inspect(`${REPO}:chain`)).Parent ?? ""
        assert.match(parent, /^sha256:/, "a classic build leaves a parent image per step")
        const grandparent = (yield* images.inspect(parent)).Parent ?? ""
        assert.match(grandparent, /^sha256:/)

        const kept = yield* images.remove(`${REPO}:chain`, { noPrune: true })
        assert.deepStrictEqual(kept.flatMap((item) => item.Deleted ?? []), [built.imageId])
        assert.strictEqual((yield* images.inspect(parent)).Id, parent, "noPrune kept the parent")

        yield* images.tag(parent, `${REPO}:chain-parent`)
        const pruned = yield* images.remove(`${REPO}:chain-parent`)
        const deleted = pruned.flatMap((item) => item.Deleted ?? [])
        assert.include(deleted, parent)
        assert.include(deleted, grandparent, "the untagged ancestors went with it")
        reasonOf(yield* Effect.flip(images.inspect(grandparent)), "NotFound")
      }))

    // ----------------------------------------------------------------------------------------------------- prune

    it.effect("Images.prune filtered by the run's label removes only this run's dangling images", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const builtId = needs(state.builtId, "the built image")
        const dangling = yield* images.import({
          _tag: "Stream",
          stream: C.tarStream(C.rootfsEntries(`${RUN_ID}-dangling`))
        }, {
          changes: [`LABEL ${LABEL}`, "LABEL dockhand.kind=dangling"]
        }).outcome
        yield* sweeper.image(dangling.imageId!)
        const listed = yield* images.list({ filters: { dangling: true, label: [LABEL] } })
        assert.include(listed.map((i) => i.Id), dangling.imageId)

        const report = yield* images.prune({ filters: { label: [LABEL] } })
        assert.include((report.ImagesDeleted ?? []).flatMap((item) => item.Deleted ?? []), dangling.imageId)
        assert.isAbove(report.SpaceReclaimed, 0)
        reasonOf(yield* Effect.flip(images.inspect(dangling.imageId!)), "NotFound")
        assert.strictEqual((yield* images.inspect(`${REPO}:built`)).Id, builtId, "tagged images stay")

        const again = yield* images.prune({ filters: { label: { [LABEL]: true } } })
        assert.deepStrictEqual(again.ImagesDeleted ?? [], [])
        assert.strictEqual(again.SpaceReclaimed, 0)
      }))

    // ---------------------------------------------------------------------------------------------------- search

    it.effect("Images.search against the v2-only plain registry is a typed ServerError (Docker 20.10 asks the v1 API); a bad limit is refused locally", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const { registry } = yield* C.engines
        const error = yield* Effect.flip(images.search(`${registry}/dockhand-conformance`))
        const reason = reasonOf(error, "ServerError")
        assert.strictEqual(reason.status, 500)
        assert.strictEqual(error.message, "Error response from daemon: Unexpected status code 404")
        const limit = yield* Effect.flip(images.search("busybox", { limit: 0 }))
        reasonOf(limit, "InvalidArgument")
      }))

    // ------------------------------------------------------------------------------------ push, pull, registry

    it.effect("Images.push of one tag streams per-layer messages and the PushResult aux; its outcome has tag, digest and size", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        needs(state.builtId, "the built image")
        const target = yield* registryRepo()
        yield* sweeper.image(`${target}:one`)
        yield* sweeper.image(`${target}:two`)
        yield* images.tag(`${REPO}:built`, `${target}:one`)
        yield* images.tag(`${REPO}:imported`, `${target}:two`)

        const messages = yield* Stream.runCollect(images.push(`${target}:one`).messages)
        const seen = statuses(messages)
        assert.strictEqual(seen[0], `The push refers to repository [${target}]`)
        assert.isTrue(seen.some((s) => s === "Pushed" || s === "Layer already exists"))
        const pushedLine = /^one: digest: (sha256:[0-9a-f]{64}) size: (\d+)$/.exec(seen.at(-1) ?? "")
        assert.isNotNull(pushedLine, `the push ends with its digest line: ${seen.at(-1)}`)
        // 28.5 (containerd store) sends no PushResult aux: the digest line is all, and the outcome reads it.
        const aux = DOCKER28
          ? { Tag: "one", Digest: pushedLine![1]!, Size: Number(pushedLine![2]) }
          : messages.find((m) => m.aux !== undefined)?.aux as { Tag: string; Digest: string; Size: number }
        if (DOCKER28) assert.isTrue(messages.every((m) => m.aux === undefined))
        assert.strictEqual(aux.Tag, "one")
        assert.match(aux.Digest, /^sha256:[0-9a-f]{64}$/)
        state.pushDigest = aux.Digest

        const outcome = yield* images.push(`${target}:one`).outcome
        assert.deepStrictEqual(outcome.pushed, aux)
        assert.strictEqual(outcome.digest, aux.Digest)

        const digestRef = yield* Effect.flip(images.push(`${target}@${aux.Digest}`).outcome)
        reasonOf(digestRef, "InvalidArgument")
      }))

    it.effect("Images.push with all pushes every local tag of the repository", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        needs(state.pushDigest, "the pushed image")
        const target = yield* registryRepo()
        const messages = yield* Stream.runCollect(images.push(target, { all: true }).messages)
        const pushed = DOCKER28
          ? statuses(messages).flatMap((s) => /^(\S+): digest: /.exec(s)?.[1] ?? [])
          : messages.flatMap((m) => m.aux === undefined ? [] : [(m.aux as { Tag: string }).Tag])
        assert.sameMembers(pushed, ["one", "two"])
        const outcome = yield* images.push(target, { all: true }).outcome
        assert.include(["one", "two"], outcome.pushed?.Tag)
        const withTag = yield* Effect.flip(images.push(`${target}:one`, { all: true }).outcome)
        reasonOf(withTag, "InvalidArgument")
      }))

    it.effect("Images.distributionInspect asks the registry for the manifest descriptor and platforms", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const digest = needs(state.pushDigest, "the pushed image")
        const target = yield* registryRepo()
        const inspected = yield* images.distributionInspect(`${target}:one`)
        assert.strictEqual(inspected.Descriptor.digest, digest)
        if (DOCKER28) {
          // The containerd store pushes OCI manifests, and 28.5 reads no config for a single manifest.
          assert.strictEqual(inspected.Descriptor.mediaType, "application/vnd.oci.image.manifest.v1+json")
          assert.isNull(inspected.Platforms)
        } else {
          assert.strictEqual(inspected.Descriptor.mediaType, "application/vnd.docker.distribution.manifest.v2+json")
          assert.deepStrictEqual(inspected.Platforms, [{ architecture: "amd64", os: "linux" }])
        }
        const missing = yield* Effect.flip(images.distributionInspect(`${target}:missing`))
        assert.strictEqual(reasonOf(missing, "NotFound").message, "manifest unknown: manifest unknown")
      }))

    it.effect("Images.pull by tag streams the pull to `Downloaded newer image`; pulling again is `up to date` (outcome)", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        needs(state.pushDigest, "the pushed image")
        const target = yield* registryRepo()
        yield* images.remove(`${target}:one`)
        const messages = yield* Stream.runCollect(images.pull(`${target}:one`).messages)
        const seen = statuses(messages)
        assert.strictEqual(seen[0], "Pulling from " + target.slice(target.indexOf("/") + 1))
        assert.strictEqual(seen.at(-1), `Status: Downloaded newer image for ${target}:one`)
        assert.strictEqual(seen.at(-2), `Digest: ${state.pushDigest}`)
        assert.strictEqual((yield* images.inspect(`${target}:one`)).Id, state.builtId)

        const again = yield* images.pull(`${target}:one`).outcome
        assert.deepStrictEqual(again.pullStatus, { upToDate: true, reference: `${target}:one` })
        assert.strictEqual(again.digest, state.pushDigest)
      }))

    it.effect("Images.pull by digest gives the digest in the outcome and the image's RepoDigests", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const digest = needs(state.pushDigest, "the pushed image")
        const target = yield* registryRepo()
        const outcome = yield* images.pull(`${target}@${digest}`).outcome
        assert.strictEqual(outcome.digest, digest)
        const image = yield* images.inspect(`${target}@${digest}`)
        assert.strictEqual(image.Id, state.builtId)
        assert.include([...image.RepoDigests], `${target}@${digest}`)
      }))

    it.effect("Images.pull with all fetches every tag of a repository with two tags", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        needs(state.pushDigest, "the pushed image")
        const target = yield* registryRepo()
        yield* images.remove(`${target}:one`)
        yield* images.remove(`${target}:two`)
        reasonOf(yield* Effect.flip(images.inspect(`${target}:two`)), "NotFound")
        const messages = yield* Stream.runCollect(images.pull(target, { all: true }).messages)
        if (DOCKER28) {
          // 28.5 pulls each tag on its own, each with its `Pulling from`, `Digest:` and `Status:` lines.
          assert.includeMembers(statuses(messages), [
            `Status: Downloaded newer image for ${target}:one`,
            `Status: Downloaded newer image for ${target}:two`
          ])
        } else assert.include(statuses(messages), `Status: Downloaded newer image for ${target}`)
        assert.strictEqual((yield* images.inspect(`${target}:one`)).Id, state.builtId)
        assert.strictEqual((yield* images.inspect(`${target}:two`)).Id, state.importedId)
        const outcome = yield* images.pull(target, { all: true }).outcome
        assert.strictEqual(outcome.pullStatus?.upToDate, true)
        reasonOf(yield* Effect.flip(images.pull(`${target}:one`, { all: true }).outcome), "InvalidArgument")
        const missing = yield* Effect.flip(images.pull(`${target}:missing`).outcome)
        reasonOf(missing, "NotFound")
      }))

    // ------------------------------------------------------------------------------------------------ save, load

    it.effect("Images.save of one name streams a tar whose manifest names that image", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const builtId = needs(state.builtId, "the built image")
        const tar = yield* C.collectBytes(images.save([`${REPO}:built`]))
        const { manifest, paths } = yield* C.readSavedTar(tar)
        assert.lengthOf(manifest, 1)
        assert.deepStrictEqual(manifest[0]!.RepoTags, [`${REPO}:built`])
        if (DOCKER28) {
          // An OCI layout with Docker's manifest.json beside it; the image id is the manifest's digest, a blob.
          assert.match(manifest[0]!.Config, /^blobs\/sha256\/[0-9a-f]{64}$/)
          assert.includeMembers(paths, ["index.json", "oci-layout", `blobs/sha256/${builtId.slice("sha256:".length)}`])
        } else {
          assert.strictEqual(manifest[0]!.Config, `${builtId.slice("sha256:".length)}.json`)
          assert.include(paths, "repositories")
        }
        reasonOf(yield* Effect.flip(Stream.runDrain(images.save([`${REPO}:nope`]))), "NotFound")
        reasonOf(yield* Effect.flip(Stream.runDrain(images.save([]))), "InvalidArgument")
      }))

    it.effect("Images.save of several names puts each of them in one archive", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        needs(state.builtId, "the built image")
        const tar = yield* C.collectBytes(images.save([`${REPO}:built`, `${REPO}:imported`]))
        const { manifest } = yield* C.readSavedTar(tar)
        assert.sameMembers(manifest.flatMap((item) => item.RepoTags ?? []), [`${REPO}:built`, `${REPO}:imported`])
        state.savedTwo = tar
      }))

    it.effect("Images.load (quiet=0) streams layer progress and `Loaded image:` lines; quiet loads name every image in the outcome", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const tar = needs(state.savedTwo, "the saved archive")
        const importedId = needs(state.importedId, "the imported image")
        yield* images.remove(importedId, { force: true })
        reasonOf(yield* Effect.flip(images.inspect(importedId)), "NotFound")

        const messages = yield* Stream.runCollect(
          images.load(Stream.make(new Uint8Array(tar)), { quiet: false }).messages
        )
        if (DOCKER28) assert.deepStrictEqual(statuses(messages), [], "the containerd store reports no layer progress")
        else assert.isTrue(statuses(messages).includes("Loading layer"), "quiet=0 reports the layers it loads")
        assert.sameMembers(
          messages.flatMap((m) => m.stream?.startsWith("Loaded image: ") ? [m.stream] : []),
          [`Loaded image: ${REPO}:built\n`, `Loaded image: ${REPO}:imported\n`]
        )
        assert.strictEqual((yield* images.inspect(`${REPO}:imported`)).Id, importedId)

        const quiet = yield* images.load(Stream.make(new Uint8Array(tar)), { quiet: true }).outcome
        assert.sameMembers([...quiet.loaded], [`${REPO}:built`, `${REPO}:imported`])
        assert.strictEqual(quiet.messages, 2, "quiet: only the `Loaded image:` lines")

        const broken = yield* Effect.flip(images.load(Stream.make(new TextEncoder().encode("not a tar"))).outcome)
        reasonOf(broken, "StreamError")
      }))

    it.effect("Images.load of a body marked as a file (BodySource.withFile): Bun sends the file, the others the stream", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const tar = needs(state.savedTwo, "the saved archive")
        const file = nodePath.join(yield* C.tempDir("withfile"), "two.tar")
        fs.writeFileSync(file, tar)
        let ran = false
        const body = BodySource.withFile(Stream.suspend(() => (ran = true, Stream.make(new Uint8Array(tar)))), file)
        const outcome = yield* images.load(body, { quiet: true }).outcome
        assert.sameMembers([...outcome.loaded], [`${REPO}:built`, `${REPO}:imported`])
        assert.strictEqual(ran, C.runtimeName !== "bun", "only Bun's transport sends the file itself")
      }).pipe(Effect.scoped))

    // ---------------------------------------------------------------------------------------------------- commit

    it.effect("Images.commit makes an image from a container created through the engine's connection (network none)", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const builtId = needs(state.builtId, "the built image")
        const containerId = yield* C.createContainer(builtId, `dockhand-conformance-${RUN_ID}-commit`, RUN_ID)
        yield* sweeper.container(containerId)
        const { Id } = yield* images.commit(containerId, {
          reference: `${REPO}:committed`,
          comment: `committed by ${RUN_ID}`,
          author: "dockhand conformance",
          changes: ["ENV C=d", `CMD ["/bin/busybox", "true"]`],
          config: { Labels: { "dockhand.test": RUN_ID, "dockhand.from-config": "yes" } },
          pause: false
        })
        yield* sweeper.image(Id)
        assert.match(Id, /^sha256:[0-9a-f]{64}$/)
        const image = yield* images.inspect(`${REPO}:committed`)
        assert.strictEqual(image.Id, Id)
        assert.strictEqual(image.Parent, builtId)
        assert.strictEqual(image.Comment, `committed by ${RUN_ID}`)
        assert.strictEqual(image.Author, "dockhand conformance")
        assert.include(image.Config?.Env ?? [], "C=d")
        assert.deepStrictEqual(image.Config?.Cmd, ["/bin/busybox", "true"])
        assert.strictEqual(image.Config?.Labels?.["dockhand.from-config"], "yes")
        reasonOf(yield* Effect.flip(images.commit(`dockhand-conformance-${RUN_ID}-nope`)), "NotFound")
      }))

    // ------------------------------------------------------------------------------------- build cache, disk

    it.effect("Images.buildCachePrune answers Docker 20.10's report (the classic builder caches nothing there)", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const report = yield* images.buildCachePrune({
          reservedSpace: 1024 * 1024 * 1024,
          filters: { id: [`dockhand-conformance-${RUN_ID}`] }
        })
        assert.deepStrictEqual(report.CachesDeleted ?? [], [])
        assert.strictEqual(report.SpaceReclaimed, 0)
      }))

    it.effect("SystemApi.diskUsage decodes the pre-1.52 answer and sums up the image part, the run's images included", () =>
      Effect.gen(function*() {
        const system = yield* SystemApi.SystemApi
        const builtId = needs(state.builtId, "the built image")
        const usage = yield* system.diskUsage()
        assert.isUndefined(usage.raw.ImageUsage, "API 1.41 has no ImageUsage")
        assert.include(usage.images.items.map((i) => i.Id), builtId)
        assert.strictEqual(usage.images.totalCount, usage.raw.Images?.length)
        assert.isAbove(usage.images.totalSize, 0)
        assert.isAtLeast(usage.images.activeCount, 1, "the commit test's container uses the built image")
        assert.isAtLeast(usage.images.reclaimable, 0)
      }))

    // ---------------------------------------------------------------------------------------------- version gates

    it.effect(`options that need an API newer than the engine's (${API}) fail with an ApiVersionError before any request`, () =>
      Effect.gen(function*() {
        const sent: Array<string> = []
        const counting = Layer.effect(
          DockerEngine.DockerEngine,
          Effect.gen(function*() {
            const engine = yield* DockerEngine.DockerEngine
            return DockerEngine.DockerEngine.of({
              ...engine,
              execute: (call, request) =>
                Effect.suspend(() => {
                  sent.push(`${call.operation} ${request.method} ${request.url}`)
                  return engine.execute(call, request)
                })
            })
          })
        )
        const gated = Layer.mergeAll(Images.layer, SystemApi.layer).pipe(
          Layer.provide(counting),
          Layer.provide(C.dockerLayer)
        )
        const neverRead = Stream.fromEffect(Effect.die("the load body must not be read"))
        const cases = Effect.gen(function*() {
          const images = yield* Images.Images
          const system = yield* SystemApi.SystemApi
          const ref = `${REPO}:built`
          return [
            ["shared-size", "1.42", images.list({ sharedSize: true })],
            ["manifests", "1.47", images.list({ manifests: true })],
            ["identity", "1.54", images.list({ identity: true })],
            ["manifests", "1.48", images.inspect(ref, { manifests: true })],
            ["platform", "1.49", images.inspectRaw(ref, { platform: A_PLATFORM })],
            ["platform", "1.48", images.history(ref, { platform: A_PLATFORM })],
            ["platforms", "1.50", images.remove(ref, { platforms: [A_PLATFORM] })],
            ["platform", "1.46", images.push(`${REPO}:built`, { platform: A_PLATFORM }).outcome],
            ["platform", "1.48", Stream.runDrain(images.save([ref], { platforms: [A_PLATFORM] }))],
            ["platform", "1.48", images.load(neverRead, { platforms: [A_PLATFORM] }).outcome],
            ["max-used-space", "1.48", images.buildCachePrune({ maxUsedSpace: 1 })],
            ["min-free-space", "1.48", images.buildCachePrune({ minFreeSpace: 1 })],
            ["type", "1.42", system.diskUsage({ types: ["image"] })],
            ["verbose", "1.52", system.diskUsage({ verbose: true })]
          ] as const
        })
        // The options the engine's own version does not reach (all of them on 1.41; `identity` and `verbose` on
        // 1.51); the others would really run.
        const newer = (required: string) => Number(required.split(".")[1]) > Number(API.split(".")[1])
        yield* Effect.gen(function*() {
          const gatedCases = (yield* cases).filter(([, required]) => newer(required))
          assert.lengthOf(gatedCases, DOCKER28 ? 2 : 14)
          for (const [option, required, call] of gatedCases) {
            const error = yield* Effect.flip(call as Effect.Effect<unknown, DockerError.DockerError>)
            const reason = reasonOf(error, "ApiVersionError")
            assert.strictEqual(reason.option, option)
            assert.strictEqual(reason.required, required)
            assert.strictEqual(reason.actual, API)
            assert.strictEqual(
              error.message,
              `"${option}" requires API version ${required}, but the Docker daemon API version is ${API}`
            )
          }
        }).pipe(Effect.provide(gated))
        assert.deepStrictEqual(sent, [], "no request reached the daemon")
      }))

    // --------------------------------------------------------------------------------------------------- cleanup

    it.effect("the run's containers and images are all removed again (only those labelled with the run)", () =>
      Effect.gen(function*() {
        const sweeper = yield* C.Sweeper
        const images = yield* Images.Images
        assert.deepStrictEqual(yield* sweeper.sweep, [])
        assert.deepStrictEqual(yield* images.list({ all: true, filters: { label: [LABEL] } }), [])
        assert.deepStrictEqual(yield* images.list({ filters: { reference: [`${REPO}*`] } }), [])
      }))
  })
})
