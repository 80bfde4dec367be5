/**
 * The command tree of `dockhand`: `image …` with docker's subcommands, the top-level shortcuts docker has
 * (`images`, `rmi`, `pull`, `push`, …), `system df`, `login`, `logout`, `version`, `context` and `doctor`.
 *
 * @since 0.1.0
 */
import { Command } from "effect/cli"
import { version } from "../version.ts"
import * as Build from "./build.ts"
import * as Context from "./context.ts"
import * as Doctor from "./doctor.ts"
import * as Image from "./image.ts"
import * as List from "./list.ts"
import * as Registry from "./registry.ts"
import * as System from "./system.ts"
import * as Transfer from "./transfer.ts"

/** `dockhand image …`. */
const image = Command.make("image").pipe(
  Command.withDescription("Manage images"),
  Command.withSubcommands([
    List.ls(),
    List.history(),
    Image.inspect(),
    Image.rm(),
    Image.tag(),
    Transfer.pull(),
    Transfer.push(),
    Transfer.save(),
    Transfer.load(),
    Transfer.importImage(),
    Build.build(),
    List.search("search", "image search"),
    System.prune
  ])
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
    List.history("history", "history"),
    List.search("search", "search"),
    Image.rm("rmi", "rmi"),
    Image.tag("tag", "tag"),
    Transfer.pull("pull", "pull"),
    Transfer.push("push", "push"),
    Transfer.save("save", "save"),
    Transfer.load("load", "load"),
    Transfer.importImage("import", "import"),
    Build.build("build", "build"),
    Registry.login,
    Registry.logout,
    Doctor.doctor,
    Context.context,
    System.system,
    System.version(version)
  ])
)
