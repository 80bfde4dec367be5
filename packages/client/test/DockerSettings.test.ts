/**
 * The docker CLI's connection rules, on configuration directories made by hand. Every expected host, context and
 * error text here was first observed with docker CLI 28.2.2 (`docker context inspect`, `docker context show`,
 * `docker version` failing before it connects) in temporary DOCKER_CONFIG directories; the layout of
 * `contexts/meta/<sha256>/meta.json` is byte for byte what `docker context create` writes.
 * `DockerSettings.engine.test.ts` compares with a real docker CLI.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { inspect } from "node:util"
import * as DockerError from "../src/DockerError.ts"
import * as DockerHost from "../src/DockerHost.ts"
import * as DockerSettings from "../src/DockerSettings.ts"
import * as NodeCompatPlatform from "../src/NodeCompatPlatform.ts"

const CA = "-----BEGIN CERTIFICATE-----\nCA-PEM\n-----END CERTIFICATE-----\n"
const CERT = "-----BEGIN CERTIFICATE-----\nCLIENT-CERT-PEM\n-----END CERTIFICATE-----\n"
const KEY = "-----BEGIN PRIVATE KEY-----\nSECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n"

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")

interface Fixture {
  readonly root: string
  readonly home: string
  /** `DOCKER_CONFIG` of most tests. */
  readonly config: string
  readonly dir: (name: string) => string
  readonly writeConfig: (config: unknown, dir?: string) => string
  readonly createContext: (
    name: string,
    docker: { Host?: string; SkipTLSVerify?: boolean } | null | undefined,
    options?: { dir?: string; tls?: { "ca.pem"?: string; "cert.pem"?: string; "key.pem"?: string } }
  ) => { meta: string; tls: string }
  readonly certs: (dir: string, files?: { "ca.pem"?: string; "cert.pem"?: string; "key.pem"?: string }) => string
  readonly resolve: (
    env: Record<string, string>,
    flags?: DockerSettings.Flags
  ) => Effect.Effect<DockerSettings.Settings, import("../src/DockerError.ts").DockerError>
}

const fixture = Effect.acquireRelease(
  Effect.sync((): Fixture => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-settings-"))
    const home = path.join(root, "home")
    const config = path.join(root, "config")
    fs.mkdirSync(home)
    fs.mkdirSync(config)
    const dir = (name: string) => {
      const full = path.join(root, name)
      fs.mkdirSync(full, { recursive: true })
      return full
    }
    return {
      root,
      home,
      config,
      dir,
      writeConfig: (value, where = config) => {
        const file = path.join(where, "config.json")
        fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value))
        return file
      },
      createContext: (name, docker, options) => {
        const id = sha256(name)
        const base = path.join(options?.dir ?? config, "contexts")
        const metaDir = path.join(base, "meta", id)
        fs.mkdirSync(metaDir, { recursive: true })
        const meta = path.join(metaDir, "meta.json")
        // What `docker context create <name> --docker host=...` writes (docker 28.2.2).
        fs.writeFileSync(
          meta,
          JSON.stringify({ Name: name, Metadata: {}, Endpoints: docker === undefined ? {} : { docker } })
        )
        const tls = path.join(base, "tls", id, "docker")
        if (options?.tls) {
          fs.mkdirSync(tls, { recursive: true, mode: 0o700 })
          for (const [file, text] of Object.entries(options.tls)) {
            fs.writeFileSync(path.join(tls, file), text, { mode: 0o600 })
          }
        }
        return { meta, tls }
      },
      certs: (where, files = { "ca.pem": CA, "cert.pem": CERT, "key.pem": KEY }) => {
        fs.mkdirSync(where, { recursive: true })
        for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(where, file), text)
        return where
      },
      resolve: (env, flags) =>
        DockerSettings.resolve(flags).pipe(Effect.provide(NodeCompatPlatform.layerWith({ env, homeDir: home })))
    }
  }),
  (f) => Effect.sync(() => fs.rmSync(f.root, { recursive: true, force: true }))
)

const summary = (settings: DockerSettings.Settings) => ({
  context: [settings.context.value, settings.context.source, settings.context.detail],
  host: [settings.host.value, settings.host.source, settings.host.detail]
})

