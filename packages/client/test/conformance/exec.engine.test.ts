/**
 * Finding and running programs on this runtime (`Exec`, and through it the credential helpers and `ssh`), as the
 * docker CLI does with Go's `exec.LookPath`: a program found through an empty, `.` or relative `PATH` entry is
 * refused with Go's error and never runs. Each planted program writes a marker file when it runs; the tests assert
 * the marker is absent. Relative entries resolve against the current directory, which is the repository root for
 * every runtime here: programs planted there have names no other test uses and are removed afterwards.
 *
 * No engine is needed (nothing reaches a daemon); the file sits in the conformance suite so that it runs on
 * Node 22, Node 24, Bun and Deno.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import * as Credentials from "../../src/Credentials.ts"
import * as Exec from "../../src/Exec.ts"
import * as NodeCompatPlatform from "../../src/NodeCompatPlatform.ts"
import * as SystemApi from "../../src/SystemApi.ts"
import * as C from "./Conformance.ts"

const RUN_ID = C.makeRunId()
const SYSTEM_PATH = "/usr/bin:/bin"

/** A shell script at `path` that touches `marker` and prints `output` (mode 0755 unless told). */
const plant = (path: string, marker: string, output = "planted", mode = 0o755) =>
  fs.writeFileSync(path, `#!/bin/sh\ntouch ${JSON.stringify(marker)}\necho ${JSON.stringify(output)}\n`, { mode })

/** A program planted in the current directory for the test's duration. */
const plantedInCwd = (name: string, marker: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const path = nodePath.join(process.cwd(), name)
      plant(path, marker)
      return path
    }),
    (path) => Effect.sync(() => fs.rmSync(path, { force: true }))
  )

const errorOf = <A>(effect: Effect.Effect<A, Exec.ExecError>) => Effect.flip(effect)

