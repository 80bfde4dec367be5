/**
 * The lexer of Go's `text/template` (Go's `text/template/parse/lex.go`): template text to tokens, with
 * `{{-`/`-}}` trimming, comments, literals and keywords. A lexing failure is an `error` token carrying Go's message.
 *
 * @internal
 */
import * as V from "../GoValue.ts"

/** The kind of a token, as Go's `itemType` names it. */
export type TokenType =
  | "error"
  | "bool"
  | "char"
  | "charConstant"
  | "complex"
  | "declare"
  | "assign"
  | "eof"
  | "field"
  | "identifier"
  | "leftDelim"
  | "leftParen"
  | "number"
  | "pipe"
  | "rawString"
  | "rightDelim"
  | "rightParen"
  | "space"
  | "string"
  | "text"
  | "variable"
  // keywords
  | "block"
  | "break"
  | "continue"
  | "dot"
  | "define"
  | "else"
  | "end"
  | "if"
  | "nil"
  | "range"
  | "template"
  | "with"

/** One token: its kind, byte offset, text and line (Go's `item`). */
export interface Token {
  readonly type: TokenType
  readonly pos: number
  readonly val: string
  readonly line: number
}

const keywords: Record<string, TokenType> = {
  ".": "dot",
  block: "block",
  break: "break",
  continue: "continue",
  define: "define",
  else: "else",
  end: "end",
  if: "if",
  range: "range",
  nil: "nil",
  template: "template",
  with: "with"
}
export const keywordTypes = new Set<TokenType>(Object.values(keywords))

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n"
const alphaNumeric = /^[\p{L}\p{Nd}_]$/u
const isAlphaNumeric = (c: string | undefined) => c !== undefined && alphaNumeric.test(c)

/** `%#U` of a rune: `U+0021 '!'`. */
const describeRune = (c: string) => {
  const cp = c.codePointAt(0)!
  const hex = "U+" + cp.toString(16).toUpperCase().padStart(4, "0")
  return V.isPrint(cp) ? `${hex} '${c}'` : hex
}

