/**
 * `dockhand image pull` in a real terminal: tmux (on a private server socket) runs the pull in a 160×40 pane,
 * `pipe-pane` records the raw byte stream and `capture-pane` the screen at the end. The screen must show docker's
 * per-layer display (one line per layer ending in `Pull complete`, then `Digest:` and `Status:`), the raw stream
 * must have redrawn the layer lines in place (cursor movements, `Download complete` on the way) and must carry no
 * colour codes (`NO_COLOR=1`) and no raw JSON. docker pull runs in the same setup, and both screens must be equal.
 * Needs tmux (`scripts/engines/install.sh` installs it); the test fails when it is missing.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { randomBytes } from "node:crypto"
import * as Harness from "./Harness.ts"
import * as TmuxPane from "./TmuxPane.ts"

let world: Harness.World
let image = ""

/** Runs a command in a fresh tmux pane; gives the final screen, the raw bytes written to the pane, and the exit code. */
const inTerminal = (name: string, command: ReadonlyArray<string>) => TmuxPane.inTerminal(world, name, command)

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("tty")
    image = `${world.engines.registry}/${world.prefix}/tty:1`
    // Two layers of random bytes, big enough to report progress, unique to this run.
    const context = Harness.writeTree(world, "ctx", {
      Dockerfile: "FROM scratch\nCOPY a /a\nCOPY b /b\n",
      a: randomBytes(3_000_000),
      b: randomBytes(2_000_000)
    })
    await Harness.docker(["build", "-q", "--label", world.label, "-t", image, context], world)
    await Harness.docker(["push", "-q", image], world)
    await Harness.docker(["rmi", image], world)
  })
)
beforeEach(setup.check)

afterAll(async () => {
  if (world !== undefined) await Harness.cleanWorld(world)
})

/** The screen with each run of consecutive `<layer id>: …` lines sorted. */
const layerBlockSorted = (screen: string): string => {
  const out: Array<string> = []
  let block: Array<string> = []
  for (const line of screen.split("\n")) {
    if (/^[0-9a-f]{12}: /.test(line)) {
      block.push(line)
      continue
    }
    out.push(...block.sort(), line)
    block = []
  }
  out.push(...block.sort())
  return out.join("\n")
}

describe("image pull in a terminal", () => {
  it("shows docker's per-layer display, without colours or JSON, like docker", async () => {
    const mine = await inTerminal("dockhand", [...Harness.dockhandCommand, "image", "pull", image])
    assert.strictEqual(mine.code, 0, mine.screen)
    const lines = mine.screen.split("\n").filter((line) => line !== "")
    const layers = lines.filter((line) => /^[0-9a-f]{12}: /.test(line))
    assert.isAtLeast(layers.length, 2, mine.screen)
    for (const layer of layers) assert.match(layer, /^[0-9a-f]{12}: Pull complete$/)
    assert.deepStrictEqual(lines, [
      `1: Pulling from ${world.prefix}/tty`,
      ...layers,
      lines[layers.length + 1]!,
      `Status: Downloaded newer image for ${image}`,
      image
    ])
    assert.match(lines[layers.length + 1]!, /^Digest: sha256:[0-9a-f]{64}$/)
    // The raw stream: lines redrawn in place, every layer downloaded, no colour, no JSON.
    // (The daemon may skip a layer's `Download complete` when another layer's report covers it: one is enough.)
    assert.match(mine.raw, /[0-9a-f]{12}: Download complete/)
    assert.match(mine.raw, /\x1b\[\d+A\x1b\[2K\r/)
    if (Harness.engineKind() === "docker28") {
      // Engine 28.5 (containerd) reports download progress on a timer: a pull of small layers from a local registry
      // may end before the first `Downloading` report. Each layer's `Pulling fs layer` is always there.
      assert.match(mine.raw, /[0-9a-f]{12}: Pulling fs layer/)
      if (mine.raw.includes("Downloading")) assert.match(mine.raw, /Downloading \[=*>\s*\]/)
    } else assert.match(mine.raw, /Downloading \[=*>\s*\]/)
    assert.notMatch(mine.raw, /\x1b\[[0-9;]*m/, "colour codes despite NO_COLOR")
    assert.notInclude(mine.raw, "{\"")

    // docker pull, in the same terminal setup, ends on the same screen.
    await Harness.docker(["rmi", image], world)
    const theirs = await inTerminal("docker", ["docker", "image", "pull", image])
    assert.strictEqual(theirs.code, 0, theirs.screen)
    // The layer lines keep the order in which the daemon first reported each layer; with layers downloaded in
    // parallel that order differs from pull to pull (Engine 28.5 especially), so the layer block is compared as a set.
    assert.strictEqual(layerBlockSorted(mine.screen), layerBlockSorted(theirs.screen))
    assert.notMatch(theirs.raw, /\x1b\[[0-9;]*m/)
  })

  it("an up-to-date pull and -q print plain lines", async () => {
    const upToDate = await inTerminal("uptodate", [...Harness.dockhandCommand, "pull", image])
    const theirs = await inTerminal("uptodate-docker", ["docker", "pull", image])
    assert.strictEqual(upToDate.screen, theirs.screen)
    const quiet = await inTerminal("quiet", [...Harness.dockhandCommand, "pull", "-q", image])
    assert.strictEqual(quiet.screen, `${image}\n`)
  })
})

describe("daemon text holding escape sequences, in a terminal", () => {
  // a label that would set the window title and hide what follows if written raw
  const hostile = "\x1b]0;pwned\x07\x1b[8mhidden\x1b[0m"
  let labelled = ""
  beforeAll(() =>
    setup.run(async () => {
      labelled = `${world.prefix}/hostile:1`
      const context = Harness.writeTree(world, "hostile", { Dockerfile: "FROM scratch\nLABEL x=1\n" })
      await Harness.docker([
        "build",
        "-q",
        "--label",
        world.label,
        "--label",
        `title=${hostile}`,
        "-t",
        labelled,
        context
      ], world)
    })
  )
  const template = "{{index .Config.Labels \"title\"}}"

  it("is shown escaped by dockhand (docker writes it raw)", async () => {
    const mine = await inTerminal("escaped", [...Harness.dockhandCommand, "image", "inspect", "-f", template, labelled])
    assert.strictEqual(mine.code, 0, mine.screen)
    assert.strictEqual(mine.screen, "\\x1b]0;pwned\\x07\\x1b[8mhidden\\x1b[0m\n")
    assert.notInclude(mine.raw, "\x1b]0;pwned")
    const theirs = await inTerminal("raw", ["docker", "image", "inspect", "-f", template, labelled])
    assert.include(theirs.raw, hostile)
  })
  it("goes through a pipe as the daemon sent it, as docker's", async () => {
    const { dockhand } = await Harness.compare(["image", "inspect", "-f", template, labelled], world)
    assert.strictEqual(dockhand.stdout.toString(), `${hostile}\n`)
  })
})
