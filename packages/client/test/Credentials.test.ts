import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { inspect } from "node:util"
import * as Credentials from "../src/Credentials.ts"
import * as DockerError from "../src/DockerError.ts"
import * as NodeCompatPlatform from "../src/NodeCompatPlatform.ts"

const SECRET = "s3cr3t-Pa55word"
const TOKEN = "identity-T0ken-value"
const hub = "https://index.docker.io/v1/"
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString("base64")
const printed = (value: unknown) => [JSON.stringify(value), String(value), inspect(value, { depth: 10 })].join("\n")

/**
 * A credential helper speaking the docker-credential-helpers protocol, keeping its credentials in
 * `$DOCKHAND_TEST_STORE/<helper name>.json` and logging each call to `$DOCKHAND_TEST_STORE/calls.log`.
 * `DOCKHAND_TEST_FAIL=1` makes it fail and echo its input; `DOCKHAND_TEST_GARBAGE=1` makes `get` print bad JSON.
 */
const helperSource = `
const fs = require("node:fs")
const [name, action] = process.argv.slice(2)
const dir = process.env.DOCKHAND_TEST_STORE
const file = dir + "/" + name + ".json"
const input = fs.readFileSync(0, "utf8")
fs.appendFileSync(dir + "/calls.log", JSON.stringify({ name, action, input }) + "\\n")
const load = () => fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {}
const save = (store) => fs.writeFileSync(file, JSON.stringify(store))
const notFound = () => { process.stdout.write("credentials not found in native keychain\\n"); process.exit(1) }
if (process.env.DOCKHAND_TEST_FAIL === "1") {
  process.stdout.write("helper failed on: " + input)
  process.stderr.write("stderr also saw: " + input)
  process.exit(2)
}
const store = load()
switch (action) {
  case "get": {
    const url = input.trim()
    if (process.env.DOCKHAND_TEST_GARBAGE === "1") { process.stdout.write('{"Secret": "${SECRET}", '); break }
    if (!store[url]) notFound()
    process.stdout.write(JSON.stringify({ ServerURL: url, Username: store[url].Username, Secret: store[url].Secret }))
    break
  }
  case "store": {
    const creds = JSON.parse(input)
    store[creds.ServerURL] = { Username: creds.Username, Secret: creds.Secret }
    save(store)
    break
  }
  case "erase": {
    const url = input.trim()
    if (!store[url]) notFound()
    delete store[url]
    save(store)
    break
  }
  case "list": {
    const out = {}
    for (const url of Object.keys(store)) out[url] = store[url].Username
    process.stdout.write(JSON.stringify(out))
    break
  }
  default:
    process.stdout.write("unknown action")
    process.exit(1)
}
`

/** The runtime running the tests also runs the helper (Deno needs its permissions spelled out). */
const interpreter = "Deno" in globalThis ? `"${process.execPath}" run -A` : `"${process.execPath}"`

interface Fixture {
  readonly home: string
  readonly configDir: string
  readonly configFile: string
  readonly bin: string
  readonly storeDir: string
  /** Installs `docker-credential-<name>` (or any program name) into the fixture's PATH. */
  readonly install: (program: string) => void
  /** What each helper holds. */
  readonly helperStore: (name: string) => Record<string, { Username: string; Secret: string }>
  readonly seed: (name: string, store: Record<string, { Username: string; Secret: string }>) => void
  readonly calls: () => Array<{ name: string; action: string; input: string }>
  readonly writeConfig: (config: unknown) => void
  readonly readConfig: () => any
  readonly credentials: (env?: Record<string, string>) => Effect.Effect<Credentials.Service>
}

