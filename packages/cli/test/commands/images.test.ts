/**
 * Golden output of the image commands against a fake client (`FakeClient.ts`): tables, templates, JSON, the inspect
 * fallbacks, `rm` going on past a failure, `prune`'s prompt and its cancellation, and docker's errors. The clock is
 * fixed, so ages are stable.
 */
import type { Image } from "@dockhand/models"
import { afterAll, beforeAll, describe, expect, it, vi } from "@effect/vitest"
import * as Fake from "./FakeClient.ts"

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const hours = (n: number) => Math.floor(now / 1000) - n * 3600

beforeAll(() => {
  process.env["TZ"] = "UTC"
  vi.useFakeTimers({ toFake: ["Date"] })
  vi.setSystemTime(now)
})
afterAll(() => {
  vi.useRealTimers()
})

const id = (c: string) => `sha256:${c.repeat(64)}`

const images: ReadonlyArray<Image.Summary> = [
  {
    Containers: -1,
    Created: hours(3),
    Id: id("a"),
    Labels: { stage: "base" },
    ParentId: "",
    RepoDigests: ["127.0.0.1:5000/app@sha256:" + "d".repeat(64)],
    RepoTags: ["app:1", "app:latest", "127.0.0.1:5000/app:1"],
    SharedSize: -1,
    Size: 1_982_259,
    VirtualSize: 1_982_259
  },
  {
    Containers: -1,
    Created: hours(24 * 40),
    Id: id("b"),
    Labels: null,
    ParentId: "",
    RepoDigests: null,
    RepoTags: ["busybox:musl"],
    SharedSize: -1,
    Size: 1_456_789,
    VirtualSize: 1_456_789
  },
  {
    Containers: -1,
    Created: hours(24 * 400),
    Id: id("c"),
    Labels: null,
    ParentId: "",
    RepoDigests: ["<none>@<none>"],
    RepoTags: ["<none>:<none>"],
    SharedSize: -1,
    Size: 0,
    VirtualSize: 0
  }
]

const inspectJson = JSON.stringify({
  Id: id("a"),
  RepoTags: ["app:1", "app:latest"],
  RepoDigests: [],
  Parent: "",
  Comment: "a <comment> & more",
  Created: "2026-01-15T09:00:00.123456789Z",
  ContainerConfig: { Hostname: "", Env: null, Cmd: null, Labels: null },
  DockerVersion: "20.10.24",
  Author: "",
  Config: { Hostname: "", User: "", Env: ["PATH=/bin"], Cmd: ["/bin/sh"], Labels: { a: "1", "b.c": "x" } },
  Architecture: "amd64",
  Os: "linux",
  Size: 1982259,
  VirtualSize: 1982259,
  GraphDriver: { Data: null, Name: "overlay2" },
  RootFS: { Type: "layers", Layers: ["sha256:" + "1".repeat(64), "sha256:" + "2".repeat(64)] },
  Metadata: { LastTagTime: "2026-01-15T10:00:00.5Z" }
})

const history: ReadonlyArray<Image.HistoryResponseItem> = [
  {
    Comment: "",
    Created: hours(2),
    CreatedBy: "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]",
    Id: id("a"),
    Size: 0,
    Tags: ["app:1"]
  },
  {
    Comment: "imported",
    Created: hours(5),
    CreatedBy:
      "/bin/sh -c #(nop) COPY file:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef in /bin/busybox ",
    Id: "<missing>",
    Size: 1_982_259,
    Tags: null
  }
]

const daemon: Fake.FakeDaemon = { images, inspect: { "app:1": inspectJson }, history: { "app:1": history } }

