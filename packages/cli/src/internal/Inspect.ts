/**
 * `inspect` output as docker writes it: the daemon's JSON objects in a JSON array indented by four spaces, or each
 * object rendered through a `--format` Go template.
 *
 * @internal
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Failure from "./Failure.ts"
import * as GoTemplate from "./format/GoTemplate.ts"

/** Parses each raw JSON text (through the codecs, never `JSON.parse`). */
const parseAll = (raws: ReadonlyArray<string>) =>
  Effect.forEach(raws, (raw) => {
    const parsed = WireJson.parse(raw)
    return Result.isSuccess(parsed) ? Effect.succeed(parsed.success) : Effect.fail(Failure.message(parsed.failure.message))
  })

/** The inspect output for `raws` (JSON texts), with an optional template. */
export const render = (raws: ReadonlyArray<string>, format: Option.Option<string>) =>
  Effect.gen(function*() {
    const values = yield* parseAll(raws)
    if (Option.isNone(format) || format.value === "") {
      if (values.length === 0) return "[]\n"
      return `${JSON.stringify(values, null, 4)}\n`
    }
    const template = GoTemplate.parse(format.value)
    if (Result.isFailure(template)) {
      return yield* Effect.fail(Failure.message(`template parsing error: ${template.failure.message}`))
    }
    let out = ""
    for (const value of values) {
      const text = GoTemplate.execute(template.success, value)
      if (Result.isFailure(text)) return yield* Effect.fail(Failure.message(text.failure.message))
      out += `${text.success}\n`
    }
    return out
  })
