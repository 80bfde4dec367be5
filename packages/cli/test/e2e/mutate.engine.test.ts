/**
 * The commands that change the engine's images, side by side with docker CLI 28: `image tag`, `image rm` / `rmi`
 * and `image prune`. Each case runs docker, puts the engine back as it was (loading saved tars restores the very
 * same image ids), then runs dockhand. `image prune` only ever runs with a label filter naming this run's images.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import * as path from "node:path"
import * as Harness from "./Harness.ts"

let world: Harness.World
let P = ""
let xTar = ""
let xId = ""
/** The label only the prune fixtures carry: the one filter every prune here uses. */
let pruneLabel = ""
let pruneA = ""
let pruneB = ""

const docker = (...args: Array<string>) => Harness.docker(args, world)

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("mutate")
    P = world.prefix
    pruneLabel = `dockhand.e2e.prune=${world.runId}`
    // x: an imported image saved to a tar, so that every case can restore it with the same id.
    const rootfs = Harness.busyboxTar(world, "x.tar.d.tar")
    await docker("import", "-c", `LABEL ${world.label}`, rootfs, `${P}/x:1`)
    xTar = path.join(world.dir, "x-saved.tar")
    await docker("save", "-o", xTar, `${P}/x:1`)
    xId = (await docker("image", "inspect", "-f", "{{.Id}}", `${P}/x:1`)).trim()
    // Two images with the prune label and the same tag: loading a then b leaves a dangling.
    for (const [name, extra] of [["a", "-a"], ["b", "-b"]] as const) {
      const tar = Harness.busyboxTar(world, `prune-${name}.tar`, extra)
      await docker("import", "-c", `LABEL ${pruneLabel}`, "-c", `LABEL ${world.label}`, tar, `${P}/prune:${name}`)
      await docker("tag", `${P}/prune:${name}`, `${P}/prune:1`)
      const saved = path.join(world.dir, `prune-${name}-saved.tar`)
      await docker("save", "-o", saved, `${P}/prune:1`)
      await docker("rmi", `${P}/prune:${name}`, `${P}/prune:1`)
      if (name === "a") pruneA = saved
      else pruneB = saved
    }
  })
)
beforeEach(setup.check)

afterAll(async () => {
  if (world !== undefined) await Harness.cleanWorld(world)
})

/** x as loaded from its tar, with extra names. */
const restoreX = async (...tags: Array<string>) => {
  await docker("load", "-q", "-i", xTar)
  for (const tag of tags) await docker("tag", `${P}/x:1`, tag)
}

const repoTags = async (image: string) =>
  (await docker("image", "inspect", "-f", "{{range .RepoTags}}{{.}} {{end}}", image)).trim().split(" ").sort()

describe("image tag", () => {
  it("tag SOURCE TARGET (then the target exists)", async () => {
    await restoreX()
    await Harness.compare(["tag", `${P}/x:1`, `${P}/tagged:1`], world, {
      between: async () => {
        assert.include(await repoTags(`${P}/x:1`), `${P}/tagged:1`)
        await docker("rmi", `${P}/tagged:1`)
      }
    })
    assert.include(await repoTags(`${P}/x:1`), `${P}/tagged:1`)
    await docker("rmi", `${P}/tagged:1`)
  })
  it("image tag by id, without a tag (latest)", async () => {
    await restoreX()
    await Harness.compare(["image", "tag", xId.slice(7, 19), `${P}/tagged`], world, {
      between: () => docker("rmi", `${P}/tagged:latest`)
    })
    assert.include(await repoTags(`${P}/x:1`), `${P}/tagged:latest`)
    await docker("rmi", `${P}/tagged:latest`)
  })
  it("a missing source", () => Harness.compare(["tag", `${P}/missing:1`, `${P}/t:1`], world))
  it("an invalid target", () => Harness.compare(["image", "tag", `${P}/x:1`, "Bad:Target"], world))
  it("an invalid source", () => Harness.compare(["image", "tag", "Bad:Source", `${P}/t:1`], world))
  it("a digest target", () => Harness.compare(["tag", `${P}/x:1`, `${P}/t@sha256:${"a".repeat(64)}`], world))
  it("one argument", () => Harness.compare(["tag", `${P}/x:1`], world))
  it("three arguments", () => Harness.compare(["image", "tag", "a", "b", "c"], world))
})