describe("which context", () => {
  it.effect("--host and --context together is an error", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const error = yield* Effect.flip(f.resolve({}, { host: "tcp://127.0.0.1:1", context: "ctx1" }))
      assert.strictEqual(error.reason._tag, "InvalidArgument")
      assert.strictEqual(error.message, "conflicting options: cannot specify both --host and --context")
    }))

  it.effect("--context > (--host | DOCKER_HOST → default) > DOCKER_CONTEXT > currentContext > default", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.createContext("ctxa", { Host: "tcp://127.0.0.1:10", SkipTLSVerify: false })
      f.createContext("ctxb", { Host: "tcp://127.0.0.1:11", SkipTLSVerify: false })
      const configFile = f.writeConfig({ currentContext: "ctxa" })
      const base = { DOCKER_CONFIG: f.config }

      assert.deepStrictEqual(summary(yield* f.resolve(base)), {
        context: ["ctxa", "config-file", configFile],
        host: ["tcp://127.0.0.1:10", "context", "ctxa"]
      })
      assert.deepStrictEqual(summary(yield* f.resolve({ ...base, DOCKER_CONTEXT: "ctxb" })), {
        context: ["ctxb", "env", "DOCKER_CONTEXT"],
        host: ["tcp://127.0.0.1:11", "context", "ctxb"]
      })
      assert.deepStrictEqual(
        summary(yield* f.resolve({ ...base, DOCKER_CONTEXT: "ctxb", DOCKER_HOST: "tcp://127.0.0.1:12" })),
        { context: ["default", "env", "DOCKER_HOST"], host: ["tcp://127.0.0.1:12", "env", "DOCKER_HOST"] }
      )
      assert.deepStrictEqual(
        summary(
          yield* f.resolve({ ...base, DOCKER_CONTEXT: "ctxb", DOCKER_HOST: "tcp://127.0.0.1:12" }, {
            host: "tcp://127.0.0.1:13"
          })
        ),
        { context: ["default", "flag", "--host"], host: ["tcp://127.0.0.1:13", "flag", "--host"] }
      )
      assert.deepStrictEqual(
        summary(
          yield* f.resolve({ ...base, DOCKER_CONTEXT: "ctxa", DOCKER_HOST: "tcp://127.0.0.1:12" }, { context: "ctxb" })
        ),
        { context: ["ctxb", "flag", "--context"], host: ["tcp://127.0.0.1:11", "context", "ctxb"] }
      )
      // Empty variables do not count (docker CLI 28; 20.10 treated a set-but-empty DOCKER_HOST as set).
      assert.deepStrictEqual(summary(yield* f.resolve({ ...base, DOCKER_HOST: "", DOCKER_CONTEXT: "ctxb" })).context, [
        "ctxb",
        "env",
        "DOCKER_CONTEXT"
      ])
      assert.deepStrictEqual(summary(yield* f.resolve({ ...base, DOCKER_CONTEXT: "" })).context, [
        "ctxa",
        "config-file",
        configFile
      ])
      // The default context named explicitly still takes DOCKER_HOST.
      assert.deepStrictEqual(
        summary(yield* f.resolve({ ...base, DOCKER_HOST: "tcp://127.0.0.1:14" }, { context: "default" })),
        { context: ["default", "flag", "--context"], host: ["tcp://127.0.0.1:14", "env", "DOCKER_HOST"] }
      )
      assert.deepStrictEqual(summary(yield* f.resolve({ ...base, DOCKER_CONTEXT: "default" })), {
        context: ["default", "env", "DOCKER_CONTEXT"],
        host: ["unix:///var/run/docker.sock", "default", "the default socket"]
      })
    }))

  it.effect("nothing configured: the default context and socket", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const settings = yield* f.resolve({})
      assert.deepStrictEqual(summary(settings), {
        context: ["default", "default", "no context configured"],
        host: ["unix:///var/run/docker.sock", "default", "the default socket"]
      })
      assert.deepStrictEqual(settings.endpoint, new DockerHost.Unix({ path: "/var/run/docker.sock" }))
      assert.deepStrictEqual(settings.configDir, {
        value: path.join(f.home, ".docker"),
        source: "default",
        detail: "~/.docker"
      })
      assert.isUndefined(settings.tls)
      assert.isUndefined(settings.apiVersion)
    }))

  it.effect("a broken config.json matters only when its currentContext is needed", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const file = f.writeConfig(`{"currentContext": "x",`)
      const error = yield* Effect.flip(f.resolve({ DOCKER_CONFIG: f.config }))
      assert.isTrue(error.message.startsWith(`parsing config file (${file}): `), error.message)
      const settings = yield* f.resolve({ DOCKER_CONFIG: f.config }, { host: "unix:///tmp/x.sock" })
      assert.strictEqual(settings.host.value, "unix:///tmp/x.sock")
    }))
})

