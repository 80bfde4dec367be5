/**
 * `dockhand image import` / `import`: a filesystem image from a tarball (a local file, standard input, or an
 * address the daemon fetches).
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Args from "../../internal/Args.ts"
import { bodyOf, fileBody } from "../../internal/LocalRead.ts"
import * as Platforms from "../../internal/Platforms.ts"
import { show } from "../../internal/ShowProgress.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** How `image import` is used, after its path. */
export const usage = "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]"

/** `image import [-c CHANGE]... [-m MESSAGE] [--platform P] file|URL|- [REPOSITORY[:TAG]]`. */
export const importImage = (name = "import", path = "image import") =>
  Command.make(name, {
    change: Flag.String("change").pipe(
      Flag.withAlias("c"),
      Flag.atLeast(0),
      Flag.withDescription("Apply Dockerfile instruction to the created image")
    ),
    message: Flag.String("message").pipe(
      Flag.withAlias("m"),
      Flag.optional,
      Flag.withDescription("Set commit message for imported image")
    ),
    platform: Flag.String("platform").pipe(
      Flag.optional,
      Flag.withDescription("Set platform if server is multi-platform capable")
    ),
    args: Args.all
  }, ({ args, change, message, platform }) =>
    Effect.gen(function*() {
      // docker takes (and ignores) more arguments than the two it uses.
      const [source, reference] = yield* Args.expect({ path, usage }, args, 1)
      const terminal = yield* Terminal
      const platformValue = yield* Platforms.parseDockerOption(
        Platforms.withDefaultPlatform(platform, terminal.env("DOCKER_DEFAULT_PLATFORM")),
        "import"
      )
      const images = yield* Images.Images
      // docker's rule: `-` is standard input, an http(s) address is fetched by the daemon, anything else is a local
      // file (`github.com/x.tar` too, read here and uploaded)
      const isUrl = source!.startsWith("http://") || source!.startsWith("https://")
      const from: Images.ImportSource = source === "-"
        ? { _tag: "Stream", stream: bodyOf(terminal.stdin, terminal.stdinPath, "ImageCreate") }
        : isUrl
        ? { _tag: "Url", url: source! }
        : { _tag: "Stream", stream: yield* fileBody(source!, "ImageCreate") }
      yield* show(
        images.import(from, {
          reference,
          changes: change,
          ...(Option.isSome(message) ? { message: message.value } : {}),
          ...(platformValue ? { platform: platformValue } : {})
        }),
        false
      )
    })).pipe(Command.withDescription("Import the contents from a tarball to create a filesystem image"))
