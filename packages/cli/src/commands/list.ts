/**
 * `dockhand image ls` / `images`, `image history` and `image search`: the table commands, formatted exactly as
 * the docker CLI formats them (columns, widths, truncation, human sizes and ages, Go templates, `json`).
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { Command, Flag } from "effect/cli"
import * as Args from "../internal/Args.ts"
import * as Failure from "../internal/Failure.ts"
import * as FilterFlags from "../internal/FilterFlags.ts"
import * as ImageFormat from "../internal/format/ImageFormat.ts"
import * as Table from "../internal/format/Table.ts"
import * as Units from "../internal/format/Units.ts"
import * as Platforms from "../internal/Platforms.ts"
import { Terminal } from "../internal/Terminal.ts"

/** Writes a formatted result, or fails with its message. */
const print = (text: Result.Result<string, { readonly message: string }>) =>
  Effect.gen(function*() {
    if (Result.isFailure(text)) return yield* Effect.fail(Failure.message(text.failure.message))
    yield* (yield* Terminal).out(text.success)
  })

/**
 * The clock and zone ages and dates are shown in. The local zone costs ~10 ms to work out, and only a custom
 * format can show a date (the default tables show ages), so it is looked up only then.
 */
const clock = (format: Option.Option<string>) => ({
  now: Date.now(),
  timeZone: Option.isSome(format) && format.value !== "" && format.value !== "table" ? Units.localZone() : Units.utc
})

/** `image ls [-a] [-q] [--digests] [--no-trunc] [-f F]... [--format F] [REPOSITORY[:TAG]]`. */
export const ls = (name = "ls", path = "image ls") =>
  Command.make(name, {
    all: Flag.Boolean("all").pipe(Flag.withDefault(false), Flag.withAlias("a"), Flag.withDescription("Show all images (default hides intermediate images)")),
    quiet: Flag.Boolean("quiet").pipe(Flag.withDefault(false), Flag.withAlias("q"), Flag.withDescription("Only show image IDs")),
    digests: Flag.Boolean("digests").pipe(Flag.withDefault(false), Flag.withDescription("Show digests")),
    noTrunc: Flag.Boolean("no-trunc").pipe(Flag.withDefault(false), Flag.withDescription("Don't truncate output")),
    filter: Flag.String("filter").pipe(Flag.withAlias("f"), Flag.atLeast(0), Flag.withDescription("Filter output based on conditions provided")),
    format: Flag.String("format").pipe(Flag.optional, Flag.withDescription("Format output using a custom template")),
    tree: Flag.Boolean("tree").pipe(Flag.withDefault(false), Flag.withDescription("List multi-platform images as a tree (EXPERIMENTAL)")),
    args: Args.all
  }, (input) =>
    Effect.gen(function*() {
      const [reference] = yield* Args.expect({ path, usage: "[OPTIONS] [REPOSITORY[:TAG]]" }, input.args, 0, 1)
      const filters = yield* FilterFlags.parse(input.filter, "-f, --filter", path)
      if (reference !== undefined) (filters["reference"] ??= []).push(reference)
      const images = yield* Images.Images
      const list = yield* images.list({ all: input.all, filters })
      yield* print(ImageFormat.formatImageList(list, {
        ...clock(input.format),
        format: Option.getOrUndefined(input.format),
        quiet: input.quiet,
        digests: input.digests,
        noTrunc: input.noTrunc
      }))
    })).pipe(
      Command.withDescription("List images"),
      (command) => (name === "ls" ? Command.withAlias(command, "list") : command)
    )

/** `image history [-H] [--no-trunc] [-q] [--format F] [--platform P] IMAGE`. */
export const history = (name = "history", path = "image history") =>
  Command.make(name, {
    human: Flag.Boolean("human").pipe(Flag.withDefault(true), Flag.withAlias("H"), Flag.withDescription("Print sizes and dates in human readable format")),
    noTrunc: Flag.Boolean("no-trunc").pipe(Flag.withDefault(false), Flag.withDescription("Don't truncate output")),
    quiet: Flag.Boolean("quiet").pipe(Flag.withDefault(false), Flag.withAlias("q"), Flag.withDescription("Only show image IDs")),
    format: Flag.String("format").pipe(Flag.optional, Flag.withDescription("Format output using a custom template")),
    platform: Flag.String("platform").pipe(Flag.optional, Flag.withDescription("Show history for the given platform")),
    args: Args.all
  }, (input) =>
    Effect.gen(function*() {
      const [image] = yield* Args.expect({ path, usage: "[OPTIONS] IMAGE" }, input.args, 1, 1)
      const platform = yield* Platforms.parseOption(input.platform)
      const images = yield* Images.Images
      const items = yield* images.history(image!, platform ? { platform } : {})
      yield* print(ImageFormat.formatHistory(items, {
        ...clock(input.human ? input.format : Option.some("CreatedAt")),
        format: Option.getOrUndefined(input.format),
        quiet: input.quiet,
        human: input.human,
        noTrunc: input.noTrunc
      }))
    })).pipe(Command.withDescription("Show the history of an image"))

/** The search result row, with docker's column methods. */
const searchHeader = { Name: "NAME", Description: "DESCRIPTION", StarCount: "STARS", IsOfficial: "OFFICIAL" }
const searchFormat = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}"

/** `image search [-f F]... [--limit N] [--no-trunc] [--format F] TERM`. */
export const search = (name = "search", path = "search") =>
  Command.make(name, {
    filter: Flag.String("filter").pipe(Flag.withAlias("f"), Flag.atLeast(0), Flag.withDescription("Filter output based on conditions provided")),
    limit: Flag.Int("limit").pipe(Flag.optional, Flag.withDescription("Max number of search results")),
    noTrunc: Flag.Boolean("no-trunc").pipe(Flag.withDefault(false), Flag.withDescription("Don't truncate output")),
    format: Flag.String("format").pipe(Flag.optional, Flag.withDescription("Pretty-print search using a Go template")),
    args: Args.all
  }, (input) =>
    Effect.gen(function*() {
      const [term] = yield* Args.expect({ path, usage: "[OPTIONS] TERM" }, input.args, 1, 1)
      const filters = yield* FilterFlags.parse(input.filter, "-f, --filter", path)
      const images = yield* Images.Images
      const results = yield* images.search(term!, {
        filters,
        ...(Option.isSome(input.limit) ? { limit: input.limit.value } : {})
      })
      const rows = results.map((r) => ({
        Name: r.name,
        Description: input.noTrunc || [...r.description].length <= 45
          ? r.description.replace(/\n/g, " ")
          : [...r.description.replace(/\n/g, " ")].slice(0, 44).join("") + "…",
        StarCount: String(r.star_count),
        IsOfficial: r.is_official ? "[OK]" : "",
        IsAutomated: r.is_automated ? "[OK]" : ""
      }))
      yield* print(Table.render({ format: Option.getOrElse(input.format, () => searchFormat) || searchFormat, header: searchHeader, rows }))
    })).pipe(Command.withDescription("Search Docker Hub for images"))
