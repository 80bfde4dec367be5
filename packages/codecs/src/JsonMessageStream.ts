/**
 * The JSON progress stream of pull, push, load, import and build: bytes in whatever chunks the transport delivers
 * become `JsonMessage.Message` values, in-band daemon errors become typed failures, and the interesting lines
 * (image ID, push result, loaded images, pull digest) can be picked out or summed up into an {@link Outcome}.
 *
 * The daemon writes one compact JSON object per line, each ending in `\r\n`, and reports a failure that happens
 * after the `200` as a final line with `errorDetail` (and the deprecated `error` string).
 *
 * @since 0.1.0
 */
import { JsonMessage } from "@dockhand/models"
import type * as Arr from "effect/Array"
import * as Bytes from "effect/Bytes"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Pull from "effect/Pull"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as WireJson from "./WireJson.ts"

// ---------------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------------

/**
 * Why the bytes of a progress stream could not be read as messages:
 *
 * - `Malformed`: a line is not JSON;
 * - `Truncated`: the stream ended in the middle of a line's JSON value (the connection closed early);
 * - `Mismatch`: a line is JSON but not a message (wrong types, or unknown keys in strict mode);
 * - `TooDeep`: a line nests deeper than the allowed depth;
 * - `LineTooLong`: a line grew past `maxLineBytes` before its newline arrived.
 *
 * @category models
 * @since 0.1.0
 */
export const JsonStreamErrorReason = Schema.Literals(["Malformed", "Truncated", "Mismatch", "TooDeep", "LineTooLong"])
/**
 * @category models
 * @since 0.1.0
 */
export type JsonStreamErrorReason = typeof JsonStreamErrorReason.Type

/**
 * The progress stream itself is broken: a line (numbered from 1, empty lines included) could not be read as a
 * message, or the stream ended mid-message. Like {@link WireJson.WireJsonError}, it never quotes the line.
 *
 * @category errors
 * @since 0.1.0
 */
export class JsonStreamError extends Schema.TaggedError<JsonStreamError>()("JsonStreamError", {
  reason: JsonStreamErrorReason,
  line: Schema.Int,
  message: Schema.String,
  issues: Schema.Array(WireJson.WireJsonIssue)
}) {}

/**
 * The daemon reported that the operation failed, in-band, after it had already answered `200`. `code` is whatever
 * the daemon put in `errorDetail.code`: usually absent, an HTTP-like status for some registry errors, and the exit
 * status of the failed `RUN` step in a classic build.
 *
 * @category errors
 * @since 0.1.0
 */
export class InBandError extends Schema.TaggedError<InBandError>()("InBandError", {
  message: Schema.String,
  code: Schema.optionalKey(Schema.Number)
}) {}

// ---------------------------------------------------------------------------------------------------------------
// Decoding bytes into messages
// ---------------------------------------------------------------------------------------------------------------

/**
 * The most bytes one line may take before its newline (32 MiB). Real lines are well under 64 KiB; the limit
 * keeps a daemon that never sends a newline from filling memory.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultMaxLineBytes = 32 * 1024 * 1024

/**
 * Options for reading a progress stream:
 *
 * - `strict`: reject lines with keys the message type does not know (to check an engine against the spec);
 * - `maxLineBytes`: the longest line accepted, {@link defaultMaxLineBytes} by default;
 * - `maxDepth`: the nesting limit of one line, `WireJson.defaultMaxDepth` by default.
 *
 * @category models
 * @since 0.1.0
 */
export interface DecodeOptions {
  readonly strict?: boolean | undefined
  readonly maxLineBytes?: number | undefined
  readonly maxDepth?: number | undefined
}

const LF = 0x0a
const CR = 0x0d

const isBlank = (line: Uint8Array): boolean => {
  for (let i = 0; i < line.length; i++) {
    const b = line[i]
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false
  }
  return true
}

const lineError = (line: number, error: WireJson.WireJsonError, last: boolean): JsonStreamError => {
  const reason: JsonStreamErrorReason = error.reason === "Truncated"
    ? (last ? "Truncated" : "Malformed")
    : error.reason === "Mismatch" || error.reason === "TooDeep"
    ? error.reason
    : "Malformed"
  const message = reason === "Truncated"
    ? `The progress stream ended in the middle of line ${line}: ${error.message}`
    : `Line ${line} of the progress stream is not a valid message: ${error.message}`
  return new JsonStreamError({ reason, line, message, issues: error.issues })
}

