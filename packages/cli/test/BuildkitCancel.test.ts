import { DockerError, Progress } from "@dockhand/client"
import type { JsonMessage } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/testing/TestClock"
import { readFileSync } from "node:fs"
import * as Buildkit from "../src/internal/build/Buildkit.ts"
import * as Terminal from "../src/internal/Terminal.ts"

/**
 * A build recorded from Engine 28.5.2 (the codecs package's fixtures) and cancelled there with `POST /build/cancel`
 * while its `RUN` step ran: the messages up to the step's output line, and those the daemon sent after the cancel
 * (the step's last state, with its `context canceled` error).
 */
const recorded = readFileSync(
  new URL("../../codecs/test/fixtures/buildkit-engine-28.5.2/canceled.jsonl", import.meta.url),
  "utf8"
).split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as JsonMessage.Message)
const traces = recorded.filter((message) => message.id === "moby.buildkit.trace")
const beforeCancel = traces.slice(0, -1)
const afterCancel = traces.slice(-1)

const canceled = DockerError.make(
  new DockerError.StreamError({ message: "context canceled", operation: "ImageBuild" })
)

/**
 * The build as a daemon streams it: what came before the cancel, then (once `cancel` ran) the rest and the error
 * that ends the stream; `reached` is done when the first part has been read.
 */
const daemon = (cancelled: Deferred.Deferred<void>, reached: Deferred.Deferred<void>, answers: boolean) =>
  Progress.make(
    Stream.fromIterable(beforeCancel).pipe(
      Stream.concat(Stream.fromEffect(Deferred.succeed(reached, undefined)).pipe(Stream.drain)),
      Stream.concat(
        Stream.fromEffect(answers ? Deferred.await(cancelled) : Effect.never).pipe(Stream.drain)
      ),
      Stream.concat(Stream.fromIterable(afterCancel)),
      Stream.concat(Stream.fail(canceled))
    )
  )

/** `Buildkit.run` of `progress` in plain mode on a test terminal, forked; it completes `cancelled` to cancel. */
const started = (progress: Progress.Progress, cancelled: Deferred.Deferred<void>) =>
  Effect.gen(function*() {
    const terminal = Terminal.makeTest()
    const service = yield* Effect.gen(function*() {
      return yield* Terminal.Terminal
    }).pipe(Effect.provide(terminal.layer))
    const fiber = yield* Effect.forkChild(
      Buildkit.run(progress, {
        mode: "plain",
        quietId: false,
        iidfile: undefined,
        cancel: Deferred.succeed(cancelled, undefined)
      }, service)
    )
    return { terminal, fiber }
  })

const interrupted = (answers: boolean) =>
  Effect.gen(function*() {
    const cancelled = yield* Deferred.make<void>()
    const reached = yield* Deferred.make<void>()
    const { fiber, terminal } = yield* started(daemon(cancelled, reached, answers), cancelled)
    yield* Deferred.await(reached)
    const interrupting = yield* Effect.forkChild(Fiber.interrupt(fiber))
    return { terminal, cancelled, interrupting }
  })

describe("Buildkit.run interrupted", () => {
  it.effect("cancels the build in the daemon and shows what it reports then: the running step CANCELED", () =>
    Effect.gen(function*() {
      const { cancelled, interrupting, terminal } = yield* interrupted(true)
      yield* Fiber.await(interrupting)
      assert.isTrue(yield* Deferred.isDone(cancelled))
      assert.isTrue(
        terminal.stderr().replace(/^#4 \d+\.\d+ /m, "#4 <t> ").endsWith(
          "#4 [2/2] RUN echo started && sleep 600 && echo never\n" +
            "#4 <t> started\n" +
            "#4 CANCELED\n" +
            "ERROR: failed to build: failed to solve: Canceled: context canceled\n"
        ),
        terminal.stderr()
      )
    }))

  it.effect("before the daemon has reported anything, stops at once without asking it to cancel", () =>
    Effect.gen(function*() {
      const cancelled = yield* Deferred.make<void>()
      const reading = yield* Deferred.make<void>()
      // the request is made, the daemon has sent nothing yet
      const silent = Stream.fromEffect(Deferred.succeed(reading, undefined)).pipe(
        Stream.drain,
        Stream.concat(Stream.never)
      )
      const { fiber, terminal } = yield* started(Progress.make(silent), cancelled)
      yield* Deferred.await(reading)
      yield* Fiber.interrupt(fiber)
      assert.isFalse(yield* Deferred.isDone(cancelled))
      assert.strictEqual(terminal.stderr(), "ERROR: failed to build: failed to solve: Canceled: context canceled\n")
    }))

  it.effect("stops reading after 5 s when the daemon reports nothing more, with buildx's last line", () =>
    Effect.gen(function*() {
      const { cancelled, interrupting, terminal } = yield* interrupted(false)
      yield* TestClock.adjust("4900 millis")
      assert.isUndefined(interrupting.pollUnsafe())
      yield* TestClock.adjust("200 millis")
      yield* Fiber.await(interrupting)
      assert.isTrue(yield* Deferred.isDone(cancelled))
      assert.notInclude(terminal.stderr(), "CANCELED")
      assert.isTrue(
        terminal.stderr().endsWith("ERROR: failed to build: failed to solve: Canceled: context canceled\n"),
        terminal.stderr()
      )
    }))
})
