/**
 * Finds where a JSON text stops being valid JSON (RFC 8259), for error messages. It runs only after `JSON.parse`
 * has already rejected the text, so runtime-specific parser messages (which quote parts of the input, secrets
 * included) never reach our errors. It works in one loop with an explicit stack, so deep nesting cannot overflow
 * the call stack.
 *
 * @internal
 */

/** Where and why a text is not JSON. `found` names a kind of character, never the text itself. */
export interface SyntaxProblem {
  /** Offset in UTF-16 code units. */
  readonly position: number
  /** 1-based line. */
  readonly line: number
  /** 1-based column, in UTF-16 code units. */
  readonly column: number
  readonly expected: string
  readonly found: string
  /** The text ended while a value was still open. */
  readonly truncated: boolean
}

const STRUCTURAL = "{}[],:\""

/** Names the character at `position` by kind, so that no part of a secret is ever echoed. */
export const describeCharacter = (text: string, position: number): string => {
  if (position >= text.length) return "end of input"
  const c = text.charCodeAt(position)
  const ch = text[position]!
  if (STRUCTURAL.includes(ch)) return `'${ch}'`
  if (c === 0x5c) return "'\\'"
  if (c >= 0x30 && c <= 0x39) return "a digit"
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return "a letter"
  if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) return "whitespace"
  if (c < 0x20 || c === 0x7f) return "a control character"
  if (c >= 0x80) return "a non-ASCII character"
  return "a symbol"
}

const lineAndColumn = (text: string, position: number): { line: number; column: number } => {
  let line = 1
  let lineStart = 0
  let next = text.indexOf("\n")
  while (next !== -1 && next < position) {
    line++
    lineStart = next + 1
    next = text.indexOf("\n", lineStart)
  }
  return { line, column: position - lineStart + 1 }
}

const problem = (text: string, position: number, expected: string): SyntaxProblem => ({
  position,
  ...lineAndColumn(text, position),
  expected,
  found: describeCharacter(text, position),
  truncated: position >= text.length
})

const isDigit = (c: number) => c >= 0x30 && c <= 0x39
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
const PLAIN_STRING_CHARS = /[^"\\\u0000-\u001f]*/y
const ESCAPABLE = "\"\\/bfnrt"

const OBJECT = 0
const ARRAY = 1

/**
 * Returns the first syntax problem of `text`, or `undefined` when it is a valid JSON text.
 */
export const locate = (text: string): SyntaxProblem | undefined => {
  const n = text.length
  const stack: Array<number> = []
  let i = 0

  const skipWhitespace = () => {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++
      else break
    }
  }

  // i is at the opening quote
  const scanString = (): SyntaxProblem | undefined => {
    i++
    for (;;) {
      PLAIN_STRING_CHARS.lastIndex = i
      PLAIN_STRING_CHARS.test(text)
      i = PLAIN_STRING_CHARS.lastIndex
      if (i >= n) return problem(text, i, "'\"' closing the string")
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return undefined
      }
      if (c === 0x5c) {
        i++
        if (i >= n) return problem(text, i, "an escape sequence")
        if (ESCAPABLE.includes(text[i]!)) {
          i++
          continue
        }
        if (text.charCodeAt(i) !== 0x75) return problem(text, i, "an escape sequence")
        i++
        for (let k = 0; k < 4; k++, i++) {
          if (i >= n || !isHex(text.charCodeAt(i))) return problem(text, i, "a hexadecimal digit")
        }
        continue
      }
      return problem(text, i, "no control characters inside a string")
    }
  }

  const scanNumber = (): SyntaxProblem | undefined => {
    if (text.charCodeAt(i) === 0x2d) i++
    if (i >= n || !isDigit(text.charCodeAt(i))) return problem(text, i, "a digit")
    if (text.charCodeAt(i) === 0x30) i++
    else while (i < n && isDigit(text.charCodeAt(i))) i++
    if (i < n && text.charCodeAt(i) === 0x2e) {
      i++
      if (i >= n || !isDigit(text.charCodeAt(i))) return problem(text, i, "a digit after '.'")
      while (i < n && isDigit(text.charCodeAt(i))) i++
    }
    if (i < n && (text.charCodeAt(i) === 0x65 || text.charCodeAt(i) === 0x45)) {
      i++
      if (i < n && (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === 0x2d)) i++
      if (i >= n || !isDigit(text.charCodeAt(i))) return problem(text, i, "a digit in the exponent")
      while (i < n && isDigit(text.charCodeAt(i))) i++
    }
    return undefined
  }

  const scanWord = (word: string): SyntaxProblem | undefined => {
    for (let k = 0; k < word.length; k++, i++) {
      if (i >= n || text[i] !== word[k]) return problem(text, i, `'${word}'`)
    }
    return undefined
  }

  // i is just after '{' or ',' inside an object (whitespace skipped)
  const scanKey = (): SyntaxProblem | undefined => {
    if (i >= n || text.charCodeAt(i) !== 0x22) return problem(text, i, "'\"' starting a property name")
    const bad = scanString()
    if (bad) return bad
    skipWhitespace()
    if (i >= n || text.charCodeAt(i) !== 0x3a) return problem(text, i, "':' after a property name")
    i++
    return undefined
  }

  for (;;) {
    // a value is expected at i
    skipWhitespace()
    if (i >= n) return problem(text, i, "a JSON value")
    const c = text.charCodeAt(i)
    let bad: SyntaxProblem | undefined
    if (c === 0x7b) {
      i++
      skipWhitespace()
      if (i < n && text.charCodeAt(i) === 0x7d) {
        i++
      } else {
        stack.push(OBJECT)
        bad = scanKey()
        if (bad) return bad
        continue
      }
    } else if (c === 0x5b) {
      i++
      skipWhitespace()
      if (i < n && text.charCodeAt(i) === 0x5d) {
        i++
      } else {
        stack.push(ARRAY)
        continue
      }
    } else if (c === 0x22) {
      bad = scanString()
    } else if (c === 0x2d || isDigit(c)) {
      bad = scanNumber()
    } else if (c === 0x74) {
      bad = scanWord("true")
    } else if (c === 0x66) {
      bad = scanWord("false")
    } else if (c === 0x6e) {
      bad = scanWord("null")
    } else {
      return problem(text, i, "a JSON value")
    }
    if (bad) return bad

    // a value just ended: close containers or move to the next member
    for (;;) {
      skipWhitespace()
      if (stack.length === 0) return i < n ? problem(text, i, "end of input after the JSON value") : undefined
      const top = stack[stack.length - 1]
      const close = top === OBJECT ? 0x7d : 0x5d
      if (i >= n) return problem(text, i, top === OBJECT ? "',' or '}'" : "',' or ']'")
      const d = text.charCodeAt(i)
      if (d === close) {
        i++
        stack.pop()
        continue
      }
      if (d !== 0x2c) return problem(text, i, top === OBJECT ? "',' or '}'" : "',' or ']'")
      i++
      if (top === OBJECT) {
        skipWhitespace()
        bad = scanKey()
        if (bad) return bad
      }
      break
    }
  }
}
