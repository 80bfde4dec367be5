/**
 * `dockhand login`: checks credentials with the registry through the daemon and stores them the docker way (the
 * configured credential helper, else `config.json`).
 *
 * @since 0.1.0
 */
import { Credentials, DockerConfig, DockerSettings, SystemApi } from "@dockhand/client"
import type { Registry } from "@dockhand/models"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Args from "../internal/Args.ts"
import * as Failure from "../internal/Failure.ts"
import * as Stdin from "../internal/Stdin.ts"
import { Terminal } from "../internal/Terminal.ts"

/** How `login` is used, after its path. */
export const usage = "[OPTIONS] [SERVER]"

/** The server a login or logout is for: the argument, or Docker Hub. */
export const serverOf = (args: ReadonlyArray<string>) => args[0] ?? Credentials.indexServer

/** `login [-u USER] [-p PASSWORD | --password-stdin] [SERVER]`. */
export const login = Command.make("login", {
  username: Flag.String("username").pipe(Flag.withAlias("u"), Flag.optional, Flag.withDescription("Username")),
  password: Flag.Redacted("password").pipe(
    Flag.withAlias("p"),
    Flag.optional,
    Flag.withDescription("Password or Personal Access Token (PAT)")
  ),
  passwordStdin: Flag.Boolean("password-stdin").pipe(
    Flag.withDefault(false),
    Flag.withDescription("Take the Password or Personal Access Token (PAT) from stdin")
  ),
  args: Args.all
}, ({ args, username, password, passwordStdin }) =>
  Effect.gen(function*() {
    yield* Args.expect({ path: "login", usage }, args, 0, 1)
    const terminal = yield* Terminal
    const server = serverOf(args)
    if (passwordStdin && Option.isSome(password)) {
      return yield* Effect.fail(
        Failure.message("conflicting options: cannot specify both --password and --password-stdin")
      )
    }
    if (passwordStdin && Option.isNone(username)) {
      return yield* Effect.fail(Failure.message("the --password-stdin option requires --username to be set"))
    }
    if (Option.isSome(password)) {
      yield* terminal.err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n")
    }
    // An empty password means docker would prompt for one, which needs a terminal.
    const secret = (passwordStdin ? Option.some(Redacted.make(yield* Stdin.readText)) : password).pipe(
      Option.filter((value) => Redacted.value(value) !== "")
    )
    if (Option.isNone(username) || username.value === "" || Option.isNone(secret)) {
      return yield* Effect.fail(Failure.message("Error: Cannot perform an interactive login from a non TTY device"))
    }
    const auth = { username: username.value, password: secret.value, serveraddress: server }
    const system = yield* SystemApi.SystemApi
    const answer = yield* system.login(auth)
    const credentials = yield* Credentials.Credentials
    // Like docker, an identity token (when the registry gives one) is stored instead of the password.
    const token = answer.IdentityToken !== undefined && Redacted.value(answer.IdentityToken) !== ""
      ? answer.IdentityToken
      : undefined
    const stored = token === undefined
      ? auth
      : { username: username.value, identitytoken: token, serveraddress: server }
    // Like docker's file store, unchanged credentials are not written again (and not warned about again).
    const previous = yield* credentials.get(server).pipe(Effect.orElseSucceed(() => Option.none<Registry.AuthConfig>()))
    const secretOf = (
      value: Redacted.Redacted<string> | undefined
    ) => (value === undefined ? "" : Redacted.value(value))
    const unchanged = Option.isSome(previous) && (previous.value.username ?? "") === username.value &&
      secretOf(previous.value.password) === (token === undefined ? Redacted.value(secret.value) : "") &&
      secretOf(previous.value.identitytoken) === secretOf(token)
    if (!unchanged) yield* credentials.store(server, stored)
    // docker warns on stderr when the password went into config.json rather than to a credential helper.
    if (!unchanged && token === undefined) {
      const settings = yield* DockerSettings.DockerSettings
      const loaded = yield* DockerConfig.read({ configDir: settings.configDir.value })
      const key = Credentials.registryKey(server)
      const helpers = DockerConfig.credHelpers(loaded.config)
      const helper = Object.hasOwn(helpers, key) ? helpers[key] : DockerConfig.credsStore(loaded.config)
      if (helper === undefined || helper === "") {
        yield* terminal.err(
          `\nWARNING! Your credentials are stored unencrypted in '${loaded.path}'.\n` +
            "Configure a credential helper to remove this warning. See\n" +
            "https://docs.docker.com/go/credential-store/\n\n"
        )
      }
    }
    yield* terminal.out(`${answer.Status === "" ? "Login Succeeded" : answer.Status}\n`)
  })).pipe(Command.withDescription("Authenticate to a registry"))
