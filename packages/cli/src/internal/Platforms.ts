/**
 * `--platform` values (`linux/arm64/v8`) read into OCI platforms, with docker's error for a bad one.
 *
 * @internal
 */
import * as Platform from "@dockhand/codecs/Platform"
import type { Oci } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Failure from "./Failure.ts"

/** One platform, or a typed failure with docker's wording. */
export const parse = (text: string): Effect.Effect<Oci.Platform, Failure.CliFailure> => {
  const parsed = Platform.parse(text)
  return Result.isSuccess(parsed)
    ? Effect.succeed(parsed.success)
    : Effect.fail(Failure.message(`invalid platform: ${parsed.failure.message}`))
}

/** An optional `--platform`. */
export const parseOption = (text: Option.Option<string>) =>
  Option.isNone(text) || text.value === "" ? Effect.succeed(undefined) : parse(text.value)

/** A repeated `--platform`, empty values dropped. */
export const parseAll = (texts: ReadonlyArray<string>) => Effect.forEach(texts.filter((t) => t !== ""), parse)
