/**
 * `system df` and `system df -v`, side by side with docker CLI 28: an image with a VOLUME, two containers made from
 * it (created, never started, no network), one with a named volume and labels. The daemon lists volumes and mounts
 * in Go map order, so rows are compared sorted within each section. Nothing here changes state, but the cases run
 * one after the other: the daemon refuses a second `/system/df` while one runs ("a disk usage operation is already
 * running").
 */
import { afterAll, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import * as Harness from "./Harness.ts"

let world: Harness.World
let P = ""

const setup = Harness.guardedSetup()

beforeAll(() =>
  setup.run(async () => {
    world = Harness.makeWorld("system")
    P = world.prefix
    const tar = Harness.busyboxTar(world)
    await Harness.docker([
      "import",
      "-c",
      "VOLUME /data",
      "-c",
      "CMD [\"/bin/sh\", \"-c\", \"echo a command longer than twenty\"]",
      "-c",
      `LABEL ${world.label}`,
      tar,
      `${P}/vol:1`
    ], world)
    await Harness.docker(
      ["create", "--network", "none", "--name", `${P}-one`, "--label", world.label, `${P}/vol:1`],
      world
    )
    await Harness.docker([
      "create",
      "--network",
      "none",
      "--name",
      `${P}-two`,
      "--label",
      world.label,
      "--label",
      "b=2",
      "-v",
      `${P}-named:/named`,
      `${P}/vol:1`,
      "/bin/sh",
      "-c",
      "true"
    ], world)
  })
)
beforeEach(setup.check)

afterAll(async () => {
  if (world === undefined) return
  await Harness.run("docker", ["rm", "-f", "-v", `${P}-one`, `${P}-two`], world)
  await Harness.run("docker", ["volume", "rm", `${P}-named`], world)
  await Harness.cleanWorld(world)
})

const same = (args: () => ReadonlyArray<string>, options: Harness.Normalize = {}) => () =>
  Harness.compare(args(), world, options).then(() => undefined)

describe("system df", () => {
  it("system df", same(() => ["system", "df"]))
  it("system df --format json", same(() => ["system", "df", "--format", "json"]))
  it(
    "system df -v: images, containers, local volumes, build cache",
    same(() => ["system", "df", "-v"], { sections: true })
  )
  it(
    "system df -v with containers' fields",
    same(
      () => [
        "system",
        "df",
        "-v",
        "--format",
        "{{range .Containers}}{{.Names}}|{{.Image}}|{{.Command}}|{{.LocalVolumes}}|{{.Size}}|{{.Status}}|{{.State}}|{{.Labels}}|{{.Networks}}|{{.Ports}}|{{.ID}}\n{{end}}"
      ],
      { unordered: true }
    )
  )
  it(
    "system df -v with volumes' fields",
    same(
      () => [
        "system",
        "df",
        "-v",
        "--format",
        "{{range .Volumes}}{{.Name}}|{{.Links}}|{{.Size}}|{{.Driver}}|{{.Scope}}|{{.Labels}}|{{.Status}}\n{{end}}"
      ],
      { unordered: true }
    )
  )
  it(
    "system df -v --format with an image's JSON",
    same(() => ["system", "df", "-v", "--format", "{{range .Images}}{{json .}}\n{{end}}"], {
      unordered: true
    })
  )
  it(
    "system df -v: a container's JSON",
    same(
      () => [
        "system",
        "df",
        "-v",
        "--format",
        `{{range .Containers}}{{if eq .Names "${P}-one"}}{{json .}}{{end}}{{end}}`
      ]
    )
  )
})
