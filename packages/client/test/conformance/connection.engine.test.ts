/**
 * Where the client connects, resolved by this runtime's entry of `@dockhand/client` as the docker CLI resolves it:
 * a missing unix socket (docker's own message), and the private dockerd over `tcp://127.0.0.1:2376` with TLS and
 * client certificates, given as `layerWith` flags or as `DOCKER_HOST`, `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`
 * in the environment; a server certificate from an unknown CA, or no client certificate, is a `ConnectionError`.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import type * as DockerError from "../../src/DockerError.ts"
import * as DockerHost from "../../src/DockerHost.ts"
import * as DockerSettings from "../../src/DockerSettings.ts"
import * as Images from "../../src/Images.ts"
import * as SystemApi from "../../src/SystemApi.ts"
import * as C from "./Conformance.ts"

const RUN_ID = C.makeRunId()
const REPO = `dockhand-conformance/${RUN_ID}-tls`

const MISSING = "unix:///nonexistent.sock"
const CANNOT_CONNECT = `Cannot connect to the Docker daemon at ${MISSING}. Is the docker daemon running?`

const connectionErrorOf = (error: DockerError.DockerError) => {
  assert.strictEqual(error.reason._tag, "ConnectionError", `expected a ConnectionError, got ${error.message}`)
  return error.reason as DockerError.ConnectionError
}

/** Builds a layer of the runtime entry inside `process.env` changed by `vars` (the entry snapshots it). */
const buildIn = <A, E>(vars: Readonly<Record<string, string | undefined>>, self: Layer.Layer<A, E>) =>
  Layer.build(self).pipe(C.withProcessEnv({ ...C.CLEAN_DOCKER_ENV, ...vars }))

const certFlags = (engines: C.Engines, ca = nodePath.join(engines.dockerCertPath, "ca.pem")) => ({
  host: engines.dockerTlsHost,
  tlsVerify: true,
  tlsCaCert: ca,
  tlsCert: nodePath.join(engines.dockerCertPath, "cert.pem"),
  tlsKey: nodePath.join(engines.dockerCertPath, "key.pem")
})

describe("a missing socket", () => {
  it.live("fails with docker's message `Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?`", () =>
    Effect.gen(function*() {
      const fromOptions = yield* Effect.flip(
        SystemApi.SystemApi.use((system) => system.ping).pipe(
          Effect.provide(C.Runtime.layerFromOptions({ endpoint: new DockerHost.Unix({ path: "/nonexistent.sock" }) }))
        )
      )
      const reason = connectionErrorOf(fromOptions)
      assert.strictEqual(fromOptions.message, CANNOT_CONNECT)
      assert.strictEqual(reason.host, MISSING)
      assert.strictEqual(reason.operation, "SystemPing")

      const fromEnv = yield* buildIn({ DOCKER_HOST: MISSING }, C.Runtime.layer)
      const listed = yield* Effect.flip(Images.Images.use((images) => images.list()).pipe(Effect.provide(fromEnv)))
      connectionErrorOf(listed)
      assert.strictEqual(listed.message, CANNOT_CONNECT)
      assert.strictEqual(String(listed), `DockerError: ${CANNOT_CONNECT}`)

      const fromFlag = yield* Effect.flip(
        Images.Images.use((images) => images.inspect("busybox")).pipe(
          Effect.provide(C.Runtime.layerWith({ host: MISSING }))
        )
      )
      assert.strictEqual(fromFlag.message, CANNOT_CONNECT)
    }))
})