describe("image rm", () => {
  it("rmi several names with one failing goes on and exits 1", async () => {
    await restoreX(`${P}/rm:a`, `${P}/rm:b`)
    const { dockhand } = await Harness.compare(["rmi", `${P}/rm:a`, `${P}/missing:1`, `${P}/rm:b`], world, {
      between: () => restoreX(`${P}/rm:a`, `${P}/rm:b`)
    })
    assert.strictEqual(dockhand.code, 1)
    assert.deepStrictEqual(await repoTags(`${P}/x:1`), [`${P}/x:1`])
  })
  it("image rm of the last name deletes the image", async () => {
    await restoreX()
    await Harness.compare(["image", "rm", `${P}/x:1`], world, { between: () => restoreX() })
    await restoreX()
  })
  it("image rm of an image with several names needs -f", async () => {
    await restoreX(`${P}/rm:a`)
    await Harness.compare(["image", "rm", xId.slice(7, 19)], world)
  })
  it("image rm -f by id untags every name and deletes", async () => {
    await restoreX(`${P}/rm:a`, `${P}/rm:b`)
    await Harness.compare(["image", "rm", "-f", xId.slice(7, 19)], world, {
      unordered: true,
      between: () => restoreX(`${P}/rm:a`, `${P}/rm:b`)
    })
    await restoreX()
  })
  it("image rm -f of a missing image reports it and exits 0", async () => {
    await restoreX(`${P}/rm:a`)
    const { dockhand } = await Harness.compare(["image", "rm", "-f", `${P}/missing:1`, `${P}/rm:a`], world, {
      between: () => restoreX(`${P}/rm:a`)
    })
    assert.strictEqual(dockhand.code, 0)
  })
  it("image rm -f with an invalid reference still exits 1", () =>
    Harness.compare(["image", "rm", "-f", `${P}/missing:1`, "Bad:Ref"], world))
  it("image remove (alias) with no arguments", () => Harness.compare(["image", "remove"], world))
  it("rmi --no-prune keeps the untagged parents; without it they go too", async () => {
    const context = Harness.writeTree(world, "chain", {
      Dockerfile: "FROM scratch\nCOPY a /a\nLABEL step=1\nCOPY b /b\n",
      a: `a ${world.runId}\n`,
      b: `b ${world.runId}\n`
    })
    const build = () => docker("build", "-q", "--label", world.label, "-t", `${P}/chain:1`, context)
    await build()
    // Rebuilding reuses the cached parents but makes a new top image: ids are masked.
    const kept = await Harness.compare(["rmi", "--no-prune", `${P}/chain:1`], world, { ids: true, between: build })
    assert.match(kept.dockhand.stdout.toString(), /^Untagged: .*\nDeleted: sha256:[0-9a-f]{64}\n$/)
    await build()
    const pruned = await Harness.compare(["rmi", `${P}/chain:1`], world, { ids: true, between: build })
    assert.isAbove(pruned.dockhand.stdout.toString().split("Deleted:").length, 2)
  })
})

describe("image prune (label filter only)", () => {
  /** a dangling (with the prune label), b tagged `prune:1`. */
  const setup = async () => {
    await docker("load", "-q", "-i", pruneA)
    await docker("load", "-q", "-i", pruneB)
  }
  const filter = () => ["--filter", `label=${pruneLabel}`]

  it("prune -f deletes the dangling image", async () => {
    await setup()
    // Between the runs the tagged image goes, by id and with every name, before both are loaded again: loading it
    // over itself would leave a `moby-dangling@…` name on Engine 28.5's containerd store, which the prune untags.
    const fresh = async () => {
      await docker("rmi", "-f", (await docker("image", "inspect", "-f", "{{.Id}}", `${P}/prune:1`)).trim())
      await setup()
    }
    const { dockhand } = await Harness.compare(["image", "prune", "-f", ...filter()], world, { between: fresh })
    // The containerd store keeps a dangling image under a name (its digest), which the prune reports untagging.
    const deleted = Harness.engineKind() === "docker28"
      ? /^Deleted Images:\nuntagged: sha256:[0-9a-f]{64}\ndeleted: sha256:/
      : /^Deleted Images:\ndeleted: sha256:/
    assert.match(dockhand.stdout.toString(), deleted)
  })
  it("prune -f with nothing to prune", async () => {
    await Harness.compare(["image", "prune", "--force", ...filter()], world)
  })
  it("prune asks first; 'n' cancels", async () => {
    await setup()
    await Harness.compare(["image", "prune", ...filter()], world, { stdin: "n\n" })
    const dangling = await docker("images", "-q", "-f", "dangling=true", "-f", `label=${pruneLabel}`)
    assert.notStrictEqual(dangling.trim(), "")
  })
  it("prune asks first; no answer at all cancels", async () => {
    await setup()
    await Harness.compare(["image", "prune", ...filter()], world, { stdin: "" })
  })
  it("prune asks first; 'y' prunes", async () => {
    await setup()
    // Engine 28.5 reports the untagged names in the order its store iterates them, which changes between runs.
    await Harness.compare(["image", "prune", ...filter()], world, { stdin: "y\n", between: setup, unordered: true })
    const dangling = await docker("images", "-q", "-f", "dangling=true", "-f", `label=${pruneLabel}`)
    assert.strictEqual(dangling.trim(), "")
  })
  it("prune -a asks with its own warning; 'n' cancels", async () => {
    await setup()
    await Harness.compare(["image", "prune", "-a", ...filter()], world, { stdin: "n\n" })
    await docker("image", "prune", "-f", ...filter())
  })
  it("prune with an argument", () => Harness.compare(["image", "prune", "x"], world))
  it("prune with a malformed filter", () => Harness.compare(["image", "prune", "-f", "--filter", "label"], world))
})
