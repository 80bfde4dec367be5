// The floor's last step: a two-level effect/cli command tree (`image inspect NAME [--format F]`) run on the
// command line, its handler decoding a small struct with effect's Schema and printing it as JSON. What every
// dockhand command needs before it does its own work.
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Services from "./services.ts"

const Summary = Schema.Struct({
  Id: Schema.String,
  RepoTags: Schema.Array(Schema.String),
  Size: Schema.Number,
  Config: Schema.optional(Schema.Struct({ Cmd: Schema.NullOr(Schema.Array(Schema.String)) }))
})

const inspect = Command.make(
  "inspect",
  { name: Argument.String("image"), format: Flag.String("format").pipe(Flag.optional) },
  ({ name }) =>
    Effect.gen(function*() {
      const summary = yield* Schema.decodeUnknownEffect(Summary)({ Id: "sha256:0", RepoTags: [name], Size: 0 })
      yield* Effect.sync(() => process.stdout.write(`${JSON.stringify([summary], null, 4)}\n`))
    })
)

const floor = Command.make("floor").pipe(
  Command.withSubcommands([Command.make("image").pipe(Command.withSubcommands([inspect]))])
)

Effect.runFork(Command.runWith(floor, { version: "0" })(process.argv.slice(2)).pipe(Effect.provide(Services.layer)))
