import { assert, describe, it } from "@effect/vitest"
import * as V from "../../src/internal/format/GoValue.ts"
import * as RuneWidth from "../../src/internal/format/RuneWidth.ts"

describe("formatFloat (strconv.FormatFloat)", () => {
  it("%g with a precision", () => {
    const cases: ReadonlyArray<readonly [number, number, string]> = [
      [1.125, 3, "1.12"], // exact tie: half to even
      [1.135, 3, "1.14"], // 1.135 is slightly above the tie in binary
      [2.5, 1, "2"],
      [3.5, 1, "4"],
      [999.999, 3, "1e+03"],
      [100, 3, "100"],
      [1000, 3, "1e+03"],
      [0.0001234, 3, "0.000123"],
      [0.00001234, 3, "1.23e-05"],
      [0, 3, "0"],
      [-0, 3, "-0"],
      [123456, 0, "1e+05"],
      [5e-324, 3, "4.94e-324"],
      [1.7976931348623157e308, 4, "1.798e+308"]
    ]
    for (const [x, prec, text] of cases) assert.strictEqual(V.formatFloat(x, "g", prec), text, `${x} ${prec}`)
  })
  it("shortest %g, %e and %f", () => {
    assert.strictEqual(V.formatFloat(100000, "g", -1), "100000")
    assert.strictEqual(V.formatFloat(1000000, "g", -1), "1e+06")
    assert.strictEqual(V.formatFloat(123456789, "g", -1), "1.23456789e+08")
    assert.strictEqual(V.formatFloat(0.0001, "g", -1), "0.0001")
    assert.strictEqual(V.formatFloat(0.00001, "g", -1), "1e-05")
    assert.strictEqual(V.formatFloat(0.1, "e", -1), "1e-01")
    assert.strictEqual(V.formatFloat(1.5e300, "f", -1).length, 301)
    assert.strictEqual(V.formatFloat(Number.NaN, "g", -1), "NaN")
    assert.strictEqual(V.formatFloat(-Infinity, "g", -1), "-Inf")
  })
  it("%f and %e with a precision", () => {
    assert.strictEqual(V.formatFloat(0.5, "f", 0), "0")
    assert.strictEqual(V.formatFloat(1.5, "f", 0), "2")
    assert.strictEqual(V.formatFloat(1.005, "f", 2), "1.00")
    assert.strictEqual(V.formatFloat(0.009, "f", 2), "0.01")
    assert.strictEqual(V.formatFloat(0.0009, "f", 2), "0.00")
    assert.strictEqual(V.formatFloat(9.9999, "e", 2), "1.00e+01")
    assert.strictEqual(V.formatFloat(123456.789, "E", 6), "1.234568E+05")
  })
})

describe("fmt", () => {
  it("Sprint spaces operands that are not strings", () => {
    assert.strictEqual(V.sprint([1, 2, "a", "b", 3, true]), "1 2ab3 true")
    assert.strictEqual(V.sprint([]), "")
    assert.strictEqual(V.sprintln([1, "a", null]), "1 a <nil>\n")
  })
  it("Sprintf: argument errors", () => {
    assert.strictEqual(V.sprintf("%d %s", [1]), "1 %!s(MISSING)")
    assert.strictEqual(V.sprintf("%d", [1, "x", null]), "1%!(EXTRA string=x, <nil>)")
    assert.strictEqual(V.sprintf("%[3]d", [1, 2]), "%!d(BADINDEX)")
    assert.strictEqual(V.sprintf("%[2]d %[1]d", [1, 2]), "2 1")
    assert.strictEqual(V.sprintf("%5z", [1]), "%!z(int=    1)")
    assert.strictEqual(V.sprintf("%*d", ["x", 1]), "%!(BADWIDTH)1")
  })
  it("Sprintf: composite values", () => {
    assert.strictEqual(V.sprintf("%v", [{ b: 1, a: [true, null] }]), "map[a:[true <nil>] b:1]")
    assert.strictEqual(V.sprintf("%s", [["x", "y"]]), "[x y]")
    assert.strictEqual(V.sprintf("%d", [[1, 2]]), "[1 2]")
    assert.strictEqual(V.sprintf("%q", [["x", "y"]]), "[\"x\" \"y\"]")
    const s = V.makeStruct({ typeName: "T", fields: { A: 1, B: "b" } })
    assert.strictEqual(V.sprintf("%v|%+v|%T", [s, s, s]), "{1 b}|{A:1 B:b}|T")
  })
  it("Sprintf: integers and floats", () => {
    assert.strictEqual(
      V.sprintf("%x %X %o %O %b %#b %c %U %q", [255, 255, 8, 8, 5, 5, 0x1f433, 0x1f433, 39]),
      "ff FF 10 0o10 101 0b101 🐳 U+1F433 '\\''"
    )
    assert.strictEqual(
      V.sprintf("%.0d|%5.0d|%+.1f|% .1f|%08.2f|%-8.2f|", [0, 0, new V.Float64(1), new V.Float64(1), -1.5, 1.5]),
      "|     |+1.0| 1.0|-0001.50|1.50    |"
    )
    assert.strictEqual(
      V.sprintf("%d %v", [9007199254740993n, 12345678901234567890n]),
      "9007199254740993 12345678901234567890"
    )
    assert.strictEqual(
      V.sprintf("%v %.2f %d", [new V.Float64(3), new V.Float64(3), new V.Float64(3)]),
      "3 3.00 %!d(float64=3)"
    )
    assert.strictEqual(V.sprintf("%6.2f|%06f", [Infinity, Number.NaN]), "  +Inf|   NaN")
  })
})

