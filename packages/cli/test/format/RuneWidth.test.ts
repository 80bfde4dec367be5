import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import * as RuneWidth from "../../src/internal/format/RuneWidth.ts"

const root = path.resolve(__dirname, "../../../..")

describe("the East Asian width table (generated from Unicode 15.0.0, as docker 28's x/text/width)", () => {
  it("the committed table is what scripts/gen-runewidth.mjs generates from the pinned data", () => {
    const run = spawnSync(process.execPath, ["scripts/gen-runewidth.mjs", "--check"], { cwd: root, encoding: "utf8" })
    assert.strictEqual(run.status, 0, run.stderr)
  })

  it("W and F are two columns; A, N and characters newer than Unicode 15.0 are one", () => {
    // W: Hangul Jamo, CJK, an emoji, a Unicode 15.0 emoji (U+1FAE8 shaking face); F: fullwidth A
    for (const cp of [0x1100, 0x4e00, 0x1f433, 0x1fae8, 0xff21]) assert.isTrue(RuneWidth.isWide(cp), cp.toString(16))
    // A: circled number ten on black square; N: ideographic half fill space, a regional indicator;
    // U+1FAE9 (face with bags under eyes) is Unicode 16.0, unknown to docker 28's tables
    for (const cp of [0x3248, 0x303f, 0x1f1e6, 0x1fae9, 0x41]) assert.isFalse(RuneWidth.isWide(cp), cp.toString(16))
    assert.strictEqual(RuneWidth.ellipsis("日本語のテキスト", 7), "日本語…")
  })
})
