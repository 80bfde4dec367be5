/**
 * The rest of the command line, side by side with docker CLI 28: `search` against the plain registry (which has no
 * search: both fail alike), `login` / `logout` against the TLS registry (the stored `config.json` must be the
 * same), `context ls` / `context show`, and the errors: unknown flags (exit 125), wrong argument counts, unknown
 * commands, invalid references, a missing engine socket.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Harness from "./Harness.ts"

let world: Harness.World

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("cli")
    await Harness.docker(
      ["import", "-c", `LABEL ${world.label}`, Harness.busyboxTar(world), `${world.prefix}/x:1`],
      world
    )
  })
)
beforeEach(setup.check)

afterAll(async () => {
  if (world !== undefined) await Harness.cleanWorld(world)
})

const same = (...args: Array<string>) => () =>
  Harness.compare(args.map((a) => a.replaceAll("$P", world.prefix)), world).then(() => undefined)

describe("runtime", () => {
  it("dockhand runs on the runtime DOCKHAND_CLI_RUNTIME names", async () => {
    const version = await Harness.run("dockhand", ["version"], world)
    assert.strictEqual(version.code, 0, version.stderr)
    assert.match(version.stdout.toString(), new RegExp(`^ Runtime: +${Harness.runtimeName} v?\\d`, "m"))
  })

  it("the bundle leaves out effect/cli's --wizard, prompts and --completions; help, completion and errors still run", async () => {
    const dist = path.dirname(Harness.cliEntry)
    const bundle = [
      Harness.cliEntry,
      ...fs.readdirSync(path.join(dist, "chunks")).map((f) => path.join(dist, "chunks", f))
    ]
      .map((file) => fs.readFileSync(file, "utf8")).join("\n")
    // the wizard's text, the prompts' type id and PowerShell's completion script (dockhand's own has none)
    for (const text of ["Wizard cancelled", "~effect/cli/Prompt", "Register-ArgumentCompleter"]) {
      assert.notInclude(bundle, text)
    }
    const help = await Harness.run("dockhand", ["image", "ls", "--help"], world)
    assert.strictEqual(help.code, 0, help.stderr)
    assert.include(help.stdout.toString(), "List images")
    const completion = await Harness.run("dockhand", ["completion", "bash"], world)
    assert.strictEqual(completion.code, 0, completion.stderr)
    assert.include(completion.stdout.toString(), "complete -o default -F __dockhand_complete dockhand")
    const bogus = await Harness.run("dockhand", ["image", "ls", "--bogus"], world)
    assert.strictEqual(bogus.code, 125)
    assert.include(bogus.stderr, "unknown flag: --bogus")
    const ls = await Harness.run("dockhand", ["image", "ls", "-q"], world)
    assert.strictEqual(ls.code, 0, ls.stderr)
  })
})

describe.concurrent("search", () => {
  it("a registry without search fails alike", () =>
    Harness.compare(["search", `${world.engines.registry}/dockhand`], world).then(() => undefined))
  it("--limit and --no-trunc", () =>
    Harness.compare(["search", "--limit", "5", "--no-trunc", `${world.engines.registry}/dockhand`], world).then(() =>
      undefined
    ))
  it("a malformed filter", same("search", "-f", "bogus", "x"))
  it("no term", same("search"))
  it("KNOWN_DIFFERENCES: image search exists in dockhand only", async () => {
    const args = ["image", "search", `${world.engines.registry}/dockhand`]
    const d = await Harness.run("docker", args, world)
    const h = await Harness.run("dockhand", args, world)
    assert.match(d.stderr, /^docker: unknown command: docker image search\n/)
    // dockhand's `image search` is `search`.
    Harness.assertSame("image search = search", await Harness.run("docker", args.slice(1), world), h)
  })
  it("KNOWN_DIFFERENCES: --limit out of range is refused by the client", async () => {
    const args = ["search", "--limit", "500", `${world.engines.registry}/dockhand`]
    const d = await Harness.run("docker", args, world)
    const h = await Harness.run("dockhand", args, world)
    // Engine 28.5 words it in lower case.
    const limit = Harness.engineKind() === "docker28" ? "limit" : "Limit"
    assert.strictEqual(d.stderr, `Error response from daemon: ${limit} 500 is outside the range of [1, 100]\n`)
    assert.strictEqual(h.stderr, "invalid limit 500: it must be between 1 and 100\n")
    assert.strictEqual(h.code, d.code)
  })
})

describe("login and logout (TLS registry)", () => {
  const config = () => path.join(world.configDir, "config.json")
  const reset = () => fs.rmSync(config(), { force: true })
  const stored = () => ({ text: fs.readFileSync(config(), "utf8"), mode: fs.statSync(config()).mode & 0o777 })
  const login = () => ["login", "-u", world.engines.registryUser, "--password-stdin", world.engines.registryTls]
  const password = () => `${world.engines.registryPassword}\n`

  it("login --password-stdin: same output, same config.json", async () => {
    reset()
    let dockerConfig = { text: "", mode: 0 }
    await Harness.compare(login(), world, {
      stdin: password(),
      between: () => {
        dockerConfig = stored()
        reset()
        return Promise.resolve()
      }
    })
    const mine = stored()
    assert.deepStrictEqual(JSON.parse(mine.text), JSON.parse(dockerConfig.text))
    assert.strictEqual(mine.text, dockerConfig.text)
    assert.strictEqual(mine.mode, dockerConfig.mode)
  })
  it("login again (already stored)", () => Harness.compare(login(), world, { stdin: password() }))
  it("login -p: the insecure-password warning", () =>
    Harness.compare([
      "login",
      "-u",
      world.engines.registryUser,
      "-p",
      world.engines.registryPassword,
      world.engines.registryTls
    ], world))
  it("logout: same output, same config.json", async () => {
    const before = stored().text
    let dockerConfig = ""
    await Harness.compare(["logout", world.engines.registryTls], world, {
      between: () => {
        dockerConfig = stored().text
        fs.writeFileSync(config(), before)
        return Promise.resolve()
      }
    })
    assert.strictEqual(stored().text, dockerConfig)
    assert.deepStrictEqual(JSON.parse(dockerConfig), { auths: {} })
  })
  it("logout when logged out", () => Harness.compare(["logout", world.engines.registryTls], world))
  it("a wrong password", () => Harness.compare(login(), world, { stdin: "wrong\n" }))
  it("an empty password", () => Harness.compare(login(), world, { stdin: "" }))
  it("no username", () =>
    Harness.compare(["login", "--password-stdin", world.engines.registryTls], world, { stdin: "x\n" }))
  it("no password, no terminal", () => Harness.compare(["login", world.engines.registryTls], world))
  it("--password and --password-stdin", () =>
    Harness.compare(["login", "-u", "u", "-p", "p", "--password-stdin", world.engines.registryTls], world, {
      stdin: "x\n"
    }))
  it("KNOWN_DIFFERENCES: too many arguments (docker's 'SRun' typo)", async () => {
    for (const args of [["logout", "a", "b"], ["images", "a", "b"]]) {
      const d = await Harness.run("docker", args, world)
      const h = await Harness.run("dockhand", args, world)
      assert.include(d.stderr, `\nSRun 'docker ${args[0]} --help' for more information\n`)
      Harness.assertSame(args.join(" "), { ...d, stderr: d.stderr.replace("SRun", "Run") }, h)
    }
  })
})

describe("context", () => {
  beforeAll(() =>
    setup.run(async () => {
      await Harness.docker([
        "context",
        "create",
        "e2e",
        "--description",
        "made by docker",
        "--docker",
        "host=unix:///nowhere.sock"
      ], world)
    })
  )
  it("context ls", same("context", "ls"))
  it("context list --format json", same("context", "list", "--format", "json"))
  it("context ls -q", same("context", "ls", "-q"))
  it("context ls --format", same("context", "ls", "--format", "{{.Name}}|{{.Current}}|{{.DockerEndpoint}}"))
  it("context show", same("context", "show"))
  it("--context e2e context show", same("--context", "e2e", "context", "show"))
  it("DOCKER_CONTEXT, without DOCKER_HOST: context ls", () =>
    Harness.compare(["context", "ls"], world, { env: { DOCKER_CONTEXT: "e2e", DOCKER_HOST: "" } }).then(() =>
      undefined
    ))
  it("context show x", same("context", "show", "x"))
  it("context ls x", same("context", "ls", "x"))
  it("context bogus", same("context", "bogus"))
  it("a context that does not exist", same("--context", "nope", "images"))
})

describe.concurrent("errors", () => {
  // Unknown or malformed flags: exit 125 with the command's usage.
  it("unknown flag", same("images", "--bogus"))
  it("unknown shorthand flag", same("image", "ls", "-z"))
  it("unknown shorthand in a group", same("images", "-qz"))
  it("unknown global flag", same("--bogus", "images"))
  it("global flag without its value", same("-H"))
  it("flag without its value", same("image", "ls", "--format"))
  it("shorthand flag without its value", same("image", "inspect", "-f"))
  it("bad boolean", same("images", "--all=maybe"))
  it("bad boolean shorthand", same("history", "-H=maybe", "x"))
  it("bad number", same("search", "--limit", "x", "y"))
  it("bad filter", same("images", "-f", "bogus"))
  // Wrong argument counts: exit 1 with the command's usage.
  it("tag with one argument", same("tag", "a"))
  it("image history without an argument", same("image", "history"))
  it("image inspect without an argument", same("image", "inspect"))
  it("image rm without an argument", same("image", "rm"))
  it("rmi without an argument", same("rmi"))
  it("image pull with two arguments", same("image", "pull", "a", "b"))
  it("image push without an argument", same("image", "push"))
  it("save without an argument", same("save"))
  it("load with an argument", same("load", "x"))
  it("import without an argument", same("import"))
  it("build without an argument", () => Harness.compare(["build"], world, { build: true }).then(() => undefined))
  it("image prune with an argument", same("image", "prune", "x"))
  // Unknown commands: exit 1.
  it("unknown command", same("bogus"))
  it("unknown image command", same("image", "bogus"))
  // Invalid references and missing images.
  it("pull an invalid reference", same("pull", "Bad:Ref"))
  it("push an invalid reference", same("push", "bad ref"))
  it("tag an invalid reference", same("tag", "$P/x:1", "bad ref"))
  it("history of a missing image", same("history", "$P/missing"))
  it("rmi of a missing image", same("rmi", "$P/missing"))
  it("save of a missing image", same("save", "$P/missing"))
  // A socket that does not exist.
  it("-H to a missing socket: images", same("-H", "unix:///nonexistent.sock", "images"))
  it("-H to a missing socket: image inspect", same("-H", "unix:///nonexistent.sock", "image", "inspect", "x"))
  it("--host to a missing socket: pull", same("--host", "unix:///nonexistent.sock", "pull", "x"))
  it("-H to a missing socket: history", same("-H=unix:///nonexistent.sock", "history", "x"))
  it("DOCKER_HOST to a missing socket: rmi", () =>
    Harness.compare(["rmi", "x"], world, { env: { DOCKER_HOST: "unix:///nonexistent.sock" } }).then(() => undefined))
  it("-H with a bad host", same("-H", "bogus://x", "images"))
  it("KNOWN_DIFFERENCES: a bare command group prints its own help on stderr, exit 0", async () => {
    for (const args of [["image"], ["context"]]) {
      const d = await Harness.run("docker", args, world)
      const h = await Harness.run("dockhand", args, world)
      assert.strictEqual(h.code, d.code)
      assert.strictEqual(h.stdout.length, 0)
      assert.strictEqual(d.stdout.length, 0)
      assert.match(d.stderr, /^Usage: {2}docker /)
      assert.include(h.stderr, `dockhand ${args[0]}`)
    }
  })
})
