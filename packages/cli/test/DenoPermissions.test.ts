/**
 * The README's Deno command works as written: its exact `deno run --allow-…` line runs the README's `main.ts`
 * (through `@dockhand/client/deno`, as the README says to pick the runtime's entry) and the bundled `dockhand`,
 * with no `--allow-sys` (the home directory comes from `HOME`), against a fake daemon on a unix socket. The README's
 * `deno install` line for the CLI must carry the same permissions.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { buildBundle, oneImageDaemon, root } from "./utils/FakeDaemon.ts"

const bin = path.join(root, "node_modules/.bin")
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")

/** The README's `main.ts`: the ```ts block that starts with `// main.ts`. */
const mainTs = /```ts\n(\/\/ main\.ts[^]*?)```/.exec(readme)?.[1]
/** The permission flags of the README's `deno run … main.ts` line. */
const runLine = /^deno run ((?:--allow-[a-z]+ )+)main\.ts$/m.exec(readme)
/** The permission flags of the README's `deno install … npm:@dockhand/cli` line. */
const installLine = /^deno install -g -n dockhand ((?:--allow-[a-z]+ )+)npm:@dockhand\/cli$/m.exec(readme)

/** Runs a command without blocking this process, whose fake daemon must answer meanwhile. */
const run = (file: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      file,
      [...args],
      { cwd, env, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr })
    )
  })

describe("the README's Deno permissions", () => {
  it("the README has main.ts, its deno run line and the CLI's deno install line, with the same flags", () => {
    assert.isDefined(mainTs)
    assert.isNotNull(runLine)
    assert.isNotNull(installLine)
    assert.strictEqual(installLine?.[1], runLine?.[1])
    assert.notInclude(runLine?.[1] ?? "", "--allow-sys")
  })

  it("run main.ts and dockhand image ls on Deno, with no sys permission", async () => {
    buildBundle()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-deno-"))
    const server = await oneImageDaemon(path.join(dir, "docker.sock"))
    try {
      // A project as a user has it: a package.json and the packages in node_modules (the repo's, built).
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }))
      fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"))
      fs.writeFileSync(
        path.join(dir, "main.ts"),
        (mainTs ?? "").replace("@dockhand/client/node", "@dockhand/client/deno")
      )
      fs.mkdirSync(path.join(dir, "home"))
      const env = {
        PATH: process.env["PATH"] ?? "",
        HOME: path.join(dir, "home"),
        DENO_DIR: path.join(dir, "deno"),
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
        DOCKER_HOST: `unix://${path.join(dir, "docker.sock")}`
      }
      const flags = (runLine?.[1] ?? "").trim().split(" ")

      const main = await run(path.join(bin, "deno"), ["run", ...flags, "main.ts"], dir, env)
      assert.strictEqual(main.code, 0, main.stderr)
      assert.strictEqual(main.stdout, "1 images\nbusybox:latest: not here\n")

      const cli = path.join(root, "packages/cli/dist/dockhand.js")
      const ls = await run(path.join(bin, "deno"), ["run", ...flags, cli, "image", "ls"], dir, env)
      assert.strictEqual(ls.code, 0, ls.stderr)
      assert.match(ls.stdout, /^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\nbusybox +1\.36 +aaaaaaaaaaaa /)
    } finally {
      server.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)
})
