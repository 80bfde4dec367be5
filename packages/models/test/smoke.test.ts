import { assert, it } from "@effect/vitest"
import { Image } from "@dockhand/models"
import * as Schema from "effect/Schema"

it("decodes", () => {
  assert.isTrue(Schema.is(Image.DeleteResponse)({ Deleted: "x" }))
})
