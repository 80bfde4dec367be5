/**
 * Which runtime a test process really is, so that a cross-runtime pass of `scripts/test-all.sh` cannot silently
 * fall back to Node: the script sets `DOCKHAND_EXPECT_RUNTIME` and each package's `runtime.test.ts` checks it.
 */
import { assert, it } from "@effect/vitest"

/** `bun`, `deno` or `node<major>`. */
export const runtimeName = (): string => {
  const g = globalThis as { Bun?: unknown; Deno?: unknown }
  if (g.Bun !== undefined) return "bun"
  if (g.Deno !== undefined) return "deno"
  return `node${process.versions.node.split(".")[0]}`
}

/** Registers the test that the runtime is the one the test script asked for. */
export const checkExpectedRuntime = () =>
  it("runs on the runtime the test script asked for", () => {
    const expected = process.env.DOCKHAND_EXPECT_RUNTIME
    if (expected !== undefined && expected !== "") assert.strictEqual(runtimeName(), expected)
    assert.isString(runtimeName())
  })
