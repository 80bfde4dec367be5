/**
 * The commands that move images, side by side with docker CLI 28: `image pull` and `image push` through the plain
 * registry (non-TTY output: docker's plain lines, one per layer state), `image save` (the very same tar bytes, to a
 * file and to a pipe), `image load` (from a file and from stdin) and `image import` (a file or stdin, with `-c` and
 * `-m`). Each case runs docker, puts the engine back as it was, then runs dockhand.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Harness from "./Harness.ts"

let world: Harness.World
let P = ""
/** `<registry>/<prefix>`. */
let R = ""
let digest = ""

const docker = (...args: Array<string>) => Harness.docker(args, world)

/** Removes local images by name; a missing one is fine. */
const drop = (...names: Array<string>) => Harness.run("docker", ["rmi", ...names], world)

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("transfer")
    P = world.prefix
    R = `${world.engines.registry}/${P}`
    // Two tiny layers unique to this run, so that a pull has to download both.
    const context = Harness.writeTree(world, "layers", {
      Dockerfile: "FROM scratch\nCOPY a /a\nCOPY b /b\nCMD [\"/a\"]\n",
      a: `layer a ${world.runId}\n`,
      b: `layer b ${world.runId}\n`
    })
    await docker(
      "build",
      "-q",
      "--label",
      world.label,
      "-t",
      `${R}/layers:1`,
      "-t",
      `${R}/layers:2`,
      "-t",
      `${R}/layers:latest`,
      context
    )
    await docker("push", "-q", "-a", `${R}/layers`)
    digest = (await docker("image", "inspect", "-f", "{{index .RepoDigests 0}}", `${R}/layers:1`)).trim().replace(
      /^.*@/,
      ""
    )
    await docker("rmi", `${R}/layers:1`, `${R}/layers:2`, `${R}/layers:latest`)
  })
)
beforeEach(setup.check)

afterAll(async () => {
  if (world !== undefined) await Harness.cleanWorld(world)
})

describe("image pull", () => {
  const fresh = () => drop(`${R}/layers:1`, `${R}/layers:2`, `${R}/layers:latest`, `${R}/layers@${digest}`)

  it("a tag, layers downloaded", async () => {
    await fresh()
    const { dockhand } = await Harness.compare(["image", "pull", `${R}/layers:1`], world, {
      layers: true,
      between: fresh
    })
    const out = dockhand.stdout.toString()
    assert.match(out, /: Pull complete\n/)
    assert.match(out, /\nStatus: Downloaded newer image for /)
  })
  it("a tag already there", () => Harness.compare(["pull", `${R}/layers:1`], world, { layers: true }))
  it("no tag: the 'Using default tag' notice", async () => {
    await fresh()
    await Harness.compare(["pull", `${R}/layers`], world, { layers: true, between: fresh })
  })
  it("a digest", async () => {
    await fresh()
    await Harness.compare(["image", "pull", `${R}/layers@${digest}`], world, { layers: true, between: fresh })
  })
  it("-q", async () => {
    await fresh()
    await Harness.compare(["image", "pull", "-q", `${R}/layers:2`], world, { between: fresh })
  })
  it("-a: every tag", async () => {
    await fresh()
    await Harness.compare(["image", "pull", "-a", `${R}/layers`], world, { layers: true, between: fresh })
  })
  it("-a again: everything up to date", () =>
    Harness.compare(["pull", "--all-tags", `${R}/layers`], world, { layers: true }))
  it("-a with a tag", () => Harness.compare(["pull", "-a", `${R}/layers:1`], world))
  it("a tag the registry does not have", () => Harness.compare(["pull", `${R}/layers:nope`], world))
  it("an invalid reference", () => Harness.compare(["image", "pull", "Bad:Ref"], world))
  it("no argument", () => Harness.compare(["pull"], world))
})

