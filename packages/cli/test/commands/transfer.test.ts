/**
 * Golden output of the commands that move images, against a fake client and a fake terminal: `save` refusing a
 * terminal on stdout, `load` refusing one on stdin, the progress display of `pull` / `push` / `load` as plain lines
 * (a pipe) and redrawn in place (a terminal), and the `build` log.
 */
import type { JsonMessage } from "@dockhand/models"
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Fake from "./FakeClient.ts"

const layer = (id: string, status: string, detail?: JsonMessage.ProgressDetail): JsonMessage.Message =>
  detail === undefined ? { id, status } : { id, status, progressDetail: detail }

/** What Engine 20.10 sends for a pull of two small layers (progress details trimmed to one step each). */
const pulling: ReadonlyArray<JsonMessage.Message> = [
  { id: "1", status: "Pulling from team/app" },
  layer("aaaaaaaaaaaa", "Pulling fs layer", {}),
  layer("bbbbbbbbbbbb", "Pulling fs layer", {}),
  layer("aaaaaaaaaaaa", "Downloading", { current: 36_410, total: 3_001_000 }),
  layer("bbbbbbbbbbbb", "Downloading", { current: 36_410, total: 2_001_000 }),
  layer("aaaaaaaaaaaa", "Verifying Checksum", {}),
  layer("aaaaaaaaaaaa", "Download complete", {}),
  layer("bbbbbbbbbbbb", "Download complete", {}),
  layer("aaaaaaaaaaaa", "Extracting", { current: 3_001_000, total: 3_001_000 }),
  layer("aaaaaaaaaaaa", "Pull complete", {}),
  layer("bbbbbbbbbbbb", "Extracting", { current: 2_001_000, total: 2_001_000 }),
  layer("bbbbbbbbbbbb", "Pull complete", {}),
  { status: "Digest: sha256:" + "d".repeat(64) },
  { status: "Status: Downloaded newer image for registry.test/team/app:1" }
]

describe("image save", () => {
  it("refuses to write a tar to a terminal", async () => {
    const out = await Fake.run(["image", "save", "app:1"], {}, { stdoutIsTerminal: true })
    expect([out.code, out.stdout, out.stderr, out.bytes.length]).toMatchInlineSnapshot(`
      [
        1,
        "",
        "cowardly refusing to save to a terminal. Use the -o flag or redirect
      ",
        0,
      ]
    `)
  })
  it("streams the daemon's tar to a pipe", async () => {
    const out = await Fake.run(["save", "app:1", "app:2"], { save: new Uint8Array([7, 8, 9]) })
    expect([out.code, out.bytes, out.calls]).toMatchInlineSnapshot(`
      [
        0,
        [
          Uint8Array [
            7,
            8,
            9,
          ],
        ],
        [
          {
            "args": [
              [
                "app:1",
                "app:2",
              ],
            ],
            "operation": "save",
          },
        ],
      ]
    `)
  })
  it("needs an image", async () => {
    const out = await Fake.run(["save"], {})
    expect([out.code, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "dockhand: 'dockhand save' requires at least 1 argument

      Usage:  dockhand save [OPTIONS] IMAGE [IMAGE...]

      See 'dockhand save --help' for more information
      ",
      ]
    `)
  })
})

describe("image load", () => {
  const loaded: ReadonlyArray<JsonMessage.Message> = [{ stream: "Loaded image: app:1\n" }, {
    stream: "Loaded image ID: sha256:" + "e".repeat(64) + "\n"
  }]
  it("refuses a terminal on stdin", async () => {
    const out = await Fake.run(["image", "load"], { progress: loaded }, { stdinIsTerminal: true })
    expect([out.code, out.stdout, out.stderr, out.calls]).toMatchInlineSnapshot(`
      [
        1,
        "",
        "requested load from stdin, but stdin is empty
      ",
        [],
      ]
    `)
  })
  it("reads stdin and prints the daemon's lines", async () => {
    const out = await Fake.run(["load"], { progress: loaded }, { stdin: new Uint8Array(1024) })
    expect([out.code, out.stdout, out.calls]).toMatchInlineSnapshot(`
      [
        0,
        "Loaded image: app:1
      Loaded image ID: sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee
      ",
        [
          {
            "args": [
              1024,
            ],
            "operation": "load",
          },
        ],
      ]
    `)
  })
  it("takes no argument", async () => {
    const out = await Fake.run(["image", "load", "x"], {})
    expect([out.code, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "dockhand: 'dockhand image load' accepts no arguments

      Usage:  dockhand image load [OPTIONS]

      Run 'dockhand image load --help' for more information
      ",
      ]
    `)
  })
})

