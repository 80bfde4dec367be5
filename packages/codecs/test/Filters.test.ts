import { Filters, WireJson } from "@dockhand/codecs"
import { Filters as Wire } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import { pipe } from "effect/Function"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { fromTests } from "./utils/fixtures.ts"

describe("encode", () => {
  it("writes exactly what the Go client sends (moby's request fixtures)", () => {
    assert.strictEqual(
      Filters.encode(Filters.make({ label: ["label2", "label1"], dangling: true })),
      fromTests("request-filters-images-list-1.json")
    )
    assert.strictEqual(
      Filters.encode(Filters.make({ dangling: [false] })),
      fromTests("request-filters-images-list-2.json")
    )
    assert.strictEqual(
      Filters.encode(Filters.make({ dangling: true, label: ["label1=foo", "label2!=bar"] })),
      fromTests("request-filters-images-prune.json")
    )
    assert.strictEqual(
      Filters.encode(pipe(Filters.empty, Filters.add("stars", 3), Filters.add("is-automated", true))),
      fromTests("request-filters-images-search.json")
    )
  })

  it("leaves the parameter out when there is nothing to filter on", () => {
    assert.isUndefined(Filters.encode(Filters.empty))
    assert.isUndefined(Filters.encode(Filters.make({ label: [], until: undefined })))
    assert.isTrue(Filters.isEmpty(Filters.make({ label: [] })))
  })

  it("sorts as Go sorts map keys and escapes like Go", () => {
    assert.strictEqual(
      Filters.encode(Filters.make({ stars: [10, 3], reference: ["<a>&b", "x\u2028"] })),
      `{"reference":{"<a>&b":true,"x\\u2028":true},"stars":{"10":true,"3":true}}`
    )
  })

  it("add is immutable and data-first or data-last", () => {
    const base = Filters.make({ label: "a" })
    const more = Filters.add(base, "label", "b")
    assert.deepStrictEqual(base, { label: { a: true } })
    assert.deepStrictEqual(more, { label: { a: true, b: true } })
    assert.strictEqual(Filters.add(base, "label"), base)
    assert.deepStrictEqual(Filters.values(more, "label"), ["a", "b"])
    assert.deepStrictEqual(Filters.values(more, "missing"), [])
  })

  it("treats __proto__ as an ordinary term or value", () => {
    const filters = Filters.make({ ["__proto__"]: ["__proto__"] })
    assert.strictEqual(Object.getPrototypeOf(filters), Object.prototype)
    assert.strictEqual(Filters.encode(filters), `{"__proto__":{"__proto__":true}}`)
    assert.deepStrictEqual(Filters.values(filters, "__proto__"), ["__proto__"])
    assert.deepStrictEqual(Filters.values(Filters.empty, "constructor"), [])
  })
})

describe("decode", () => {
  it("reads the map-of-sets form", () => {
    assert.deepStrictEqual(
      Filters.decode(fromTests("request-filters-images-prune.json")),
      Result.succeed({ dangling: { true: true }, label: { "label1=foo": true, "label2!=bar": true } })
    )
  })

  it("reads the older map-of-arrays form", () => {
    assert.deepStrictEqual(
      Filters.decode("{\"dangling\":[\"true\"],\"label\":[\"a=b\",\"c\"]}"),
      Result.succeed({ dangling: { true: true }, label: { "a=b": true, c: true } })
    )
  })

  it("rejects other shapes with a typed error", () => {
    for (const text of ["{\"label\":\"a\"}", "[]", "{", "{\"a\":{\"b\":\"yes\"}}"]) {
      const result = Filters.decode(text)
      assert.isTrue(Result.isFailure(result), text)
      if (Result.isFailure(result)) assert.strictEqual(result.failure._tag, "WireJsonError")
    }
  })

  it.prop("decode(encode(filters)) gives the filters back", [
    Schema.Record(Schema.String, Schema.Array(Schema.String).check(Schema.isMinLength(1)))
  ], ([input]) => {
    const filters = Filters.make(input)
    const text = Filters.encode(filters)
    if (text === undefined) return assert.isTrue(Filters.isEmpty(filters))
    assert.deepStrictEqual(Result.getOrThrow(Filters.decode(text)), filters)
    assert.isTrue(Schema.is(Wire.FilterSets)(Result.getOrThrow(WireJson.parse(text))))
  }, { arbitrary: { runs: 200 } })
})