describe("the default context's host", () => {
  it.effect("normalizes --host and DOCKER_HOST as the docker CLI does", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      // [DOCKER_HOST, what `docker context inspect` shows, or the error it prints] — docker CLI 28.2.2
      const cases: Array<[string, string]> = [
        ["127.0.0.1:5", "tcp://127.0.0.1:5"],
        ["tcp://", "tcp://localhost:2375"],
        ["tcp://127.0.0.1", "tcp://127.0.0.1:2375"],
        ["tcp://[::1]:", "tcp://[::1]:2375"],
        ["tcp://::1", "tcp://[::1]:2375"],
        ["tcp://:5", "tcp://localhost:5"],
        ["tcp://host:", "tcp://host:2375"],
        ["tcp://u@h:5", "tcp://h:5"],
        ["tcp://h:5?x=1", "tcp://h:5"],
        ["tcp://h:5/p/q", "tcp://h:5/p/q"],
        ["tcp://tcp://x", "tcp://x:2375"],
        ["tcp://[::1]:7", "tcp://[::1]:7"],
        ["  tcp://127.0.0.1:7  ", "tcp://127.0.0.1:7"],
        ["unix://", "unix:///var/run/docker.sock"],
        ["unix:///x/y", "unix:///x/y"],
        ["npipe://", "npipe:////./pipe/docker_engine"],
        ["ssh://me@127.0.0.1", "ssh://me@127.0.0.1"],
        ["fd://", "fd://"],
        ["https://127.0.0.1:5", "error: invalid bind address format: https://127.0.0.1:5"],
        ["http://127.0.0.1:5", "error: invalid bind address format: http://127.0.0.1:5"],
        ["TCP://x", "error: invalid bind address format: TCP://x"],
        ["foo://x", "error: invalid bind address format: foo://x"],
        ["unix://tcp://x", "error: invalid proto, expected unix: tcp://x"],
        ["tcp://[::1]", "error: invalid bind address format: [::1]"],
        ["tcp://127.0.0.1:abc", `error: parse "tcp://127.0.0.1:abc": invalid port ":abc" after host`],
        ["tcp://h:-1", `error: parse "tcp://h:-1": invalid port ":-1" after host`]
      ]
      for (const [input, expected] of cases) {
        const parsed = DockerSettings.parseHost(input, false)
        assert.strictEqual(
          Result.isSuccess(parsed) ? parsed.success : `error: ${parsed.failure}`,
          expected,
          input
        )
      }
      assert.deepStrictEqual(DockerSettings.parseHost("  ", false), Result.succeed("unix:///var/run/docker.sock"))
      assert.deepStrictEqual(DockerSettings.parseHost("", true), Result.succeed("tcp://localhost:2376"))

      const bad = yield* Effect.flip(f.resolve({ DOCKER_HOST: "https://127.0.0.1:5" }))
      assert.strictEqual(
        bad.message,
        "unable to resolve docker endpoint: invalid bind address format: https://127.0.0.1:5"
      )
      const tcp = yield* f.resolve({ DOCKER_HOST: "127.0.0.1:5" })
      assert.deepStrictEqual(tcp.endpoint, new DockerHost.Tcp({ hostname: "127.0.0.1", port: 5, tls: undefined }))
      const ssh = yield* f.resolve({}, { host: "ssh://me@127.0.0.1:2222" })
      assert.deepStrictEqual(
        ssh.endpoint,
        new DockerHost.Ssh({ user: "me", hostname: "127.0.0.1", port: 2222, socketPath: undefined })
      )
      const fd = yield* Effect.flip(f.resolve({ DOCKER_HOST: "fd://" }))
      assert.strictEqual(fd.reason._tag, "InvalidArgument")
    }))

  it("splits host:port as Go's net.SplitHostPort: a stray bracket is refused, as the docker CLI refuses it", () => {
    // `DOCKER_HOST=… docker context inspect default`, docker CLI 28.2
    const cases: Array<[string, string]> = [
      ["tcp://a]:1", "error: invalid bind address format: a]:1"],
      ["tcp://[a[b]:1", "error: invalid bind address format: [a[b]:1"],
      ["tcp://::1", "tcp://[::1]:2375"],
      ["tcp://[::1]:5", "tcp://[::1]:5"],
      ["tcp://a:b:c", `error: parse "tcp://a:b:c": invalid port ":c" after host`]
    ]
    for (const [input, expected] of cases) {
      const parsed = DockerSettings.parseHost(input, false)
      assert.strictEqual(Result.isSuccess(parsed) ? parsed.success : `error: ${parsed.failure}`, expected, input)
    }
  })
})