const fixture = Effect.acquireRelease(
  Effect.sync((): Fixture => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-credentials-"))
    const home = path.join(root, "home")
    const configDir = path.join(root, "config")
    const bin = path.join(root, "bin")
    const storeDir = path.join(root, "store")
    for (const dir of [home, bin, storeDir]) fs.mkdirSync(dir)
    const helperFile = path.join(root, "helper.cjs")
    fs.writeFileSync(helperFile, helperSource)
    const install = (program: string) => {
      const name = program.replace(/^docker-credential-/, "")
      fs.writeFileSync(
        path.join(bin, program),
        `#!/bin/sh\nexec ${interpreter} "${helperFile}" "${name}" "$@"\n`,
        { mode: 0o755 }
      )
    }
    install("docker-credential-dockhandtest")
    const configFile = path.join(configDir, "config.json")
    const storeFile = (name: string) => path.join(storeDir, `${name}.json`)
    return {
      home,
      configDir,
      configFile,
      bin,
      storeDir,
      install,
      helperStore: (name) => fs.existsSync(storeFile(name)) ? JSON.parse(fs.readFileSync(storeFile(name), "utf8")) : {},
      seed: (name, store) => fs.writeFileSync(storeFile(name), JSON.stringify(store)),
      calls: () => {
        const log = path.join(storeDir, "calls.log")
        return fs.existsSync(log)
          ? fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line))
          : []
      },
      writeConfig: (config) => {
        fs.mkdirSync(configDir, { recursive: true })
        fs.writeFileSync(configFile, JSON.stringify(config, null, "\t"))
      },
      readConfig: () => JSON.parse(fs.readFileSync(configFile, "utf8")),
      credentials: (env = {}) =>
        Credentials.make().pipe(Effect.provide(NodeCompatPlatform.layerWith({
          env: { PATH: bin, DOCKHAND_TEST_STORE: storeDir, DOCKER_CONFIG: configDir, ...env },
          homeDir: home
        })))
    }
  }),
  (f) => Effect.sync(() => fs.rmSync(path.dirname(f.home), { recursive: true, force: true }))
)

const secretOf = (value: Redacted.Redacted<string> | undefined) =>
  value === undefined ? undefined : Redacted.value(value)

describe("registry keys", () => {
  it("Docker Hub has one key; other registries are keyed by host[:port]", () => {
    for (
      const name of [
        "",
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
        hub,
        "https://registry-1.docker.io/v2/"
      ]
    ) {
      assert.strictEqual(Credentials.registryKey(name), hub, name)
    }
    const cases: Array<[string, string]> = [
      ["myreg.example:5000", "myreg.example:5000"],
      ["https://myreg.example:5000/v2/", "myreg.example:5000"],
      ["http://myreg.example", "myreg.example"],
      ["myreg.example/some/path", "myreg.example"],
      ["https://user@h.example:5", "h.example:5"],
      ["https://[::1]:5000/v1/", "[::1]:5000"],
      ["https://[::1]/", "::1"]
    ]
    for (const [input, key] of cases) assert.strictEqual(Credentials.registryKey(input), key, input)
  })
})

