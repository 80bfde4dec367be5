/**
 * `dockhand image prune`: removes unused images, asking first as the docker CLI does.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Args from "../../internal/Args.ts"
import * as FilterFlags from "../../internal/FilterFlags.ts"
import * as Units from "../../internal/format/Units.ts"
import * as Stdin from "../../internal/Stdin.ts"
import { Terminal } from "../../internal/Terminal.ts"

/** How `image prune` is used, after its path. */
export const usage = "[OPTIONS]"

const path = "image prune"

/** `image prune [-a] [-f] [--filter F]...`: asks before deleting unless `-f`. */
export const prune = Command.make("prune", {
  all: Flag.Boolean("all").pipe(
    Flag.withDefault(false),
    Flag.withAlias("a"),
    Flag.withDescription("Remove all unused images, not just dangling ones")
  ),
  force: Flag.Boolean("force").pipe(
    Flag.withDefault(false),
    Flag.withAlias("f"),
    Flag.withDescription("Do not prompt for confirmation")
  ),
  filter: Flag.String("filter").pipe(
    Flag.atLeast(0),
    Flag.withDescription("Provide filter values (e.g. \"until=<timestamp>\")")
  ),
  args: Args.all
}, ({ args, all, force, filter }) =>
  Effect.gen(function*() {
    yield* Args.expect({ path, usage }, args, 0, 0)
    const terminal = yield* Terminal
    // docker checks the filters while parsing the flags, before asking.
    const filters = yield* FilterFlags.parse(filter, "--filter", { path, usage })
    ;(filters["dangling"] ??= []).unshift(all ? "false" : "true")
    if (!force) {
      yield* terminal.out(
        all
          ? "WARNING! This will remove all images without at least one container associated to them.\n" +
            "Are you sure you want to continue? [y/N] "
          : "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
      )
      if (!(yield* Stdin.confirm)) return
    }
    const images = yield* Images.Images
    const report = yield* images.prune({ filters })
    let out = ""
    if ((report.ImagesDeleted ?? []).length > 0) {
      out += "Deleted Images:\n"
      for (const item of report.ImagesDeleted ?? []) {
        if (item.Untagged !== undefined) out += `untagged: ${item.Untagged}\n`
        if (item.Deleted !== undefined) out += `deleted: ${item.Deleted}\n`
      }
      out += "\n"
    }
    yield* terminal.out(`${out}Total reclaimed space: ${Units.humanSize(report.SpaceReclaimed)}\n`)
  })).pipe(Command.withDescription("Remove unused images"))
