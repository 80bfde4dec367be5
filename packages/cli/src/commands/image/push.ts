/**
 * `dockhand image push` / `push`: uploads an image with docker's progress display and notices.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Reference from "@dockhand/codecs/Reference"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Args from "../../internal/Args.ts"
import * as Failure from "../../internal/Failure.ts"
import * as Platforms from "../../internal/Platforms.ts"
import { show } from "../../internal/ShowProgress.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** The note docker 28.5 prints when `--platform` is given. */
const PLATFORM_NOTE =
  "Using --platform pushes only the specified platform manifest of a multi-platform image index.\n" +
  "Other components, like attestations, will not be included.\n" +
  "To push the complete multi-platform image, remove the --platform flag.\n"

/**
 * docker's `tui` note on standard output: a blank line, ` Info -> ` and the text, its further lines indented under
 * the first; to a terminal the header in colour, `--platform` in bold and each line in italics.
 */
const printNote = (text: string) =>
  Effect.gen(function*() {
    const terminal = yield* Terminal
    const fancy = terminal.stdoutIsTerminal
    const header = fancy ? "\x1b[1m\x1b[106m\x1b[30mi\x1b[0m\x1b[0m \x1b[96mInfo → \x1b[0m\x1b[0m" : " Info -> "
    const body = fancy ? text.replaceAll("--platform", "\x1b[1m--platform\x1b[0m") : text
    const lines = body.split("\n").map((line, i) =>
      (i === 0 ? "" : " ".repeat(9)) + (fancy ? `\x1b[3m${line}\x1b[0m` : line) + "\n"
    )
    yield* terminal.outRaw(`\n${header}${lines.join("")}`)
  })

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
      yield* Platforms.requireApi("--platform", Option.isSome(platform), "1.46")
      const terminal = yield* Terminal
      // docker 28.5 reads the platform and prints its note before it reads the reference.
      const platformValue = yield* Platforms.parseDockerOption(platform, "push")
      if (platformValue !== undefined) yield* printNote(PLATFORM_NOTE)
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
      const images = yield* Images.Images
      yield* show(
        images.push(Reference.format(target), { all: allTags, ...(platformValue ? { platform: platformValue } : {}) }),
        quiet
      )
      if (quiet) yield* terminal.out(`${Reference.format(target)}\n`)
    })).pipe(Command.withDescription("Upload an image to a registry"))
