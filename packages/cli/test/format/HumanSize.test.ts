import { assert, describe, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { formatFloat } from "../../src/internal/format/GoValue.ts"
import * as Units from "../../src/internal/format/Units.ts"

/** go-units' HumanSizeWithPrecision written with the CLI's own `strconv.FormatFloat`, as Units had it. */
const withGoStrconv = (size: number, precision: number): string => {
  const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
  let value = size
  let i = 0
  while (value >= 1000 && i < units.length - 1) {
    value = value / 1000
    i++
  }
  return formatFloat(value, "g", precision) + units[i]
}

describe("sizes from the client's HumanSize", () => {
  it.prop("the same text as the CLI's Go FormatFloat gives, at the precisions docker prints", [
    Schema.Union([
      Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 ** 53 })),
      Schema.Int.check(Schema.isBetween({ minimum: -10_000, maximum: 10_000_000 }))
    ]),
    Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 6 }))
  ], ([size, precision]) => {
    assert.strictEqual(Units.humanSizeWithPrecision(size, precision), withGoStrconv(size, precision), String(size))
    assert.strictEqual(Units.humanSize(size), withGoStrconv(size, 4), String(size))
  }, { arbitrary: { runs: 3000 } })
})