/**
 * The stateful core of {@link decode}: cuts bytes into lines on `\n` (so a multi-byte UTF-8 character is never
 * split), drops one trailing `\r` and blank lines, and decodes each line. Each pushed chunk is scanned once; the
 * pieces of a line spread over several chunks are kept in a list and joined once, when its newline arrives, so
 * long lines cost linear time.
 */
const makeLineDecoder = (options: DecodeOptions | undefined) => {
  const maxLineBytes = options?.maxLineBytes ?? defaultMaxLineBytes
  const decodeLine = WireJson.decodeResult(JsonMessage.Message, {
    strict: options?.strict,
    maxDepth: options?.maxDepth
  })
  let pending: Array<Uint8Array> = []
  let pendingBytes = 0
  let lineNumber = 0

  const tooLong = (): JsonStreamError =>
    new JsonStreamError({
      reason: "LineTooLong",
      line: lineNumber + 1,
      message: `Line ${lineNumber + 1} of the progress stream is longer than ${maxLineBytes} bytes`,
      issues: [{ path: "$", expected: `at most ${maxLineBytes} bytes per line`, found: "a longer line" }]
    })

  const finishLine = (
    bytes: Uint8Array,
    out: Array<JsonMessage.Message>,
    last: boolean
  ): JsonStreamError | undefined => {
    lineNumber++
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length
    const line = end === bytes.length ? bytes : bytes.subarray(0, end)
    if (isBlank(line)) return undefined
    const decoded = decodeLine(line)
    if (Result.isFailure(decoded)) return lineError(lineNumber, decoded.failure, last)
    out.push(decoded.success)
    return undefined
  }

  /** Decodes every complete line of `chunk` into `out`; returns the first error, after which nothing is read. */
  const push = (chunk: Uint8Array, out: Array<JsonMessage.Message>): JsonStreamError | undefined => {
    let start = 0
    for (;;) {
      const newline = chunk.indexOf(LF, start)
      if (newline === -1) break
      if (pendingBytes + newline - start > maxLineBytes) return tooLong()
      let line: Uint8Array
      if (pending.length === 0) {
        line = chunk.subarray(start, newline)
      } else {
        pending.push(chunk.subarray(start, newline))
        line = Bytes.concat(pending)
        pending = []
        pendingBytes = 0
      }
      start = newline + 1
      const error = finishLine(line, out, false)
      if (error) return error
    }
    if (start < chunk.length) {
      if (pendingBytes + chunk.length - start > maxLineBytes) return tooLong()
      // copy: the transport may reuse its buffer for the next chunk
      pending.push(chunk.slice(start))
      pendingBytes += chunk.length - start
    }
    return undefined
  }

  /** Decodes a last line that had no newline. */
  const end = (out: Array<JsonMessage.Message>): JsonStreamError | undefined => {
    if (pendingBytes === 0) return undefined
    const line = Bytes.concat(pending)
    pending = []
    pendingBytes = 0
    return finishLine(line, out, true)
  }

  return { push, end }
}

const END: unique symbol = Symbol.for("@dockhand/codecs/JsonMessageStream/END")

