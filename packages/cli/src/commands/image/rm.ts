/**
 * `dockhand image rm` / `rmi`: removes images one by one, as the docker CLI does.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Args from "../../internal/Args.ts"
import * as Failure from "../../internal/Failure.ts"
import * as Platforms from "../../internal/Platforms.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** How `image rm` is used, after its path. */
export const usage = "[OPTIONS] IMAGE [IMAGE...]"

/**
 * `image rm [-f] [--no-prune] [--platform P] IMAGE...`: goes on past a failure and exits 1; with `-f`, images that
 * do not exist are reported but do not fail the command.
 */
export const rm = (name = "rm", path = "image rm") =>
  Command.make(name, {
    force: Flag.Boolean("force").pipe(
      Flag.withDefault(false),
      Flag.withAlias("f"),
      Flag.withDescription("Force removal of the image")
    ),
    noPrune: Flag.Boolean("no-prune").pipe(
      Flag.withDefault(false),
      Flag.withDescription("Do not delete untagged parents")
    ),
    platform: Flag.String("platform").pipe(
      Flag.atLeast(0),
      Flag.withDescription("Remove only the given platform variant")
    ),
    args: Args.all
  }, ({ args, force, noPrune, platform }) =>
    Effect.gen(function*() {
      const names = yield* Args.expect({ path, usage }, args, 1)
      yield* Platforms.requireApi("--platform", platform.length > 0, "1.50")
      const images = yield* Images.Images
      const terminal = yield* Terminal
      const platforms = yield* Platforms.parseDockerAll(platform, "rm")
      const errors: Array<string> = []
      let fatal = false
      for (const name of names) {
        const result = yield* Effect.result(images.remove(name, { force, noPrune, platforms }))
        if (result._tag === "Failure") {
          if (result.failure.reason._tag !== "NotFound") fatal = true
          errors.push(result.failure.message)
          continue
        }
        for (const item of result.success) {
          if (item.Untagged !== undefined) yield* terminal.out(`Untagged: ${item.Untagged}\n`)
          if (item.Deleted !== undefined) yield* terminal.out(`Deleted: ${item.Deleted}\n`)
        }
      }
      if (errors.length === 0) return
      if (!force || fatal) return yield* Effect.fail(Failure.message(errors.join("\n")))
      yield* terminal.err(`${errors.join("\n")}\n`)
    })).pipe(
      Command.withDescription("Remove one or more images"),
      (command) => (name === "rm" ? Command.withAlias(command, "remove") : command)
    )