describe("Credentials.get", () => {
  it.effect("reads config.json's auths by key, and keys written as URLs by older CLIs", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.writeConfig({
        auths: {
          [hub]: { auth: basic("hubuser", SECRET), email: "me@example.com" },
          "myreg.example:5000": { auth: basic("reguser", SECRET) },
          "https://legacy.example/v1/": { auth: basic("olduser", SECRET) },
          "empty.example": {}
        }
      })
      const credentials = yield* f.credentials()
      const fromHub = Option.getOrThrow(yield* credentials.get("docker.io"))
      assert.strictEqual(fromHub.username, "hubuser")
      assert.strictEqual(secretOf(fromHub.password), SECRET)
      assert.strictEqual(fromHub.email, "me@example.com")
      assert.strictEqual(fromHub.serveraddress, hub)
      const registry = Option.getOrThrow(yield* credentials.get("https://myreg.example:5000/v2/"))
      assert.strictEqual(registry.username, "reguser")
      assert.strictEqual(registry.serveraddress, "myreg.example:5000")
      const legacy = Option.getOrThrow(yield* credentials.get("legacy.example"))
      assert.strictEqual(legacy.username, "olduser")
      assert.strictEqual(legacy.serveraddress, "https://legacy.example/v1/")
      assert.isTrue(Option.isNone(yield* credentials.get("empty.example")))
      assert.isTrue(Option.isNone(yield* credentials.get("unknown.example")))
      assert.deepStrictEqual(f.calls(), [])
      assert.notInclude(printed([fromHub, registry, legacy]), SECRET)
    }))

  it.effect("no config.json and no platform helper: nothing", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const credentials = yield* f.credentials()
      assert.isTrue(Option.isNone(yield* credentials.get("docker.io")))
    }))

  it.effect("DOCKER_AUTH_CONFIG comes first, by exact key", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.writeConfig({
        auths: { "myreg.example": { auth: basic("fileuser", SECRET) }, "other.example": { auth: basic("o", SECRET) } },
        credHelpers: { "myreg.example": "dockhandtest" }
      })
      const credentials = yield* f.credentials({
        DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { "myreg.example": { auth: basic("envuser", SECRET) } } })
      })
      const found = Option.getOrThrow(yield* credentials.get("myreg.example"))
      assert.strictEqual(found.username, "envuser")
      assert.strictEqual(found.serveraddress, "myreg.example")
      assert.strictEqual(Option.getOrThrow(yield* credentials.get("other.example")).username, "o")
      assert.deepStrictEqual(f.calls(), [])
    }))

  it.effect("a malformed DOCKER_AUTH_CONFIG is a typed error that never repeats the variable", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const unknownKey = yield* f.credentials({
        DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { "r.example": { auth: basic("u", SECRET), password: SECRET } } })
      })
      const error = yield* Effect.flip(unknownKey.get("r.example"))
      assert.isTrue(
        error.message.startsWith("Failed to create credential store from DOCKER_AUTH_CONFIG: "),
        error.message
      )
      assert.notInclude(printed(error), SECRET)
      assert.notInclude(printed(error), basic("u", SECRET))
      const missingAuth = yield* f.credentials({ DOCKER_AUTH_CONFIG: `{"auths": {"r.example": {}}}` })
      assert.strictEqual(
        (yield* Effect.flip(missingAuth.get("r.example"))).message,
        "Failed to create credential store from DOCKER_AUTH_CONFIG: DOCKER_AUTH_CONFIG environment variable is missing key `auth` for r.example"
      )
      const notJson = yield* f.credentials({ DOCKER_AUTH_CONFIG: `${SECRET}{` })
      assert.notInclude(printed(yield* Effect.flip(notJson.get("r.example"))), SECRET)
    }))

  it.effect("credHelpers[host] wins over credsStore; a helper's answer replaces auths (only the email is kept)", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.install("docker-credential-dockhandother")
      f.seed("dockhandtest", { "store.example": { Username: "storeuser", Secret: SECRET } })
      f.seed("dockhandother", { "special.example": { Username: "specialuser", Secret: SECRET } })
      f.writeConfig({
        credsStore: "dockhandtest",
        credHelpers: { "special.example": "dockhandother" },
        auths: {
          "store.example": { email: "me@example.com" },
          "plain.example": { auth: basic("ignored", SECRET) }
        }
      })
      const credentials = yield* f.credentials()
      const special = Option.getOrThrow(yield* credentials.get("special.example"))
      assert.strictEqual(special.username, "specialuser")
      const fromStore = Option.getOrThrow(yield* credentials.get("https://store.example/v2/"))
      assert.deepStrictEqual(
        { ...fromStore, password: secretOf(fromStore.password) },
        { username: "storeuser", password: SECRET, serveraddress: "store.example", email: "me@example.com" }
      )
      // With a credential store, the docker CLI does not fall back to the file's auths.
      assert.isTrue(Option.isNone(yield* credentials.get("plain.example")))
      assert.deepStrictEqual(f.calls().map((c) => `${c.name} ${c.action} ${c.input}`), [
        "dockhandother get special.example",
        "dockhandtest get store.example",
        "dockhandtest get plain.example"
      ])
    }))

  it.effect("a helper's `<token>` username means the secret is an identity token; Docker Hub is asked by its URL", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.seed("dockhandtest", { [hub]: { Username: "<token>", Secret: TOKEN } })
      f.writeConfig({ credsStore: "dockhandtest" })
      const credentials = yield* f.credentials()
      const found = Option.getOrThrow(yield* credentials.get("registry-1.docker.io"))
      assert.deepStrictEqual(Object.keys(found).sort(), ["identitytoken", "serveraddress"])
      assert.strictEqual(secretOf(found.identitytoken), TOKEN)
      assert.strictEqual(found.serveraddress, hub)
      assert.notInclude(printed(found), TOKEN)
    }))

  it.effect("a helper that cannot be run keeps the inner kind (NotFound) and its path; the inner error is the cause", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.writeConfig({ credHelpers: { "gone.example": "nope" } })
      const credentials = yield* f.credentials()
      const error = yield* Effect.flip(credentials.get("gone.example"))
      assert.strictEqual(error.reason._tag, "SystemError")
      if (error.reason._tag !== "SystemError") return
      assert.strictEqual(error.reason.kind, "NotFound")
      assert.strictEqual(error.reason.path, "docker-credential-nope")
      assert.strictEqual(error.reason.operation, "Credentials")
      assert.isTrue(DockerError.isDockerError(error.cause))
    }))

  it.effect("a failing helper is a typed error with its output; a missing one says so", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.writeConfig({ credsStore: "dockhandtest", credHelpers: { "gone.example": "nope" } })
      const failing = yield* f.credentials({ DOCKHAND_TEST_FAIL: "1" })
      const error = yield* Effect.flip(failing.get("r.example"))
      assert.strictEqual(error.reason._tag, "SystemError")
      assert.strictEqual(
        error.message,
        "error getting credentials - err: exit status 2, out: `helper failed on: r.example` (stderr: stderr also saw: r.example)"
      )
      const credentials = yield* f.credentials()
      assert.strictEqual(
        (yield* Effect.flip(credentials.get("gone.example"))).message,
        "error getting credentials - err: exec: \"docker-credential-nope\": executable file not found in $PATH, out: ``"
      )
      const garbage = yield* f.credentials({ DOCKHAND_TEST_GARBAGE: "1" })
      const garbageError = yield* Effect.flip(garbage.get("r.example"))
      assert.isTrue(garbageError.message.startsWith("error getting credentials - err: "), garbageError.message)
      assert.notInclude(printed(garbageError), SECRET)
    }))
})

