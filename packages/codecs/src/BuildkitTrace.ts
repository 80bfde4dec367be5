/**
 * BuildKit's build progress as the Docker Engine streams it from `POST /build?version=2`: each
 * `{"id":"moby.buildkit.trace","aux":"<base64>"}` line carries one protobuf `StatusResponse` (decoded with the
 * TypeScript generated from BuildKit's own `.proto` definitions), read here into plain typed values: the steps
 * (vertexes) with their timing, cache hits and errors, the sub-task statuses, the output of `RUN` steps, and the
 * warnings with the source ranges they point at. {@link makeTracker} follows a whole build to name the step that
 * failed and its last lines of output.
 *
 * @since 0.1.0
 */
import { fromBinary } from "@bufbuild/protobuf"
import type { Timestamp as ProtoTimestamp } from "@bufbuild/protobuf/wkt"
import type { JsonMessage } from "@dockhand/models"
import * as Base64 from "effect/encoding/Base64"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Control from "./internal/buildkit/control_pb.ts"
import * as Utf8 from "./internal/utf8.ts"

/**
 * The `id` of a progress line that carries a BuildKit `StatusResponse`.
 *
 * @category constants
 * @since 0.1.0
 */
export const traceId = "moby.buildkit.trace"

/**
 * The `id` of the line that names the image a BuildKit build made (`aux` is `{"ID":"sha256:..."}`).
 *
 * @category constants
 * @since 0.1.0
 */
export const imageIdId = "moby.image.id"

/**
 * A time exactly as BuildKit sent it (protobuf's `Timestamp`): whole Unix seconds, and the nanoseconds within that
 * second (0 to 999,999,999). The millisecond fields beside it are the same time as a double, exact to about a
 * microsecond; this is for output that must show every digit the daemon sent (buildx's raw JSON).
 *
 * @category models
 * @since 0.1.0
 */
export interface Timestamp {
  readonly seconds: number
  readonly nanos: number
}

/**
 * A step of the build (BuildKit's `Vertex`). Times are Unix milliseconds (with the sub-millisecond part as a
 * fraction), each also given exactly as a {@link Timestamp}; a vertex is sent again whenever it starts, completes or
 * fails, with the same `digest`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Vertex {
  readonly digest: string
  /** The digests of the steps this one builds on. */
  readonly inputs: ReadonlyArray<string>
  /** What the step is, as the progress views show it: `[stage 2/3] RUN make`, `[internal] load build context`. */
  readonly name: string
  /** The step's result came from the build cache. */
  readonly cached: boolean
  readonly started?: number | undefined
  readonly completed?: number | undefined
  /** `started`, exactly as sent. */
  readonly startedExact?: Timestamp | undefined
  /** `completed`, exactly as sent. */
  readonly completedExact?: Timestamp | undefined
  /** Why the step failed. */
  readonly error?: string | undefined
  readonly progressGroup?: { readonly id: string; readonly name: string; readonly weak: boolean } | undefined
}

/**
 * A sub-task of a step (BuildKit's `VertexStatus`): a layer being exported, a context being transferred.
 * `total` is 0 when unknown. Times as in {@link Vertex}.
 *
 * @category models
 * @since 0.1.0
 */
export interface VertexStatus {
  readonly id: string
  readonly vertex: string
  readonly name: string
  readonly current: number
  readonly total: number
  readonly timestamp?: number | undefined
  readonly started?: number | undefined
  readonly completed?: number | undefined
  /** `timestamp`, exactly as sent. */
  readonly timestampExact?: Timestamp | undefined
  /** `started`, exactly as sent. */
  readonly startedExact?: Timestamp | undefined
  /** `completed`, exactly as sent. */
  readonly completedExact?: Timestamp | undefined
}

/**
 * Output a step wrote (BuildKit's `VertexLog`): `stream` 1 is stdout, 2 stderr. The bytes are a chunk, not
 * necessarily whole lines. Times as in {@link Vertex}.
 *
 * @category models
 * @since 0.1.0
 */
export interface VertexLog {
  readonly vertex: string
  readonly timestamp?: number | undefined
  /** `timestamp`, exactly as sent. */
  readonly timestampExact?: Timestamp | undefined
  readonly stream: number
  readonly data: Uint8Array
}

