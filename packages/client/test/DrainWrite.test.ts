import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { Writable } from "node:stream"
import * as DrainWrite from "../src/internal/drainWrite.ts"

/**
 * A writable of `highWaterMark` bytes whose writes complete only when `release` is called (a peer that does not
 * read), recording what it was given.
 */
const slowSink = (highWaterMark: number) => {
  const received: Array<string> = []
  const pending: Array<() => void> = []
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk.toString())
      pending.push(callback)
    }
  })
  const release = () => {
    for (const callback of pending.splice(0)) callback()
  }
  return { stream, received, release }
}

/** Whether the write left no listener behind on the stream. */
const listenersLeft = (stream: Writable) => stream.listenerCount("drain") + stream.listenerCount("close")

const options = (stream: Writable, text: string, extra: Partial<DrainWrite.Options<string>> = {}) => ({
  closed: () => stream.destroyed || !stream.writable,
  write: () => stream.write(text),
  gone: "gone",
  ...extra
})

describe("DrainWrite.write", () => {
  it.effect("a write that leaves room succeeds at once", () =>
    Effect.gen(function*() {
      const sink = slowSink(1024)
      yield* DrainWrite.write(sink.stream, options(sink.stream, "small"))
      assert.deepStrictEqual(sink.received, ["small"])
      assert.strictEqual(listenersLeft(sink.stream), 0)
    }))

  it.effect("a write that fills the stream waits for drain, then succeeds and leaves no listener", () =>
    Effect.gen(function*() {
      const sink = slowSink(4)
      const waiting: Array<boolean> = []
      const fiber = yield* Effect.forkChild(
        DrainWrite.write(sink.stream, options(sink.stream, "more than four", { waiting: () => waiting.push(true) }))
      )
      yield* Effect.yieldNow
      assert.deepStrictEqual(waiting, [true])
      assert.isUndefined(fiber.pollUnsafe())
      sink.release()
      const exit = yield* Fiber.await(fiber)
      assert.isTrue(Exit.isSuccess(exit))
      assert.deepStrictEqual(sink.received, ["more than four"])
      assert.strictEqual(listenersLeft(sink.stream), 0)
    }))

  it.effect("a stream closed while the write waits fails it with gone", () =>
    Effect.gen(function*() {
      const sink = slowSink(4)
      const fiber = yield* Effect.forkChild(DrainWrite.write(sink.stream, options(sink.stream, "more than four")))
      yield* Effect.yieldNow
      assert.isUndefined(fiber.pollUnsafe())
      sink.stream.destroy()
      const exit = yield* Fiber.await(fiber)
      assert.deepStrictEqual(exit, Exit.fail("gone"))
      assert.strictEqual(listenersLeft(sink.stream), 0)
    }))

  it.effect("a stream already closed fails with gone and is not written to", () =>
    Effect.gen(function*() {
      const sink = slowSink(1024)
      let writes = 0
      sink.stream.destroy()
      const exit = yield* Effect.exit(
        DrainWrite.write(sink.stream, options(sink.stream, "late", { write: () => ++writes > 0 }))
      )
      assert.deepStrictEqual(exit, Exit.fail("gone"))
      assert.strictEqual(writes, 0)
    }))
})
