import { create, toBinary } from "@bufbuild/protobuf"
import { BuildkitTrace, JsonMessageStream } from "@dockhand/codecs"
import type { JsonMessage } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Base64 from "effect/encoding/Base64"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import * as Control from "../src/internal/buildkit/control_pb.ts"

/** Progress lines of `POST /build?version=2` recorded from Engine 28.5.2 (see fixtures/buildkit-engine-28.5.2). */
const recorded = (name: string): Array<JsonMessage.Message> =>
  readFileSync(new URL(`fixtures/buildkit-engine-28.5.2/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as JsonMessage.Message)

const traces = (messages: ReadonlyArray<JsonMessage.Message>): Array<BuildkitTrace.Trace> =>
  messages.flatMap((message) => {
    const read = BuildkitTrace.fromMessage(message)
    if (Result.isFailure(read)) throw new Error(read.failure.message)
    return Option.isSome(read.success) ? [read.success.value] : []
  })

const text = (data: Uint8Array) => new TextDecoder().decode(data)

describe("BuildkitTrace", () => {
  it("reads every trace line of a recorded build: steps in order, with timing, output and the image ID", () => {
    const messages = recorded("ok.jsonl")
    const all = traces(messages)
    assert.strictEqual(all.length, messages.length - 1)
    const names = [...new Set(all.flatMap((trace) => trace.vertexes.map((vertex) => vertex.name)))]
    assert.deepStrictEqual(names, [
      "[internal] load remote build context",
      "copy /context /",
      "[base 2/2] RUN echo \"hi from base\" && echo \"to stderr\" >&2",
      "[base 1/2] COPY busybox /bin/sh",
      "[final 1/1] RUN echo \"second hi\"",
      "exporting to image"
    ])
    const run = all.flatMap((trace) => trace.vertexes).filter((vertex) => vertex.name.startsWith("[final 1/1]"))
    const done = run.find((vertex) => vertex.completed !== undefined)!
    assert.isTrue(done.started! > 1.7e12 && done.completed! >= done.started!)
    assert.isFalse(done.cached)
    assert.strictEqual(done.inputs.length, 1)
    assert.isUndefined(done.error)
    const logs = all.flatMap((trace) => trace.logs).map((log) => [log.stream, text(log.data)])
    assert.deepStrictEqual(logs, [[1, "hi from base\n"], [2, "to stderr\n"], [1, "second hi\n"]])
    const statuses = all.flatMap((trace) => trace.statuses).filter((status) => status.completed !== undefined)
    assert.include(statuses.map((status) => status.id), "naming to docker.io/library/h11rec:1")
    const outcome = JsonMessageStream.summarize(messages)
    assert.isTrue(Result.isSuccess(outcome))
    assert.strictEqual(
      Result.getOrThrow(outcome).imageId,
      "sha256:ebd759ec29d79447ffc1741e20f19f55e456c5614bf4fd35c59a6b952d0c9091"
    )
  })

  it("reads a Dockerfile warning with its source file and range", () => {
    const [warning] = traces(recorded("ok.jsonl")).flatMap((trace) => trace.warnings)
    assert.strictEqual(
      warning!.short,
      "LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format (line 8)"
    )
    assert.deepStrictEqual(warning!.detail, ["Legacy key/value format with whitespace separator should not be used"])
    assert.strictEqual(warning!.url, "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/")
    assert.strictEqual(warning!.level, 1)
    assert.strictEqual(warning!.source?.filename, "Dockerfile")
    assert.include(text(warning!.source!.data), "ENV who world")
    assert.deepStrictEqual(warning!.ranges, [{ start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }])
  })

  it("marks the steps of a rebuild as cached", () => {
    const last = new Map<string, BuildkitTrace.Vertex>()
    for (const vertex of traces(recorded("cached.jsonl")).flatMap((trace) => trace.vertexes)) {
      last.set(vertex.digest, vertex)
    }
    const steps = [...last.values()].filter((vertex) => /^\[(base|final) /.test(vertex.name))
    assert.strictEqual(steps.length, 3)
    assert.isTrue(steps.every((vertex) => vertex.cached))
  })

  it("names the failed step, its error and its last lines of output", () => {
    const tracker = BuildkitTrace.makeTracker()
    for (const trace of traces(recorded("fail.jsonl"))) tracker.add(trace)
    assert.deepStrictEqual(Option.getOrThrow(tracker.failure()), {
      vertex: "[2/2] RUN echo line one && echo line two && exit 3",
      error:
        "process \"/bin/sh -c echo line one && echo line two && exit 3\" did not complete successfully: exit code: 3",
      logs: ["line one", "line two"]
    })
  })

  it("keeps only the last lines of a step's output, joins lines split across chunks, and forgets finished steps", () => {
    const tracker = BuildkitTrace.makeTracker({ maxLogLines: 2 })
    const log = (vertex: string, msg: string): BuildkitTrace.VertexLog => ({
      vertex,
      stream: 1,
      data: new TextEncoder().encode(msg)
    })
    const vertex = (digest: string, fields: Partial<BuildkitTrace.Vertex>): BuildkitTrace.Vertex => ({
      digest,
      inputs: [],
      name: `step ${digest}`,
      cached: false,
      ...fields
    })
    tracker.add({ vertexes: [], statuses: [], warnings: [], logs: [log("a", "1\n2\n3\npar"), log("a", "tial")] })
    tracker.add({ vertexes: [vertex("b", { completed: 1 })], statuses: [], warnings: [], logs: [log("b", "x\n")] })
    assert.isTrue(Option.isNone(tracker.failure()))
    tracker.add({ vertexes: [vertex("a", { error: "boom", completed: 2 })], statuses: [], warnings: [], logs: [] })
    assert.deepStrictEqual(Option.getOrThrow(tracker.failure()), {
      vertex: "step a",
      error: "boom",
      logs: ["3", "partial"]
    })
  })

  it("names the step that failed on its own, not one cancelled after it", () => {
    const tracker = BuildkitTrace.makeTracker()
    const vertex = (digest: string, error: string): BuildkitTrace.Vertex => ({
      digest,
      inputs: [],
      name: `step ${digest}`,
      cached: false,
      error,
      completed: 1
    })
    const add = (...vertexes: Array<BuildkitTrace.Vertex>) =>
      tracker.add({ vertexes, statuses: [], warnings: [], logs: [] })
    add(vertex("a", "canceled: context canceled"))
    assert.strictEqual(Option.getOrThrow(tracker.failure()).vertex, "step a")
    add(vertex("b", "process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3"))
    add(vertex("c", "context canceled"))
    assert.strictEqual(Option.getOrThrow(tracker.failure()).vertex, "step b")
    add(vertex("d", "exit code: 4"))
    assert.strictEqual(Option.getOrThrow(tracker.failure()).vertex, "step d")
    assert.isTrue(BuildkitTrace.isCanceled("failed: context canceled"))
    assert.isFalse(BuildkitTrace.isCanceled("context canceled: no, exit code: 1"))
  })

  it("reads a payload made with the generated types, and refuses one that is not base64 or not a StatusResponse", () => {
    const response = create(Control.StatusResponseSchema, {
      vertexes: [{ digest: "sha256:1", name: "[1/1] RUN x", cached: true, started: { seconds: 2n, nanos: 500_000 } }],
      statuses: [{ ID: "s", vertex: "sha256:1", name: "pulling", current: 5n, total: 10n }]
    })
    const trace = Result.getOrThrow(
      BuildkitTrace.decodePayload(Base64.encode(toBinary(Control.StatusResponseSchema, response)))
    )
    assert.deepStrictEqual(trace.vertexes[0]!.started, 2000.5)
    assert.isTrue(trace.vertexes[0]!.cached)
    assert.deepStrictEqual([trace.statuses[0]!.current, trace.statuses[0]!.total], [5, 10])
    const notBase64 = BuildkitTrace.fromMessage({ id: "moby.buildkit.trace", aux: { ID: "x" } })
    assert.strictEqual(Result.isFailure(notBase64) && notBase64.failure.reason, "NotBase64")
    const malformed = BuildkitTrace.decodePayload(Base64.encode(new Uint8Array([0x0a, 0x05, 0x01])))
    assert.strictEqual(Result.isFailure(malformed) && malformed.failure.reason, "Malformed")
    assert.isTrue(Result.isSuccess(BuildkitTrace.fromMessage({ status: "x" })))
  })

  it("gives every time exactly as sent beside its milliseconds", () => {
    // 95,559,341 ns: as a double of milliseconds it reads back as 95,559,326 ns
    const sent = { seconds: 1796272474n, nanos: 95_559_341 }
    const response = create(Control.StatusResponseSchema, {
      vertexes: [{ digest: "sha256:1", name: "x", started: sent, completed: sent }],
      statuses: [{ ID: "s", vertex: "sha256:1", timestamp: sent, started: sent, completed: sent }],
      logs: [{ vertex: "sha256:1", timestamp: sent, stream: 1n, msg: new Uint8Array([0x61]) }]
    })
    const trace = Result.getOrThrow(
      BuildkitTrace.decodePayload(Base64.encode(toBinary(Control.StatusResponseSchema, response)))
    )
    const exact = { seconds: 1796272474, nanos: 95_559_341 }
    const [vertex, status, log] = [trace.vertexes[0]!, trace.statuses[0]!, trace.logs[0]!]
    assert.deepStrictEqual([vertex.startedExact, vertex.completedExact], [exact, exact])
    assert.deepStrictEqual([status.timestampExact, status.startedExact, status.completedExact], [exact, exact, exact])
    assert.deepStrictEqual(log.timestampExact, exact)
    assert.strictEqual(Math.round(vertex.started!), 1796272474096)
    // an absent time is absent in both forms
    const bare = Result.getOrThrow(BuildkitTrace.decodePayload(Base64.encode(toBinary(
      Control.StatusResponseSchema,
      create(Control.StatusResponseSchema, { vertexes: [{ digest: "sha256:2", name: "y" }] })
    ))))
    assert.isUndefined(bare.vertexes[0]!.started)
    assert.isUndefined(bare.vertexes[0]!.startedExact)
  })
})
