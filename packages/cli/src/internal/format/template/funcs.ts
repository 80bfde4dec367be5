/**
 * The functions of a template (Go's `text/template/funcs.go`): Go's builtins (`and`, `len`, `index`,
 * `printf`, `eq`, …) and docker's template functions (`json`, `split`, `join`, `title`, …) with their table-header
 * variants (docker's `templates.HeaderFunctions`).
 *
 * @internal
 */
import * as V from "../GoValue.ts"

/** The Go parameter types the functions declare. */
export type ParamType = "any" | "string" | "int" | "bool" | "[]string"

/** A function's failure, reported as `error calling NAME: MESSAGE`. */
export class FuncError {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}

/** A function a template calls: its Go parameter types and its implementation. */
export interface GoFunc {
  readonly params: ReadonlyArray<ParamType>
  readonly variadic?: ParamType
  readonly call: (args: ReadonlyArray<unknown>) => unknown
}

const asInt = (v: unknown): number => Number(V.kindOf(v) === "int" ? v : 0)

type BasicKind = "bool" | "int" | "float" | "string" | "invalid"
const basicKind = (v: unknown): BasicKind => {
  const k = V.kindOf(v)
  return k === "bool" || k === "int" || k === "float" || k === "string" ? k : "invalid"
}
const isNilish = (v: unknown) => v === null || v === undefined || v === V.NoValue

const eqPair = (a: unknown, b: unknown): boolean | FuncError => {
  const ka = basicKind(a)
  const kb = basicKind(b)
  if (ka !== kb) {
    if (!isNilish(a) && !isNilish(b)) return new FuncError("incompatible types for comparison")
    return false
  }
  switch (ka) {
    case "bool":
    case "string":
      return a === b
    case "int":
      return BigInt(a as number) === BigInt(b as number)
    case "float":
      return V.toNumber(a) === V.toNumber(b)
  }
  if (isNilish(a) || isNilish(b)) return isNilish(a) === isNilish(b)
  const k = V.kindOf(a)
  if (k === "slice" || k === "map" || k === "func") {
    return new FuncError(`non-comparable type ${V.formatValue(a)}: ${V.typeName(a)}`)
  }
  return a === b
}

const ltPair = (a: unknown, b: unknown): boolean | FuncError => {
  const ka = basicKind(a)
  const kb = basicKind(b)
  if (ka === "invalid" || kb === "invalid") return new FuncError("invalid type for comparison")
  if (ka !== kb) return new FuncError("incompatible types for comparison")
  switch (ka) {
    case "bool":
      return new FuncError("invalid type for comparison")
    case "int":
      return BigInt(a as number) < BigInt(b as number)
    case "float":
      return V.toNumber(a) < V.toNumber(b)
    default:
      return V.compareStrings(a as string, b as string) < 0
  }
}

const evalArgs = (args: ReadonlyArray<unknown>): string =>
  args.length === 1 && typeof args[0] === "string" ? args[0] : V.sprint(args)

