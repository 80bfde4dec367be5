/**
 * DockerSettings against the real docker CLI on PATH: contexts made with `docker context create` and
 * `docker context use` in a temporary DOCKER_CONFIG, then, for each combination of flags and variables, what
 * `docker context inspect` (the current context) reports versus what `DockerSettings.resolve` decides. Nothing
 * here talks to a daemon: `context` commands only read and write files. Error texts are compared for docker 28
 * and later (older CLIs word them differently); success and failure are compared for every version.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as DockerSettings from "../src/DockerSettings.ts"
import * as NodeCompatPlatform from "../src/NodeCompatPlatform.ts"

interface Scenario {
  readonly name: string
  readonly env?: Record<string, string>
  readonly flags?: DockerSettings.Flags
  readonly fails?: boolean
}

const flagArgs = (flags: DockerSettings.Flags = {}): Array<string> => [
  ...(flags.configDir !== undefined ? ["--config", flags.configDir] : []),
  ...(flags.host !== undefined ? ["--host", flags.host] : []),
  ...(flags.context !== undefined ? ["--context", flags.context] : []),
  ...(flags.tls !== undefined ? [`--tls=${flags.tls}`] : []),
  ...(flags.tlsVerify !== undefined ? [`--tlsverify=${flags.tlsVerify}`] : []),
  ...(flags.tlsCaCert !== undefined ? ["--tlscacert", flags.tlsCaCert] : []),
  ...(flags.tlsCert !== undefined ? ["--tlscert", flags.tlsCert] : []),
  ...(flags.tlsKey !== undefined ? ["--tlskey", flags.tlsKey] : [])
]

const run = (command: string, args: ReadonlyArray<string>, env: Record<string, string>) => {
  const result = spawnSync(command, args, { env, encoding: "utf8", timeout: 30_000 })
  if (result.error) throw result.error
  return { status: result.status ?? -1, stdout: result.stdout.trim(), stderr: result.stderr.trim() }
}

describe("DockerSettings matches the docker CLI", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-docker-cli-"))
  const home = path.join(root, "home")
  const config = path.join(root, "config")
  const certs = path.join(root, "certs")
  const caOnly = path.join(root, "ca-only")
  const empty = path.join(root, "empty")
  const otherConfig = path.join(root, "other-config")
  const baseEnv = { PATH: process.env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", HOME: home, DOCKER_CONFIG: config }
  const docker = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
    run("docker", args, { ...baseEnv, ...env })
  let major = 0

  beforeAll(() => {
    for (const dir of [home, config, certs, caOnly, empty, otherConfig]) fs.mkdirSync(dir)
    const version = docker(["--version"])
    assert.strictEqual(version.status, 0, `a docker CLI must be on PATH: ${version.stderr}`)
    major = Number(version.stdout.match(/version (\d+)\./)?.[1] ?? 0)

    // Real certificates: `docker context create` checks them.
    const openssl = run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=dockhand-test",
      "-keyout",
      path.join(certs, "key.pem"),
      "-out",
      path.join(certs, "cert.pem")
    ], { PATH: baseEnv.PATH })
    assert.strictEqual(openssl.status, 0, openssl.stderr)
    fs.copyFileSync(path.join(certs, "cert.pem"), path.join(certs, "ca.pem"))
    fs.copyFileSync(path.join(certs, "cert.pem"), path.join(caOnly, "ca.pem"))

    const create = (name: string, endpoint: string, dir = config) => {
      const created = docker(["context", "create", name, "--docker", endpoint], { DOCKER_CONFIG: dir })
      assert.strictEqual(created.status, 0, created.stderr)
    }
    create("ctx-plain", "host=tcp://127.0.0.1:1")
    create("ctx-skip", "host=tcp://127.0.0.1:2,skip-tls-verify=true")
    create("ctx-tls", `host=tcp://127.0.0.1:3,ca=${certs}/ca.pem,cert=${certs}/cert.pem,key=${certs}/key.pem`)
    create("ctx-sock", "host=unix:///tmp/dockhand-no-such.sock")
    create("ctx-ssh", "host=ssh://deploy@127.0.0.1:2222")
    create("ctx-other", "host=tcp://127.0.0.1:4", otherConfig)
    const use = docker(["context", "use", "ctx-plain"])
    assert.strictEqual(use.status, 0, use.stderr)
    const otherUse = docker(["context", "use", "ctx-other"], { DOCKER_CONFIG: otherConfig })
    assert.strictEqual(otherUse.status, 0, otherUse.stderr)
  })

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

  const scenarios: ReadonlyArray<Scenario> = [
    { name: "currentContext of config.json" },
    { name: "DOCKER_CONTEXT", env: { DOCKER_CONTEXT: "ctx-skip" } },
    { name: "DOCKER_CONTEXT with TLS files", env: { DOCKER_CONTEXT: "ctx-tls" } },
    { name: "--context beats DOCKER_CONTEXT", env: { DOCKER_CONTEXT: "ctx-skip" }, flags: { context: "ctx-sock" } },
    { name: "--context ssh", flags: { context: "ctx-ssh" } },
    { name: "DOCKER_HOST beats DOCKER_CONTEXT", env: { DOCKER_HOST: "tcp://127.0.0.1:5", DOCKER_CONTEXT: "ctx-tls" } },
    { name: "--host", env: { DOCKER_HOST: "tcp://127.0.0.1:5" }, flags: { host: "tcp://127.0.0.1:6" } },
    { name: "--context default takes DOCKER_HOST", env: { DOCKER_HOST: "127.0.0.1:7" }, flags: { context: "default" } },
    { name: "DOCKER_CONTEXT=default", env: { DOCKER_CONTEXT: "default" } },
    { name: "--config", flags: { configDir: otherConfig } },
    { name: "host defaults", env: { DOCKER_HOST: "tcp://" } },
    { name: "IPv6 host", env: { DOCKER_HOST: "tcp://[::1]:" } },
    { name: "unix://", env: { DOCKER_HOST: "unix://" } },
    { name: "ssh host", env: { DOCKER_HOST: "ssh://me@127.0.0.1" } },
    {
      name: "DOCKER_TLS_VERIFY",
      env: { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs, DOCKER_HOST: "tcp://127.0.0.1:8" }
    },
    {
      name: "DOCKER_TLS, default TLS host, CA only",
      env: { DOCKER_CONTEXT: "default", DOCKER_TLS: "1", DOCKER_CERT_PATH: caOnly }
    },
    { name: "TLS settings do not apply to other contexts", env: { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: empty } },
    {
      name: "--tlsverify=false beats DOCKER_TLS_VERIFY",
      env: { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs },
      flags: { host: "tcp://127.0.0.1:9", tlsVerify: false }
    },
    {
      name: "--tls=false beats DOCKER_TLS",
      env: { DOCKER_CONTEXT: "default", DOCKER_TLS: "1", DOCKER_CERT_PATH: certs },
      flags: { tls: false }
    },
    {
      name: "--tls with explicit files",
      env: { DOCKER_CERT_PATH: empty },
      flags: {
        host: "tcp://127.0.0.1:10",
        tls: true,
        tlsCaCert: path.join(certs, "ca.pem"),
        tlsCert: path.join(certs, "cert.pem"),
        tlsKey: path.join(certs, "key.pem")
      }
    },
    { name: "conflicting flags", flags: { host: "tcp://127.0.0.1:1", context: "ctx-plain" }, fails: true },
    { name: "missing DOCKER_CONTEXT", env: { DOCKER_CONTEXT: "missing" }, fails: true },
    { name: "missing --context", flags: { context: "missing" }, fails: true },
    { name: "https:// DOCKER_HOST", env: { DOCKER_HOST: "https://127.0.0.1:5" }, fails: true },
    {
      name: "TLS without ca.pem",
      env: { DOCKER_CONTEXT: "default", DOCKER_TLS: "1", DOCKER_CERT_PATH: empty },
      fails: true
    },
    {
      name: "--config does not move the certificates",
      env: { DOCKER_TLS: "1" },
      flags: { configDir: caOnly },
      fails: true
    }
  ]

  for (const scenario of scenarios) {
    it.effect(scenario.name, () =>
      Effect.gen(function*() {
        const env = { ...baseEnv, ...scenario.env }
        const cli = docker([...flagArgs(scenario.flags), "context", "inspect", "--format", "{{json .}}"], scenario.env)
        const ours = yield* Effect.exit(
          DockerSettings.resolve(scenario.flags).pipe(
            Effect.provide(NodeCompatPlatform.layerWith({ env, homeDir: home }))
          )
        )
        const label = `${scenario.name}: docker said ${cli.stdout} ${cli.stderr}`
        if (scenario.fails) {
          assert.notStrictEqual(cli.status, 0, label)
          assert.isTrue(Exit.isFailure(ours), label)
          if (major >= 28 && Exit.isFailure(ours)) {
            const message = Exit.match(ours, { onFailure: (cause) => String(cause), onSuccess: () => "" })
            assert.isTrue(
              message.includes(cli.stderr) || message.includes(`unable to resolve docker endpoint: ${cli.stderr}`),
              `${label}\nours: ${message}`
            )
          }
          return
        }
        assert.strictEqual(cli.status, 0, label)
        assert.isTrue(Exit.isSuccess(ours), `${label}\nours: ${String(ours)}`)
        if (!Exit.isSuccess(ours)) return
        const settings = ours.value
        const inspected = JSON.parse(cli.stdout) as {
          Name: string
          Endpoints: { docker: { Host?: string; SkipTLSVerify: boolean } }
          TLSMaterial: { docker?: Array<string> }
        }
        assert.strictEqual(settings.context.value, inspected.Name, label)
        assert.strictEqual(settings.host.value, inspected.Endpoints.docker.Host, label)
        if (settings.endpoint._tag === "Tcp") {
          const files = [...(inspected.TLSMaterial.docker ?? [])].sort()
          const usesTls = inspected.Endpoints.docker.SkipTLSVerify || inspected.TLSMaterial.docker !== undefined
          assert.strictEqual(settings.tls !== undefined, usesTls, label)
          if (settings.tls !== undefined) {
            assert.strictEqual(settings.tls.value.verify, !inspected.Endpoints.docker.SkipTLSVerify, label)
            const ourFiles = (["ca", "cert", "key"] as const)
              .filter((file) => settings.tls!.value[file] !== undefined)
              .map((file) => `${file}.pem`)
            assert.deepStrictEqual(ourFiles, files, label)
          }
        }
      }))
  }
})
