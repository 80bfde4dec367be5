/**
 * `dockhand completion bash|zsh|fish`: shell completion scripts for dockhand's commands, their flags and, for the
 * commands that take images, the local image names (asked of `dockhand image ls --format` when completing). The
 * commands and flags are read from the command tree itself (each command's help), so the scripts follow it.
 *
 * @internal
 */
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import type * as HelpDoc from "effect/cli/HelpDoc"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** A command of the tree as completion needs it. */
export interface Node {
  /** Its name, then its alias if it has one. */
  readonly names: ReadonlyArray<string>
  readonly description: string
  readonly flags: ReadonlyArray<HelpDoc.FlagDoc>
  readonly children: ReadonlyArray<Node>
}

/** The command paths (by canonical names) whose arguments are images. */
const imageCommands = new Set([
  "images",
  "image ls",
  "history",
  "image history",
  "image inspect",
  "rmi",
  "image rm",
  "tag",
  "image tag",
  "push",
  "image push",
  "save",
  "image save"
])

/** The shells there is a script for. */
export const shells = ["bash", "fish", "zsh"] as const

/** docker's global flags that dockhand reads before the command (see `GlobalFlags`), as completion offers them. */
const globalFlags: ReadonlyArray<HelpDoc.FlagDoc> = [
  ["config", undefined, "string", "Location of client config files"],
  ["context", "-c", "string", "Name of the context to use to connect to the daemon"],
  ["debug", "-D", "boolean", "Enable debug mode"],
  ["host", "-H", "list", "Daemon socket to connect to"],
  ["log-level", "-l", "string", "Set the logging level"],
  ["tls", undefined, "boolean", "Use TLS; implied by --tlsverify"],
  ["tlscacert", undefined, "string", "Trust certs signed only by this CA"],
  ["tlscert", undefined, "string", "Path to TLS certificate file"],
  ["tlskey", undefined, "string", "Path to TLS key file"],
  ["tlsverify", undefined, "boolean", "Use TLS and verify the remote"],
  ["help", "-h", "boolean", "Print usage"],
  ["version", "-v", "boolean", "Print version information and quit"]
].map(([name, short, type, description]) => ({
  name: name!,
  aliases: short === undefined ? [] : [short],
  type: type!,
  description: Option.some(description!),
  required: false
}))

/**
 * The command tree's root, as completion runs it: only to print help, which runs no handler and so needs none of
 * the handlers' services.
 */
type Root = Command.Command<string, unknown, {}, unknown, never>

