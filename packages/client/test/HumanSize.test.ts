import { assert, describe, it } from "@effect/vitest"
import * as ControlChars from "../src/ControlChars.ts"
import * as GoFloat from "../src/GoFloat.ts"
import * as HumanSize from "../src/HumanSize.ts"

describe("HumanSize (go-units, for the progress bars and the CLI's tables)", () => {
  it("humanSize: 4 significant digits, %g rules, exact value rounded half to even", () => {
    assert.strictEqual(HumanSize.humanSize(0), "0B")
    assert.strictEqual(HumanSize.humanSize(999), "999B")
    assert.strictEqual(HumanSize.humanSize(1982256), "1.982MB")
    assert.strictEqual(HumanSize.humanSize(999999), "1000kB")
    assert.strictEqual(HumanSize.humanSize(1125), "1.125kB")
    assert.strictEqual(HumanSize.humanSize(1e27), "1000YB")
    assert.strictEqual(HumanSize.humanSize(1e30), "1e+06YB")
  })
  it("humanSizeWithPrecision", () => {
    assert.strictEqual(HumanSize.humanSizeWithPrecision(1982256, 3), "1.98MB")
    assert.strictEqual(HumanSize.humanSizeWithPrecision(1125, 3), "1.12kB")
    assert.strictEqual(HumanSize.humanSizeWithPrecision(1135, 3), "1.14kB")
    assert.strictEqual(HumanSize.humanSizeWithPrecision(999999, 3), "1e+03kB")
    assert.strictEqual(HumanSize.humanSizeWithPrecision(5, 0), "5B")
    assert.strictEqual(HumanSize.humanSizeWithPrecision(-1, 3), "-1B")
    assert.strictEqual(HumanSize.humanSizeWithPrecision(-1500, 3), "-1.5e+03B")
    for (const size of [0, 1, 512, 4096, 1234567, 2 ** 45]) {
      assert.strictEqual(HumanSize.humanSize(size), HumanSize.humanSizeWithPrecision(size, 4))
    }
  })
})

describe("GoFloat.formatFloat (Go's strconv.FormatFloat, for sizes and the CLI's templates)", () => {
  it("exact value, half to even; shortest digits for a negative precision; Go's exponent form", () => {
    assert.strictEqual(GoFloat.formatFloat(1.125, "g", 3), "1.12")
    assert.strictEqual(GoFloat.formatFloat(1.135, "g", 3), "1.14")
    assert.strictEqual(GoFloat.formatFloat(999.999, "g", 3), "1e+03")
    assert.strictEqual(GoFloat.formatFloat(0.1, "g", -1), "0.1")
    assert.strictEqual(GoFloat.formatFloat(1e21, "g", -1), "1e+21")
    assert.strictEqual(GoFloat.formatFloat(2.5, "f", 0), "2")
    assert.strictEqual(GoFloat.formatFloat(-1234.5678, "e", 2), "-1.23e+03")
    assert.strictEqual(GoFloat.formatFloat(-0, "g", -1), "-0")
    assert.strictEqual(GoFloat.formatFloat(Number.NaN, "g", -1), "NaN")
    assert.strictEqual(GoFloat.formatFloat(Number.NEGATIVE_INFINITY, "f", 2), "-Inf")
  })
})

describe("ControlChars (the progress display's and the CLI's terminal escaping)", () => {
  it("C0 controls but tab and newline, DEL and C1 controls become visible; the rest stays", () => {
    assert.strictEqual(ControlChars.escape("plain\ttext\n"), "plain\ttext\n")
    assert.strictEqual(ControlChars.escape("a\x1b[2Jb\rc\x7f"), "a\\x1b[2Jb\\x0dc\\x7f")
    assert.strictEqual(ControlChars.escape("\u009b31m\u0085"), "\\u009b31m\\u0085")
    assert.strictEqual(ControlChars.escape("é✓"), "é✓")
  })
})