const htmlEscape = (s: string): string =>
  s.replace(
    /["'&<>\0]/g,
    (c) =>
      c === "\""
        ? "&#34;"
        : c === "'"
        ? "&#39;"
        : c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : "\ufffd"
  )

const jsEscape = (s: string): string => {
  let out = ""
  for (const cp of V.codePoints(s)) {
    const c = String.fromCodePoint(cp)
    switch (c) {
      case "\\":
        out += "\\\\"
        continue
      case "'":
        out += "\\'"
        continue
      case "\"":
        out += "\\\""
        continue
      case "<":
      case ">":
      case "&":
      case "=":
        out += "\\u" + cp.toString(16).toUpperCase().padStart(4, "0")
        continue
    }
    if (cp < 0x20) out += "\\u" + cp.toString(16).toUpperCase().padStart(4, "0")
    else if (cp < 0x80 || V.isPrint(cp)) out += c
    else out += "\\u" + cp.toString(16).toUpperCase().padStart(4, "0")
  }
  return out
}

const urlQueryEscape = (s: string): string =>
  V.utf8Bytes(s).map((b) => {
    const c = String.fromCharCode(b)
    if (/[A-Za-z0-9\-_.~]/.test(c)) return c
    if (c === " ") return "+"
    return "%" + b.toString(16).toUpperCase().padStart(2, "0")
  }).join("")

const indexFn = (item: unknown, indices: ReadonlyArray<unknown>): unknown => {
  let v = item
  for (const index of indices) {
    if (isNilish(v)) return new FuncError("index of untyped nil")
    const k = V.kindOf(v)
    if (k === "slice" || k === "string") {
      if (V.kindOf(index) !== "int") {
        return new FuncError(`cannot index slice/array with type ${isNilish(index) ? "<nil>" : V.typeName(index)}`)
      }
      const x = asInt(index)
      if (k === "string") {
        const bytes = V.utf8Bytes(v as string)
        if (x < 0 || x >= bytes.length) return new FuncError(`index out of range: ${x}`)
        v = bytes[x]!
      } else {
        const arr = v as Array<unknown>
        if (x < 0 || x >= arr.length) return new FuncError(`index out of range: ${x}`)
        v = arr[x]
      }
    } else if (k === "map") {
      const key = isNilish(index) ? "" : index
      if (typeof key !== "string") return new FuncError(`${V.typeName(key)} is not index type for ${V.typeName(v)}`)
      const x = V.mapGet(v, key)
      v = x === V.NoValue ? (V.isStringMap(v) ? "" : null) : x
    } else {
      return new FuncError(`can't index item of type ${V.typeName(v)}`)
    }
  }
  return v
}

const sliceFn = (item: unknown, indices: ReadonlyArray<unknown>): unknown => {
  if (isNilish(item)) return new FuncError("slice of untyped nil")
  const k = V.kindOf(item)
  if (k !== "string" && k !== "slice") return new FuncError(`can't slice item of type ${V.typeName(item)}`)
  if (indices.length > 3) return new FuncError(`too many slice indexes: ${indices.length}`)
  if (k === "string" && indices.length === 3) return new FuncError("cannot 3-index slice a string")
  const bytes = k === "string" ? V.utf8Bytes(item as string) : undefined
  const len = bytes !== undefined ? bytes.length : (item as Array<unknown>).length
  const idx = [0, len, len]
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]
    if (V.kindOf(index) !== "int") {
      return new FuncError(`cannot index slice/array with type ${isNilish(index) ? "<nil>" : V.typeName(index)}`)
    }
    const x = asInt(index)
    if (x < 0 || x > len) return new FuncError(`index out of range: ${x}`)
    idx[i] = x
  }
  if (idx[0]! > idx[1]!) return new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`)
  if (indices.length === 3 && idx[1]! > idx[2]!) return new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`)
  if (bytes !== undefined) return V.fromUtf8Bytes(bytes.slice(idx[0], idx[1]))
  return (item as Array<unknown>).slice(idx[0], idx[1])
}

const lengthFn = (item: unknown): unknown => {
  if (isNilish(item)) return new FuncError("len of nil pointer")
  switch (V.kindOf(item)) {
    case "string":
      return V.utf8Length(item as string)
    case "slice":
      return (item as Array<unknown>).length
    case "map":
      return V.mapSize(item)
  }
  return new FuncError(`len of type ${V.typeName(item)}`)
}

/** Go's `unicode.ToUpper`/`ToLower` of one rune: JavaScript's mapping when it yields a single rune. */
const mapRune = (cp: number, upper: boolean): number => {
  if (!upper && cp === 0x130) return 0x69
  const s = String.fromCodePoint(cp)
  const m = upper ? s.toUpperCase() : s.toLowerCase()
  const cps = V.codePoints(m)
  return cps.length === 1 ? cps[0]! : cp
}

const mapString = (s: string, upper: boolean): string =>
  String.fromCodePoint(...V.codePoints(s).map((cp) => mapRune(cp, upper)))

const toTitle = (cp: number): number => {
  if (cp >= 0x1c4 && cp <= 0x1c6) return 0x1c5
  if (cp >= 0x1c7 && cp <= 0x1c9) return 0x1c8
  if (cp >= 0x1ca && cp <= 0x1cc) return 0x1cb
  if (cp >= 0x1f1 && cp <= 0x1f3) return 0x1f2
  return mapRune(cp, true)
}

const letterOrDigit = /^[\p{L}\p{Nd}]$/u
const unicodeSpace = /^[\s\u0085]$/u
const isSeparator = (cp: number): boolean => {
  if (cp <= 0x7f) return !/[0-9a-zA-Z_]/.test(String.fromCharCode(cp))
  const c = String.fromCodePoint(cp)
  if (letterOrDigit.test(c)) return false
  return unicodeSpace.test(c)
}

/** Go's (deprecated) `strings.Title`: the first letter of each word in title case. */
const title = (s: string): string => {
  let prev = 0x20
  return String.fromCodePoint(
    ...V.codePoints(s).map((cp) => {
      const out = isSeparator(prev) ? toTitle(cp) : cp
      prev = cp
      return out
    })
  )
}

/** Go's `strings.Split`: an empty separator splits after each rune. */
const split = (s: string, sep: string): Array<string> =>
  sep === "" ? V.codePoints(s).map((cp) => String.fromCodePoint(cp)) : s.split(sep)

const identity = (args: ReadonlyArray<unknown>) => args[0]