describe("TLS for the default context", () => {
  it.effect("DOCKER_TLS_VERIFY: verified TLS with DOCKER_CERT_PATH's files, on tcp://localhost:2376 by default", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const certs = f.certs(f.dir("certs"))
      const settings = yield* f.resolve({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs })
      assert.deepStrictEqual(summary(settings).host, ["tcp://localhost:2376", "default", "the default TLS address"])
      assert.deepStrictEqual(settings.tls, {
        value: {
          verify: true,
          ca: path.join(certs, "ca.pem"),
          cert: path.join(certs, "cert.pem"),
          key: path.join(certs, "key.pem")
        },
        source: "env",
        detail: "DOCKER_TLS_VERIFY"
      })
      const endpoint = settings.endpoint
      assert.strictEqual(endpoint._tag, "Tcp")
      if (endpoint._tag === "Tcp") {
        assert.strictEqual(endpoint.hostname, "localhost")
        assert.strictEqual(endpoint.port, 2376)
        assert.strictEqual(endpoint.tls?.verify, true)
        assert.strictEqual(endpoint.tls?.ca, CA)
        assert.strictEqual(endpoint.tls?.cert, CERT)
        assert.strictEqual(endpoint.tls?.key, KEY)
      }
      // "0" is non-empty: still verified, as with the docker CLI.
      assert.strictEqual(
        (yield* f.resolve({ DOCKER_TLS_VERIFY: "0", DOCKER_CERT_PATH: certs })).tls?.value.verify,
        true
      )
    }))

  it.effect("DOCKER_TLS / --tls: TLS without verification; the flags override the variables", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const certs = f.certs(f.dir("certs"))
      const env = { DOCKER_CERT_PATH: certs, DOCKER_HOST: "tcp://127.0.0.1:2376" }
      const viaEnv = yield* f.resolve({ ...env, DOCKER_TLS: "1" })
      assert.deepStrictEqual([viaEnv.tls?.value.verify, viaEnv.tls?.source, viaEnv.tls?.detail], [
        false,
        "env",
        "DOCKER_TLS"
      ])
      const viaFlag = yield* f.resolve(env, { tls: true })
      assert.deepStrictEqual([viaFlag.tls?.value.verify, viaFlag.tls?.source, viaFlag.tls?.detail], [
        false,
        "flag",
        "--tls"
      ])
      const noVerify = yield* f.resolve({ ...env, DOCKER_TLS_VERIFY: "1" }, { tlsVerify: false })
      assert.deepStrictEqual([noVerify.tls?.value.verify, noVerify.tls?.detail], [false, "--tlsverify"])
      const verify = yield* f.resolve(env, { tlsVerify: true })
      assert.deepStrictEqual([verify.tls?.value.verify, verify.tls?.detail], [true, "--tlsverify"])
      const off = yield* f.resolve({ ...env, DOCKER_TLS: "1" }, { tls: false })
      assert.isUndefined(off.tls)
      assert.deepStrictEqual(off.endpoint, new DockerHost.Tcp({ hostname: "127.0.0.1", port: 2376, tls: undefined }))
    }))

  it.effect("ca.pem must exist; cert.pem and key.pem are optional unless given by flag", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const empty = f.dir("empty")
      const missingCa = yield* Effect.flip(f.resolve({ DOCKER_TLS: "1", DOCKER_CERT_PATH: empty }))
      assert.strictEqual(
        missingCa.message,
        `unable to resolve docker endpoint: open ${path.join(empty, "ca.pem")}: no such file or directory`
      )
      const caOnly = f.certs(f.dir("ca-only"), { "ca.pem": CA })
      const settings = yield* f.resolve({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: caOnly })
      assert.deepStrictEqual(settings.tls?.value, {
        verify: true,
        ca: path.join(caOnly, "ca.pem"),
        cert: undefined,
        key: undefined
      })
      const missingCert = yield* Effect.flip(
        f.resolve({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: caOnly }, { tlsCert: path.join(f.root, "nonexist") })
      )
      assert.strictEqual(
        missingCert.message,
        `unable to resolve docker endpoint: open ${path.join(f.root, "nonexist")}: no such file or directory`
      )
      const certs = f.certs(f.dir("elsewhere"))
      const flags = yield* f.resolve({ DOCKER_CERT_PATH: empty }, {
        tlsVerify: true,
        tlsCaCert: path.join(certs, "ca.pem"),
        tlsCert: path.join(certs, "cert.pem"),
        tlsKey: path.join(certs, "key.pem")
      })
      assert.deepStrictEqual(flags.tls?.value, {
        verify: true,
        ca: path.join(certs, "ca.pem"),
        cert: path.join(certs, "cert.pem"),
        key: path.join(certs, "key.pem")
      })
    }))

  it.effect("the certificate directory is DOCKER_CONFIG or ~/.docker, never --config", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const flagDir = f.certs(f.dir("flag-config"), { "ca.pem": CA })
      const fromEnv = yield* Effect.flip(
        f.resolve({ DOCKER_CONFIG: f.config, DOCKER_TLS: "1" }, { configDir: flagDir })
      )
      assert.strictEqual(
        fromEnv.message,
        `unable to resolve docker endpoint: open ${path.join(f.config, "ca.pem")}: no such file or directory`
      )
      const fromHome = yield* Effect.flip(f.resolve({ DOCKER_TLS: "1" }, { configDir: flagDir }))
      assert.strictEqual(
        fromHome.message,
        `unable to resolve docker endpoint: open ${path.join(f.home, ".docker", "ca.pem")}: no such file or directory`
      )
      f.certs(path.join(f.home, ".docker"), { "ca.pem": CA })
      const found = yield* f.resolve({ DOCKER_TLS: "1" }, { configDir: flagDir })
      assert.strictEqual(found.tls?.value.ca, path.join(f.home, ".docker", "ca.pem"))
    }))

  it.effect("a socket never uses TLS, but the files are still read", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const certs = f.certs(f.dir("certs"))
      const settings = yield* f.resolve({
        DOCKER_TLS_VERIFY: "1",
        DOCKER_CERT_PATH: certs,
        DOCKER_HOST: "unix:///tmp/d.sock"
      })
      assert.isUndefined(settings.tls)
      assert.deepStrictEqual(settings.endpoint, new DockerHost.Unix({ path: "/tmp/d.sock" }))
      const missing = yield* Effect.flip(
        f.resolve({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: f.dir("none"), DOCKER_HOST: "unix:///tmp/d.sock" })
      )
      assert.include(missing.message, "ca.pem: no such file or directory")
    }))

  it.effect("the private key never shows when the settings are printed", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const certs = f.certs(f.dir("certs"))
      const settings = yield* f.resolve({ DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs })
      for (const text of [JSON.stringify(settings), inspect(settings, { depth: 10 }), String(settings.endpoint)]) {
        assert.notInclude(text, "SECRET-KEY-MATERIAL")
      }
      assert.include(JSON.stringify(settings), `"key":"<redacted>"`)
      assert.include(JSON.stringify(settings), "CLIENT-CERT-PEM")
    }))
})

