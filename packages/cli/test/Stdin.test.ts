import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Stdin from "../src/internal/Stdin.ts"
import * as Terminal from "../src/internal/Terminal.ts"

/** `Stdin.readText` on a standard input that arrives in these chunks. */
const readTextOf = (chunks: ReadonlyArray<Uint8Array>) =>
  Effect.gen(function*() {
    const terminal = yield* Terminal.Terminal
    return yield* Stdin.readText.pipe(
      Effect.provideService(Terminal.Terminal, { ...terminal, stdin: Stream.fromIterable(chunks) })
    )
  }).pipe(Effect.provide(Terminal.makeTest().layer))

describe("Stdin.readText (login --password-stdin)", () => {
  it.effect("joins the chunks before decoding: a character split across chunks stays whole; one newline trimmed", () =>
    Effect.gen(function*() {
      const bytes = new TextEncoder().encode("pässwörd✓\n\n")
      const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 3), bytes.subarray(3, 12), bytes.subarray(12)]
      assert.strictEqual(yield* readTextOf(chunks), "pässwörd✓\n")
      assert.strictEqual(yield* readTextOf([]), "")
    }))

  it.effect("a large input is read whole", () =>
    Effect.gen(function*() {
      const chunk = new TextEncoder().encode("x".repeat(64 * 1024))
      const text = yield* readTextOf(Array.from({ length: 64 }, () => chunk))
      assert.strictEqual(text.length, 64 * 64 * 1024)
    }))
})
