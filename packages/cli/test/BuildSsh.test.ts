import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Ssh from "../src/internal/build/Ssh.ts"

const env = (vars: Record<string, string>) => (name: string) => vars[name]
/** `/s*` are sockets, `/k*` plain files, anything else missing. */
const stat: Ssh.StatOf = (path) =>
  path.startsWith("/s") ? { socket: true } : path.startsWith("/k") ? { socket: false } : (
    `stat ${path}: no such file or directory`
  )

const failure = (values: ReadonlyArray<string>, vars: Record<string, string> = {}) => {
  const parsed = Ssh.parse(values, env(vars), stat)
  return Result.isFailure(parsed) ? parsed.failure : undefined
}

describe("--ssh as buildx parses it", () => {
  it("reads id[=socket]: no id is default, no socket (or an empty one) is SSH_AUTH_SOCK, empty values skipped", () => {
    const parsed = Ssh.parse(["default", "", "a=/s1"], env({ SSH_AUTH_SOCK: "/sa" }), stat)
    assert.deepStrictEqual(Result.getOrUndefined(parsed), [
      { id: "default", socket: "/sa" },
      { id: "a", socket: "/s1" }
    ])
    assert.deepStrictEqual(Result.getOrUndefined(Ssh.parse(["=/s2", "b="], env({ SSH_AUTH_SOCK: "/sa" }), stat)), [
      { id: "default", socket: "/s2" },
      { id: "b", socket: "/sa" }
    ])
  })

  it("fails with buildx's texts", () => {
    assert.strictEqual(
      failure(["default"]),
      "failed to convert agent config {default [] false}: invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set"
    )
    assert.strictEqual(
      failure(["a=,,"], { SSH_AUTH_SOCK: "/sa" }),
      "failed to convert agent config {a [  ] false}: invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set"
    )
    assert.strictEqual(
      failure(["default=/nonexist"]),
      "failed to convert agent config {default [/nonexist] false}: failed to convert agent config for ID: " +
        "\"default\": stat /nonexist: no such file or directory"
    )
    assert.strictEqual(
      failure(["a=/s1,/k1"]),
      "failed to convert agent config {a [/s1 /k1] false}: failed to convert agent config for ID: \"a\": " +
        "only single socket allowed"
    )
    assert.strictEqual(failure(["a=/s1", "a=/s2"]), "duplicate agent ID \"a\"")
    assert.strictEqual(failure(["=/s1", "default=/s2"]), "duplicate agent ID \"default\"")
  })

  it("takes key files as buildx does: several per id, not mixed with a socket, each checked in order", () => {
    assert.deepStrictEqual(Result.getOrUndefined(Ssh.parse(["default=/k1,/k2", "s=/s1"], env({}), stat)), [
      { id: "default", keys: ["/k1", "/k2"] },
      { id: "s", socket: "/s1" }
    ])
    assert.strictEqual(
      failure(["a=/k1,/s1"]),
      "failed to convert agent config {a [/k1 /s1] false}: failed to convert agent config for ID: \"a\": " +
        "invalid combination of keys and sockets"
    )
    // a key file that cannot be served: its text from stat, and the paths after it are not looked at
    const keyStat: Ssh.StatOf = (path) =>
      path === "/bad" ? { socket: false, keyError: "failed to parse /bad: ssh: no key found" } : stat(path)
    const parsed = Ssh.parse(["a=/k1,/bad,/missing"], env({}), keyStat)
    assert.strictEqual(
      Result.isFailure(parsed) ? parsed.failure : undefined,
      "failed to convert agent config {a [/k1 /bad /missing] false}: failed to convert agent config for ID: \"a\": " +
        "failed to parse /bad: ssh: no key found"
    )
  })

  it("words a key file that cannot be served as buildx, never showing the key", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ssh-cli-"))
    try {
      const key = path.join(dir, "id_ed25519")
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key], { stdio: "ignore" })
      assert.isUndefined(Ssh.keyFileError(key))
      const pem = path.join(dir, "id_rsa")
      execFileSync("ssh-keygen", ["-q", "-t", "rsa", "-m", "PEM", "-N", "", "-f", pem], { stdio: "ignore" })
      assert.isUndefined(Ssh.keyFileError(pem))
      const encrypted = path.join(dir, "id_enc")
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret", "-f", encrypted], { stdio: "ignore" })
      assert.strictEqual(
        Ssh.keyFileError(encrypted),
        `failed to parse ${encrypted}: ssh: this private key is passphrase protected (dockhand asks for no ` +
          "passphrase: load the key into an ssh-agent with ssh-add and forward the agent's socket)"
      )
      const garbage = path.join(dir, "garbage")
      fs.writeFileSync(garbage, "not-a-real-key\n")
      assert.strictEqual(Ssh.keyFileError(garbage), `failed to parse ${garbage}: ssh: no key found`)
      assert.strictEqual(
        Ssh.keyFileError(path.join(dir, "none")),
        `failed to open ${path.join(dir, "none")}: open ${path.join(dir, "none")}: no such file or directory`
      )
      assert.strictEqual(Ssh.keyFileError(dir), `failed to read ${dir}: read ${dir}: is a directory`)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
