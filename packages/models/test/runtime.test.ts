import { assert, it } from "@effect/vitest"

/** The runtime this process really is, so a cross-runtime run cannot silently fall back to Node. */
const runtime = (): string => {
  const g = globalThis as { Bun?: unknown; Deno?: unknown }
  if (g.Bun !== undefined) return "bun"
  if (g.Deno !== undefined) return "deno"
  return `node${process.versions.node.split(".")[0]}`
}

it("runs on the runtime the test script asked for", () => {
  const expected = process.env.DOCKHAND_EXPECT_RUNTIME
  if (expected !== undefined && expected !== "") assert.strictEqual(runtime(), expected)
  assert.isString(runtime())
})