describe("image push", () => {
  it("layers already in the registry", async () => {
    await docker("pull", "-q", `${R}/layers:1`)
    await Harness.compare(["image", "push", `${R}/layers:1`], world, { layers: true })
  })
  it("-q", () => Harness.compare(["image", "push", "-q", `${R}/layers:1`], world))
  it("no tag: the 'Using default tag' notice", async () => {
    await docker("pull", "-q", `${R}/layers:latest`)
    await Harness.compare(["push", `${R}/layers`], world, { layers: true })
  })
  it("-a: every tag", async () => {
    await docker("pull", "-q", "-a", `${R}/layers`)
    await Harness.compare(["image", "push", "-a", `${R}/layers`], world, { layers: true })
  })
  it("-a -q", () => Harness.compare(["image", "push", "-a", "-q", `${R}/layers`], world))
  it("new layers (same shape, other content: ids masked)", async () => {
    const image = (name: string) =>
      Harness.writeTree(world, `first-${name}`, {
        Dockerfile: "FROM scratch\nCOPY f /f\n",
        f: `first ${name} ${world.runId}\n`
      })
    await docker("build", "-q", "--label", world.label, "-t", `${P}/first:docker`, image("d"))
    await docker("build", "-q", "--label", world.label, "-t", `${P}/first:dockhand`, image("h"))
    await docker("tag", `${P}/first:docker`, `${R}/first:1`)
    const { dockhand } = await Harness.compare(["push", `${R}/first:1`], world, {
      layers: true,
      ids: true,
      between: () => docker("tag", `${P}/first:dockhand`, `${R}/first:1`)
    })
    assert.match(dockhand.stdout.toString(), /: Pushed\n/)
  })
  it("-a with a tag", () => Harness.compare(["push", "-a", `${R}/layers:1`], world))
  it("an image that does not exist locally", () => Harness.compare(["push", `${R}/missing:1`], world))
  it("an invalid reference", () => Harness.compare(["image", "push", "Bad:Ref"], world))
})

describe("image save", () => {
  beforeAll(() =>
    setup.run(async () => {
      await docker("pull", "-q", "-a", `${R}/layers`)
    })
  )
  it("-o FILE: the same tar bytes", async () => {
    const d = path.join(world.dir, "save-docker.tar")
    const h = path.join(world.dir, "save-dockhand.tar")
    const out = await Harness.run("docker", ["save", "-o", d, `${R}/layers:1`, `${R}/layers:2`], world)
    const mine = await Harness.run("dockhand", ["image", "save", "-o", h, `${R}/layers:1`, `${R}/layers:2`], world)
    Harness.assertSame("save -o", out, mine)
    assert.isTrue(fs.readFileSync(d).equals(fs.readFileSync(h)), "the saved tars differ")
    assert.strictEqual(fs.statSync(h).mode & 0o777, fs.statSync(d).mode & 0o777)
    // over an existing file of another mode: docker's result is its new temporary file's 0600, and so is dockhand's
    fs.chmodSync(d, 0o644)
    fs.chmodSync(h, 0o644)
    await Harness.run("docker", ["save", "-o", d, `${R}/layers:1`], world)
    await Harness.run("dockhand", ["image", "save", "-o", h, `${R}/layers:1`], world)
    assert.strictEqual(fs.statSync(d).mode & 0o777, 0o600)
    assert.strictEqual(fs.statSync(h).mode & 0o777, 0o600)
  })
  it("to a pipe: the same tar bytes", async () => {
    const { docker: d, dockhand: h } = await Harness.compare(["save", `${R}/layers:1`], world)
    assert.isAbove(h.stdout.length, 1024)
    assert.isTrue(d.stdout.equals(h.stdout))
  })
  it("to a pipe read slower than it is written: every byte arrives before dockhand exits", async () => {
    const image = `${P}/slow-reader:1`
    await docker("import", Harness.busyboxTar(world, "slow-reader.tar"), image)
    const d = await Harness.run("docker", ["save", image], world, { slowReader: 3 })
    const h = await Harness.run("dockhand", ["save", image], world, { slowReader: 3 })
    assert.strictEqual(d.code, 0)
    assert.strictEqual(h.code, 0, h.stderr)
    assert.isAbove(d.stdout.length, 1024 * 1024)
    assert.strictEqual(h.stdout.length, d.stdout.length, "dockhand's tar is cut short")
    assert.isTrue(d.stdout.equals(h.stdout))
  })
  it("a missing image leaves an existing file alone", async () => {
    const file = path.join(world.dir, "keep.tar")
    fs.writeFileSync(file, "keep me")
    await Harness.compare(["save", "-o", file, `${P}/missing:1`], world)
    assert.strictEqual(fs.readFileSync(file, "utf8"), "keep me")
    assert.deepStrictEqual(fs.readdirSync(world.dir).filter((f) => f.startsWith(".docker_temp")), [])
  })
  it("-o into a directory that does not exist", () =>
    Harness.compare(["save", "-o", path.join(world.dir, "no/such/dir/x.tar"), `${R}/layers:1`], world))
  it("no argument", () => Harness.compare(["image", "save"], world))

  describe("-o onto something that is not a file (checked before the image is asked for)", () => {
    beforeAll(() =>
      setup.run(async () => {
        const dir = path.join(world.dir, "targets")
        fs.mkdirSync(path.join(dir, "dir"), { recursive: true })
        fs.writeFileSync(path.join(dir, "file"), "keep me")
        fs.symlinkSync("file", path.join(dir, "link"))
        fs.symlinkSync("nowhere", path.join(dir, "dangling"))
        fs.symlinkSync("dir", path.join(dir, "dirlink"))
      })
    )
    /** Both programs refuse, and the directory is as it was. */
    const refused = async (target: string, image = `${R}/layers:1`) => {
      const { dockhand } = await Harness.compare(["save", "-o", `targets/${target}`, image], world)
      assert.strictEqual(dockhand.code, 1)
      assert.deepStrictEqual(fs.readdirSync(path.join(world.dir, "targets")).sort(), [
        "dangling",
        "dir",
        "dirlink",
        "file",
        "link"
      ])
      assert.deepStrictEqual(fs.readdirSync(path.join(world.dir, "targets", "dir")), [])
      assert.strictEqual(fs.readlinkSync(path.join(world.dir, "targets", "link")), "file")
      assert.strictEqual(fs.readFileSync(path.join(world.dir, "targets", "file"), "utf8"), "keep me")
    }
    it("a symbolic link to a file", () => refused("link"))
    it("a dangling symbolic link", () => refused("dangling"))
    it("a symbolic link to a directory", () => refused("dirlink"))
    it("a directory", () => refused("dir"))
    it("a directory, with a missing image: the path is refused first", () => refused("dir", `${P}/missing:1`))
    it("a directory named with a trailing slash", () => refused("dir/"))
    it("a link to a directory named with a trailing slash", () => refused("dirlink/"))
    it("under a regular file", () => refused("file/x.tar"))
    it("under a link to a regular file", () => refused("link/"))
  })
})

