import { BuildkitTrace } from "@dockhand/codecs"
import type { JsonMessage } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import * as BuildkitRawJson from "../src/internal/build/BuildkitRawJson.ts"

/** A build recorded from Engine 28.5.2 (the codecs package's fixtures) as buildx's raw JSON lines. */
const lines = (name: string): Array<string> =>
  readFileSync(new URL(`../../codecs/test/fixtures/buildkit-engine-28.5.2/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .flatMap((line) => {
      const trace = BuildkitTrace.fromMessage(JSON.parse(line) as JsonMessage.Message)
      return Result.isSuccess(trace) && Option.isSome(trace.success) ? [BuildkitRawJson.line(trace.success.value)] : []
    })

describe("BuildkitRawJson", () => {
  it("writes times as Go does: RFC 3339 in UTC with the nanoseconds' trailing zeros dropped", () => {
    // the trace's times are milliseconds as doubles: the nanoseconds are exact to a microsecond
    assert.match(
      BuildkitRawJson.goTime(Date.UTC(2026, 11, 3, 4, 34, 34) + 95.55934),
      /^2026-12-03T04:34:34\.0955593\d*Z$/
    )
    assert.strictEqual(BuildkitRawJson.goTime(Date.UTC(2026, 11, 3, 4, 34, 34) + 95.5), "2026-12-03T04:34:34.0955Z")
    assert.strictEqual(BuildkitRawJson.goTime(Date.UTC(2026, 11, 3, 4, 34, 34) + 500), "2026-12-03T04:34:34.5Z")
    assert.strictEqual(BuildkitRawJson.goTime(Date.UTC(2026, 11, 3, 4, 34, 34)), "2026-12-03T04:34:34Z")
  })

  it("writes the nanoseconds the daemon sent, where milliseconds would lose the last digits", () => {
    const exact = { seconds: 1796272474, nanos: 95_559_341 }
    const millis = exact.seconds * 1000 + exact.nanos / 1_000_000
    assert.strictEqual(BuildkitRawJson.goTime(millis), "2026-12-03T04:34:34.095559326Z")
    assert.strictEqual(BuildkitRawJson.goTimeExact(exact), "2026-12-03T04:34:34.095559341Z")
    const line = BuildkitRawJson.line({
      vertexes: [{ digest: "sha256:1", inputs: [], name: "x", cached: false, started: millis, startedExact: exact }],
      statuses: [{
        id: "s",
        vertex: "sha256:1",
        name: "",
        current: 0,
        total: 0,
        timestamp: millis,
        timestampExact: exact
      }],
      logs: [{ vertex: "sha256:1", stream: 1, data: new Uint8Array([0x61]), timestamp: millis, timestampExact: exact }],
      warnings: []
    })
    assert.strictEqual(line.match(/2026-12-03T04:34:34\.095559341Z/g)?.length, 3)
    assert.notInclude(line, "095559326")
  })

  it("prints each update as one line of client.SolveStatus JSON with buildx's field names", () => {
    const all = [...lines("ok.jsonl"), ...lines("cached.jsonl")]
    assert.isTrue(all.every((line) => line.endsWith("}\n") && !line.slice(0, -1).includes("\n")))
    const parsed = all.map((line) => JSON.parse(line) as Record<string, ReadonlyArray<Record<string, unknown>>>)
    // an update that announces a step: digest and name only (no started, no cached: Go's omitempty)
    assert.match(
      all[0]!,
      /^\{"vertexes":\[\{"digest":"sha256:[0-9a-f]{64}","name":"\[internal\] load remote build context"\},/
    )
    const keys = (field: string) => new Set(parsed.flatMap((p) => (p[field] ?? []).flatMap((o) => Object.keys(o))))
    assert.deepStrictEqual(
      [...keys("vertexes")].sort(),
      ["cached", "completed", "digest", "inputs", "name", "started"]
    )
    assert.deepStrictEqual(
      [...keys("statuses")].sort(),
      ["completed", "current", "id", "started", "timestamp", "vertex"]
    )
    assert.deepStrictEqual([...keys("logs")].sort(), ["data", "stream", "timestamp", "vertex"])
    assert.deepStrictEqual([...keys("warnings")].sort(), [
      "detail",
      "level",
      "range",
      "short",
      "sourceInfo",
      "url",
      "vertex"
    ])
    const log = parsed.flatMap((p) => p["logs"] ?? []).find((l) => l["stream"] === 1)!
    assert.strictEqual(Buffer.from(log["data"] as string, "base64").toString(), "hi from base\n")
    assert.match(log["timestamp"] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/)
    const warning = parsed.flatMap((p) => p["warnings"] ?? [])[0]!
    assert.match(Buffer.from(warning["short"] as string, "base64").toString(), /^LegacyKeyValueFormat: /)
    assert.deepStrictEqual(Object.keys(warning["sourceInfo"] as object), ["filename", "data", "language"])
    assert.deepStrictEqual(warning["range"], [{ start: { line: 8 }, end: { line: 8 } }])
    // every status has current and timestamp, even at 0
    for (const status of parsed.flatMap((p) => p["statuses"] ?? [])) {
      assert.isTrue("current" in status && "timestamp" in status && "id" in status)
    }
  })

  it("escapes <, > and & as Go's encoder does", () => {
    const line = BuildkitRawJson.line({
      vertexes: [{ digest: "sha256:1", inputs: [], name: "RUN echo \"<a&b>\"", cached: true, error: "x" }],
      statuses: [],
      logs: [],
      warnings: []
    })
    assert.strictEqual(
      line,
      "{\"vertexes\":[{\"digest\":\"sha256:1\",\"name\":\"RUN echo \\\"\\u003ca\\u0026b\\u003e\\\"\",\"cached\":true," +
        "\"error\":\"x\"}]}\n"
    )
    assert.strictEqual(BuildkitRawJson.line({ vertexes: [], statuses: [], logs: [], warnings: [] }), "{}\n")
  })
})
