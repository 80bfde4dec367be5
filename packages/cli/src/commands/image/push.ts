/**
 * `dockhand image push` / `push`: uploads an image with docker's progress display and notices.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Reference from "@dockhand/codecs/Reference"
import { Command, Flag } from "effect/cli"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Args from "../../internal/Args.ts"
import * as Failure from "../../internal/Failure.ts"
import * as Platforms from "../../internal/Platforms.ts"
import { show } from "../../internal/ShowProgress.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** How `image push` is used, after its path. */
export const usage = "[OPTIONS] NAME[:TAG]"

/** `image push [-a] [-q] [--platform P] NAME[:TAG]`. */
export const push = (name = "push", path = "image push") =>
  Command.make(name, {
    allTags: Flag.Boolean("all-tags").pipe(
      Flag.withDefault(false),
      Flag.withAlias("a"),
      Flag.withDescription("Push all tags of an image to the repository")
    ),
    quiet: Flag.Boolean("quiet").pipe(
      Flag.withDefault(false),
      Flag.withAlias("q"),
      Flag.withDescription("Suppress verbose output")
    ),
    platform: Flag.String("platform").pipe(Flag.optional, Flag.withDescription("Push a platform-specific manifest")),
    disableContentTrust: Flag.Boolean("disable-content-trust").pipe(
      Flag.withDefault(true),
      Flag.withDescription("Skip image signing")
    ),
    args: Args.all
  }, ({ args, allTags, quiet, platform }) =>
    Effect.gen(function*() {
      const [image] = yield* Args.expect({ path, usage }, args, 1, 1)
      const terminal = yield* Terminal
      const parsed = Reference.parseNormalized(image!)
      if (Result.isFailure(parsed)) return yield* Effect.fail(Failure.message(parsed.failure.message))
      const ref = parsed.success
      if (allTags && Reference.isTagged(ref)) {
        return yield* Effect.fail(Failure.message("tag can't be used with --all-tags/-a"))
      }
      if (!allTags && Reference.isNameOnly(ref) && !quiet) {
        yield* terminal.out(`Using default tag: ${Reference.defaultTag}\n`)
      }
      const target = allTags ? ref : Reference.withDefaultTag(ref)
      const platformValue = yield* Platforms.parseOption(platform)
      const images = yield* Images.Images
      yield* show(
        images.push(Reference.format(target), { all: allTags, ...(platformValue ? { platform: platformValue } : {}) }),
        quiet
      )
      if (quiet) yield* terminal.out(`${Reference.format(target)}\n`)
    })).pipe(Command.withDescription("Upload an image to a registry"))
