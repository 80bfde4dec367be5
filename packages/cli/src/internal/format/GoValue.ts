/**
 * Go values as docker's `--format` templates see them, and the Go text they print as: `fmt`'s `%v`/`Sprint`/
 * `Sprintf`, `strconv`'s float and quote formatting, and `encoding/json`. Template data is plain JavaScript: strings,
 * numbers (an integral number is a Go `int`, any other a `float64`; wrap in {@link Float64} to force a float),
 * booleans, `null` (Go `nil`), arrays (slices), plain objects and `Map`s (maps, printed and ranged over in sorted key
 * order) and {@link Struct}s (Go structs with fields and zero-argument methods, such as docker's formatter contexts).
 *
 * @internal
 */

// ---------------------------------------------------------------------------------------------------------------
// UTF-8
// ---------------------------------------------------------------------------------------------------------------

/** The code points of a string; a lone surrogate becomes U+FFFD, as Go sees invalid UTF-8. */
export const codePoints = (s: string): Array<number> => {
  const out: Array<number> = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000)
        i++
        continue
      }
    }
    out.push(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c)
  }
  return out
}

const utf8Width = (cp: number) => cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4

/** The length of a string in UTF-8 bytes, which is what Go's `len` and byte offsets count. */
export const utf8Length = (s: string): number => {
  let n = 0
  for (const cp of codePoints(s)) n += utf8Width(cp)
  return n
}

/** A string's UTF-8 bytes. */
export const utf8Bytes = (s: string): Array<number> => {
  const out: Array<number> = []
  for (const cp of codePoints(s)) {
    if (cp < 0x80) out.push(cp)
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f))
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
    else {
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
    }
  }
  return out
}

/** Decodes UTF-8 bytes; each byte that is not part of a valid sequence becomes U+FFFD. */
export const fromUtf8Bytes = (bytes: ReadonlyArray<number>): string => {
  let out = ""
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1
    let cp = need === 0 ? b : need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07
    let ok = need >= 0 && i + need < bytes.length
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k]!
      if ((c & 0xc0) !== 0x80) ok = false
      else cp = (cp << 6) | (c & 0x3f)
    }
    if (ok && need > 0 && (cp < [0, 0x80, 0x800, 0x10000][need]! || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) {
      ok = false
    }
    if (!ok) {
      out += "\ufffd"
      i++
    } else {
      out += String.fromCodePoint(cp)
      i += need + 1
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// The value model
// ---------------------------------------------------------------------------------------------------------------

/** A Go `float64`, for a value that must stay a float even when it is integral (`1.0` prints `1`, `%d` rejects it). */
export class Float64 {
  readonly value: number
  constructor(value: number) {
    this.value = value
  }
}

/** The "no value" of a missing map key (an invalid `reflect.Value` in Go): prints as `<no value>`. */
export const NoValue: unique symbol = Symbol.for("@dockhand/cli/GoValue/NoValue")

/** How a {@link Struct} is described. */
export interface StructOptions {
  /** Go's name for the type, used in error messages: `*formatter.imageContext`. */
  readonly typeName: string
  /** Fields in declaration order; a function is a zero-argument method, called when the template reads it. */
  readonly fields: Readonly<Record<string, unknown>>
  /** The value's JSON as `{{json .}}` prints it, when the Go type has its own `MarshalJSON`. */
  readonly json?: (() => string) | undefined
  /** What `{{.}}` prints for the value, when Go's default `{field field}` rendering is not wanted. */
  readonly text?: (() => string) | undefined
}

/** A Go struct (or pointer to one): named fields and methods that templates reach with `.Name`. */
export class Struct {
  readonly typeName: string
  readonly fieldNames: ReadonlyArray<string>
  readonly json: (() => string) | undefined
  readonly text: (() => string) | undefined
  private readonly fields: Readonly<Record<string, unknown>>
  constructor(options: StructOptions) {
    this.typeName = options.typeName
    this.fields = options.fields
    this.fieldNames = Object.keys(options.fields)
    this.json = options.json
    this.text = options.text
  }
  /** Whether the struct has a field or method of that name. */
  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.fields, name)
  }
  /** The raw field: a value, or a function for a method. */
  raw(name: string): unknown {
    return this.fields[name]
  }
  /** The field's value, calling it if it is a method. */
  get(name: string): unknown {
    const v = this.fields[name]
    return typeof v === "function" ? (v as () => unknown)() : v
  }
}

