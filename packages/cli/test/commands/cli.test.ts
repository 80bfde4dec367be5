/**
 * Golden output of the command line itself against a fake client: docker's errors for flags (exit 125), argument
 * counts and unknown commands (exit 1), the global flags, help (asked for: stdout; a bare command group: stderr),
 * `login` (credentials stored once, docker's warning about the file store) and `logout`.
 */
import { DockerError } from "@dockhand/client"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { readFileSync } from "node:fs"
import * as Terminal from "../../src/internal/Terminal.ts"
import * as Main from "../../src/Main.ts"
import * as Fake from "./FakeClient.ts"

const stderr = async (...argv: Array<string>) => {
  const out = await Fake.run(argv)
  return [out.code, out.stdout, out.stderr] as const
}

describe("flag errors (exit 125, with the command's usage)", () => {
  it("an unknown flag and an unknown shorthand", async () => {
    expect(await stderr("images", "--bogus")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "unknown flag: --bogus

      Usage:  dockhand images [OPTIONS] [REPOSITORY[:TAG]]

      Run 'dockhand images --help' for more information
      ",
      ]
    `)
    expect(await stderr("image", "list", "-qz")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "unknown shorthand flag: 'z' in -z

      Usage:  dockhand image ls [OPTIONS] [REPOSITORY[:TAG]]

      Run 'dockhand image ls --help' for more information
      ",
      ]
    `)
  })
  it("a flag without its value", async () => {
    expect(await stderr("image", "ls", "--format")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "flag needs an argument: --format

      Usage:  dockhand image ls [OPTIONS] [REPOSITORY[:TAG]]

      Run 'dockhand image ls --help' for more information
      ",
      ]
    `)
    expect(await stderr("image", "inspect", "-f")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "flag needs an argument: 'f' in -f

      Usage:  dockhand image inspect [OPTIONS] IMAGE [IMAGE...]

      Run 'dockhand image inspect --help' for more information
      ",
      ]
    `)
  })
  it("a bad boolean and a bad number", async () => {
    expect(await stderr("history", "-H=maybe", "x")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "invalid argument "maybe" for "-H, --human" flag: strconv.ParseBool: parsing "maybe": invalid syntax

      Usage:  dockhand history [OPTIONS] IMAGE

      Run 'dockhand history --help' for more information
      ",
      ]
    `)
    expect(await stderr("search", "--limit", "x", "y")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "invalid argument "x" for "--limit" flag: strconv.ParseInt: parsing "x": invalid syntax

      Usage:  dockhand search [OPTIONS] TERM

      Run 'dockhand search --help' for more information
      ",
      ]
    `)
  })
  it("global flags: unknown, missing value, bad boolean, -H=value", async () => {
    expect(await stderr("--bogus", "images")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "unknown flag: --bogus

      Usage:  dockhand [OPTIONS] COMMAND [ARG...]

      Run 'dockhand --help' for more information
      ",
      ]
    `)
    expect(await stderr("-H")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "flag needs an argument: 'H' in -H

      Usage:  dockhand [OPTIONS] COMMAND [ARG...]

      Run 'dockhand --help' for more information
      ",
      ]
    `)
    expect(await stderr("-Dz", "images")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "unknown shorthand flag: 'z' in -z

      Usage:  dockhand [OPTIONS] COMMAND [ARG...]

      Run 'dockhand --help' for more information
      ",
      ]
    `)
    expect(await stderr("--debug=maybe", "images")).toMatchInlineSnapshot(`
      [
        125,
        "",
        "invalid argument "maybe" for "-D, --debug" flag: strconv.ParseBool: parsing "maybe": invalid syntax

      Usage:  dockhand [OPTIONS] COMMAND [ARG...]

      Run 'dockhand --help' for more information
      ",
      ]
    `)
    const host = await Fake.run(["-H=unix:///elsewhere.sock", "context", "show"])
    expect([host.code, host.stdout]).toMatchInlineSnapshot(`
      [
        0,
        "default
      ",
      ]
    `)
  })
})

describe("argument counts and unknown commands (exit 1)", () => {
  it("too few, too many, none accepted", async () => {
    expect(await stderr("tag", "a")).toMatchInlineSnapshot(`
      [
        1,
        "",
        "dockhand: 'dockhand tag' requires 2 arguments

      Usage:  dockhand tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]

      Run 'dockhand tag --help' for more information
      ",
      ]
    `)
    expect(await stderr("image", "inspect")).toMatchInlineSnapshot(`
      [
        1,
        "",
        "dockhand: 'dockhand image inspect' requires at least 1 argument

      Usage:  dockhand image inspect [OPTIONS] IMAGE [IMAGE...]

      See 'dockhand image inspect --help' for more information
      ",
      ]
    `)
    expect(await stderr("images", "a", "b")).toMatchInlineSnapshot(`
      [
        1,
        "",
        "dockhand: 'dockhand images' requires at most 1 argument

      Usage:  dockhand images [OPTIONS] [REPOSITORY[:TAG]]

      Run 'dockhand images --help' for more information
      ",
      ]
    `)
    expect(await stderr("context", "show", "x")).toMatchInlineSnapshot(`
      [
        1,
        "",
        "dockhand: 'dockhand context show' accepts no arguments

      Usage:  dockhand context show

      Run 'dockhand context show --help' for more information
      ",
      ]
    `)
  })
  it("an unknown command, at the top and in a group", async () => {
    expect(await stderr("bogus")).toMatchInlineSnapshot(`
      [
        1,
        "",
        "dockhand: unknown command: dockhand bogus

      Run 'dockhand --help' for more information
      ",
      ]
    `)
    expect(await stderr("image", "bogus")).toMatchInlineSnapshot(`
      [
        1,
        "",
        "dockhand: unknown command: dockhand image bogus

      Usage:  dockhand image

      Run 'dockhand image --help' for more information
      ",
      ]
    `)
  })
})

describe("help", () => {
  it("--help goes to stdout, exit 0", async () => {
    const out = await Fake.run(["image", "ls", "--help"])
    expect([out.code, out.stderr]).toEqual([0, ""])
    expect(out.stdout).toContain("List images")
    expect(out.stdout).toContain("--digests")
  })
  it("a bare command group prints its help on stderr, exit 0", async () => {
    const out = await Fake.run(["image"])
    expect([out.code, out.stdout]).toEqual([0, ""])
    expect(out.stderr).toContain("dockhand image <subcommand>")
  })
  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"))
    expect(await stderr("--version")).toEqual([0, `dockhand version ${version}\n`, ""])
  })
})

describe("the client is built only for a command that runs", () => {
  it("help, a parse error and a command's --version print as docker does where the settings cannot be resolved", async () => {
    let built = 0
    const unresolvable = () =>
      Layer.unwrap(
        Effect.sync(() => built++).pipe(Effect.andThen(Effect.fail(DockerError.make(
          new DockerError.InvalidArgument({
            message: "unable to resolve docker endpoint: invalid bind address format: bogus://x",
            operation: "DockerSettings"
          })
        )))) as Effect.Effect<Layer.Layer<Main.ClientServices>, DockerError.DockerError>
      )
    const run = async (...argv: Array<string>) => {
      const term = Terminal.makeTest({})
      const code = await Effect.runPromise(Main.runWith(argv, unresolvable).pipe(Effect.provide(term.layer)))
      return [code, term.stdout(), term.stderr()] as const
    }
    const help = await run("image", "ls", "--help")
    expect([help[0], help[2]]).toEqual([0, ""])
    expect(help[1]).toContain("List images")
    const parse = await run("image", "ls", "--bogus")
    expect([parse[0], parse[1]]).toEqual([125, ""])
    expect(parse[2]).toContain("unknown flag: --bogus")
    const version = await run("image", "ls", "--version")
    expect([version[0], version[2]]).toEqual([0, ""])
    expect(built).toBe(0)
    expect(await run("image", "ls")).toEqual([
      1,
      "",
      "Failed to initialize: unable to resolve docker endpoint: invalid bind address format: bogus://x\n"
    ])
    expect(built).toBe(1)
  })
})

describe("login and logout", () => {
  it("stores the credentials and warns about the file store; the same login again does neither", async () => {
    const fake = Fake.make()
    const login = ["login", "-u", "me", "--password-stdin", "registry.test"]
    const stdin = new TextEncoder().encode("secret\n")
    const first = await Fake.runOn(fake, login, { stdin })
    expect([first.code, first.stdout, first.stderr, first.calls]).toMatchInlineSnapshot(`
      [
        0,
        "Login Succeeded
      ",
        "
      WARNING! Your credentials are stored unencrypted in '/home/user/.docker/config.json'.
      Configure a credential helper to remove this warning. See
      https://docs.docker.com/go/credential-store/

      ",
        [
          {
            "args": [
              "me",
              "registry.test",
            ],
            "operation": "login",
          },
        ],
      ]
    `)
    expect([...fake.stored.keys()]).toEqual(["registry.test"])
    const again = await Fake.runOn(fake, login, { stdin })
    expect([again.code, again.stdout, again.stderr]).toMatchInlineSnapshot(`
      [
        0,
        "Login Succeeded
      ",
        "",
      ]
    `)
    const logout = await Fake.runOn(fake, ["logout", "registry.test"])
    expect([logout.code, logout.stdout, fake.stored.size]).toMatchInlineSnapshot(`
      [
        0,
        "Removing login credentials for registry.test
      ",
        0,
      ]
    `)
  })
  it("refuses what docker refuses", async () => {
    expect(await stderr("login", "--password-stdin", "registry.test")).toMatchInlineSnapshot(`
      [
        1,
        "",
        "the --password-stdin option requires --username to be set
      ",
      ]
    `)
    expect(await stderr("login", "-u", "me", "-p", "x", "--password-stdin")).toMatchInlineSnapshot(`
      [
        1,
        "",
        "conflicting options: cannot specify both --password and --password-stdin
      ",
      ]
    `)
    expect(await stderr("login", "-u", "me", "registry.test")).toMatchInlineSnapshot(`
      [
        1,
        "",
        "Error: Cannot perform an interactive login from a non TTY device
      ",
      ]
    `)
  })
  it("-p warns that it is insecure", async () => {
    const out = await Fake.run(["login", "-u", "me", "-p", "secret", "registry.test"])
    expect(out.stderr.split("\n")[0]).toMatchInlineSnapshot(
      `"WARNING! Using --password via the CLI is insecure. Use --password-stdin."`
    )
  })
  it("logout names the registry", async () => {
    expect(await stderr("logout", "registry.test")).toMatchInlineSnapshot(`
      [
        0,
        "Removing login credentials for registry.test
      ",
        "",
      ]
    `)
    expect(await stderr("logout")).toMatchInlineSnapshot(`
      [
        0,
        "Removing login credentials for https://index.docker.io/v1/
      ",
        "",
      ]
    `)
  })
})
