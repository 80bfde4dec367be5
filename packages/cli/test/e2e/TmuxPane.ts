/**
 * A real terminal for the e2e tests: a command run in a fresh 160×40 tmux pane on a private tmux server, for what
 * docker and dockhand draw only on a terminal (progress bars redrawn in place, BuildKit's live view, escaped text).
 */
import { assert } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import type * as Harness from "./Harness.ts"

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`

/**
 * What a command left in a terminal: the final screen (lines trimmed, blank lines at the end dropped), its lines
 * without the blank ones, the bytes written to the pane, and the exit code.
 */
export interface Screen {
  readonly screen: string
  readonly lines: ReadonlyArray<string>
  readonly raw: string
  readonly code: number
}

/**
 * Runs a command in the world's environment in a fresh 160×40 tmux pane (a private tmux server, killed after): the
 * final screen, the raw bytes written to the pane (`pipe-pane`) and the exit code. Needs tmux
 * (`scripts/engines/install.sh` installs it); fails when it is missing or the command does not finish in 90 s.
 * With `interruptWhen`, Ctrl-C is typed into the pane (SIGINT to its foreground processes, as a user does) once the
 * bytes written to the pane match it.
 */
export const inTerminal = async (
  world: Harness.World,
  name: string,
  command: ReadonlyArray<string>,
  size: { readonly columns: number; readonly rows: number } = { columns: 160, rows: 40 },
  interruptWhen?: RegExp
): Promise<Screen> => {
  const dir = fs.mkdtempSync(path.join(world.dir, `tty-${name}-`))
  const go = path.join(dir, "go")
  const done = path.join(dir, "done")
  const raw = path.join(dir, "raw")
  const script = path.join(dir, "run.sh")
  fs.writeFileSync(
    script,
    [
      "#!/bin/sh",
      ...Object.entries(world.env).map(([key, value]) => `export ${key}=${quote(value)}`),
      `cd ${quote(world.dir)}`,
      `while [ ! -e ${quote(go)} ]; do sleep 0.05; done`,
      // Ctrl-C reaches this shell too: it waits for the command's exit code (the command keeps its own handling)
      ...(interruptWhen === undefined ? [] : ["trap : INT"]),
      command.map(quote).join(" "),
      `echo $? > ${quote(done)}`,
      "sleep 120",
      ""
    ].join("\n"),
    { mode: 0o755 }
  )
  const socket = `dockhand-e2e-${world.runId}-${name}-${randomBytes(3).toString("hex")}`
  const tmux = (...args: Array<string>) => {
    const result = spawnSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" })
    if (result.error !== undefined) {
      throw new Error(`tmux is needed (scripts/engines/install.sh installs it): ${result.error.message}`)
    }
    return result
  }
  const started = tmux("new-session", "-d", "-s", "s", "-x", String(size.columns), "-y", String(size.rows), script)
  assert.strictEqual(started.status, 0, started.stderr)
  try {
    assert.strictEqual(tmux("pipe-pane", "-t", "s", "-o", `cat >> ${quote(raw)}`).status, 0)
    fs.writeFileSync(go, "")
    const deadline = Date.now() + 90_000
    let interrupt = interruptWhen
    while (!fs.existsSync(done) || fs.readFileSync(done, "utf8") === "") {
      if (Date.now() > deadline) throw new Error(`${command.join(" ")} did not finish in a terminal`)
      if (interrupt !== undefined && fs.existsSync(raw) && interrupt.test(fs.readFileSync(raw, "latin1"))) {
        assert.strictEqual(tmux("send-keys", "-t", "s", "C-c").status, 0)
        interrupt = undefined
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await new Promise((resolve) => setTimeout(resolve, 300)) // let tmux draw the last bytes
    const screen = tmux("capture-pane", "-p", "-t", "s")
    assert.strictEqual(screen.status, 0, screen.stderr)
    const lines = screen.stdout.split("\n").map((line) => line.trimEnd())
    return {
      screen: lines.join("\n").replace(/\n+$/, "\n"),
      lines: lines.filter((line) => line !== ""),
      raw: fs.readFileSync(raw, "latin1"),
      code: Number(fs.readFileSync(done, "utf8").trim())
    }
  } finally {
    tmux("kill-server")
  }
}
