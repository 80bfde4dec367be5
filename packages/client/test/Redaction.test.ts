import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import * as Images from "../src/Images.ts"
import * as FakeDaemon from "./utils/FakeDaemon.ts"

/** A tracer that keeps every span, to look at what ends up in traces. */
const recordingTracer = () => {
  const spans: Array<Tracer.NativeSpan> = []
  const tracer = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  return { tracer, spans }
}

describe("secrets in traces", () => {
  it.effect("a pull with credentials leaves neither the secret nor the X-Registry-Auth value in any span", () =>
    Effect.gen(function*() {
      const secret = "s3cr3t-in-span"
      const daemon = FakeDaemon.make(() => FakeDaemon.jsonLines([{ status: "Status: Image is up to date for x:1" }]))
      const { tracer, spans } = recordingTracer()
      yield* Images.Images.use((images) =>
        images.pull("127.0.0.1:5443/x:1", { auth: { username: "u", password: Redacted.make(secret) } }).outcome
      ).pipe(Effect.provide(daemon.layer), Effect.withTracer(tracer))
      const request = daemon.requests.find((r) => r.path.endsWith("/images/create"))
      assert.isDefined(request?.headers["x-registry-auth"], "the header was sent")
      const attributes = spans.flatMap((span) => [...(span._attributes ?? new Map()).entries()])
      assert.isAbove(attributes.length, 0, "the request was traced")
      const text = JSON.stringify(attributes, (_, value) => (typeof value === "bigint" ? String(value) : value))
      assert.notInclude(text, request!.headers["x-registry-auth"]!)
      assert.notInclude(text, secret)
    }))
})