/** Builds a {@link Struct}. */
export const makeStruct = (options: StructOptions): Struct => new Struct(options)

/** The Go kind of a template value. */
export type Kind = "invalid" | "nil" | "bool" | "int" | "float" | "string" | "slice" | "map" | "struct" | "func"

/** The Go kind a JavaScript value stands for. */
export const kindOf = (v: unknown): Kind => {
  if (v === NoValue) return "invalid"
  if (v === null || v === undefined) return "nil"
  switch (typeof v) {
    case "boolean":
      return "bool"
    case "number":
      return Number.isInteger(v) ? "int" : "float"
    case "bigint":
      return "int"
    case "string":
      return "string"
    case "function":
      return "func"
  }
  if (v instanceof Float64) return "float"
  if (Array.isArray(v)) return "slice"
  if (v instanceof Struct) return "struct"
  return "map"
}

/** The entries of a map value, sorted by key as Go's `fmt`, `range` and `encoding/json` sort them. */
export const mapEntries = (v: unknown): Array<readonly [string, unknown]> => {
  const entries: Array<readonly [string, unknown]> = v instanceof Map
    ? Array.from(v.entries(), ([k, x]) => [String(k), x] as const)
    : Object.entries(v as object)
  return entries.sort(([a], [b]) => compareStrings(a, b))
}

/** Compares strings by code point, as Go compares UTF-8 strings byte by byte. */
export const compareStrings = (a: string, b: string): number => {
  if (a === b) return 0
  const x = codePoints(a)
  const y = codePoints(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!
  }
  return x.length - y.length
}

/** The value at a key of a map value, or {@link NoValue} when absent. */
export const mapGet = (v: unknown, key: string): unknown => {
  if (v instanceof Map) return v.has(key) ? v.get(key) : NoValue
  return Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : NoValue
}

/** The number of entries of a map value. */
export const mapSize = (v: unknown): number => v instanceof Map ? v.size : Object.keys(v as object).length

/** Whether every element is a string: such an array is typed `[]string`, which `join` accepts. */
export const isStringSlice = (v: ReadonlyArray<unknown>): boolean => v.every((e) => typeof e === "string")

/** Whether every value is a string: such a map is typed `map[string]string` (a missing key indexes to `""`). */
export const isStringMap = (v: unknown): boolean => mapEntries(v).every(([, x]) => typeof x === "string")

/** Go's name for the type of a value, as error messages and `%T` print it. */
export const typeName = (v: unknown): string => {
  switch (kindOf(v)) {
    case "invalid":
      return "<invalid reflect.Value>"
    case "nil":
      return "<nil>"
    case "bool":
      return "bool"
    case "int":
      return "int"
    case "float":
      return "float64"
    case "string":
      return "string"
    case "func":
      return "func() interface {}"
    case "slice":
      return isStringSlice(v as Array<unknown>) ? "[]string" : "[]interface {}"
    case "map":
      return isStringMap(v) ? "map[string]string" : "map[string]interface {}"
    case "struct":
      return (v as Struct).typeName
  }
}

/** The number inside an int or float value. */
export const toNumber = (v: unknown): number =>
  v instanceof Float64 ? v.value : typeof v === "bigint" ? Number(v) : (v as number)

/** Go's truth: false for the zero value of the type (0, "", empty slice or map, nil), true for structs. */
export const isTrue = (v: unknown): boolean => {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return false
    case "bool":
      return v as boolean
    case "int":
    case "float":
      return toNumber(v) !== 0
    case "string":
      return (v as string).length > 0
    case "slice":
      return (v as Array<unknown>).length > 0
    case "map":
      return mapSize(v) > 0
    case "struct":
    case "func":
      return true
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Floats (strconv.FormatFloat)
// ---------------------------------------------------------------------------------------------------------------

/** A decimal: digits without leading or trailing zeros (empty for zero), the point after `dp` digits. */
interface Decimal {
  readonly digits: string
  readonly dp: number
}

/** The exact decimal value of a finite, non-negative double. */
const exactDecimal = (x: number): Decimal => {
  if (x === 0) return { digits: "", dp: 0 }
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let exp: number
  if (biased === 0) exp = -1074
  else {
    mant |= 1n << 52n
    exp = biased - 1075
  }
  let digits: string
  let dp: number
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString()
    dp = digits.length
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString()
    dp = digits.length + exp
  }
  return { digits: digits.replace(/0+$/, ""), dp }
}

