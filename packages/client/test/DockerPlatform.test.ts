import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as DockerPlatform from "../src/DockerPlatform.ts"
import * as NodeCompatPlatform from "../src/NodeCompatPlatform.ts"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-platform-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const script = (file: string, body: string) => {
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 })
  return file
}

const currentPlatform = Effect.gen(function*() {
  return yield* DockerPlatform.DockerPlatform
})

const platformWith = (options: NodeCompatPlatform.Options) =>
  currentPlatform.pipe(Effect.provide(NodeCompatPlatform.layerWith(options)))

const modeOf = (file: string) => fs.statSync(file).mode & 0o777

describe("NodeCompatPlatform files", () => {
  it.effect("readFile: text when present, None when missing, a typed error otherwise", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      fs.writeFileSync(path.join(dir, "a.txt"), "héllo")
      const platform = yield* platformWith({ env: {} })
      assert.deepStrictEqual(yield* platform.readFile(path.join(dir, "a.txt")), Option.some("héllo"))
      assert.deepStrictEqual(yield* platform.readFile(path.join(dir, "missing")), Option.none())
      const error = yield* Effect.flip(platform.readFile(dir))
      assert.strictEqual(error.reason._tag, "SystemError")
      assert.strictEqual(error.message, `read ${dir}: is a directory`)
    }))

  it.effect("listFiles: names of the non-directories, None when missing", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      fs.writeFileSync(path.join(dir, "ca.pem"), "x")
      fs.writeFileSync(path.join(dir, "key.pem"), "y")
      fs.mkdirSync(path.join(dir, "sub"))
      const platform = yield* platformWith({ env: {} })
      const files = yield* platform.listFiles(dir)
      assert.deepStrictEqual(Option.map(files, (names) => [...names].sort()), Option.some(["ca.pem", "key.pem"]))
      assert.deepStrictEqual(yield* platform.listFiles(path.join(dir, "nope")), Option.none())
      assert.deepStrictEqual(yield* platform.listFiles(path.join(dir, "ca.pem")), Option.none())
    }))

  it.effect("writeFile: creates parents (0700) and a 0600 file; an existing file keeps its mode", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const platform = yield* platformWith({ env: {} })
      const target = path.join(dir, "new", "deeper", "config.json")
      yield* platform.writeFile(target, "{}")
      assert.strictEqual(fs.readFileSync(target, "utf8"), "{}")
      assert.strictEqual(modeOf(target), 0o600)
      assert.strictEqual(modeOf(path.join(dir, "new")), 0o700)

      const existing = path.join(dir, "existing.json")
      fs.writeFileSync(existing, "old", { mode: 0o644 })
      fs.chmodSync(existing, 0o644)
      yield* platform.writeFile(existing, "new")
      assert.strictEqual(fs.readFileSync(existing, "utf8"), "new")
      assert.strictEqual(modeOf(existing), 0o644)
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["existing.json", "new"]) // no temporary file left
    }))

  it.effect("writeFile: follows a symlink and keeps it", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const platform = yield* platformWith({ env: {} })
      const real = path.join(dir, "real.json")
      const link = path.join(dir, "link.json")
      fs.writeFileSync(real, "old", { mode: 0o600 })
      fs.symlinkSync(real, link)
      yield* platform.writeFile(link, "new")
      assert.isTrue(fs.lstatSync(link).isSymbolicLink())
      assert.strictEqual(fs.readFileSync(real, "utf8"), "new")
    }))
})

describe("NodeCompatPlatform processes", () => {
  it.effect("findProgram searches the snapshot's PATH for an executable file", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const bin = path.join(dir, "bin")
      fs.mkdirSync(bin)
      script(path.join(bin, "docker-credential-found"), "exit 0")
      fs.writeFileSync(path.join(bin, "docker-credential-plain"), "not executable", { mode: 0o644 })
      const platform = yield* platformWith({ env: { PATH: `${path.join(dir, "empty")}:${bin}` } })
      assert.deepStrictEqual(
        yield* platform.findProgram("docker-credential-found"),
        Option.some(path.join(bin, "docker-credential-found"))
      )
      assert.deepStrictEqual(yield* platform.findProgram("docker-credential-plain"), Option.none())
      assert.deepStrictEqual(yield* platform.findProgram("docker-credential-absent"), Option.none())
      const withoutPath = yield* platformWith({ env: {} })
      assert.deepStrictEqual(yield* withoutPath.findProgram("docker-credential-found"), Option.none())
    }))

  it.effect("runHelper feeds stdin, passes the snapshot as environment and reports exit code and output", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      script(
        path.join(dir, "docker-credential-echo"),
        `read line\necho "args=$* stdin=$line var=$DOCKHAND_VAR"\necho "to stderr" >&2\nexit 3`
      )
      const platform = yield* platformWith({ env: { PATH: dir, DOCKHAND_VAR: "from-snapshot" } })
      const result = yield* platform.runHelper("docker-credential-echo", ["get"], "https://index.docker.io/v1/\n")
      assert.deepStrictEqual(result, {
        exitCode: 3,
        stdout: "args=get stdin=https://index.docker.io/v1/ var=from-snapshot\n",
        stderr: "to stderr\n"
      })
    }))

  it.effect("runHelper: a helper that ignores stdin still works", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      script(path.join(dir, "docker-credential-quiet"), "echo ok")
      const platform = yield* platformWith({ env: { PATH: dir } })
      const result = yield* platform.runHelper("docker-credential-quiet", ["list"], "x".repeat(1 << 20))
      assert.strictEqual(result.exitCode, 0)
      assert.strictEqual(result.stdout, "ok\n")
    }))

  it.effect("runHelper: a missing program is a typed error worded like Go's exec", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const platform = yield* platformWith({ env: { PATH: dir } })
      const error = yield* Effect.flip(platform.runHelper("docker-credential-nope", ["get"], ""))
      assert.strictEqual(error.reason._tag, "SystemError")
      assert.strictEqual(error.message, `exec: "docker-credential-nope": executable file not found in $PATH`)
    }))
})

