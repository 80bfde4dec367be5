/**
 * The in-process ssh-agent over private key files (`sshKey` + `sshAgent`), against the real OpenSSH tools: keys
 * made by `ssh-keygen` in a temp dir (ed25519, RSA 2048, ECDSA 256/384/521, in OpenSSH's format, as PEM and as
 * PKCS#8, and protected by a passphrase), their identities checked against `ssh-keygen -y`, and the agent served on
 * a unix socket in the test so that `ssh-add -L` lists the keys and `ssh-keygen -Y sign` (given only the public key,
 * it signs through the agent) makes signatures `ssh-keygen -Y verify` accepts, for every key type.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Bytes from "effect/Bytes"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { execFile, execFileSync } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as SshAgent from "../src/internal/sshAgent.ts"
import * as SshForward from "../src/internal/sshForward.ts"
import * as SshKey from "../src/internal/sshKey.ts"

/** The keys made for the tests: file name → `ssh-keygen` arguments. */
const specs: Record<string, ReadonlyArray<string>> = {
  ed25519: ["-t", "ed25519"],
  rsa: ["-t", "rsa", "-b", "2048"],
  ecdsa256: ["-t", "ecdsa", "-b", "256"],
  ecdsa384: ["-t", "ecdsa", "-b", "384"],
  ecdsa521: ["-t", "ecdsa", "-b", "521"],
  "rsa-pem": ["-t", "rsa", "-b", "2048", "-m", "PEM"],
  "ecdsa256-pem": ["-t", "ecdsa", "-b", "256", "-m", "PEM"],
  "ecdsa384-pem": ["-t", "ecdsa", "-b", "384", "-m", "PEM"],
  "ecdsa521-pem": ["-t", "ecdsa", "-b", "521", "-m", "PEM"],
  "rsa-pkcs8": ["-t", "rsa", "-b", "2048", "-m", "PKCS8"],
  "ecdsa256-pkcs8": ["-t", "ecdsa", "-b", "256", "-m", "PKCS8"]
}

/** Keys written as PEM carry no comment. */
const isPem = (name: string) => name.includes("-")

let dir = ""
const keyPath = (name: string) => path.join(dir, name)

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-ssh-keys-"))
  fs.mkdirSync(path.join(dir, "pub"))
  for (const [name, args] of Object.entries(specs)) {
    execFileSync("ssh-keygen", ["-q", ...args, "-N", "", "-C", `dockhand-${name}`, "-f", keyPath(name)], {
      stdio: "ignore"
    })
    // the public keys alone, so that ssh-keygen -Y sign finds no private key beside them and asks the agent
    fs.copyFileSync(`${keyPath(name)}.pub`, path.join(dir, "pub", `${name}.pub`))
  }
  for (const [name, args] of [["encrypted", ["-t", "ed25519"]], ["encrypted-pem", ["-t", "rsa", "-m", "PEM"]]]) {
    execFileSync("ssh-keygen", ["-q", ...args!, "-N", "a passphrase", "-f", keyPath(name as string)], {
      stdio: "ignore"
    })
  }
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const parsed = (name: string): SshKey.Key => {
  const key = SshKey.parse(fs.readFileSync(keyPath(name)))
  if (Result.isFailure(key)) assert.fail(`${name}: ${key.failure}`)
  return key.success
}

const failure = (bytes: Uint8Array | string) => {
  const key = SshKey.parse(typeof bytes === "string" ? Buffer.from(bytes) : bytes)
  return Result.isFailure(key) ? key.failure : undefined
}

/** `type base64` of a key, as `ssh-keygen -y` and `ssh-add -L` print it before the comment. */
const publicLine = (key: SshKey.Key) => `${key.type} ${Buffer.from(key.blob).toString("base64")}`

/** Runs a program without blocking the event loop (the agent under test answers in this process). */
const run = (file: string, args: ReadonlyArray<string>, env: Record<string, string> = {}, input?: string) =>
  Effect.callback<{ readonly code: number; readonly stdout: string; readonly stderr: string }>((resume) => {
    const child = execFile(
      file,
      [...args],
      { env: { ...process.env, ...env }, encoding: "utf8" },
      (error, o, e) =>
        resume(Effect.succeed({ code: error === null ? 0 : Number(error.code ?? 1), stdout: o, stderr: e }))
    )
    if (input !== undefined) child.stdin?.end(input)
  })

