/**
 * Side by side on Docker Engine 28.5 with the containerd image store, docker CLI 28.5 the reference (issue 10):
 * `image ls --tree` (to a pipe and, in tmux, to a terminal), every `--platform` flag of the image commands with its
 * errors, `image ls`, `image inspect`, `system df` on the containerd store, and `history` of an image whose config
 * has no history (the engine answers `null`).
 *
 * Fixtures made here: a two-platform index with attestation manifests (buildx, `FROM scratch` + busybox, no
 * emulation), a tag of it used by a container (the in-use mark), another index pushed to the loopback registry of
 * which one platform is pulled alone, a dangling image (import without a name), and a legacy tar with neither
 * history nor `created`.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Harness from "./Harness.ts"
import * as TmuxPane from "./TmuxPane.ts"

let world: Harness.World
let multi = ""
let pushed = ""
let legacy = ""
let container = ""
const setup = Harness.guardedSetup()

/** The references of this file's images (docker's `reference` filter: `*` stays within a path component). */
const mine = () => ["-f", `reference=${world.prefix}-*`, "-f", `reference=${world.engines.registry}/${world.prefix}-*`]

/** A legacy (`docker save` v1.2) tar whose config has no history and no `created`. */
const legacyTar = (tag: string): string => {
  const layer = fs.readFileSync(Harness.busyboxTar(world, "legacy-rootfs.tar", "legacy"))
  const diffId = `sha256:${createHash("sha256").update(layer).digest("hex")}`
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    config: { Labels: { [Harness.LABEL_KEY]: world.runId } },
    rootfs: { type: "layers", diff_ids: [diffId] }
  })
  const dir = path.join(world.dir, "legacy")
  fs.mkdirSync(dir)
  const configName = `${createHash("sha256").update(config).digest("hex")}.json`
  fs.writeFileSync(path.join(dir, configName), config)
  fs.writeFileSync(path.join(dir, "layer.tar"), layer)
  fs.writeFileSync(
    path.join(dir, "manifest.json"),
    JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: ["layer.tar"] }])
  )
  const file = path.join(world.dir, "legacy.tar")
  const result = spawnSync("tar", ["-C", dir, "-cf", file, "manifest.json", configName, "layer.tar"])
  if (result.status !== 0) throw new Error(`tar failed: ${result.stderr}`)
  return file
}

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld28("tree")
    const context = (name: string) =>
      Harness.writeTree(world, name, {
        "Dockerfile": "FROM scratch\nCOPY busybox /bin/busybox\nCOPY run /etc/run\n",
        "busybox": fs.readFileSync(Harness.BUSYBOX),
        "run": `${world.runId} ${name}\n`
      })
    multi = `${world.prefix}-multi:1`
    const label = ["--label", world.label, "--provenance", "mode=min"]
    await Harness.docker(
      ["buildx", "build", "-q", "--platform", "linux/amd64,linux/arm64", ...label, "--load", "-t", multi, context("a")],
      world
    )
    await Harness.docker(["tag", multi, `${world.prefix}-multi:a-longer-tag`], world)
    pushed = `${world.engines.registry}/${world.prefix}-pushed:1`
    await Harness.docker([
      "buildx",
      "build",
      "-q",
      "--platform",
      "linux/amd64,linux/arm64",
      ...label,
      "--output",
      "type=registry,registry.insecure=true",
      "-t",
      pushed,
      "-t",
      pushed.replace(/:1$/, ":2"),
      context("b")
    ], world)
    await Harness.docker(["pull", "-q", "--platform", "linux/arm64", pushed], world)
    await Harness.docker(
      ["import", "-c", `LABEL ${Harness.LABEL_KEY}=${world.runId}`, Harness.busyboxTar(world)],
      world
    )
    legacy = `${world.prefix}-legacy:1`
    await Harness.docker(["load", "-q", "-i", legacyTar(legacy)], world)
    container = (await Harness.docker(
      ["create", "--network", "none", "--label", world.label, multi, "/bin/busybox", "true"],
      world
    )).trim()
  }), 300_000)

afterAll(async () => {
  if (world === undefined) return
  if (container !== "") await Harness.run("docker", ["rm", "-f", container], world)
  await Harness.cleanWorld(world)
})

beforeEach(setup.check)

