/**
 * A real `ssh-agent` (openssh-client) for the ssh-forwarding engine tests, holding a throwaway ed25519 key made with
 * `ssh-keygen`, in a temp dir removed by `stop`; and a build context whose `RUN --mount=type=ssh` step runs the
 * host's `ssh-add -l` (copied with the shared libraries `ldd` lists, next to busybox as `/bin/sh`) so the step prints
 * the key's fingerprint when it reaches the agent. For the key-file tests: throwaway key files (no agent), and a
 * context whose step also signs through the agent with `ssh-keygen -Y sign` and verifies the signature. The keys
 * themselves are never printed.
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

/** Copies the host's program `name` into `dir` and its shared libraries (as `ldd` lists them) under `root/`. */
const copyTool = (dir: string, name: string) => {
  const tool = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim()
  fs.copyFileSync(tool, path.join(dir, name))
  fs.chmodSync(path.join(dir, name), 0o755)
  const libs = execFileSync("ldd", [tool], { encoding: "utf8" }).match(/\/\S+/g) ?? []
  for (const lib of libs) {
    const target = path.join(dir, "root", lib)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.copyFileSync(lib, target)
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
  fs.mkdirSync(dir, { recursive: true })
  fs.copyFileSync(busybox, path.join(dir, "busybox"))
  fs.chmodSync(path.join(dir, "busybox"), 0o755)
  copyTool(dir, "ssh-add")
  writeDockerfile(dir, ["ssh-add"], `RUN --mount=type=ssh${mount} ${command}`)
}

/** The context's Dockerfile: busybox as `/bin/sh`, the libraries, the `tools` in `/bin`, then the `run` step. */
const writeDockerfile = (dir: string, tools: ReadonlyArray<string>, run: string) =>
  fs.writeFileSync(
    path.join(dir, "Dockerfile"),
    ["FROM scratch", "COPY busybox /bin/sh", "COPY root/ /", ...tools.map((t) => `COPY ${t} /bin/${t}`), run, ""]
      .join("\n")
  )

/** Throwaway private key files made with `ssh-keygen` in a temp dir, removed by `stop`. */
export interface KeyFiles {
  /** An ed25519 key in OpenSSH's format, and an RSA 2048 key as PEM (PKCS#1), in that order. */
  readonly paths: ReadonlyArray<string>
  /** Their public keys, as `ssh-keygen -y` derives them (`type base64 [comment]`). */
  readonly publicKeys: ReadonlyArray<string>
  /** Their `SHA256:…` fingerprints, as `ssh-add -l` shows them. */
  readonly fingerprints: ReadonlyArray<string>
  /** Where they are (the caller may add files of its own). */
  readonly dir: string
  readonly stop: () => void
}

export const keyFiles = (comment: string): KeyFiles => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ssh-keys-"))
  const stop = () => fs.rmSync(dir, { recursive: true, force: true })
  try {
    const paths = [
      [path.join(dir, "id_ed25519"), ["-t", "ed25519"]],
      [path.join(dir, "id_rsa"), ["-t", "rsa", "-b", "2048", "-m", "PEM"]]
    ] as const
    for (const [file, args] of paths) {
      execFileSync("ssh-keygen", ["-q", ...args, "-N", "", "-C", comment, "-f", file], { stdio: "ignore" })
    }
    const publicKeys = paths.map(([file]) =>
      execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim()
    )
    const fingerprints = paths.map(([file]) =>
      /SHA256:\S+/.exec(execFileSync("ssh-keygen", ["-l", "-f", `${file}.pub`], { encoding: "utf8" }))![0]
    )
    return { paths: paths.map(([file]) => file), publicKeys, fingerprints, dir, stop }
  } catch (error) {
    stop()
    throw error
  }
}

/**
 * Writes into `dir` a context whose `RUN --mount=type=ssh<mount>` step lists the agent's keys (`ssh-add -l`), then,
 * for each of `publicKeys`, signs a file through the agent (`ssh-keygen -Y sign` given only the public key) and
 * verifies the signature (`ssh-keygen -Y verify`, printing `Good "file" signature for signer …`): busybox as `sh`,
 * the host's `ssh-add` and `ssh-keygen` with their libraries, an `/etc/passwd` (ssh-keygen looks its user up), the
 * public keys and an allowed-signers file naming them.
 */
export const writeSigningContext = (
  dir: string,
  busybox: string,
  publicKeys: ReadonlyArray<string>,
  mount = ",required=true"
): void => {
  writeContext(dir, busybox, mount)
  copyTool(dir, "ssh-keygen")
  fs.mkdirSync(path.join(dir, "root", "etc"), { recursive: true })
  fs.writeFileSync(path.join(dir, "root", "etc", "passwd"), "root:x:0:0:root:/:/bin/sh\n")
  fs.mkdirSync(path.join(dir, "root", "keys"), { recursive: true })
  publicKeys.forEach((key, i) => fs.writeFileSync(path.join(dir, "root", "keys", `${i}.pub`), `${key}\n`))
  fs.writeFileSync(
    path.join(dir, "root", "keys", "allowed_signers"),
    publicKeys.map((key) => `signer ${key}\n`).join("")
  )
  const sign = publicKeys.map((_, i) =>
    `echo signed > /msg${i} && ssh-keygen -q -Y sign -f /keys/${i}.pub -n file /msg${i} && ` +
    `ssh-keygen -Y verify -f /keys/allowed_signers -I signer -n file -s /msg${i}.sig < /msg${i}`
  )
  writeDockerfile(
    dir,
    ["ssh-add", "ssh-keygen"],
    `RUN --mount=type=ssh${mount} ssh-add -l && ${sign.join(" && ")}`
  )
}