describe("image load", () => {
  let tar = ""
  let untagged = ""
  beforeAll(() =>
    setup.run(async () => {
      await docker("pull", "-q", "-a", `${R}/layers`)
      tar = path.join(world.dir, "load.tar")
      await docker("save", "-o", tar, `${R}/layers:1`, `${R}/layers:2`)
      const id = (await docker("image", "inspect", "-f", "{{.Id}}", `${R}/layers:1`)).trim()
      untagged = path.join(world.dir, "load-untagged.tar")
      await docker("save", "-o", untagged, id)
    })
  )
  it("-i FILE", () => Harness.compare(["load", "-i", tar], world))
  it("from stdin", () => Harness.compare(["image", "load"], world, { stdin: fs.readFileSync(tar) }))
  it("-q from stdin", () => Harness.compare(["image", "load", "-q"], world, { stdin: fs.readFileSync(tar) }))
  it("from stdin redirected from the file (< FILE)", () => Harness.compare(["load"], world, { stdinFile: tar }))
  it("-q, < FILE", () => Harness.compare(["image", "load", "-q"], world, { stdinFile: tar }))
  it("an image without a name", () => Harness.compare(["load", "--input", untagged], world))
  it("a file that does not exist", () => Harness.compare(["load", "-i", path.join(world.dir, "missing.tar")], world))
  it("not a tar", () => Harness.compare(["load"], world, { stdin: "hello\n" }))
  it("an argument", () => Harness.compare(["image", "load", "x"], world))
})

