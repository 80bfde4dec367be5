import { JsonMessageStream, WireJson } from "@dockhand/codecs"
import { JsonMessage } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { bytes, fromTests } from "./utils/fixtures.ts"

type Message = JsonMessage.Message

/** Cuts bytes at the given offsets (sorted, deduplicated, clamped). */
const cutAt = (data: Uint8Array, offsets: ReadonlyArray<number>): Array<Uint8Array> => {
  const points = [...new Set(offsets.map((offset) => Math.max(0, Math.min(data.length, offset))))].sort((a, b) => a - b)
  const chunks: Array<Uint8Array> = []
  let start = 0
  for (const point of [...points, data.length]) {
    if (point > start) chunks.push(data.slice(start, point))
    start = point
  }
  return chunks
}

const everyBytes = (data: Uint8Array, size: number) =>
  cutAt(data, Array.from({ length: Math.ceil(data.length / size) }, (_, i) => i * size))

/** Runs a stream, keeping what it emitted before it ended or failed. */
const runAll = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.gen(function*() {
    const out: Array<A> = []
    const exit = yield* Effect.exit(Stream.runForEach(stream, (a) => Effect.sync(() => out.push(a))))
    return { out, exit }
  })

const failureOf = <E>(exit: Exit.Exit<unknown, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = exit.cause.reasons.find((reason) => reason._tag === "Fail")
  if (error === undefined || error._tag !== "Fail") throw new Error("expected a typed failure")
  return error.error
}

const decodeText = (text: string, chunkSize = 7, options?: JsonMessageStream.DecodeOptions) =>
  runAll(Stream.fromIterable(everyBytes(bytes(text), chunkSize)).pipe(JsonMessageStream.decode(options)))

const streamFixtures = [
  "daemon-stream-status.json",
  "daemon-stream-stdout.json",
  "daemon-stream-stderr.json",
  "daemon-stream-aux.json",
  "jsonstream-message-all-fields.json",
  "image-load-stream-line.json",
  "stream-status-line.json",
  "daemon-stream-error.json",
  "daemon-stream-error-with-code.json",
  "stream-error-403.json",
  "stream-error-500.json"
]

