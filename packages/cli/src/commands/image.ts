/**
 * `dockhand image …`: the image commands that print no tables: tag, rm, inspect, pull, push, save, load, import.
 *
 * @since 0.1.0
 */
import { Images } from "@dockhand/client"
import * as Reference from "@dockhand/codecs/Reference"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { Command, Flag } from "effect/cli"
import * as Args from "../internal/Args.ts"
import * as Failure from "../internal/Failure.ts"
import * as Inspect from "../internal/Inspect.ts"
import { Terminal } from "../internal/Terminal.ts"
import * as Platforms from "../internal/Platforms.ts"

const tagUsage = (path: string) => ({ path, usage: "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]" })

/** `image tag SOURCE TARGET`. */
export const tag = (name = "tag", path = "image tag") =>
  Command.make(name, { args: Args.all }, ({ args }) =>
  Effect.gen(function*() {
    const [source, target] = yield* Args.expect(tagUsage(path), args, 2, 2)
    // The docker client checks both names before asking the daemon, and says which one is wrong.
    const checks: ReadonlyArray<readonly [string, Result.Result<unknown, { readonly message: string }>]> = [
      [source!, Reference.parseAny(source!)],
      [target!, Reference.parseNormalized(target!)]
    ]
    for (const [name, parsed] of checks) {
      if (Result.isFailure(parsed)) {
        return yield* Effect.fail(
          Failure.message(`Error parsing reference: "${name}" is not a valid repository/tag: ${parsed.failure.message}`)
        )
      }
    }
    const images = yield* Images.Images
    yield* images.tag(source!, target!)
  })).pipe(Command.withDescription("Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE"))

const rmUsage = (path: string) => ({ path, usage: "[OPTIONS] IMAGE [IMAGE...]" })

/**
 * `image rm [-f] [--no-prune] [--platform P] IMAGE...`: goes on past a failure and exits 1; with `-f`, images that
 * do not exist are reported but do not fail the command.
 */
export const rm = (name = "rm", path = "image rm") =>
  Command.make(name, {
  force: Flag.Boolean("force").pipe(Flag.withDefault(false), Flag.withAlias("f"), Flag.withDescription("Force removal of the image")),
  noPrune: Flag.Boolean("no-prune").pipe(Flag.withDefault(false), Flag.withDescription("Do not delete untagged parents")),
  platform: Flag.String("platform").pipe(Flag.atLeast(0), Flag.withDescription("Remove only the given platform variant")),
  args: Args.all
}, ({ args, force, noPrune, platform }) =>
  Effect.gen(function*() {
    const names = yield* Args.expect(rmUsage(path), args, 1)
    const images = yield* Images.Images
    const terminal = yield* Terminal
    const platforms = yield* Platforms.parseAll(platform)
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

const inspectUsage = (path: string) => ({ path, usage: "[OPTIONS] IMAGE [IMAGE...]" })

/** `image inspect [--format F] [--platform P] IMAGE...`: the daemon's JSON, indented as docker indents it. */
export const inspect = (name = "inspect", path = "image inspect") =>
  Command.make(name, {
  format: Flag.String("format").pipe(Flag.withAlias("f"), Flag.optional, Flag.withDescription("Format output using a custom template")),
  platform: Flag.String("platform").pipe(Flag.optional, Flag.withDescription("Inspect a specific platform")),
  args: Args.all
}, ({ args, format, platform }) =>
  Effect.gen(function*() {
    const names = yield* Args.expect(inspectUsage(path), args, 1)
    const images = yield* Images.Images
    const terminal = yield* Terminal
    const platformValue = yield* Platforms.parseOption(platform)
    const template = yield* Inspect.parseFormat(format)
    const entries: Array<Result.Result<string, string>> = []
    for (const name of names) {
      const result = yield* Effect.result(images.inspectRaw(name, platformValue === undefined ? {} : { platform: platformValue }))
      entries.push(result._tag === "Failure" ? Result.fail(result.failure.message) : Result.succeed(result.success))
    }
    const { errors, output } = yield* Inspect.render(entries, template, Inspect.imageInspectResponse)
    yield* terminal.out(output)
    if (errors.length > 0) return yield* Effect.fail(Failure.message(errors.join("\n")))
  })).pipe(Command.withDescription("Display detailed information on one or more images"))
