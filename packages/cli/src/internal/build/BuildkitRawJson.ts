/**
 * BuildKit's `--progress=rawjson` view, as `docker build` (buildx 0.29) prints it on standard error: each update of
 * the build as one line of JSON, the `client.SolveStatus` Go value encoded with Go's `encoding/json` (its field
 * names, empty fields left out where Go leaves them out, times in RFC 3339 with nanoseconds in UTC, bytes in base64,
 * `<`, `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026`).
 *
 * Times come from the decoded trace in milliseconds, so their last digits of nanoseconds may differ from the
 * daemon's (by less than a microsecond).
 *
 * @internal
 */
import type { BuildkitTrace } from "@dockhand/codecs"
import * as Base64 from "effect/encoding/Base64"

/** Go's `time.Time` in JSON (`RFC3339Nano`, UTC): `2026-12-03T04:34:34.09555934Z`, trailing zeros dropped. */
export const goTime = (millis: number): string => {
  const seconds = Math.floor(millis / 1000)
  let nanos = Math.round((millis - seconds * 1000) * 1_000_000)
  let whole = seconds
  if (nanos >= 1_000_000_000) {
    whole += 1
    nanos -= 1_000_000_000
  }
  const base = new Date(whole * 1000).toISOString().slice(0, 19)
  const fraction = nanos === 0 ? "" : `.${String(nanos).padStart(9, "0").replace(/0+$/, "")}`
  return `${base}${fraction}Z`
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
const time = (millis: number | undefined) => millis === undefined ? undefined : goString(goTime(millis))
const bytes = (data: Uint8Array) => goString(Base64.encode(data))
const list = <A>(items: ReadonlyArray<A>, each: (item: A) => string) =>
  items.length === 0 ? undefined : `[${items.map(each).join(",")}]`

const vertex = (v: BuildkitTrace.Vertex) =>
  object([
    ["digest", str(v.digest)],
    ["inputs", list(v.inputs, goString)],
    ["name", str(v.name)],
    ["started", time(v.started)],
    ["completed", time(v.completed)],
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
    ["timestamp", goString(s.timestamp === undefined ? epoch : goTime(s.timestamp))],
    ["started", time(s.started)],
    ["completed", time(s.completed)]
  ])

const log = (l: BuildkitTrace.VertexLog) =>
  object([
    ["vertex", str(l.vertex)],
    ["stream", int(l.stream)],
    ["data", l.data.length === 0 ? "null" : bytes(l.data)],
    ["timestamp", goString(l.timestamp === undefined ? epoch : goTime(l.timestamp))]
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