describe("image ls", () => {
  it("the default table", async () => {
    const out = await Fake.run(["images"], daemon)
    expect(out.code).toBe(0)
    expect(out.stdout).toMatchInlineSnapshot(`
      "REPOSITORY           TAG       IMAGE ID       CREATED         SIZE
      app                  1         aaaaaaaaaaaa   3 hours ago     1.98MB
      app                  latest    aaaaaaaaaaaa   3 hours ago     1.98MB
      127.0.0.1:5000/app   1         aaaaaaaaaaaa   3 hours ago     1.98MB
      busybox              musl      bbbbbbbbbbbb   5 weeks ago     1.46MB
      <none>               <none>    cccccccccccc   13 months ago   0B
      "
    `)
    expect(out.calls).toMatchInlineSnapshot(`
      [
        {
          "args": [
            {
              "all": false,
              "filters": {},
            },
          ],
          "operation": "list",
        },
      ]
    `)
  })
  it("-a --digests --no-trunc", async () => {
    const out = await Fake.run(["image", "ls", "-a", "--digests", "--no-trunc"], daemon)
    expect(out.stdout).toMatchInlineSnapshot(`
      "REPOSITORY           TAG       DIGEST                                                                    IMAGE ID                                                                  CREATED         SIZE
      app                  1         <none>                                                                    sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa   3 hours ago     1.98MB
      app                  latest    <none>                                                                    sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa   3 hours ago     1.98MB
      127.0.0.1:5000/app   1         sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd   sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa   3 hours ago     1.98MB
      busybox              musl      <none>                                                                    sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb   5 weeks ago     1.46MB
      <none>               <none>    <none>                                                                    sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc   13 months ago   0B
      "
    `)
  })
  it("-q, and a repository argument becomes a reference filter", async () => {
    const out = await Fake.run(["image", "list", "-q", "-f", "label=stage", "app"], daemon)
    expect(out.stdout).toMatchInlineSnapshot(`
      "aaaaaaaaaaaa
      aaaaaaaaaaaa
      aaaaaaaaaaaa
      bbbbbbbbbbbb
      cccccccccccc
      "
    `)
    expect(out.calls).toMatchInlineSnapshot(`
      [
        {
          "args": [
            {
              "all": false,
              "filters": {
                "label": [
                  "stage",
                ],
                "reference": [
                  "app",
                ],
              },
            },
          ],
          "operation": "list",
        },
      ]
    `)
  })
  it("--format '{{.Repository}}:{{.Tag}}' and json", async () => {
    expect((await Fake.run(["images", "--format", "{{.Repository}}:{{.Tag}}"], daemon)).stdout).toMatchInlineSnapshot(`
      "app:1
      app:latest
      127.0.0.1:5000/app:1
      busybox:musl
      <none>:<none>
      "
    `)
    expect((await Fake.run(["images", "--format", "json"], daemon)).stdout).toMatchInlineSnapshot(`
      "{"Containers":"N/A","CreatedAt":"2026-01-15 09:00:00 +0000 UTC","CreatedSince":"3 hours ago","Digest":"\\u003cnone\\u003e","ID":"aaaaaaaaaaaa","Repository":"app","SharedSize":"N/A","Size":"1.98MB","Tag":"1","UniqueSize":"N/A","VirtualSize":"1.982MB"}
      {"Containers":"N/A","CreatedAt":"2026-01-15 09:00:00 +0000 UTC","CreatedSince":"3 hours ago","Digest":"\\u003cnone\\u003e","ID":"aaaaaaaaaaaa","Repository":"app","SharedSize":"N/A","Size":"1.98MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"1.982MB"}
      {"Containers":"N/A","CreatedAt":"2026-01-15 09:00:00 +0000 UTC","CreatedSince":"3 hours ago","Digest":"\\u003cnone\\u003e","ID":"aaaaaaaaaaaa","Repository":"127.0.0.1:5000/app","SharedSize":"N/A","Size":"1.98MB","Tag":"1","UniqueSize":"N/A","VirtualSize":"1.982MB"}
      {"Containers":"N/A","CreatedAt":"2025-12-06 12:00:00 +0000 UTC","CreatedSince":"5 weeks ago","Digest":"\\u003cnone\\u003e","ID":"bbbbbbbbbbbb","Repository":"busybox","SharedSize":"N/A","Size":"1.46MB","Tag":"musl","UniqueSize":"N/A","VirtualSize":"1.457MB"}
      {"Containers":"N/A","CreatedAt":"2024-12-11 12:00:00 +0000 UTC","CreatedSince":"13 months ago","Digest":"\\u003cnone\\u003e","ID":"cccccccccccc","Repository":"\\u003cnone\\u003e","SharedSize":"N/A","Size":"0B","Tag":"\\u003cnone\\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
      "
    `)
  })
  it("a template error", async () => {
    const out = await Fake.run(["images", "--format", "{{.Nope}}"], daemon)
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "",
        "template parsing error: template: :1:2: executing "" at <.Nope>: can't evaluate field Nope in type *formatter.imageContext
      ",
      ]
    `)
  })
  it("a malformed filter is a flag error", async () => {
    const out = await Fake.run(["images", "-f", "bogus"], daemon)
    expect([out.code, out.stderr]).toMatchInlineSnapshot(`
      [
        125,
        "invalid argument "bogus" for "-f, --filter" flag: bad format of filter (expected name=value)

      Usage:  dockhand images [OPTIONS] [REPOSITORY[:TAG]]

      Run 'dockhand images --help' for more information
      ",
      ]
    `)
    expect(out.calls).toEqual([])
  })
})

describe("image inspect", () => {
  it("keeps the daemon's escapes and numbers as sent (Engine 28.5 escapes <, & and >), re-indented", async () => {
    const raw = `{"Id":"sha256:${"b".repeat(64)}","Comment":"a \\u003c\\u0026\\u003e b \\"q\\"",` +
      `"Size":12345678901234567890,"RepoTags":[ ],"Config":{}, "Labels":{"k":"v"}}`
    const out = await Fake.run(["image", "inspect", "esc:1"], { ...daemon, inspect: { "esc:1": raw } })
    expect(out.stdout).toBe(
      [
        "[",
        "    {",
        `        "Id": "sha256:${"b".repeat(64)}",`,
        `        "Comment": "a \\u003c\\u0026\\u003e b \\"q\\"",`,
        `        "Size": 12345678901234567890,`,
        `        "RepoTags": [],`,
        `        "Config": {},`,
        `        "Labels": {`,
        `            "k": "v"`,
        "        }",
        "    }",
        "]",
        ""
      ].join("\n")
    )
  })
  it("the daemon's JSON, indented", async () => {
    const out = await Fake.run(["image", "inspect", "app:1"], daemon)
    expect(out.stdout).toMatchInlineSnapshot(`
      "[
          {
              "Id": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              "RepoTags": [
                  "app:1",
                  "app:latest"
              ],
              "RepoDigests": [],
              "Parent": "",
              "Comment": "a <comment> & more",
              "Created": "2026-01-15T09:00:00.123456789Z",
              "ContainerConfig": {
                  "Hostname": "",
                  "Env": null,
                  "Cmd": null,
                  "Labels": null
              },
              "DockerVersion": "20.10.24",
              "Author": "",
              "Config": {
                  "Hostname": "",
                  "User": "",
                  "Env": [
                      "PATH=/bin"
                  ],
                  "Cmd": [
                      "/bin/sh"
                  ],
                  "Labels": {
                      "a": "1",
                      "b.c": "x"
                  }
              },
              "Architecture": "amd64",
              "Os": "linux",
              "Size": 1982259,
              "VirtualSize": 1982259,
              "GraphDriver": {
                  "Data": null,
                  "Name": "overlay2"
              },
              "RootFS": {
                  "Type": "layers",
                  "Layers": [
                      "sha256:1111111111111111111111111111111111111111111111111111111111111111",
                      "sha256:2222222222222222222222222222222222222222222222222222222222222222"
                  ]
              },
              "Metadata": {
                  "LastTagTime": "2026-01-15T10:00:00.5Z"
              }
          }
      ]
      "
    `)
  })
  it("templates see docker's typed value first (Go field names, Go's JSON of the struct)", async () => {
    const out = await Fake.run(
      [
        "image",
        "inspect",
        "-f",
        "{{.ID}}|{{json .Config}}|{{index .Config.Labels \"a\"}}|{{.Metadata}}|{{.RootFS}}|{{range .RepoTags}}{{.}} {{end}}",
        "app:1"
      ],
      daemon
    )
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        0,
        "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|{"Env":["PATH=/bin"],"Cmd":["/bin/sh"],"Labels":{"a":"1","b.c":"x"}}|1|{2026-01-15 10:00:00.5 +0000 UTC}|{layers [sha256:1111111111111111111111111111111111111111111111111111111111111111 sha256:2222222222222222222222222222222222222222222222222222222222222222]}|app:1 app:latest 
      ",
        "",
      ]
    `)
  })
  it("then the raw JSON (JSON names)", async () => {
    const out = await Fake.run([
      "image",
      "inspect",
      "-f",
      "{{.Id}}|{{.Config.Labels.a}}|{{json .GraphDriver}}",
      "app:1"
    ], daemon)
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        0,
        "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|1|{"Data":null,"Name":"overlay2"}
      ",
        "",
      ]
    `)
  })
  it("a template mixing both fails on both", async () => {
    const out = await Fake.run(["image", "inspect", "-f", "{{.ID}}{{.Id}}", "app:1"], daemon)
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "
      ",
        "template parsing error: template: :1:2: executing "" at <.ID>: map has no entry for key "ID"
      ",
      ]
    `)
  })
  it("a missing one among found ones: output for the found, errors after, exit 1", async () => {
    const out = await Fake.run(["image", "inspect", "-f", "{{.Os}}", "app:1", "nope:1", "app:1"], daemon)
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "linux
      linux
      ",
        "Error response from daemon: no such image: nope:1: No such image: nope:1
      ",
      ]
    `)
  })
  it("a missing key fails on the raw JSON; nothing rendered prints an empty line", async () => {
    const out = await Fake.run(["image", "inspect", "-f", "{{.Nope}}", "app:1"], daemon)
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "
      ",
        "template parsing error: template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"
      ",
      ]
    `)
  })
  it("a template that does not parse exits 64 before asking the daemon", async () => {
    const out = await Fake.run(["image", "inspect", "-f", "{{.Id", "app:1"], daemon)
    expect([out.code, out.stderr, out.calls.length]).toMatchInlineSnapshot(`
      [
        64,
        "template parsing error: template: :1: unclosed action
      ",
        0,
      ]
    `)
  })
})

