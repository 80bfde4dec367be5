/**
 * `--platform` values (`linux/arm64/v8`) read into OCI platforms, with docker's error for a bad one.
 *
 * @internal
 */
import { ApiVersion, SystemApi } from "@dockhand/client"
import * as Platform from "@dockhand/codecs/Platform"
import type { Oci } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Failure from "./Failure.ts"
import { quote } from "./format/GoValue.ts"
import { Terminal } from "./Terminal.ts"

/** One platform, or a typed failure with docker's wording. */
export const parse = (text: string): Effect.Effect<Oci.Platform, Failure.CliFailure> => {
  const parsed = Platform.parse(text)
  return Result.isSuccess(parsed)
    ? Effect.succeed(parsed.success)
    : Effect.fail(Failure.message(`invalid platform: ${parsed.failure.message}`))
}

/** An optional `--platform`. */
export const parseOption = (text: Option.Option<string>) =>
  Option.isNone(text) || text.value === "" ? Effect.succeed(undefined) : parse(text.value)

/** A repeated `--platform`, empty values dropped. */
export const parseAll = (texts: ReadonlyArray<string>) => Effect.forEach(texts.filter((t) => t !== ""), parse)

// ---------------------------------------------------------------------------------------------------------------
// containerd's `platforms.Parse`, which docker CLI 28.5 (and the daemon, for pull and import) reads `--platform` with
// ---------------------------------------------------------------------------------------------------------------

const SPECIFIER = /^[A-Za-z0-9_.-]+$/
const OS_AND_VERSION = /^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.-]*)\))?$/
const KNOWN_OS = new Set(
  "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris windows zos"
    .split(" ")
)
const KNOWN_ARCH = new Set(
  ("386 amd64 amd64p32 arm armbe arm64 arm64be ppc64 ppc64le loong64 mips mipsle mips64 mips64le mips64p32 " +
    "mips64p32le ppc riscv riscv64 s390 s390x sparc sparc64 wasm").split(" ")
)

/** containerd's `normalizeArch`: `x86_64` → `amd64`, `aarch64` → `arm64`, `armhf` → `arm/v7`, … */
const normalizeArch = (architecture: string, variant: string): readonly [string, string] => {
  const arch = architecture.toLowerCase()
  const v = variant.toLowerCase()
  switch (arch) {
    case "i386":
      return ["386", ""]
    case "x86_64":
    case "x86-64":
    case "amd64":
      return ["amd64", v === "v1" ? "" : v]
    case "aarch64":
    case "arm64":
      return [
        "arm64",
        v === "8" || v === "v8" || v === "v8.0" ? "" : v === "9" || v === "9.0" || v === "v9.0" ? "v9" : v
      ]
    case "armhf":
      return ["arm", "v7"]
    case "armel":
      return ["arm", "v6"]
    case "arm":
      return ["arm", v === "" || v === "7" ? "v7" : v === "5" || v === "6" || v === "8" ? `v${v}` : v]
    default:
      return [arch, v]
  }
}

/** Go's `runtime.GOARCH` for this machine (a single `--platform linux` means this architecture). */
const hostArch = (): string => {
  const arch = process.arch
  return arch === "x64" ? "amd64" : arch === "ia32" ? "386" : arch
}

/**
 * containerd's `platforms.Parse` (the CLI's and the daemon's reading of `--platform`): normalised as it normalises
 * (`Linux/AArch64` → `linux/arm64`, a lone OS gets this machine's architecture), failing with its words, e.g.
 * `"" is an invalid component of "linux//": platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid
 * argument`.
 */