describe("decode", () => {
  it.effect("reads moby's stream lines in any chunking", () =>
    Effect.gen(function*() {
      const lines = streamFixtures.map(fromTests)
      const text = lines.join("\r\n") + "\r\n"
      const expected = lines.map((line) => WireJson.decodeSync(JsonMessage.Message)(line))
      for (const size of [1, 2, 3, 5, 64, 100_000]) {
        const { exit, out } = yield* decodeText(text, size)
        assert.isTrue(Exit.isSuccess(exit))
        assert.deepStrictEqual(out, expected)
      }
      assert.deepStrictEqual(expected[4], {
        stream: "stream",
        status: "status",
        progressDetail: { current: 1, total: 2, start: 94777200, hidecounts: true, units: "lightyear" },
        id: "id",
        errorDetail: { code: 400, message: "error message" },
        aux: { aux: "aux" }
      })
    }))

  it.effect("skips blank lines, accepts \\n and \\r\\n, reads a last line without newline", () =>
    Effect.gen(function*() {
      const { exit, out } = yield* decodeText(
        "\r\n{\"status\":\"a\"}\n\n  \t\r\n{\"status\":\"b\"}\r\n\n{\"status\":\"c\"}",
        1
      )
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(out, [{ status: "a" }, { status: "b" }, { status: "c" }])
      const empty = yield* decodeText("")
      assert.deepStrictEqual(empty.out, [])
      assert.isTrue(Exit.isSuccess(empty.exit))
    }))

  it.effect("decodes multi-byte UTF-8 split across chunks", () =>
    Effect.gen(function*() {
      const text = "{\"stream\":\"héllo ✓ 😀 ☃\"}\r\n{\"status\":\"日本語\"}"
      for (const size of [1, 2, 3]) {
        const { out } = yield* decodeText(text, size)
        assert.deepStrictEqual(out, [{ stream: "héllo ✓ 😀 ☃" }, { status: "日本語" }])
      }
    }))

  it.effect("fails on a malformed line with its number, after the lines before it", () =>
    Effect.gen(function*() {
      const { exit, out } = yield* decodeText(
        "{\"status\":\"a\"}\r\n\r\n{\"status\": secret}\r\n{\"status\":\"c\"}\r\n"
      )
      assert.deepStrictEqual(out, [{ status: "a" }])
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "JsonStreamError")
      if (error._tag !== "JsonStreamError") return
      assert.strictEqual(error.reason, "Malformed")
      assert.strictEqual(error.line, 3)
      assert.include(error.message, "Line 3")
      assert.notInclude(error.message, "secret")
    }))

  it.effect("a line cut in the middle is malformed, a stream cut in the middle is truncated", () =>
    Effect.gen(function*() {
      const middle = yield* decodeText("{\"status\":\"a\"}\r\n{\"status\":\"b\r\n{\"status\":\"c\"}\r\n")
      assert.strictEqual(failureOf(middle.exit).reason, "Malformed")
      const cut = yield* decodeText("{\"status\":\"a\"}\r\n{\"status\":\"b\"}\r\n{\"status\":\"Downloa", 4)
      assert.deepStrictEqual(cut.out, [{ status: "a" }, { status: "b" }])
      const error = failureOf(cut.exit)
      assert.strictEqual(error.reason, "Truncated")
      assert.strictEqual(error.line, 3)
    }))

  it.effect("reports lines that are JSON but not messages", () =>
    Effect.gen(function*() {
      const { exit } = yield* decodeText("{\"status\":\"a\"}\n{\"status\":5}\n")
      const error = failureOf(exit)
      assert.strictEqual(error.reason, "Mismatch")
      assert.strictEqual(error.line, 2)
      assert.deepStrictEqual(error.issues, [{ path: "$.status", expected: "string", found: "number" }])
      const notObject = failureOf((yield* decodeText("[1]\n")).exit)
      assert.strictEqual(notObject.reason, "Mismatch")
    }))

  it.effect("strict mode rejects unknown keys", () =>
    Effect.gen(function*() {
      const lenient = yield* decodeText("{\"status\":\"a\",\"novel\":1}\n")
      assert.deepStrictEqual(lenient.out, [{ status: "a" }])
      const strict = yield* decodeText("{\"status\":\"a\",\"novel\":1}\n", 7, { strict: true })
      assert.deepStrictEqual(failureOf(strict.exit).issues, [{
        path: "$.novel",
        expected: "no such key",
        found: "number"
      }])
    }))

  it.effect("survives hostile input: deep nesting, huge lines, endless lines", () =>
    Effect.gen(function*() {
      const deep = "[".repeat(100_000) + "]".repeat(100_000)
      const nested = yield* decodeText(`{"status":"a"}\n{"aux":${deep}}\n`, 65536)
      assert.deepStrictEqual(nested.out, [{ status: "a" }])
      assert.strictEqual(failureOf(nested.exit).reason, "TooDeep")

      const huge = `{"stream":"${"x".repeat(50_000_000)}"}\n`
      const tooLong = yield* decodeText(huge, 1 << 20)
      assert.strictEqual(failureOf(tooLong.exit).reason, "LineTooLong")
      const allowed = yield* decodeText(huge, 1 << 20, { maxLineBytes: 64 * 1024 * 1024 })
      assert.isTrue(Exit.isSuccess(allowed.exit))
      assert.strictEqual(allowed.out[0]?.stream?.length, 50_000_000)

      const endless = yield* runAll(
        Stream.fromIterable(Array.from({ length: 100 }, () => new Uint8Array(1024).fill(0x20))).pipe(
          JsonMessageStream.decode({ maxLineBytes: 10_000 })
        )
      )
      assert.strictEqual(failureOf(endless.exit).reason, "LineTooLong")
    }))

  it.effect("passes the byte stream's own errors through", () =>
    Effect.gen(function*() {
      const source = Stream.concat(
        Stream.make(bytes("{\"status\":\"a\"}\n{\"sta")),
        Stream.fail("connection reset" as const)
      )
      const { exit, out } = yield* runAll(source.pipe(JsonMessageStream.decode()))
      assert.deepStrictEqual(out, [{ status: "a" }])
      assert.strictEqual(failureOf(exit), "connection reset")
    }))
})