describe("image history", () => {
  it("human, -H=false, -q, --no-trunc, --format", async () => {
    expect((await Fake.run(["history", "app:1"], daemon)).stdout).toMatchInlineSnapshot(`
      "IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT
      aaaaaaaaaaaa   2 hours ago   /bin/sh -c #(nop)  CMD ["/bin/sh"]              0B        
      <missing>      5 hours ago   /bin/sh -c #(nop) COPY file:0123456789abcdef…   1.98MB    imported
      "
    `)
    expect((await Fake.run(["image", "history", "-H=false", "app:1"], daemon)).stdout).toMatchInlineSnapshot(`
      "IMAGE          CREATED AT             CREATED BY                                      SIZE      COMMENT
      aaaaaaaaaaaa   2026-01-15T10:00:00Z   /bin/sh -c #(nop)  CMD ["/bin/sh"]              0         
      <missing>      2026-01-15T07:00:00Z   /bin/sh -c #(nop) COPY file:0123456789abcdef…   1982259   imported
      "
    `)
    expect((await Fake.run(["image", "history", "-q", "app:1"], daemon)).stdout).toMatchInlineSnapshot(`
      "aaaaaaaaaaaa
      <missing>
      "
    `)
    expect(
      (await Fake.run(
        ["image", "history", "--no-trunc", "--format", "{{.ID}} {{.Size}} {{.CreatedBy}}", "app:1"],
        daemon
      )).stdout
    )
      .toMatchInlineSnapshot(`
        "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 0B /bin/sh -c #(nop)  CMD ["/bin/sh"]
        <missing> 1.98MB /bin/sh -c #(nop) COPY file:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef in /bin/busybox 
        "
      `)
  })
  it("a missing image", async () => {
    const out = await Fake.run(["history", "nope"], daemon)
    expect([out.code, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "Error response from daemon: No such image: nope
      ",
      ]
    `)
  })
})

describe("image rm", () => {
  const removing: Fake.FakeDaemon = {
    remove: {
      "app:1": [{ Untagged: "app:1" }],
      "busy": {
        status: 409,
        message:
          "conflict: unable to delete bbbbbbbbbbbb (must be forced) - image is referenced in multiple repositories"
      },
      "old:1": [{ Untagged: "old:1" }, { Deleted: id("c") }]
    }
  }
  it("goes on past a failure and exits 1", async () => {
    const out = await Fake.run(["rmi", "app:1", "nope:1", "busy", "old:1"], removing)
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "Untagged: app:1
      Untagged: old:1
      Deleted: sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
      ",
        "Error response from daemon: No such image: nope:1
      Error response from daemon: conflict: unable to delete bbbbbbbbbbbb (must be forced) - image is referenced in multiple repositories
      ",
      ]
    `)
    expect(out.calls.map((c) => c.args[0])).toEqual(["app:1", "nope:1", "busy", "old:1"])
  })
  it("-f: a missing image is reported but exits 0", async () => {
    const out = await Fake.run(["image", "rm", "-f", "nope:1", "app:1"], removing)
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        0,
        "Untagged: app:1
      ",
        "Error response from daemon: No such image: nope:1
      ",
      ]
    `)
  })
  it("-f: any other failure still exits 1; --no-prune is passed on", async () => {
    const out = await Fake.run(["image", "rm", "-f", "--no-prune", "busy"], removing)
    expect([out.code, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "Error response from daemon: conflict: unable to delete bbbbbbbbbbbb (must be forced) - image is referenced in multiple repositories
      ",
      ]
    `)
    expect(out.calls[0]!.args[1]).toMatchObject({ force: true, noPrune: true })
  })
  it("no argument", async () => {
    const out = await Fake.run(["image", "rm"], removing)
    expect([out.code, out.stderr]).toMatchInlineSnapshot(`
      [
        1,
        "dockhand: 'dockhand image rm' requires at least 1 argument

      Usage:  dockhand image rm [OPTIONS] IMAGE [IMAGE...]

      See 'dockhand image rm --help' for more information
      ",
      ]
    `)
  })
})