describe("Credentials.all", () => {
  it.effect("auths, then DOCKER_AUTH_CONFIG, then every credHelpers registry; empty entries left out", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.seed("dockhandtest", { "helped.example": { Username: "helper", Secret: SECRET } })
      f.writeConfig({
        auths: {
          [hub]: { auth: basic("hubuser", SECRET) },
          "env.example": { auth: basic("fileuser", SECRET) },
          "helped.example": { auth: basic("shadowed", SECRET) },
          "empty.example": {}
        },
        credHelpers: { "helped.example": "dockhandtest", "missing.example": "dockhandtest" }
      })
      const credentials = yield* f.credentials({
        DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { "env.example": { auth: basic("envuser", SECRET) } } })
      })
      const all = yield* credentials.all()
      assert.deepStrictEqual(
        Object.fromEntries(Object.entries(all).map(([key, auth]) => [key, [auth.username, auth.serveraddress]])),
        {
          [hub]: ["hubuser", hub],
          "env.example": ["envuser", "env.example"],
          "helped.example": ["helper", "helped.example"]
        }
      )
      assert.notInclude(printed(all), SECRET)
    }))

  it.effect("with a credential store, what the store lists", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.seed("dockhandtest", {
        [hub]: { Username: "<token>", Secret: TOKEN },
        "listed.example": { Username: "listed", Secret: SECRET }
      })
      f.writeConfig({
        credsStore: "dockhandtest",
        auths: { "listed.example": { email: "me@example.com" }, "file-only.example": { auth: basic("x", SECRET) } }
      })
      const all = yield* (yield* f.credentials()).all()
      assert.deepStrictEqual(Object.keys(all).sort(), [hub, "listed.example"])
      assert.strictEqual(secretOf(all[hub]!.identitytoken), TOKEN)
      assert.strictEqual(all["listed.example"]!.email, "me@example.com")
      assert.strictEqual(f.calls()[0]!.action, "list")
    }))
})

