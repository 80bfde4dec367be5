/**
 * `image ls` / `images`, `image inspect` and `image history`, side by side with docker CLI 28 on images this file
 * makes: a busybox root file system imported, and a two-stage build FROM scratch (COPY, LABEL, ENV, ARG, CMD) with
 * several tags, one pushed to the plain registry so that it has a digest. Nothing here changes state, so the
 * cases run concurrently.
 */
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Harness from "./Harness.ts"

let world: Harness.World
let P = ""

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("images")
    P = world.prefix
    const tar = Harness.busyboxTar(world)
    await Harness.docker(
      [
        "import",
        "-c",
        "CMD [\"/bin/sh\"]",
        "-c",
        `LABEL ${world.label}`,
        "-m",
        "imported <&> here",
        tar,
        `${P}/base:1`
      ],
      world
    )
    const context = Harness.writeTree(world, "app", {
      Dockerfile: [
        "FROM scratch AS base",
        "COPY busybox /bin/busybox",
        "LABEL a=\"1\" stage=base",
        "ENV FOO=bar",
        "FROM base AS final",
        "ARG VERSION=0",
        "COPY hello.txt /hello.txt",
        "LABEL version=$VERSION",
        "CMD [\"/bin/busybox\", \"sh\"]",
        ""
      ].join("\n"),
      "busybox": fs.readFileSync(Harness.BUSYBOX),
      "hello.txt": `hello ${world.runId}\n`
    })
    await Harness.docker([
      "build",
      "-q",
      "--build-arg",
      "VERSION=7",
      "--label",
      world.label,
      "-t",
      `${P}/app:1`,
      "-t",
      `${P}/app:2`,
      "-t",
      `${P}/app:latest`,
      context
    ], world)
    await Harness.docker(["tag", `${P}/app:1`, `${world.engines.registry}/${P}/app:1`], world)
    await Harness.docker(["push", "-q", `${world.engines.registry}/${P}/app:1`], world)
    await Harness.docker(["load", "-q", "-i", legacyTarWithoutHistory()], world)
  })
)

/**
 * A legacy `docker save` tar (manifest.json, `<id>.json`, `<dir>/layer.tar`) of `$P/nohistory:1` whose config has
 * no `history`: Engine 28.5 answers its history with `null`, docker prints an empty table.
 */
const legacyTarWithoutHistory = (): string => {
  const layer = fs.readFileSync(Harness.busyboxTar(world, "nohistory-layer.tar"))
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    config: { Labels: { [world.label.split("=")[0]!]: world.runId } },
    rootfs: { type: "layers", diff_ids: [`sha256:${createHash("sha256").update(layer).digest("hex")}`] }
  })
  const id = createHash("sha256").update(config).digest("hex")
  const dir = Harness.writeTree(world, "nohistory", {
    [`${id}.json`]: config,
    "layer/layer.tar": layer,
    "manifest.json": JSON.stringify([{
      Config: `${id}.json`,
      RepoTags: [`${P}/nohistory:1`],
      Layers: ["layer/layer.tar"]
    }])
  })
  const file = path.join(world.dir, "nohistory.tar")
  const result = spawnSync("tar", ["-C", dir, "--owner=0", "--group=0", "-cf", file, "."], { encoding: "utf8" })
  assert.strictEqual(result.status, 0, `tar failed: ${result.stderr}`)
  return file
}
beforeEach(setup.check)

afterAll(async () => {
  if (world !== undefined) await Harness.cleanWorld(world)
})

const same = (args: () => ReadonlyArray<string>, options: Harness.Normalize = {}) => () =>
  Harness.compare(args(), world, options).then(() => undefined)