/** The agent over `keys` on a unix socket in the temp dir, closed with the scope. */
const serve = (keys: ReadonlyArray<SshKey.Key>) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly socket: string; readonly server: net.Server }>((resume) => {
      const socket = path.join(dir, `agent-${crypto.randomUUID().slice(0, 8)}.sock`)
      const answer = SshAgent.make(keys)
      const server = net.createServer((connection) => {
        const push = SshForward.makeAgentFramer()
        connection.on("error", () => {})
        connection.on("data", (chunk: Buffer) => {
          const messages = push(chunk)
          if (Result.isFailure(messages)) connection.destroy()
          else for (const message of messages.success) connection.write(answer(message))
        })
      })
      server.listen(socket, () => resume(Effect.succeed({ socket, server })))
    }),
    ({ server }) => Effect.callback<void>((resume) => void server.close(() => resume(Effect.void)))
  )

/** An agent request: the 4-byte length, the type, the body. */
const request = (type: number, ...parts: ReadonlyArray<Uint8Array>) => {
  const body = Bytes.concat(parts)
  return Bytes.concat([SshKey.uint32(body.byteLength + 1), new Uint8Array([type]), body])
}

describe("private key files", () => {
  it("reads every key type in OpenSSH's format, PEM and PKCS#8 with the public key ssh-keygen -y derives", () => {
    for (const name of Object.keys(specs)) {
      const key = parsed(name)
      const derived = execFileSync("ssh-keygen", ["-y", "-f", keyPath(name)], { encoding: "utf8" }).trim()
      assert.strictEqual(
        `${publicLine(key)}${key.comment === "" ? "" : ` ${key.comment}`}`,
        derived.split(" ").slice(0, isPem(name) ? 2 : 3).join(" "),
        name
      )
      assert.strictEqual(key.comment, isPem(name) ? "" : `dockhand-${name}`, name)
    }
  })

  it("refuses a key protected by a passphrase, and anything else that is no key, in Go's words", () => {
    assert.strictEqual(failure(fs.readFileSync(keyPath("encrypted"))), SshKey.passphraseProtected)
    assert.strictEqual(failure(fs.readFileSync(keyPath("encrypted-pem"))), SshKey.passphraseProtected)
    const pkcs8 = crypto.generateKeyPairSync("ed25519").privateKey.export({
      format: "pem",
      type: "pkcs8",
      cipher: "aes-256-cbc",
      passphrase: "x"
    })
    assert.strictEqual(failure(pkcs8.toString()), SshKey.passphraseProtected)
    assert.strictEqual(failure("not a key\n"), "ssh: no key found")
    assert.strictEqual(failure(fs.readFileSync(`${keyPath("ed25519")}.pub`)), "ssh: no key found")
    assert.strictEqual(
      failure("-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n"),
      "ssh: unsupported key type \"DSA PRIVATE KEY\""
    )
    const x25519 = crypto.generateKeyPairSync("x25519").privateKey.export({ format: "pem", type: "pkcs8" })
    assert.strictEqual(failure(x25519.toString()), "ssh: unsupported key type x25519")
    const garbled = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90LWEta2V5\n-----END OPENSSH PRIVATE KEY-----\n"
    assert.strictEqual(failure(garbled), "ssh: invalid openssh private key format")
    // a block whose base64 does not decode is no key at all, as Go's pem.Decode sees it
    assert.strictEqual(failure(garbled.replace("bm90LWEta2V5", "not-a-real-key")), "ssh: no key found")
    // a key cut short: malformed, and the message shows none of the file's bytes
    const text = fs.readFileSync(keyPath("ed25519"), "utf8")
    const lines = text.trim().split("\n")
    const cut = [...lines.slice(0, 3), lines.at(-1)!].join("\n")
    const message = failure(cut)
    assert.isDefined(message)
    for (const line of lines.slice(1, -1)) assert.notInclude(message!, line.slice(0, 16))
  })

  it("signs as OpenSSH asks: RSA by the flags (SHA-256, SHA-512, else SHA-1), ECDSA as two mpints", () => {
    const data = new TextEncoder().encode("data to sign")
    const rsa = parsed("rsa")
    const publicKey = crypto.createPublicKey(rsa.privateKey)
    for (
      const [flags, name, hash] of [
        [SshKey.rsaSha256, "rsa-sha2-256", "sha256"],
        [SshKey.rsaSha512, "rsa-sha2-512", "sha512"],
        [SshKey.rsaSha256 | SshKey.rsaSha512, "rsa-sha2-256", "sha256"],
        [0, "ssh-rsa", "sha1"]
      ] as const
    ) {
      const signature = SshKey.reader(SshKey.sign(rsa, data, flags))
      assert.strictEqual(new TextDecoder().decode(signature.string()), name)
      assert.isTrue(crypto.verify(hash, data, publicKey, signature.string()), name)
    }
    const ec = parsed("ecdsa384")
    const signature = SshKey.reader(SshKey.sign(ec, data, SshKey.rsaSha512))
    assert.strictEqual(new TextDecoder().decode(signature.string()), "ecdsa-sha2-nistp384")
    const rs = SshKey.reader(signature.string())
    const [r, s] = [rs.mpint(), rs.mpint()]
    const p1363 = Buffer.concat([Buffer.alloc(48 - r.byteLength), r, Buffer.alloc(48 - s.byteLength), s])
    assert.isTrue(
      crypto.verify("sha384", data, { key: crypto.createPublicKey(ec.privateKey), dsaEncoding: "ieee-p1363" }, p1363)
    )
  })
})

