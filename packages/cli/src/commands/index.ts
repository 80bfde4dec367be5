/**
 * The command tree of `dockhand`: `image …` with docker's subcommands, the top-level shortcuts docker has
 * (`images`, `rmi`, `pull`, `push`, …), `system df`, `login`, `logout`, `version`, `context` and `doctor`; one
 * module per command, as docker/cli's `cli/command/image/<verb>.go`, each declaring how it is used.
 *
 * @since 0.1.0
 */
import * as Command from "effect/cli/Command"
import type * as Failure from "../internal/Failure.ts"
import { version } from "../version.ts"
import * as Context from "./context.ts"
import * as Doctor from "./doctor.ts"
import * as Build from "./image/build.ts"
import * as History from "./image/history.ts"
import * as Import from "./image/import.ts"
import * as Inspect from "./image/inspect.ts"
import * as List from "./image/list.ts"
import * as Load from "./image/load.ts"
import * as Prune from "./image/prune.ts"
import * as Pull from "./image/pull.ts"
import * as Push from "./image/push.ts"
import * as Rm from "./image/rm.ts"
import * as Save from "./image/save.ts"
import * as Search from "./image/search.ts"
import * as Tag from "./image/tag.ts"
import * as Login from "./login.ts"
import * as Logout from "./logout.ts"
import * as Df from "./system/df.ts"
import * as Version from "./system/version.ts"

/** `dockhand image …`. */
const image = Command.make("image").pipe(
  Command.withDescription("Manage images"),
  Command.withSubcommands([
    List.ls(),
    History.history(),
    Inspect.inspect(),
    Rm.rm(),
    Tag.tag(),
    Pull.pull(),
    Push.push(),
    Save.save(),
    Load.load(),
    Import.importImage(),
    Build.build(),
    Search.search("search", "image search"),
    Prune.prune
  ])
)

/** `dockhand system …`. */
const system = Command.make("system").pipe(
  Command.withDescription("Manage Docker"),
  Command.withSubcommands([Df.df])
)

/**
 * The root command. Global flags are read before it runs (see `GlobalFlags`).
 *
 * @category commands
 * @since 0.1.0
 */
export const root = Command.make("dockhand").pipe(
  Command.withDescription("A docker image CLI on @dockhand/client"),
  Command.withSubcommands([
    image,
    List.ls("images", "images"),
    History.history("history", "history"),
    Search.search("search", "search"),
    Rm.rm("rmi", "rmi"),
    Tag.tag("tag", "tag"),
    Pull.pull("pull", "pull"),
    Push.push("push", "push"),
    Save.save("save", "save"),
    Load.load("load", "load"),
    Import.importImage("import", "import"),
    Build.build("build", "build"),
    Login.login,
    Logout.logout,
    Doctor.doctor,
    Context.context,
    system,
    Version.version(version)
  ])
)

/**
 * How each command is used, by its path after the program name (aliases resolved), as the commands declare it:
 * for docker's usage hints after a flag error or an unknown subcommand. Command groups (`image`) have none.
 */
const usages: Readonly<Record<string, string>> = {
  "": "[OPTIONS] COMMAND [ARG...]",
  "image ls": List.usage,
  "images": List.usage,
  "image history": History.usage,
  "history": History.usage,
  "image inspect": Inspect.usage,
  "image rm": Rm.usage,
  "rmi": Rm.usage,
  "image tag": Tag.usage,
  "tag": Tag.usage,
  "image pull": Pull.usage,
  "pull": Pull.usage,
  "image push": Push.usage,
  "push": Push.usage,
  "image save": Save.usage,
  "save": Save.usage,
  "image load": Load.usage,
  "load": Load.usage,
  "image import": Import.usage,
  "import": Import.usage,
  "image build": Build.usage,
  "build": Build.usage,
  "image search": Search.usage,
  "search": Search.usage,
  "image prune": Prune.usage,
  "login": Login.usage,
  "logout": Logout.usage,
  "context ls": Context.lsUsage,
  "context show": Context.showUsage,
  "doctor": Doctor.usage,
  "system df": Df.usage,
  "version": Version.usage
}

/**
 * How the command at `path` is used (`""` for the program itself; no usage for command groups such as `image`).
 *
 * @category commands
 * @since 0.1.0
 */
export const usageOf = (path: string): Failure.Usage => ({ path, usage: usages[path] ?? "" })
