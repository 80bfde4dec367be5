/**
 * Go's `encoding/json` of template values, as docker's `json` template function writes them: Go's string escaping,
 * float formatting, sorted map keys and `json: unsupported value` failures.
 *
 * @internal
 */
import { formatFloat, hex } from "./strconv.ts"
import { codePoints } from "./utf8.ts"
import { kindOf, mapEntries, Struct, toNumber } from "./value.ts"

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