describe("image pull", () => {
  it("to a pipe: one plain line per state, no bars", async () => {
    const out = await Fake.run(["pull", "registry.test/team/app:1"], { progress: pulling })
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        0,
        "1: Pulling from team/app
      aaaaaaaaaaaa: Pulling fs layer
      bbbbbbbbbbbb: Pulling fs layer
      aaaaaaaaaaaa: Verifying Checksum
      aaaaaaaaaaaa: Download complete
      bbbbbbbbbbbb: Download complete
      aaaaaaaaaaaa: Pull complete
      bbbbbbbbbbbb: Pull complete
      Digest: sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
      Status: Downloaded newer image for registry.test/team/app:1
      registry.test/team/app:1
      ",
        "",
      ]
    `)
  })
  it("to a terminal: lines redrawn in place with bars", async () => {
    const out = await Fake.run(["pull", "registry.test/team/app:1"], { progress: pulling }, { stdoutIsTerminal: true })
    expect(JSON.stringify(out.stdout).replaceAll("\\u001b", "ESC").split("\\n").join("\\n\n")).toMatchInlineSnapshot(`
      ""1: Pulling from team/app\\n
      \\n
      ESC[1AESC[2K\\raaaaaaaaaaaa: Pulling fs layer \\rESC[1B\\n
      ESC[1AESC[2K\\rbbbbbbbbbbbb: Pulling fs layer \\rESC[1BESC[2AESC[2K\\raaaaaaaaaaaa: Downloading [>                                                  ]  36.41kB/3.001MB\\rESC[2BESC[1AESC[2K\\rbbbbbbbbbbbb: Downloading [>                                                  ]  36.41kB/2.001MB\\rESC[1BESC[2AESC[2K\\raaaaaaaaaaaa: Verifying Checksum \\rESC[2BESC[2AESC[2K\\raaaaaaaaaaaa: Download complete \\rESC[2BESC[1AESC[2K\\rbbbbbbbbbbbb: Download complete \\rESC[1BESC[2AESC[2K\\raaaaaaaaaaaa: Extracting [==================================================>]  3.001MB/3.001MB\\rESC[2BESC[2AESC[2K\\raaaaaaaaaaaa: Pull complete \\rESC[2BESC[1AESC[2K\\rbbbbbbbbbbbb: Extracting [==================================================>]  2.001MB/2.001MB\\rESC[1BESC[1AESC[2K\\rbbbbbbbbbbbb: Pull complete \\rESC[1BDigest: sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\\n
      Status: Downloaded newer image for registry.test/team/app:1\\n
      registry.test/team/app:1\\n
      ""
    `)
  })
  it("no tag: the default-tag notice; -q: only the name", async () => {
    expect((await Fake.run(["image", "pull", "team/app"], { progress: pulling })).stdout.split("\n")[0])
      .toMatchInlineSnapshot(`"Using default tag: latest"`)
    const quiet = await Fake.run(["image", "pull", "-q", "team/app"], { progress: pulling })
    expect([quiet.stdout, quiet.calls]).toMatchInlineSnapshot(`
      [
        "docker.io/team/app:latest
      ",
        [
          {
            "args": [
              "docker.io/team/app:latest",
              {
                "all": false,
              },
            ],
            "operation": "pull",
          },
        ],
      ]
    `)
  })
  it("-a: every tag, and a tag is refused with -a", async () => {
    const all = await Fake.run(["pull", "-a", "team/app"], { progress: pulling.slice(0, 1) })
    expect([all.stdout, all.calls]).toMatchInlineSnapshot(`
      [
        "1: Pulling from team/app
      docker.io/team/app
      ",
        [
          {
            "args": [
              "docker.io/team/app",
              {
                "all": true,
              },
            ],
            "operation": "pull",
          },
        ],
      ]
    `)
    const refused = await Fake.run(["pull", "-a", "team/app:1"], {})
    expect([refused.code, refused.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "tag can't be used with --all-tags/-a
      ",
      ]
    `)
  })
  it("DOCKER_DEFAULT_PLATFORM is the --platform default; a given flag wins, an empty one sends none", async () => {
    const env = { DOCKER_DEFAULT_PLATFORM: "linux/arm64" }
    const platformOf = async (argv: ReadonlyArray<string>) =>
      ((await Fake.run(argv, { progress: pulling }, { env })).calls[0]!.args[1] as { platform?: unknown }).platform
    expect(await platformOf(["pull", "-q", "team/app:1"])).toEqual({ os: "linux", architecture: "arm64" })
    expect(await platformOf(["pull", "-q", "--platform", "linux/amd64", "team/app:1"]))
      .toEqual({ os: "linux", architecture: "amd64" })
    expect(await platformOf(["pull", "-q", "--platform", "", "team/app:1"])).toBeUndefined()
    const bad = await Fake.run(["pull", "team/app:1"], {}, { env: { DOCKER_DEFAULT_PLATFORM: "bad/" } })
    expect([bad.code, bad.calls.length]).toEqual([1, 0])
  })
  it("an invalid reference", async () => {
    const out = await Fake.run(["pull", "Team/App"], {})
    expect([out.code, out.stderr, out.calls]).toMatchInlineSnapshot(`
      [
        1,
        "invalid reference format: repository name (App) must be lowercase
      ",
        [],
      ]
    `)
  })
})

describe("image push", () => {
  const pushing: ReadonlyArray<JsonMessage.Message> = [
    { status: "The push refers to repository [registry.test/team/app]" },
    layer("aaaaaaaaaaaa", "Preparing"),
    layer("aaaaaaaaaaaa", "Pushing", { current: 512, total: 1024 }),
    layer("aaaaaaaaaaaa", "Pushed"),
    { status: "1: digest: sha256:" + "d".repeat(64) + " size: 528" },
    { aux: { Tag: "1", Digest: "sha256:" + "d".repeat(64), Size: 528 } }
  ]
  it("to a pipe", async () => {
    const out = await Fake.run(["push", "registry.test/team/app:1"], { progress: pushing })
    expect([out.code, out.stdout]).toMatchInlineSnapshot(`
      [
        0,
        "The push refers to repository [registry.test/team/app]
      aaaaaaaaaaaa: Preparing
      aaaaaaaaaaaa: Pushed
      1: digest: sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd size: 528
      ",
      ]
    `)
  })
  it("-q prints the name only", async () => {
    const out = await Fake.run(["image", "push", "-q", "registry.test/team/app"], { progress: pushing })
    expect([out.code, out.stdout, out.calls]).toMatchInlineSnapshot(`
      [
        0,
        "registry.test/team/app:latest
      ",
        [
          {
            "args": [
              "registry.test/team/app:latest",
              {
                "all": false,
              },
            ],
            "operation": "push",
          },
        ],
      ]
    `)
  })
})

describe("image build", () => {
  const context = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-build-test-"))
  fs.writeFileSync(path.join(context, "Dockerfile"), "FROM scratch\nLABEL a=b\n")
  afterAll(() => fs.rmSync(context, { recursive: true, force: true }))
  const building: ReadonlyArray<JsonMessage.Message> = [
    { stream: "Step 1/2 : FROM scratch\n" },
    { stream: " ---> \n" },
    { stream: "Step 2/2 : LABEL a=b\n" },
    { stream: " ---> Running in 0123456789ab\n" },
    { stream: "Removing intermediate container 0123456789ab\n" },
    { stream: " ---> " + "f".repeat(12) + "\n" },
    { aux: { ID: "sha256:" + "f".repeat(64) } },
    { stream: "Successfully built " + "f".repeat(12) + "\n" }
  ]
  it("the daemon's log after the upload line", async () => {
    const out = await Fake.run(["build", "--build-arg", "A=1", "--label", "x=y", "-t", "app:1", context], {
      progress: building
    })
    expect([out.code, out.stdout.replace(/daemon {2}\S+/, "daemon  <size>").replaceAll("\r", "<CR>")])
      .toMatchInlineSnapshot(`
      [
        0,
        "Sending build context to Docker daemon  <size><CR><CR>
      Step 1/2 : FROM scratch
       ---> 
      Step 2/2 : LABEL a=b
       ---> Running in 0123456789ab
      Removing intermediate container 0123456789ab
       ---> ffffffffffff
      Successfully built ffffffffffff
      ",
      ]
    `)
    expect(out.calls[0]!.args[0]).toMatchObject({
      tags: ["app:1"],
      buildArgs: { A: "1" },
      labels: { x: "y" },
      dockerfile: "Dockerfile"
    })
  })
  it("-q keeps the log back and prints what the daemon says", async () => {
    const out = await Fake.run(["build", "-q", context], { progress: [{ stream: "sha256:" + "f".repeat(64) + "\n" }] })
    expect([out.code, out.stdout]).toMatchInlineSnapshot(`
      [
        0,
        "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
      ",
      ]
    `)
  })
  it("an invalid tag is a flag error", async () => {
    const out = await Fake.run(["build", "-t", "Bad:Tag", "."], {})
    expect([out.code, out.stderr]).toMatchInlineSnapshot(`
      [
        125,
        "invalid argument "Bad:Tag" for "-t, --tag" flag: invalid reference format: repository name (library/Bad) must be lowercase

      Usage:  dockhand build [OPTIONS] PATH | URL | -

      Run 'dockhand build --help' for more information
      ",
      ]
    `)
  })
})
