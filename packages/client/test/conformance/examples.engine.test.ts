/**
 * The programs of `examples/` (the repository root), each run as a child process by the runtime under test
 * (`process.execPath`: Node, Bun, or Deno with `run -A`) against the private Docker Engine (`DOCKHAND_DOCKER_SOCK`:
 * 20.10, or 28.5 in the second pass), as a user runs them. They import the built packages (each package's `dist`,
 * made by `tsc -b`), as a user's project does. Each program's output is checked against what the engine then holds:
 *
 * - build.ts builds a context directory with the builder the engine prefers and tags it twice;
 * - list.ts lists by label and by reference filter;
 * - save-load.ts writes a tar file and loads it back;
 * - platforms.ts prints the single platform, or on 28.5 the manifests of a multi-platform index;
 * - copy.ts pipes the engine's save into Podman's load (`DOCKHAND_PODMAN_SOCK`);
 * - pull.ts pulls from the loopback registry (`DOCKHAND_REGISTRY`) with docker's progress lines.
 *
 * Everything is named `dockhand-examples/<run id>` and labelled `dockhand.test=<run id>`, removed at the end on both
 * engines. Missing engines fail every test (never skip).
 */
import { assert, describe, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { fileURLToPath } from "node:url"
import * as Images from "../../src/Images.ts"
import * as C from "./Conformance.ts"
import * as F28 from "./Fixtures28.ts"

const RUN_ID = C.makeRunId()
const NAME = `dockhand-examples/${RUN_ID}`
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url))
const ARCH = process.arch === "arm64" ? "arm64" : "amd64"
const ENGINE = C.engineKind()

interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `examples/<name>.ts` with this runtime, `DOCKER_HOST` at the engine and an empty `DOCKER_CONFIG`. */
const example = (name: string, args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const engines = yield* C.engines
    const dist = nodePath.join(ROOT, "packages/client/dist/index.js")
    if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: the examples import the built packages (tsc -b)`)
    const config = fs.mkdtempSync(nodePath.join(os.tmpdir(), "dockhand-examples-config-"))
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !(key in C.CLEAN_DOCKER_ENV)) env[key] = value
    }
    const script = nodePath.join(ROOT, "examples", `${name}.ts`)
    const argv = C.entryName === "deno" ? ["run", "-A", script, ...args] : [script, ...args]
    const result = spawnSync(process.execPath, argv, {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...env, DOCKER_HOST: `unix://${engines.dockerSock}`, DOCKER_CONFIG: config }
    })
    fs.rmSync(config, { recursive: true, force: true })
    const run: Run = { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" }
    return run
  })

/** Runs an example that must succeed; its stdout lines. */
const exampleOk = (name: string, args: ReadonlyArray<string>) =>
  Effect.map(example(name, args), (run) => {
    assert.strictEqual(run.status, 0, `${name}.ts ${args.join(" ")} failed:\n${run.stdout}\n${run.stderr}`)
    return run.stdout.trimEnd().split("\n")
  })

let builtId = ""
let configId = ""

const services = Layer.mergeAll(
  Layer.provideMerge(C.sweeperLayer(RUN_ID, "examples"), C.dockerLayer),
  C.podmanCleanupLayer(RUN_ID)
)

