/**
 * Writes JSON text the way Go's `encoding/json` does for the daemon and the Go client: struct keys in field
 * order, map keys sorted by code point, no HTML escaping, U+2028 and U+2029 escaped, `-0` kept. The schema's
 * encoded AST tells structs (named keys) from maps (index signatures); values with no schema (`Unknown`) keep
 * their own key order.
 *
 * @internal
 */
import * as Result from "effect/Result"
import type * as SchemaAST from "effect/SchemaAST"
import { elementAst, resolve } from "./schemaWalk.ts"

/** Why a value could not be written as JSON, and where. */
export interface WriteFailure {
  readonly kind: "TooDeep" | "NotJson"
  readonly path: ReadonlyArray<PropertyKey>
  readonly expected: string
  readonly found: string
}

const LINE_SEPARATORS = /[\u2028\u2029]/
const LINE_SEPARATORS_ALL = /[\u2028\u2029]/g

/** Escapes U+2028 and U+2029 in JSON text, as Go does; JSON.stringify leaves them raw. */
export const escapeLineSeparators = (json: string): string =>
  LINE_SEPARATORS.test(json)
    ? json.replace(LINE_SEPARATORS_ALL, (ch) => (ch === "\u2028" ? "\\u2028" : "\\u2029"))
    : json

/** A JSON string literal as Go writes it. */
export const quote = (s: string): string => escapeLineSeparators(JSON.stringify(s))

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff

/** Orders strings by Unicode code point, which is the byte order of their UTF-8 form (Go sorts map keys so). */
export const compareCodePoints = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const xs = isSurrogate(x)
    const ys = isSurrogate(y)
    if (xs !== ys) return xs ? 1 : -1
    return x - y
  }
  return a.length - b.length
}

/** A JSON number as Go writes a float64 (the same as JavaScript's shortest form, except that `-0` stays `-0`). */
const numberText = (n: number): string => (Object.is(n, -0) ? "-0" : JSON.stringify(n))

const describe = (value: unknown): string => {
  if (value === null) return "null"
  if (Array.isArray(value)) return "array"
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value)
    if (proto === Object.prototype || proto === null) return "object"
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name
    return typeof name === "string" && name !== "" ? `an instance of ${name}` : "a non-plain object"
  }
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : Number.isFinite(value) ? "number" : "Infinity"
  return typeof value
}

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Writes `value` (an encoded value, i.e. already JSON-shaped) guided by `ast`, the encoded side of its schema.
 * Fails when the value holds something JSON cannot carry (NaN, Infinity, `undefined` in an array, bigint,
 * functions, class instances) or nests deeper than `maxDepth`.
 */
export const write = (
  ast: SchemaAST.AST | undefined,
  value: unknown,
  maxDepth: number
): Result.Result<string, WriteFailure> => {
  const parts: Array<string> = []
  const path: Array<PropertyKey> = []
  let failure: WriteFailure | undefined

  const fail = (kind: WriteFailure["kind"], expected: string, found: string): false => {
    failure = { kind, path: [...path], expected, found }
    return false
  }

  const go = (node: SchemaAST.AST | undefined, v: unknown, depth: number): boolean => {
    switch (typeof v) {
      case "string":
        parts.push(JSON.stringify(v))
        return true
      case "number":
        if (!Number.isFinite(v)) return fail("NotJson", "a finite number", describe(v))
        parts.push(numberText(v))
        return true
      case "boolean":
        parts.push(v ? "true" : "false")
        return true
      case "object": {
        if (v === null) {
          parts.push("null")
          return true
        }
        if (depth >= maxDepth) return fail("TooDeep", `at most ${maxDepth} levels of nesting`, "deeper nesting")
        const resolved = resolve(node, v)
        if (Array.isArray(v)) {
          const arrays = resolved?._tag === "Arrays" ? resolved : undefined
          parts.push("[")
          for (let i = 0; i < v.length; i++) {
            if (i > 0) parts.push(",")
            path.push(i)
            const item: unknown = v[i]
            if (item === undefined) return fail("NotJson", "a JSON value", "undefined")
            if (!go(arrays && elementAst(arrays, i), item, depth + 1)) return false
            path.pop()
          }
          parts.push("]")
          return true
        }
        if (!isPlainObject(v)) return fail("NotJson", "a plain JSON object", describe(v))
        const record = v as Record<string, unknown>
        parts.push("{")
        let first = true
        const member = (key: string, keyAst: SchemaAST.AST | undefined): boolean => {
          const item = record[key]
          if (item === undefined) return true
          if (!first) parts.push(",")
          first = false
          parts.push(JSON.stringify(key), ":")
          path.push(key)
          if (!go(keyAst, item, depth + 1)) return false
          path.pop()
          return true
        }
        if (resolved?._tag === "Objects") {
          const named = new Set<PropertyKey>()
          for (const ps of resolved.propertySignatures) {
            named.add(ps.name)
            if (typeof ps.name === "string" && Object.hasOwn(record, ps.name) && !member(ps.name, ps.type)) {
              return false
            }
          }
          const rest = resolved.indexSignatures[0]
          if (rest !== undefined) {
            const keys = Object.keys(record).filter((key) => !named.has(key)).sort(compareCodePoints)
            for (const key of keys) {
              if (!member(key, rest.type)) return false
            }
          }
        } else {
          for (const key of Object.keys(record)) {
            if (!member(key, undefined)) return false
          }
        }
        parts.push("}")
        return true
      }
      default:
        return fail("NotJson", "a JSON value", describe(v))
    }
  }

  return go(ast, value, 0) ? Result.succeed(escapeLineSeparators(parts.join(""))) : Result.fail(failure!)
}
