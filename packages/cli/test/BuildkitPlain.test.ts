import { BuildkitTrace } from "@dockhand/codecs"
import type { JsonMessage } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import * as BuildkitPlain from "../src/internal/build/BuildkitPlain.ts"

/** Draws a build recorded from Engine 28.5.2 (the codecs package's fixtures) as buildx's plain view. */
const draw = (name: string): string => {
  const plain = BuildkitPlain.make("building with \"default\" instance using docker driver")
  let out = ""
  const lines = readFileSync(
    new URL(`../../codecs/test/fixtures/buildkit-engine-28.5.2/${name}`, import.meta.url),
    "utf8"
  )
  for (const line of lines.split("\n").filter((l) => l !== "")) {
    const trace = BuildkitTrace.fromMessage(JSON.parse(line) as JsonMessage.Message)
    if (Result.isSuccess(trace) && Option.isSome(trace.success)) out += plain.update(trace.success.value)
  }
  return out + plain.done() + BuildkitPlain.warningsSummary(plain.warnings())
}

/** Times masked: `DONE 0.1s`, a log line's `0.123`, a sub-task's `0.7s`. */
const mask = (text: string) =>
  text.replace(/ \d+\.\ds( done)?$/gm, " <t>$1").replace(/^(#\d+ |)\d+\.\d{3} /gm, "$1<t> ")

describe("BuildkitPlain", () => {
  it("draws a failed build as buildx's plain view: steps, output, ERROR and the failed step's last lines", () => {
    assert.strictEqual(
      mask(draw("fail.jsonl")),
      [
        "#0 building with \"default\" instance using docker driver",
        "",
        "#1 [internal] load remote build context",
        "#1 DONE <t>",
        "",
        "#1 [internal] load remote build context",
        "#1 CACHED",
        "",
        "#2 copy /context /",
        "#2 CACHED",
        "",
        "#3 [1/2] COPY busybox /bin/sh",
        "#3 DONE <t>",
        "",
        "#4 [2/2] RUN echo line one && echo line two && exit 3",
        "#4 <t> line one",
        "#4 <t> line two",
        "#4 ERROR: process \"/bin/sh -c echo line one && echo line two && exit 3\" did not complete successfully: " +
        "exit code: 3",
        "------",
        " > [2/2] RUN echo line one && echo line two && exit 3:",
        "<t> line one",
        "<t> line two",
        "------",
        ""
      ].join("\n")
    )
  })

  it("draws a build cancelled in the daemon (POST /build/cancel) as buildx: the running step CANCELED, no summary", () => {
    assert.strictEqual(
      mask(draw("canceled.jsonl")).split("\n\n").at(-1),
      [
        "#4 [2/2] RUN echo started && sleep 600 && echo never",
        "#4 <t> started",
        "#4 CANCELED",
        ""
      ].join("\n")
    )
  })

  it("shows cache hits, sub-task lines with done, and the warnings summary in yellow", () => {
    const text = mask(draw("cached.jsonl"))
    assert.include(text, "#3 [base 1/2] COPY busybox /bin/sh\n#3 CACHED\n")
    // a sub-task's time shows when it took more than 0.01 s
    assert.match(text, /\n#6 exporting layers\n#6 exporting layers( <t>)? done\n/)
    assert.match(text, /\n#6 naming to docker\.io\/library\/h11rec:1( <t>)? done\n/)
    assert.isTrue(
      text.endsWith(
        "\n \x1b[33m1 warning found (use docker --debug to expand):\n\x1b[0m - LegacyKeyValueFormat: \"ENV key=value\" " +
          "should be used instead of legacy \"ENV key value\" format (line 8)\n"
      )
    )
  })
})

describe("BuildkitPlain.paced", () => {
  /** A session's `[internal] load build context`: checked (started and completed at once), then started again. */
  const vertex = (times: { readonly started?: number; readonly completed?: number }): BuildkitTrace.Vertex => ({
    digest: "sha256:c0",
    inputs: [],
    name: "[internal] load build context",
    cached: false,
    ...times
  })
  const trace = (
    vertexes: ReadonlyArray<BuildkitTrace.Vertex>,
    statuses: ReadonlyArray<BuildkitTrace.VertexStatus> = []
  ): BuildkitTrace.Trace => ({ vertexes, statuses, logs: [], warnings: [] })
  const status = (completed?: number): BuildkitTrace.VertexStatus => ({
    id: "transferring context:",
    vertex: "sha256:c0",
    name: "transferring",
    current: completed === undefined ? 0 : 945,
    total: 0,
    timestamp: completed ?? 1001,
    started: 1001,
    ...(completed === undefined ? {} : { completed })
  })
  /** The updates, each with the time (ms) it arrives at. */
  const updates: ReadonlyArray<readonly [BuildkitTrace.Trace, number]> = [
    [trace([vertex({})]), 0],
    [trace([vertex({ started: 1000, completed: 1000.2 })]), 0.3],
    [trace([vertex({ started: 1000.5 })]), 0.6],
    [trace([], [status()]), 2],
    [trace([], [status(1005)]), 6],
    [trace([vertex({ started: 1000.5, completed: 1006 })]), 7]
  ]

  it("prints a step the daemon completes and starts again within 100 ms once, as buildx does", () => {
    const plain = BuildkitPlain.make(undefined)
    const paced = BuildkitPlain.paced(plain, 100)
    let out = ""
    for (const [update, now] of updates) out += paced.update(update, now)
    out += paced.refresh() + plain.done()
    assert.strictEqual(
      out,
      "#1 [internal] load build context\n#1 transferring context: 945B done\n#1 DONE 0.0s\n"
    )
  })

  it("prints every update when they arrive 100 ms apart or more", () => {
    const plain = BuildkitPlain.make(undefined)
    const paced = BuildkitPlain.paced(plain, 100)
    let out = ""
    updates.forEach(([update], i) => out += paced.update(update, i * 100))
    out += plain.done()
    assert.strictEqual(
      out,
      "#1 [internal] load build context\n#1 DONE 0.0s\n\n#1 [internal] load build context\n" +
        "#1 transferring context:\n#1 transferring context: 945B done\n#1 DONE 0.0s\n"
    )
  })
})