/** Engine 20.10's socket (env.sh's `DOCKHAND_DOCKER20_SOCK`; CI points `DOCKHAND_DOCKER_SOCK` at 28.5 here). */
const engine20Sock = (): string => {
  const sock = process.env["DOCKHAND_DOCKER20_SOCK"]
  if (sock === undefined || !fs.existsSync(sock)) {
    throw new Error(`DOCKHAND_DOCKER20_SOCK=${sock ?? ""} is not Engine 20.10's socket: start the engines`)
  }
  return sock
}
describe("image ls --tree (docker CLI 28.5 on Engine 28.5)", () => {
  it("to a pipe: platforms, sizes, in-use marks, header and legend", async () => {
    // images of the same creation time come in the daemon's order, which Engine 28.5 does not fix between two calls
    const { dockhand } = await Harness.compare(["image", "ls", "--tree", ...mine()], world, { unordered: true })
    const text = dockhand.stdout.toString()
    assert.include(text, "WARNING: This is an experimental feature.")
    assert.include(text, " Info ->  U In Use \n")
    assert.include(text, "├─ linux/amd64")
    assert.include(text, "└─ linux/arm64")
  })

  it("-a, a reference, images --tree, a dangling filter", async () => {
    // images of the same creation time come in the daemon's order, which Engine 28.5 does not fix between two calls
    await Harness.compare(["image", "ls", "--tree", "-a", "-f", `label=${world.label}`], world, { unordered: true })
    await Harness.compare(["image", "ls", "--tree", `${world.prefix}-multi`], world)
    await Harness.compare(["images", "--tree", `${world.prefix}-multi:1`], world)
    await Harness.compare(["image", "ls", "--tree", "-a", "-f", "dangling=true", "-f", `label=${world.label}`], world)
    await Harness.compare(["image", "ls", "--tree", "-f", "reference=nothing-here-at-all"], world)
  })

  it("refuses what the tree cannot show, with docker's errors", async () => {
    for (const flag of [["-q"], ["--no-trunc"], ["--digests"], ["--format", "{{.ID}}"], ["--format", "table"]]) {
      await Harness.compare(["image", "ls", "--tree", ...flag], world)
    }
    await Harness.compare(["image", "ls", "--tree", "--format", "", `${world.prefix}-multi`], world)
    await Harness.compare(["image", "ls", "--tree", "-f", "nonsense"], world)
  })

  it("needs API 1.47: DOCKER_API_VERSION=1.46 here, and Engine 20.10", async () => {
    await Harness.compare(["image", "ls", "--tree"], world, { env: { DOCKER_API_VERSION: "1.46" } })
    const old = engine20Sock()
    const { dockhand } = await Harness.compare(["image", "ls", "--tree", "-q"], world, {
      env: { DOCKER_HOST: `unix://${old}` }
    })
    assert.strictEqual(
      dockhand.stderr,
      `"--tree" requires API version 1.47, but the Docker daemon API version is 1.41\n`
    )
  })

  /** Runs `program image ls --tree ARGS` in a tmux pane of the given size; gives the raw bytes it wrote. */
  const inTerminal = async (program: "docker" | "dockhand", columns: number, args: ReadonlyArray<string>) => {
    const command = program === "docker" ? ["docker"] : Harness.dockhandCommand
    const pane = await TmuxPane.inTerminal(world, `${program}-${columns}`, [
      ...command,
      "image",
      "ls",
      "--tree",
      ...args
    ], {
      columns,
      rows: 50
    })
    // Deno itself clears its (module loading) progress line on a terminal before the program writes anything.
    const text = Buffer.from(pane.raw, "latin1").toString("utf8")
    const own = program === "dockhand" && Harness.runtime === "deno"
      ? text.replace(/^(?:\x1b\[0G\x1b\[2K\x1b\[J)+/, "")
      : text
    return { raw: own, code: pane.code }
  }

  it(
    "to a terminal: docker's colours, chips and the terminal's width (NO_COLOR=1 ignored, as docker does)",
    async () => {
      for (const columns of [120, 60, 32]) {
        const docker = await inTerminal("docker", columns, ["-a", "-f", `label=${world.label}`])
        const dockhand = await inTerminal("dockhand", columns, ["-a", "-f", `label=${world.label}`])
        assert.strictEqual(dockhand.code, docker.code)
        // Images of the same creation time (the index and its pushed copy) come in the daemon's list order, which
        // Engine 28.5 does not fix between two calls: the header exact, the image blocks as a set
        const blocks = (raw: string) => {
          const [header = "", ...images] = raw.split("\r\n\r\n")
          return { header, images: images.sort() }
        }
        assert.deepStrictEqual(blocks(dockhand.raw), blocks(docker.raw), `at ${columns} columns`)
        assert.include(docker.raw, "\x1b[38;5;0m\x1b[48;5;14m U \x1b[0m")
      }
    },
    120_000
  )
})

describe("--platform on the image commands (docker CLI 28.5)", () => {
  it("image inspect", async () => {
    await Harness.compare(["image", "inspect", "--platform", "linux/arm64", multi], world)
    await Harness.compare(
      ["image", "inspect", "--platform", "linux/arm64", "-f", "{{.Architecture}} {{.Id}}", multi],
      world
    )
    await Harness.compare(["image", "inspect", "--platform", "linux/s390x", multi], world)
    await Harness.compare(["image", "inspect", "--platform", "linux/amd64", pushed], world)
    await Harness.compare(["image", "inspect", "--platform", "linux//", multi], world)
  })

  it("image history", async () => {
    await Harness.compare(["image", "history", "--platform", "linux/arm64", multi], world)
    await Harness.compare(
      ["image", "history", "--platform", "linux/arm64", "--no-trunc", "--format", "json", multi],
      world
    )
    await Harness.compare(["image", "history", "--platform", "linux/s390x", multi], world)
    await Harness.compare(["image", "history", "--platform", "linux/amd64", pushed], world)
    await Harness.compare(["image", "history", "--platform", "Linux/ARM64/", multi], world)
    await Harness.compare(["image", "history", "--platform", "Linux/AArch64", multi], world)
    await Harness.compare(["image", "history", "--platform", "linux/arm64/v8/x", multi], world)
    await Harness.compare(["image", "history", "--platform", "linux/*", multi], world)
    await Harness.compare(["image", "history", "--platform", "nonsense", multi], world)
  })

  it("image save", async () => {
    const a = path.join(world.dir, "save-docker.tar")
    const b = path.join(world.dir, "save-dockhand.tar")
    const docker = await Harness.run("docker", ["save", "--platform", "linux/arm64", "-o", a, multi], world)
    const dockhand = await Harness.run("dockhand", ["save", "--platform", "linux/arm64", "-o", b, multi], world)
    Harness.assertSame("save --platform", docker, dockhand)
    assert.isTrue(fs.readFileSync(a).equals(fs.readFileSync(b)), "the two tars differ")
    const c = path.join(world.dir, "save-docker-last.tar")
    const d = path.join(world.dir, "save-dockhand-last.tar")
    // docker 28.5's --platform is one value: the last one given wins.
    const twice = ["--platform", "linux/amd64", "--platform", "linux/arm64"]
    Harness.assertSame(
      "save --platform twice",
      await Harness.run("docker", ["save", ...twice, "-o", c, multi], world),
      await Harness.run("dockhand", ["save", ...twice, "-o", d, multi], world)
    )
    assert.isTrue(fs.readFileSync(c).equals(fs.readFileSync(a)), "docker took the last --platform")
    assert.isTrue(fs.readFileSync(d).equals(fs.readFileSync(a)), "dockhand took the last --platform")
    await Harness.compare(["save", "--platform", "linux/s390x", multi], world)
    await Harness.compare(["save", "--platform", "linux/amd64", pushed], world)
    await Harness.compare(["save", "--platform", "bad/", "-o", a, multi], world)
  })

  it("image load", async () => {
    const tar = path.join(world.dir, "load.tar")
    await Harness.docker(["save", "-o", tar, multi], world)
    await Harness.compare(["load", "--platform", "linux/arm64", "-i", tar], world)
    await Harness.compare(["load", "--platform", "linux/s390x", "-i", tar], world)
    await Harness.compare(["load", "--platform", "bad/", "-i", tar], world)
  })

  it("image pull and push", async () => {
    const second = pushed.replace(/:1$/, ":2")
    await Harness.compare(["pull", "--platform", "linux/arm64", second], world, { layers: true })
    await Harness.compare(["pull", "--platform", "linux/s390x", second], world, { layers: true })
    await Harness.compare(["pull", "--platform", "bad/", second], world)
    // DOCKER_DEFAULT_PLATFORM is the flag's default in docker's pull and import.
    await Harness.compare(["pull", second], world, { layers: true, env: { DOCKER_DEFAULT_PLATFORM: "linux/s390x" } })
    const target = `${world.engines.registry}/${world.prefix}-pushed:arm64`
    await Harness.docker(["tag", multi, target], world)
    // docker pushes the new layer first; dockhand then finds it there.
    await Harness.compare(["push", "--platform", "linux/arm64", target], world, {
      layers: true,
      replace: [[/: Pushed$/gm, ": Layer already exists"]]
    })
    await Harness.compare(["push", "-q", "--platform", "linux/arm64", target], world)
    await Harness.compare(["push", "--platform", "linux/arm64", "Bad:Ref"], world)
    await Harness.compare(["push", "--platform", "linux/s390x", target], world, { layers: true })
    await Harness.compare(["push", "--platform", "bad/", target], world)
  })

  it("image rm", async () => {
    const victim = `${world.prefix}-victim:1`
    const tag = () => Harness.docker(["tag", multi, victim], world)
    await tag()
    await Harness.compare(["rmi", "--platform", "linux/s390x", victim], world)
    await Harness.compare(["rmi", "--platform", "bad/", victim], world)
    await Harness.compare(["rmi", victim], world, { between: tag })
  })

  it("image import", async () => {
    const tar = Harness.busyboxTar(world, "import.tar")
    await Harness.compare(["import", "--platform", "linux/arm64", tar, `${world.prefix}-imported:1`], world, {
      ids: true
    })
    await Harness.compare(["import", "--platform", "bad/", tar], world)
    await Harness.compare(["import", tar], world, { env: { DOCKER_DEFAULT_PLATFORM: "bad/" } })
  })
})

describe("--platform needs a newer API: docker's version check, on Engine 20.10 (API 1.41)", () => {
  it("inspect 1.49, history, save and load 1.48, rm 1.50, push 1.46", async () => {
    const env = { DOCKER_HOST: `unix://${engine20Sock()}` }
    const image = `${world.prefix}-absent:1`
    for (
      const args of [
        ["image", "inspect", "--platform", "linux/amd64", image],
        ["image", "history", "--platform", "linux/amd64", image],
        ["save", "--platform", "linux/amd64", image],
        ["load", "--platform", "linux/amd64", "-i", "/dev/null"],
        ["rmi", "--platform", "linux/amd64", image],
        ["push", "--platform", "linux/amd64", `${world.engines.registry}/${image}`]
      ]
    ) {
      const { dockhand } = await Harness.compare(args, world, { env })
      assert.match(
        dockhand.stderr,
        /^"--platform" requires API version 1\.\d\d, but the Docker daemon API version is 1\.41\n$/
      )
    }
  })
})

describe("the containerd store's list, inspect, df and history", () => {
  it("image ls (flat), with -a, --digests and a template", async () => {
    await Harness.compare(["image", "ls", ...mine()], world, { unordered: true })
    await Harness.compare(["image", "ls", "-a", "--digests", "--no-trunc", "-f", `label=${world.label}`], world, {
      unordered: true
    })
    await Harness.compare(["image", "ls", "--format", "{{json .}}", `${world.prefix}-multi`], world, {
      unordered: true
    })
  })

  it("image inspect of an index and of a loaded legacy image", async () => {
    await Harness.compare(["image", "inspect", multi, legacy], world)
    await Harness.compare(["image", "inspect", pushed], world)
  })

  it("system df and system df -v", async () => {
    await Harness.compare(["system", "df"], world)
    // the build cache is shared with the build tests running beside this file (records come and go between the two
    // calls): its section is compared by its heading alone
    const docker = await Harness.run("docker", ["system", "df", "-v"], world)
    const dockhand = await Harness.run("dockhand", ["system", "df", "-v"], world)
    const withoutCache = (out: Harness.Output): Harness.Output => {
      const text = out.stdout.toString()
      const at = text.indexOf("Build cache usage:")
      assert.isAtLeast(at, 0, text)
      return { ...out, stdout: Buffer.from(text.slice(0, at)) }
    }
    Harness.assertSame("system df -v", withoutCache(docker), withoutCache(dockhand), { sections: true })
  })

  it("history of an image whose config has no history: the empty table, nothing for json", async () => {
    const { dockhand } = await Harness.compare(["image", "history", legacy], world)
    assert.strictEqual(dockhand.stdout.toString(), "IMAGE     CREATED   CREATED BY   SIZE      COMMENT\n")
    const json = await Harness.compare(["image", "history", "--format", "json", legacy], world)
    assert.strictEqual(json.dockhand.stdout.toString(), "")
    await Harness.compare(["image", "history", "-q", "--no-trunc", legacy], world)
  })
})
