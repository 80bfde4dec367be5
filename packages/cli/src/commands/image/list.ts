/**
 * `dockhand image ls` / `images`: the image table, formatted exactly as the docker CLI formats it (columns, widths,
 * truncation, human sizes and ages, Go templates, `json`).
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Args from "../../internal/Args.ts"
import * as Failure from "../../internal/Failure.ts"
import * as FilterFlags from "../../internal/FilterFlags.ts"
import * as ImageFormat from "../../internal/format/ImageFormat.ts"
import * as ImageTree from "../../internal/format/ImageTree.ts"
import * as Listing from "../../internal/Listing.ts"
import * as Platforms from "../../internal/Platforms.ts"
import { Terminal } from "../../internal/Terminal.ts"

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
      if (input.tree) return yield* tree(images, { ...input, filters })
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

/**
 * `--tree` as docker CLI 28.5 runs it: API 1.47 at least (checked against the API version in use, as docker checks
 * the flag's annotation), the flags the tree cannot show refused, then the list with `manifests` drawn as a tree.
 */
const tree = (
  images: Images.Service,
  input: {
    readonly all: boolean
    readonly filters: Record<string, Array<string>>
    readonly quiet: boolean
    readonly noTrunc: boolean
    readonly digests: boolean
    readonly format: Option.Option<string>
  }
) =>
  Effect.gen(function*() {
    yield* Platforms.requireApi("--tree", true, "1.47")
    if (input.quiet) return yield* Effect.fail(Failure.message("--quiet is not yet supported with --tree"))
    if (input.noTrunc) return yield* Effect.fail(Failure.message("--no-trunc is not yet supported with --tree"))
    if (input.digests) return yield* Effect.fail(Failure.message("--show-digest is not yet supported with --tree"))
    if (Option.isSome(input.format) && input.format.value !== "") {
      return yield* Effect.fail(Failure.message("--format is not yet supported with --tree"))
    }
    const list = yield* images.list({ all: input.all, filters: input.filters, manifests: true })
    const terminal = yield* Terminal
    const text = ImageTree.formatImageTree(list, {
      all: input.all,
      isTerminal: terminal.stdoutIsTerminal,
      columns: terminal.columns
    })
    // Colour codes of its own (the header's even to a pipe); the daemon's text in it is escaped for a terminal.
    yield* terminal.outRaw(text)
  })
