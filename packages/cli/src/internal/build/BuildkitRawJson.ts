/**
 * BuildKit's `--progress=rawjson` view, as `docker build` (buildx 0.29) prints it on standard error: each update of
 * the build as one line of JSON, the `client.SolveStatus` Go value encoded with Go's `encoding/json` (its field
 * names, empty fields left out where Go leaves them out, times in RFC 3339 with nanoseconds in UTC, bytes in base64,
 * `<`, `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026`).
 *
 * Times are the trace's exact ones (whole seconds and nanoseconds, as the daemon sent them); a trace built without
 * them (in tests) falls back to its milliseconds.
 *
 * @internal
 */
import type { BuildkitTrace } from "@dockhand/codecs"
import * as Base64 from "effect/encoding/Base64"

/** Go's `time.Time` in JSON (`RFC3339Nano`, UTC) of an exact time: `2026-12-03T04:34:34.09555934Z`. */
export const goTimeExact = (time: BuildkitTrace.Timestamp): string => {
  const base = new Date(time.seconds * 1000).toISOString().slice(0, 19)
  const fraction = time.nanos === 0 ? "" : `.${String(time.nanos).padStart(9, "0").replace(/0+$/, "")}`
  return `${base}${fraction}Z`
}

/** {@link goTimeExact} of Unix milliseconds with a fraction (exact to about a microsecond). */
export const goTime = (millis: number): string => {
  const seconds = Math.floor(millis / 1000)
  const nanos = Math.round((millis - seconds * 1000) * 1_000_000)
  return nanos >= 1_000_000_000
    ? goTimeExact({ seconds: seconds + 1, nanos: nanos - 1_000_000_000 })
    : goTimeExact({ seconds, nanos })
}

/** Go's `time.Time{}` (an absent protobuf timestamp read with `AsTime`): the Unix epoch. */
const epoch = "1970-01-01T00:00:00Z"

/** JSON text as Go's encoder writes it: HTML characters and the two JavaScript line separators escaped. */
const goString = (text: string): string =>
  JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

const encoder = new TextEncoder()

/** An object with the fields whose value is not `undefined`, in order. */
const object = (fields: ReadonlyArray<readonly [string, string | undefined]>): string =>
  `{${
    fields.filter((field): field is readonly [string, string] => field[1] !== undefined)
      .map(([key, value]) => `${goString(key)}:${value}`).join(",")
  }}`

/** `omitempty` of a string, a number, a boolean and a slice. */
const str = (text: string) => text === "" ? undefined : goString(text)
const int = (n: number) => n === 0 ? undefined : String(n)
const bool = (b: boolean) => b ? "true" : undefined
/** A time that may be absent: the exact one when the trace has it, else its milliseconds. */
const time = (millis: number | undefined, exact: BuildkitTrace.Timestamp | undefined) =>
  exact !== undefined ? goString(goTimeExact(exact)) : millis === undefined ? undefined : goString(goTime(millis))
/** A time Go always writes (a non-pointer `time.Time`): the Unix epoch when absent. */
const timeOrEpoch = (millis: number | undefined, exact: BuildkitTrace.Timestamp | undefined) =>
  time(millis, exact) ?? goString(epoch)
const bytes = (data: Uint8Array) => goString(Base64.encode(data))
const list = <A>(items: ReadonlyArray<A>, each: (item: A) => string) =>
  items.length === 0 ? undefined : `[${items.map(each).join(",")}]`

const vertex = (v: BuildkitTrace.Vertex) =>
  object([
    ["digest", str(v.digest)],
    ["inputs", list(v.inputs, goString)],
    ["name", str(v.name)],
    ["started", time(v.started, v.startedExact)],
    ["completed", time(v.completed, v.completedExact)],
    ["cached", bool(v.cached)],
    ["error", v.error === undefined ? undefined : str(v.error)],
    [
      "progressGroup",
      v.progressGroup === undefined ? undefined : object([
        ["id", str(v.progressGroup.id)],
        ["name", str(v.progressGroup.name)],
        ["weak", bool(v.progressGroup.weak)]
      ])
    ]
  ])

const status = (s: BuildkitTrace.VertexStatus) =>
  object([
    ["id", goString(s.id)],
    ["vertex", str(s.vertex)],
    ["name", str(s.name)],
    ["total", int(s.total)],
    ["current", String(s.current)],
    ["timestamp", timeOrEpoch(s.timestamp, s.timestampExact)],
    ["started", time(s.started, s.startedExact)],
    ["completed", time(s.completed, s.completedExact)]
  ])

const log = (l: BuildkitTrace.VertexLog) =>
  object([
    ["vertex", str(l.vertex)],
    ["stream", int(l.stream)],
    ["data", l.data.length === 0 ? "null" : bytes(l.data)],
    ["timestamp", timeOrEpoch(l.timestamp, l.timestampExact)]
  ])

const position = (p: BuildkitTrace.Position) => object([["line", int(p.line)], ["character", int(p.character)]])

const warning = (w: BuildkitTrace.VertexWarning) =>
  object([
    ["vertex", str(w.vertex)],
    ["level", int(w.level)],
    ["short", w.short === "" ? undefined : bytes(encoder.encode(w.short))],
    ["detail", list(w.detail, (line) => bytes(encoder.encode(line)))],
    ["url", str(w.url)],
    [
      "sourceInfo",
      w.source === undefined ? undefined : object([
        ["filename", str(w.source.filename)],
        ["data", w.source.data.length === 0 ? undefined : bytes(w.source.data)],
        ["language", str(w.source.language)]
      ])
    ],
    ["range", list(w.ranges, (r) => object([["start", position(r.start)], ["end", position(r.end)]]))]
  ])

/** One update as the line buildx prints for it (with its newline). */
export const line = (trace: BuildkitTrace.Trace): string =>
  object([
    ["vertexes", list(trace.vertexes, vertex)],
    ["statuses", list(trace.statuses, status)],
    ["logs", list(trace.logs, log)],
    ["warnings", list(trace.warnings, warning)]
  ]) + "\n"