describe("quoting and JSON", () => {
  it("strconv.Quote", () => {
    assert.strictEqual(V.quote("a\tb\u00e9\u0001\u200b\"\\"), "\"a\\tbé\\x01\\u200b\\\"\\\\\"")
    assert.strictEqual(V.quote("日\u{1f433}", true), "\"\\u65e5\\U0001f433\"")
    assert.strictEqual(V.quote("\u00a0"), "\"\\u00a0\"")
    assert.strictEqual(V.quoteRune(0x27), "'\\''")
  })
  it("encoding/json escapes", () => {
    assert.strictEqual(
      V.jsonString("<a&b>\"\\\n\r\t\b\f\u0001\u2028\u2029é", true),
      "\"\\u003ca\\u0026b\\u003e\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u2028\\u2029é\""
    )
    assert.strictEqual(V.jsonString("<a&b>", false), "\"<a&b>\"")
    assert.strictEqual(V.jsonString("\ud800", false), "\"\ufffd\"")
  })
  it("encodeJson of values", () => {
    assert.strictEqual(
      V.encodeJson({ b: [1, 1.5, null], a: { z: true, y: "x" } }, false),
      "{\"a\":{\"y\":\"x\",\"z\":true},\"b\":[1,1.5,null]}"
    )
    // Integral numbers are Go ints; floats that happen to be integral need Float64.
    assert.strictEqual(
      V.encodeJson([1e21, new V.Float64(1e21), 1e-7, 0.000001, new V.Float64(-0), new V.Float64(2)], false),
      "[1000000000000000000000,1e+21,1e-7,0.000001,-0,2]"
    )
    assert.strictEqual(V.sprintf("%v %d", [1, 1]), "1 1")
    assert.strictEqual(V.sprintf("%f", [1]), "%!f(int=1)")
    assert.strictEqual(V.encodeJson(new Map([["k", 1]]), false), "{\"k\":1}")
    const r = V.encodeJson([Number.NaN], false)
    assert.instanceOf(r, V.JsonUnsupported)
    if (r instanceof V.JsonUnsupported) assert.strictEqual(r.message, "json: unsupported value: NaN")
  })
})

describe("UTF-8", () => {
  it("lengths and bytes", () => {
    assert.strictEqual(V.utf8Length("héllo"), 6)
    assert.strictEqual(V.utf8Length("🐳"), 4)
    assert.deepStrictEqual(V.utf8Bytes("é🐳"), [0xc3, 0xa9, 0xf0, 0x9f, 0x90, 0xb3])
    assert.strictEqual(V.fromUtf8Bytes([0x68, 0xc3]), "h\ufffd")
    assert.strictEqual(V.fromUtf8Bytes([0xf0, 0x9f, 0x90, 0xb3, 0xe6, 0x97, 0xa5]), "🐳日")
  })
})

describe("RuneWidth", () => {
  it("stringWidth counts grapheme clusters", () => {
    assert.strictEqual(RuneWidth.stringWidth("abc"), 3)
    assert.strictEqual(RuneWidth.stringWidth("日本語"), 6)
    assert.strictEqual(RuneWidth.stringWidth("e\u0301"), 1)
    assert.strictEqual(RuneWidth.stringWidth("🐳"), 2)
    assert.strictEqual(RuneWidth.stringWidth("👨‍👩‍👧"), 2)
    assert.strictEqual(RuneWidth.stringWidth("\u200b\u0007"), 0)
    assert.strictEqual(RuneWidth.stringWidth("🇩🇪"), 1)
  })
  it("ellipsis (formatter.Ellipsis)", () => {
    assert.strictEqual(RuneWidth.ellipsis("abcdef", 4), "abc…")
    assert.strictEqual(RuneWidth.ellipsis("abcd", 4), "abcd")
    assert.strictEqual(RuneWidth.ellipsis("日本語日本語", 5), "日本…")
    assert.strictEqual(RuneWidth.ellipsis("日本語日本語", 6), "日本…")
    assert.strictEqual(RuneWidth.ellipsis("日本語", 6), "日本語")
    assert.strictEqual(RuneWidth.ellipsis("abc", 1), "a")
    assert.strictEqual(RuneWidth.ellipsis("abc", 0), "")
    // Recorded from docker history (CREATED BY cut to 45 columns):
    assert.strictEqual(
      RuneWidth.ellipsis("日本語日本語日本語日本語日本語日本語日本語日本語日本語", 45),
      "日本語日本語日本語日本語日本語日本語日本語日…"
    )
    assert.strictEqual(
      RuneWidth.ellipsis("whale 🐳🐳🐳 and e\u0301e\u0301 combining then tabs and more and more", 45),
      "whale 🐳🐳🐳 and e\u0301e\u0301 combining then tabs an…"
    )
  })
})