/**
 * A line (from 1) and column of a source file.
 *
 * @category models
 * @since 0.1.0
 */
export interface Position {
  readonly line: number
  readonly character: number
}

/**
 * A span of a source file.
 *
 * @category models
 * @since 0.1.0
 */
export interface Range {
  readonly start: Position
  readonly end: Position
}

/**
 * The source file a warning points into: its name, its text and the language (`Dockerfile`).
 *
 * @category models
 * @since 0.1.0
 */
export interface SourceInfo {
  readonly filename: string
  readonly data: Uint8Array
  readonly language: string
}

/**
 * A warning about a step (BuildKit's `VertexWarning`), such as a Dockerfile check: `short` is the one-line text
 * (`LegacyKeyValueFormat: ... (line 8)`), `detail` the longer explanation, `url` where to read more.
 *
 * @category models
 * @since 0.1.0
 */
export interface VertexWarning {
  readonly vertex: string
  readonly level: number
  readonly short: string
  readonly detail: ReadonlyArray<string>
  readonly url: string
  readonly source?: SourceInfo | undefined
  readonly ranges: ReadonlyArray<Range>
}

/**
 * One update of a build's progress (BuildKit's `StatusResponse`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Trace {
  readonly vertexes: ReadonlyArray<Vertex>
  readonly statuses: ReadonlyArray<VertexStatus>
  readonly logs: ReadonlyArray<VertexLog>
  readonly warnings: ReadonlyArray<VertexWarning>
}

/**
 * A trace line could not be read: its `aux` is not a base64 string (`NotBase64`) or the bytes are not a
 * `StatusResponse` (`Malformed`).
 *
 * @category errors
 * @since 0.1.0
 */
export class TraceError extends Schema.TaggedError<TraceError>()("TraceError", {
  reason: Schema.Literals(["NotBase64", "Malformed"]),
  message: Schema.String
}) {}

const millis = (timestamp: ProtoTimestamp | undefined): number | undefined =>
  timestamp === undefined ? undefined : Number(timestamp.seconds) * 1000 + timestamp.nanos / 1_000_000

const exact = (timestamp: ProtoTimestamp | undefined): Timestamp | undefined =>
  timestamp === undefined ? undefined : { seconds: Number(timestamp.seconds), nanos: timestamp.nanos }

const fromProto = (response: Control.StatusResponse): Trace => ({
  vertexes: response.vertexes.map((vertex) => ({
    digest: vertex.digest,
    inputs: vertex.inputs,
    name: vertex.name,
    cached: vertex.cached,
    started: millis(vertex.started),
    completed: millis(vertex.completed),
    startedExact: exact(vertex.started),
    completedExact: exact(vertex.completed),
    error: vertex.error === "" ? undefined : vertex.error,
    progressGroup: vertex.progressGroup === undefined
      ? undefined
      : { id: vertex.progressGroup.id, name: vertex.progressGroup.name, weak: vertex.progressGroup.weak }
  })),
  statuses: response.statuses.map((status) => ({
    id: status.ID,
    vertex: status.vertex,
    name: status.name,
    current: Number(status.current),
    total: Number(status.total),
    timestamp: millis(status.timestamp),
    started: millis(status.started),
    completed: millis(status.completed),
    timestampExact: exact(status.timestamp),
    startedExact: exact(status.started),
    completedExact: exact(status.completed)
  })),
  logs: response.logs.map((log) => ({
    vertex: log.vertex,
    timestamp: millis(log.timestamp),
    timestampExact: exact(log.timestamp),
    stream: Number(log.stream),
    data: log.msg
  })),
  warnings: response.warnings.map((warning) => ({
    vertex: warning.vertex,
    level: Number(warning.level),
    short: Utf8.decoder.decode(warning.short),
    detail: warning.detail.map((line) => Utf8.decoder.decode(line)),
    url: warning.url,
    source: warning.info === undefined
      ? undefined
      : { filename: warning.info.filename, data: warning.info.data, language: warning.info.language },
    ranges: warning.ranges.map((range) => ({
      start: { line: range.start?.line ?? 0, character: range.start?.character ?? 0 },
      end: { line: range.end?.line ?? 0, character: range.end?.character ?? 0 }
    }))
  }))
})

