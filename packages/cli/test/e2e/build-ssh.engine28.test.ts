/**
 * `build --ssh` on Docker Engine 28.5, side by side with `docker build --ssh` (docker CLI 28.5 and buildx 0.29 on
 * the same engine, `--progress=plain`): a `RUN --mount=type=ssh` step runs the host's `ssh-add -l` (copied into the
 * `FROM scratch` image with its shared libraries) against a real `ssh-agent` the test starts with a throwaway key in
 * a temp dir; both list the same key, by `default` (`SSH_AUTH_SOCK`) and by a named id with its socket. A required
 * mount of an id not forwarded fails on both sides alike; the `--ssh` values buildx refuses before the build are
 * refused with its texts. Key files (`--ssh id=key,key`), which buildx loads into an agent of its own, are served by
 * dockhand's in-process agent: the step lists the keys and signs with each through the agent on both sides; the key
 * files buildx refuses are refused with its texts, never showing the key. On Bun a build with `--ssh` fails with the
 * session's `WrongRuntime` message.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as SshAgent from "../../../client/test/utils/SshAgent.ts"
import * as Harness from "./Harness.ts"

let world: Harness.World
let agent: SshAgent.Agent | undefined

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    const base = Harness.makeWorld28("build-ssh")
    // DOCKER_BUILDKIT unset (empty) on both sides: both pick BuildKit from the daemon's ping
    world = { ...base, env: { ...base.env, DOCKER_BUILDKIT: "" } }
    agent = SshAgent.start(`dockhand-e2e-${world.runId}`)
  })
)
beforeEach(setup.check)
afterAll(async () => {
  agent?.stop()
  if (world !== undefined) await Harness.cleanWorld(world)
})

/** A context whose Dockerfile ends in `RUN --mount=type=ssh<mount> ssh-add -l`. */
const sshContext = (name: string, mount?: string) => {
  const dir = Harness.writeTree(world, name, {})
  SshAgent.writeContext(dir, Harness.BUSYBOX, mount)
  return dir
}