describe("Credentials.store", () => {
  it.effect("without a helper: base64 `auth` in config.json, a new file with mode 0600", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const credentials = yield* f.credentials()
      yield* credentials.store("https://myreg.example/v2/", {
        username: "reguser",
        password: Redacted.make(SECRET),
        email: "me@example.com"
      })
      assert.deepStrictEqual(f.readConfig(), {
        auths: { "myreg.example": { auth: basic("reguser", SECRET), email: "me@example.com" } }
      })
      assert.strictEqual(fs.statSync(f.configFile).mode & 0o777, 0o600)
      const found = Option.getOrThrow(yield* credentials.get("myreg.example"))
      assert.strictEqual(found.username, "reguser")
      assert.strictEqual(secretOf(found.password), SECRET)
    }))

  it.effect("keeps every other key and entry, and the file's mode", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const original = {
        auths: { "other.example": { auth: basic("o", "p"), future: 1 } },
        proxies: { default: { httpProxy: "http://proxy:3128" } },
        currentContext: "ctx1",
        somethingNew: { nested: [true] }
      }
      f.writeConfig(original)
      fs.chmodSync(f.configFile, 0o640)
      const credentials = yield* f.credentials()
      yield* credentials.store("docker.io", { identitytoken: Redacted.make(TOKEN) })
      assert.deepStrictEqual(f.readConfig(), {
        ...original,
        auths: { ...original.auths, [hub]: { identitytoken: TOKEN } }
      })
      assert.strictEqual(fs.statSync(f.configFile).mode & 0o777, 0o640)
      assert.strictEqual(secretOf(Option.getOrThrow(yield* credentials.get("index.docker.io")).identitytoken), TOKEN)
    }))

  it.effect("with a helper: the secret goes to `store`, config.json keeps an entry without it", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.writeConfig({ credsStore: "dockhandtest", psFormat: "table" })
      const credentials = yield* f.credentials()
      yield* credentials.store("myreg.example", { username: "u", password: Redacted.make(SECRET) })
      yield* credentials.store("docker.io", { username: "hubuser", identitytoken: Redacted.make(TOKEN) })
      assert.deepStrictEqual(f.helperStore("dockhandtest"), {
        "myreg.example": { Username: "u", Secret: SECRET },
        [hub]: { Username: "<token>", Secret: TOKEN }
      })
      assert.deepStrictEqual(f.calls()[0], {
        name: "dockhandtest",
        action: "store",
        input: `${JSON.stringify({ ServerURL: "myreg.example", Username: "u", Secret: SECRET })}\n`
      })
      assert.deepStrictEqual(f.readConfig(), {
        credsStore: "dockhandtest",
        psFormat: "table",
        auths: { "myreg.example": {}, [hub]: {} }
      })
      assert.strictEqual(Option.getOrThrow(yield* credentials.get("myreg.example")).username, "u")
    }))

  it.effect("a failing helper's error never contains the secret it was given", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.writeConfig({ credsStore: "dockhandtest" })
      const credentials = yield* f.credentials({ DOCKHAND_TEST_FAIL: "1" })
      const error = yield* Effect.flip(
        credentials.store("myreg.example", { username: "u", password: Redacted.make(SECRET) })
      )
      assert.isTrue(
        error.message.startsWith("error storing credentials - err: exit status 2, out: `helper failed on: ")
      )
      assert.include(error.message, "<redacted>")
      assert.notInclude(printed(error), SECRET)
    }))

  it.effect("with no credentials configured, the platform's helper is used and recorded as credsStore", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.install("docker-credential-secretservice")
      const credentials = yield* f.credentials()
      yield* credentials.store("myreg.example", { username: "u", password: Redacted.make(SECRET) })
      assert.deepStrictEqual(f.helperStore("secretservice"), { "myreg.example": { Username: "u", Secret: SECRET } })
      assert.deepStrictEqual(f.readConfig(), { auths: { "myreg.example": {} }, credsStore: "secretservice" })
      // `pass` on PATH makes docker-credential-pass the platform's helper instead.
      const g = yield* fixture
      g.install("pass")
      g.install("docker-credential-pass")
      g.seed("pass", { "p.example": { Username: "passuser", Secret: SECRET } })
      assert.strictEqual(Option.getOrThrow(yield* (yield* g.credentials()).get("p.example")).username, "passuser")
    }))
})

describe("Credentials.erase", () => {
  it.effect("removes the key and its http:// and https:// spellings from config.json, nothing else", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.writeConfig({
        auths: {
          "myreg.example": { auth: basic("a", SECRET) },
          "https://myreg.example": { auth: basic("b", SECRET) },
          "http://myreg.example": { auth: basic("c", SECRET) },
          "other.example": { auth: basic("d", SECRET) }
        },
        currentContext: "ctx1"
      })
      yield* (yield* f.credentials()).erase("myreg.example")
      assert.deepStrictEqual(f.readConfig(), {
        auths: { "other.example": { auth: basic("d", SECRET) } },
        currentContext: "ctx1"
      })
    }))

  it.effect("erases from the helper and the file; nothing stored is not an error", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.seed("dockhandtest", {
        "myreg.example": { Username: "u", Secret: SECRET },
        "keep.example": { Username: "k", Secret: SECRET }
      })
      f.writeConfig({ credsStore: "dockhandtest", auths: { "myreg.example": {}, "keep.example": {} } })
      const credentials = yield* f.credentials()
      yield* credentials.erase("myreg.example")
      assert.deepStrictEqual(Object.keys(f.helperStore("dockhandtest")), ["keep.example"])
      assert.deepStrictEqual(f.readConfig().auths, { "keep.example": {} })
      yield* credentials.erase("never-stored.example")
      yield* credentials.erase("docker.io")
      assert.deepStrictEqual(
        f.calls().filter((c) => c.action === "erase").map((c) => c.input),
        [
          "myreg.example",
          "http://myreg.example",
          "https://myreg.example",
          "never-stored.example",
          "http://never-stored.example",
          "https://never-stored.example",
          hub
        ]
      )
    }))

  it.effect("fails only when every attempt failed", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      f.writeConfig({ credsStore: "dockhandtest" })
      const error = yield* Effect.flip((yield* f.credentials({ DOCKHAND_TEST_FAIL: "1" })).erase("docker.io"))
      assert.strictEqual(
        error.message,
        `could not erase credentials: ${hub}: error erasing credentials - err: exit status 2, out: \`helper failed on: ${hub}\` (stderr: stderr also saw: ${hub})`
      )
    }))
})
