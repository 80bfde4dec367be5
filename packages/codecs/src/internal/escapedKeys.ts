/**
 * A guard against a V8 bug in `JSON.parse` (nodejs/node#63785, chromium 521080746; seen on Node 24 and 26, so
 * also in Deno): once some earlier parse created an object whose key ends in a backslash, a later object with the
 * same keys before it can get an escaped key (`"\t"`, `"\""`, `"\u0041"`, ...) decoded as the earlier key. The
 * result is silently wrong data, so texts that have an object key with an escape sequence are parsed here
 * instead; string *values* are not affected and everything else still goes through the native parser.
 *
 * @internal
 */
import { setOwn } from "./record.ts"

const REST_OF_STRING = /[^"\\]*(?:\\[^][^"\\]*)*"/y
const WHITESPACE = /[ \t\n\r]*/y

/**
 * Whether any object key of a (presumably valid) JSON text contains an escape sequence. Linear: each character is
 * looked at once. For an invalid text the answer may be wrong, which only decides which parser reports the error.
 */
export const hasEscapedKey = (text: string): boolean => {
  let from = 0
  for (;;) {
    // outside strings JSON has no backslash, so this is the first escape of some string
    const escape = text.indexOf("\\", from)
    if (escape === -1) return false
    REST_OF_STRING.lastIndex = escape
    if (!REST_OF_STRING.test(text)) return false
    WHITESPACE.lastIndex = REST_OF_STRING.lastIndex
    WHITESPACE.test(text)
    if (text.charCodeAt(WHITESPACE.lastIndex) === 0x3a) return true
    from = REST_OF_STRING.lastIndex
  }
}

const TOKEN =
  /[ \t\n\r]*(?:("[^"\\]*(?:\\[^][^"\\]*)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\]:,]))/y

type Container = { readonly array: Array<unknown> } | { readonly object: Record<string, unknown>; key: string }

/**
 * Parses a JSON text that is already known to be valid, without going through `JSON.parse`'s object-key path:
 * each string literal is decoded on its own (`JSON.parse` of a lone string is not affected by the bug). Uses an
 * explicit stack, so nesting depth cannot overflow the call stack.
 */
export const parseValid = (text: string): unknown => {
  const stack: Array<Container> = []
  let root: unknown
  let pendingKey = false
  const place = (value: unknown) => {
    const top = stack[stack.length - 1]
    if (top === undefined) root = value
    else if ("array" in top) top.array.push(value)
    else setOwn(top.object, top.key, value)
  }
  TOKEN.lastIndex = 0
  for (;;) {
    const match = TOKEN.exec(text)
    if (match === null) return root
    const [, string, number, word, punctuation] = match
    if (string !== undefined) {
      const decoded = JSON.parse(string) as string
      const top = stack[stack.length - 1]
      if (pendingKey && top !== undefined && "object" in top) {
        top.key = decoded
        pendingKey = false
      } else {
        place(decoded)
      }
    } else if (number !== undefined) {
      place(Number(number))
    } else if (word !== undefined) {
      place(word === "true" ? true : word === "false" ? false : null)
    } else if (punctuation === "{") {
      const object: Record<string, unknown> = {}
      place(object)
      stack.push({ object, key: "" })
      pendingKey = true
    } else if (punctuation === "[") {
      const array: Array<unknown> = []
      place(array)
      stack.push({ array })
    } else if (punctuation === "}" || punctuation === "]") {
      stack.pop()
      pendingKey = false
    } else if (punctuation === ",") {
      const top = stack[stack.length - 1]
      pendingKey = top !== undefined && "object" in top
    }
  }
}
