/**
 * `dockhand image history` / `history`: an image's layers, formatted exactly as the docker CLI formats them.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Args from "../../internal/Args.ts"
import * as ImageFormat from "../../internal/format/ImageFormat.ts"
import * as Listing from "../../internal/Listing.ts"
import * as Platforms from "../../internal/Platforms.ts"

/** How `image history` is used, after its path. */
export const usage = "[OPTIONS] IMAGE"

/** `image history [-H] [--no-trunc] [-q] [--format F] [--platform P] IMAGE`. */
export const history = (name = "history", path = "image history") =>
  Command.make(name, {
    human: Flag.Boolean("human").pipe(
      Flag.withDefault(true),
      Flag.withAlias("H"),
      Flag.withDescription("Print sizes and dates in human readable format")
    ),
    noTrunc: Flag.Boolean("no-trunc").pipe(Flag.withDefault(false), Flag.withDescription("Don't truncate output")),
    quiet: Flag.Boolean("quiet").pipe(
      Flag.withDefault(false),
      Flag.withAlias("q"),
      Flag.withDescription("Only show image IDs")
    ),
    format: Flag.String("format").pipe(Flag.optional, Flag.withDescription("Format output using a custom template")),
    platform: Flag.String("platform").pipe(Flag.optional, Flag.withDescription("Show history for the given platform")),
    args: Args.all
  }, (input) =>
    Effect.gen(function*() {
      const [image] = yield* Args.expect({ path, usage }, input.args, 1, 1)
      yield* Platforms.requireApi("--platform", Option.isSome(input.platform), "1.48")
      const platform = yield* Platforms.parseDockerOption(input.platform, "history")
      const images = yield* Images.Images
      const items = yield* images.history(image!, platform ? { platform } : {})
      yield* Listing.print(ImageFormat.formatHistory(items, {
        ...(yield* Listing.clock(input.human ? input.format : Option.some("CreatedAt"))),
        format: Option.getOrUndefined(input.format),
        quiet: input.quiet,
        human: input.human,
        noTrunc: input.noTrunc
      }))
    })).pipe(Command.withDescription("Show the history of an image"))