/** Rounds to `nd` significant digits, half to even on an exact tie (as Go's decimal rounding). */
const roundDecimal = (d: Decimal, nd: number): Decimal => {
  if (nd < 0 || nd >= d.digits.length) return d
  const next = d.digits.charCodeAt(nd) - 48
  const tie = next === 5 && nd + 1 === d.digits.length
  const up = next > 5 || (next === 5 && !tie) || (tie && nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1)
  if (!up) return { digits: d.digits.slice(0, nd).replace(/0+$/, ""), dp: d.digits.slice(0, nd) === "" ? 0 : d.dp }
  let i = nd - 1
  const chars = d.digits.slice(0, nd).split("")
  while (i >= 0 && chars[i] === "9") i--
  if (i < 0) return { digits: "1", dp: d.dp + 1 }
  chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1)
  return { digits: chars.slice(0, i + 1).join(""), dp: d.dp }
}

/** The shortest decimal that reads back as the same double (JavaScript and Go agree on it). */
const shortestDecimal = (x: number): Decimal => {
  if (x === 0) return { digits: "", dp: 0 }
  const [mantissa, exponent] = x.toExponential().split("e") as [string, string]
  return { digits: mantissa.replace(".", "").replace(/0+$/, ""), dp: Number(exponent) + 1 }
}

const fmtE = (d: Decimal, prec: number, upper: boolean): string => {
  let s = d.digits.length === 0 ? "0" : d.digits[0]!
  if (prec > 0) {
    s += "."
    for (let i = 1; i <= prec; i++) s += i < d.digits.length ? d.digits[i] : "0"
  }
  const exp = d.digits.length === 0 ? 0 : d.dp - 1
  const abs = Math.abs(exp)
  return s + (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + (abs < 10 ? "0" + abs : String(abs))
}

const fmtF = (d: Decimal, prec: number): string => {
  let s = ""
  if (d.dp > 0) {
    for (let i = 0; i < d.dp; i++) s += i < d.digits.length ? d.digits[i] : "0"
  } else s = "0"
  if (prec > 0) {
    s += "."
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1
      s += j >= 0 && j < d.digits.length ? d.digits[j] : "0"
    }
  }
  return s
}

/**
 * Go's `strconv.FormatFloat(x, fmt, prec, 64)` for `e`, `E`, `f`, `F`, `g` and `G`: a negative `prec` asks for the
 * fewest digits that read back exactly; rounding is exact, half to even (so `%.3g` of 1.125 is `1.12`).
 */
export const formatFloat = (x: number, fmt: "e" | "E" | "f" | "F" | "g" | "G", prec: number): string => {
  if (Number.isNaN(x)) return "NaN"
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf"
  const neg = x < 0 || Object.is(x, -0)
  const abs = Math.abs(x)
  const shortest = prec < 0
  let d: Decimal
  let p = prec
  if (shortest) {
    d = shortestDecimal(abs)
    p = fmt === "e" || fmt === "E"
      ? Math.max(d.digits.length - 1, 0)
      : fmt === "f" || fmt === "F"
      ? Math.max(d.digits.length - d.dp, 0)
      : d.digits.length
  } else {
    const exact = exactDecimal(abs)
    if (fmt === "e" || fmt === "E") d = roundDecimal(exact, p + 1)
    else if (fmt === "f" || fmt === "F") d = roundDecimal(exact, exact.dp + p)
    else {
      if (p === 0) p = 1
      d = roundDecimal(exact, p)
    }
  }
  let body: string
  if (fmt === "e" || fmt === "E") body = fmtE(d, p, fmt === "E")
  else if (fmt === "f" || fmt === "F") body = fmtF(d, p)
  else {
    let eprec = p
    if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length
    if (shortest) eprec = 6
    const exp = d.dp - 1
    if (exp < -4 || exp >= eprec) {
      body = fmtE(d, (p > d.digits.length ? d.digits.length : p) - 1, fmt === "G")
    } else {
      body = fmtF(d, Math.max((p > d.dp ? d.digits.length : p) - d.dp, 0))
    }
  }
  return (neg ? "-" : "") + body
}