// unnamed: a layer that cannot be built (engines missing) fails every test instead of skipping them
describe("examples/ on the engine", () =>
  layer(services, { excludeTestServices: true })((it) => {
    describe("build.ts", () => {
      it.effect("builds a directory with the engine's builder and tags it twice", () =>
        Effect.gen(function*() {
          const images = yield* Images.Images
          const dir = yield* C.tempDir("examples-ctx")
          fs.copyFileSync(C.BUSYBOX_PATH, nodePath.join(dir, "busybox"))
          fs.mkdirSync(nodePath.join(dir, "etc"))
          fs.writeFileSync(nodePath.join(dir, "etc", "run"), `${RUN_ID}\n`)
          fs.writeFileSync(
            nodePath.join(dir, "Dockerfile"),
            `FROM scratch\nCOPY busybox /bin/busybox\nCOPY etc /etc\nLABEL ${C.runLabel(RUN_ID)}\n`
          )
          const lines = yield* exampleOk("build", [dir, `${NAME}:v1`, `${NAME}:v2`])
          const builder = ENGINE === "docker28" ? "BuildKit" : "the classic builder"
          assert.deepStrictEqual(lines, [`built ${NAME}:v1, ${NAME}:v2 with ${builder}`, lines[1]])
          const image = yield* images.inspect(`${NAME}:v2`)
          assert.strictEqual(lines[1], image.Id)
          assert.deepStrictEqual([...(image.RepoTags ?? [])].sort(), [`${NAME}:v1`, `${NAME}:v2`])
          assert.strictEqual(image.Config?.Labels?.["dockhand.test"], RUN_ID)
          builtId = image.Id
        }).pipe(Effect.scoped))
    })

    describe("list.ts", () => {
      it.effect("lists by label and by reference, and refuses a wrong flag", () =>
        Effect.gen(function*() {
          const row = `${builtId}\t${NAME}:v1,${NAME}:v2`
          const byLabel = yield* exampleOk("list", ["--label", C.runLabel(RUN_ID)])
          assert.strictEqual(byLabel.length, 2)
          assert.deepStrictEqual(byLabel[0]?.split("\t")[0], builtId)
          assert.deepStrictEqual(byLabel[0]?.split("\t")[1]?.split(",").sort(), [`${NAME}:v1`, `${NAME}:v2`])
          assert.strictEqual(byLabel[1], "1 image(s)")
          const both = yield* exampleOk("list", ["--reference", `${NAME}:v1`, "--label", "dockhand.test"])
          assert.strictEqual(both.at(-1), "1 image(s)")
          assert.strictEqual(both[0]?.split("\t")[0], row.split("\t")[0])
          const none = yield* exampleOk("list", ["--label", `dockhand.test=${RUN_ID}-none`])
          assert.deepStrictEqual(none, ["0 image(s)"])
          const wrong = yield* example("list", ["--size"])
          assert.strictEqual(wrong.status, 1)
          assert.include(wrong.stderr, "error: usage: list.ts")
        }))
    })

    describe("save-load.ts", () => {
      it.effect("saves to a file and loads it back", () =>
        Effect.gen(function*() {
          const dir = yield* C.tempDir("examples-save")
          const file = nodePath.join(dir, "images.tar")
          const lines = yield* exampleOk("save-load", [file, `${NAME}:v1`])
          const bytes = fs.readFileSync(file)
          assert.deepStrictEqual(lines, [
            `saved ${NAME}:v1 to ${file} (${bytes.length} bytes)`,
            `Loaded image: ${NAME}:v1`
          ])
          const saved = yield* C.readSavedTar(bytes)
          const manifest = saved.manifest
          assert.deepStrictEqual(manifest[0]?.RepoTags, [`${NAME}:v1`])
          configId = `sha256:${nodePath.basename(manifest[0]?.Config ?? "").replace(/\.json$/, "")}`
          if (ENGINE === "docker20") assert.strictEqual(configId, builtId)
          const images = yield* Images.Images
          assert.strictEqual((yield* images.inspect(`${NAME}:v1`)).Id, builtId)
          const missing = yield* example("save-load", [nodePath.join(dir, "x.tar"), `${NAME}:nope`])
          assert.strictEqual(missing.status, 1)
          assert.match(missing.stderr, /^error \(NotFound\): Error response from daemon: /)
        }).pipe(Effect.scoped))
    })

    describe("platforms.ts", () => {
      it.effect("prints the image's platform, or a multi-platform image's manifests", () =>
        Effect.gen(function*() {
          const lines = yield* exampleOk("platforms", [`${NAME}:v1`])
          assert.deepStrictEqual(
            lines,
            ENGINE === "docker28" ? [`linux/${ARCH}\t${builtId}\tavailable`] : [`linux/${ARCH}\t${builtId}`]
          )
          if (ENGINE === "docker28") {
            const fixtures = yield* F28.ensureFixtures()
            const multi = yield* exampleOk("platforms", [fixtures.multi])
            const names = multi.map((line) => line.split("\t")[0]).sort()
            assert.deepStrictEqual(names, ["(attestation)", "(attestation)", "linux/amd64", "linux/arm64"])
            for (const line of multi) assert.match(line, /\tsha256:[0-9a-f]{64}\tavailable$/)
          }
          const missing = yield* example("platforms", [`${NAME}:nope`])
          assert.strictEqual(missing.status, 1)
          assert.include(missing.stderr, "error (NotFound)")
        }))
    })

    describe("copy.ts", () => {
      it.effect("pipes the engine's save into Podman's load", () =>
        Effect.gen(function*() {
          const engines = yield* C.engines
          const lines = yield* exampleOk("copy", ["--to", `unix://${engines.podmanSock}`, `${NAME}:v1`])
          assert.deepStrictEqual(lines, [`${NAME}:v1\t${configId}`])
          const copied = yield* Effect.gen(function*() {
            return yield* (yield* Images.Images).inspect(configId)
          }).pipe(Effect.provide(C.podmanLayer))
          const source = yield* (yield* Images.Images).inspect(`${NAME}:v1`)
          assert.deepStrictEqual(copied.RootFS.Layers, source.RootFS.Layers)
          assert.strictEqual(copied.Config?.Labels?.["dockhand.test"], RUN_ID)
          const usage = yield* example("copy", [`${NAME}:v1`])
          assert.strictEqual(usage.status, 1)
          assert.include(usage.stderr, "usage: copy.ts --to")
        }))
    })

    describe("pull.ts", () => {
      it.effect("pulls from the loopback registry with docker's progress lines", () =>
        Effect.gen(function*() {
          const engines = yield* C.engines
          const images = yield* Images.Images
          const remote = `${engines.registry}/${NAME}:v1`
          yield* images.tag(`${NAME}:v1`, remote)
          yield* images.push(remote).outcome
          yield* images.remove(remote)
          const lines = yield* exampleOk("pull", [remote])
          assert.strictEqual(lines[0], `v1: Pulling from ${NAME}`)
          assert.include(lines, `Status: Downloaded newer image for ${remote}`)
          const digest = lines.find((line) => line.startsWith("Digest: "))?.slice("Digest: ".length) ?? ""
          assert.match(digest, /^sha256:[0-9a-f]{64}$/)
          const pulled = yield* images.inspect(remote)
          assert.strictEqual(lines.at(-1), `pulled ${remote} (downloaded, ${digest}): ${pulled.Id}`)
          assert.strictEqual(pulled.Id, builtId)
        }))
    })
  }))
