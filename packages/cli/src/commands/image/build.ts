/**
 * `dockhand image build` / `build`: the context directory (less `.dockerignore`) streamed as a tar, docker's build
 * flags, and the daemon's build log as docker prints it. The builder is chosen as docker 28 chooses it: BuildKit
 * unless `DOCKER_BUILDKIT=0` or the daemon does not offer it (Engine 20.10, Podman), with buildx's plain progress
 * view; else the classic builder.
 *
 * @since 0.1.0
 */
import { type BuildSession, Images, ProgressDisplay, SystemApi } from "@dockhand/client"
import * as Reference from "@dockhand/codecs/Reference"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import { join, resolve } from "node:path"
import * as Args from "../../internal/Args.ts"
import * as Buildkit from "../../internal/build/Buildkit.ts"
import type * as LocalContext from "../../internal/build/LocalContext.ts"
import * as Secrets from "../../internal/build/Secrets.ts"
import * as Ssh from "../../internal/build/Ssh.ts"
import type * as StdinContext from "../../internal/build/StdinContext.ts"
import type * as BuildContext from "../../internal/BuildContext.ts"
import * as Failure from "../../internal/Failure.ts"
import * as Units from "../../internal/format/Units.ts"
import type * as GitContext from "../../internal/GitContext.ts"
import * as Memory from "../../internal/Memory.ts"
import * as Platforms from "../../internal/Platforms.ts"
import * as RuntimeName from "../../internal/RuntimeName.ts"
import * as Stdin from "../../internal/Stdin.ts"
import { Terminal } from "../../internal/Terminal.ts"

/**
 * What reads a build's context (a directory, a git checkout, stdin) and sends it as a tar: loaded when a build runs,
 * so that no other command evaluates them at start-up.
 */
const loadContexts: Effect.Effect<{
  readonly BuildContext: typeof BuildContext
  readonly GitContext: typeof GitContext
  readonly LocalContext: typeof LocalContext
  readonly StdinContext: typeof StdinContext
}> = Effect.promise(() =>
  Promise.all([
    import("../../internal/BuildContext.ts"),
    import("../../internal/GitContext.ts"),
    import("../../internal/build/LocalContext.ts"),
    import("../../internal/build/StdinContext.ts")
  ])
).pipe(Effect.map(([BuildContext, GitContext, LocalContext, StdinContext]) => ({
  BuildContext,
  GitContext,
  LocalContext,
  StdinContext
})))

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

/** How `image build` is used, after its path. */
export const usage = "[OPTIONS] PATH | URL | -"