// ---------------------------------------------------------------------------------------------------------------
// Quoting (strconv.Quote) and JSON (encoding/json)
// ---------------------------------------------------------------------------------------------------------------

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export const isPrint = (cp: number): boolean => cp === 0x20 || printable.test(String.fromCodePoint(cp))

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0")

const escapeRune = (cp: number, quote: number, asciiOnly: boolean): string => {
  if (cp === quote || cp === 0x5c) return "\\" + String.fromCodePoint(cp)
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return String.fromCodePoint(cp)
  switch (cp) {
    case 0x07:
      return "\\a"
    case 0x08:
      return "\\b"
    case 0x0c:
      return "\\f"
    case 0x0a:
      return "\\n"
    case 0x0d:
      return "\\r"
    case 0x09:
      return "\\t"
    case 0x0b:
      return "\\v"
  }
  if (cp < 0x20 || cp === 0x7f) return "\\x" + hex(cp, 2)
  if (cp < 0x10000) return "\\u" + hex(cp, 4)
  return "\\U" + hex(cp, 8)
}

/** Go's `strconv.Quote` (or `QuoteToASCII`): a double-quoted Go string literal. */
export const quote = (s: string, asciiOnly = false): string =>
  "\"" + codePoints(s).map((cp) => escapeRune(cp, 0x22, asciiOnly)).join("") + "\""

/** Go's `strconv.QuoteRune`: a single-quoted Go rune literal. */
export const quoteRune = (cp: number, asciiOnly = false): string => {
  const r = cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp
  return "'" + escapeRune(r, 0x27, asciiOnly) + "'"
}

/** Whether Go's `strconv.CanBackquote` holds: a single-line string without backquotes or control characters. */
export const canBackquote = (s: string): boolean =>
  codePoints(s).every((cp) => cp !== 0x60 && cp !== 0xfeff && (cp >= 0x20 || cp === 0x09) && cp !== 0x7f && cp !== 0xfffd)

/** A JSON string as Go's `encoding/json` writes it; `escapeHTML` turns `<`, `>` and `&` into `\u003c` etc. */
export const jsonString = (s: string, escapeHTML: boolean): string => {
  let out = "\""
  for (const cp of codePoints(s)) {
    switch (cp) {
      case 0x22:
        out += "\\\""
        continue
      case 0x5c:
        out += "\\\\"
        continue
      case 0x0a:
        out += "\\n"
        continue
      case 0x0d:
        out += "\\r"
        continue
      case 0x09:
        out += "\\t"
        continue
      case 0x08:
        out += "\\b"
        continue
      case 0x0c:
        out += "\\f"
        continue
      case 0x2028:
      case 0x2029:
        out += "\\u" + hex(cp, 4)
        continue
    }
    if (cp < 0x20 || (escapeHTML && (cp === 0x3c || cp === 0x3e || cp === 0x26))) out += "\\u" + hex(cp, 4)
    else out += String.fromCodePoint(cp)
  }
  return out + "\""
}

/** Why a value cannot be encoded as JSON, in Go's words (`json: unsupported value: NaN`). */
export class JsonUnsupported {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}

const jsonFloat = (x: number): string | JsonUnsupported => {
  if (!Number.isFinite(x)) return new JsonUnsupported(`json: unsupported value: ${formatFloat(x, "g", -1)}`)
  const abs = Math.abs(x)
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return formatFloat(x, "e", -1).replace(/e-0(\d)$/, "e-$1")
  return formatFloat(x, "f", -1)
}

/** A Go int as decimal text, exactly, however large. */
export const intText = (v: unknown): string =>
  typeof v === "bigint" ? v.toString() : Math.abs(v as number) >= 1e21 ? BigInt(v as number).toString() : String(v)

/**
 * Go's `encoding/json` encoding of a value: map keys sorted, structs in field order (or their own JSON), floats as
 * Go writes them. `escapeHTML` is false for docker's `json` template function, which turns it off.
 */