describe("image import", () => {
  let rootfs = ""
  beforeAll(() =>
    setup.run(async () => {
      rootfs = Harness.busyboxTar(world, "import.tar")
    })
  )
  /** What an imported image is, apart from its id and creation time. */
  const describeImage = (name: string) =>
    docker(
      "image",
      "inspect",
      "-f",
      "{{json .Config}}|{{.Comment}}|{{.Os}}/{{.Architecture}}|{{.Size}}|{{.RootFS.Layers}}",
      name
    )

  const importCase = async (args: ReadonlyArray<string>, name: string, stdin?: Uint8Array) => {
    const d = await Harness.run("docker", args, world, { stdin })
    const dImage = await describeImage(name)
    await docker("rmi", name)
    const h = await Harness.run("dockhand", args, world, { stdin })
    Harness.assertSame(args.join(" "), d, h, { ids: true })
    const hImage = await describeImage(name)
    if (Harness.engineKind() === "docker28") {
      // The containerd store's Size counts the config and manifest too, whose length follows the creation time
      // (Go drops a fraction's trailing zeros): the sizes may differ by those few bytes, the rest must not.
      const [dSize, hSize] = [dImage, hImage].map((text) => Number(text.split("|")[3]))
      assert.isAtMost(Math.abs(dSize! - hSize!), 16, `sizes ${dSize} and ${hSize}`)
      const withoutSize = (text: string) => text.split("|").filter((_, i) => i !== 3).join("|")
      assert.strictEqual(withoutSize(hImage), withoutSize(dImage))
    } else assert.strictEqual(hImage, dImage)
  }

  it("a file, with -c and -m", () =>
    importCase(
      [
        "image",
        "import",
        "-c",
        "CMD [\"/bin/sh\"]",
        "-c",
        "ENV A=b",
        "-c",
        `LABEL ${world.label}`,
        "-m",
        "from <a> file",
        rootfs,
        `${P}/imported:file`
      ],
      `${P}/imported:file`
    ))
  it("stdin (-)", () =>
    importCase(
      ["import", "--change", `LABEL ${world.label}`, "--message", "from stdin", "-", `${P}/imported:stdin`],
      `${P}/imported:stdin`,
      fs.readFileSync(rootfs)
    ))
  it("a file that does not exist", () => Harness.compare(["import", path.join(world.dir, "missing.tar")], world))
  // docker takes only http:// and https:// for addresses; anything else is a local file, read and uploaded
  it("a local file named like a URL (github.com/…)", () => {
    fs.mkdirSync(path.join(world.dir, "github.com"), { recursive: true })
    fs.copyFileSync(rootfs, path.join(world.dir, "github.com", "x.tar"))
    return importCase(
      ["import", "-c", `LABEL ${world.label}`, "github.com/x.tar", `${P}/imported:github`],
      `${P}/imported:github`
    )
  })
  it("a local file named like a URL (git@…)", () => {
    fs.mkdirSync(path.join(world.dir, "git@127.0.0.1:1"), { recursive: true })
    fs.copyFileSync(rootfs, path.join(world.dir, "git@127.0.0.1:1", "x.tar"))
    return importCase(
      ["import", "-c", `LABEL ${world.label}`, "git@127.0.0.1:1/x.tar", `${P}/imported:git`],
      `${P}/imported:git`
    )
  })
  it("a missing file named like a URL is not sent to the daemon", () =>
    Harness.compare(["import", "git@127.0.0.1:1/nope.tar"], world))
  it("an http:// address goes to the daemon (nothing listens there)", () =>
    Harness.compare(["import", "http://127.0.0.1:1/x.tar"], world))
  it("an invalid change", () => Harness.compare(["import", "-c", "BOGUS x", rootfs], world))
  it("an invalid reference", () => Harness.compare(["import", rootfs, "Bad:Ref"], world))
  it("no argument", () => Harness.compare(["image", "import"], world))
  it("KNOWN_DIFFERENCES: a digest reference is refused by the client, not the daemon", async () => {
    const args = ["import", rootfs, `${P}/imported@sha256:${"a".repeat(64)}`]
    const d = await Harness.run("docker", args, world)
    const h = await Harness.run("dockhand", args, world)
    assert.strictEqual(d.stderr, "Error response from daemon: cannot import digest reference\n")
    assert.strictEqual(h.stderr, "cannot import to a digest reference\n")
    assert.strictEqual(h.code, d.code)
  })
})
