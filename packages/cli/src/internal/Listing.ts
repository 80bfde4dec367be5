/**
 * What the listing commands (`image ls`, `image history`, `image search`) share: writing a formatted result, and
 * the clock and zone their ages and dates are shown in.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Failure from "./Failure.ts"
import * as Units from "./format/Units.ts"
import { Terminal } from "./Terminal.ts"

/** Writes a formatted result, or fails with its message. */
export const print = (text: Result.Result<string, { readonly message: string }>) =>
  Effect.gen(function*() {
    if (Result.isFailure(text)) return yield* Effect.fail(Failure.message(text.failure.message))
    yield* (yield* Terminal).out(text.success)
  })

/**
 * The time (Effect's `Clock`) and zone ages and dates are shown in. The local zone costs ~10 ms to work out, and
 * only a custom format can show a date (the default tables show ages), so it is looked up only then.
 */
export const clock = (format: Option.Option<string>) =>
  Effect.map(Clock.currentTimeMillis, (now) => ({
    now,
    timeZone: Option.isSome(format) && format.value !== "" && format.value !== "table" ? Units.localZone() : Units.utc
  }))