describe("in-band errors", () => {
  it("errorOf reads errorDetail, falling back to the legacy error string", () => {
    const read = (name: string) => JsonMessageStream.errorOf(WireJson.decodeSync(JsonMessage.Message)(fromTests(name)))
    assert.deepStrictEqual(
      Option.map(read("stream-error-403.json"), (e) => [e.message, e.code]),
      Option.some(["access denied", 403])
    )
    assert.deepStrictEqual(
      Option.map(read("daemon-stream-error.json"), (e) => [e.message, e.code]),
      Option.some(["Error for formatter", undefined])
    )
    assert.deepStrictEqual(Option.map(read("daemon-stream-error-with-code.json"), (e) => e.code), Option.some(50))
    assert.isTrue(Option.isNone(read("stream-status-line.json")))
    const legacy = JsonMessageStream.errorOf({ error: "old daemon failure" })
    assert.deepStrictEqual(
      Option.map(legacy, (e) => [e._tag, e.message, e.code]),
      Option.some(["InBandError", "old daemon failure", undefined])
    )
    assert.isFalse(JsonMessageStream.isError({ error: "" }))
    assert.isTrue(JsonMessageStream.isError({ errorDetail: {} }))
  })

  it.effect("failOnError emits the messages before the error line, then fails", () =>
    Effect.gen(function*() {
      const text = ["{\"status\":\"a\"}", fromTests("stream-error-500.json"), "{\"status\":\"never\"}"].join("\r\n")
      const { exit, out } = yield* runAll(
        Stream.fromIterable(everyBytes(bytes(text), 3)).pipe(JsonMessageStream.decodeOrFail())
      )
      assert.deepStrictEqual(out, [{ status: "a" }])
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "InBandError")
      if (error._tag !== "InBandError") return
      assert.strictEqual(error.message, "something went wrong")
      assert.strictEqual(error.code, 500)
      const first = yield* runAll(
        Stream.make<Array<Message>>({ error: "x" }, { status: "b" }).pipe(JsonMessageStream.failOnError)
      )
      assert.deepStrictEqual(first.out, [])
      assert.strictEqual(failureOf(first.exit).message, "x")
    }))
})

describe("picking out results", () => {
  const sha = "sha256:" + "a".repeat(64)

  it("reads aux payloads", () => {
    const aux = WireJson.decodeSync(JsonMessage.Message)(fromTests("daemon-stream-aux.json"))
    assert.deepStrictEqual(
      JsonMessageStream.auxOf(Schema.Struct({ Data: Schema.String }))(aux),
      Option.some({ Data: "Additional data" })
    )
    assert.isTrue(Option.isNone(JsonMessageStream.auxOf(JsonMessage.BuildResult)(aux)))
    assert.deepStrictEqual(JsonMessageStream.builtImageId({ aux: { ID: sha } }), Option.some(sha))
    assert.deepStrictEqual(JsonMessageStream.builtImageId({ id: "moby.image.id", aux: { ID: sha } }), Option.some(sha))
    assert.isTrue(Option.isNone(JsonMessageStream.builtImageId({ id: "moby.buildkit.trace", aux: "CgQKAg==" })))
  })

  it("reads push results from aux or from the status line", () => {
    const pushed = { Tag: "1.0", Digest: sha, Size: 527 }
    assert.deepStrictEqual(JsonMessageStream.pushResult({ progressDetail: {}, aux: pushed }), Option.some(pushed))
    assert.deepStrictEqual(
      JsonMessageStream.pushResult({ status: `1.0: digest: ${sha} size: 527` }),
      Option.some(pushed)
    )
    assert.isTrue(Option.isNone(JsonMessageStream.pushResult({ status: "Pushed", id: "abc" })))
  })

  it("reads loaded images, imported IDs and pull status lines", () => {
    const loaded = WireJson.decodeSync(JsonMessage.Message)(fromTests("image-load-stream-line.json"))
    assert.deepStrictEqual(JsonMessageStream.loadedImage(loaded), Option.some("busybox:latest"))
    assert.deepStrictEqual(JsonMessageStream.loadedImage({ stream: `Loaded image ID: ${sha}\n` }), Option.some(sha))
    assert.deepStrictEqual(JsonMessageStream.importedImageId({ status: sha }), Option.some(sha))
    assert.isTrue(Option.isNone(JsonMessageStream.importedImageId({ status: "Downloading", id: "x" })))
    // Podman's compatible API repeats the id in `id` and joins loaded names with commas on one line.
    assert.deepStrictEqual(
      JsonMessageStream.importedImageId({ status: sha, progress: "", progressDetail: {}, id: sha }),
      Option.some(sha)
    )
    assert.deepStrictEqual(JsonMessageStream.loadedImages({ stream: "Loaded image: a:1,b:2" }), ["a:1", "b:2"])
    assert.deepStrictEqual(JsonMessageStream.loadedImages({ stream: "Loaded image: busybox:latest\n" }), [
      "busybox:latest"
    ])
    assert.deepStrictEqual(JsonMessageStream.loadedImages({ status: "x" }), [])
    assert.deepStrictEqual(JsonMessageStream.pullDigest({ status: `Digest: ${sha}` }), Option.some(sha))
    assert.deepStrictEqual(
      JsonMessageStream.pullStatus({ status: "Status: Downloaded newer image for busybox:latest" }),
      Option.some({ upToDate: false, reference: "busybox:latest" })
    )
    assert.deepStrictEqual(
      JsonMessageStream.pullStatus({ status: "Status: Image is up to date for busybox:latest" }),
      Option.some({ upToDate: true, reference: "busybox:latest" })
    )
  })

  it.effect("collect sums up a pull, a push, a load, a build and an import", () =>
    Effect.gen(function*() {
      const collect = (lines: ReadonlyArray<string>) =>
        JsonMessageStream.collect(Stream.make(bytes(lines.join("\r\n") + "\r\n")).pipe(JsonMessageStream.decode()))
      const pull = yield* collect([
        "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}",
        "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"9ad63333ebc9\"}",
        "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":527,\"total\":2229000},\"id\":\"9ad63333ebc9\"}",
        `{"status":"Digest: ${sha}"}`,
        "{\"status\":\"Status: Downloaded newer image for busybox:latest\"}"
      ])
      assert.deepStrictEqual(pull, {
        messages: 5,
        loaded: [],
        digest: sha,
        pullStatus: { upToDate: false, reference: "busybox:latest" }
      })
      const push = yield* collect([
        "{\"status\":\"The push refers to repository [localhost:5000/x]\"}",
        `{"status":"1: digest: ${sha} size: 527"}`,
        `{"progressDetail":{},"aux":{"Tag":"1","Digest":"${sha}","Size":527}}`
      ])
      assert.deepStrictEqual(push.pushed, { Tag: "1", Digest: sha, Size: 527 })
      const load = yield* collect([fromTests("image-load-stream-line.json"), `{"stream":"Loaded image ID: ${sha}\\n"}`])
      assert.deepStrictEqual(load.loaded, ["busybox:latest", sha])
      const build = yield* collect(["{\"stream\":\"Step 1/1 : FROM scratch\\n\"}", `{"aux":{"ID":"${sha}"}}`])
      assert.strictEqual(build.imageId, sha)
      const imported = yield* collect([
        "{\"status\":\"Importing\",\"progressDetail\":{},\"id\":\"x\"}",
        `{"status":"${sha}"}`
      ])
      assert.strictEqual(imported.imageId, sha)
      const failed = yield* Effect.flip(collect(["{\"status\":\"a\"}", fromTests("stream-error-403.json")]))
      assert.strictEqual(failed._tag, "InBandError")
    }))

  it("summarize works on messages in memory", () => {
    assert.deepStrictEqual(JsonMessageStream.summarize([{ status: "a" }]), Result.succeed({ messages: 1, loaded: [] }))
    const failed = JsonMessageStream.summarize([{ status: "a" }, { errorDetail: { message: "m" } }])
    assert.isTrue(Result.isFailure(failed))
  })
})

