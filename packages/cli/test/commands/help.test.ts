/**
 * `dockhand --help` as docker 28's global help (restricted to dockhand's commands and flags), and `dockhand
 * completion bash|zsh|fish`, the bash script sourced by a real bash and asked to complete.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Fake from "./FakeClient.ts"

const globalHelp = `Usage:  dockhand [OPTIONS] COMMAND

A docker image CLI on @dockhand/client

Common Commands:
  build       Build an image from a Dockerfile
  pull        Download an image from a registry
  push        Upload an image to a registry
  images      List images
  login       Authenticate to a registry
  logout      Log out from a registry
  search      Search Docker Hub for images
  version     Show the dockhand version information

Management Commands:
  context     Manage contexts
  image       Manage images
  system      Manage Docker

Commands:
  doctor      Explain which engine dockhand talks to, and check that it answers
  history     Show the history of an image
  import      Import the contents from a tarball to create a filesystem image
  load        Load an image from a tar archive or STDIN
  rmi         Remove one or more images
  save        Save one or more images to a tar archive (streamed to STDOUT by default)
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Global Options:
      --config string      Location of client config files (default
                           "/home/u/.docker")
  -c, --context string     Name of the context to use to connect to the
                           daemon (overrides DOCKER_HOST env var and
                           default context set with "docker context use")
  -D, --debug              Enable debug mode
  -H, --host list          Daemon socket to connect to
  -l, --log-level string   Set the logging level ("debug", "info",
                           "warn", "error", "fatal") (default "info")
      --tls                Use TLS; implied by --tlsverify
      --tlscacert string   Trust certs signed only by this CA (default
                           "/home/u/.docker/ca.pem")
      --tlscert string     Path to TLS certificate file (default
                           "/home/u/.docker/cert.pem")
      --tlskey string      Path to TLS key file (default
                           "/home/u/.docker/key.pem")
      --tlsverify          Use TLS and verify the remote
  -v, --version            Print version information and quit

Run 'dockhand COMMAND --help' for more information on a command.
`

describe("dockhand --help: docker's global help", () => {
  it("--help and -h: docker's layout, groups and global flags on stdout, exit 0; no effect/cli built-ins", async () => {
    for (const flag of ["--help", "-h"]) {
      const ran = await Fake.run([flag], {}, { env: { HOME: "/home/u" } })
      expect(ran.code).toBe(0)
      expect(ran.stderr).toBe("")
      expect(ran.stdout).toBe(globalHelp)
      expect(ran.stdout).not.toMatch(/--wizard|--completions/)
    }
  })

  it("a bare dockhand prints it on stderr, exit 0, as docker does", async () => {
    const ran = await Fake.run([], {}, { env: { HOME: "/home/u" } })
    expect(ran.code).toBe(0)
    expect(ran.stdout).toBe("")
    expect(ran.stderr).toBe(globalHelp)
  })

  it("the defaults follow DOCKER_CONFIG and DOCKER_CERT_PATH, as docker's", async () => {
    const ran = await Fake.run(["--help"], {}, {
      env: { HOME: "/home/u", DOCKER_CONFIG: "/cfg", DOCKER_CERT_PATH: "/c" }
    })
    expect(ran.stdout).toContain(`      --config string      Location of client config files (default "/cfg")\n`)
    expect(ran.stdout).toContain(`Trust certs signed only by this CA (default\n                           "/c/ca.pem")`)
  })
})

describe("effect/cli's own global flags are not dockhand's", () => {
  it("a command's help lists only --help and --version as global flags; --completions and --wizard are unknown", async () => {
    const help = await Fake.run(["image", "ls", "--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("--all, -a")
    expect(help.stdout).not.toMatch(/--wizard|--completions|--log-level/)
    for (const flag of ["--completions", "--wizard"]) {
      const ran = await Fake.run(["image", "ls", flag])
      expect(ran.code).toBe(125)
      expect(ran.stderr).toContain(`unknown flag: ${flag}`)
    }
  })
})

/** Completes the line `words` (the cursor on its last word) with the bash script, `dockhand` being `bin`'s. */
const complete = (script: string, words: ReadonlyArray<string>, bin: string): ReadonlyArray<string> => {
  const quoted = words.map((word) => `'${word}'`).join(" ")
  const program = `source "$1"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; __dockhand_complete; ` +
    `printf '%s\\n' "\${COMPREPLY[@]}"`
  const run = spawnSync("bash", ["--norc", "--noprofile", "-c", program, "bash", script], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: `${bin}:${process.env["PATH"] ?? ""}` }
  })
  expect(run.stderr).toBe("")
  return run.stdout.split("\n").filter((line) => line !== "")
}

describe("dockhand completion", () => {
  it("bash: sourced by bash, it completes commands, subcommands, flags, after global flags, and image names", async () => {
    const ran = await Fake.run(["completion", "bash"])
    expect(ran.code).toBe(0)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-completion-"))
    try {
      const script = path.join(dir, "dockhand.bash")
      fs.writeFileSync(script, ran.stdout)
      // a stand-in dockhand that lists images as `image ls --format '{{.Repository}}:{{.Tag}}'` does
      const bin = path.join(dir, "bin")
      fs.mkdirSync(bin)
      fs.writeFileSync(
        path.join(bin, "dockhand"),
        "#!/bin/sh\n[ \"$1 $2 $3\" = \"image ls --format\" ] && printf 'busybox:1.36\\n<none>:<none>\\nalpine:3.20\\n'\n",
        { mode: 0o755 }
      )
      expect(complete(script, ["dockhand", "ima"], bin)).toEqual(["image", "images"])
      expect(complete(script, ["dockhand", "image", "l"], bin)).toEqual(["ls", "list", "load"])
      expect(complete(script, ["dockhand", "-H", "unix:///x", "sys"], bin)).toEqual(["system"])
      expect(complete(script, ["dockhand", "--con"], bin)).toEqual(["--config", "--context"])
      expect(complete(script, ["dockhand", "images", "--di"], bin)).toEqual(["--digests"])
      expect(complete(script, ["dockhand", "image", "ls", "--format", ""], bin)).toEqual([])
      expect(complete(script, ["dockhand", "rmi", ""], bin)).toEqual(["busybox:1.36", "alpine:3.20"])
      expect(complete(script, ["dockhand", "image", "tag", "b"], bin)).toEqual(["busybox:1.36"])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("zsh loads the same functions through bashcompinit; fish gets complete rules per command path", async () => {
    const zsh = await Fake.run(["completion", "zsh"])
    expect(zsh.stdout).toMatch(/^#compdef dockhand\n/)
    expect(zsh.stdout).toContain("bashcompinit")
    expect(zsh.stdout).toContain("complete -o default -F __dockhand_complete dockhand")
    const fish = await Fake.run(["completion", "fish"])
    expect(fish.stdout).toContain("complete -c dockhand -n '__dockhand_at \\'\\'' -a 'image' -d 'Manage images'")
    expect(fish.stdout).toContain("complete -c dockhand -n '__dockhand_at \\'images\\'' -l all -s a -d ")
    expect(fish.stdout).toContain("(__dockhand_images)")
  })

  it("without a shell it prints docker's completion help on stdout, exit 0", async () => {
    for (const argv of [["completion"], ["completion", "powershell"], ["completion", "--help"]]) {
      const ran = await Fake.run(argv)
      expect(ran.code).toBe(0)
      expect(ran.stdout).toMatch(/^Usage: {2}dockhand completion COMMAND\n/)
      expect(ran.stdout).toContain("  bash        Generate the autocompletion script for bash\n")
    }
  })
})
