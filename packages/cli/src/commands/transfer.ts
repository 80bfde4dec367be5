/**
 * `dockhand image pull|push|save|load|import`: the commands that move images, with docker's progress display,
 * notices and refusals (no tar to a terminal, none from one).
 *
 * @since 0.1.0
 */
import { DockerError, Images, Progress } from "@dockhand/client"
import * as Reference from "@dockhand/codecs/Reference"
import type { JsonMessage } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { Command, Flag } from "effect/cli"
import { randomBytes } from "node:crypto"
import { closeSync, createReadStream, lstatSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs"
import { dirname, join, posix } from "node:path"
import * as Args from "../internal/Args.ts"
import * as Failure from "../internal/Failure.ts"
import * as Memory from "../internal/Memory.ts"
import * as Platforms from "../internal/Platforms.ts"
import * as ProgressDisplay from "../internal/ProgressDisplay.ts"
import { Terminal } from "../internal/Terminal.ts"


/** Shows a progress operation on stdout the docker way and gives its outcome; `quiet` shows nothing. */
const show = (progress: Progress.Progress, quiet: boolean) =>
  Effect.gen(function*() {
    const terminal = yield* Terminal
    const display = ProgressDisplay.make({ terminal: terminal.stdoutIsTerminal, columns: terminal.columns })
    return yield* Progress.run(progress, (message: JsonMessage.Message) => {
      if (quiet) return Effect.void
      const text = display(message)
      return text === "" ? Effect.void : terminal.outRaw(text)
    })
  })

const pullUsage = (path: string) => ({ path, usage: "[OPTIONS] NAME[:TAG|@DIGEST]" })

/** `image pull [-a] [-q] [--platform P] NAME`. */
export const pull = (name = "pull", path = "image pull") =>
  Command.make(name, {
  allTags: Flag.Boolean("all-tags").pipe(Flag.withDefault(false), Flag.withAlias("a"), Flag.withDescription("Download all tagged images in the repository")),
  quiet: Flag.Boolean("quiet").pipe(Flag.withDefault(false), Flag.withAlias("q"), Flag.withDescription("Suppress verbose output")),
  platform: Flag.String("platform").pipe(Flag.optional, Flag.withDescription("Set platform if server is multi-platform capable")),
  disableContentTrust: Flag.Boolean("disable-content-trust").pipe(Flag.withDefault(true), Flag.withDescription("Skip image verification")),
  args: Args.all
}, ({ args, allTags, quiet, platform }) =>
  Effect.gen(function*() {
    const [image] = yield* Args.expect(pullUsage(path), args, 1, 1)
    const terminal = yield* Terminal
    const parsed = Reference.parseNormalized(image!)
    if (Result.isFailure(parsed)) return yield* Effect.fail(Failure.message(parsed.failure.message))
    const ref = parsed.success
    if (allTags && !Reference.isNameOnly(ref)) {
      return yield* Effect.fail(Failure.message("tag can't be used with --all-tags/-a"))
    }
    const tagged = !allTags && Reference.isNameOnly(ref) ? Reference.withDefaultTag(ref) : ref
    if (!allTags && Reference.isNameOnly(ref) && !quiet) {
      yield* terminal.out(`Using default tag: ${Reference.defaultTag}\n`)
    }
    const platformValue = yield* Platforms.parseOption(platform)
    const images = yield* Images.Images
    yield* show(
      images.pull(Reference.format(tagged), { all: allTags, ...(platformValue ? { platform: platformValue } : {}) }),
      quiet
    )
    yield* terminal.out(`${Reference.format(tagged)}\n`)
  })).pipe(Command.withDescription("Download an image from a registry"))

const pushUsage = (path: string) => ({ path, usage: "[OPTIONS] NAME[:TAG]" })

/** `image push [-a] [-q] [--platform P] NAME[:TAG]`. */
export const push = (name = "push", path = "image push") =>
  Command.make(name, {
  allTags: Flag.Boolean("all-tags").pipe(Flag.withDefault(false), Flag.withAlias("a"), Flag.withDescription("Push all tags of an image to the repository")),
  quiet: Flag.Boolean("quiet").pipe(Flag.withDefault(false), Flag.withAlias("q"), Flag.withDescription("Suppress verbose output")),
  platform: Flag.String("platform").pipe(Flag.optional, Flag.withDescription("Push a platform-specific manifest")),
  disableContentTrust: Flag.Boolean("disable-content-trust").pipe(Flag.withDefault(true), Flag.withDescription("Skip image signing")),
  args: Args.all
}, ({ args, allTags, quiet, platform }) =>
  Effect.gen(function*() {
    const [image] = yield* Args.expect(pushUsage(path), args, 1, 1)
    const terminal = yield* Terminal
    const parsed = Reference.parseNormalized(image!)
    if (Result.isFailure(parsed)) return yield* Effect.fail(Failure.message(parsed.failure.message))
    const ref = parsed.success
    if (allTags && Reference.isTagged(ref)) {
      return yield* Effect.fail(Failure.message("tag can't be used with --all-tags/-a"))
    }
    if (!allTags && Reference.isNameOnly(ref) && !quiet) {
      yield* terminal.out(`Using default tag: ${Reference.defaultTag}\n`)
    }
    const target = allTags ? ref : Reference.withDefaultTag(ref)
    const platformValue = yield* Platforms.parseOption(platform)
    const images = yield* Images.Images
    yield* show(
      images.push(Reference.format(target), { all: allTags, ...(platformValue ? { platform: platformValue } : {}) }),
      quiet
    )
    if (quiet) yield* terminal.out(`${Reference.format(target)}\n`)
  })).pipe(Command.withDescription("Upload an image to a registry"))

const saveUsage = (path: string) => ({ path, usage: "[OPTIONS] IMAGE [IMAGE...]" })

/** Go's `filepath.Dir`: everything before the last slash, cleaned (`a/b/` gives `a/b`, `x.tar` gives `.`). */
const goDir = (path: string): string => {
  const slash = path.lastIndexOf("/")
  if (slash === -1) return "."
  const dir = posix.normalize(path.slice(0, slash + 1))
  return dir === "/" ? dir : dir.replace(/\/+$/, "")
}

/**
 * docker's checks of `save -o PATH`, made before anything is asked of the daemon: the directory of `path` must be
 * one, and `path` itself must be neither a symbolic link (docker refuses to write through one; renaming the
 * temporary file over it would replace the link) nor a directory.
 */
const validateOutputPath = (path: string) => {
  const refuse = (text: string) => Failure.message(`failed to save image: ${text}`)
  const dir = goDir(path)
  const parent = dir === "." ? Effect.void : Effect.try({
    try: () => statSync(dir),
    catch: (cause) => refuse(`invalid output path: ${Failure.goError(cause)}`)
  }).pipe(Effect.flatMap((stat) =>
    stat.isDirectory() ? Effect.void : Effect.fail(refuse(`invalid output path: stat ${dir}: not a directory`))
  ))
  const target = Effect.try({
    try: () => lstatSync(path, { throwIfNoEntry: false }),
    catch: (cause) => refuse(Failure.goError(cause))
  }).pipe(Effect.flatMap((stat) =>
    stat?.isSymbolicLink() === true
      ? Effect.fail(refuse("cannot write to a symbolic link directly"))
      : stat?.isDirectory() === true
      ? Effect.fail(refuse("cannot write to a directory"))
      : Effect.void
  ))
  return Effect.andThen(parent, target)
}

/**
 * Writes a byte stream to `path` as docker's `CopyToFile` does: into a new temporary file (mode 0600) next to it,
 * renamed over `path` only once every byte is written, so that a failed save leaves an existing file alone. Each
 * chunk is written before the next is read, synchronously: a write lands in the page cache at once, and handing
 * tens of thousands of chunks to a thread pool and back made `save -o` a third slower than docker's.
 */
const writeFile = (path: string, bytes: Stream.Stream<Uint8Array, DockerError.DockerError>) => {
  const goFailure = (cause: unknown) => Failure.message(Failure.goError(cause))
  return Effect.acquireUseRelease(
    Effect.try({
      try: () => {
        const temp = join(dirname(path), `.docker_temp_${randomBytes(5).toString("hex")}`)
        return { temp, fd: openSync(temp, "wx", 0o600), closed: false, renamed: false, track: Memory.tracker() }
      },
      catch: goFailure
    }),
    (file) =>
      Stream.runForEach(bytes, (chunk) =>
        Effect.try({
          try: () => {
            for (let offset = 0; offset < chunk.byteLength;) offset += writeSync(file.fd, chunk, offset)
            file.track(chunk.byteLength)
          },
          catch: goFailure
        })).pipe(
          Effect.andThen(Effect.try({
            try: () => {
              closeSync(file.fd)
              file.closed = true
              renameSync(file.temp, path)
              file.renamed = true
            },
            catch: goFailure
          }))
        ),
    // on failure or interruption: the temporary file goes, whatever `path` held stays
    (file) =>
      Effect.sync(() => {
        if (!file.closed) closeSync(file.fd)
        if (!file.renamed) rmSync(file.temp, { force: true })
      })
  )
}

/** `image save [-o FILE] [--platform P] IMAGE...`: refuses to write a tar to a terminal. */
export const save = (name = "save", path = "image save") =>
  Command.make(name, {
  output: Flag.String("output").pipe(Flag.withAlias("o"), Flag.optional, Flag.withDescription("Write to a file, instead of STDOUT")),
  platform: Flag.String("platform").pipe(Flag.atLeast(0), Flag.withDescription("Save only the given platform(s)")),
  args: Args.all
}, ({ args, output, platform }) =>
  Effect.gen(function*() {
    const names = yield* Args.expect(saveUsage(path), args, 1)
    const terminal = yield* Terminal
    const platforms = yield* Platforms.parseAll(platform)
    const images = yield* Images.Images
    const tar = images.save(names, platforms.length > 0 ? { platforms } : {})
    if (Option.isSome(output) && output.value !== "" && output.value !== "-") {
      yield* validateOutputPath(output.value)
      return yield* writeFile(output.value, tar)
    }
    if (terminal.stdoutIsTerminal) {
      return yield* Effect.fail(Failure.message("cowardly refusing to save to a terminal. Use the -o flag or redirect"))
    }
    yield* terminal.outBytes(tar)
  })).pipe(Command.withDescription("Save one or more images to a tar archive (streamed to STDOUT by default)"))

/** A file's bytes as a stream; the file is opened first, so that a missing one fails with docker's `open x: …`. */
const readFile = (path: string): Effect.Effect<Stream.Stream<Uint8Array, Error>, Failure.CliFailure> =>
  Effect.try({
    try: () => openSync(path, "r"),
    catch: (cause) => Failure.message(Failure.goError(cause))
  }).pipe(Effect.map((fd) =>
    Stream.fromAsyncIterable(createReadStream(path, { fd }) as AsyncIterable<Uint8Array>, (cause) =>
      cause instanceof Error ? cause : new Error(String(cause)))
  ))

const loadUsage = (path: string) => ({ path, usage: "[OPTIONS]" })

/** `image load [-i FILE] [-q] [--platform P]`: refuses a terminal on stdin. */
export const load = (name = "load", path = "image load") =>
  Command.make(name, {
  input: Flag.String("input").pipe(Flag.withAlias("i"), Flag.optional, Flag.withDescription("Read from tar archive file, instead of STDIN")),
  quiet: Flag.Boolean("quiet").pipe(Flag.withDefault(false), Flag.withAlias("q"), Flag.withDescription("Suppress the load output")),
  platform: Flag.String("platform").pipe(Flag.atLeast(0), Flag.withDescription("Load only the given platform(s)")),
  args: Args.all
}, ({ args, input, quiet, platform }) =>
  Effect.gen(function*() {
    yield* Args.expect(loadUsage(path), args, 0, 0)
    const terminal = yield* Terminal
    const fromFile = Option.isSome(input) && input.value !== ""
    if (!fromFile && terminal.stdinIsTerminal) {
      return yield* Effect.fail(Failure.message("requested load from stdin, but stdin is empty"))
    }
    const source = fromFile ? yield* readFile(input.value) : terminal.stdin
    const platforms = yield* Platforms.parseAll(platform)
    const images = yield* Images.Images
    const tar = source.pipe(Stream.mapError(readError("ImageLoad")))
    const display = ProgressDisplay.make({ terminal: terminal.stdoutIsTerminal, columns: terminal.columns })
    // Without a terminal docker asks the daemon to be quiet; the "Loaded image" lines still come.
    const progress = images.load(tar, { quiet: quiet || !terminal.stdoutIsTerminal, ...(platforms.length > 0 ? { platforms } : {}) })
    yield* Progress.run(progress, (message) => {
      const text = display(message)
      return text === "" ? Effect.void : terminal.outRaw(text)
    })
  })).pipe(Command.withDescription("Load an image from a tar archive or STDIN"))

/** A local read error while feeding `load` or `import`. */
const readError = (operation: string) => (cause: Error): DockerError.DockerError =>
  DockerError.make(new DockerError.InvalidArgument({ operation, message: cause.message }))

const importUsage = (path: string) => ({ path, usage: "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]" })

/** `image import [-c CHANGE]... [-m MESSAGE] [--platform P] file|URL|- [REPOSITORY[:TAG]]`. */
export const importImage = (name = "import", path = "image import") =>
  Command.make(name, {
  change: Flag.String("change").pipe(Flag.withAlias("c"), Flag.atLeast(0), Flag.withDescription("Apply Dockerfile instruction to the created image")),
  message: Flag.String("message").pipe(Flag.withAlias("m"), Flag.optional, Flag.withDescription("Set commit message for imported image")),
  platform: Flag.String("platform").pipe(Flag.optional, Flag.withDescription("Set platform if server is multi-platform capable")),
  args: Args.all
}, ({ args, change, message, platform }) =>
  Effect.gen(function*() {
    // docker takes (and ignores) more arguments than the two it uses.
    const [source, reference] = yield* Args.expect(importUsage(path), args, 1)
    const terminal = yield* Terminal
    const platformValue = yield* Platforms.parseOption(platform)
    const images = yield* Images.Images
    // docker's rule: `-` is standard input, an http(s) address is fetched by the daemon, anything else is a local
    // file (`github.com/x.tar` too, read here and uploaded)
    const isUrl = source!.startsWith("http://") || source!.startsWith("https://")
    const from: Images.ImportSource = source === "-"
      ? { _tag: "Stream", stream: terminal.stdin.pipe(Stream.mapError(readError("ImageCreate"))) }
      : isUrl
      ? { _tag: "Url", url: source! }
      : { _tag: "Stream", stream: (yield* readFile(source!)).pipe(Stream.mapError(readError("ImageCreate"))) }
    yield* show(
      images.import(from, {
        reference,
        changes: change,
        ...(Option.isSome(message) ? { message: message.value } : {}),
        ...(platformValue ? { platform: platformValue } : {})
      }),
      false
    )
  })).pipe(Command.withDescription("Import the contents from a tarball to create a filesystem image"))