/**
 * Reads a byte stream (in any chunking) as progress messages. In-band daemon errors are passed through as data
 * (see {@link failOnError} and {@link decodeOrFail}); a broken stream fails with a {@link JsonStreamError} after
 * the messages before the broken line have been emitted.
 *
 * **Details**
 *
 * Lines end at `\n`; one trailing `\r` is dropped and blank lines are skipped. A last line without a newline is
 * still read, and one that ends mid-value fails with reason `Truncated`. Invalid UTF-8 becomes U+FFFD.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode: {
  (options?: DecodeOptions): <E, R>(self: Stream.Stream<Uint8Array, E, R>) => Stream.Stream<
    JsonMessage.Message,
    JsonStreamError | E,
    R
  >
  <E, R>(self: Stream.Stream<Uint8Array, E, R>, options?: DecodeOptions): Stream.Stream<
    JsonMessage.Message,
    JsonStreamError | E,
    R
  >
} = dual(
  (args) => Stream.isStream(args[0]),
  <E, R>(
    self: Stream.Stream<Uint8Array, E, R>,
    options?: DecodeOptions
  ): Stream.Stream<JsonMessage.Message, JsonStreamError | E, R> =>
    Stream.transformPull(self, (pull) =>
      Effect.sync(() => {
        const lines = makeLineDecoder(options)
        let failure: JsonStreamError | undefined
        let done = false
        const emit = (
          out: Array<JsonMessage.Message>,
          next: () => Pull.Pull<Arr.NonEmptyReadonlyArray<JsonMessage.Message>, E | JsonStreamError, void, R>
        ) => {
          if (out.length > 0) return Effect.succeed(out as unknown as Arr.NonEmptyReadonlyArray<JsonMessage.Message>)
          return next()
        }
        const pump: Pull.Pull<Arr.NonEmptyReadonlyArray<JsonMessage.Message>, E | JsonStreamError, void, R> = Effect
          .suspend(() => {
            if (failure !== undefined) {
              done = true
              const error = failure
              failure = undefined
              return Effect.fail(error)
            }
            if (done) return Cause.done()
            return Effect.flatMap(
              Pull.catchDone(pull, () => Effect.succeed(END)),
              (chunks) => {
                const out: Array<JsonMessage.Message> = []
                if (chunks === END) {
                  done = true
                  const error = lines.end(out)
                  if (error !== undefined) failure = error
                  return emit(out, () => failure !== undefined ? pump : Cause.done())
                }
                for (const chunk of chunks) {
                  const error = lines.push(chunk, out)
                  if (error !== undefined) {
                    failure = error
                    break
                  }
                }
                return emit(out, () => pump)
              }
            )
          })
        return pump
      }))
)

// ---------------------------------------------------------------------------------------------------------------
// In-band errors
// ---------------------------------------------------------------------------------------------------------------

/**
 * Whether a message reports that the operation failed: it has `errorDetail`, or (older daemons) only a non-empty
 * `error` string.
 *
 * @category guards
 * @since 0.1.0
 */
export const isError = (message: JsonMessage.Message): boolean =>
  message.errorDetail !== undefined || (message.error !== undefined && message.error !== "")

/**
 * The failure a message reports, if it reports one. The text is `errorDetail.message`, falling back to the legacy
 * `error` string; the code is `errorDetail.code` when present.
 *
 * @category decoding
 * @since 0.1.0
 */
export const errorOf = (message: JsonMessage.Message): Option.Option<InBandError> => {
  if (!isError(message)) return Option.none()
  const detail = message.errorDetail
  const text = detail?.message ?? message.error ?? ""
  return Option.some(
    detail?.code === undefined
      ? new InBandError({ message: text })
      : new InBandError({ message: text, code: detail.code })
  )
}

/**
 * Turns in-band daemon errors into failures: emits the messages before the first error line, then fails with its
 * {@link InBandError}. The error line itself is not emitted.
 *
 * @category combinators
 * @since 0.1.0
 */
export const failOnError = <E, R>(
  self: Stream.Stream<JsonMessage.Message, E, R>
): Stream.Stream<JsonMessage.Message, E | InBandError, R> =>
  Stream.transformPull(self, (pull) =>
    Effect.sync(() => {
      let failure: InBandError | undefined
      const pump: Pull.Pull<Arr.NonEmptyReadonlyArray<JsonMessage.Message>, E | InBandError, void, R> = Effect
        .suspend(() => {
          if (failure !== undefined) return Effect.fail(failure)
          return Effect.flatMap(pull, (chunk) => {
            for (let index = 0; index < chunk.length; index++) {
              const error = errorOf(chunk[index]!)
              if (Option.isNone(error)) continue
              failure = error.value
              return index > 0
                ? Effect.succeed(chunk.slice(0, index) as unknown as Arr.NonEmptyReadonlyArray<JsonMessage.Message>)
                : Effect.fail(failure)
            }
            return Effect.succeed(chunk)
          })
        })
      return pump
    }))

