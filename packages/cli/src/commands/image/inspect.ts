/**
 * `dockhand image inspect`: the daemon's JSON for each image, or a Go template applied to it.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Args from "../../internal/Args.ts"
import * as Failure from "../../internal/Failure.ts"
import * as Inspect from "../../internal/Inspect.ts"
import * as Platforms from "../../internal/Platforms.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** How `image inspect` is used, after its path. */
export const usage = "[OPTIONS] IMAGE [IMAGE...]"

/** `image inspect [--format F] [--platform P] IMAGE...`: the daemon's JSON, indented as docker indents it. */
export const inspect = (name = "inspect", path = "image inspect") =>
  Command.make(name, {
    format: Flag.String("format").pipe(
      Flag.withAlias("f"),
      Flag.optional,
      Flag.withDescription("Format output using a custom template")
    ),
    platform: Flag.String("platform").pipe(Flag.optional, Flag.withDescription("Inspect a specific platform")),
    args: Args.all
  }, ({ args, format, platform }) =>
    Effect.gen(function*() {
      const names = yield* Args.expect({ path, usage }, args, 1)
      yield* Platforms.requireApi("--platform", Option.isSome(platform), "1.49")
      const images = yield* Images.Images
      const terminal = yield* Terminal
      const platformValue = yield* Platforms.parseDockerOption(platform, "inspect")
      const template = yield* Inspect.parseFormat(format)
      const entries: Array<Result.Result<string, string>> = []
      for (const name of names) {
        const result = yield* Effect.result(
          images.inspectRaw(name, platformValue === undefined ? {} : { platform: platformValue })
        )
        entries.push(result._tag === "Failure" ? Result.fail(result.failure.message) : Result.succeed(result.success))
      }
      const { errors, output } = yield* Inspect.render(entries, template, Inspect.imageInspectResponse)
      yield* terminal.out(output)
      if (errors.length > 0) return yield* Effect.fail(Failure.message(errors.join("\n")))
    })).pipe(Command.withDescription("Display detailed information on one or more images"))
