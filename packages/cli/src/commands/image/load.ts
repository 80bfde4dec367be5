/**
 * `dockhand image load` / `load`: images from a tar archive (a file or standard input, never a terminal), with
 * docker's progress display.
 *
 * @since 0.1.0
 */
import { Images, ProgressDisplay } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Args from "../../internal/Args.ts"
import * as Failure from "../../internal/Failure.ts"
import { bodyOf, fileBody } from "../../internal/LocalRead.ts"
import * as Platforms from "../../internal/Platforms.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** How `image load` is used, after its path. */
export const usage = "[OPTIONS]"

/** `image load [-i FILE] [-q] [--platform P]`: refuses a terminal on stdin. */
export const load = (name = "load", path = "image load") =>
  Command.make(name, {
    input: Flag.String("input").pipe(
      Flag.withAlias("i"),
      Flag.optional,
      Flag.withDescription("Read from tar archive file, instead of STDIN")
    ),
    quiet: Flag.Boolean("quiet").pipe(
      Flag.withDefault(false),
      Flag.withAlias("q"),
      Flag.withDescription("Suppress the load output")
    ),
    platform: Flag.String("platform").pipe(Flag.atLeast(0), Flag.withDescription("Load only the given platform(s)")),
    args: Args.all
  }, ({ args, input, quiet, platform }) =>
    Effect.gen(function*() {
      yield* Args.expect({ path, usage }, args, 0, 0)
      yield* Platforms.requireApi("--platform", platform.length > 0, "1.48")
      const terminal = yield* Terminal
      const fromFile = Option.isSome(input) && input.value !== ""
      if (!fromFile && terminal.stdinIsTerminal) {
        return yield* Effect.fail(Failure.message("requested load from stdin, but stdin is empty"))
      }
      const tar = fromFile
        ? yield* fileBody(input.value, "ImageLoad")
        : bodyOf(terminal.stdin, terminal.stdinPath, "ImageLoad")
      const platforms = yield* Platforms.parseDockerAll(yield* Platforms.lastBelow152(platform), "load")
      const images = yield* Images.Images
      // Without a terminal docker asks the daemon to be quiet; the "Loaded image" lines still come.
      const progress = images.load(tar, {
        quiet: quiet || !terminal.stdoutIsTerminal,
        ...(platforms.length > 0 ? { platforms } : {})
      })
      yield* ProgressDisplay.render(progress, {
        out: terminal.outRaw,
        isTerminal: terminal.stdoutIsTerminal,
        columns: terminal.columns
      })
    })).pipe(Command.withDescription("Load an image from a tar archive or STDIN"))