describe("property: chunking does not matter", () => {
  // Fixed non-ASCII content guarantees cuts inside multi-byte characters; generated strings add more.
  const anchor: Message = { stream: "é ✓ 😀\n", id: "日本" }
  const cases = Arbitrary.all({
    messages: Arbitrary.array(Arbitrary.schema(JsonMessage.Message), { maxLength: 6 }),
    crlf: Arbitrary.array(Arbitrary.schema(Schema.Boolean), { maxLength: 8 }),
    cuts: Arbitrary.array(Arbitrary.schema(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))), { maxLength: 16 }),
    cutAfterCr: Arbitrary.schema(Schema.Boolean),
    finalNewline: Arbitrary.schema(Schema.Boolean)
  })
  const encodeLine = WireJson.encodeResult(JsonMessage.Message, { newline: false })
  const encoded = Schema.encodeUnknownSync(JsonMessage.Message)

  it.effect.prop("any cut points give the same messages", [cases], ([input]) =>
    Effect.gen(function*() {
      const messages = [anchor, ...input.messages, anchor]
      const text = messages.map((message, i) => {
        const line = Result.getOrThrow(encodeLine(message))
        const last = i === messages.length - 1
        return line +
          (last && !input.finalNewline ? "" : input.crlf[i % Math.max(1, input.crlf.length)] ? "\r\n" : "\n")
      }).join("")
      const data = bytes(text)
      const offsets = input.cuts.map((cut) => cut % (data.length + 1))
      if (input.cutAfterCr) data.forEach((byte, i) => byte === 0x0d && offsets.push(i + 1))
      const whole = yield* runAll(Stream.make(data).pipe(JsonMessageStream.decode()))
      const pieces = yield* runAll(Stream.fromIterable(cutAt(data, offsets)).pipe(JsonMessageStream.decode()))
      assert.isTrue(Exit.isSuccess(whole.exit))
      assert.isTrue(Exit.isSuccess(pieces.exit))
      assert.deepStrictEqual(pieces.out.map((m) => encoded(m)), whole.out.map((m) => encoded(m)))
      assert.deepStrictEqual(whole.out.map((m) => encoded(m)), messages.map((m) => encoded(m)))
    }), { arbitrary: { runs: 200 } })
})