/** Go's builtin template functions. */
export const builtins: Record<string, GoFunc> = {
  and: { params: ["any"], variadic: "any", call: identity },
  or: { params: ["any"], variadic: "any", call: identity },
  not: { params: ["any"], call: ([a]) => !V.isTrue(a) },
  len: { params: ["any"], call: ([a]) => lengthFn(a) },
  index: { params: ["any"], variadic: "any", call: ([a, ...rest]) => indexFn(a, rest) },
  slice: { params: ["any"], variadic: "any", call: ([a, ...rest]) => sliceFn(a, rest) },
  print: { params: [], variadic: "any", call: (args) => V.sprint(args) },
  printf: { params: ["string"], variadic: "any", call: ([f, ...rest]) => V.sprintf(f as string, rest) },
  println: { params: [], variadic: "any", call: (args) => V.sprintln(args) },
  eq: {
    params: ["any"],
    variadic: "any",
    call: ([a, ...rest]) => {
      if (rest.length === 0) return new FuncError("missing argument for comparison")
      for (const b of rest) {
        const r = eqPair(a, b)
        if (r !== false) return r
      }
      return false
    }
  },
  ne: {
    params: ["any", "any"],
    call: ([a, b]) => {
      const r = eqPair(a, b)
      return r instanceof FuncError ? r : !r
    }
  },
  lt: { params: ["any", "any"], call: ([a, b]) => ltPair(a, b) },
  le: {
    params: ["any", "any"],
    call: ([a, b]) => {
      const r = ltPair(a, b)
      return r === false ? eqPair(a, b) : r
    }
  },
  gt: {
    params: ["any", "any"],
    call: ([a, b]) => {
      const lt = ltPair(a, b)
      if (lt !== false) return lt instanceof FuncError ? lt : false
      const eq = eqPair(a, b)
      return eq instanceof FuncError ? eq : !eq
    }
  },
  ge: {
    params: ["any", "any"],
    call: ([a, b]) => {
      const r = ltPair(a, b)
      return r instanceof FuncError ? r : !r
    }
  },
  call: {
    params: ["any"],
    variadic: "any",
    call: ([fn, ...args]) => {
      if (V.kindOf(fn) !== "func") {
        return new FuncError(`non-function of type ${isNilish(fn) ? "<nil>" : V.typeName(fn)}`)
      }
      return (fn as (...xs: ReadonlyArray<unknown>) => unknown)(...args)
    }
  },
  html: { params: [], variadic: "any", call: (args) => htmlEscape(evalArgs(args)) },
  js: { params: [], variadic: "any", call: (args) => jsEscape(evalArgs(args)) },
  urlquery: { params: [], variadic: "any", call: (args) => urlQueryEscape(evalArgs(args)) }
}

/** docker's template functions (`templates.basicFunctions`). */
export const dockerFunctions: Record<string, GoFunc> = {
  json: {
    params: ["any"],
    call: ([a]) => {
      const r = V.encodeJson(a, false)
      return r instanceof V.JsonUnsupported ? new FuncError(r.message) : r
    }
  },
  split: { params: ["string", "string"], call: ([s, sep]) => split(s as string, sep as string) },
  join: { params: ["[]string", "string"], call: ([a, sep]) => ((a ?? []) as Array<string>).join(sep as string) },
  title: { params: ["string"], call: ([s]) => title(s as string) },
  lower: { params: ["string"], call: ([s]) => mapString(s as string, false) },
  upper: { params: ["string"], call: ([s]) => mapString(s as string, true) },
  pad: {
    params: ["string", "int", "int"],
    call: ([s, prefix, suffix]) => {
      if (s === "") return s
      const p = asInt(prefix)
      const q = asInt(suffix)
      if (p < 0 || q < 0) return new FuncError("strings: negative Repeat count")
      return " ".repeat(p) + (s as string) + " ".repeat(q)
    }
  },
  truncate: {
    params: ["string", "int"],
    call: ([s, length]) => {
      const n = asInt(length)
      const bytes = V.utf8Bytes(s as string)
      if (bytes.length < n) return s
      if (n < 0) return new FuncError(`runtime error: slice bounds out of range [:${n}]`)
      return V.fromUtf8Bytes(bytes.slice(0, n))
    }
  }
}

/** docker's `HeaderFunctions`: the table header keeps column names as they are. */
export const headerFunctions: Record<string, GoFunc> = {
  ...dockerFunctions,
  json: { params: ["string"], call: identity },
  split: { params: ["string", "string"], call: identity },
  join: { params: ["string", "string"], call: identity },
  title: { params: ["string"], call: identity },
  lower: { params: ["string"], call: identity },
  upper: { params: ["string"], call: identity },
  truncate: { params: ["string", "int"], call: identity }
}

/** The names a template may call: the parser rejects any other. */
export const defined = new Set([...Object.keys(builtins), ...Object.keys(dockerFunctions)])
