/**
 * What a command loads of the bundle: the program every command needs comes as one chunk (Node resolves, compiles
 * and links every file on its own), and the code of a lazy module (the build's progress displays and contexts, the
 * completion scripts, the other runtimes' transports) is loaded only by the commands that use it. A preload records,
 * through Node's module hooks, every file of the bundle the process loads; the commands run against a fake daemon.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { buildBundle, oneImageDaemon, root } from "./utils/FakeDaemon.ts"

const node = path.join(root, "node_modules/.bin/node")
const bundle = path.join(root, "packages/cli/dist/dockhand.js")

/** The names of the chunks the lazy modules are bundled into (`[name]-[hash].js`), none loaded by a daemon read. */
const lazyChunks = [
  "BuildContext",
  "BuildkitPlain",
  "BuildkitRawJson",
  "BuildkitTrace",
  "BuildkitTty",
  "Completion",
  "DockerfileExcerpt",
  "GitContext",
  "LocalContext",
  "StdinContext",
  "bun",
  "deno",
  "sessionServer"
]

/** Runs the bundle with `args` and gives its exit code and the bundle's files it loaded, relative to dist/. */
const loaded = (dir: string, args: ReadonlyArray<string>) =>
  new Promise<{ readonly code: number; readonly stdout: string; readonly files: ReadonlyArray<string> }>((resolve) => {
    const record = path.join(dir, "loaded")
    fs.rmSync(record, { force: true })
    execFile(
      node,
      ["--import", path.join(dir, "hooks.mjs"), bundle, ...args],
      {
        env: { ...process.env, DOCKER_HOST: `unix://${path.join(dir, "docker.sock")}`, DOCKER_CONFIG: dir },
        encoding: "utf8",
        timeout: 60_000
      },
      (error, stdout) =>
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
          stdout,
          files: fs.existsSync(record)
            ? fs.readFileSync(record, "utf8").split("\n").filter((line) => line !== "").map((file) =>
              path.relative(path.dirname(bundle), file)
            )
            : []
        })
    )
  })

describe("the files a command loads from the bundle", () => {
  it("a daemon read loads the program as one chunk and no lazy module; `completion` loads its own", async () => {
    buildBundle()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-loading-"))
    const server = await oneImageDaemon(path.join(dir, "docker.sock"))
    try {
      fs.writeFileSync(
        path.join(dir, "hooks.mjs"),
        [
          `import { registerHooks } from "node:module"`,
          `import { appendFileSync } from "node:fs"`,
          `import { fileURLToPath } from "node:url"`,
          `const dist = ${JSON.stringify(path.dirname(bundle) + path.sep)}`,
          `registerHooks({ load(url, context, next) {`,
          `  if (url.startsWith("file:") && fileURLToPath(url).startsWith(dist)) {`,
          `    appendFileSync(${JSON.stringify(path.join(dir, "loaded"))}, fileURLToPath(url) + "\\n")`,
          `  }`,
          `  return next(url, context)`,
          `} })`
        ].join("\n")
      )
      const chunkOf = (file: string) => path.basename(file).replace(/-[A-Z0-9]{8}\.js$/, "")
      for (
        const args of [
          ["image", "ls"],
          ["image", "inspect", "busybox:1.36"],
          ["image", "inspect", "--format", "{{.Id}}", "busybox:1.36"],
          ["images", "-q"]
        ]
      ) {
        const ran = await loaded(dir, args)
        assert.strictEqual(ran.code, 0, `${args.join(" ")}: ${ran.stdout}`)
        assert.include(ran.files, "dockhand.js", args.join(" "))
        const names = ran.files.map(chunkOf)
        assert.deepStrictEqual(names.filter((name) => lazyChunks.includes(name)), [], args.join(" "))
        // dockhand.js and what it shares with the program, the bin, the program, the Node runtime's entry, its code and
        // its transport: 7 files, where there were some 25
        assert.isAtMost(ran.files.length, 7, `${args.join(" ")} loaded ${ran.files.join(", ")}`)
      }
      const completion = await loaded(dir, ["completion", "bash"])
      assert.strictEqual(completion.code, 0)
      assert.include(completion.files.map(chunkOf), "Completion")
      assert.deepStrictEqual(completion.files.map(chunkOf).filter((name) => name === "node"), [])
    } finally {
      server.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)
})