/** The command's own flags as its help lists them (effect/cli's built-ins left out), and `--help`. */
const flagsOf = (
  root: Root,
  path: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<HelpDoc.FlagDoc>, never, Command.Environment> =>
  Effect.suspend(() => {
    let flags: ReadonlyArray<HelpDoc.FlagDoc> = []
    const presenter: CliOutput.Presenter = {
      present: (event) =>
        Effect.sync(() => {
          if (event._tag === "Help") flags = event.helpDoc.flags
        })
    }
    return Command.runWith(root, { version: "" })([...path, "--help"]).pipe(
      Effect.provideService(CliOutput.Presenter, presenter),
      Effect.ignore,
      Effect.map(() => [
        ...flags,
        { name: "help", aliases: ["-h"], type: "boolean", description: Option.some("Print usage"), required: false }
      ])
    )
  })

/** The tree under `command` (at `path`), each command with its flags. */
const nodeOf = (
  root: Root,
  command: Command.Command.Any,
  path: ReadonlyArray<string>
): Effect.Effect<Node, never, Command.Environment> =>
  Effect.gen(function*() {
    const children: Array<Node> = []
    for (const group of command.subcommands) {
      for (const child of group.commands) {
        if (child.unlisted) continue
        children.push(yield* nodeOf(root, child, [...path, child.name]))
      }
    }
    return {
      names: command.alias === undefined ? [command.name] : [command.name, command.alias],
      description: command.shortDescription ?? command.description ?? "",
      flags: path.length === 0 ? globalFlags : children.length > 0 ? [] : yield* flagsOf(root, path),
      children
    }
  })

/** The completion tree of `root`: its commands and their flags, the global flags at the top. */
export const tree = (root: Command.Command.Any): Effect.Effect<Node, never, Command.Environment> =>
  nodeOf(root as unknown as Root, root, [])

/** Every node with the paths it can be typed as (aliases included) and its canonical path. */
const walk = (node: Node, typed: ReadonlyArray<string> = [""], canonical = ""): ReadonlyArray<{
  readonly node: Node
  readonly typed: ReadonlyArray<string>
  readonly canonical: string
}> => [
  { node, typed, canonical },
  ...node.children.flatMap((child) =>
    walk(
      child,
      typed.flatMap((path) => child.names.map((name) => (path === "" ? name : `${path} ${name}`))),
      canonical === "" ? child.names[0]! : `${canonical} ${child.names[0]!}`
    )
  )
]

const flagWords = (flags: ReadonlyArray<HelpDoc.FlagDoc>) =>
  flags.flatMap((flag) => [`--${flag.name}`, ...flag.aliases.filter((alias) => !alias.startsWith("--"))])
const valueFlagWords = (flags: ReadonlyArray<HelpDoc.FlagDoc>) =>
  flagWords(flags.filter((flag) => flag.type !== "boolean"))
const childWords = (node: Node) => node.children.flatMap((child) => child.names)
const casePattern = (typed: ReadonlyArray<string>) => typed.map((path) => `"${path}"`).join("|")

/** The bash functions (also loaded by zsh through `bashcompinit`). */
const bashFunctions = (root: Node): string => {
  const nodes = walk(root)
  const cases = (words: (node: Node) => ReadonlyArray<string>) =>
    nodes
      .filter(({ node }) => words(node).length > 0)
      .map(({ node, typed }) => `        ${casePattern(typed)}) echo "${words(node).join(" ")}" ;;`)
      .join("\n")
  const images = nodes.filter(({ canonical }) => imageCommands.has(canonical)).flatMap(({ typed }) => typed)
  return `__dockhand_children() {
    case "$1" in
${cases(childWords)}
    esac
}

__dockhand_flags() {
    case "$1" in
${cases((node) => flagWords(node.flags))}
    esac
}

__dockhand_value_flags() {
    case "$1" in
${cases((node) => valueFlagWords(node.flags))}
    esac
}

__dockhand_takes_images() {
    case "$1" in
        ${casePattern(images)}) return 0 ;;
    esac
    return 1
}

# The local images as docker names them (repository:tag), from the dockhand being completed.
__dockhand_images() {
    "\${COMP_WORDS[0]}" image ls --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | grep -v '<none>'
}

__dockhand_complete() {
    local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word i skip=0
    COMPREPLY=()
    # The command path: the words before the cursor that name commands; flags and their values are skipped.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="\${COMP_WORDS[i]}"
        if ((skip)); then skip=0; continue; fi
        case "$word" in
            -*=*) continue ;;
            -*)
                case " $(__dockhand_value_flags "$path") " in *" $word "*) skip=1 ;; esac
                continue
                ;;
        esac
        case " $(__dockhand_children "$path") " in
            *" $word "*) path="\${path:+$path }$word" ;;
        esac
    done
    if ((skip)); then return 0; fi
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$(__dockhand_flags "$path")" -- "$cur"))
    elif [[ -n "$(__dockhand_children "$path")" ]]; then
        COMPREPLY=($(compgen -W "$(__dockhand_children "$path")" -- "$cur"))
    elif __dockhand_takes_images "$path"; then
        COMPREPLY=($(compgen -W "$(__dockhand_images)" -- "$cur"))
    fi
    return 0
}
`
}

/** `dockhand completion bash`: source it (`source <(dockhand completion bash)`) or put it in bash-completion's dir. */
export const bash = (root: Node): string =>
  `# bash completion for dockhand                               -*- shell-script -*-
# Load it in the current shell with: source <(dockhand completion bash)
# or for every session: dockhand completion bash > /etc/bash_completion.d/dockhand

${bashFunctions(root)}
complete -o default -F __dockhand_complete dockhand
`

/** `dockhand completion zsh`: the bash functions through zsh's `bashcompinit`. */
export const zsh = (root: Node): string =>
  `#compdef dockhand
# zsh completion for dockhand. Load it with: source <(dockhand completion zsh)
# or put it in a directory of $fpath as _dockhand.

autoload -U +X bashcompinit && bashcompinit

${bashFunctions(root)}
complete -o default -F __dockhand_complete dockhand
`

const fishQuote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`

/** `dockhand completion fish`: `complete` rules keyed to the command path typed so far. */
export const fish = (root: Node): string => {
  const nodes = walk(root)
  const paths = nodes.flatMap(({ typed }) => typed).filter((path) => path !== "")
  const at = (typed: ReadonlyArray<string>) => `__dockhand_at ${typed.map((path) => fishQuote(path)).join(" ")}`
  const rules: Array<string> = []
  for (const { node, typed } of nodes) {
    for (const child of node.children) {
      for (const name of child.names) {
        rules.push(
          `complete -c dockhand -n ${fishQuote(at(typed))} -a ${fishQuote(name)} -d ${fishQuote(child.description)}`
        )
      }
    }
    for (const flag of node.flags) {
      const short = flag.aliases.find((alias) => /^-[^-]$/.test(alias))
      rules.push(
        `complete -c dockhand -n ${fishQuote(at(typed))} -l ${flag.name}` +
          (short === undefined ? "" : ` -s ${short.slice(1)}`) +
          (flag.type === "boolean" ? "" : " -r") +
          ` -d ${fishQuote(Option.getOrElse(flag.description, () => ""))}`
      )
    }
  }
  const images = nodes.filter(({ canonical }) => imageCommands.has(canonical)).flatMap(({ typed }) => typed)
  rules.push(
    `complete -c dockhand -n ${fishQuote(at(images))} -a ${fishQuote("(__dockhand_images)")}`
  )
  return `# fish completion for dockhand. Load it with: dockhand completion fish | source
# or for every session: dockhand completion fish > ~/.config/fish/completions/dockhand.fish

set -g __dockhand_paths ${paths.map(fishQuote).join(" ")}

# The command path typed so far: the words that name commands (flags and other words are skipped).
function __dockhand_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path ""
    for word in $words
        string match -q -- '-*' $word; and continue
        set -l candidate (string trim -- "$path $word")
        if contains -- $candidate $__dockhand_paths
            set path $candidate
        end
    end
    echo $path
end

function __dockhand_at
    contains -- (__dockhand_path) $argv
end

function __dockhand_images
    dockhand image ls --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | string match -v '*<none>*'
end

complete -c dockhand -f
${rules.join("\n")}
`
}

/** The script for `shell`, or `undefined` for a shell there is none for. */
export const script = (shell: string, root: Node): string | undefined =>
  shell === "bash" ? bash(root) : shell === "zsh" ? zsh(root) : shell === "fish" ? fish(root) : undefined

/** `dockhand completion` (or with anything but a shell): docker's help of its `completion` command. */
export const help = `Usage:  dockhand completion COMMAND

Generate the autocompletion script for dockhand for the specified shell.
See each sub-command's help for details on how to use the generated script.

Commands:
  bash        Generate the autocompletion script for bash
  fish        Generate the autocompletion script for fish
  zsh         Generate the autocompletion script for zsh

Run 'dockhand completion COMMAND --help' for more information on a command.
`
