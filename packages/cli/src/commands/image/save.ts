/**
 * `dockhand image save` / `save`: images as a tar archive, to a file (written atomically) or to standard output,
 * never to a terminal.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Args from "../../internal/Args.ts"
import * as AtomicFile from "../../internal/AtomicFile.ts"
import * as Failure from "../../internal/Failure.ts"
import * as Platforms from "../../internal/Platforms.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** How `image save` is used, after its path. */
export const usage = "[OPTIONS] IMAGE [IMAGE...]"

/** `image save [-o FILE] [--platform P] IMAGE...`: refuses to write a tar to a terminal. */
export const save = (name = "save", path = "image save") =>
  Command.make(name, {
    output: Flag.String("output").pipe(
      Flag.withAlias("o"),
      Flag.optional,
      Flag.withDescription("Write to a file, instead of STDOUT")
    ),
    platform: Flag.String("platform").pipe(Flag.atLeast(0), Flag.withDescription("Save only the given platform(s)")),
    args: Args.all
  }, ({ args, output, platform }) =>
    Effect.gen(function*() {
      const names = yield* Args.expect({ path, usage }, args, 1)
      yield* Platforms.requireApi("--platform", platform.length > 0, "1.48")
      const terminal = yield* Terminal
      const platforms = yield* Platforms.parseDockerAll(yield* Platforms.lastBelow152(platform), "save")
      const images = yield* Images.Images
      const tar = images.save(names, platforms.length > 0 ? { platforms } : {})
      if (Option.isSome(output) && output.value !== "" && output.value !== "-") {
        yield* AtomicFile.validateOutputPath(output.value)
        return yield* AtomicFile.writeFile(output.value, tar)
      }
      if (terminal.stdoutIsTerminal) {
        return yield* Effect.fail(
          Failure.message("cowardly refusing to save to a terminal. Use the -o flag or redirect")
        )
      }
      yield* terminal.outBytes(tar)
    })).pipe(Command.withDescription("Save one or more images to a tar archive (streamed to STDOUT by default)"))
