import type { JsonMessage } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Progress from "../src/Progress.ts"
import * as ProgressDisplay from "../src/ProgressDisplay.ts"

const layer = (id: string, status: string, detail?: JsonMessage.ProgressDetail): JsonMessage.Message =>
  detail === undefined ? { id, status } : { id, status, progressDetail: detail }

/** What Engine 20.10 sends for a pull of two small layers (progress details trimmed to one step each). */
const pulling: ReadonlyArray<JsonMessage.Message> = [
  { id: "1", status: "Pulling from team/app" },
  layer("aaaaaaaaaaaa", "Pulling fs layer", {}),
  layer("bbbbbbbbbbbb", "Pulling fs layer", {}),
  layer("aaaaaaaaaaaa", "Downloading", { current: 36_410, total: 3_001_000 }),
  layer("aaaaaaaaaaaa", "Download complete", {}),
  layer("bbbbbbbbbbbb", "Download complete", {}),
  layer("aaaaaaaaaaaa", "Pull complete", {}),
  layer("bbbbbbbbbbbb", "Pull complete", {}),
  { status: "Digest: sha256:" + "d".repeat(64) },
  { status: "Status: Downloaded newer image for registry.test/team/app:1" }
]

/** A writer like `process.stdout`, keeping what is written. */
const writer = (isTTY: boolean, columns?: number) => {
  const written: Array<string> = []
  return { written, out: { write: (text: string) => written.push(text), isTTY, columns } }
}

describe("ProgressDisplay.render", () => {
  it.effect("writes docker's plain lines to a writer that is no terminal, and gives the outcome", () =>
    Effect.gen(function*() {
      const { out, written } = writer(false)
      const outcome = yield* ProgressDisplay.render(Progress.make(Stream.fromIterable(pulling)), { out })
      assert.strictEqual(
        written.join(""),
        [
          "1: Pulling from team/app",
          "aaaaaaaaaaaa: Pulling fs layer",
          "bbbbbbbbbbbb: Pulling fs layer",
          "aaaaaaaaaaaa: Download complete",
          "bbbbbbbbbbbb: Download complete",
          "aaaaaaaaaaaa: Pull complete",
          "bbbbbbbbbbbb: Pull complete",
          "Digest: sha256:" + "d".repeat(64),
          "Status: Downloaded newer image for registry.test/team/app:1",
          ""
        ].join("\n")
      )
      assert.strictEqual(outcome.digest, "sha256:" + "d".repeat(64))
      assert.strictEqual(outcome.messages, pulling.length)
    }))

  it.effect("redraws each layer's line in place with a bar on a wide terminal (out.isTTY, out.columns)", () =>
    Effect.gen(function*() {
      const { out, written } = writer(true, 120)
      yield* ProgressDisplay.render(Progress.make(Stream.fromIterable(pulling.slice(1, 4))), { out })
      assert.deepStrictEqual(written, [
        "\n\x1b[1A\x1b[2K\raaaaaaaaaaaa: Pulling fs layer \r\x1b[1B",
        "\n\x1b[1A\x1b[2K\rbbbbbbbbbbbb: Pulling fs layer \r\x1b[1B",
        "\x1b[2A\x1b[2K\raaaaaaaaaaaa: Downloading [>" + " ".repeat(50) + "]  36.41kB/3.001MB\r\x1b[2B"
      ])
    }))

  it.effect("escapes the daemon's control characters on a terminal, and not elsewhere", () =>
    Effect.gen(function*() {
      const message: JsonMessage.Message = { status: "evil\x1b]0;title\x07 \u009b" }
      const tty = writer(true)
      yield* ProgressDisplay.render(Progress.make(Stream.make(message)), { out: tty.out })
      assert.deepStrictEqual(tty.written, ["evil\\x1b]0;title\\x07 \\u009b\n"])
      const pipe = writer(false)
      yield* ProgressDisplay.render(Progress.make(Stream.make(message)), { out: pipe.out })
      assert.deepStrictEqual(pipe.written, ["evil\x1b]0;title\x07 \u009b\n"])
    }))

  it.effect("writes through an effect, and fails with the in-band error without showing it", () =>
    Effect.gen(function*() {
      const written: Array<string> = []
      const messages = Stream.make<Array<JsonMessage.Message>>(
        { status: "Pulling" },
        { errorDetail: { message: "manifest unknown" }, error: "manifest unknown" }
      )
      const error = yield* Effect.flip(ProgressDisplay.render(Progress.make(messages), {
        out: (text) => Effect.sync(() => void written.push(text)),
        isTerminal: false
      }))
      assert.strictEqual(error.reason._tag, "StreamError")
      assert.strictEqual(error.message, "manifest unknown")
      assert.deepStrictEqual(written, ["Pulling\n"])
    }))
})

describe("ProgressDisplay.progressBar", () => {
  it("prints go-units sizes with 4 significant digits, rounding half to even", () => {
    const numbers = (current: number, total: number) => ProgressDisplay.progressBar({ current, total }, 80, 0)
    assert.strictEqual(numbers(1_982_256, 3_000_000), " 1.982MB/3MB")
    assert.strictEqual(numbers(999_999, 1_000_000), "  1000kB/1MB")
    assert.strictEqual(numbers(1125, 2000), " 1.125kB/2kB")
    assert.strictEqual(numbers(10_125, 20_000), " 10.12kB/20kB")
    // 10.135 is 10.13499… as a double: Go rounds the exact value, down
    assert.strictEqual(numbers(10_135, 20_000), " 10.13kB/20kB")
    assert.strictEqual(numbers(0, 512), "      0B/512B")
    assert.strictEqual(numbers(1e15, 1e15 + 1), "     1PB/1PB")
    assert.strictEqual(ProgressDisplay.progressBar({ current: 2_500_000 }, 80, 0), "   2.5MB")
    assert.strictEqual(ProgressDisplay.progressBar({ current: 3, total: 7, units: "steps" }, 80, 0), "3/7 steps")
  })

  it("adds the time left when the daemon says when the layer started", () => {
    // 100 s for the first 1000 bytes, 3000 bytes left: 5m0s
    const bar = ProgressDisplay.progressBar({ current: 1000, total: 4000, start: 1000 }, 120, 1100)
    assert.strictEqual(bar, `[============>${" ".repeat(38)}] ` + "     1kB/4kB 5m0s")
  })
})