describe(`Exec.lookPath on ${C.runtimeName}`, () => {
  it.live("an empty PATH entry (the current directory) that holds the program is refused with Go's ErrDot", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      const marker = nodePath.join(dir, "ran")
      const name = `dockhand-plant-${RUN_ID}`
      yield* plantedInCwd(name, marker)
      for (const path of [`:${SYSTEM_PATH}`, `${SYSTEM_PATH}:`, `${SYSTEM_PATH}::/nowhere`]) {
        const error = yield* errorOf(Exec.lookPath(name, { PATH: path }))
        assert.strictEqual(error.kind, "RelativePath", path)
        assert.strictEqual(error.message, `exec: "${name}": cannot run executable found relative to current directory`)
      }
      // run through the platform (credential helpers): refused, not run
      const platform = NodeCompatPlatform.make({ env: { PATH: `:${SYSTEM_PATH}` } })
      const refused = yield* Effect.flip(platform.runHelper(name, ["get"], ""))
      assert.strictEqual(refused.message, `exec: "${name}": cannot run executable found relative to current directory`)
      assert.deepStrictEqual(yield* platform.findProgram(name), Option.none())
      assert.isFalse(fs.existsSync(marker), "the planted program ran")
    }))

  it.live("`.` and relative directories are refused too; the first entry holding the program decides", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      const marker = nodePath.join(dir, "ran")
      const name = `dockhand-plant-${RUN_ID}`
      yield* plantedInCwd(name, marker)
      const relative = nodePath.relative(process.cwd(), dir)
      plant(nodePath.join(dir, `${name}-rel`), marker)
      const absolute = nodePath.join(dir, "abs")
      fs.mkdirSync(absolute)
      plant(nodePath.join(absolute, name), marker)
      const dot = yield* errorOf(Exec.lookPath(name, { PATH: `.:${SYSTEM_PATH}` }))
      assert.strictEqual(dot.kind, "RelativePath")
      const rel = yield* errorOf(Exec.lookPath(`${name}-rel`, { PATH: `${SYSTEM_PATH}:${relative}` }))
      assert.strictEqual(rel.message, `exec: "${name}-rel": cannot run executable found relative to current directory`)
      // as in Go: a relative entry before the absolute one that also holds the program is still an error
      const first = yield* errorOf(Exec.lookPath(name, { PATH: `.:${absolute}` }))
      assert.strictEqual(first.kind, "RelativePath")
      // a relative entry without the program is passed over
      assert.strictEqual(yield* Exec.lookPath(name, { PATH: `${relative}:${absolute}` }), nodePath.join(absolute, name))
      assert.isFalse(fs.existsSync(marker), "a planted program ran")
    }))

  it.live("absolute entries, not found, not executable, a directory of that name, names with a slash", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      const marker = nodePath.join(dir, "ran")
      const bin = nodePath.join(dir, "bin")
      fs.mkdirSync(bin)
      plant(nodePath.join(bin, "tool"), marker)
      plant(nodePath.join(bin, "plain"), marker, "planted", 0o644)
      fs.mkdirSync(nodePath.join(bin, "adir"))
      assert.strictEqual(yield* Exec.lookPath("tool", { PATH: `/nowhere:${bin}` }), nodePath.join(bin, "tool"))
      const missing = yield* errorOf(Exec.lookPath("absent", { PATH: bin }))
      assert.strictEqual(missing.kind, "NotFound")
      assert.strictEqual(missing.message, `exec: "absent": executable file not found in $PATH`)
      // no PATH, or an empty one, has no entries at all (Go's filepath.SplitList), not the current directory
      yield* plantedInCwd(`dockhand-plant-${RUN_ID}`, marker)
      for (const env of [{}, { PATH: "" }]) {
        const none = yield* errorOf(Exec.lookPath(`dockhand-plant-${RUN_ID}`, env))
        assert.strictEqual(none.kind, "NotFound")
      }
      // a file without x bits, or a directory, is not the program: the search goes on
      assert.strictEqual((yield* errorOf(Exec.lookPath("plain", { PATH: bin }))).kind, "NotFound")
      assert.strictEqual((yield* errorOf(Exec.lookPath("adir", { PATH: bin }))).kind, "NotFound")
      // a name with a slash is used as it is, relative ones included (Go does not refuse `./x`)
      const tool = nodePath.join(bin, "tool")
      assert.strictEqual(yield* Exec.lookPath(tool, {}), tool)
      const relativeTool = `./${nodePath.relative(process.cwd(), tool)}`
      assert.strictEqual(yield* Exec.lookPath(relativeTool, {}), relativeTool)
      const slashMissing = yield* errorOf(Exec.lookPath(`${bin}/absent`, {}))
      assert.strictEqual(slashMissing.message, `exec: "${bin}/absent": stat ${bin}/absent: no such file or directory`)
      assert.strictEqual(
        (yield* errorOf(Exec.lookPath(`${bin}/adir`, {}))).message,
        `exec: "${bin}/adir": is a directory`
      )
      assert.strictEqual(
        (yield* errorOf(Exec.lookPath(`${bin}/plain`, {}))).message,
        `exec: "${bin}/plain": permission denied`
      )
      assert.isFalse(fs.existsSync(marker), "lookPath ran a program")
    }))
})