/**
 * {@link decode} followed by {@link failOnError}: the messages of a healthy stream, failing with a
 * {@link InBandError} when the daemon reports an error and with a {@link JsonStreamError} when the stream breaks.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeOrFail: {
  (options?: DecodeOptions): <E, R>(self: Stream.Stream<Uint8Array, E, R>) => Stream.Stream<
    JsonMessage.Message,
    JsonStreamError | InBandError | E,
    R
  >
  <E, R>(self: Stream.Stream<Uint8Array, E, R>, options?: DecodeOptions): Stream.Stream<
    JsonMessage.Message,
    JsonStreamError | InBandError | E,
    R
  >
} = dual(
  (args) => Stream.isStream(args[0]),
  <E, R>(self: Stream.Stream<Uint8Array, E, R>, options?: DecodeOptions) => failOnError(decode(self, options))
)

// ---------------------------------------------------------------------------------------------------------------
// Picking out results
// ---------------------------------------------------------------------------------------------------------------

/**
 * Builds a reader of a message's `aux` payload as `schema` (lenient: unknown keys are dropped). Gives `None` when
 * the message has no `aux` or it has another shape.
 *
 * @category decoding
 * @since 0.1.0
 */
export const auxOf = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S
): (message: JsonMessage.Message) => Option.Option<S["Type"]> => {
  const read = Schema.decodeUnknownOption(schema)
  return (message) => (message.aux === undefined ? Option.none() : read(message.aux))
}

/**
 * The image ID a build reports in `{"aux":{"ID":"sha256:..."}}` (classic builder, and BuildKit's
 * `moby.image.id` line).
 *
 * @category decoding
 * @since 0.1.0
 */
export const builtImageId: (message: JsonMessage.Message) => Option.Option<string> = (() => {
  const read = auxOf(JsonMessage.BuildResult)
  return (message: JsonMessage.Message) => Option.map(read(message), (result) => result.ID)
})()

const PUSHED_LINE = /^(\S+): digest: (\S+) size: (\d+)$/

/**
 * What a push sent: the tag, manifest digest and size from the `aux` the graphdriver store sends, or else from
 * the `<tag>: digest: sha256:... size: <n>` status line every store writes.
 *
 * @category decoding
 * @since 0.1.0
 */
export const pushResult: (message: JsonMessage.Message) => Option.Option<JsonMessage.PushResult> = (() => {
  const read = auxOf(JsonMessage.PushResult)
  return (message: JsonMessage.Message) => {
    const aux = read(message)
    if (Option.isSome(aux)) return aux
    const match = message.status === undefined ? null : PUSHED_LINE.exec(message.status)
    return match === null ? Option.none() : Option.some({ Tag: match[1]!, Digest: match[2]!, Size: Number(match[3]) })
  }
})()

const LOADED = /^Loaded image(?: ID)?: (\S+)\s*$/

/**
 * The image a load line names: the reference from `Loaded image: busybox:latest`, or the ID from
 * `Loaded image ID: sha256:...` (images saved without a tag).
 *
 * @category decoding
 * @since 0.1.0
 */
export const loadedImage = (message: JsonMessage.Message): Option.Option<string> => {
  const match = message.stream === undefined ? null : LOADED.exec(message.stream)
  return match === null ? Option.none() : Option.some(match[1]!)
}

/**
 * Every image a load line names: Docker writes one per line, Podman's compatible API one line with the names
 * joined by commas (`Loaded image: a:1,b:2`). A reference never contains a comma, so splitting is safe.
 *
 * @category decoding
 * @since 0.1.0
 */
export const loadedImages = (message: JsonMessage.Message): ReadonlyArray<string> =>
  Option.match(loadedImage(message), { onNone: () => [], onSome: (names) => names.split(",").filter((n) => n !== "") })

const DIGEST_ONLY = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/

/**
 * The ID of an imported image: an import ends with a status line holding only the new image's ID,
 * `{"status":"sha256:..."}` (Podman repeats it as the line's `id`).
 *
 * @category decoding
 * @since 0.1.0
 */
export const importedImageId = (message: JsonMessage.Message): Option.Option<string> =>
  message.status !== undefined && (message.id === undefined || message.id === message.status) &&
    DIGEST_ONLY.test(message.status)
    ? Option.some(message.status)
    : Option.none()

const PULL_DIGEST = /^Digest: (\S+)$/

/**
 * The manifest digest a pull reports in its `Digest: sha256:...` status line.
 *
 * @category decoding
 * @since 0.1.0
 */