describe("stored contexts", () => {
  it.effect("a context's host, without TLS", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.createContext("ctx1", { Host: "tcp://127.0.0.1:1", SkipTLSVerify: false })
      const settings = yield* f.resolve({ DOCKER_CONFIG: f.config, DOCKER_CONTEXT: "ctx1" })
      assert.deepStrictEqual(settings.endpoint, new DockerHost.Tcp({ hostname: "127.0.0.1", port: 1, tls: undefined }))
      assert.deepStrictEqual(settings.host, { value: "tcp://127.0.0.1:1", source: "context", detail: "ctx1" })
      assert.isUndefined(settings.tls)
      assert.deepStrictEqual(settings.configDir, { value: f.config, source: "env", detail: "DOCKER_CONFIG" })
    }))

  it.effect("SkipTLSVerify alone: TLS without verification", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.createContext("ctx2", { Host: "tcp://127.0.0.1:2", SkipTLSVerify: true })
      const settings = yield* f.resolve({ DOCKER_CONFIG: f.config }, { context: "ctx2" })
      assert.deepStrictEqual(settings.tls, {
        value: { verify: false, ca: undefined, cert: undefined, key: undefined },
        source: "context",
        detail: "ctx2"
      })
      const endpoint = settings.endpoint
      assert.isTrue(endpoint._tag === "Tcp" && endpoint.tls?.verify === false && endpoint.tls.ca === undefined)
    }))

  it.effect("TLS material from contexts/tls/<sha256>/docker", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const { tls } = f.createContext("ctx3", { Host: "tcp://127.0.0.1:3", SkipTLSVerify: false }, {
        tls: { "ca.pem": CA, "cert.pem": CERT, "key.pem": KEY }
      })
      assert.strictEqual(tls, path.join(f.config, "contexts", "tls", sha256("ctx3"), "docker"))
      const settings = yield* f.resolve({ DOCKER_CONFIG: f.config }, { context: "ctx3" })
      assert.deepStrictEqual(settings.tls?.value, {
        verify: true,
        ca: path.join(tls, "ca.pem"),
        cert: path.join(tls, "cert.pem"),
        key: path.join(tls, "key.pem")
      })
      const endpoint = settings.endpoint
      assert.strictEqual(endpoint._tag, "Tcp")
      if (endpoint._tag === "Tcp") {
        assert.deepStrictEqual([endpoint.tls?.ca, endpoint.tls?.cert, endpoint.tls?.key], [CA, CERT, KEY])
        assert.strictEqual(endpoint.port, 3)
      }
      assert.notInclude(JSON.stringify(settings), "SECRET-KEY-MATERIAL")
    }))

  it.effect("an empty Host is the default socket; sockets and ssh ignore TLS files", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.createContext("nohost", { SkipTLSVerify: false })
      f.createContext("sock", { Host: "unix:///tmp/other.sock", SkipTLSVerify: true }, { tls: { "ca.pem": CA } })
      f.createContext("remote", { Host: "ssh://deploy@127.0.0.1", SkipTLSVerify: false })
      const env = { DOCKER_CONFIG: f.config }
      assert.deepStrictEqual((yield* f.resolve(env, { context: "nohost" })).host.value, "unix:///var/run/docker.sock")
      const sock = yield* f.resolve(env, { context: "sock" })
      assert.deepStrictEqual(sock.endpoint, new DockerHost.Unix({ path: "/tmp/other.sock" }))
      assert.isUndefined(sock.tls)
      const remote = yield* f.resolve(env, { context: "remote" })
      assert.strictEqual(remote.endpoint._tag, "Ssh")
    }))

  it.effect("contexts are read from the --config directory", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const other = f.dir("other-config")
      f.createContext("elsewhere", { Host: "tcp://127.0.0.1:4", SkipTLSVerify: false }, { dir: other })
      f.writeConfig({ currentContext: "elsewhere" }, other)
      const settings = yield* f.resolve({ DOCKER_CONFIG: f.config }, { configDir: other })
      assert.deepStrictEqual(summary(settings), {
        context: ["elsewhere", "config-file", path.join(other, "config.json")],
        host: ["tcp://127.0.0.1:4", "context", "elsewhere"]
      })
      assert.deepStrictEqual(settings.configDir, { value: other, source: "flag", detail: "--config" })
    }))

  it.effect("a missing context fails with docker's text, wherever its name came from", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const env = { DOCKER_CONFIG: f.config }
      const metaOf = (name: string) => path.join(f.config, "contexts", "meta", sha256(name), "meta.json")
      const expected = (name: string) =>
        `unable to resolve docker endpoint: context "${name}": context not found: open ${
          metaOf(name)
        }: no such file or directory`
      assert.strictEqual((yield* Effect.flip(f.resolve(env, { context: "foo" }))).message, expected("foo"))
      assert.strictEqual((yield* Effect.flip(f.resolve({ ...env, DOCKER_CONTEXT: "bar" }))).message, expected("bar"))
      f.writeConfig({ currentContext: "nope" })
      assert.strictEqual((yield* Effect.flip(f.resolve(env))).message, expected("nope"))
    }))

  it.effect("broken context metadata fails with docker's text", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const env = { DOCKER_CONFIG: f.config }
      const { meta } = f.createContext("bad1", undefined)
      assert.strictEqual(
        (yield* Effect.flip(f.resolve(env, { context: "bad1" }))).message,
        "unable to resolve docker endpoint: cannot find docker endpoint in context"
      )
      f.createContext("bad2", null)
      assert.strictEqual(
        (yield* Effect.flip(f.resolve(env, { context: "bad2" }))).message,
        `unable to resolve docker endpoint: endpoint "docker" is not of type EndpointMeta`
      )
      fs.writeFileSync(meta, "{not json")
      const malformed = yield* Effect.flip(f.resolve(env, { context: "bad1" }))
      assert.isTrue(
        malformed.message.startsWith(
          `unable to resolve docker endpoint: context "bad1": parsing ${meta}: Malformed JSON`
        ),
        malformed.message
      )
      f.createContext("bad3", { Host: "foo://x" })
      assert.strictEqual(
        (yield* Effect.flip(f.resolve(env, { context: "bad3" }))).message,
        "invalid bind address format: foo://x"
      )
    }))
})

