import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as DiskUsageFormat from "../../src/internal/format/DiskUsageFormat.ts"
import * as Table from "../../src/internal/format/Table.ts"

const now = Date.UTC(2026, 10, 26, 12)
const render = (format: string, row: unknown) => {
  const r = Table.render({ format, header: {}, rows: [row] })
  return Result.isSuccess(r) ? r.success.trimEnd() : `ERROR ${r.failure.message}`
}

describe("displayablePorts (docker's examples and grouping)", () => {
  it("groups consecutive ports and lists host mappings last", () => {
    assert.strictEqual(
      DiskUsageFormat.displayablePorts([
        { PrivatePort: 9988, Type: "tcp" },
        { IP: "0.0.0.0", PrivatePort: 9090, PublicPort: 80, Type: "tcp" }
      ]),
      "9988/tcp, 0.0.0.0:80->9090/tcp"
    )
    assert.strictEqual(
      DiskUsageFormat.displayablePorts([
        { PrivatePort: 6000, Type: "tcp" },
        { PrivatePort: 6001, Type: "tcp" },
        { PrivatePort: 6002, Type: "tcp" },
        { PrivatePort: 53, Type: "udp" }
      ]),
      "53/udp, 6000-6002/tcp"
    )
    assert.strictEqual(
      DiskUsageFormat.displayablePorts([
        { IP: "::", PrivatePort: 80, PublicPort: 80, Type: "tcp" },
        { IP: "::", PrivatePort: 81, PublicPort: 81, Type: "tcp" }
      ]),
      "[::]:80-81->80-81/tcp"
    )
    assert.strictEqual(DiskUsageFormat.displayablePorts([]), "")
  })
})

describe("containerContext", () => {
  const container = {
    Id: "4810260030c7f8eed9d780478b8cba2ea5e3305184d78261fcad0911205aedcd",
    Names: ["/other/link", "/app"],
    Image: `docker.io/library/busybox:1@sha256:${"a".repeat(64)}`,
    ImageID: `sha256:${"b".repeat(64)}`,
    Command: "/bin/sh -c 'echo hello world, a long command'",
    Created: Math.floor(now / 1000) - 3 * 3600,
    SizeRw: 1234567,
    SizeRootFs: 99999999,
    Labels: { z: "1", a: "2" },
    State: "exited",
    Status: "Exited (0) 2 hours ago",
    Mounts: [{ Name: "a-very-long-volume-name", Driver: "local" }, { Source: "/host/path", Driver: "" }],
    NetworkSettings: { Networks: { none: {} } },
    Ports: []
  }
  it("truncated, as in the table", () => {
    const ctx = DiskUsageFormat.containerContext(container, true, { now })
    assert.strictEqual(
      render(
        "{{.ID}}|{{.Names}}|{{.Image}}|{{.Command}}|{{.Size}}|{{.RunningFor}}|{{.LocalVolumes}}|{{.Mounts}}|{{.Labels}}",
        ctx
      ),
      "4810260030c7|app|busybox:1|\"/bin/sh -c 'echo he…\"|1.23MB|3 hours ago|1|a-very-long-vo…,/host/path|a=2,z=1"
    )
  })
  it("in full, and its JSON", () => {
    const ctx = DiskUsageFormat.containerContext(container, false, { now })
    assert.strictEqual(render("{{.Names}}|{{.Image}}", ctx), `other/link,app|${container.Image}`)
    const json = JSON.parse(render("{{json .}}", ctx)) as Record<string, unknown>
    assert.deepStrictEqual(Object.keys(json), [
      "Command",
      "CreatedAt",
      "ID",
      "Image",
      "Labels",
      "LocalVolumes",
      "Mounts",
      "Names",
      "Networks",
      "Platform",
      "Ports",
      "RunningFor",
      "Size",
      "State",
      "Status"
    ])
    assert.strictEqual(json["Platform"], null)
    assert.strictEqual(json["Networks"], "none")
  })
  it("an image known by its ID prints the short ID; missing fields read as Go's zero values", () => {
    const id = `sha256:${"c".repeat(64)}`
    assert.strictEqual(
      render("{{.Image}}", DiskUsageFormat.containerContext({ Image: id, ImageID: id }, true, { now })),
      "cccccccccccc"
    )
    assert.strictEqual(
      render("{{.Image}}|{{.Names}}|{{.Size}}|{{.LocalVolumes}}", DiskUsageFormat.containerContext({}, true, { now })),
      "<no image>||0B|0"
    )
  })
})

describe("volumeContext", () => {
  it("links and size from UsageData, N/A without it", () => {
    assert.strictEqual(
      render(
        "{{.Name}}|{{.Links}}|{{.Size}}|{{.Status}}",
        DiskUsageFormat.volumeContext({ Name: "v", UsageData: { RefCount: 2, Size: 1500 } })
      ),
      "v|2|1.5kB|N/A"
    )
    assert.strictEqual(
      render("{{.Links}}|{{.Size}}", DiskUsageFormat.volumeContext({ Name: "v", UsageData: null })),
      "N/A|N/A"
    )
  })
})

describe("build cache", () => {
  const record = (id: string, lastUsedAt: string | null, inUse = false) => ({
    ID: id,
    Type: "regular",
    Description: "d",
    InUse: inUse,
    Shared: false,
    Size: 2048,
    UsageCount: 3,
    CreatedAt: "2026-11-26T10:00:00.500Z",
    LastUsedAt: lastUsedAt
  })
  it("never-used records first, then by last use, ties by ID; in-use IDs end with *", () => {
    const sorted = DiskUsageFormat.sortBuildCache([
      record("c", "2026-11-26T11:00:00Z"),
      record("b", null),
      record("a", "2026-11-26T11:00:00Z"),
      record("d", "2026-11-26T09:00:00Z")
    ])
    assert.deepStrictEqual(sorted.map((r) => r.ID), ["b", "d", "a", "c"])
    const ctx = DiskUsageFormat.buildCacheContext(record("abcdef0123456789", "2026-11-26T11:00:00Z", true), true, {
      now
    })
    assert.strictEqual(
      render("{{.ID}}|{{.Size}}|{{.CreatedSince}}|{{.LastUsedSince}}|{{.UsageCount}}|{{.Shared}}|{{.CreatedAt}}", ctx),
      "abcdef012345*|2.05kB|2 hours ago|About an hour ago|3|false|2026-11-26 10:00:00.5 +0000 UTC"
    )
  })
})
