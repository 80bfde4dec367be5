import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { inspect } from "node:util"
import * as DockerConfig from "../src/DockerConfig.ts"
import * as DockerPlatform from "../src/DockerPlatform.ts"
import * as GoPath from "../src/GoPath.ts"
import * as NodeCompatPlatform from "../src/NodeCompatPlatform.ts"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-config-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const SECRET = "s3cr3t-Pa55word"
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString("base64")

/** Every way a value can end up on a screen or in a log. */
const printed = (value: unknown) => [JSON.stringify(value), String(value), inspect(value, { depth: 10 })].join("\n")

const readWith = (env: { readonly [name: string]: string }, homeDir: string, configDir?: string) =>
  DockerConfig.read({ configDir }).pipe(Effect.provide(NodeCompatPlatform.layerWith({ env, homeDir })))

describe("DockerConfig.resolveDir", () => {
  const platform = (env: { readonly [name: string]: string }) =>
    Effect.gen(function*() {
      return yield* DockerPlatform.DockerPlatform
    }).pipe(Effect.provide(NodeCompatPlatform.layerWith({ env, homeDir: "/home/me" })))

  it.effect("--config, then DOCKER_CONFIG, then ~/.docker; empty values do not count", () =>
    Effect.gen(function*() {
      const withEnv = yield* platform({ DOCKER_CONFIG: "/env/dir" })
      const without = yield* platform({ DOCKER_CONFIG: "" })
      assert.deepStrictEqual(DockerConfig.resolveDir(withEnv, "/flag//dir/"), {
        value: "/flag/dir",
        source: "flag",
        detail: "--config"
      })
      assert.deepStrictEqual(DockerConfig.resolveDir(withEnv, ""), {
        value: "/env/dir",
        source: "env",
        detail: "DOCKER_CONFIG"
      })
      assert.deepStrictEqual(DockerConfig.resolveDir(without), {
        value: "/home/me/.docker",
        source: "default",
        detail: "~/.docker"
      })
    }))

  it("cleans paths like Go's filepath.Clean", () => {
    assert.strictEqual(GoPath.clean("/a/./b/../c//"), "/a/c")
    assert.strictEqual(GoPath.clean("../x/.."), "..")
    assert.strictEqual(GoPath.clean("/.."), "/")
    assert.strictEqual(GoPath.join("/root/.docker", "contexts", "meta"), "/root/.docker/contexts/meta")
  })
})

