/**
 * Pull and push through the TLS registry (`127.0.0.1:5443`, htpasswd basic auth) with the credentials the docker
 * CLI would use: an `auths` entry of `config.json` in a temporary `DOCKER_CONFIG`, and a credential helper
 * (`docker-credential-dockhandtest`, a shell script in a temporary directory put on `PATH`) named by `credHelpers`.
 * Without credentials the registry refuses, as a typed error; `SystemApi.login` checks a password through the daemon;
 * and no error ever shows a password.
 */
import { assert, describe, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import * as util from "node:util"
import * as Credentials from "../../src/Credentials.ts"
import type * as DockerError from "../../src/DockerError.ts"
import * as Images from "../../src/Images.ts"
import * as SystemApi from "../../src/SystemApi.ts"
import * as C from "./Conformance.ts"

const RUN_ID = C.makeRunId()
const LABEL = C.runLabel(RUN_ID)
const REPO = `dockhand-conformance/${RUN_ID}-registry`
const SOURCE = `${REPO}:source`
/** Docker Engine 28.5 with the containerd image store, not 20.10 (`DOCKHAND_ENGINE`). */
const DOCKER28 = C.engineKind() === "docker28"
const WRONG_PASSWORD = `wrong-${RUN_ID}-password`
const HELPER = "dockhandtest"

const reasonOf = <T extends DockerError.Reason["_tag"]>(error: DockerError.DockerError, tag: T) => {
  assert.strictEqual(error.reason._tag, tag, `expected a ${tag}, got ${error.reason._tag}: ${error.message}`)
  return error.reason as Extract<DockerError.Reason, { readonly _tag: T }>
}

/** Every way an error gets printed: none may contain a password. */
const assertNoSecret = (error: DockerError.DockerError, secrets: ReadonlyArray<string>) => {
  const renderings = [
    error.message,
    String(error),
    JSON.stringify(error),
    util.inspect(error, { depth: 10 }),
    Cause.pretty(Cause.fail(error)),
    JSON.stringify(error.reason)
  ]
  for (const text of renderings) {
    for (const secret of secrets) assert.notInclude(text, secret, "an error shows a password")
  }
}

/** A `config.json` in a new temporary directory. */
const configDir = (config: unknown) =>
  Effect.tap(
    C.tempDir("config"),
    (dir) =>
      Effect.sync(() => fs.writeFileSync(nodePath.join(dir, "config.json"), JSON.stringify(config), { mode: 0o600 }))
  )

/** `auths` as `docker login` writes it without a helper: base64 of `user:password`. */
const authsEntry = (user: string, password: string) => ({ auth: Buffer.from(`${user}:${password}`).toString("base64") })

/**
 * A credential helper for the TLS registry, written into a temporary bin directory: `get` answers the registry's
 * user and the password read from the engines' password file, `list` names the registry; every call is logged
 * (action and stdin, never the secret) next to it.
 */
const credentialHelper = (engines: C.Engines) =>
  Effect.map(C.tempDir("bin"), (bin) => {
    const log = nodePath.join(bin, "calls.log")
    const script = [
      "#!/bin/sh",
      "# docker-credential-dockhandtest: the conformance suite's credential helper",
      `action="$1"`,
      `input="$(cat)"`,
      `printf '%s %s\\n' "$action" "$input" >> '${log}'`,
      `case "$action" in`,
      "  get)",
      `    if [ "$input" = '${engines.registryTls}' ]; then`,
      `      printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\\n' "$input" '${engines.registryUser}' "$(cat '${engines.registryPasswordFile}')"`,
      "    else",
      "      echo 'credentials not found in native keychain'; exit 1",
      "    fi ;;",
      `  list) printf '{"%s":"%s"}\\n' '${engines.registryTls}' '${engines.registryUser}' ;;`,
      "  *) echo \"unsupported action $action\"; exit 1 ;;",
      "esac",
      ""
    ].join("\n")
    fs.writeFileSync(nodePath.join(bin, `docker-credential-${HELPER}`), script, { mode: 0o755 })
    return { bin, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []) }
  })

/** The runtime entry's `layer`, built while `process.env` holds `vars` (it snapshots the environment then). */
const entryLayerIn = (vars: Readonly<Record<string, string | undefined>>) =>
  Effect.gen(function*() {
    const { dockerSock } = yield* C.engines
    return yield* Layer.build(C.Runtime.layer).pipe(
      C.withProcessEnv({ ...C.CLEAN_DOCKER_ENV, DOCKER_HOST: `unix://${dockerSock}`, ...vars })
    )
  })

