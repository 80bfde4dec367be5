/**
 * `dockhand logout`: removes the credentials stored for a registry.
 *
 * @since 0.1.0
 */
import { Credentials } from "@dockhand/client"
import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Args from "../internal/Args.ts"
import { Terminal } from "../internal/Terminal.ts"
import { serverOf } from "./login.ts"

/** How `logout` is used, after its path. */
export const usage = "[SERVER]"

/** `logout [SERVER]`. */
export const logout = Command.make("logout", { args: Args.all }, ({ args }) =>
  Effect.gen(function*() {
    yield* Args.expect({ path: "logout", usage }, args, 0, 1)
    const terminal = yield* Terminal
    const server = serverOf(args)
    yield* terminal.out(`Removing login credentials for ${Credentials.registryKey(server)}\n`)
    const credentials = yield* Credentials.Credentials
    yield* credentials.erase(server)
  })).pipe(Command.withDescription("Log out from a registry"))
