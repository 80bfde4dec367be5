/**
 * `system df` against a fake daemon: the summary rows as docker 28 prints them.
 */
import type { System } from "@dockhand/models"
import { describe, expect, it } from "@effect/vitest"
import * as Fake from "./FakeClient.ts"

const diskUsage = {
  LayersSize: 0,
  Images: [],
  Containers: [],
  Volumes: [],
  BuildCache: [{
    ID: "a",
    Type: "regular",
    Description: "mount / from exec /bin/sh -c true",
    InUse: false,
    Shared: false,
    Size: 53_850_000,
    CreatedAt: "2025-01-01T00:00:00Z",
    LastUsedAt: null,
    UsageCount: 1
  }],
  BuilderSize: 53_850_000
} as unknown as System.DiskUsage

describe("system df", () => {
  it("the Build Cache row's RECLAIMABLE has no percentage, as docker's (\"53.85MB\", not \"53.85MB (100%)\")", async () => {
    const ran = await Fake.run(["system", "df"], { diskUsage })
    expect(ran.code).toBe(0)
    const row = ran.stdout.split("\n").find((line) => line.startsWith("Build Cache"))
    expect(row).toMatch(/^Build Cache\s+1\s+0\s+53\.85MB\s+53\.85MB$/)
  })
})
