/**
 * BuildKit builds (`Images.build` with `version: "2"`, the context as a tar body) against the private Docker Engine
 * 28.5 (`DOCKHAND_DOCKER28_SOCK`), through this runtime's entry of `@dockhand/client`: the image ID as the outcome,
 * the steps, cache hits and `RUN` output read from the `moby.buildkit.trace` lines, build args and labels in the
 * image, a multi-stage build stopped at `target`, and a failing `RUN` reported as a `StreamError` that names the
 * step and carries its output. `RUN` steps run with `networkMode: "none"` (the engine has no bridge network).
 */
import { BuildkitTrace } from "@dockhand/codecs"
import type { JsonMessage } from "@dockhand/models"
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as Images from "../../src/Images.ts"
import * as C from "./Conformance.ts"
import * as Fixtures28 from "./Fixtures28.ts"

const RUN_ID = C.makeRunId()
const REPO = `dockhand-conformance/${RUN_ID}-buildkit`

const docker28 = Fixtures28.negotiatedLayer28()

const DOCKERFILE = `FROM scratch AS base
COPY busybox /bin/sh
ARG GREETING=hello
RUN echo "$GREETING from base" && echo "run ${RUN_ID}" >&2
LABEL stage=base

FROM base AS final
RUN echo "second $GREETING"
LABEL stage=final
`

/** The last state of every step a build reported, in the order the steps first appeared, and all output lines. */
const summarize = (messages: ReadonlyArray<JsonMessage.Message>) => {
  const steps = new Map<string, BuildkitTrace.Vertex>()
  const output: Array<string> = []
  for (const message of messages) {
    const read = BuildkitTrace.fromMessage(message)
    assert.isTrue(Result.isSuccess(read))
    if (Result.isFailure(read) || Option.isNone(read.success)) continue
    for (const vertex of read.success.value.vertexes) steps.set(vertex.digest, vertex)
    for (const log of read.success.value.logs) output.push(new TextDecoder().decode(log.data))
  }
  return { steps: [...steps.values()], output: output.join("") }
}

const buildAll = (images: Images.Service, options: Images.BuildOptions, dockerfile = DOCKERFILE) =>
  Stream.runCollect(
    images.build(C.buildContext(dockerfile), { version: "2", networkMode: "none", ...options }).messages
  )

describe("BuildKit builds on Docker Engine 28.5", () => {
  layer(docker28, { excludeTestServices: true })((it) => {
    it.effect("builds with build args and labels, shows the steps and RUN output, and gives the image ID", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const tag = `${REPO}:args`
        const options: Images.BuildOptions = {
          tags: [tag],
          buildArgs: { GREETING: "hi" },
          labels: { [C.LABEL_KEY]: RUN_ID },
          noCache: true
        }
        const messages = yield* buildAll(images, options)
        const { steps, output } = summarize(messages)
        const named = steps.map((step) => step.name).filter((name) => name.startsWith("["))
        assert.includeMembers(named, [
          "[base 1/2] COPY busybox /bin/sh",
          // BuildKit names the steps with the build args expanded
          `[base 2/2] RUN echo "hi from base" && echo "run ${RUN_ID}" >&2`,
          "[final 1/1] RUN echo \"second hi\""
        ])
        assert.isTrue(steps.every((step) => step.completed !== undefined && step.error === undefined))
        assert.include(output, "hi from base\n")
        assert.include(output, `run ${RUN_ID}\n`)
        assert.include(output, "second hi\n")
        const outcome = yield* images.build(C.buildContext(DOCKERFILE), {
          version: "2",
          networkMode: "none",
          ...options,
          noCache: false
        }).outcome
        assert.match(outcome.imageId ?? "", /^sha256:[0-9a-f]{64}$/)
        const inspected = yield* images.inspect(tag)
        assert.strictEqual(inspected.Id, outcome.imageId)
        assert.strictEqual(inspected.Config?.Labels?.["stage"], "final")
        assert.strictEqual(inspected.Config?.Labels?.[C.LABEL_KEY], RUN_ID)
        yield* images.remove(tag, { force: true })
      }))

    it.effect("a rebuild takes every step from the cache", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const options: Images.BuildOptions = { buildArgs: { GREETING: "cached" }, tags: [`${REPO}:cached`] }
        const first = summarize(yield* buildAll(images, options))
        assert.isTrue(first.steps.some((step) => step.name.startsWith("[final") && !step.cached))
        const again = summarize(yield* buildAll(images, options))
        const steps = again.steps.filter((step) => /^\[(base|final) /.test(step.name))
        assert.lengthOf(steps, 3)
        assert.isTrue(steps.every((step) => step.cached))
        assert.notInclude(again.output, "second cached")
        yield* images.remove(`${REPO}:cached`, { force: true })
      }))

    it.effect("builds up to the target stage", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const tag = `${REPO}:target`
        const { steps } = summarize(yield* buildAll(images, { tags: [tag], target: "base" }))
        assert.isFalse(steps.some((step) => step.name.startsWith("[final")))
        assert.strictEqual((yield* images.inspect(tag)).Config?.Labels?.["stage"], "base")
        yield* images.remove(tag, { force: true })
      }))

    it.effect("a failing RUN fails with a StreamError naming the step, with its last output lines", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const dockerfile = `FROM scratch\nCOPY busybox /bin/sh\nRUN echo one ${RUN_ID} && echo two && exit 3\n`
        const error = yield* Effect.flip(
          images.build(C.buildContext(dockerfile), { version: "2", networkMode: "none" }).outcome
        )
        assert.strictEqual(error.reason._tag, "StreamError")
        if (error.reason._tag !== "StreamError") return
        assert.strictEqual(
          error.message,
          `process "/bin/sh -c echo one ${RUN_ID} && echo two && exit 3" did not complete successfully: exit code: 3`
        )
        assert.strictEqual(error.reason.vertex, `[2/2] RUN echo one ${RUN_ID} && echo two && exit 3`)
        assert.deepStrictEqual(error.reason.logs, [`one ${RUN_ID}`, "two"])
      }))

    it.effect("the daemon's own refusal of a network mode BuildKit lacks comes back as its error", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const error = yield* Effect.flip(buildAll(images, { networkMode: "bridge" }))
        assert.include(error.message, "network mode \"bridge\" not supported by buildkit")
      }))
  })
})
