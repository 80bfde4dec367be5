/**
 * The `docker-credential-*` helper protocol, as docker-credential-helpers' client speaks it: `get` (the server URL
 * on stdin, JSON credentials on stdout), `list` (server URL → username), `store` (JSON credentials on stdin) and
 * `erase` (the server URL on stdin). A failed helper is worded as the docker CLI words it, and what it prints is
 * scrubbed of the secrets it was given.
 *
 * @internal
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import type { Registry } from "@dockhand/models"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as DockerConfig from "../DockerConfig.ts"
import type * as DockerError from "../DockerError.ts"
import * as DockerPlatform from "../DockerPlatform.ts"
import * as LocalError from "./localError.ts"

/** What a helper prints when it has nothing for the server. */
export const notFoundMessage = "credentials not found in native keychain"

/** The username a helper returns when the secret is an identity token. */
export const tokenUsername = "<token>"

const HelperCredentials = Schema.Struct({
  ServerURL: Schema.optionalKey(Schema.NullOr(Schema.String)),
  Username: Schema.optionalKey(Schema.NullOr(Schema.String)),
  Secret: Schema.optionalKey(Schema.NullOr(Schema.RedactedFromValue(Schema.String)))
})
const decodeHelperCredentials = WireJson.decodeResult(HelperCredentials)
const decodeHelperList = WireJson.decodeResult(Schema.Record(Schema.String, Schema.NullOr(Schema.String)))

/** Replaces every occurrence of the secrets in a helper's output, in case it echoes them. */
const scrub = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((acc, secret) => secret.length < 4 ? acc : acc.split(secret).join("<redacted>"), text)

/** `err: …, out: \`…\`` as docker-credential-helpers words a failed helper, plus its stderr. */
const helperFailure = (result: DockerPlatform.HelperResult, secrets: ReadonlyArray<string> = []): string => {
  const out = scrub(result.stdout.trim(), secrets).slice(0, 2048)
  const stderr = scrub(result.stderr.trim(), secrets).slice(0, 2048)
  const err = out === "no credentials server URL" || out === "no credentials username"
    ? out
    : `exit status ${result.exitCode}`
  return `err: ${err}, out: \`${out}\`${stderr === "" ? "" : ` (stderr: ${stderr})`}`
}

/**
 * The helper protocol over a platform: each call runs `docker-credential-<helper> <action>` once. `helper` is the
 * suffix (`pass`, `osxkeychain`, …) as `credsStore` and `credHelpers` name it.
 */
export interface Client {
  /** `get`: `None` when the helper has nothing for `serverURL` (or nothing but an empty username and secret). */
  readonly get: (
    helper: string,
    serverURL: string
  ) => Effect.Effect<Option.Option<Registry.AuthConfig>, DockerError.DockerError>
  /** `list`: the server URLs the helper has credentials for. */
  readonly list: (helper: string) => Effect.Effect<Array<string>, DockerError.DockerError>
  /**
   * `store`: the identity token when there is one (under the `<token>` username), else the username and password.
   * A failure never contains the secret.
   */
  readonly store: (
    helper: string,
    serverURL: string,
    credentials: {
      readonly username: string | undefined
      readonly password: Redacted.Redacted<string> | undefined
      readonly identitytoken: Redacted.Redacted<string> | undefined
    }
  ) => Effect.Effect<void, DockerError.DockerError>
  /**
   * `erase`: `undefined` when the helper erased the credentials or had none, else why it failed (a helper that
   * cannot be run included).
   */
  readonly erase: (helper: string, serverURL: string) => Effect.Effect<string | undefined>
}

/** The helper protocol over `platform`'s `runHelper`. */
export const make = (platform: DockerPlatform.Service): Client => {
  const runHelper = (helper: string, action: string, stdin: string, describe: string, secrets: Array<string> = []) =>
    platform.runHelper(`docker-credential-${helper}`, [action], stdin).pipe(
      Effect.mapError((error) =>
        LocalError.rewrap("Credentials", `${describe} - err: ${error.message}, out: \`\``, error)
      ),
      Effect.map((result) => ({ result, failure: `${describe} - ${helperFailure(result, secrets)}` }))
    )

  const get = Effect.fn("Credentials.helperGet")(function*(helper: string, serverURL: string) {
    const { failure, result } = yield* runHelper(helper, "get", serverURL, "error getting credentials")
    if (result.exitCode !== 0) {
      if (result.stdout.trim() === notFoundMessage) return Option.none<Registry.AuthConfig>()
      return yield* Effect.fail(DockerPlatform.localError("Credentials", failure))
    }
    const decoded = decodeHelperCredentials(result.stdout)
    if (Result.isFailure(decoded)) {
      return yield* Effect.fail(
        DockerPlatform.localError("Credentials", `error getting credentials - err: ${decoded.failure.message}`)
      )
    }
    const username = decoded.success.Username ?? ""
    const secret = decoded.success.Secret ?? undefined
    const auth: Registry.AuthConfig = username === tokenUsername
      ? { ...(secret ? { identitytoken: secret } : {}), serveraddress: serverURL }
      : { ...(username === "" ? {} : { username }), ...(secret ? { password: secret } : {}), serveraddress: serverURL }
    return DockerConfig.hasCredentials(auth) ? Option.some(auth) : Option.none<Registry.AuthConfig>()
  })

  const list = Effect.fn("Credentials.helperList")(function*(helper: string) {
    const { failure, result } = yield* runHelper(helper, "list", "unused", "error listing credentials")
    if (result.exitCode !== 0) return yield* Effect.fail(DockerPlatform.localError("Credentials", failure))
    const decoded = decodeHelperList(result.stdout)
    if (Result.isFailure(decoded)) {
      return yield* Effect.fail(
        DockerPlatform.localError("Credentials", `error listing credentials - err: ${decoded.failure.message}`)
      )
    }
    return Object.keys(decoded.success)
  })

  const store: Client["store"] = Effect.fn("Credentials.helperStore")(
    function*(helper, serverURL, { identitytoken, password, username }) {
      const secret = identitytoken ?? password
      const secretText = secret === undefined ? "" : Redacted.value(secret)
      const payload = JSON.stringify({
        ServerURL: serverURL,
        Username: identitytoken === undefined ? username ?? "" : tokenUsername,
        Secret: secretText
      })
      const { failure, result } = yield* runHelper(helper, "store", `${payload}\n`, "error storing credentials", [
        secretText
      ])
      if (result.exitCode !== 0) return yield* Effect.fail(DockerPlatform.localError("Credentials.store", failure))
    }
  )

  const erase = Effect.fn("Credentials.helperErase")(function*(helper: string, serverURL: string) {
    const { failure, result } = yield* runHelper(helper, "erase", serverURL, "error erasing credentials").pipe(
      Effect.catch((error) =>
        Effect.succeed({ failure: error.message, result: { exitCode: -1, stdout: "", stderr: "" } })
      )
    )
    return result.exitCode !== 0 && result.stdout.trim() !== notFoundMessage ? failure : undefined
  })

  return { get, list, store, erase }
}
