/**
 * `dockhand image build` with the classic builder: the context directory (less `.dockerignore`) streamed as a
 * tar, docker's build flags, and the daemon's build log as docker prints it.
 *
 * @since 0.1.0
 */
import { DockerError, Images, Progress } from "@dockhand/client"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Command, Flag } from "effect/cli"
import * as Args from "../internal/Args.ts"
import * as BuildContext from "../internal/BuildContext.ts"
import * as Failure from "../internal/Failure.ts"
import * as Units from "../internal/format/Units.ts"
import * as Platforms from "../internal/Platforms.ts"
import * as ProgressDisplay from "../internal/ProgressDisplay.ts"
import { Terminal } from "../internal/Terminal.ts"

const buildUsage = (path: string) => ({ path, usage: "[OPTIONS] PATH | URL | -" })

/** `KEY=VALUE` pairs into a record; a bare `KEY` takes the value of the environment variable, or `null`. */
const keyValues = (pairs: ReadonlyArray<string>, env: (name: string) => string | undefined) => {
  const out: Record<string, string | null> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf("=")
    if (eq === -1) out[pair] = env(pair) ?? null
    else out[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return out
}

/** `image build [OPTIONS] PATH`. */
export const build = (name = "build", path = "image build") =>
  Command.make(name, {
    tag: Flag.String("tag").pipe(Flag.withAlias("t"), Flag.atLeast(0), Flag.withDescription("Name and optionally a tag in the \"name:tag\" format")),
    file: Flag.String("file").pipe(Flag.withAlias("f"), Flag.optional, Flag.withDescription("Name of the Dockerfile (Default is \"PATH/Dockerfile\")")),
    buildArg: Flag.String("build-arg").pipe(Flag.atLeast(0), Flag.withDescription("Set build-time variables")),
    label: Flag.String("label").pipe(Flag.atLeast(0), Flag.withDescription("Set metadata for an image")),
    target: Flag.String("target").pipe(Flag.optional, Flag.withDescription("Set the target build stage to build.")),
    noCache: Flag.Boolean("no-cache").pipe(Flag.withDefault(false), Flag.withDescription("Do not use cache when building the image")),
    pull: Flag.Boolean("pull").pipe(Flag.withDefault(false), Flag.withDescription("Always attempt to pull a newer version of the image")),
    quiet: Flag.Boolean("quiet").pipe(Flag.withDefault(false), Flag.withAlias("q"), Flag.withDescription("Suppress the build output and print image ID on success")),
    platform: Flag.String("platform").pipe(Flag.optional, Flag.withDescription("Set platform if server is multi-platform capable")),
    network: Flag.String("network").pipe(Flag.optional, Flag.withDescription("Set the networking mode for the RUN instructions during build")),
    addHost: Flag.String("add-host").pipe(Flag.atLeast(0), Flag.withDescription("Add a custom host-to-IP mapping (\"host:ip\")")),
    rm: Flag.Boolean("rm").pipe(Flag.withDefault(true), Flag.withDescription("Remove intermediate containers after a successful build")),
    forceRm: Flag.Boolean("force-rm").pipe(Flag.withDefault(false), Flag.withDescription("Always remove intermediate containers")),
    cacheFrom: Flag.String("cache-from").pipe(Flag.atLeast(0), Flag.withDescription("Images to consider as cache sources")),
    args: Args.all
  }, (input) =>
    Effect.gen(function*() {
      const [context] = yield* Args.expect(buildUsage(path), input.args, 1, 1)
      const terminal = yield* Terminal
      if (context === "-" || /^(?:https?:\/\/|git@|git:\/\/)/.test(context!)) {
        return yield* Effect.fail(Failure.message("dockhand builds from a local context directory only"))
      }
      const dockerfile = Option.getOrElse(input.file, () => "Dockerfile")
      const platform = yield* Platforms.parseOption(input.platform)
      let sent = 0
      let announced = false
      const tar = BuildContext.tar(context!, dockerfile).pipe(
        Stream.tap((chunk) => Effect.sync(() => void (sent += chunk.length))),
        Stream.mapError((cause) =>
          DockerError.make(new DockerError.InvalidArgument({ operation: "ImageBuild", message: `error checking context: ${cause.message}` }))
        )
      )
      const images = yield* Images.Images
      const progress = images.build(tar, {
        tags: input.tag,
        dockerfile,
        buildArgs: keyValues(input.buildArg, terminal.env),
        labels: keyValues(input.label, () => "") as Record<string, string>,
        ...(Option.isSome(input.target) ? { target: input.target.value } : {}),
        ...(platform ? { platform } : {}),
        ...(Option.isSome(input.network) ? { networkMode: input.network.value } : {}),
        noCache: input.noCache,
        pull: input.pull,
        quiet: input.quiet,
        remove: input.rm,
        forceRemove: input.forceRm,
        extraHosts: input.addHost,
        cacheFrom: input.cacheFrom.length > 0 ? input.cacheFrom : undefined
      })
      const display = ProgressDisplay.make({ terminal: terminal.stdoutIsTerminal, columns: terminal.columns })
      const outcome = yield* Progress.run(progress, (message) =>
        Effect.gen(function*() {
          if (!announced && !input.quiet) {
            announced = true
            yield* terminal.out(`Sending build context to Docker daemon  ${Units.humanSize(sent)}\r\r\n`)
          }
          if (input.quiet) return
          const text = display(message)
          if (text !== "") yield* terminal.out(text)
        })).pipe(Effect.mapError(Failure.fromDockerError))
      if (input.quiet && outcome.imageId !== undefined) yield* terminal.out(outcome.imageId)
    })).pipe(Command.withDescription("Build an image from a Dockerfile"))
