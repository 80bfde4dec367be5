import type { BuildkitTrace } from "@dockhand/codecs"
import { assert, describe, it } from "@effect/vitest"
import * as StepTracker from "../src/internal/build/StepTracker.ts"

const vertex = (times: { readonly started?: number; readonly completed?: number; readonly cached?: boolean }) =>
  ({
    digest: "sha256:a",
    inputs: [],
    name: "[1/1] RUN x",
    cached: false,
    ...times
  }) satisfies BuildkitTrace.Vertex

describe("StepTracker", () => {
  it("merges intervals as buildx does: overlaps joined, a running one absorbs the later ones", () => {
    assert.deepStrictEqual(StepTracker.mergeIntervals([]), [])
    assert.deepStrictEqual(
      StepTracker.mergeIntervals([{ start: 5, stop: 9 }, { start: 1, stop: 3 }, { start: 2, stop: 4 }]),
      [{ start: 1, stop: 4 }, { start: 5, stop: 9 }]
    )
    assert.deepStrictEqual(
      StepTracker.mergeIntervals([{ start: 1, stop: 3 }, { start: 2, stop: undefined }, { start: 8, stop: 9 }]),
      [{ start: 1, stop: undefined }]
    )
    assert.strictEqual(StepTracker.seconds([{ start: 1000, stop: 1500 }, { start: 2000, stop: 2250 }]), 0.75)
  })

  it("folds a step's vertexes, sub-tasks, warnings and output lines", () => {
    const tracker = StepTracker.make(StepTracker.newStep)
    assert.isFalse(tracker.vertex(vertex({})).started)
    const { started, step } = tracker.vertex(vertex({ started: 1000 }))
    assert.isTrue(started)
    // a repeat of the vertex without times leaves the started one in place
    tracker.vertex(vertex({}))
    assert.strictEqual(step.vertex.started, 1000)
    assert.isFalse(StepTracker.isCompleted(step))
    tracker.text(step, "one\ntw", 1250)
    tracker.text(step, "o\n", 1300)
    assert.deepStrictEqual(step.logs, ["0.250 one", "0.250 two"])
    assert.isFalse(step.logsPartial)
    const status = { id: "exporting layers", vertex: "sha256:a", name: "", current: 0, total: 0 }
    assert.strictEqual(tracker.status({ ...status, started: 1100 }), step)
    tracker.status({ ...status, started: 1100, completed: 1200 })
    assert.isUndefined(tracker.status({ ...status, vertex: "sha256:b" }))
    assert.deepStrictEqual(step.statuses.map((s) => s.value.completed), [1200])
    tracker.warning({ vertex: "sha256:a", level: 1, short: "w", detail: [], url: "", ranges: [] })
    assert.lengthOf(step.warnings, 1)
    assert.lengthOf(tracker.warnings, 1)
    tracker.vertex(vertex({ started: 1000, completed: 1400, cached: true }))
    assert.isTrue(StepTracker.isCompleted(step))
    assert.isTrue(step.vertex.cached)
  })
})