/** Splits a template into tokens, ending with `eof` or with an `error` token. */
export const lex = (input: string): Array<Token> => {
  const tokens: Array<Token> = []
  let pos = 0
  let start = 0
  let parenDepth = 0
  const lineAt = (p: number) => {
    let n = 1
    for (let i = input.indexOf("\n"); i >= 0 && i < p; i = input.indexOf("\n", i + 1)) n++
    return n
  }
  const emit = (type: TokenType) => {
    tokens.push({ type, pos: start, val: input.slice(start, pos), line: lineAt(start) })
    start = pos
  }
  const fail = (message: string) => {
    tokens.push({ type: "error", pos: start, val: message, line: lineAt(pos) })
    return tokens
  }
  const charAt = (p: number): string | undefined => {
    if (p >= input.length) return undefined
    return String.fromCodePoint(input.codePointAt(p)!)
  }
  const hasLeftTrimMarker = (p: number) => input[p] === "-" && isSpace(input[p + 1])
  const atRightDelim = (p: number): [boolean, boolean] => {
    if (input.startsWith("}}", p)) return [true, false]
    if (isSpace(input[p]) && input[p + 1] === "-" && input.startsWith("}}", p + 2)) return [true, true]
    return [false, false]
  }
  const leftTrimLength = (p: number) => {
    let n = 0
    while (isSpace(input[p + n])) n++
    return n
  }
  const atTerminator = (): boolean => {
    const c = input[pos]
    if (c === undefined || isSpace(c)) return true
    return ".,|:)(}".includes(c)
  }
  const accept = (valid: string): boolean => {
    const c = input[pos]
    if (c !== undefined && valid.includes(c)) {
      pos++
      return true
    }
    return false
  }
  const acceptRun = (valid: string) => {
    while (accept(valid)) {
      // consume
    }
  }
  const scanNumber = (): boolean => {
    accept("+-")
    let digits = "0123456789_"
    if (accept("0")) {
      if (accept("xX")) digits = "0123456789abcdefABCDEF_"
      else if (accept("oO")) digits = "01234567_"
      else if (accept("bB")) digits = "01_"
    }
    acceptRun(digits)
    if (accept(".")) acceptRun(digits)
    if (digits.length === 11 && accept("eE")) {
      accept("+-")
      acceptRun("0123456789_")
    }
    if (digits.length === 23 && accept("pP")) {
      accept("+-")
      acceptRun("0123456789_")
    }
    accept("i")
    const c = charAt(pos)
    if (isAlphaNumeric(c)) {
      pos += c!.length
      return false
    }
    return true
  }
  // Scans `.name` or `$name` after the `.`/`$`; returns false after emitting an error.
  const fieldOrVariable = (type: "field" | "variable"): boolean => {
    if (atTerminator()) {
      emit(type === "variable" ? "variable" : "dot")
      return true
    }
    let c = charAt(pos)
    while (isAlphaNumeric(c)) {
      pos += c!.length
      c = charAt(pos)
    }
    if (!atTerminator()) {
      fail(`bad character ${describeRune(c!)}`)
      return false
    }
    emit(type)
    return true
  }
  const quoted = (close: string, what: string): boolean => {
    for (;;) {
      const c = input[pos]
      pos++
      if (c === "\\" && close !== "`") {
        const d = input[pos]
        if (d !== undefined && d !== "\n") {
          pos++
          continue
        }
        fail(`unterminated ${what}`)
        return false
      }
      if (c === undefined || (c === "\n" && close !== "`")) {
        fail(`unterminated ${what}`)
        return false
      }
      if (c === close) return true
    }
  }

  for (;;) {
    // Text up to the next action.
    const x = input.indexOf("{{", pos)
    if (x < 0) {
      pos = input.length
      if (pos > start) emit("text")
      emit("eof")
      return tokens
    }
    let textEnd = x
    const trimLeft = hasLeftTrimMarker(x + 2)
    if (trimLeft) {
      while (textEnd > start && isSpace(input[textEnd - 1])) textEnd--
    }
    pos = textEnd
    if (pos > start) emit("text")
    pos = x + 2
    start = x
    const afterMarker = trimLeft ? 2 : 0
    if (input.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker
      start = pos
      const end = input.indexOf("*/", pos + 2)
      if (end < 0) return fail("unclosed comment")
      pos = end + 2
      const [delim, trimSpace] = atRightDelim(pos)
      if (!delim) return fail("comment ends before closing delimiter")
      pos += (trimSpace ? 2 : 0) + 2
      if (trimSpace) pos += leftTrimLength(pos)
      start = pos
      continue
    }
    emit("leftDelim")
    pos += afterMarker
    start = pos
    parenDepth = 0
    // Inside the action.
    for (;;) {
      const [delim, trimSpace] = atRightDelim(pos)
      if (delim) {
        if (parenDepth !== 0) return fail("unclosed left paren")
        if (trimSpace) {
          pos += 2
          start = pos
        }
        pos += 2
        emit("rightDelim")
        if (trimSpace) {
          pos += leftTrimLength(pos)
          start = pos
        }
        break
      }
      const c = charAt(pos)
      if (c === undefined) return fail("unclosed action")
      if (isSpace(c)) {
        let spaces = 0
        while (isSpace(input[pos])) {
          pos++
          spaces++
        }
        if (isSpace(input[pos - 1]) && input[pos] === "-" && input.startsWith("}}", pos + 1)) {
          pos--
          if (spaces === 1) continue
        }
        emit("space")
        continue
      }
      pos += c.length
      switch (c) {
        case ":":
          if (input[pos] !== "=") return fail("expected :=")
          pos++
          emit("declare")
          continue
        case "=":
          emit("assign")
          continue
        case "|":
          emit("pipe")
          continue
        case "\"":
          if (!quoted("\"", "quoted string")) return tokens
          emit("string")
          continue
        case "`":
          if (!quoted("`", "raw quoted string")) return tokens
          emit("rawString")
          continue
        case "'":
          if (!quoted("'", "character constant")) return tokens
          emit("charConstant")
          continue
        case "$":
          if (atTerminator()) {
            emit("variable")
            continue
          }
          if (!fieldOrVariable("variable")) return tokens
          continue
        case "(":
          emit("leftParen")
          parenDepth++
          continue
        case ")":
          parenDepth--
          if (parenDepth < 0) return fail("unexpected right paren")
          emit("rightParen")
          continue
      }
      if (c === "." && pos < input.length && !(input[pos]! >= "0" && input[pos]! <= "9")) {
        if (!fieldOrVariable("field")) return tokens
        continue
      }
      if (c === "." || c === "+" || c === "-" || (c >= "0" && c <= "9")) {
        pos -= c.length
        if (!scanNumber()) return fail(`bad number syntax: ${V.quote(input.slice(start, pos))}`)
        if (input[pos] === "+" || input[pos] === "-") {
          if (!scanNumber() || input[pos - 1] !== "i") {
            return fail(`bad number syntax: ${V.quote(input.slice(start, pos))}`)
          }
          emit("complex")
        } else emit("number")
        continue
      }
      if (isAlphaNumeric(c)) {
        let d = charAt(pos)
        while (isAlphaNumeric(d)) {
          pos += d!.length
          d = charAt(pos)
        }
        if (!atTerminator()) return fail(`bad character ${describeRune(d!)}`)
        const word = input.slice(start, pos)
        const keyword = keywords[word]
        emit(keyword !== undefined ? keyword : word === "true" || word === "false" ? "bool" : "identifier")
        continue
      }
      const cp = c.codePointAt(0)!
      if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) {
        emit("char")
        continue
      }
      return fail(`unrecognized character in action: ${describeRune(c)}`)
    }
  }
}