describe(`Exec.run on ${C.runtimeName}`, () => {
  it.live("feeds stdin, passes exactly the given environment and cwd, reports exit code and output", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      const script = nodePath.join(dir, "echoer")
      fs.writeFileSync(
        script,
        `#!/bin/sh\nread line\necho "args=$* stdin=$line var=$ONLY path=$PATH pwd=$(pwd)"\necho oops >&2\nexit 3\n`,
        { mode: 0o755 }
      )
      const result = yield* Exec.run(script, {
        args: ["a", "b"],
        env: { ONLY: "this", PATH: SYSTEM_PATH },
        cwd: dir,
        stdin: "hello\n"
      })
      const text = new TextDecoder()
      assert.strictEqual(
        text.decode(result.stdout),
        `args=a b stdin=hello var=this path=${SYSTEM_PATH} pwd=${fs.realpathSync(dir)}\n`
      )
      assert.strictEqual(text.decode(result.stderr), "oops\n")
      assert.deepStrictEqual([result.exitCode, result.signal, result.truncated], [3, undefined, false])
      assert.strictEqual(Exec.exitText(result), "exit status 3")
    }))

  it.live("keeps at most maxOutput bytes of each stream; combineOutput interleaves them", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      const script = nodePath.join(dir, "loud")
      fs.writeFileSync(script, `#!/bin/sh\necho out\necho err >&2\nhead -c 100000 /dev/zero\n`, { mode: 0o755 })
      const capped = yield* Exec.run(script, { env: {}, maxOutput: 1000 })
      assert.strictEqual(capped.stdout.byteLength, 1000)
      assert.isTrue(capped.truncated)
      const both = nodePath.join(dir, "both")
      fs.writeFileSync(both, `#!/bin/sh\necho out\necho err >&2\n`, { mode: 0o755 })
      const combined = yield* Exec.run(both, { env: {}, combineOutput: true })
      // both streams into one (the order of two pipes' writes is the system's)
      assert.deepStrictEqual(new TextDecoder().decode(combined.stdout).split("\n").sort(), ["", "err", "out"])
      const combinedCapped = yield* Exec.run(both, { env: {}, combineOutput: true, maxOutput: 6 })
      assert.deepStrictEqual([combinedCapped.stdout.byteLength, combinedCapped.truncated], [6, true])
      assert.strictEqual(combined.stderr.byteLength, 0)
    }))

  it.live("a program that cannot start is a typed StartFailed error; interruption kills the program", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      const broken = nodePath.join(dir, "broken")
      fs.writeFileSync(broken, "#!/nonexistent/interpreter\n", { mode: 0o755 })
      const error = yield* errorOf(Exec.run(broken, { env: {} }))
      assert.strictEqual(error.kind, "StartFailed")
      assert.match(error.message, new RegExp(`^fork/exec ${broken}: `))

      const pidFile = nodePath.join(dir, "pid")
      const sleeper = nodePath.join(dir, "sleeper")
      fs.writeFileSync(sleeper, `#!/bin/sh\necho $$ > ${JSON.stringify(pidFile)}\nexec sleep 60\n`, { mode: 0o755 })
      const started = Date.now()
      const timedOut = yield* Exec.run(sleeper, { env: { PATH: SYSTEM_PATH } }).pipe(
        Effect.timeoutOption("1500 millis")
      )
      assert.isTrue(Option.isNone(timedOut))
      assert.isBelow(Date.now() - started, 10_000)
      const pid = Number(fs.readFileSync(pidFile, "utf8").trim())
      const alive = yield* Effect.gen(function*() {
        for (let i = 0; i < 50; i++) {
          const running = yield* Effect.sync(() => {
            const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, "utf8") : ""
            return stat !== "" && !/^\d+ \([^)]*\) Z/.test(stat)
          })
          if (!running) return false
          yield* Effect.sleep("100 millis")
        }
        return true
      })
      assert.isFalse(alive, "the interrupted program is still running")
    }))
})