describe("DockerConfig.read", () => {
  it.effect("a missing file is an empty configuration", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const loaded = yield* readWith({ DOCKER_CONFIG: dir }, "/nowhere")
      assert.deepStrictEqual(loaded, {
        dir: { value: dir, source: "env", detail: "DOCKER_CONFIG" },
        path: path.join(dir, "config.json"),
        exists: false,
        config: {},
        auths: {}
      })
    }))

  it.effect("an empty file is an empty configuration, as for the docker CLI", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      fs.writeFileSync(path.join(dir, "config.json"), " \n")
      const loaded = yield* readWith({}, "/nowhere", dir)
      assert.isTrue(loaded.exists)
      assert.deepStrictEqual(loaded.config, {})
    }))

  it.effect("reads the fields dockhand uses, splits `auth`, keeps unknown keys, redacts secrets", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      fs.mkdirSync(path.join(home, ".docker"))
      fs.writeFileSync(
        path.join(home, ".docker", "config.json"),
        JSON.stringify({
          auths: {
            "https://index.docker.io/v1/": { auth: basic("hubuser", SECRET), email: "me@example.com" },
            "registry.example:5000": { username: "plain", password: SECRET },
            "tokens.example": { identitytoken: SECRET, futureKey: true }
          },
          credsStore: "desktop",
          credHelpers: { "gcr.io": "gcloud" },
          currentContext: "remote",
          proxies: { default: { httpProxy: "http://proxy:3128" } },
          aliases: { builder: "buildx" }
        })
      )
      const loaded = yield* readWith({}, home)
      assert.strictEqual(loaded.path, path.join(home, ".docker", "config.json"))
      assert.strictEqual(DockerConfig.credsStore(loaded.config), "desktop")
      assert.deepStrictEqual(DockerConfig.credHelpers(loaded.config), { "gcr.io": "gcloud" })
      assert.strictEqual(DockerConfig.currentContext(loaded.config), "remote")
      assert.deepStrictEqual(loaded.config["proxies"], { default: { httpProxy: "http://proxy:3128" } })
      assert.deepStrictEqual(loaded.config["aliases"], { builder: "buildx" })
      assert.deepStrictEqual(DockerConfig.authEntries(loaded.config)["tokens.example"]?.["futureKey"], true)

      const hub = loaded.auths["https://index.docker.io/v1/"]!
      assert.strictEqual(hub.username, "hubuser")
      assert.strictEqual(Redacted.value(hub.password!), SECRET)
      assert.strictEqual(hub.email, "me@example.com")
      assert.strictEqual(hub.serveraddress, "https://index.docker.io/v1/")
      assert.isUndefined(hub.auth)
      assert.strictEqual(loaded.auths["registry.example:5000"]?.username, "plain")
      assert.strictEqual(Redacted.value(loaded.auths["tokens.example"]!.identitytoken!), SECRET)

      const base64 = basic("hubuser", SECRET)
      for (const text of [printed(loaded), printed(loaded.config), printed(loaded.auths)]) {
        assert.notInclude(text, SECRET)
        assert.notInclude(text, base64)
      }
    }))

  it.effect("malformed JSON is a typed error naming the file, without its contents", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "config.json")
      fs.writeFileSync(file, `{"auths": {"x": {"auth": "${SECRET}"}}, oops}`)
      const error = yield* Effect.flip(readWith({}, "/nowhere", dir))
      assert.strictEqual(error.reason._tag, "SystemError")
      assert.isTrue(error.message.startsWith(`parsing config file (${file}): Malformed JSON at line 1`), error.message)
      assert.notInclude(printed(error), SECRET)
      assert.notInclude(printed(error), "oops")
    }))

  it.effect("a config.json that does not parse is a SystemError of kind InvalidData, with its path", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "config.json")
      fs.writeFileSync(file, "{oops")
      const error = yield* Effect.flip(readWith({}, "/nowhere", dir))
      assert.strictEqual(error.reason._tag, "SystemError")
      if (error.reason._tag !== "SystemError") return
      assert.strictEqual(error.reason.kind, "InvalidData")
      assert.strictEqual(error.reason.path, file)
    }))

  it.effect("a wrong shape is a typed error that says where", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "config.json")
      fs.writeFileSync(file, JSON.stringify({ auths: { "r.example": { auth: 12345 } } }))
      const error = yield* Effect.flip(readWith({}, "/nowhere", dir))
      assert.include(error.message, `parsing config file (${file}): `)
      assert.include(error.message, `auth`)
      assert.notInclude(error.message, "12345")
    }))

  it.effect("an `auth` that is not base64 of user:password fails like the docker CLI, without the value", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "config.json")
      fs.writeFileSync(file, JSON.stringify({ auths: { "r.example": { auth: `${SECRET}!!` } } }))
      const notBase64 = yield* Effect.flip(readWith({}, "/nowhere", dir))
      assert.strictEqual(notBase64.message, `parsing config file (${file}): illegal base64 data`)
      const noColon = Buffer.from(SECRET).toString("base64")
      fs.writeFileSync(file, JSON.stringify({ auths: { "r.example": { auth: noColon } } }))
      const invalid = yield* Effect.flip(readWith({}, "/nowhere", dir))
      assert.strictEqual(invalid.message, `parsing config file (${file}): Invalid auth configuration file`)
      assert.notInclude(printed(invalid), noColon)
    }))

  it.effect("a config.json that is a directory is an empty configuration with docker's warning, not an error", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "config.json")
      fs.mkdirSync(file)
      const loaded = yield* readWith({}, "/nowhere", dir)
      assert.strictEqual(loaded.warning, `Error parsing config file (${file}): read ${file}: is a directory`)
      assert.deepStrictEqual([loaded.exists, loaded.config, loaded.auths], [false, {}, {}])
    }))

  it.effect("a config.json that cannot be opened (EACCES) is an empty configuration with docker's warning", () =>
    Effect.gen(function*() {
      const file = "/cfg/config.json"
      const denied = DockerPlatform.DockerPlatform.of({
        ...(yield* DockerPlatform.DockerPlatform.pipe(Effect.provide(DockerPlatform.DockerPlatform.fromRecord({})))),
        readFile: (path) => Effect.fail(DockerPlatform.localError("test", `open ${path}: permission denied`))
      })
      const logged: Array<unknown> = []
      const loaded = yield* DockerConfig.read({ configDir: "/cfg" }).pipe(
        Effect.provideService(DockerPlatform.DockerPlatform, denied),
        Effect.provide(Logger.layer([Logger.make(({ message }) => void logged.push(message))]))
      )
      assert.strictEqual(loaded.warning, `Error loading config file: open ${file}: permission denied`)
      assert.deepStrictEqual([loaded.exists, loaded.config, loaded.auths], [false, {}, {}])
      assert.deepStrictEqual(logged.flat(), [`Error loading config file: open ${file}: permission denied`])
    }))
})

describe("DockerConfig auth values", () => {
  it("decodeAuth splits at the first colon and trims NUL bytes; encodeAuth is its inverse", () => {
    const decoded = DockerConfig.decodeAuth(basic("user", "pa:ss\0"))
    assert.isTrue(Result.isSuccess(decoded))
    if (Result.isSuccess(decoded)) {
      assert.strictEqual(decoded.success.username, "user")
      assert.strictEqual(Redacted.value(decoded.success.password), "pa:ss")
    }
    assert.deepStrictEqual(DockerConfig.decodeAuth(basic("", "x")), Result.fail("Invalid auth configuration file"))
    assert.deepStrictEqual(DockerConfig.decodeAuth("%%%%"), Result.fail("illegal base64 data"))
    assert.strictEqual(Redacted.value(DockerConfig.encodeAuth("user", Redacted.make("pa:ss"))!), basic("user", "pa:ss"))
    assert.isUndefined(DockerConfig.encodeAuth("", ""))
  })
})

describe("DockerConfig.write", () => {
  it.effect("writes tab-indented JSON with every key kept and secrets in clear, as the docker CLI does", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const file = path.join(dir, "config.json")
      const original = {
        auths: { "r.example": { auth: basic("u", SECRET), somethingNew: [1, 2] } },
        credHelpers: { "gcr.io": "gcloud" },
        psFormat: "table {{.ID}}",
        plugins: { buildx: { hooks: "on" } }
      }
      fs.writeFileSync(file, JSON.stringify(original))
      const loaded = yield* readWith({}, "/nowhere", dir)
      yield* DockerConfig.write(loaded.path, { ...loaded.config, currentContext: "ctx1" }).pipe(
        Effect.provide(NodeCompatPlatform.layerWith({ env: {} }))
      )
      const text = fs.readFileSync(file, "utf8")
      assert.include(text, `\n\t"auths": {`)
      assert.deepStrictEqual(JSON.parse(text), { ...original, currentContext: "ctx1" })
    }))
})
