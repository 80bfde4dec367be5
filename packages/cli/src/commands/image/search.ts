/**
 * `dockhand image search` / `search`: Docker Hub's search results as the docker CLI lays them out.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Args from "../../internal/Args.ts"
import * as FilterFlags from "../../internal/FilterFlags.ts"
import * as Table from "../../internal/format/Table.ts"
import * as Listing from "../../internal/Listing.ts"

/** How `image search` is used, after its path. */
export const usage = "[OPTIONS] TERM"

/** The search result row, with docker's column methods. */
const searchHeader = { Name: "NAME", Description: "DESCRIPTION", StarCount: "STARS", IsOfficial: "OFFICIAL" }
const searchFormat = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}"

/** `image search [-f F]... [--limit N] [--no-trunc] [--format F] TERM`. */
export const search = (name = "search", path = "search") =>
  Command.make(name, {
    filter: Flag.String("filter").pipe(
      Flag.withAlias("f"),
      Flag.atLeast(0),
      Flag.withDescription("Filter output based on conditions provided")
    ),
    limit: Flag.Int("limit").pipe(Flag.optional, Flag.withDescription("Max number of search results")),
    noTrunc: Flag.Boolean("no-trunc").pipe(Flag.withDefault(false), Flag.withDescription("Don't truncate output")),
    format: Flag.String("format").pipe(Flag.optional, Flag.withDescription("Pretty-print search using a Go template")),
    args: Args.all
  }, (input) =>
    Effect.gen(function*() {
      const [term] = yield* Args.expect({ path, usage }, input.args, 1, 1)
      const filters = yield* FilterFlags.parse(input.filter, "-f, --filter", { path, usage })
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
      yield* Listing.print(
        Table.render({
          format: Option.getOrElse(input.format, () => searchFormat) || searchFormat,
          header: searchHeader,
          rows
        })
      )
    })).pipe(Command.withDescription("Search Docker Hub for images"))
