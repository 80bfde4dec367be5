/**
 * The docker CLI's global flags (`-H`, `--context`, `--config`, `--tls*`, `-D`, `-l`), read from the front of the
 * command line as docker reads them: before the first command word, so that a command's own flags (`history -H`,
 * `import -c`) never clash with them.
 *
 * @since 0.1.0
 */
import type { DockerSettings } from "@dockhand/client"
import * as Result from "effect/Result"

/**
 * The global flags given, and where the command proper starts.
 *
 * @category models
 * @since 0.1.0
 */
export interface GlobalFlags {
  readonly settings: DockerSettings.Flags
  readonly debug: boolean
  readonly logLevel: string | undefined
  readonly help: boolean
  readonly version: boolean
  /** The command and its arguments, e.g. `["image", "ls", "-a"]`. */
  readonly rest: ReadonlyArray<string>
}

type Kind = "string" | "bool"
const flags: Record<string, { readonly name: string; readonly kind: Kind }> = {
  "-H": { name: "host", kind: "string" },
  "--host": { name: "host", kind: "string" },
  "-c": { name: "context", kind: "string" },
  "--context": { name: "context", kind: "string" },
  "--config": { name: "config", kind: "string" },
  "-D": { name: "debug", kind: "bool" },
  "--debug": { name: "debug", kind: "bool" },
  "-l": { name: "log-level", kind: "string" },
  "--log-level": { name: "log-level", kind: "string" },
  "--tls": { name: "tls", kind: "bool" },
  "--tlsverify": { name: "tlsverify", kind: "bool" },
  "--tlscacert": { name: "tlscacert", kind: "string" },
  "--tlscert": { name: "tlscert", kind: "string" },
  "--tlskey": { name: "tlskey", kind: "string" },
  "-h": { name: "help", kind: "bool" },
  "--help": { name: "help", kind: "bool" },
  "-v": { name: "version", kind: "bool" },
  "--version": { name: "version", kind: "bool" }
}

const boolValue = (text: string): boolean | undefined =>
  ["1", "t", "T", "true", "TRUE", "True"].includes(text)
    ? true
    : ["0", "f", "F", "false", "FALSE", "False"].includes(text)
    ? false
    : undefined

/** pflag's error for a bad boolean: `invalid argument "x" for "-D, --debug" flag: strconv.ParseBool: …`. */
const badBool = (value: string, name: string) => {
  const keys = Object.keys(flags).filter((key) => flags[key]!.name === name)
  const short = keys.find((key) => !key.startsWith("--"))
  return `invalid argument "${value}" for "${short === undefined ? "" : `${short}, `}--${name}" flag: ` +
    `strconv.ParseBool: parsing "${value}": invalid syntax`
}

/**
 * Reads the global flags at the front of `argv`. Fails with docker's wording for an unknown flag or a missing
 * value.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (argv: ReadonlyArray<string>): Result.Result<GlobalFlags, string> => {
  const values: Record<string, string | boolean> = {}
  let i = 0
  for (; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--") {
      i++
      break
    }
    if (!arg.startsWith("-") || arg === "-") break
    if (!arg.startsWith("--")) {
      // Shorthands as pflag reads them: `-D`, `-Dl debug`, `-H=unix:///x`, `-Hunix:///x`.
      for (let j = 1; j < arg.length; j++) {
        const key = `-${arg[j]}`
        const flag = flags[key]
        if (flag === undefined) return Result.fail(`unknown shorthand flag: '${arg[j]}' in -${arg.slice(j)}`)
        const rest = arg.slice(j + 1)
        if (flag.kind === "bool") {
          if (!rest.startsWith("=")) {
            values[flag.name] = true
            continue
          }
          const parsed = boolValue(rest.slice(1))
          if (parsed === undefined) return Result.fail(badBool(rest.slice(1), flag.name))
          values[flag.name] = parsed
          break
        }
        if (rest !== "") values[flag.name] = rest.startsWith("=") ? rest.slice(1) : rest
        else if (i + 1 < argv.length) values[flag.name] = argv[++i]!
        else return Result.fail(`flag needs an argument: '${arg[j]}' in ${key}`)
        break
      }
      continue
    }
    const eq = arg.indexOf("=")
    const key = eq === -1 ? arg : arg.slice(0, eq)
    const flag = flags[key]
    if (flag === undefined) return Result.fail(`unknown flag: ${key}`)
    if (flag.kind === "bool") {
      if (eq === -1) values[flag.name] = true
      else {
        const parsed = boolValue(arg.slice(eq + 1))
        if (parsed === undefined) return Result.fail(badBool(arg.slice(eq + 1), flag.name))
        values[flag.name] = parsed
      }
      continue
    }
    if (eq !== -1) values[flag.name] = arg.slice(eq + 1)
    else if (i + 1 < argv.length) values[flag.name] = argv[++i]!
    else return Result.fail(`flag needs an argument: --${flag.name}`)
  }
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined)
  const bool = (name: string) => (typeof values[name] === "boolean" ? (values[name] as boolean) : undefined)
  return Result.succeed({
    settings: {
      host: text("host"),
      context: text("context"),
      configDir: text("config"),
      tls: bool("tls"),
      tlsVerify: bool("tlsverify"),
      tlsCaCert: text("tlscacert"),
      tlsCert: text("tlscert"),
      tlsKey: text("tlskey")
    },
    debug: bool("debug") === true,
    logLevel: text("log-level"),
    help: bool("help") === true,
    version: bool("version") === true,
    rest: argv.slice(i)
  })
}