describe("image prune", () => {
  const pruning: Fake.FakeDaemon = {
    prune: { ImagesDeleted: [{ Untagged: "x:1" }, { Deleted: id("e") }], SpaceReclaimed: 1_982_259 }
  }
  it("asks first; 'n' cancels without asking the daemon", async () => {
    const out = await Fake.run(["image", "prune", "--filter", "label=a=b"], pruning, {
      stdin: new TextEncoder().encode("n\n")
    })
    expect([out.code, out.stdout, out.stderr]).toMatchInlineSnapshot(`
      [
        0,
        "WARNING! This will remove all dangling images.
      Are you sure you want to continue? [y/N] ",
        "",
      ]
    `)
    expect(out.calls).toEqual([])
  })
  it("asks first; an empty answer cancels", async () => {
    const out = await Fake.run(["image", "prune"], pruning, { stdin: new Uint8Array() })
    expect([out.code, out.stdout]).toMatchInlineSnapshot(`
      [
        0,
        "WARNING! This will remove all dangling images.
      Are you sure you want to continue? [y/N] ",
      ]
    `)
    expect(out.calls).toEqual([])
  })
  it("asks first; 'y' prunes dangling images with the filters", async () => {
    const out = await Fake.run(["image", "prune", "--filter", "label=a=b"], pruning, {
      stdin: new TextEncoder().encode("y\n")
    })
    expect([out.code, out.stdout]).toMatchInlineSnapshot(`
      [
        0,
        "WARNING! This will remove all dangling images.
      Are you sure you want to continue? [y/N] Deleted Images:
      untagged: x:1
      deleted: sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee

      Total reclaimed space: 1.982MB
      ",
      ]
    `)
    expect(out.calls).toMatchInlineSnapshot(`
      [
        {
          "args": [
            {
              "filters": {
                "dangling": [
                  "true",
                ],
                "label": [
                  "a=b",
                ],
              },
            },
          ],
          "operation": "prune",
        },
      ]
    `)
  })
  it("-a -f: every unused image, without asking", async () => {
    const out = await Fake.run(["image", "prune", "-a", "-f"], pruning)
    expect(out.stdout).toMatchInlineSnapshot(`
      "Deleted Images:
      untagged: x:1
      deleted: sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee

      Total reclaimed space: 1.982MB
      "
    `)
    expect(out.calls).toMatchInlineSnapshot(`
      [
        {
          "args": [
            {
              "filters": {
                "dangling": [
                  "false",
                ],
              },
            },
          ],
          "operation": "prune",
        },
      ]
    `)
  })
  it("-a asks with its own warning", async () => {
    const out = await Fake.run(["image", "prune", "-a"], pruning, { stdin: new TextEncoder().encode("no\n") })
    expect(out.stdout).toMatchInlineSnapshot(`
      "WARNING! This will remove all images without at least one container associated to them.
      Are you sure you want to continue? [y/N] "
    `)
  })
})

describe("image tag", () => {
  it("passes both names on", async () => {
    const out = await Fake.run(["tag", "app:1", "app:2"], daemon)
    expect([out.code, out.stdout, out.stderr, out.calls]).toMatchInlineSnapshot(`
      [
        0,
        "",
        "",
        [
          {
            "args": [
              "app:1",
              "app:2",
            ],
            "operation": "tag",
          },
        ],
      ]
    `)
  })
  it("checks both names first", async () => {
    const out = await Fake.run(["image", "tag", "app:1", "Bad:Name"], daemon)
    expect([out.code, out.stderr, out.calls]).toMatchInlineSnapshot(`
      [
        1,
        "Error parsing reference: "Bad:Name" is not a valid repository/tag: invalid reference format: repository name (library/Bad) must be lowercase
      ",
        [],
      ]
    `)
  })
})