describe("local failures are SystemError reasons, settings that cannot be used InvalidArgument", () => {
  it.effect("an unreadable meta.json: the read's kind and path, the read's error as the cause", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const { meta } = f.createContext("dir1", { Host: "tcp://127.0.0.1:1" })
      fs.rmSync(meta)
      fs.mkdirSync(meta)
      const error = yield* Effect.flip(f.resolve({ DOCKER_CONFIG: f.config }, { context: "dir1" }))
      assert.strictEqual(error.reason._tag, "SystemError")
      if (error.reason._tag !== "SystemError") return
      assert.strictEqual(error.reason.kind, "IsADirectory")
      assert.strictEqual(error.reason.path, meta)
      assert.isTrue(error.message.startsWith(`unable to resolve docker endpoint: context "dir1": `), error.message)
      const cause = error.reason.cause as DockerError.DockerError
      assert.isTrue(DockerError.isDockerError(cause))
      assert.strictEqual(cause.reason._tag, "SystemError")
      assert.strictEqual(error.cause, cause)
    }))

  it.effect("a meta.json that is not JSON: kind InvalidData, naming the file", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const { meta } = f.createContext("bad1", undefined)
      fs.writeFileSync(meta, "{not json")
      const error = yield* Effect.flip(f.resolve({ DOCKER_CONFIG: f.config }, { context: "bad1" }))
      assert.strictEqual(error.reason._tag, "SystemError")
      if (error.reason._tag !== "SystemError") return
      assert.strictEqual(error.reason.kind, "InvalidData")
      assert.strictEqual(error.reason.path, meta)
    }))

  it.effect("a context that does not exist stays an InvalidArgument", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const error = yield* Effect.flip(f.resolve({ DOCKER_CONFIG: f.config }, { context: "nowhere" }))
      assert.strictEqual(error.reason._tag, "InvalidArgument")
    }))
})

