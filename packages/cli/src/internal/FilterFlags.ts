/**
 * `--filter name=value` flags read as the docker CLI reads them (the name trimmed and lower-cased, repeated names
 * collected), with docker's flag error for a value without `=`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Failure from "./Failure.ts"

/**
 * The filters given by `values`, or docker's flag error naming the first malformed one. `flag` is how the error
 * names the flag (`-f, --filter`, or `--filter` where `-f` means something else); `usage` is the command's.
 */
export const parse = (
  values: ReadonlyArray<string>,
  flag: string,
  usage: Failure.Usage
): Effect.Effect<Record<string, Array<string>>, Failure.CliFailure> => {
  const out: Record<string, Array<string>> = {}
  for (const value of values) {
    const eq = value.indexOf("=")
    if (eq === -1) {
      return Effect.fail(
        Failure.flagError(
          `invalid argument "${value}" for "${flag}" flag: bad format of filter (expected name=value)`,
          usage
        )
      )
    }
    ;(out[value.slice(0, eq).trim().toLowerCase()] ??= []).push(value.slice(eq + 1))
  }
  return Effect.succeed(out)
}
