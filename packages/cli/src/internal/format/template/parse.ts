/**
 * The parser of Go's `text/template` (Go's `text/template/parse/parse.go`): a recursive descent over the
 * lexer's tokens into the tree of `node.ts`, with Go's checks (undefined functions and variables, `break` outside
 * `range`, number literals) and Go's error messages.
 *
 * @internal
 */
import * as V from "../GoValue.ts"
import { keywordTypes, type Token, type TokenType } from "./lex.ts"
import {
  type CommandNode,
  type ControlNode,
  type ListNode,
  type Node,
  nodeString,
  type NumberNode,
  type PipeNode
} from "./node.ts"

/** A parse failure travelling up the recursive descent. */
export class Fail {
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

/** Parses one template's tokens; `parse()` gives the root list, or a {@link Fail} with Go's message. */
export class Parser {
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