/** The Dockerfile's own step blocks of a plain progress view, renumbered, times masked. */
const steps = (stderr: string): Array<string> =>
  stderr.split("\n------\n")[0]!.split("\n\n").filter((block) => /^#\d+ \[(?!internal\])/.test(block)).map((
    block,
    i
  ) =>
    block.replace(/^#\d+ /gm, `#${i + 1} `).replace(/^(#\d+) DONE \d+\.\ds$/gm, "$1 DONE <t>")
      .replace(/^(#\d+) \d+\.\d+ /gm, "$1 <t> ").trimEnd()
  )

const lastLine = (stderr: string) => stderr.trim().split("\n").at(-1)

const both = async (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const withEnv = { ...world, env: { ...world.env, ...env } }
  const docker = await Harness.run("docker", args, withEnv)
  const dockhand = await Harness.run("dockhand", args, withEnv)
  return { docker, dockhand }
}

const build = ["build", "--progress=plain", "--network", "none", "--no-cache"]

describe("build --ssh on Engine 28.5, side by side with docker build --ssh", () => {
  it("RUN --mount=type=ssh reaches the agent of SSH_AUTH_SOCK with --ssh default, as with docker", async () => {
    const dir = sshContext("ssh-default")
    const { docker, dockhand } = await both([...build, "--ssh", "default", dir], { SSH_AUTH_SOCK: agent!.socket })
    assert.strictEqual(docker.code, 0, docker.stderr)
    assert.include(docker.stderr, agent!.fingerprint)
    if (Harness.runtimeName === "bun") {
      assert.strictEqual(dockhand.code, 1)
      assert.include(dockhand.stderr, "ssh-agent forwarding")
      assert.include(dockhand.stderr, "needs Node or Deno")
      return
    }
    assert.strictEqual(dockhand.code, 0, dockhand.stderr)
    assert.deepStrictEqual(steps(dockhand.stderr), steps(docker.stderr))
    assert.include(steps(dockhand.stderr).at(-1), agent!.fingerprint)
    assert.notInclude(dockhand.stderr + dockhand.stdout, "PRIVATE KEY")
  })

  it("a named id with its socket reaches the mount that asks for it; an id not forwarded fails alike", async () => {
    const dir = sshContext("ssh-named", ",id=deploy,required=true")
    const named = await both([...build, "--ssh", `deploy=${agent!.socket}`, dir])
    assert.strictEqual(named.docker.code, 0, named.docker.stderr)
    if (Harness.runtimeName === "bun") {
      assert.strictEqual(named.dockhand.code, 1)
      assert.include(named.dockhand.stderr, "needs Node or Deno")
      return
    }
    assert.strictEqual(named.dockhand.code, 0, named.dockhand.stderr)
    assert.deepStrictEqual(steps(named.dockhand.stderr), steps(named.docker.stderr))
    assert.include(named.dockhand.stderr, agent!.fingerprint)
    const other = await both([...build, "--ssh", `other=${agent!.socket}`, dir])
    assert.strictEqual(other.dockhand.code, other.docker.code)
    assert.strictEqual(other.dockhand.code, 1)
    assert.strictEqual(lastLine(other.dockhand.stderr), lastLine(other.docker.stderr))
    assert.strictEqual(
      lastLine(other.dockhand.stderr),
      "ERROR: failed to build: failed to solve: unset ssh forward key deploy"
    )
  })

  it("refuses what buildx refuses before the build, with its texts, on every runtime", async () => {
    const dir = sshContext("ssh-bad")
    const sock = agent!.socket
    for (
      const [values, env] of [
        [["default"], {}],
        [["default="], {}],
        [["a=,,"], { SSH_AUTH_SOCK: sock }],
        [["default=/nonexistent-dockhand-agent.sock"], {}],
        [[`a=${sock},${sock}`], {}],
        [[`a=${sock}`, `a=${sock}`], {}],
        [[`=${sock}`, `default=${sock}`], {}]
      ] as const
    ) {
      const args = [...build, ...values.flatMap((value) => ["--ssh", value]), dir]
      const { docker, dockhand } = await both(args, env)
      assert.strictEqual(dockhand.code, docker.code, values.join(" "))
      assert.strictEqual(dockhand.code, 1, values.join(" "))
      assert.strictEqual(dockhand.stderr, docker.stderr.slice(docker.stderr.indexOf("ERROR: ")), values.join(" "))
    }
  })

  it("key files: the step lists the keys and signs with each through dockhand's agent, as through buildx's", async () => {
    const keys = SshAgent.keyFiles(`dockhand-e2e-${world.runId}`)
    try {
      const dir = Harness.writeTree(world, "ssh-keys", {})
      SshAgent.writeSigningContext(dir, Harness.BUSYBOX, keys.publicKeys, ",id=deploy,required=true")
      const { docker, dockhand } = await both([...build, "--ssh", `deploy=${keys.paths.join(",")}`, dir])
      assert.strictEqual(docker.code, 0, docker.stderr)
      if (Harness.runtimeName === "bun") {
        assert.strictEqual(dockhand.code, 1)
        assert.include(dockhand.stderr, "needs Node or Deno")
        return
      }
      assert.strictEqual(dockhand.code, 0, dockhand.stderr)
      for (const fingerprint of keys.fingerprints) {
        assert.include(steps(docker.stderr).at(-1), fingerprint)
        assert.include(steps(dockhand.stderr).at(-1), fingerprint)
      }
      // buildx's agent lists its keys without their comments, dockhand's with the key file's (as ssh-add would)
      const comment = ` dockhand-e2e-${world.runId} (`
      assert.include(steps(dockhand.stderr).at(-1), comment)
      const uncommented = (stderr: string) => steps(stderr).map((step) => step.replaceAll(comment, "  ("))
      assert.deepStrictEqual(uncommented(dockhand.stderr), uncommented(docker.stderr))
      assert.strictEqual(steps(dockhand.stderr).at(-1)!.split("Good \"file\" signature for signer").length - 1, 2)
      assert.notInclude(dockhand.stderr + dockhand.stdout, "PRIVATE KEY")
    } finally {
      keys.stop()
    }
  })

  it("refuses the key files buildx refuses before the build, with its texts, on every runtime", async () => {
    const keys = SshAgent.keyFiles(`dockhand-e2e-${world.runId}`)
    try {
      const dir = sshContext("ssh-bad-keys")
      const garbage = path.join(keys.dir, "garbage")
      fs.writeFileSync(
        garbage,
        "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n"
      )
      const empty = path.join(keys.dir, "empty")
      fs.writeFileSync(empty, "")
      for (
        const value of [
          `default=${garbage}`,
          `default=${empty}`,
          `a=${keys.dir}`,
          `a=${keys.paths[0]},${agent!.socket}`,
          `a=${keys.paths[0]},/nonexistent-dockhand-key`
        ]
      ) {
        const { docker, dockhand } = await both([...build, "--ssh", value, dir])
        assert.strictEqual(dockhand.code, docker.code, value)
        assert.strictEqual(dockhand.code, 1, value)
        assert.strictEqual(dockhand.stderr, docker.stderr.slice(docker.stderr.indexOf("ERROR: ")), value)
        assert.notInclude(dockhand.stderr, "not-a-real-key")
      }
      // a key protected by a passphrase: buildx's text, and what to do instead
      const encrypted = path.join(keys.dir, "id_encrypted")
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "a passphrase", "-f", encrypted], { stdio: "ignore" })
      const { docker, dockhand } = await both([...build, "--ssh", `default=${encrypted}`, dir])
      assert.strictEqual(dockhand.code, docker.code)
      const dockerError = docker.stderr.slice(docker.stderr.indexOf("ERROR: ")).trimEnd()
      assert.strictEqual(
        dockhand.stderr,
        `${dockerError} (dockhand asks for no passphrase: load the key into an ssh-agent with ssh-add and forward ` +
          "the agent's socket)\n"
      )
      assert.include(dockhand.stderr, `failed to parse ${encrypted}: ssh: this private key is passphrase protected`)
    } finally {
      keys.stop()
    }
  })

  it("refuses --ssh where no session can forward it: a context on stdin, the classic builder", async () => {
    const sock = `default=${agent!.socket}`
    const stdin = await Harness.run("dockhand", [...build, "--ssh", sock, "-"], world, { stdin: "FROM scratch\n" })
    assert.strictEqual(stdin.code, 1)
    assert.strictEqual(
      stdin.stderr,
      "ERROR: --ssh needs a local directory context (a BuildKit session forwards the agent)\n"
    )
    const dir = sshContext("ssh-classic")
    const classic = await Harness.run("dockhand", ["build", "--ssh", sock, dir], world, {
      env: { DOCKER_BUILDKIT: "0" }
    })
    assert.strictEqual(classic.code, 1)
    assert.strictEqual(classic.stderr, "ERROR: --ssh needs BuildKit (the classic builder has no session)\n")
  })
})
