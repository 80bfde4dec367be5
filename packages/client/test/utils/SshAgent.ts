/**
 * A real `ssh-agent` (openssh-client) for the ssh-forwarding engine tests, holding a throwaway ed25519 key made with
 * `ssh-keygen`, in a temp dir removed by `stop`; and a build context whose `RUN --mount=type=ssh` step runs the
 * host's `ssh-add -l` (copied with the shared libraries `ldd` lists, next to busybox as `/bin/sh`) so the step prints
 * the key's fingerprint when it reaches the agent. The key itself is never printed.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

export interface Agent {
  /** The agent's socket. */
  readonly socket: string
  /** `256 SHA256:… <comment> (ED25519)`, as `ssh-add -l` prints the key. */
  readonly fingerprint: string
  /** Kills the agent (by its pid) and removes the temp dir with the key. */
  readonly stop: () => void
}

export const start = (comment: string): Agent => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ssh-agent-"))
  const socket = path.join(dir, "agent.sock")
  const out = execFileSync("ssh-agent", ["-s", "-a", socket], { encoding: "utf8" })
  const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)?.[1] ?? 0)
  const stop = () => {
    if (pid > 0) {
      try {
        process.kill(pid)
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  try {
    const key = path.join(dir, "id_ed25519")
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key], { stdio: "ignore" })
    execFileSync("ssh-add", [key], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: "ignore" })
    const fingerprint = execFileSync("ssh-keygen", ["-l", "-f", `${key}.pub`], { encoding: "utf8" }).trim()
    return { socket, fingerprint, stop }
  } catch (error) {
    stop()
    throw error
  }
}

/**
 * Writes into `dir` busybox as `busybox`, the host's `ssh-add` and its shared libraries under `root/`, and a
 * Dockerfile whose last step is `RUN --mount=type=ssh<mount> <command>` (`ssh-add -l` by default).
 */
export const writeContext = (
  dir: string,
  busybox: string,
  mount = ",required=true",
  command = "ssh-add -l"
): void => {
  const sshAdd = execFileSync("sh", ["-c", "command -v ssh-add"], { encoding: "utf8" }).trim()
  fs.mkdirSync(dir, { recursive: true })
  fs.copyFileSync(busybox, path.join(dir, "busybox"))
  fs.chmodSync(path.join(dir, "busybox"), 0o755)
  fs.copyFileSync(sshAdd, path.join(dir, "ssh-add"))
  fs.chmodSync(path.join(dir, "ssh-add"), 0o755)
  const libs = execFileSync("ldd", [sshAdd], { encoding: "utf8" }).match(/\/\S+/g) ?? []
  for (const lib of libs) {
    const target = path.join(dir, "root", lib)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.copyFileSync(lib, target)
  }
  fs.writeFileSync(
    path.join(dir, "Dockerfile"),
    [
      "FROM scratch",
      "COPY busybox /bin/sh",
      "COPY root/ /",
      "COPY ssh-add /bin/ssh-add",
      `RUN --mount=type=ssh${mount} ${command}`,
      ""
    ].join("\n")
  )
}
