import { assert, it } from "@effect/vitest"
import * as GoTemplate from "../../src/internal/format/GoTemplate.ts"
import * as ImageFormat from "../../src/internal/format/ImageFormat.ts"
import * as Table from "../../src/internal/format/Table.ts"
import * as Units from "../../src/internal/format/Units.ts"

it("smoke", () => {
  assert.isDefined(GoTemplate.render)
  assert.isDefined(ImageFormat.formatImageList)
  assert.isDefined(Table.render)
  assert.isDefined(Units.humanSize)
})
