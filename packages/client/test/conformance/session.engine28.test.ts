/**
 * BuildKit builds through a session (`Images.build` with `session`, as `docker buildx build` talks to the engine)
 * against the private Docker Engine 28.5 (`DOCKHAND_DOCKER28_SOCK`), through this runtime's entry: the daemon reads
 * the context directory and the Dockerfile (outside the context too) through filesync with `.dockerignore` applied
 * here (files of many chunks and many files arrive whole, hard links stay links), a `RUN --mount=type=secret` sees the secret (from a value, a file, an environment variable) and leaves no
 * trace in the image or its history, and an interrupted build leaves no connection open.
 */
import { assert, describe, layer } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Images from "../../src/Images.ts"
import * as TempDirs from "../utils/TempDirs.ts"
import * as C from "./Conformance.ts"
import * as Fx from "./Fixtures28.ts"

const RUN_ID = C.makeRunId()
const REPO = `dockhand-conformance/${RUN_ID}-session`

const docker28 = Fx.negotiatedLayer28()

/** A context directory with busybox, the given files, and a Dockerfile. */
const contextDir = (dockerfile: string, files: Readonly<Record<string, string>> = {}): string =>
  Fx.busyboxContext("dockhand-session-", dockerfile, files)

/** The sockets this process has open to the engine's socket path (Linux: `/proc/self/fd` and `/proc/net/unix`). */
const openFds = () => fs.readdirSync("/proc/self/fd").length