describe("dockerd over tcp://127.0.0.1:2376 with TLS and client certificates", () => {
  it.live("works with the certificates given as layerWith flags: ping, version, and a streamed import, save and remove", () =>
    Effect.gen(function*() {
      const engines = yield* C.engines
      const program = Effect.gen(function*() {
        const system = yield* SystemApi.SystemApi
        const images = yield* Images.Images
        const settings = yield* DockerSettings.DockerSettings
        assert.strictEqual(settings.host.value, engines.dockerTlsHost)
        assert.deepStrictEqual([settings.host.source, settings.tls?.source], ["flag", "flag"])
        assert.isTrue(settings.tls?.value.verify)
        assert.strictEqual(system.host, engines.dockerTlsHost)
        assert.strictEqual((yield* system.ping).apiVersion, "1.41")
        assert.match((yield* system.version).Version, /^20\.10\./)

        const ref = `${REPO}:flags`
        const imported = yield* images.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(RUN_ID)) }, {
          reference: ref,
          changes: [`LABEL ${C.runLabel(RUN_ID)}`]
        }).outcome
        yield* Effect.addFinalizer(() => Effect.ignore(images.remove(imported.imageId!, { force: true })))
        assert.strictEqual((yield* images.inspect(ref)).Id, imported.imageId)
        const { manifest } = yield* C.readSavedTar(yield* C.collectBytes(images.save([ref])))
        assert.deepStrictEqual(manifest[0]?.RepoTags, [ref])
        const removed = yield* images.remove(ref)
        assert.include(removed.flatMap((item) => item.Deleted ?? []), imported.imageId)
      })
      yield* program.pipe(Effect.provide(C.Runtime.layerWith(certFlags(engines))))
    }))

  it.live("works with DOCKER_HOST, DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH in the environment (the runtime's `layer`)", () =>
    Effect.gen(function*() {
      const engines = yield* C.engines
      const context = yield* buildIn({
        DOCKER_HOST: engines.dockerTlsHost,
        DOCKER_TLS_VERIFY: "1",
        DOCKER_CERT_PATH: engines.dockerCertPath
      }, C.Runtime.layer)
      yield* Effect.gen(function*() {
        const settings = yield* DockerSettings.DockerSettings
        assert.deepStrictEqual(settings.host, { value: engines.dockerTlsHost, source: "env", detail: "DOCKER_HOST" })
        assert.strictEqual(settings.tls?.detail, "DOCKER_TLS_VERIFY")
        assert.deepStrictEqual(settings.tls?.value, {
          verify: true,
          ca: nodePath.join(engines.dockerCertPath, "ca.pem"),
          cert: nodePath.join(engines.dockerCertPath, "cert.pem"),
          key: nodePath.join(engines.dockerCertPath, "key.pem")
        })
        assert.notInclude(JSON.stringify(settings.endpoint), "PRIVATE KEY", "the key stays redacted")
        const system = yield* SystemApi.SystemApi
        assert.strictEqual((yield* system.ping).apiVersion, "1.41")
        const images = yield* Images.Images
        assert.deepStrictEqual(yield* images.list({ filters: { label: [C.runLabel(RUN_ID)] } }), [])
      }).pipe(Effect.provide(context))
    }))

  it.live("refuses a server certificate signed by an unknown CA with a ConnectionError", () =>
    Effect.gen(function*() {
      const engines = yield* C.engines
      const error = yield* Effect.flip(
        SystemApi.SystemApi.use((system) => system.version).pipe(
          Effect.provide(C.Runtime.layerWith(certFlags(engines, engines.wrongCa)))
        )
      )
      const reason = connectionErrorOf(error)
      assert.strictEqual(reason.host, engines.dockerTlsHost)
      assert.match(error.message, /^error during connect: /)
      console.log(`[${C.runtimeName}] wrong CA: ${error.message}`)

      const fromEnv = yield* buildIn({
        DOCKER_HOST: engines.dockerTlsHost,
        DOCKER_TLS_VERIFY: "1",
        DOCKER_CERT_PATH: nodePath.dirname(engines.wrongCa)
      }, C.Runtime.layer)
      const listed = yield* Effect.flip(Images.Images.use((images) => images.list()).pipe(Effect.provide(fromEnv)))
      connectionErrorOf(listed)
    }))

  it.live("is refused by dockerd without a client certificate (ConnectionError)", () =>
    Effect.gen(function*() {
      const engines = yield* C.engines
      const error = yield* Effect.flip(
        Images.Images.use((images) => Stream.runDrain(images.save(["busybox"]))).pipe(
          Effect.provide(C.Runtime.layerWith({
            host: engines.dockerTlsHost,
            tlsVerify: true,
            tlsCaCert: nodePath.join(engines.dockerCertPath, "ca.pem"),
            tlsCert: "",
            tlsKey: ""
          }))
        )
      )
      connectionErrorOf(error)
      console.log(`[${C.runtimeName}] no client certificate: ${error.message}`)
    }))
})

describe("dockerd over ssh://", () => {
  /**
   * A stand-in for `ssh` on PATH: it drops ssh's options and the host, logs the remote command and runs it here.
   * The remote command is `docker --host unix://<socket> system dial-stdio` (docker CLI 28 is on this machine),
   * so the whole ssh path of the transport runs for real without any network.
   */
  const fakeSsh = (dir: string, log: string) => {
    const script = nodePath.join(dir, "ssh")
    fs.writeFileSync(
      script,
      [
        "#!/bin/sh",
        `echo "$@" >> ${JSON.stringify(log)}`,
        "while [ \"$#\" -gt 0 ]; do case \"$1\" in --) shift; break;; -l|-p|-o) shift 2;; *) shift;; esac; done",
        "shift",
        "exec \"$@\"",
        ""
      ].join("\n"),
      { mode: 0o755 }
    )
  }

  it.live("runs `ssh [-l user] [-p port] host docker --host unix://… system dial-stdio` and speaks HTTP over its stdio", () =>
    Effect.gen(function*() {
      const engines = yield* C.engines
      const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), "dockhand-ssh-"))
      const log = nodePath.join(dir, "calls.log")
      fakeSsh(dir, log)
      const host = `ssh://tester@localhost:2222${engines.dockerSock}`
      const program = Effect.gen(function*() {
        const system = yield* SystemApi.SystemApi
        const images = yield* Images.Images
        assert.strictEqual((yield* system.ping).apiVersion, C.engineApiVersion())
        assert.isArray(yield* images.list())
        const missing = yield* Effect.flip(images.inspect(`dockhand-conformance/${RUN_ID}-none:1`))
        assert.strictEqual(missing.reason._tag, "NotFound")
      })
      const calls = yield* program.pipe(
        Effect.provide(C.Runtime.layerWith({ host })),
        C.withProcessEnv({ ...C.CLEAN_DOCKER_ENV, PATH: `${dir}:${process.env.PATH ?? ""}`, DOCKER_CONFIG: dir }),
        Effect.map(() => fs.readFileSync(log, "utf8")),
        Effect.ensuring(Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
      )
      assert.include(calls, "-l tester -p 2222")
      assert.include(calls, `localhost docker --host unix://${engines.dockerSock} system dial-stdio`)
    }))
})