export const parseContainerd = (specifier: string): Result.Result<Oci.Platform, string> => {
  const invalid = (text: string) => Result.fail(`${text}: invalid argument`)
  if (specifier.includes("*")) return invalid(`${quote(specifier)}: wildcards not yet supported`)
  const all = specifier.split("/")
  const parts = all.length > 4 ? [...all.slice(0, 3), all.slice(3).join("/")] : all
  let os = ""
  let osVersion = ""
  for (const [i, part] of parts.entries()) {
    if (i === 0) {
      const match = OS_AND_VERSION.exec(part)
      if (match === null) {
        return invalid(
          `${quote(part)} is an invalid OS component of ${quote(specifier)}: OSAndVersion specifier component ` +
            `must match ${quote(OS_AND_VERSION.source)}`
        )
      }
      os = match[1]!.toLowerCase() === "macos" ? "darwin" : match[1]!.toLowerCase()
      osVersion = match[2] ?? ""
    } else if (!SPECIFIER.test(part)) {
      return invalid(
        `${quote(part)} is an invalid component of ${quote(specifier)}: platform specifier component must ` +
          `match ${quote(SPECIFIER.source)}`
      )
    }
  }
  const platform = (architecture: string, variant: string, osName = os): Oci.Platform => ({
    architecture,
    os: osName,
    ...(osVersion === "" ? {} : { "os.version": osVersion }),
    ...(variant === "" ? {} : { variant })
  })
  switch (parts.length) {
    case 1: {
      if (KNOWN_OS.has(os)) return Result.succeed(platform(hostArch(), ""))
      let [arch, variant] = normalizeArch(parts[0]!, "")
      if (arch === "arm" && variant === "v7") variant = ""
      if (KNOWN_ARCH.has(arch)) return Result.succeed(platform(arch, variant, process.platform))
      return invalid(`${quote(specifier)}: unknown operating system or architecture`)
    }
    case 2: {
      let [arch, variant] = normalizeArch(parts[1]!, "")
      if (arch === "arm" && variant === "v7") variant = ""
      return Result.succeed(platform(arch, variant))
    }
    case 3: {
      let [arch, variant] = normalizeArch(parts[1]!, parts[2]!)
      if (arch === "arm64" && variant === "") variant = "v8"
      return Result.succeed(platform(arch, variant))
    }
  }
  return invalid(`${quote(specifier)}: cannot parse platform specifier`)
}

/**
 * An optional `--platform` read as docker CLI 28.5 reads it for `command`: its error as is (`inspect`, `rm`),
 * after `invalid platform: ` (`history`, `save`, `load`), after `Invalid platform X` on standard error (`push`),
 * or as the daemon words it (`pull`, `import`, whose platform docker sends unread).
 */
export const parseDocker = (
  text: string,
  command: "inspect" | "rm" | "history" | "save" | "load" | "push" | "pull" | "import"
): Effect.Effect<Oci.Platform, Failure.CliFailure, Terminal> => {
  const parsed = parseContainerd(text)
  if (Result.isSuccess(parsed)) return Effect.succeed(parsed.success)
  switch (command) {
    case "history":
    case "save":
    case "load":
      return Effect.fail(Failure.message(`invalid platform: ${parsed.failure}`))
    case "push":
      return Effect.gen(function*() {
        yield* (yield* Terminal).err(`Invalid platform ${text}`)
        return yield* Effect.fail(Failure.message(parsed.failure))
      })
    case "pull":
    case "import":
      return Effect.fail(Failure.message(`Error response from daemon: ${parsed.failure}`))
    default:
      return Effect.fail(Failure.message(parsed.failure))
  }
}

/** A repeated `--platform` read by {@link parseDocker}, empty values dropped (`rm` splits each at commas). */
export const parseDockerAll = (texts: ReadonlyArray<string>, command: Parameters<typeof parseDocker>[1]) =>
  Effect.forEach(
    (command === "rm" ? texts.flatMap((text) => text.split(",")) : texts).filter((t) => t !== ""),
    (text) => parseDocker(text, command)
  )

/**
 * The `--platform` of `pull`, `import` and `build`: docker takes `DOCKER_DEFAULT_PLATFORM` as the flag's default, so
 * the variable applies when the flag is absent, and a given flag (even an empty one) wins over it.
 */
export const withDefaultPlatform = (text: Option.Option<string>, defaultPlatform: string | undefined) =>
  Option.isNone(text) && defaultPlatform !== undefined ? Option.some(defaultPlatform) : text

/** An optional `--platform` read by {@link parseDocker}. */
export const parseDockerOption = (text: Option.Option<string>, command: Parameters<typeof parseDocker>[1]) =>
  Option.isNone(text) || text.value === "" ? Effect.succeed(undefined) : parseDocker(text.value, command)

/**
 * docker's check of a flag's `version` annotation, made before the command runs: when the flag is given and the API
 * version in use is older than `required`, `"--platform" requires API version 1.48, but the Docker daemon API version
 * is 1.41`.
 */
export const requireApi = (flag: string, given: boolean, required: string) =>
  Effect.gen(function*() {
    if (!given) return
    const version = yield* (yield* SystemApi.SystemApi).apiVersion
    if (!ApiVersion.atLeast(version, required)) {
      return yield* Effect.fail(
        Failure.message(`"${flag}" requires API version ${required}, but the Docker daemon API version is ${version}`)
      )
    }
  })

/**
 * `save` and `load` take one `--platform` in docker CLI 28.5 (a repeated flag: the last one wins); more than one
 * platform needs API 1.52. Below it, the given values are cut to the last, as docker 28.5 takes them.
 */
export const lastBelow152 = (texts: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    if (texts.length < 2) return texts
    const version = yield* (yield* SystemApi.SystemApi).apiVersion
    return ApiVersion.atLeast(version, "1.52") ? texts : texts.slice(-1)
  })