describe("API version and the service", () => {
  it.effect("DOCKER_API_VERSION fixes the version; a leading v is dropped; nonsense is refused", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      assert.deepStrictEqual((yield* f.resolve({ DOCKER_API_VERSION: "1.43" })).apiVersion, {
        value: "1.43",
        source: "env",
        detail: "DOCKER_API_VERSION"
      })
      assert.strictEqual((yield* f.resolve({ DOCKER_API_VERSION: " v1.45 " })).apiVersion?.value, "1.45")
      assert.isUndefined((yield* f.resolve({ DOCKER_API_VERSION: "" })).apiVersion)
      const error = yield* Effect.flip(f.resolve({ DOCKER_API_VERSION: "latest" }))
      assert.strictEqual(error.message, "invalid API version (latest): expected <major>.<minor>, e.g. 1.47")
    }))

  it.effect("layer provides the settings; engineOptions feeds DockerEngine", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const settings = yield* Effect.gen(function*() {
        return yield* DockerSettings.DockerSettings
      }).pipe(
        Effect.provide(DockerSettings.layer({ host: "tcp://127.0.0.1:9" })),
        Effect.provide(NodeCompatPlatform.layerWith({ env: { DOCKER_API_VERSION: "1.44" }, homeDir: f.home }))
      )
      assert.deepStrictEqual(DockerSettings.engineOptions(settings), {
        endpoint: new DockerHost.Tcp({ hostname: "127.0.0.1", port: 9, tls: undefined }),
        apiVersion: "1.44"
      })
    }))
})