export const encodeJson = (v: unknown, escapeHTML: boolean): string | JsonUnsupported => {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return "null"
    case "bool":
      return String(v)
    case "int":
      return intText(v)
    case "float":
      return jsonFloat(toNumber(v))
    case "string":
      return jsonString(v as string, escapeHTML)
    case "func":
      return new JsonUnsupported("json: unsupported type: func() interface {}")
    case "slice": {
      const parts: Array<string> = []
      for (const e of v as Array<unknown>) {
        const part = encodeJson(e, escapeHTML)
        if (part instanceof JsonUnsupported) return part
        parts.push(part)
      }
      return "[" + parts.join(",") + "]"
    }
    case "map":
      return encodeFields(mapEntries(v), escapeHTML)
    case "struct": {
      const s = v as Struct
      if (s.json !== undefined) return s.json()
      return encodeFields(s.fieldNames.map((name) => [name, s.get(name)] as const), escapeHTML)
    }
  }
}

const encodeFields = (entries: ReadonlyArray<readonly [string, unknown]>, escapeHTML: boolean) => {
  const parts: Array<string> = []
  for (const [k, x] of entries) {
    const part = encodeJson(x, escapeHTML)
    if (part instanceof JsonUnsupported) return part
    parts.push(jsonString(k, escapeHTML) + ":" + part)
  }
  return "{" + parts.join(",") + "}"
}

// ---------------------------------------------------------------------------------------------------------------
// fmt: Sprint, Sprintln, Sprintf
// ---------------------------------------------------------------------------------------------------------------

interface Flags {
  plus: boolean
  minus: boolean
  sharp: boolean
  space: boolean
  zero: boolean
  plusV: boolean
  sharpV: boolean
  width: number | undefined
  prec: number | undefined
}

const noFlags = (): Flags => ({
  plus: false,
  minus: false,
  sharp: false,
  space: false,
  zero: false,
  plusV: false,
  sharpV: false,
  width: undefined,
  prec: undefined
})

const runeCount = (s: string) => codePoints(s).length

/** Pads to the width in runes: spaces on the left, on the right with `-`, zeros on the left with `0`. */
const pad = (s: string, f: Flags): string => {
  if (f.width === undefined) return s
  const n = f.width - runeCount(s)
  if (n <= 0) return s
  if (f.minus) return s + " ".repeat(n)
  return (f.zero ? "0" : " ").repeat(n) + s
}

