/**
 * Positional arguments checked the docker way: commands take their arguments as one list and check the count
 * themselves, so that a wrong count gives docker's message and exit code rather than the parser's.
 *
 * @internal
 */
import * as Argument from "effect/cli/Argument"
import * as Effect from "effect/Effect"
import * as Failure from "./Failure.ts"

/** All positional arguments of a command. */
export const all = Argument.String("args").pipe(Argument.variadic())

/** Checks the count of `args` against `[min, max]` for `usage`. */
export const expect = (
  usage: Failure.Usage,
  args: ReadonlyArray<string>,
  min: number,
  max?: number
): Effect.Effect<ReadonlyArray<string>, Failure.CliFailure> => {
  const failure = Failure.argumentCount(usage, args.length, min, max)
  return failure === undefined ? Effect.succeed(args) : Effect.fail(failure)
}