/**
 * Reads the payload of a trace line: base64 text holding a protobuf `StatusResponse`.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodePayload = (payload: string): Result.Result<Trace, TraceError> => {
  const bytes = Base64.decode(payload)
  if (Result.isFailure(bytes)) {
    return Result.fail(new TraceError({ reason: "NotBase64", message: "the BuildKit trace is not base64 text" }))
  }
  return Result.try({
    try: () => fromProto(fromBinary(Control.StatusResponseSchema, bytes.success, { readUnknownFields: false })),
    catch: (cause) =>
      new TraceError({
        reason: "Malformed",
        message: `the BuildKit trace is not a StatusResponse: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  })
}

/**
 * Whether a progress line carries a BuildKit trace.
 *
 * @category guards
 * @since 0.1.0
 */
export const isTrace = (message: JsonMessage.Message): boolean => message.id === traceId

/**
 * The trace a progress line carries: `None` for any other line, a {@link TraceError} when the payload cannot be
 * read.
 *
 * @category decoding
 * @since 0.1.0
 */
export const fromMessage = (message: JsonMessage.Message): Result.Result<Option.Option<Trace>, TraceError> => {
  if (!isTrace(message)) return Result.succeed(Option.none())
  if (typeof message.aux !== "string") {
    return Result.fail(new TraceError({ reason: "NotBase64", message: "the BuildKit trace is not base64 text" }))
  }
  return Result.map(decodePayload(message.aux), Option.some)
}

/**
 * The step that failed, as {@link Tracker.failure} reports it: its name, BuildKit's error text, and its last lines
 * of output (at most the tracker's `maxLogLines`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Failure {
  readonly vertex: string
  readonly error: string
  readonly logs: ReadonlyArray<string>
}

/**
 * Follows the traces of one build. Memory stays bounded on long builds: a step's output is kept (its last
 * `maxLogLines` lines) only until the step completes without error.
 *
 * @category models
 * @since 0.1.0
 */
export interface Tracker {
  /** Takes in one update. */
  readonly add: (trace: Trace) => void
  /**
   * The step that failed, if any: the last one that failed on its own; a step cancelled because another one failed
   * (its error ends in `context canceled`) only when no step failed on its own.
   */
  readonly failure: () => Option.Option<Failure>
}

/**
 * Whether a step's error is its cancellation (another step failed, or the build was interrupted): the progress views
 * show such a step as `CANCELED`, not `ERROR`.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isCanceled = (error: string): boolean => error.endsWith("context canceled")

/**
 * Makes a {@link Tracker}; `maxLogLines` (default 10) is how many lines of a failed step's output it keeps.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeTracker = (options?: { readonly maxLogLines?: number | undefined }): Tracker => {
  const maxLogLines = options?.maxLogLines ?? 10
  const names = new Map<string, string>()
  const lines = new Map<string, { done: Array<string>; partial: string; text: ReturnType<typeof Utf8.makeDecoder> }>()
  let failed: Failure | undefined
  const add = (trace: Trace): void => {
    for (const log of trace.logs) {
      let entry = lines.get(log.vertex)
      if (entry === undefined) {
        entry = { done: [], partial: "", text: Utf8.makeDecoder() }
        lines.set(log.vertex, entry)
      }
      const parts = (entry.partial + entry.text.decode(log.data, { stream: true })).split("\n")
      entry.partial = parts.pop()!
      entry.done.push(...parts)
      if (entry.done.length > maxLogLines) entry.done.splice(0, entry.done.length - maxLogLines)
    }
    for (const vertex of trace.vertexes) {
      names.set(vertex.digest, vertex.name)
      if (vertex.error !== undefined) {
        const entry = lines.get(vertex.digest)
        const logs = entry === undefined ? [] : entry.partial === "" ? entry.done : [...entry.done, entry.partial]
        const canceled = isCanceled(vertex.error)
        if (failed === undefined || !canceled || isCanceled(failed.error)) {
          failed = { vertex: vertex.name, error: vertex.error, logs: logs.slice(-maxLogLines) }
        }
      } else if (vertex.completed !== undefined) {
        lines.delete(vertex.digest)
      }
    }
  }
  return { add, failure: () => Option.fromUndefinedOr(failed) }
}
