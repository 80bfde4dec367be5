/**
 * Go's `text/template`, as the docker CLI runs `--format` templates: parse once, render over data as often as
 * needed. Text and `{{ }}` actions with `{{-`/`-}}` trimming and comments; fields and methods (`.A.B`), `.` and `$`;
 * variables (`$x := …`, `$x = …`); pipelines; `if`/`else if`/`else`/`with`/`else with`/`range` (slices, maps in key
 * order, integers; `$i, $e :=`; `break`/`continue`); literals; Go's builtins (`and`, `or`, `not`, `len`, `index`,
 * `slice`, `print`, `printf`, `println`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `html`, `js`, `urlquery`, `call`)
 * and docker's functions (`json`, `split`, `join`, `title`, `lower`, `upper`, `pad`, `truncate`), or docker's header variants of
 * them. Errors read as Go's: `template: :1: function "foo" not defined`,
 * `template: :1:2: executing "" at <.Foo>: can't evaluate field Foo in type *formatter.imageContext`.
 * `define`, `template` and `block` are not supported.
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import * as V from "./GoValue.ts"

/** A template that failed to parse (`kind: "parse"`) or to execute (`kind: "exec"`); `message` is Go's text. */
export class TemplateError extends Data.TaggedError("TemplateError")<{
  readonly kind: "parse" | "exec"
  readonly message: string
}> {}

// ---------------------------------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------------------------------

type TokenType =
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

