import { Filters, QueryParams } from "@dockhand/codecs"
import { assert, describe, it } from "@effect/vitest"
import { pipe } from "effect/Function"
import * as Schema from "effect/Schema"

describe("make", () => {
  it("writes booleans as 1/0, repeats keys for lists, leaves absent values out", () => {
    assert.deepStrictEqual(
      QueryParams.make({ all: true, quiet: false, t: ["a:1", "b:2"], limit: 25, filters: undefined, tag: null }),
      [["all", "1"], ["quiet", "0"], ["t", "a:1"], ["t", "b:2"], ["limit", "25"]]
    )
    assert.deepStrictEqual(QueryParams.make({}), [])
    assert.deepStrictEqual(QueryParams.make({ t: [] }), [])
  })

  it("append adds at the end", () => {
    const params = pipe(
      QueryParams.make({ a: 1 }),
      QueryParams.append("b", [true, false]),
      QueryParams.append("c", undefined)
    )
    assert.deepStrictEqual(params, [["a", "1"], ["b", "1"], ["b", "0"]])
  })
})

describe("toSearchString", () => {
  it("sorts keys like Go's url.Values.Encode and keeps the order of repeated keys", () => {
    assert.strictEqual(
      QueryParams.toSearchString(QueryParams.make({ t: ["z", "a"], all: true, b: "x" })),
      "all=1&b=x&t=z&t=a"
    )
    assert.strictEqual(QueryParams.toSearchString([]), "")
  })

  it("escapes like Go's url.QueryEscape", () => {
    assert.strictEqual(
      QueryParams.escape("a b+c&d=e#f%g/h?i\nj~k-l.m_n*'()!"),
      "a+b%2Bc%26d%3De%23f%25g%2Fh%3Fi%0Aj~k-l.m_n%2A%27%28%29%21"
    )
    assert.strictEqual(QueryParams.escape("é😀"), "%C3%A9%F0%9F%98%80")
    assert.strictEqual(QueryParams.escape("\ud800"), "%EF%BF%BD")
  })

  it("writes the filters parameter as the Go client does", () => {
    const filters = Filters.encode(Filters.make({ dangling: true, label: ["a=b"] }))
    assert.strictEqual(
      QueryParams.toSearchString(QueryParams.make({ all: true, filters })),
      "all=1&filters=%7B%22dangling%22%3A%7B%22true%22%3Atrue%7D%2C%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%7D"
    )
  })

  it("a value can never add or change another parameter", () => {
    const hostile = "x&all=1&tag=evil#frag\r\nX-Injected: 1=2?"
    const params = QueryParams.make({ tag: hostile, [hostile]: "v", t: [hostile, "%26"] })
    const search = QueryParams.toSearchString(params)
    assert.notMatch(search, /[#\r\n ]/)
    assert.strictEqual(search.split("&").length, 4)
    const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    assert.deepStrictEqual(QueryParams.parse(search), sorted)
    assert.deepStrictEqual([...new URLSearchParams(search)], sorted)
  })

  it.prop("any keys and values survive toSearchString → parse (ours and URLSearchParams)", [
    Schema.Array(Schema.Tuple([Schema.String, Schema.String]))
  ], ([pairs]) => {
    // lone surrogates cannot be sent as UTF-8; they become U+FFFD
    const wellFormed = (s: string) =>
      s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    const search = QueryParams.toSearchString(pairs)
    assert.notMatch(search, /[^A-Za-z0-9%+\-._~&=]/)
    const expected = pairs
      .map(([key, value], index) => ({ key: wellFormed(key), value: wellFormed(value), index }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.index - b.index)
      .map(({ key, value }) => [key, value])
    const sameOrder = (actual: ReadonlyArray<readonly [string, string]>) =>
      [...actual].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    assert.deepStrictEqual(sameOrder(QueryParams.parse(search)), sameOrder(expected as Array<[string, string]>))
    assert.deepStrictEqual(sameOrder([...new URLSearchParams(search)]), sameOrder(expected as Array<[string, string]>))
  }, { arbitrary: { runs: 200 } })
})

describe("parse", () => {
  it("reads +, %XX and a leading ?", () => {
    assert.deepStrictEqual(QueryParams.parse("?a=b+c&d=%C3%A9&e&f=%zz"), [["a", "b c"], ["d", "é"], ["e", ""], [
      "f",
      "%zz"
    ]])
    assert.deepStrictEqual(QueryParams.parse(""), [])
  })
})
