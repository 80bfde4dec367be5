/**
 * `dockhand image tag` / `tag`: a new name for an image, both names checked the docker way first.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Reference from "@dockhand/codecs/Reference"
import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Args from "../../internal/Args.ts"
import * as Failure from "../../internal/Failure.ts"

/** How `image tag` is used, after its path. */
export const usage = "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]"

/** `image tag SOURCE TARGET`. */
export const tag = (name = "tag", path = "image tag") =>
  Command.make(name, { args: Args.all }, ({ args }) =>
    Effect.gen(function*() {
      const [source, target] = yield* Args.expect({ path, usage }, args, 2, 2)
      // The docker client checks both names before asking the daemon, and says which one is wrong.
      const checks: ReadonlyArray<readonly [string, Result.Result<unknown, { readonly message: string }>]> = [
        [source!, Reference.parseAny(source!)],
        [target!, Reference.parseNormalized(target!)]
      ]
      for (const [name, parsed] of checks) {
        if (Result.isFailure(parsed)) {
          return yield* Effect.fail(
            Failure.message(
              `Error parsing reference: "${name}" is not a valid repository/tag: ${parsed.failure.message}`
            )
          )
        }
      }
      const images = yield* Images.Images
      yield* images.tag(source!, target!)
    })).pipe(Command.withDescription("Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE"))