// Bun's node:http2 server cannot serve the daemon's upgraded connection: there a session is refused, typed.
// (Only the suite of this runtime is registered: nothing is skipped.)
if (C.entryName === "bun") {
  describe("BuildKit sessions on Bun", () => {
    layer(docker28, { excludeTestServices: true })((it) => {
      it.effect("a build with a session fails with a WrongRuntime reason, before any request", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const dir = contextDir("FROM scratch\n")
          const error = yield* Effect.flip(
            images.build(Stream.empty, { version: "2", session: { context: dir } }).outcome
          )
          assert.strictEqual(error.reason._tag, "WrongRuntime")
          assert.include(error.message, "needs Node or Deno")
        }))
    })
  })
} else {
  describe("BuildKit builds through a session on Docker Engine 28.5", () => {
    layer(docker28, { excludeTestServices: true })((it) => {
      it.effect("the daemon reads the context and Dockerfile through filesync, with .dockerignore applied", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const dir = contextDir(
            `${Fx.BUSYBOX_BASE}COPY . /ctx\nRUN ["/bin/sh", "-c", "cd /ctx && find . | sort"]\n`,
            {
              ".dockerignore": "ignored\n*.log\n!keep.log\n",
              "kept/a.txt": "a\n",
              "ignored/secret.txt": "no\n",
              "x.log": "no\n",
              "keep.log": "yes\n"
            }
          )
          const tag = `${REPO}:ctx`
          const messages = yield* Fx.sessionBuild({ context: dir }, { tags: [tag], labels: { [C.LABEL_KEY]: RUN_ID } })
          const { names, text } = Fx.traceOutput(messages)
          assert.include(names, "[internal] load build definition from Dockerfile")
          assert.include(names, "[internal] load .dockerignore")
          assert.include(names, "[internal] load build context")
          assert.include(text, "./kept/a.txt")
          assert.include(text, "./keep.log")
          assert.include(text, "./Dockerfile")
          assert.notInclude(text, "ignored")
          assert.notInclude(text, "x.log")
          yield* images.remove(tag, { force: true })
        }))

      it.effect("files of many chunks and many files arrive whole (their bytes checked in the build)", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const dir = contextDir(
            `${Fx.BUSYBOX_BASE}COPY . /ctx\n` +
              `RUN ["/bin/sh", "-c", "cd /ctx && find data many -type f | sort | xargs sha256sum"]\n`
          )
          // deterministic bytes: chunk boundaries (32 KiB) met exactly, just past, within many chunks
          let seed = 7
          const bytes = (size: number) =>
            new Uint8Array(size).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 16)
          const files: Record<string, Uint8Array> = {
            "data/big.bin": bytes(300_000),
            "data/exact.bin": bytes(32768),
            "data/past.bin": bytes(32769),
            "data/empty.bin": new Uint8Array(0)
          }
          for (let i = 0; i < 300; i++) files[`many/f${i}`] = bytes(i * 97)
          for (const [name, content] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
            fs.writeFileSync(path.join(dir, name), content)
          }
          const tag = `${REPO}:bytes`
          const messages = yield* Fx.sessionBuild({ context: dir }, { tags: [tag], labels: { [C.LABEL_KEY]: RUN_ID } })
          const { text } = Fx.traceOutput(messages)
          for (const [name, content] of Object.entries(files)) {
            assert.include(text, `${createHash("sha256").update(content).digest("hex")}  ${name}\n`)
          }
          yield* images.remove(tag, { force: true })
        }))

      it.effect("hard links in the context stay hard links in the image", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const dir = contextDir(
            `${Fx.BUSYBOX_BASE}COPY . /ctx\n` +
              `RUN ["/bin/sh", "-c", "stat -c 'inode=%i links=%h %n' /ctx/h/a /ctx/h/b /ctx/z"]\n`,
            { "h/a": "linked\n", "z": "alone\n" }
          )
          fs.linkSync(path.join(dir, "h/a"), path.join(dir, "h/b"))
          const tag = `${REPO}:links`
          const messages = yield* Fx.sessionBuild({ context: dir }, { tags: [tag], labels: { [C.LABEL_KEY]: RUN_ID } })
          const { text } = Fx.traceOutput(messages)
          const inode = (name: string) => new RegExp(`inode=(\\d+) links=(\\d+) ${name}\n`).exec(text)?.slice(1)
          const a = inode("/ctx/h/a")
          assert.isDefined(a)
          assert.deepStrictEqual(inode("/ctx/h/b"), a)
          assert.strictEqual(a?.[1], "2")
          assert.strictEqual(inode("/ctx/z")?.[1], "1")
          yield* images.remove(tag, { force: true })
        }))

      it.effect("a Dockerfile outside the context is read from its own directory", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const dir = contextDir("FROM scratch\n", { "hello.txt": "hello\n" })
          const other = TempDirs.make("dockhand-session-df-")
          fs.writeFileSync(path.join(other, "Build.df"), "FROM scratch\nCOPY hello.txt /\nLABEL from=outside\n")
          const tag = `${REPO}:outside`
          const outcome = yield* images.build(Stream.empty, {
            version: "2",
            tags: [tag],
            session: { context: dir, dockerfile: path.join(other, "Build.df") }
          }).outcome
          assert.match(outcome.imageId ?? "", /^sha256:/)
          assert.strictEqual((yield* images.inspect(tag)).Config?.Labels?.["from"], "outside")
          yield* images.remove(tag, { force: true })
        }))

      it.effect("a RUN --mount=type=secret sees the secrets and leaves no trace in the image or its history", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const value = `s3cr3t-${RUN_ID}`
          const secretFile = path.join(TempDirs.make("dockhand-secret-"), "token")
          fs.writeFileSync(secretFile, `file-${value}`)
          process.env["DOCKHAND_TEST_SECRET"] = `env-${value}`
          const dir = contextDir(
            Fx.BUSYBOX_BASE +
              "RUN --mount=type=secret,id=v --mount=type=secret,id=f --mount=type=secret,id=e " +
              "cat /run/secrets/v /run/secrets/f /run/secrets/e | /bin/sh -c 'busybox md5sum'\n"
          )
          const tag = `${REPO}:secret`
          const messages = yield* Fx.sessionBuild(
            {
              context: dir,
              secrets: [
                { id: "v", source: { _tag: "Value", value: Redacted.make(value) } },
                { id: "f", source: { _tag: "File", path: secretFile } },
                { id: "e", source: { _tag: "Env", name: "DOCKHAND_TEST_SECRET" } }
              ]
            },
            { tags: [tag] }
          )
          const { createHash } = yield* Effect.promise(() => import("node:crypto"))
          const digest = createHash("md5").update(`${value}file-${value}env-${value}`).digest("hex")
          const { text } = Fx.traceOutput(messages)
          assert.include(text, digest)
          assert.notInclude(JSON.stringify(messages), value)
          const history = yield* images.history(tag)
          assert.notInclude(JSON.stringify(history), value)
          const saved = yield* Stream.runCollect(images.save([tag]))
          const bytes = Buffer.concat(saved.map((chunk) => Buffer.from(chunk)))
          assert.strictEqual(bytes.indexOf(value), -1)
          yield* images.remove(tag, { force: true })
        }))

      it.effect("a secret the caller does not have fails the step", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const dir = contextDir(
            `${Fx.BUSYBOX_BASE}RUN --mount=type=secret,id=missing,required=true true\n`
          )
          const error = yield* Effect.flip(
            images.build(Stream.empty, { version: "2", networkMode: "none", session: { context: dir } }).outcome
          )
          assert.strictEqual(error.reason._tag, "StreamError")
          assert.include(error.message, "missing")
        }))

      it.effect("a FROM on the htpasswd registry pulls with the credentials the session's auth service gives", () =>
        Effect.gen(function*() {
          const engines = yield* C.engines
          const config = yield* C.tempDir("session-config")
          const password = Redacted.value(engines.registryPassword)
          fs.writeFileSync(
            path.join(config, "config.json"),
            JSON.stringify({
              auths: {
                [engines.registryTls]: { auth: Buffer.from(`${engines.registryUser}:${password}`).toString("base64") }
              }
            })
          )
          const withAuth = yield* Layer.build(
            C.Runtime.layerWith({ host: `unix://${Fx.socket28()}`, configDir: config })
          ).pipe(C.withProcessEnv({ ...C.CLEAN_DOCKER_ENV }))
          const base = `${engines.registryTls}/dockhand-session/${RUN_ID}:base`
          yield* Effect.gen(function*() {
            const images = yield* Images.Images
            yield* images.build(C.buildContext("FROM scratch\nCOPY busybox /bin/sh\n"), { version: "2", tags: [base] })
              .outcome
            yield* images.push(base).outcome
            yield* images.remove(base, { force: true })
            const dir = contextDir(`FROM ${base}\nRUN busybox echo pulled-${RUN_ID}\n`)
            const tag = `${REPO}:from-registry`
            // no X-Registry-Config: the daemon can only get the credentials through the session
            const messages = yield* Fx.sessionBuild({ context: dir }, { tags: [tag], authConfigs: {} })
            assert.include(Fx.traceOutput(messages).text, `pulled-${RUN_ID}`)
            assert.notInclude(JSON.stringify(messages), password)
            yield* images.remove(tag, { force: true })
            yield* images.remove(base, { force: true }).pipe(Effect.ignore)
          }).pipe(Effect.provide(withAuth))
          // the same build without stored credentials: the registry refuses the anonymous pull
          const empty = yield* C.tempDir("session-noauth")
          fs.writeFileSync(path.join(empty, "config.json"), "{}")
          const withoutAuth = yield* Layer.build(
            C.Runtime.layerWith({ host: `unix://${Fx.socket28()}`, configDir: empty })
          ).pipe(C.withProcessEnv({ ...C.CLEAN_DOCKER_ENV }))
          const refused = yield* Effect.flip(
            Effect.gen(function*() {
              const images = yield* Images.Images
              const dir = contextDir(`FROM ${base}\nRUN busybox echo again\n`)
              return yield* images.build(Stream.empty, {
                version: "2",
                networkMode: "none",
                noCache: true,
                pull: true,
                authConfigs: {},
                session: { context: dir }
              }).outcome
            }).pipe(Effect.provide(withoutAuth))
          )
          assert.match(refused.message, /401|[Uu]nauthorized|authoriz/)
        }))

      it.effect("an interrupted build closes its session connection", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const dir = contextDir(`${Fx.BUSYBOX_BASE}RUN busybox sleep 30\n`)
          const before = openFds()
          const running = yield* Deferred.make<void>()
          const fiber = yield* images.build(Stream.empty, {
            version: "2",
            networkMode: "none",
            noCache: true,
            session: { context: dir }
          }).messages.pipe(
            Stream.tap((message) =>
              Fx.traceOutput([message]).names.some((name) => name.startsWith("[2/2] RUN"))
                ? Deferred.succeed(running, undefined)
                : Effect.void
            ),
            Stream.runDrain,
            Effect.forkChild
          )
          yield* Deferred.await(running)
          yield* Fiber.interrupt(fiber)
          // the session's socket is destroyed when the build's scope closes (a 5 s bound, not a timing)
          for (let i = 0; i < 50 && openFds() > before; i++) yield* Effect.sleep("100 millis")
          assert.isAtMost(openFds(), before)
        }), { timeout: 60_000 })
    })
  })
}