/** `image build [OPTIONS] PATH`. */
export const build = (name = "build", path = "image build") =>
  Command.make(name, {
    tag: Flag.String("tag").pipe(
      Flag.withAlias("t"),
      Flag.atLeast(0),
      Flag.withDescription("Name and optionally a tag in the \"name:tag\" format")
    ),
    file: Flag.String("file").pipe(
      Flag.withAlias("f"),
      Flag.optional,
      Flag.withDescription("Name of the Dockerfile (Default is \"PATH/Dockerfile\")")
    ),
    buildArg: Flag.String("build-arg").pipe(Flag.atLeast(0), Flag.withDescription("Set build-time variables")),
    label: Flag.String("label").pipe(Flag.atLeast(0), Flag.withDescription("Set metadata for an image")),
    target: Flag.String("target").pipe(Flag.optional, Flag.withDescription("Set the target build stage to build.")),
    noCache: Flag.Boolean("no-cache").pipe(
      Flag.withDefault(false),
      Flag.withDescription("Do not use cache when building the image")
    ),
    pull: Flag.Boolean("pull").pipe(
      Flag.withDefault(false),
      Flag.withDescription("Always attempt to pull a newer version of the image")
    ),
    quiet: Flag.Boolean("quiet").pipe(
      Flag.withDefault(false),
      Flag.withAlias("q"),
      Flag.withDescription("Suppress the build output and print image ID on success")
    ),
    platform: Flag.String("platform").pipe(
      Flag.optional,
      Flag.withDescription("Set platform if server is multi-platform capable")
    ),
    network: Flag.String("network").pipe(
      Flag.optional,
      Flag.withDescription("Set the networking mode for the RUN instructions during build")
    ),
    addHost: Flag.String("add-host").pipe(
      Flag.atLeast(0),
      Flag.withDescription("Add a custom host-to-IP mapping (\"host:ip\")")
    ),
    rm: Flag.Boolean("rm").pipe(
      Flag.withDefault(true),
      Flag.withDescription("Remove intermediate containers after a successful build")
    ),
    forceRm: Flag.Boolean("force-rm").pipe(
      Flag.withDefault(false),
      Flag.withDescription("Always remove intermediate containers")
    ),
    cacheFrom: Flag.String("cache-from").pipe(
      Flag.atLeast(0),
      Flag.withDescription("Images to consider as cache sources")
    ),
    progress: Flag.String("progress").pipe(
      Flag.withDefault("auto"),
      Flag.withDescription(
        "Set type of progress output (\"auto\", \"none\",  \"plain\", \"quiet\", \"rawjson\", \"tty\"). " +
          "Use plain to show container output"
      )
    ),
    iidfile: Flag.String("iidfile").pipe(Flag.optional, Flag.withDescription("Write the image ID to the file")),
    shmSize: Flag.String("shm-size").pipe(Flag.optional, Flag.withDescription("Size of \"/dev/shm\"")),
    ulimit: Flag.String("ulimit").pipe(Flag.atLeast(0), Flag.withDescription("Ulimit options")),
    secret: Flag.String("secret").pipe(
      Flag.atLeast(0),
      Flag.withDescription("Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\")")
    ),
    ssh: Flag.String("ssh").pipe(
      Flag.atLeast(0),
      Flag.withDescription(
        "SSH agent socket or keys to expose to the build (format: \"default|<id>[=<socket>|<key>[,<key>]]\")"
      )
    ),
    args: Args.all
  }, (input) =>
    Effect.scoped(Effect.gen(function*() {
      Memory.boundYoungGeneration()
      // docker checks the tags while parsing the flags.
      for (const tag of input.tag) {
        const parsed = Reference.parseNormalized(tag)
        if (Result.isFailure(parsed)) {
          return yield* Effect.fail(
            Failure.flagError(`invalid argument "${tag}" for "-t, --tag" flag: ${parsed.failure.message}`, {
              path,
              usage
            })
          )
        }
      }
      const badValue = (flag: string, value: string, why: string) =>
        Failure.flagError(`invalid argument "${value}" for "${flag}" flag: ${why}`, { path, usage })
      let shmSize: number | undefined
      if (Option.isSome(input.shmSize)) {
        shmSize = Buildkit.ramInBytes(input.shmSize.value)
        if (shmSize === undefined) {
          return yield* Effect.fail(
            badValue("--shm-size", input.shmSize.value, `invalid size: '${input.shmSize.value}'`)
          )
        }
      }
      const ulimits: Array<{ readonly Name: string; readonly Soft: number; readonly Hard: number }> = []
      for (const text of input.ulimit) {
        const ulimit = Buildkit.parseUlimit(text)
        if (ulimit === undefined) {
          return yield* Effect.fail(badValue("--ulimit", text, `invalid ulimit argument: ${text}`))
        }
        ulimits.push(ulimit)
      }
      const [context] = yield* Args.expect({ path, usage }, input.args, 1, 1)
      const terminal = yield* Terminal
      const system = yield* SystemApi.SystemApi
      const ping = yield* system.ping.pipe(Effect.mapError(Failure.fromDockerError))
      const buildkit = yield* Buildkit.enabled(terminal.env("DOCKER_BUILDKIT"), ping.builderVersion)
      if (!buildkit && input.progress !== "auto") {
        return yield* Effect.fail(
          Failure.message("--progress is a BuildKit option: the classic builder (DOCKER_BUILDKIT=0) has no other view")
        )
      }
      if (!buildkit && input.secret.length > 0) {
        return yield* Effect.fail(
          Failure.message("ERROR: --secret needs BuildKit (the classic builder has no session)")
        )
      }
      const secrets = Secrets.parse(input.secret, terminal.env, (file) => {
        const stat = Result.try(() => fs.statSync(file))
        return Result.isFailure(stat) ? Failure.goError(stat.failure) : undefined
      })
      if (Result.isFailure(secrets)) {
        const { build, message } = secrets.failure
        return yield* Effect.fail(Failure.message(`ERROR: ${build ? "failed to build: " : ""}${message}`))
      }
      const secretList = secrets.success
      if (!buildkit && input.ssh.length > 0) {
        return yield* Effect.fail(Failure.message("ERROR: --ssh needs BuildKit (the classic builder has no session)"))
      }
      const ssh = Ssh.parse(input.ssh, terminal.env, (file) => {
        const stat = Result.try(() => fs.statSync(file))
        if (Result.isFailure(stat)) return Failure.goError(stat.failure)
        return stat.success.isSocket() ? { socket: true } : { socket: false, keyError: Ssh.keyFileError(file) }
      })
      if (Result.isFailure(ssh)) return yield* Effect.fail(Failure.message(`ERROR: failed to build: ${ssh.failure}`))
      const sshAgents = ssh.success
      const mode = buildkit ? yield* Buildkit.progressMode(input.progress, input.quiet) : undefined
      const file = Option.getOrUndefined(input.file)
      if (context === "-" && file === "-") {
        return yield* Effect.fail(
          Failure.message("invalid argument: can't use stdin for both build context and dockerfile")
        )
      }
      const readError = (cause: Error) => Failure.message(`unable to prepare context: ${Failure.goError(cause)}`)
      const prepare = (message: string) => Failure.message(`unable to prepare context: ${message}`)
      const { BuildContext, GitContext, LocalContext, StdinContext } = yield* loadContexts
      // docker's order: stdin, a local directory, a git URL, any other URL
      const isLocalDir = context !== "-" && LocalContext.isDirectory(context!)
      const remote = !isLocalDir && context !== "-" && GitContext.isUrl(context!) && !GitContext.isGitUrl(context!)
      if (remote) {
        return yield* Effect.fail(prepare(
          "dockhand does not download remote contexts (tarball or Dockerfile URLs): " +
            "fetch the file and build from stdin (dockhand build - < FILE)"
        ))
      }
      const source = context === "-"
        ? yield* StdinContext.stdinContext(terminal.stdin, file).pipe(
          Effect.mapError((e) => e instanceof Failure.CliFailure ? e : readError(e))
        )
        : yield* Effect.gen(function*() {
          const stdinDockerfile = file === "-"
            ? yield* Stdin.readAll(terminal.stdin).pipe(Effect.mapError(readError))
            : undefined
          let directory = context!
          let dockerfile = stdinDockerfile === undefined ? file : undefined
          // for a git checkout, the -f text (or none) the Dockerfile must be within the context under
          let within: string | undefined
          if (!isLocalDir && GitContext.isGitUrl(context!)) {
            within = dockerfile ?? ""
            // a git URL: the checkout is the context, and -f is relative to it and must stay inside it
            directory = yield* GitContext.clone(context!).pipe(Effect.mapError(prepare))
            if (dockerfile !== undefined && dockerfile !== "") {
              const inContext = LocalContext.inCheckout(directory, dockerfile)
              if (inContext === undefined) {
                return yield* Effect.fail(prepare(`the Dockerfile (${dockerfile}) must be within the build context`))
              }
              dockerfile = inContext
            }
          }
          const local = yield* LocalContext.localContext(directory, dockerfile, stdinDockerfile, within)
          // a local directory goes through a BuildKit session as with buildx (Node and Deno; Bun's node:http2
          // cannot serve it, so there the tar is sent, unless a secret or an ssh agent needs the session)
          const session: BuildSession.Options | undefined = buildkit && isLocalDir && stdinDockerfile === undefined &&
              (RuntimeName.name !== "bun" || secretList.length > 0 || sshAgents.length > 0)
            ? {
              context: local.root,
              dockerfile: local.outside === undefined ? join(local.root, local.dockerfile) : resolve(dockerfile!),
              secrets: secretList,
              ssh: sshAgents
            }
            : undefined
          const ignore = yield* BuildContext.readDockerignore(local.root).pipe(
            Effect.mapError((error) => Failure.message(error.message))
          )
          return {
            tar: BuildContext.tar(local.root, local.dockerfile, ignore, local.outside),
            dockerfile: local.outside?.name ?? local.dockerfile,
            session,
            excerpt: Buildkit.localDockerfile({ file, git: within !== undefined, local, stdinDockerfile })
          }
        })
      const platform = yield* Platforms.parseOption(input.platform)
      // What docker shows of the upload: one line once the whole context is sent (kept back with -q, and shown on
      // stderr only if the build fails); then the daemon's build log (with -q, kept back until the end).
      let sent = 0
      let progressText = ""
      let buildText = ""
      const announce = Effect.suspend(() => {
        const line = `Sending build context to Docker daemon  ${Units.humanSize(sent)}\r\r\n`
        if (input.quiet) {
          progressText += line
          return Effect.void
        }
        return terminal.outRaw(line)
      })
      // docker checks the context before it sends it; dockhand checks it as it sends it, and words a failure as
      // docker does, whatever the transport makes of the interrupted upload
      let contextError: string | undefined
      const contextTar = source.tar.pipe(
        Stream.tap((chunk) => Effect.sync(() => void (sent += chunk.length))),
        Stream.mapError((cause) => {
          const error = BuildContext.checkError(cause)
          contextError = error.message
          return error
        })
      )
      const tar = contextTar.pipe(Stream.concat(Stream.fromEffect(announce).pipe(Stream.drain)))
      const images = yield* Images.Images
      if (buildkit) {
        // only a local directory's source has a session
        const session = (source as { readonly session?: BuildSession.Options | undefined }).session
        if (session === undefined && secretList.length > 0) {
          return yield* Effect.fail(
            Failure.message("ERROR: --secret needs a local directory context (a BuildKit session serves the secrets)")
          )
        }
        if (session === undefined && sshAgents.length > 0) {
          return yield* Effect.fail(
            Failure.message("ERROR: --ssh needs a local directory context (a BuildKit session forwards the agent)")
          )
        }
        // the build's id, to cancel it in the daemon on an interrupt and read its last reports (as buildx does)
        const buildId = Array.from(
          globalThis.crypto.getRandomValues(new Uint8Array(16)),
          (byte) => byte.toString(16).padStart(2, "0")
        ).join("")
        const progress = images.build(session === undefined ? contextTar : Stream.empty, {
          version: "2",
          buildId,
          ...(session === undefined ? {} : { session }),
          tags: input.tag,
          ...(source.dockerfile === undefined ? {} : { dockerfile: source.dockerfile }),
          buildArgs: keyValues(input.buildArg, terminal.env),
          labels: keyValues(input.label, () => "") as Record<string, string>,
          ...(Option.isSome(input.target) ? { target: input.target.value } : {}),
          ...(platform ? { platform } : {}),
          ...(Option.isSome(input.network) ? { networkMode: input.network.value } : {}),
          noCache: input.noCache,
          pull: input.pull,
          extraHosts: input.addHost,
          cacheFrom: input.cacheFrom.length > 0 ? input.cacheFrom : undefined,
          ...(shmSize === undefined ? {} : { shmSize }),
          ...(ulimits.length === 0 ? {} : { ulimits })
        })
        return yield* Buildkit.run(progress, {
          mode: mode!,
          quietId: input.quiet || input.progress === "quiet", // buildx: --progress=quiet is -q (none is not)
          iidfile: Option.getOrUndefined(input.iidfile),
          dockerfile: source.excerpt,
          cancel: images.buildCancel(buildId)
        }, terminal).pipe(
          Effect.catch((failure) =>
            contextError === undefined ? Effect.fail(failure) : Effect.fail(Failure.message(contextError))
          )
        )
      }
      const progress = images.build(tar, {
        tags: input.tag,
        ...(source.dockerfile === undefined ? {} : { dockerfile: source.dockerfile }),
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
        cacheFrom: input.cacheFrom.length > 0 ? input.cacheFrom : undefined,
        ...(shmSize === undefined ? {} : { shmSize }),
        ...(ulimits.length === 0 ? {} : { ulimits })
      })
      // with -q the log is kept back, then written raw to stdout or (on failure) stderr:
      // escaped if either is a terminal
      const outcome = yield* ProgressDisplay.render(progress, {
        out: (text) => input.quiet ? Effect.sync(() => void (buildText += text)) : terminal.outRaw(text),
        isTerminal: terminal.stdoutIsTerminal,
        columns: terminal.columns,
        escape: terminal.stdoutIsTerminal || (input.quiet && terminal.stderrIsTerminal)
      }).pipe(
        Effect.catch((error) =>
          Effect.gen(function*() {
            if (contextError !== undefined) return yield* Effect.fail(Failure.message(contextError))
            if (input.quiet) yield* terminal.errRaw(progressText + buildText)
            // A failed step's exit status is the command's, as with docker (`RUN false` exits 1, `RUN exit 3` 3).
            const code = error.reason._tag === "StreamError" ? error.reason.code : undefined
            return yield* Effect.fail(
              Failure.message(
                Failure.fromDockerError(error).message.replace(/\n$/, ""),
                code === undefined || code === 0 ? 1 : code
              )
            )
          })
        )
      )
      if (input.quiet) yield* terminal.outRaw(buildText)
      if (Option.isSome(input.iidfile)) yield* Buildkit.writeIidFile(input.iidfile.value, outcome.imageId ?? "")
    }))).pipe(Command.withDescription("Build an image from a Dockerfile"))
