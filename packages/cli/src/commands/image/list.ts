/**
 * `dockhand image ls` / `images`: the image table, formatted exactly as the docker CLI formats it (columns, widths,
 * truncation, human sizes and ages, Go templates, `json`).
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import { Command, Flag } from "effect/cli"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Args from "../../internal/Args.ts"
import * as FilterFlags from "../../internal/FilterFlags.ts"
import * as ImageFormat from "../../internal/format/ImageFormat.ts"
import * as Listing from "../../internal/Listing.ts"

/** How `image ls` is used, after its path. */
export const usage = "[OPTIONS] [REPOSITORY[:TAG]]"

/** `image ls [-a] [-q] [--digests] [--no-trunc] [-f F]... [--format F] [REPOSITORY[:TAG]]`. */
export const ls = (name = "ls", path = "image ls") =>
  Command.make(name, {
    all: Flag.Boolean("all").pipe(
      Flag.withDefault(false),
      Flag.withAlias("a"),
      Flag.withDescription("Show all images (default hides intermediate images)")
    ),
    quiet: Flag.Boolean("quiet").pipe(
      Flag.withDefault(false),
      Flag.withAlias("q"),
      Flag.withDescription("Only show image IDs")
    ),
    digests: Flag.Boolean("digests").pipe(Flag.withDefault(false), Flag.withDescription("Show digests")),
    noTrunc: Flag.Boolean("no-trunc").pipe(Flag.withDefault(false), Flag.withDescription("Don't truncate output")),
    filter: Flag.String("filter").pipe(
      Flag.withAlias("f"),
      Flag.atLeast(0),
      Flag.withDescription("Filter output based on conditions provided")
    ),
    format: Flag.String("format").pipe(Flag.optional, Flag.withDescription("Format output using a custom template")),
    tree: Flag.Boolean("tree").pipe(
      Flag.withDefault(false),
      Flag.withDescription("List multi-platform images as a tree (EXPERIMENTAL)")
    ),
    args: Args.all
  }, (input) =>
    Effect.gen(function*() {
      const [reference] = yield* Args.expect({ path, usage }, input.args, 0, 1)
      const filters = yield* FilterFlags.parse(input.filter, "-f, --filter", { path, usage })
      if (reference !== undefined) (filters["reference"] ??= []).push(reference)
      const images = yield* Images.Images
      const list = yield* images.list({ all: input.all, filters })
      yield* Listing.print(ImageFormat.formatImageList(list, {
        ...(yield* Listing.clock(input.format)),
        format: Option.getOrUndefined(input.format),
        quiet: input.quiet,
        digests: input.digests,
        noTrunc: input.noTrunc
      }))
    })).pipe(
      Command.withDescription("List images"),
      (command) => (name === "ls" ? Command.withAlias(command, "list") : command)
    )
