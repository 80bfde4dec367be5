/**
 * Query strings as the Go client builds them: booleans as `1`/`0`, lists as repeated keys (`t=a&t=b`), absent
 * values left out, keys sorted and every reserved character percent-encoded, so a value can never add or change
 * another parameter.
 *
 * @since 0.1.0
 */
import { dual } from "effect/Function"
import { compareCodePoints } from "./internal/goJson.ts"
import * as Utf8 from "./internal/utf8.ts"

/**
 * A single query value; booleans become `1`/`0` and numbers their decimal text.
 *
 * @category models
 * @since 0.1.0
 */
export type Scalar = string | number | boolean

/**
 * What a parameter may be given as: a value, a list of values (one `key=value` pair each), or `undefined`/`null`
 * to leave the parameter out.
 *
 * @category models
 * @since 0.1.0
 */
export type Value = Scalar | ReadonlyArray<Scalar> | null | undefined

/**
 * Query parameters as ordered `[key, value]` pairs, a shape `effect/http`'s `UrlParams` accepts as is.
 *
 * @category models
 * @since 0.1.0
 */
export type Params = ReadonlyArray<readonly [string, string]>

const text = (value: Scalar): string => (typeof value === "boolean" ? (value ? "1" : "0") : String(value))

/**
 * Builds parameters from an object, keeping its key order: `make({ all: true, t: ["a", "b"], filters: undefined })`
 * gives `[["all", "1"], ["t", "a"], ["t", "b"]]`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (input: { readonly [key: string]: Value }): Params => {
  const out: Array<readonly [string, string]> = []
  for (const key of Object.keys(input)) {
    const value = input[key]
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      for (const item of value as ReadonlyArray<Scalar>) out.push([key, text(item)])
    } else {
      out.push([key, text(value as Scalar)])
    }
  }
  return out
}

/**
 * Adds a parameter (or one pair per list item) at the end; `undefined` and `null` add nothing.
 *
 * @category combinators
 * @since 0.1.0
 */
export const append: {
  (key: string, value: Value): (self: Params) => Params
  (self: Params, key: string, value: Value): Params
} = dual(3, (self: Params, key: string, value: Value): Params => [...self, ...make({ [key]: value })])

const HEX = "0123456789ABCDEF"

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Replaces lone surrogates with U+FFFD, as encoding to UTF-8 does, so that sorting sees what is sent. */
const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, "\ufffd")

const isUnreserved = (byte: number): boolean =>
  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) ||
  byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e

/**
 * Percent-encodes a key or value as Go's `url.QueryEscape` does: UTF-8 bytes, letters, digits and `-._~` kept,
 * space as `+`, everything else `%XX`. Lone surrogates become U+FFFD.
 *
 * @category encoding
 * @since 0.1.0
 */
export const escape = (s: string): string => {
  let out = ""
  for (const byte of Utf8.encoder.encode(s)) {
    if (isUnreserved(byte)) out += String.fromCharCode(byte)
    else if (byte === 0x20) out += "+"
    else out += "%" + HEX[byte >> 4] + HEX[byte & 15]
  }
  return out
}

/**
 * Writes parameters as a query string without the leading `?`, like Go's `url.Values.Encode`: keys sorted
 * (by code point, i.e. UTF-8 byte order), repeated keys kept in their order, keys and values percent-encoded with
 * {@link escape}. No parameters give `""`.
 *
 * @category encoding
 * @since 0.1.0
 */
export const toSearchString = (params: Params): string =>
  params
    .map(([key, value], index) => ({ key: wellFormed(key), value, index }))
    .sort((a, b) => compareCodePoints(a.key, b.key) || a.index - b.index)
    .map(({ key, value }) => `${escape(key)}=${escape(value)}`)
    .join("&")

const unescape = (s: string): string => {
  const plain = s.replace(/\+/g, " ")
  if (!plain.includes("%")) return plain
  const bytes: Array<number> = []
  for (let i = 0; i < plain.length; i++) {
    const c = plain.charCodeAt(i)
    if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(plain.slice(i + 1, i + 3))) {
      bytes.push(parseInt(plain.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      const char = String.fromCodePoint(plain.codePointAt(i)!)
      for (const byte of Utf8.encoder.encode(char)) bytes.push(byte)
      i += char.length - 1
    }
  }
  return Utf8.decoder.decode(new Uint8Array(bytes))
}

/**
 * Reads a query string (with or without `?`) back into pairs, in order (for tests and fake daemons). `+` is a
 * space; a `%` not followed by two hex digits is kept as is.
 *
 * @category decoding
 * @since 0.1.0
 */
export const parse = (search: string): Params => {
  const body = search.startsWith("?") ? search.slice(1) : search
  if (body === "") return []
  return body.split("&").filter((part) => part !== "").map((part) => {
    const equals = part.indexOf("=")
    return equals === -1
      ? [unescape(part), ""] as const
      : [unescape(part.slice(0, equals)), unescape(part.slice(equals + 1))] as const
  })
}