describe("the in-process agent", () => {
  it.effect("ssh-add -L lists every key as ssh-keygen -y derives it", () =>
    Effect.scoped(Effect.gen(function*() {
      const names = Object.keys(specs)
      const agent = yield* serve(names.map(parsed))
      const listed = yield* run("ssh-add", ["-L"], { SSH_AUTH_SOCK: agent.socket })
      assert.strictEqual(listed.code, 0, listed.stderr)
      const lines = listed.stdout.trim().split("\n")
      assert.strictEqual(lines.length, names.length)
      names.forEach((name, i) => {
        const derived = execFileSync("ssh-keygen", ["-y", "-f", keyPath(name)], { encoding: "utf8" }).trim()
        assert.strictEqual(lines[i]!.split(" ").slice(0, 2).join(" "), derived.split(" ").slice(0, 2).join(" "), name)
        if (!isPem(name)) assert.strictEqual(lines[i], derived, name)
      })
    })))

  it.effect("ssh-keygen -Y sign through the agent makes signatures ssh-keygen -Y verify accepts, every key type", () =>
    Effect.scoped(Effect.gen(function*() {
      const names = Object.keys(specs)
      const agent = yield* serve(names.map(parsed))
      const message = path.join(dir, "message.txt")
      fs.writeFileSync(message, "signed through the in-process agent\n")
      for (const name of names) {
        const pub = path.join(dir, "pub", `${name}.pub`)
        fs.rmSync(`${message}.sig`, { force: true })
        const signed = yield* run("ssh-keygen", ["-Y", "sign", "-f", pub, "-n", "file", message], {
          SSH_AUTH_SOCK: agent.socket
        })
        assert.strictEqual(signed.code, 0, `${name}: ${signed.stderr}`)
        const signers = path.join(dir, "allowed_signers")
        fs.writeFileSync(signers, `signer@dockhand ${fs.readFileSync(pub, "utf8")}`)
        const verified = yield* run(
          "ssh-keygen",
          ["-Y", "verify", "-f", signers, "-I", "signer@dockhand", "-n", "file", "-s", `${message}.sig`],
          {},
          fs.readFileSync(message, "utf8")
        )
        assert.strictEqual(verified.code, 0, `${name}: ${verified.stdout}${verified.stderr}`)
        assert.include(verified.stdout, "Good \"file\" signature for signer@dockhand", name)
        if (name === "rsa") {
          // ssh-keygen -Y signs RSA with SHA-512: the agent was asked for rsa-sha2-512 and answered with it
          const armored = fs.readFileSync(`${message}.sig`, "utf8").split("\n").filter((l) => !l.startsWith("-"))
          assert.include(Buffer.from(armored.join(""), "base64").toString("latin1"), "rsa-sha2-512")
        }
      }
    })))

  it.effect("is read-only: ssh-add of a key, ssh-add -D, lock and a key it does not hold fail; the keys stay", () =>
    Effect.scoped(Effect.gen(function*() {
      const agent = yield* serve([parsed("ed25519")])
      const env = { SSH_AUTH_SOCK: agent.socket }
      const added = yield* run("ssh-add", [keyPath("ecdsa256")], env)
      assert.notStrictEqual(added.code, 0)
      const removed = yield* run("ssh-add", ["-D"], env)
      assert.notStrictEqual(removed.code, 0)
      const listed = yield* run("ssh-add", ["-L"], env)
      assert.strictEqual(listed.stdout.trim().split("\n").length, 1)
      assert.include(listed.stdout, "dockhand-ed25519")
      // signing with a key it does not hold, a malformed sign request, lock and an unknown type: SSH_AGENT_FAILURE
      const answer = SshAgent.make([parsed("ed25519")])
      const other = parsed("rsa")
      const data = SshKey.sshString("x")
      for (
        const message of [
          request(SshAgent.message.signRequest, SshKey.sshString(other.blob), data, SshKey.uint32(0)),
          request(SshAgent.message.signRequest, SshKey.sshString(parsed("ed25519").blob)),
          request(22, SshKey.sshString("passphrase")),
          request(200)
        ]
      ) {
        assert.deepStrictEqual(answer(message), SshAgent.failure)
      }
    })))
})