interface Token {
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
const keywordTypes = new Set<TokenType>(Object.values(keywords))

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n"
const alphaNumeric = /^[\p{L}\p{Nd}_]$/u
const isAlphaNumeric = (c: string | undefined) => c !== undefined && alphaNumeric.test(c)

/** `%#U` of a rune: `U+0021 '!'`. */
const describeRune = (c: string) => {
  const cp = c.codePointAt(0)!
  const hex = "U+" + cp.toString(16).toUpperCase().padStart(4, "0")
  return V.isPrint(cp) ? `${hex} '${c}'` : hex
}

const lex = (input: string): Array<Token> => {
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

// ---------------------------------------------------------------------------------------------------------------
// Parse tree
// ---------------------------------------------------------------------------------------------------------------

interface ListNode {
  readonly type: "list"
  readonly pos: number
  readonly nodes: Array<Node>
}
interface PipeNode {
  readonly type: "pipe"
  readonly pos: number
  isAssign: boolean
  readonly decl: Array<VariableNode>
  readonly cmds: Array<CommandNode>
}
interface CommandNode {
  readonly type: "command"
  readonly pos: number
  readonly args: Array<Node>
}
interface VariableNode {
  readonly type: "variable"
  readonly pos: number
  readonly ident: ReadonlyArray<string>
}
interface NumberNode {
  readonly type: "number"
  readonly pos: number
  readonly text: string
  readonly isInt: boolean
  readonly isUint: boolean
  readonly int: bigint
  readonly isFloat: boolean
  readonly float: number
}
interface ControlNode {
  readonly type: "if" | "range" | "with"
  readonly pos: number
  readonly pipe: PipeNode
  readonly list: ListNode
  readonly elseList: ListNode | undefined
}

type Node =
  | ListNode
  | PipeNode
  | CommandNode
  | VariableNode
  | NumberNode
  | ControlNode
  | { readonly type: "text"; readonly pos: number; readonly text: string }
  | { readonly type: "action"; readonly pos: number; readonly pipe: PipeNode }
  | { readonly type: "field"; readonly pos: number; readonly ident: ReadonlyArray<string> }
  | { readonly type: "chain"; readonly pos: number; readonly node: Node; readonly field: ReadonlyArray<string> }
  | { readonly type: "identifier"; readonly pos: number; readonly ident: string }
  | { readonly type: "dot" | "nil" | "break" | "continue" | "end" | "else"; readonly pos: number }
  | { readonly type: "bool"; readonly pos: number; readonly value: boolean }
  | { readonly type: "string"; readonly pos: number; readonly quoted: string; readonly text: string }

/** A node as Go's `String()` shows it in error messages. */
const nodeString = (n: Node): string => {
  switch (n.type) {
    case "list":
      return n.nodes.map(nodeString).join("")
    case "text":
      return n.text
    case "action":
      return `{{${nodeString(n.pipe)}}}`
    case "pipe": {
      const decl = n.decl.length > 0 ? n.decl.map(nodeString).join(", ") + (n.isAssign ? " = " : " := ") : ""
      return decl + n.cmds.map(nodeString).join(" | ")
    }
    case "command":
      return n.args.map((a) => a.type === "pipe" ? `(${nodeString(a)})` : nodeString(a)).join(" ")
    case "field":
      return n.ident.map((id) => "." + id).join("")
    case "chain":
      return (n.node.type === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node)) +
        n.field.map((f) => "." + f).join("")
    case "identifier":
      return n.ident
    case "variable":
      return n.ident.join(".")
    case "dot":
      return "."
    case "nil":
      return "nil"
    case "bool":
      return String(n.value)
    case "number":
      return n.text
    case "string":
      return n.quoted
    case "if":
    case "range":
    case "with":
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}` +
        (n.elseList !== undefined ? `{{else}}${nodeString(n.elseList)}` : "") + "{{end}}"
    case "break":
    case "continue":
    case "end":
    case "else":
      return `{{${n.type}}}`
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------------------------

/** A parse failure travelling up the recursive descent. */
class Fail {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}

const tokenString = (t: Token): string => {
  if (t.type === "eof") return "EOF"
  if (t.type === "error") return t.val
  if (keywordTypes.has(t.type)) return `<${t.val}>`
  const cps = V.codePoints(t.val)
  if (cps.length > 10) return V.quote(String.fromCodePoint(...cps.slice(0, 10))) + "..."
  return V.quote(t.val)
}

const unquoteChar = (s: string, i: number, q: string): [number, number] | undefined => {
  const c = s.codePointAt(i)!
  if (c !== 0x5c) {
    if (String.fromCodePoint(c) === q && q === "'") return undefined
    return [c, i + (c > 0xffff ? 2 : 1)]
  }
  const e = s[i + 1]
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 }
  if (e !== undefined && simple[e] !== undefined) return [simple[e]!, i + 2]
  if (e === q) return [q.charCodeAt(0), i + 2]
  const hexRun = (n: number) => {
    const h = s.slice(i + 2, i + 2 + n)
    return h.length === n && /^[0-9a-fA-F]+$/.test(h) ? parseInt(h, 16) : undefined
  }
  if (e === "x" || e === "u" || e === "U") {
    const n = e === "x" ? 2 : e === "u" ? 4 : 8
    const v = hexRun(n)
    if (v === undefined || v > 0x10ffff || (e !== "x" && v >= 0xd800 && v <= 0xdfff)) return undefined
    return [v, i + 2 + n]
  }
  if (e !== undefined && e >= "0" && e <= "7") {
    const o = s.slice(i + 1, i + 4)
    if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) return undefined
    return [parseInt(o, 8), i + 4]
  }
  return undefined
}

/** Go's `strconv.Unquote` for `"…"`, `` `…` `` and `'…'` literals. */
const unquote = (lit: string): string | undefined => {
  const q = lit[0]
  if (lit.length < 2 || lit[lit.length - 1] !== q) return undefined
  const body = lit.slice(1, -1)
  if (q === "`") return body.includes("`") ? undefined : body.replace(/\r/g, "")
  if (q !== "\"" && q !== "'") return undefined
  let out = ""
  let count = 0
  for (let i = 0; i < body.length;) {
    if (q === "\"" && body[i] === "\"") return undefined
    if (body[i] === "\n") return undefined
    const r = unquoteChar(body, i, q)
    if (r === undefined) return undefined
    out += String.fromCodePoint(r[0])
    i = r[1]
    count++
  }
  if (q === "'" && count !== 1) return undefined
  return out
}

const parseIntLiteral = (text: string): bigint | undefined => {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text)
  if (m === null) return undefined
  let body = m[2]!
  if (body.includes("_")) {
    if (/__|_$/.test(body) || /^0[xXoObB]?_?$/.test(body)) return undefined
    if (/^[1-9]/.test(body) === false && /^0[0-7]/.test(body) === false && !/^0[xXoObB]/.test(body) && body !== "0") {
      return undefined
    }
    body = body.replace(/_/g, "")
  }
  const digits = /^0[0-7]+$/.test(body) ? "0o" + body.slice(1) : body
  const value = BigInt(digits)
  return m[1] === "-" ? -value : value
}

const int64Min = -(1n << 63n)
const int64Max = (1n << 63n) - 1n
const uint64Max = (1n << 64n) - 1n

const newNumber = (pos: number, text: string, type: TokenType): NumberNode | Fail => {
  if (type === "charConstant") {
    const s = unquote(text)
    if (s === undefined) return new Fail(`malformed character constant: ${text}`)
    const cp = BigInt(s.codePointAt(0)!)
    return { type: "number", pos, text, isInt: true, isUint: true, int: cp, isFloat: true, float: Number(cp) }
  }
  if (type === "complex" || text.endsWith("i")) return new Fail(`complex constants are not supported: ${V.quote(text)}`)
  let isInt = false
  let isUint = false
  let isFloat = false
  let int = 0n
  let float = 0
  const i = parseIntLiteral(text)
  if (i !== undefined && !text.startsWith("-") && i <= uint64Max) isUint = true
  if (i !== undefined && i >= int64Min && i <= int64Max) {
    isInt = true
    int = i
    if (i === 0n) isUint = true
  }
  if (isInt || isUint) {
    isFloat = true
    float = Number(i!)
  } else if (/^[+-]?(\d[\d_]*\.?[\d_]*|\.[\d_]+)([eE][+-]?[\d_]+)?$/.test(text)) {
    const f = Number(text.replace(/_/g, ""))
    if (!Number.isNaN(f)) {
      if (!/[.eEpP]/.test(text)) return new Fail(`integer overflow: ${V.quote(text)}`)
      isFloat = true
      float = f
      if (Number.isFinite(f) && Number.isInteger(f) && BigInt(f) >= int64Min && BigInt(f) <= int64Max) {
        isInt = true
        int = BigInt(f)
      }
    }
  }
  if (!isInt && !isUint && !isFloat) return new Fail(`illegal number syntax: ${V.quote(text)}`)
  return { type: "number", pos, text, isInt, isUint, int, isFloat, float }
}

const operandStart = new Set<TokenType>([
  "bool",
  "charConstant",
  "complex",
  "dot",
  "field",
  "identifier",
  "number",
  "nil",
  "rawString",
  "string",
  "variable",
  "leftParen"
])

class Parser {
  private idx = 0
  private maxIdx = 0
  private vars: Array<string> = ["$"]
  private rangeDepth = 0
  private actionLine = 0
  private readonly tokens: ReadonlyArray<Token>
  private readonly functions: ReadonlySet<string>
  constructor(tokens: ReadonlyArray<Token>, functions: ReadonlySet<string>) {
    this.tokens = tokens
    this.functions = functions
  }

  private fetch(i: number): Token {
    if (i > this.maxIdx) this.maxIdx = i
    return this.tokens[Math.min(i, this.tokens.length - 1)]!
  }
  private next(): Token {
    const t = this.fetch(this.idx)
    this.idx++
    return t
  }
  private backup(n = 1) {
    this.idx -= n
  }
  private peek(): Token {
    return this.fetch(this.idx)
  }
  private nextNonSpace(): Token {
    let t = this.next()
    while (t.type === "space") t = this.next()
    return t
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace()
    this.backup()
    return t
  }
  /** A parse error worded as Go's: `template: :LINE: message`. */
  errorf(message: string): Fail {
    return new Fail(`template: :${this.fetch(this.maxIdx).line}: ${message}`)
  }
  private unexpected(token: Token, context: string): Fail {
    if (token.type === "error") {
      let extra = ""
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at :${this.actionLine}`
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length)
      }
      return this.errorf(token.val + extra)
    }
    return this.errorf(`unexpected ${tokenString(token)} in ${context}`)
  }
  private expect(type: TokenType, context: string): Token | Fail {
    const t = this.nextNonSpace()
    return t.type === type ? t : this.unexpected(t, context)
  }

  parse(): ListNode | Fail {
    const root: ListNode = { type: "list", pos: this.peek().pos, nodes: [] }
    while (this.peek().type !== "eof") {
      if (this.peek().type === "leftDelim") {
        const save = this.idx
        this.next()
        const t = this.nextNonSpace()
        if (t.type === "define") return this.errorf("{{define}} is not supported")
        this.idx = save
      }
      const n = this.textOrAction()
      if (n instanceof Fail) return n
      if (n.type === "end" || n.type === "else") return this.errorf(`unexpected ${nodeString(n)}`)
      root.nodes.push(n)
    }
    return root
  }

  private itemList(): [ListNode, Node] | Fail {
    const list: ListNode = { type: "list", pos: this.peekNonSpace().pos, nodes: [] }
    while (this.peekNonSpace().type !== "eof") {
      const n = this.textOrAction()
      if (n instanceof Fail) return n
      if (n.type === "end" || n.type === "else") return [list, n]
      list.nodes.push(n)
    }
    return this.errorf("unexpected EOF")
  }

  private textOrAction(): Node | Fail {
    const t = this.nextNonSpace()
    switch (t.type) {
      case "text":
        return { type: "text", pos: t.pos, text: t.val }
      case "leftDelim": {
        this.actionLine = t.line
        const n = this.action()
        this.actionLine = 0
        return n
      }
      default:
        return this.unexpected(t, "input")
    }
  }

  private action(): Node | Fail {
    const t = this.nextNonSpace()
    switch (t.type) {
      case "block":
      case "define":
      case "template":
        return this.errorf(`{{${t.val}}} is not supported`)
      case "break":
      case "continue": {
        const close = this.nextNonSpace()
        if (close.type !== "rightDelim") return this.unexpected(close, `{{${t.val}}}`)
        if (this.rangeDepth === 0) return this.errorf(`{{${t.val}}} outside {{range}}`)
        return { type: t.type, pos: t.pos }
      }
      case "else": {
        const peek = this.peekNonSpace()
        if (peek.type === "if" || peek.type === "with") return { type: "else", pos: peek.pos }
        const close = this.expect("rightDelim", "else")
        return close instanceof Fail ? close : { type: "else", pos: close.pos }
      }
      case "end": {
        const close = this.expect("rightDelim", "end")
        return close instanceof Fail ? close : { type: "end", pos: close.pos }
      }
      case "if":
      case "range":
      case "with":
        return this.control(t.type)
    }
    this.backup()
    const start = this.peek()
    const pipe = this.pipeline("command", "rightDelim")
    return pipe instanceof Fail ? pipe : { type: "action", pos: start.pos, pipe }
  }

  private control(context: "if" | "range" | "with"): ControlNode | Fail {
    const mark = this.vars.length
    const pipe = this.pipeline(context, "rightDelim")
    if (pipe instanceof Fail) return pipe
    if (context === "range") this.rangeDepth++
    const body = this.itemList()
    if (context === "range") this.rangeDepth--
    if (body instanceof Fail) return body
    const [list, next] = body
    let elseList: ListNode | undefined
    if (next.type === "else") {
      const following = this.peek()
      if ((context === "if" && following.type === "if") || (context === "with" && following.type === "with")) {
        this.next()
        const nested = this.control(context)
        if (nested instanceof Fail) return nested
        elseList = { type: "list", pos: next.pos, nodes: [nested] }
      } else {
        const rest = this.itemList()
        if (rest instanceof Fail) return rest
        if (rest[1].type !== "end") return this.errorf(`expected end; found ${nodeString(rest[1])}`)
        elseList = rest[0]
      }
    }
    this.vars.length = mark
    return { type: context, pos: pipe.pos, pipe, list, elseList }
  }

  private pipeline(context: string, end: TokenType): PipeNode | Fail {
    const first = this.peekNonSpace()
    const pipe: PipeNode = { type: "pipe", pos: first.pos, isAssign: false, decl: [], cmds: [] }
    for (;;) {
      const v = this.peekNonSpace()
      if (v.type !== "variable") break
      const at = this.idx
      this.next()
      const next = this.peekNonSpace()
      if (next.type === "assign" || next.type === "declare") {
        pipe.isAssign = next.type === "assign"
        this.nextNonSpace()
        pipe.decl.push({ type: "variable", pos: v.pos, ident: v.val.split(".") })
        this.vars.push(v.val)
        break
      }
      if (next.type === "char" && next.val === ",") {
        this.nextNonSpace()
        pipe.decl.push({ type: "variable", pos: v.pos, ident: v.val.split(".") })
        this.vars.push(v.val)
        if (context === "range" && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type
          if (t === "variable" || t === "rightDelim" || t === "rightParen") continue
          return this.errorf("range can only initialize variables")
        }
        return this.errorf(`too many declarations in ${context}`)
      }
      this.idx = at
      break
    }
    for (;;) {
      const t = this.nextNonSpace()
      if (t.type === end) {
        if (pipe.cmds.length === 0) return this.errorf(`missing value for ${context}`)
        for (let i = 1; i < pipe.cmds.length; i++) {
          const head = pipe.cmds[i]!.args[0]!.type
          if (head === "bool" || head === "dot" || head === "nil" || head === "number" || head === "string") {
            return this.errorf(`non executable command in pipeline stage ${i + 1}`)
          }
        }
        return pipe
      }
      if (!operandStart.has(t.type)) return this.unexpected(t, context)
      this.backup()
      const cmd = this.command()
      if (cmd instanceof Fail) return cmd
      pipe.cmds.push(cmd)
    }
  }

  private command(): CommandNode | Fail {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] }
    for (;;) {
      this.peekNonSpace()
      const operand = this.operand()
      if (operand instanceof Fail) return operand
      if (operand !== undefined) cmd.args.push(operand)
      const t = this.next()
      if (t.type === "space") continue
      if (t.type === "rightDelim" || t.type === "rightParen") this.backup()
      else if (t.type !== "pipe") return this.unexpected(t, "operand")
      break
    }
    if (cmd.args.length === 0) return this.errorf("empty command")
    return cmd
  }

  private operand(): Node | undefined | Fail {
    const node = this.term()
    if (node === undefined || node instanceof Fail) return node
    if (this.peek().type !== "field") return node
    const pos = this.peek().pos
    const fields: Array<string> = []
    while (this.peek().type === "field") fields.push(this.next().val.slice(1))
    switch (node.type) {
      case "field":
        return { type: "field", pos, ident: [...node.ident, ...fields] }
      case "variable":
        return { type: "variable", pos, ident: [...node.ident, ...fields] }
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        return this.errorf(`unexpected . after term ${V.quote(nodeString(node))}`)
      default:
        return { type: "chain", pos, node, field: fields }
    }
  }

  private term(): Node | undefined | Fail {
    const t = this.nextNonSpace()
    switch (t.type) {
      case "identifier":
        if (!this.functions.has(t.val)) return this.errorf(`function ${V.quote(t.val)} not defined`)
        return { type: "identifier", pos: t.pos, ident: t.val }
      case "dot":
        return { type: "dot", pos: t.pos }
      case "nil":
        return { type: "nil", pos: t.pos }
      case "variable": {
        const ident = t.val.split(".")
        if (!this.vars.includes(ident[0]!)) return this.errorf(`undefined variable ${V.quote(ident[0]!)}`)
        return { type: "variable", pos: t.pos, ident }
      }
      case "field":
        return { type: "field", pos: t.pos, ident: t.val.slice(1).split(".") }
      case "bool":
        return { type: "bool", pos: t.pos, value: t.val === "true" }
      case "charConstant":
      case "complex":
      case "number": {
        const n = newNumber(t.pos, t.val, t.type)
        return n instanceof Fail ? this.errorf(n.message) : n
      }
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen")
      case "string":
      case "rawString": {
        const text = unquote(t.val)
        if (text === undefined) return this.errorf("invalid syntax")
        return { type: "string", pos: t.pos, quoted: t.val, text }
      }
    }
    this.backup()
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------------------------------------------

/** The Go parameter types the functions declare. */
type ParamType = "any" | "string" | "int" | "bool" | "[]string"

/** A function's failure, reported as `error calling NAME: MESSAGE`. */
class FuncError {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}

interface GoFunc {
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
  s.replace(/["'&<>\0]/g, (c) =>
    c === "\"" ? "&#34;" : c === "'" ? "&#39;" : c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "\ufffd"
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
  return String.fromCodePoint(...V.codePoints(s).map((cp) => {
    const out = isSeparator(prev) ? toTitle(cp) : cp
    prev = cp
    return out
  }))
}

/** Go's `strings.Split`: an empty separator splits after each rune. */
const split = (s: string, sep: string): Array<string> =>
  sep === "" ? V.codePoints(s).map((cp) => String.fromCodePoint(cp)) : s.split(sep)

const identity = (args: ReadonlyArray<unknown>) => args[0]

const builtins: Record<string, GoFunc> = {
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
      if (V.kindOf(fn) !== "func") return new FuncError(`non-function of type ${isNilish(fn) ? "<nil>" : V.typeName(fn)}`)
      return (fn as (...xs: ReadonlyArray<unknown>) => unknown)(...args)
    }
  },
  html: { params: [], variadic: "any", call: (args) => htmlEscape(evalArgs(args)) },
  js: { params: [], variadic: "any", call: (args) => jsEscape(evalArgs(args)) },
  urlquery: { params: [], variadic: "any", call: (args) => urlQueryEscape(evalArgs(args)) }
}

const dockerFunctions: Record<string, GoFunc> = {
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
const headerFunctions: Record<string, GoFunc> = {
  ...dockerFunctions,
  json: { params: ["string"], call: identity },
  split: { params: ["string", "string"], call: identity },
  join: { params: ["string", "string"], call: identity },
  title: { params: ["string"], call: identity },
  lower: { params: ["string"], call: identity },
  upper: { params: ["string"], call: identity },
  truncate: { params: ["string", "int"], call: identity }
}

const defined = new Set([...Object.keys(builtins), ...Object.keys(dockerFunctions)])

// ---------------------------------------------------------------------------------------------------------------
// Public API: parse
// ---------------------------------------------------------------------------------------------------------------

/** A parsed template, ready to render over any number of values. */
export interface Template {
  readonly text: string
  readonly root: unknown
}

interface ParsedTemplate extends Template {
  readonly root: ListNode
}

/** Parses a template with Go's builtins and docker's template functions; a failure carries Go's message. */
export const parse = (text: string): Result.Result<Template, TemplateError> => {
  const root = new Parser(lex(text), defined).parse()
  if (root instanceof Fail) return Result.fail(new TemplateError({ kind: "parse", message: root.message }))
  const template: ParsedTemplate = { text, root }
  return Result.succeed(template)
}

// ---------------------------------------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------------------------------------

/** Which function set a render uses: docker's (`default`) or its table-header variants (`header`). */
export type FunctionSet = "default" | "header"

/** What a missing map key gives: `<no value>` (Go's default), the zero value, or an error (`missingkey=error`). */
export type MissingKey = "default" | "zero" | "error"

/** Options of a render. */
export interface ExecuteOptions {
  readonly functions?: FunctionSet | undefined
  readonly missingKey?: MissingKey | undefined
}

class Abort {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}
const Missing: unique symbol = Symbol("missing")
type Signal = "break" | "continue"

class Exec {
  private readonly vars: Array<{ readonly name: string; value: unknown }>
  readonly out: Array<string> = []
  private node: Node | undefined
  private readonly funcs: Record<string, GoFunc>
  private readonly text: string
  private readonly missingKey: MissingKey
  constructor(text: string, data: unknown, missingKey: MissingKey, functions: FunctionSet) {
    this.text = text
    this.missingKey = missingKey
    this.vars = [{ name: "$", value: data }]
    this.funcs = { ...builtins, ...(functions === "header" ? headerFunctions : dockerFunctions) }
  }

  private at(node: Node) {
    this.node = node
  }

  /** An execution error worded as Go's: `template: :L:C: executing "" at <node>: message`. */
  errorf(message: string): Abort {
    if (this.node === undefined) return new Abort(`template: : ${message}`)
    const before = this.text.slice(0, this.node.pos)
    const nl = before.lastIndexOf("\n")
    const line = 1 + before.split("\n").length - 1
    const col = V.utf8Length(nl < 0 ? before : before.slice(nl + 1))
    return new Abort(`template: :${line}:${col}: executing "" at <${nodeString(this.node)}>: ${message}`)
  }

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value
    return this.errorf(`undefined variable: ${name}`)
  }

  private setVar(name: string, value: unknown): Abort | undefined {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value
        return undefined
      }
    }
    return this.errorf(`undefined variable: ${name}`)
  }

  walk(dot: unknown, node: Node): Abort | Signal | undefined {
    this.at(node)
    switch (node.type) {
      case "action": {
        const v = this.evalPipeline(dot, node.pipe)
        if (v instanceof Abort) return v
        if (node.pipe.decl.length === 0) return this.print(node, v)
        return undefined
      }
      case "list":
        for (const n of node.nodes) {
          const r = this.walk(dot, n)
          if (r !== undefined) return r
        }
        return undefined
      case "text":
        this.out.push(node.text)
        return undefined
      case "if":
      case "with": {
        const mark = this.vars.length
        const v = this.evalPipeline(dot, node.pipe)
        let r: Abort | Signal | undefined
        if (v instanceof Abort) r = v
        else if (V.isTrue(v)) r = this.walk(node.type === "with" ? v : dot, node.list)
        else if (node.elseList !== undefined) r = this.walk(dot, node.elseList)
        this.vars.length = mark
        return r
      }
      case "range":
        return this.walkRange(dot, node)
      case "break":
      case "continue":
        return node.type
      default:
        return this.errorf(`unknown node: ${nodeString(node)}`)
    }
  }

  private print(node: Node, v: unknown): Abort | undefined {
    this.at(node)
    if (V.kindOf(v) === "func") return this.errorf(`can't print ${nodeString(node)} of type ${V.typeName(v)}`)
    this.out.push(V.formatValue(v))
    return undefined
  }

  private walkRange(dot: unknown, r: ControlNode): Abort | undefined {
    this.at(r)
    const mark0 = this.vars.length
    const result = this.range(dot, r)
    this.vars.length = mark0
    return result
  }

  private range(dot: unknown, r: ControlNode): Abort | undefined {
    const val = this.evalPipeline(dot, r.pipe)
    if (val instanceof Abort) return val
    const mark = this.vars.length
    const decl = r.pipe.decl
    // One iteration; returns true to stop the loop (break).
    const iteration = (index: unknown, elem: unknown): Abort | boolean => {
      if (decl.length > 0) {
        if (r.pipe.isAssign) {
          const a = this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem)
          if (a !== undefined) return a
        } else this.vars[this.vars.length - 1]!.value = elem
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) {
          const a = this.setVar(decl[1]!.ident[0]!, elem)
          if (a !== undefined) return a
        } else this.vars[this.vars.length - 2]!.value = index
      }
      const res = this.walk(elem, r.list)
      this.vars.length = mark
      if (res instanceof Abort) return res
      return res === "break"
    }
    let ran = false
    switch (V.kindOf(val)) {
      case "slice": {
        const items = val as Array<unknown>
        for (let i = 0; i < items.length; i++) {
          ran = true
          const res = iteration(i, items[i])
          if (res instanceof Abort) return res
          if (res) break
        }
        break
      }
      case "map":
        for (const [k, v] of V.mapEntries(val)) {
          ran = true
          const res = iteration(k, v)
          if (res instanceof Abort) return res
          if (res) break
        }
        break
      case "int": {
        if (decl.length > 1) return this.errorf(`can't use ${V.formatValue(val)} to iterate over more than one variable`)
        const n = Number(val)
        for (let i = 0; i < n; i++) {
          ran = true
          const res = iteration(i, i)
          if (res instanceof Abort) return res
          if (res) break
        }
        break
      }
      case "invalid":
      case "nil":
        break
      default:
        return this.errorf(`range can't iterate over ${V.formatValue(val)}`)
    }
    if (!ran && r.elseList !== undefined) {
      const res = this.walk(dot, r.elseList)
      if (res instanceof Abort) return res
    }
    return undefined
  }

  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe)
    let value: unknown = Missing
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value)
      if (value instanceof Abort) return value
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) {
        const a = this.setVar(v.ident[0]!, value)
        if (a !== undefined) return a
      } else this.vars.push({ name: v.ident[0]!, value })
    }
    return value
  }

  private notAFunction(args: ReadonlyArray<Node>, final: unknown): Abort | undefined {
    if (args.length > 1 || final !== Missing) {
      return this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`)
    }
    return undefined
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: unknown): unknown {
    const first = cmd.args[0]!
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final)
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final)
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args.slice(1), final)
      case "pipe":
        return this.notAFunction(cmd.args, final) ?? this.evalPipeline(dot, first)
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final)
    }
    this.at(first)
    const bad = this.notAFunction(cmd.args, final)
    if (bad !== undefined) return bad
    switch (first.type) {
      case "bool":
        return first.value
      case "dot":
        return dot
      case "nil":
        return this.errorf("nil is not a command")
      case "number":
        return this.idealConstant(first)
      case "string":
        return first.text
    }
    return this.errorf(`can't evaluate command ${V.quote(nodeString(first))}`)
  }

  private idealConstant(n: NumberNode): unknown {
    this.at(n)
    const hexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text)
    if (n.isFloat && !hexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return new V.Float64(n.float)
    if (n.isInt) return Number.isSafeInteger(Number(n.int)) ? Number(n.int) : n.int
    if (n.isUint) return this.errorf(`${n.text} overflows int`)
    return V.NoValue
  }

  private evalFieldNode(dot: unknown, field: Node & { type: "field" }, args: ReadonlyArray<Node>, final: unknown) {
    this.at(field)
    return this.evalFieldChain(dot, dot, field, field.ident, args, final)
  }

  private evalChainNode(dot: unknown, chain: Node & { type: "chain" }, args: ReadonlyArray<Node>, final: unknown) {
    this.at(chain)
    if (chain.node.type === "nil") return this.errorf(`indirection through explicit nil in ${nodeString(chain)}`)
    const pipe = this.evalArg(dot, "any", chain.node)
    if (pipe instanceof Abort) return pipe
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final)
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: ReadonlyArray<Node>, final: unknown): unknown {
    this.at(v)
    const value = this.varValue(v.ident[0]!)
    if (value instanceof Abort) return value
    if (v.ident.length === 1) return this.notAFunction(args, final) ?? value
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final)
  }

  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Node,
    ident: ReadonlyArray<string>,
    args: ReadonlyArray<Node>,
    final: unknown
  ): unknown {
    let r = receiver
    for (let i = 0; i < ident.length - 1; i++) {
      r = this.evalField(dot, ident[i]!, node, [], Missing, r)
      if (r instanceof Abort) return r
    }
    return this.evalField(dot, ident[ident.length - 1]!, node, args, final, r)
  }

  private evalField(
    dot: unknown,
    name: string,
    node: Node,
    args: ReadonlyArray<Node>,
    final: unknown,
    receiver: unknown
  ): unknown {
    if (receiver === V.NoValue) {
      if (this.missingKey === "error") return this.errorf(`nil data; no entry for key ${V.quote(name)}`)
      return V.NoValue
    }
    if (receiver === null || receiver === undefined) return this.errorf(`nil pointer evaluating interface {}.${name}`)
    const hasArgs = args.length > 1 || final !== Missing
    const kind = V.kindOf(receiver)
    if (kind === "struct") {
      const s = receiver as V.Struct
      if (s.has(name)) {
        const raw = s.raw(name)
        if (typeof raw === "function") {
          const method: GoFunc = { params: [], call: () => (raw as () => unknown)() }
          return this.evalCall(dot, method, node, name, args.slice(1), final)
        }
        if (hasArgs) return this.errorf(`${name} has arguments but cannot be invoked as function`)
        return raw
      }
    } else if (kind === "map") {
      if (hasArgs) return this.errorf(`${name} is not a method but has arguments`)
      const result = V.mapGet(receiver, name)
      if (result !== V.NoValue) return result
      if (this.missingKey === "zero") return V.isStringMap(receiver) ? "" : null
      if (this.missingKey === "error") return this.errorf(`map has no entry for key ${V.quote(name)}`)
      return V.NoValue
    }
    return this.errorf(`can't evaluate field ${name} in type ${V.typeName(receiver)}`)
  }

  private evalFunction(
    dot: unknown,
    node: Node & { type: "identifier" },
    cmd: Node,
    args: ReadonlyArray<Node>,
    final: unknown
  ) {
    this.at(node)
    const fn = this.funcs[node.ident]
    if (fn === undefined) return this.errorf(`${V.quote(node.ident)} is not a defined function`)
    return this.evalCall(dot, fn, cmd, node.ident, args, final)
  }

  private evalCall(
    dot: unknown,
    fn: GoFunc,
    node: Node,
    name: string,
    args: ReadonlyArray<Node>,
    final: unknown
  ): unknown {
    const numIn = args.length + (final !== Missing ? 1 : 0)
    let numFixed = args.length
    if (fn.variadic !== undefined) {
      numFixed = fn.params.length
      if (numIn < numFixed) {
        return this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`)
      }
    } else if (numIn !== fn.params.length) {
      return this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`)
    }
    if (builtins[name] === fn && (name === "and" || name === "or")) {
      let v: unknown = V.NoValue
      for (const arg of args) {
        v = this.evalArg(dot, "any", arg, true)
        if (v instanceof Abort) return v
        if (V.isTrue(v) === (name === "or")) return v
      }
      return final !== Missing ? final : v
    }
    const argv: Array<unknown> = []
    let i = 0
    for (; i < numFixed && i < args.length; i++) {
      const a = this.evalArg(dot, fn.params[i]!, args[i]!)
      if (a instanceof Abort) return a
      argv.push(a)
    }
    if (fn.variadic !== undefined) {
      for (; i < args.length; i++) {
        const a = this.evalArg(dot, fn.variadic, args[i]!)
        if (a instanceof Abort) return a
        argv.push(a)
      }
    }
    if (final !== Missing) {
      const t = fn.variadic !== undefined
        ? (numIn - 1 < numFixed ? fn.params[numIn - 1]! : fn.variadic)
        : fn.params[fn.params.length - 1]!
      const a = this.validateType(final, t)
      if (a instanceof Abort) return a
      argv.push(a)
    }
    const result = fn.call(argv)
    if (result instanceof FuncError) {
      this.at(node)
      return this.errorf(`error calling ${name}: ${result.message}`)
    }
    return result
  }

  private validateType(value: unknown, type: ParamType, keepNoValue = false): unknown {
    if (value === V.NoValue || value === undefined) {
      if (type === "any") return keepNoValue ? V.NoValue : null
      if (type === "[]string") return null
      return this.errorf(`invalid value; expected ${type}`)
    }
    const got = () => this.errorf(`wrong type for value; expected ${type}; got ${V.typeName(value)}`)
    switch (type) {
      case "any":
        return value
      case "string":
        return typeof value === "string" ? value : value === null ? this.errorf("invalid value; expected string") : got()
      case "int":
        return V.kindOf(value) === "int" ? value : value === null ? this.errorf("invalid value; expected int") : got()
      case "bool":
        return typeof value === "boolean" ? value : value === null ? this.errorf("invalid value; expected bool") : got()
      case "[]string":
        return value === null || (Array.isArray(value) && V.isStringSlice(value)) ? value : got()
    }
  }

  private evalArg(dot: unknown, type: ParamType, n: Node, keepNoValue = false): unknown {
    this.at(n)
    const check = (v: unknown) => v instanceof Abort ? v : this.validateType(v, type, keepNoValue)
    switch (n.type) {
      case "dot":
        return check(dot)
      case "nil":
        if (type === "any" || type === "[]string") return null
        return this.errorf(`cannot assign nil to ${type}`)
      case "field":
        return check(this.evalFieldNode(dot, n, [n], Missing))
      case "variable":
        return check(this.evalVariableNode(dot, n, [], Missing))
      case "pipe":
        return check(this.evalPipeline(dot, n))
      case "identifier":
        return check(this.evalFunction(dot, n, n, [], Missing))
      case "chain":
        return check(this.evalChainNode(dot, n, [], Missing))
    }
    switch (type) {
      case "bool":
        return n.type === "bool" ? n.value : this.errorf(`expected bool; found ${nodeString(n)}`)
      case "int":
        return n.type === "number" && n.isInt
          ? (Number.isSafeInteger(Number(n.int)) ? Number(n.int) : n.int)
          : this.errorf(`expected integer; found ${nodeString(n)}`)
      case "string":
        return n.type === "string" ? n.text : this.errorf(`expected string; found ${nodeString(n)}`)
      case "any":
        return this.evalEmptyInterface(dot, n)
      case "[]string":
        return this.errorf(`can't handle ${nodeString(n)} for arg of type []string`)
    }
  }

  private evalEmptyInterface(dot: unknown, n: Node): unknown {
    this.at(n)
    switch (n.type) {
      case "bool":
        return n.value
      case "number":
        return this.idealConstant(n)
      case "string":
        return n.text
    }
    return this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`)
  }
}

/** Renders a parsed template; on failure also returns what was written before it (docker keeps that for headers). */
export const executePartial = (
  template: Template,
  data: unknown,
  options: ExecuteOptions = {}
): { readonly output: string; readonly error: TemplateError | undefined } => {
  const t = template as ParsedTemplate
  const exec = new Exec(t.text, data, options.missingKey ?? "default", options.functions ?? "default")
  const r = exec.walk(data, t.root)
  const output = exec.out.join("")
  return {
    output,
    error: r instanceof Abort ? new TemplateError({ kind: "exec", message: r.message }) : undefined
  }
}

/** Renders a parsed template over a value (see {@link V} for how JavaScript values map to Go's). */
export const execute = (
  template: Template,
  data: unknown,
  options: ExecuteOptions = {}
): Result.Result<string, TemplateError> => {
  const { error, output } = executePartial(template, data, options)
  return error === undefined ? Result.succeed(output) : Result.fail(error)
}

/** Parses and renders in one step. */
export const render = (
  text: string,
  data: unknown,
  options: ExecuteOptions = {}
): Result.Result<string, TemplateError> => Result.flatMap(parse(text), (t) => execute(t, data, options))
