/**
 * `dockhand --help`: docker 28's global help, restricted to the commands and global flags dockhand has, laid out as
 * docker lays it out (cobra's command groups, pflag's flag table wrapped to the terminal's width).
 *
 * @internal
 */

/** A command as the help lists it: its name and one-line description. */
export interface Listed {
  readonly name: string
  readonly description: string
}

/** docker's groups, in docker's order, with the dockhand commands each holds (the rest go under "Commands"). */
const common = ["build", "pull", "push", "images", "login", "logout", "search", "version"]
const management = ["context", "image", "system"]
/** Commands docker has but does not list (`completion`). */
const unlisted = new Set(["completion"])

/** What the help's defaults depend on: the configuration and certificate directories, and the width. */
export interface Options {
  /** `--config`'s default: `DOCKER_CONFIG`, else `~/.docker`. */
  readonly configDir: string
  /** Where the TLS files are looked for by default: `DOCKER_CERT_PATH`, else the configuration directory. */
  readonly certDir: string
  /** The terminal's width (docker reads it from standard input's terminal), else 80. */
  readonly columns?: number | undefined
}

interface GlobalFlag {
  readonly short?: string
  readonly name: string
  readonly type?: string
  readonly usage: string
  readonly defaultValue?: string
}

/** docker 28's global flags, sorted by name as pflag sorts them; all of them work in dockhand. */
const globalFlags = (options: Options): ReadonlyArray<GlobalFlag> => [
  { name: "config", type: "string", usage: "Location of client config files", defaultValue: options.configDir },
  {
    short: "c",
    name: "context",
    type: "string",
    usage: "Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context " +
      "set with \"docker context use\")"
  },
  { short: "D", name: "debug", usage: "Enable debug mode" },
  { short: "H", name: "host", type: "list", usage: "Daemon socket to connect to" },
  {
    short: "l",
    name: "log-level",
    type: "string",
    usage: "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")",
    defaultValue: "info"
  },
  { name: "tls", usage: "Use TLS; implied by --tlsverify" },
  {
    name: "tlscacert",
    type: "string",
    usage: "Trust certs signed only by this CA",
    defaultValue: `${options.certDir}/ca.pem`
  },
  {
    name: "tlscert",
    type: "string",
    usage: "Path to TLS certificate file",
    defaultValue: `${options.certDir}/cert.pem`
  },
  { name: "tlskey", type: "string", usage: "Path to TLS key file", defaultValue: `${options.certDir}/key.pem` },
  { name: "tlsverify", usage: "Use TLS and verify the remote" },
  { short: "v", name: "version", usage: "Print version information and quit" }
]

/** pflag's `wrapN`: the first line of `s` cut at the last space before `i` (or all of it within `i + slop`). */
const wrapN = (i: number, slop: number, s: string): readonly [string, string] => {
  if (i + slop > s.length) return [s, ""]
  const w = s.slice(0, i).lastIndexOf(" ")
  if (w <= 0) return [s, ""]
  return [s.slice(0, w), s.slice(w + 1)]
}

/** pflag's `wrap`: `s` wrapped to `width` columns, its lines after the first indented by `indent`. */
const wrap = (indent: number, width: number, s: string): string => {
  let room = width - indent
  let out = ""
  if (room < 24) {
    indent = 16
    room = width - indent
    out += `\n${" ".repeat(indent)}`
  }
  if (room < 24) return out + s
  const slop = 5
  room -= slop
  let [line, rest] = wrapN(room, slop, s)
  out += line
  while (rest !== "") {
    ;[line, rest] = wrapN(room, slop, rest)
    out += `\n${" ".repeat(indent)}${line}`
  }
  return out
}

/** pflag's `FlagUsagesWrapped`: one flag a line, the usage aligned and wrapped to `columns`. */
const flagTable = (flags: ReadonlyArray<GlobalFlag>, columns: number): string => {
  const lines = flags.map((flag) => {
    const head = (flag.short === undefined ? `      --${flag.name}` : `  -${flag.short}, --${flag.name}`) +
      (flag.type === undefined ? "" : ` ${flag.type}`)
    const usage = flag.usage +
      (flag.defaultValue === undefined ? "" : ` (default ${JSON.stringify(flag.defaultValue)})`)
    return { head, usage }
  })
  const maxlen = Math.max(...lines.map(({ head }) => head.length + 1))
  return lines.map(({ head, usage }) =>
    `${head} ${" ".repeat(maxlen - head.length)} ${wrap(maxlen + 2, columns, usage)}\n`
  ).join("")
}

/** A group of commands as cobra lists them: the name padded to 12 columns, then the description. */
const group = (title: string, commands: ReadonlyArray<Listed>): string =>
  commands.length === 0
    ? ""
    : `${title}:\n${commands.map(({ description, name }) => `  ${name.padEnd(12)}${description}\n`).join("")}\n`

/**
 * The global help of `dockhand` (`dockhand --help`, or a bare `dockhand` on standard error): docker's layout, with
 * the commands `commands` lists (named and described as the command tree declares them) and docker's global flags.
 */
export const text = (description: string, commands: ReadonlyArray<Listed>, options: Options): string => {
  const byName = new Map(commands.map((command) => [command.name, command]))
  const pick = (names: ReadonlyArray<string>) => names.flatMap((name) => byName.get(name) ?? [])
  const others = commands
    .filter(({ name }) => !common.includes(name) && !management.includes(name) && !unlisted.has(name))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
  return `Usage:  dockhand [OPTIONS] COMMAND\n\n${description}\n\n` +
    group("Common Commands", pick(common)) +
    group("Management Commands", pick(management)) +
    group("Commands", others) +
    `Global Options:\n${flagTable(globalFlags(options), (options.columns ?? 80) - 1)}\n` +
    "Run 'dockhand COMMAND --help' for more information on a command.\n"
}
