/**
 * `dockhand image pull` / `pull`: downloads an image with docker's progress display and notices.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Reference from "@dockhand/codecs/Reference"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Args from "../../internal/Args.ts"
import * as Failure from "../../internal/Failure.ts"
import * as Platforms from "../../internal/Platforms.ts"
import { show } from "../../internal/ShowProgress.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** How `image pull` is used, after its path. */
export const usage = "[OPTIONS] NAME[:TAG|@DIGEST]"

/** `image pull [-a] [-q] [--platform P] NAME`. */
export const pull = (name = "pull", path = "image pull") =>
  Command.make(name, {
    allTags: Flag.Boolean("all-tags").pipe(
      Flag.withDefault(false),
      Flag.withAlias("a"),
      Flag.withDescription("Download all tagged images in the repository")
    ),
    quiet: Flag.Boolean("quiet").pipe(
      Flag.withDefault(false),
      Flag.withAlias("q"),
      Flag.withDescription("Suppress verbose output")
    ),
    platform: Flag.String("platform").pipe(
      Flag.optional,
      Flag.withDescription("Set platform if server is multi-platform capable")
    ),
    disableContentTrust: Flag.Boolean("disable-content-trust").pipe(
      Flag.withDefault(true),
      Flag.withDescription("Skip image verification")
    ),
    args: Args.all
  }, ({ args, allTags, quiet, platform }) =>
    Effect.gen(function*() {
      const [image] = yield* Args.expect({ path, usage }, args, 1, 1)
      const terminal = yield* Terminal
      const parsed = Reference.parseNormalized(image!)
      if (Result.isFailure(parsed)) return yield* Effect.fail(Failure.message(parsed.failure.message))
      const ref = parsed.success
      if (allTags && !Reference.isNameOnly(ref)) {
        return yield* Effect.fail(Failure.message("tag can't be used with --all-tags/-a"))
      }
      const tagged = !allTags && Reference.isNameOnly(ref) ? Reference.withDefaultTag(ref) : ref
      if (!allTags && Reference.isNameOnly(ref) && !quiet) {
        yield* terminal.out(`Using default tag: ${Reference.defaultTag}\n`)
      }
      const platformValue = yield* Platforms.parseDockerOption(
        Platforms.withDefaultPlatform(platform, terminal.env("DOCKER_DEFAULT_PLATFORM")),
        "pull"
      )
      const images = yield* Images.Images
      yield* show(
        images.pull(Reference.format(tagged), { all: allTags, ...(platformValue ? { platform: platformValue } : {}) }),
        quiet
      )
      yield* terminal.out(`${Reference.format(tagged)}\n`)
    })).pipe(Command.withDescription("Download an image from a registry"))