const fmtInteger = (value: bigint, verb: string, f: Flags): string => {
  const negative = value < 0n
  const u = negative ? -value : value
  if (verb === "c") return pad(String.fromCodePoint(Number(u) > 0x10ffff ? 0xfffd : Number(u)), f)
  if (verb === "q") return pad(quoteRune(Number(value), f.plus), f)
  if (verb === "U") {
    let s = "U+" + u.toString(16).toUpperCase().padStart(4, "0")
    if (f.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += " '" + String.fromCodePoint(Number(u)) + "'"
    return pad(s, f)
  }
  const base = verb === "b" ? 2 : verb === "o" || verb === "O" ? 8 : verb === "x" || verb === "X" ? 16 : 10
  let digits = u.toString(base)
  if (verb === "X") digits = digits.toUpperCase()
  let prec = 0
  if (f.prec !== undefined) {
    prec = f.prec
    if (prec === 0 && u === 0n) return pad("", { ...f, zero: false })
  } else if (f.zero && !f.minus && f.width !== undefined) {
    prec = f.width
    if (negative || f.plus || f.space) prec--
  }
  if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits
  if (f.sharp) {
    if (base === 2) digits = "0b" + digits
    else if (base === 8 && digits[0] !== "0") digits = "0" + digits
    else if (base === 16) digits = (verb === "X" ? "0X" : "0x") + digits
  }
  if (verb === "O") digits = "0o" + digits
  const sign = negative ? "-" : f.plus ? "+" : f.space ? " " : ""
  return pad(sign + digits, { ...f, zero: false })
}

const fmtFloatVerb = (x: number, verb: string, f: Flags): string => {
  const goVerb = verb === "v" ? "g" : verb
  const prec = f.prec ?? (goVerb === "g" || goVerb === "G" ? -1 : 6)
  let num = formatFloat(x, goVerb as "e" | "E" | "f" | "F" | "g" | "G", prec)
  if (num[0] !== "-" && num[0] !== "+") num = "+" + num
  if (f.space && num[0] === "+" && !f.plus) num = " " + num.slice(1)
  if (num[1] === "I" || num[1] === "N") {
    if (num[1] === "N" && !f.space && !f.plus) num = num.slice(1)
    return pad(num, { ...f, zero: false })
  }
  if (f.plus || num[0] !== "+") {
    if (f.zero && !f.minus && f.width !== undefined && f.width > num.length) {
      return num[0] + "0".repeat(f.width - num.length) + num.slice(1)
    }
    return pad(num, f)
  }
  return pad(num.slice(1), f)
}

const fmtHexBytes = (bytes: ReadonlyArray<number>, verb: string, f: Flags): string => {
  const n = f.prec !== undefined && f.prec < bytes.length ? f.prec : bytes.length
  let s = ""
  for (let i = 0; i < n; i++) {
    if (f.space && i > 0) s += " "
    if (f.sharp && (f.space || i === 0)) s += verb === "X" ? "0X" : "0x"
    const h = hex(bytes[i]!, 2)
    s += verb === "X" ? h.toUpperCase() : h
  }
  return pad(s, f)
}

const fmtString = (s: string, verb: string, f: Flags): string | undefined => {
  switch (verb) {
    case "v":
      if (f.sharpV) return pad(quote(s), f)
      return pad(f.prec !== undefined ? String.fromCodePoint(...codePoints(s).slice(0, f.prec)) : s, f)
    case "s":
      return pad(f.prec !== undefined ? String.fromCodePoint(...codePoints(s).slice(0, f.prec)) : s, f)
    case "q": {
      const t = f.prec !== undefined ? String.fromCodePoint(...codePoints(s).slice(0, f.prec)) : s
      if (f.sharp && canBackquote(t)) return pad("`" + t + "`", f)
      return pad(quote(t, f.plus), f)
    }
    case "x":
    case "X":
      return fmtHexBytes(utf8Bytes(s), verb, f)
  }
  return undefined
}

/** Formats one value for one verb, as Go's `fmt` does; `undefined` means a bad verb for the value. */
const printValue = (v: unknown, verb: string, f: Flags, depth: number): string => {
  if (verb === "T") return pad(typeName(v), f)
  const kind = kindOf(v)
  const bad = () => badVerb(v, verb, f)
  switch (kind) {
    case "invalid":
      return depth === 0 ? pad("<invalid reflect.Value>", f) : pad("<nil>", f)
    case "nil":
      if (depth > 0) return pad("<nil>", f)
      return verb === "v" ? pad("<nil>", f) : bad()
    case "bool":
      return verb === "t" || verb === "v" ? pad(String(v), f) : bad()
    case "int": {
      const n = typeof v === "bigint" ? v : BigInt(v as number)
      if ("bcdoOqxXUv".includes(verb)) return fmtInteger(n, verb === "v" ? "d" : verb, f)
      return bad()
    }
    case "float":
      if ("vbeEfFgGxX".includes(verb) && verb !== "b" && verb !== "x" && verb !== "X") {
        return fmtFloatVerb(toNumber(v), verb, f)
      }
      return bad()
    case "string":
      return fmtString(v as string, verb, f) ?? bad()
    case "slice": {
      const items = (v as Array<unknown>).map((e) => printValue(e, verb, f, depth + 1))
      return "[" + items.join(" ") + "]"
    }
    case "map": {
      const items = mapEntries(v).map(([k, x]) => printValue(k, verb, f, depth + 1) + ":" + printValue(x, verb, f, depth + 1))
      return "map[" + items.join(" ") + "]"
    }
    case "struct": {
      const s = v as Struct
      if (s.text !== undefined && (verb === "v" || verb === "s")) return pad(s.text(), f)
      const items = s.fieldNames.map((name) =>
        (f.plusV ? name + ":" : "") + printValue(s.get(name), verb, f, depth + 1)
      )
      return "{" + items.join(" ") + "}"
    }
    case "func":
      return verb === "v" || verb === "p" ? "0xc000000000" : bad()
  }
}

const badVerb = (v: unknown, verb: string, f: Flags): string => {
  if (v === null || v === undefined || v === NoValue) return `%!${verb}(<nil>)`
  return `%!${verb}(${typeName(v)}=${printValue(v, "v", f, 0)})`
}

/** Go's `%v` of a value, as a template action prints it (`<no value>` for a missing key). */
export const formatValue = (v: unknown): string => v === NoValue ? "<no value>" : printValue(v, "v", noFlags(), 0)

/** Go's `fmt.Sprint`: operands concatenated, with a space between two operands when neither is a string. */
export const sprint = (args: ReadonlyArray<unknown>): string => {
  let out = ""
  let prevString = false
  args.forEach((arg, i) => {
    const isString = typeof arg === "string"
    if (i > 0 && !isString && !prevString) out += " "
    out += printValue(arg, "v", noFlags(), 0)
    prevString = isString
  })
  return out
}

/** Go's `fmt.Sprintln`: operands separated by spaces, then a newline. */
export const sprintln = (args: ReadonlyArray<unknown>): string =>
  args.map((arg) => printValue(arg, "v", noFlags(), 0)).join(" ") + "\n"

/** Go's `fmt.Sprintf` for the verbs docker formats use, with flags, widths, precisions, `*` and `%[n]`. */
export const sprintf = (format: string, args: ReadonlyArray<unknown>): string => {
  let out = ""
  let argNum = 0
  let reordered = false
  let i = 0
  const n = format.length
  const parseNum = (): number | undefined => {
    let j = i
    while (j < n && format.charCodeAt(j) >= 48 && format.charCodeAt(j) <= 57) j++
    if (j === i) return undefined
    const value = Number(format.slice(i, j))
    i = j
    return value
  }
  const argIndex = (): boolean => {
    // `[n]` selects argument n (1-based); returns false on a malformed index.
    if (format[i] !== "[") return true
    reordered = true
    const close = format.indexOf("]", i)
    if (close < 0) return false
    const idx = Number(format.slice(i + 1, close))
    if (!Number.isInteger(idx) || idx < 1 || idx > args.length || format.slice(i + 1, close) === "") {
      i = close + 1
      argNum = -1
      return false
    }
    argNum = idx - 1
    i = close + 1
    return true
  }
  while (i < n) {
    const start = i
    while (i < n && format[i] !== "%") i++
    out += format.slice(start, i)
    if (i >= n) break
    i++
    const f = noFlags()
    flags: while (i < n) {
      switch (format[i]) {
        case "#":
          f.sharp = true
          break
        case "0":
          f.zero = !f.minus
          break
        case "+":
          f.plus = true
          break
        case "-":
          f.minus = true
          f.zero = false
          break
        case " ":
          f.space = true
          break
        default:
          break flags
      }
      i++
    }
    let badIndex = !argIndex()
    if (format[i] === "*") {
      i++
      const w = args[argNum]
      argNum++
      if (w === undefined || kindOf(w) !== "int") out += "%!(BADWIDTH)"
      else {
        let width = Number(w)
        if (width < 0) {
          f.minus = true
          f.zero = false
          width = -width
        }
        f.width = width
      }
      if (!badIndex) badIndex = !argIndex()
    } else {
      const w = parseNum()
      if (w !== undefined) f.width = w
    }
    if (format[i] === ".") {
      i++
      if (!badIndex) badIndex = !argIndex()
      if (format[i] === "*") {
        i++
        const p = args[argNum]
        argNum++
        if (p === undefined || kindOf(p) !== "int" || Number(p) < 0) out += "%!(BADPREC)"
        else f.prec = Number(p)
        if (!badIndex) badIndex = !argIndex()
      } else {
        f.prec = parseNum() ?? 0
      }
    }
    if (!badIndex) badIndex = !argIndex()
    if (i >= n) {
      out += "%!(NOVERB)"
      break
    }
    const cp = format.codePointAt(i)!
    const verb = String.fromCodePoint(cp)
    i += verb.length
    if (verb === "%") {
      out += "%"
      continue
    }
    if (badIndex) {
      out += `%!${verb}(BADINDEX)`
      continue
    }
    if (argNum < 0 || argNum >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    if (verb === "w") {
      out += badVerb(args[argNum], verb, f)
      argNum++
      continue
    }
    if (verb === "v") {
      if (f.sharp) {
        f.sharp = false
        f.sharpV = true
      }
      if (f.plus) {
        f.plus = false
        f.plusV = true
      }
    }
    out += printValue(args[argNum], verb, f, 0)
    argNum++
  }
  if (!reordered && argNum < args.length) {
    out += "%!(EXTRA " + args.slice(argNum).map((a) =>
      a === null || a === undefined ? "<nil>" : `${typeName(a)}=${printValue(a, "v", noFlags(), 0)}`
    ).join(", ") + ")"
  }
  return out
}