describe(`credential helpers on ${C.runtimeName}`, () => {
  it.live("a credHelpers program planted in the current directory (PATH=\":/usr/bin:/bin\") is not run", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      const marker = nodePath.join(dir, "ran")
      const helper = `plant${RUN_ID}`
      yield* plantedInCwd(`docker-credential-${helper}`, marker)
      fs.writeFileSync(nodePath.join(dir, "config.json"), JSON.stringify({ credHelpers: { "r.example": helper } }))
      const layer = Credentials.layer.pipe(
        Layer.provide(NodeCompatPlatform.layerWith({ env: { PATH: `:${SYSTEM_PATH}`, DOCKER_CONFIG: dir } }))
      )
      const error = yield* Effect.flip(
        Credentials.Credentials.use((c) => c.get("r.example")).pipe(Effect.provide(layer))
      )
      assert.strictEqual(
        error.message,
        `error getting credentials - err: exec: "docker-credential-${helper}": cannot run executable found relative to current directory, out: \`\``
      )
      assert.isFalse(fs.existsSync(marker), "the planted helper ran")
    }))

  it.live("login's default store is not a helper found through a relative PATH entry, and no credsStore is written", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      const marker = nodePath.join(dir, "ran")
      const planted = nodePath.join(dir, "planted")
      fs.mkdirSync(planted)
      for (const name of ["pass", "docker-credential-pass", "docker-credential-secretservice"]) {
        plant(nodePath.join(planted, name), marker)
      }
      const config = nodePath.join(dir, "config")
      const env = { PATH: `${nodePath.relative(process.cwd(), planted)}:${SYSTEM_PATH}`, DOCKER_CONFIG: config }
      const layer = Credentials.layer.pipe(Layer.provide(NodeCompatPlatform.layerWith({ env })))
      yield* Credentials.Credentials.use((c) =>
        c.store("127.0.0.1:5000", { username: "user", password: Redacted.make("secret-pw") })
      ).pipe(Effect.provide(layer))
      const written = JSON.parse(fs.readFileSync(nodePath.join(config, "config.json"), "utf8"))
      assert.notProperty(written, "credsStore")
      assert.deepStrictEqual(Object.keys(written.auths), ["127.0.0.1:5000"])
      assert.isFalse(fs.existsSync(marker), "a planted helper ran")
    }))
})

describe(`ssh on ${C.runtimeName}`, () => {
  const SSH_HOST = "ssh://me@127.0.0.1"
  const pingError = (vars: Readonly<Record<string, string | undefined>>) =>
    Effect.gen(function*() {
      const context = yield* Layer.build(C.Runtime.layerWith({ host: SSH_HOST })).pipe(
        C.withProcessEnv({ ...C.CLEAN_DOCKER_ENV, ...vars })
      )
      return yield* Effect.flip(
        SystemApi.SystemApi.use((system) => system.ping).pipe(
          Effect.provide(context),
          C.withProcessEnv(vars)
        )
      )
    })

  it.live("an ssh found through an empty or relative PATH entry is not run: docker's error", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      const marker = nodePath.join(dir, "ran")
      const planted = nodePath.join(dir, "planted")
      fs.mkdirSync(planted)
      plant(nodePath.join(planted, "ssh"), marker)
      yield* plantedInCwd("ssh", marker)
      for (const path of [`${nodePath.relative(process.cwd(), planted)}:${SYSTEM_PATH}`, `:${SYSTEM_PATH}`]) {
        const error = yield* pingError({ PATH: path, DOCKER_CONFIG: dir })
        assert.strictEqual(error.reason._tag, "ConnectionError")
        assert.strictEqual(
          error.message,
          `error during connect: Head "http://docker.example.com/_ping": exec: "ssh": cannot run executable found relative to current directory`
        )
      }
      assert.isFalse(fs.existsSync(marker), "the planted ssh ran")
    }))

  it.live("an ssh that fails: docker's message with ssh's own standard error, not \"socket hang up\"", () =>
    Effect.gen(function*() {
      const dir = yield* C.tempDir("exec")
      fs.writeFileSync(
        nodePath.join(dir, "ssh"),
        "#!/bin/sh\necho 'me@127.0.0.1: Permission denied (publickey).' >&2\nexit 255\n",
        { mode: 0o755 }
      )
      const error = yield* pingError({ PATH: `${dir}:${SYSTEM_PATH}`, DOCKER_CONFIG: dir })
      assert.strictEqual(error.reason._tag, "ConnectionError")
      assert.strictEqual(
        error.message,
        `error during connect: Head "http://docker.example.com/_ping": command [ssh -o ConnectTimeout=30 -T -l me -- ` +
          `127.0.0.1 docker system dial-stdio] has exited with exit status 255, make sure the URL is valid, and ` +
          `Docker 18.09 or later is installed on the remote host: stderr=me@127.0.0.1: Permission denied (publickey).\n`
      )
    }))
})