export const pullDigest = (message: JsonMessage.Message): Option.Option<string> => {
  const match = message.status === undefined ? null : PULL_DIGEST.exec(message.status)
  return match === null ? Option.none() : Option.some(match[1]!)
}

/**
 * How a pull ended: `upToDate` when the local image was already current, and the reference the daemon names.
 *
 * @category models
 * @since 0.1.0
 */
export interface PullStatus {
  readonly upToDate: boolean
  readonly reference: string
}

const PULL_STATUS = /^Status: (Downloaded newer image|Image is up to date) for (\S+)$/

/**
 * Reads a pull's final `Status: Downloaded newer image for ...` or `Status: Image is up to date for ...` line.
 *
 * @category decoding
 * @since 0.1.0
 */
export const pullStatus = (message: JsonMessage.Message): Option.Option<PullStatus> => {
  const match = message.status === undefined ? null : PULL_STATUS.exec(message.status)
  return match === null
    ? Option.none()
    : Option.some({ upToDate: match[1] === "Image is up to date", reference: match[2]! })
}

// ---------------------------------------------------------------------------------------------------------------
// Summing up a whole stream
// ---------------------------------------------------------------------------------------------------------------

/**
 * What a finished progress stream reported:
 *
 * - `messages`: how many messages there were;
 * - `imageId`: the image a build made (`aux.ID`) or an import created (final status line);
 * - `pushed`: the tag, digest and size a push sent (the last one, when several tags were pushed);
 * - `loaded`: the references and IDs a load named, in order;
 * - `digest`: the manifest digest of a pull, or of a push;
 * - `pullStatus`: whether a pull downloaded something or was up to date.
 *
 * @category models
 * @since 0.1.0
 */
export interface Outcome {
  readonly messages: number
  readonly imageId?: string
  readonly pushed?: JsonMessage.PushResult
  readonly loaded: ReadonlyArray<string>
  readonly digest?: string
  readonly pullStatus?: PullStatus
}

const makeTally = () => {
  let messages = 0
  let imageId: string | undefined
  let pushed: JsonMessage.PushResult | undefined
  let digest: string | undefined
  let status: PullStatus | undefined
  const loaded: Array<string> = []
  const add = (message: JsonMessage.Message): void => {
    messages++
    const built = builtImageId(message)
    if (Option.isSome(built)) imageId = built.value
    const imported = importedImageId(message)
    if (Option.isSome(imported)) imageId = imported.value
    const push = pushResult(message)
    if (Option.isSome(push)) {
      pushed = push.value
      digest = push.value.Digest
    }
    loaded.push(...loadedImages(message))
    const pulled = pullDigest(message)
    if (Option.isSome(pulled)) digest = pulled.value
    const ended = pullStatus(message)
    if (Option.isSome(ended)) status = ended.value
  }
  const result = (): Outcome => ({
    messages,
    loaded,
    ...(imageId === undefined ? {} : { imageId }),
    ...(pushed === undefined ? {} : { pushed }),
    ...(digest === undefined ? {} : { digest }),
    ...(status === undefined ? {} : { pullStatus: status })
  })
  return { add, result }
}

/**
 * Sums up messages already in memory into an {@link Outcome}, or the first in-band {@link InBandError}.
 *
 * @category decoding
 * @since 0.1.0
 */
export const summarize = (messages: Iterable<JsonMessage.Message>): Result.Result<Outcome, InBandError> => {
  const tally = makeTally()
  for (const message of messages) {
    const error = errorOf(message)
    if (Option.isSome(error)) return Result.fail(error.value)
    tally.add(message)
  }
  return Result.succeed(tally.result())
}

/**
 * Runs a message stream to its end and sums it up into an {@link Outcome}; fails with the first in-band
 * {@link InBandError} (or the stream's own error). Messages are counted, not kept, so memory stays flat on long
 * streams.
 *
 * @category decoding
 * @since 0.1.0
 */
export const collect: <E, R>(
  self: Stream.Stream<JsonMessage.Message, E, R>
) => Effect.Effect<Outcome, E | InBandError, R> = Effect.fn("JsonMessageStream.collect")(
  function*<E, R>(self: Stream.Stream<JsonMessage.Message, E, R>) {
    const tally = yield* failOnError(self).pipe(
      Stream.runFold(makeTally, (tally, message) => {
        tally.add(message)
        return tally
      })
    )
    return tally.result()
  }
)