describe("NodeCompatPlatform environment", () => {
  it.effect("layer snapshots process.env when it is built", () =>
    Effect.gen(function*() {
      const name = "DOCKHAND_PLATFORM_TEST_VAR"
      process.env[name] = "before"
      const platform = yield* currentPlatform.pipe(Effect.provide(NodeCompatPlatform.layer))
      process.env[name] = "after"
      assert.strictEqual(platform.env(name), "before")
      assert.strictEqual(platform.homeDir, os.homedir())
      assert.strictEqual(platform.os, process.platform)
      delete process.env[name]
    }))

  it.effect("layerWith replaces the environment and the home directory", () =>
    Effect.gen(function*() {
      const platform = yield* platformWith({ env: { ONLY: "this" }, homeDir: "/nowhere" })
      assert.strictEqual(platform.env("ONLY"), "this")
      assert.strictEqual(platform.env("PATH"), undefined)
      assert.strictEqual(platform.homeDir, "/nowhere")
    }))

  it.effect("the home directory is HOME from the environment, as Go reads it (Deno needs no sys permission)", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* platformWith({ env: { HOME: "/from/env" } })).homeDir, "/from/env")
      // unset or empty: the runtime's own lookup
      assert.strictEqual((yield* platformWith({ env: {} })).homeDir, os.homedir())
      assert.strictEqual((yield* platformWith({ env: { HOME: "" } })).homeDir, os.homedir())
      // an explicit homeDir wins
      assert.strictEqual((yield* platformWith({ env: { HOME: "/from/env" }, homeDir: "/given" })).homeDir, "/given")
    }))

  it.effect("sha256Hex names context directories as the docker CLI does", () =>
    Effect.gen(function*() {
      // `docker context create ctx1` wrote contexts/meta/8f9d61fa…/meta.json (docker 28.2.2)
      assert.strictEqual(
        yield* DockerPlatform.sha256Hex("ctx1"),
        "8f9d61fac39402898f831bfec31c774438bb77be6a0cbd47c83cf53d31858372"
      )
      assert.strictEqual(
        yield* DockerPlatform.sha256Hex(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
      )
    }))
})

describe("DockerPlatform.fromRecord", () => {
  it.effect("serves files, writes and helpers from memory", () =>
    Effect.gen(function*() {
      const platform = yield* currentPlatform.pipe(Effect.provide(DockerPlatform.DockerPlatform.fromRecord({
        env: { DOCKER_CONFIG: "/cfg" },
        homeDir: "/home/me",
        files: { "/cfg/config.json": "{}", "/cfg/contexts/tls/x/docker/ca.pem": "CA" },
        helpers: {
          "docker-credential-mem": (args, stdin) => ({ exitCode: 0, stdout: `${args.join(" ")}:${stdin}`, stderr: "" })
        }
      })))
      assert.strictEqual(platform.env("DOCKER_CONFIG"), "/cfg")
      assert.strictEqual(platform.homeDir, "/home/me")
      assert.deepStrictEqual(yield* platform.readFile("/cfg/config.json"), Option.some("{}"))
      assert.deepStrictEqual(yield* platform.listFiles("/cfg/contexts/tls/x/docker"), Option.some(["ca.pem"]))
      assert.deepStrictEqual(yield* platform.listFiles("/cfg/contexts/tls/y"), Option.none())
      yield* platform.writeFile("/cfg/config.json", `{"a":1}`)
      assert.deepStrictEqual(yield* platform.readFile("/cfg/config.json"), Option.some(`{"a":1}`))
      assert.strictEqual((yield* platform.runHelper("docker-credential-mem", ["get"], "reg")).stdout, "get:reg")
      assert.isTrue(Option.isSome(yield* platform.findProgram("docker-credential-mem")))
      const error = yield* Effect.flip(platform.runHelper("docker-credential-other", ["get"], ""))
      assert.strictEqual(error.message, `exec: "docker-credential-other": executable file not found in $PATH`)
    }))
})
