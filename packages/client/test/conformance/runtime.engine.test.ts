/**
 * Which runtime runs the conformance suite, and which entry of `@dockhand/client` it uses: a run meant for Bun or
 * Deno must not fall back to Node silently (scripts/test-all.sh sets `DOCKHAND_EXPECT_RUNTIME` each time).
 */
import { assert, describe, it } from "@effect/vitest"
import * as BunEntry from "../../src/bun.ts"
import * as BunDockerTransport from "../../src/BunDockerTransport.ts"
import * as DenoEntry from "../../src/deno.ts"
import * as DenoDockerTransport from "../../src/DenoDockerTransport.ts"
import * as NodeEntry from "../../src/node.ts"
import * as NodeDockerTransport from "../../src/NodeDockerTransport.ts"
import * as C from "./Conformance.ts"

describe("the runtime under test", () => {
  it("is the one DOCKHAND_EXPECT_RUNTIME names", () => {
    const expected = process.env["DOCKHAND_EXPECT_RUNTIME"]
    console.log(`[${C.runtimeName}] conformance suite on ${C.runtimeName} (expected: ${expected ?? "not set"})`)
    if (expected !== undefined && expected !== "") assert.strictEqual(C.runtimeName, expected)
    const g = globalThis as { readonly Bun?: unknown; readonly Deno?: unknown }
    assert.strictEqual(C.runtimeName === "bun", g.Bun !== undefined)
    assert.strictEqual(C.runtimeName === "deno", g.Deno !== undefined)
  })

  it("uses that runtime's entry of @dockhand/client and its own transport", () => {
    const [entry, transport] = C.entryName === "bun"
      ? [BunEntry, BunDockerTransport.layer]
      : C.entryName === "deno"
      ? [DenoEntry, DenoDockerTransport.layer]
      : [NodeEntry, NodeDockerTransport.layer]
    assert.strictEqual(C.Runtime, entry)
    assert.strictEqual(C.Runtime.transport, transport)
    assert.strictEqual(C.entryName, C.runtimeName.startsWith("node") ? "node" : C.runtimeName)
  })
})