describe.concurrent("image ls", () => {
  const ls = (...args: Array<string>) => same(() => args.map((a) => a.replaceAll("$P", P)), { unordered: true })
  it("images -f reference=…", ls("images", "-f", "reference=$P/*"))
  it("image ls -a with a filter", ls("image", "ls", "-a", "-f", "reference=$P/*"))
  it("image list (alias), repository argument", ls("image", "list", "$P/app"))
  it("images REPOSITORY:TAG", ls("images", "$P/app:2"))
  it("images -q", ls("images", "-q", "-f", "reference=$P/*"))
  it("images --digests", ls("images", "--digests", "-f", "reference=*/$P/*"))
  it("images --no-trunc", ls("images", "--no-trunc", "$P/app"))
  it("images -f label=", same(() => ["images", "-f", `label=${world.label}`], { unordered: true }))
  it("images -f label=key (any value) and reference", ls("images", "-f", "label=stage", "-f", "reference=$P/*"))
  it("images -f dangling=false", ls("images", "-f", "dangling=false", "$P/app"))
  it("images --format table", ls("images", "--format", "table", "$P/app"))
  it("images --format json", ls("images", "--format", "json", "$P/app"))
  it("images --format '{{.Repository}}:{{.Tag}}'", ls("images", "--format", "{{.Repository}}:{{.Tag}}", "$P/app"))
  it("images --format '{{json .}}'", ls("images", "--format", "{{json .}}", "$P/base"))
  it("images --format with a table header", ls("images", "--format", "table {{.ID}}\t{{.Tag}}\t{{.Size}}", "$P/app"))
  it("images --format bad template", ls("images", "--format", "{{.Nope}}", "$P/app"))
  it("images -f with an unknown filter", ls("images", "-f", "bogus=1"))
  it("images -f without =", ls("images", "-f", "bogus"))
  it("images with no match", ls("images", "$P/none"))
  // No filter and no reference: dockhand sends the list request ahead while its code loads (Prefetch)
  it("images, every image of the engine", ls("images"))
  it("image ls -a, every image of the engine", ls("image", "ls", "-a"))
  it("images -q --no-trunc, every image", ls("images", "-q", "--no-trunc"))
  it("the list answered from the request sent ahead is the list docker prints", async () => {
    const docker = await Harness.run("docker", ["image", "ls", "--digests"], world)
    const dockhand = await Harness.run("dockhand", ["-D", "image", "ls", "--digests"], world)
    if (Harness.runtime !== "deno") {
      // Deno sends nothing ahead; Node and Bun say (at debug level) which answers came from the early requests
      assert.include(dockhand.stderr, "answered from the request sent ahead: HEAD /_ping")
      const version = Harness.engineKind() === "docker28" ? "1.51" : "1.41"
      assert.include(dockhand.stderr, `answered from the request sent ahead: GET /v${version}/images/json`)
    }
    Harness.assertSame("image ls --digests", docker, { ...dockhand, stderr: docker.stderr }, { unordered: true })
  })
})

describe.concurrent("image inspect", () => {
  const inspect = (...args: Array<string>) => same(() => args.map((a) => a.replaceAll("$P", P)))
  it("one image", inspect("image", "inspect", "$P/app:1"))
  it("several images", inspect("image", "inspect", "$P/app:1", "$P/base:1"))
  it("a missing one among found ones", inspect("image", "inspect", "$P/app:1", "$P/missing:1", "$P/base:1"))
  it("only a missing one", inspect("image", "inspect", "$P/missing"))
  it("--format '{{.Id}}'", inspect("image", "inspect", "--format", "{{.Id}}", "$P/app:1", "$P/base:1"))
  it("--format '{{.ID}}' (the typed field)", inspect("image", "inspect", "--format", "{{.ID}}", "$P/app:1"))
  it(
    "--format '{{json .Config}}'",
    inspect("image", "inspect", "--format", "{{json .Config}}", "$P/app:1", "$P/base:1")
  )
  it(
    "--format '{{range .RepoTags}}…{{end}}'",
    inspect("image", "inspect", "--format", "{{range .RepoTags}}{{.}} {{end}}", "$P/app:1")
  )
  it(
    "--format '{{index .Config.Labels \"a\"}}'",
    inspect("image", "inspect", "--format", "{{index .Config.Labels \"a\"}}", "$P/app:1")
  )
  it(
    "-f '{{.Comment}}' (HTML characters)",
    inspect("image", "inspect", "-f", "{{.Comment}}|{{.Os}}|{{.Size}}", "$P/base:1")
  )
  it(
    "-f '{{.RootFS}} {{.Metadata}}' (Go's struct printing)",
    inspect("image", "inspect", "-f", "{{.RootFS}} {{.Metadata}} {{.Config}}", "$P/app:1")
  )
  it("-f '{{json .ContainerConfig}}'", inspect("image", "inspect", "-f", "{{json .ContainerConfig}}", "$P/app:1"))
  it("-f with a missing key", inspect("image", "inspect", "-f", "{{.Nope}}", "$P/app:1", "$P/base:1"))
  it("-f that does not parse", inspect("image", "inspect", "-f", "{{.Id", "$P/app:1"))
  it("-f with a missing image", inspect("image", "inspect", "-f", "{{.Id}}", "$P/missing"))
  it("an invalid reference", inspect("image", "inspect", "Bad:Ref"))
  it("inspect (top-level, images only)", inspect("image", "inspect", "--format", "{{.Architecture}}", "$P/base:1"))
})

describe.concurrent("image history", () => {
  const history = (...args: Array<string>) => same(() => args.map((a) => a.replaceAll("$P", P)))
  it("history", history("history", "$P/app:1"))
  it("image history -H=false", history("image", "history", "-H=false", "$P/app:1"))
  it("image history --no-trunc", history("image", "history", "--no-trunc", "$P/app:1"))
  it("image history -q", history("image", "history", "-q", "$P/app:1"))
  it(
    "image history --format",
    history("image", "history", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}", "$P/base:1")
  )
  it("image history --format json", history("image", "history", "--format", "json", "$P/app:1"))
  it("history of a loaded image whose config has no history", history("history", "$P/nohistory:1"))
  it("image history --format json, no history", history("image", "history", "--format", "json", "$P/nohistory:1"))
  it("history of a missing image", history("history", "$P/missing"))
  it("history of an invalid reference", history("history", "Bad:Ref"))
})