describe("the TLS registry with basic auth", () => {
  layer(Layer.provideMerge(C.sweeperLayer(RUN_ID, "registry"), C.dockerLayer), { excludeTestServices: true })((it) => {
    const target = (tag: string) => Effect.map(C.engines, (e) => `${e.registryTls}/${REPO}:${tag}`)

    it.effect("a source image to push is imported (labelled with the run)", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const outcome = yield* images.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(RUN_ID)) }, {
          reference: SOURCE,
          changes: [`LABEL ${LABEL}`]
        }).outcome
        yield* sweeper.image(outcome.imageId!)
      }))

    it.effect("SystemApi.login accepts the right password and refuses a wrong one; no error shows either password", () =>
      Effect.gen(function*() {
        const system = yield* SystemApi.SystemApi
        const engines = yield* C.engines
        const ok = yield* system.login({
          username: engines.registryUser,
          password: engines.registryPassword,
          serveraddress: engines.registryTls
        })
        assert.strictEqual(ok.Status, "Login Succeeded")

        const error = yield* Effect.flip(system.login({
          username: engines.registryUser,
          password: Redacted.make(WRONG_PASSWORD),
          serveraddress: engines.registryTls
        }))
        const reason = reasonOf(error, "ServerError")
        assert.strictEqual(reason.status, 500, "Docker answers 500, the registry's status is in the message")
        assert.strictEqual(reason.operation, "SystemAuth")
        if (DOCKER28) {
          // 28.5 counts a loopback registry as insecure: after the 401 over TLS it tries plain HTTP and reports that.
          assert.strictEqual(
            error.message,
            `Error response from daemon: login attempt to http://${engines.registryTls}/v2/ failed with status: ` +
              "400 Bad Request"
          )
        } else assert.include(error.message, "401 Unauthorized")
        assertNoSecret(error, [WRONG_PASSWORD, Redacted.value(engines.registryPassword)])
      }))

    it.effect("an anonymous push to it fails with a typed StreamError (no basic auth credentials)", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const ref = yield* target("anonymous")
        yield* sweeper.image(ref)
        yield* images.tag(SOURCE, ref)
        const error = yield* Effect.flip(images.push(ref).outcome)
        const reason = reasonOf(error, "StreamError")
        // 28.5 (containerd's pusher) words the same refusal at more length.
        const refused = DOCKER28
          ? "push access denied, repository does not exist or may require authorization: authorization failed: " +
            "no basic auth credentials"
          : "no basic auth credentials"
        assert.strictEqual(reason.message, refused)
        assert.strictEqual(reason.operation, "ImagePush")
        assert.strictEqual(reason.reference, ref)
        const fromMessages = yield* Effect.flip(Stream.runDrain(images.push(ref).messages))
        assert.strictEqual(reasonOf(fromMessages, "StreamError").message, refused)
      }))

    it.effect("credentials passed per call (AuthConfig) push and pull without any configuration", () =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        const sweeper = yield* C.Sweeper
        const engines = yield* C.engines
        const ref = yield* target("explicit")
        yield* sweeper.image(ref)
        yield* images.tag(SOURCE, ref)
        const auth = { username: engines.registryUser, password: engines.registryPassword }
        const pushed = yield* images.push(ref, { auth }).outcome
        assert.strictEqual(pushed.pushed?.Tag, "explicit")
        yield* images.remove(ref)
        // Docker 20.10 treats loopback registries as insecure: after the 401 it retries over plain HTTP, which the
        // TLS port resets, and answers 500 with that.
        const anonymous = yield* Effect.flip(images.pull(ref).outcome)
        assert.strictEqual(reasonOf(anonymous, "ServerError").status, 500)
        assert.include(anonymous.message, engines.registryTls)
        const pulled = yield* images.pull(ref, { auth }).outcome
        assert.strictEqual(pulled.digest, pushed.digest)
        const inspected = yield* images.distributionInspect(ref, { auth })
        assert.strictEqual(inspected.Descriptor.digest, pushed.digest)
      }))

    it.effect("credentials from a config.json `auths` entry in DOCKER_CONFIG: push, pull back and distributionInspect", () =>
      Effect.gen(function*() {
        const engines = yield* C.engines
        const sweeper = yield* C.Sweeper
        const dir = yield* configDir({
          auths: { [engines.registryTls]: authsEntry(engines.registryUser, Redacted.value(engines.registryPassword)) }
        })
        const context = yield* entryLayerIn({ DOCKER_CONFIG: dir })
        const ref = yield* target("from-auths")
        yield* sweeper.image(ref)
        yield* Effect.gen(function*() {
          const credentials = yield* Credentials.Credentials
          const found = yield* credentials.get(engines.registryTls)
          assert.isTrue(Option.isSome(found))
          const auth = Option.getOrThrow(found)
          assert.strictEqual(auth.username, engines.registryUser)
          assert.strictEqual(String(auth.password), "<redacted>")

          const images = yield* Images.Images
          yield* images.tag(SOURCE, ref)
          const messages = yield* Stream.runCollect(images.push(ref).messages)
          const line = messages.find((m) => m.status?.startsWith("from-auths: digest: sha256:") ?? false)
          assert.isDefined(line)
          // 28.5 sends no PushResult aux: the digest is in the status line only.
          const digest = DOCKER28
            ? /sha256:[0-9a-f]{64}/.exec(line!.status!)![0]
            : (messages.find((m) => m.aux !== undefined)!.aux as { Digest: string }).Digest
          yield* images.remove(ref)
          const pulled = yield* images.pull(ref).outcome
          assert.strictEqual(pulled.digest, digest)
          assert.strictEqual(pulled.pullStatus?.upToDate, false)
          assert.strictEqual((yield* images.distributionInspect(ref)).Descriptor.digest, digest)
        }).pipe(Effect.provide(context))
      }))

    it.effect("credentials from a `credHelpers` helper found on PATH: docker-credential-dockhandtest is asked with `get`", () =>
      Effect.gen(function*() {
        const engines = yield* C.engines
        const sweeper = yield* C.Sweeper
        const helper = yield* credentialHelper(engines)
        const dir = yield* configDir({ credHelpers: { [engines.registryTls]: HELPER } })
        const context = yield* Layer.build(
          C.Runtime.layerWith({ host: `unix://${engines.dockerSock}`, configDir: dir })
        ).pipe(C.withProcessEnv({ ...C.CLEAN_DOCKER_ENV, PATH: `${helper.bin}:${process.env["PATH"] ?? ""}` }))
        const ref = yield* target("from-helper")
        yield* sweeper.image(ref)
        yield* Effect.gen(function*() {
          const images = yield* Images.Images
          yield* images.tag(SOURCE, ref)
          const pushed = yield* images.push(ref).outcome
          assert.strictEqual(pushed.pushed?.Tag, "from-helper")
          yield* images.remove(ref)
          const messages = yield* Stream.runCollect(images.pull(ref).messages)
          assert.strictEqual(messages.at(-1)?.status, `Status: Downloaded newer image for ${ref}`)
          const repoDigests = (yield* images.inspect(ref)).RepoDigests
          if (DOCKER28) {
            // The containerd store names the digest under every repository the image has (SOURCE's too).
            assert.sameMembers([...repoDigests], [
              `${REPO}@${pushed.digest}`,
              `${engines.registryTls}/${REPO}@${pushed.digest}`
            ])
          } else assert.strictEqual(repoDigests.length, 1)
        }).pipe(Effect.provide(context))
        const calls = helper.calls()
        assert.isAtLeast(calls.length, 2, "the helper was asked for the push and the pull")
        for (const call of calls) assert.strictEqual(call, `get ${engines.registryTls}`)
        assert.notInclude(calls.join("\n"), Redacted.value(engines.registryPassword), "the log holds no secret")
      }))

    it.effect("a wrong password in config.json fails the push with a typed error that shows no password", () =>
      Effect.gen(function*() {
        const engines = yield* C.engines
        const sweeper = yield* C.Sweeper
        const dir = yield* configDir({
          auths: { [engines.registryTls]: authsEntry(engines.registryUser, WRONG_PASSWORD) }
        })
        const context = yield* entryLayerIn({ DOCKER_CONFIG: dir })
        const ref = yield* target("wrong")
        yield* sweeper.image(ref)
        const exit = yield* Effect.gen(function*() {
          const images = yield* Images.Images
          yield* images.tag(SOURCE, ref)
          return yield* images.push(ref).outcome
        }).pipe(Effect.provide(context), Effect.exit)
        assert.isTrue(Exit.isFailure(exit), "the registry refused the wrong password")
        const error = yield* Effect.flip(exit)
        const reason = reasonOf(error, "StreamError")
        if (DOCKER28) {
          // containerd's pusher reports the registry's 401 to its first blob check.
          assert.match(
            reason.message,
            new RegExp(
              `^unknown: unexpected status from HEAD request to https://${engines.registryTls}/v2/${REPO}/blobs/` +
                "sha256:[0-9a-f]{64}: 401 Unauthorized$"
            )
          )
        } else assert.strictEqual(reason.message, "unauthorized: authentication required")
        assert.strictEqual(reason.reference, ref)
        assertNoSecret(error, [WRONG_PASSWORD, Redacted.value(engines.registryPassword)])
        console.log(`[${C.runtimeName}] wrong password in config.json: ${error.reason._tag}: ${error.message}`)
      }))

    it.effect("leaves none of the run's images behind", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* (yield* C.Sweeper).sweep, [])
      }))
  })
})
