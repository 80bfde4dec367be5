/**
 * Go's `fmt` of template values: `%v` as an action prints, `Sprint`, `Sprintln` and `Sprintf` with the verbs,
 * flags, widths and precisions docker formats use, and Go's `%!verb(type=value)` for a bad verb.
 *
 * @internal
 */
import { canBackquote, formatFloat, hex, isPrint, quote, quoteRune } from "./strconv.ts"
import { codePoints, utf8Bytes } from "./utf8.ts"
import { kindOf, mapEntries, NoValue, Struct, toNumber, typeName } from "./value.ts"

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
      const items = mapEntries(v).map(([k, x]) =>
        printValue(k, verb, f, depth + 1) + ":" + printValue(x, verb, f, depth + 1)
      )
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
