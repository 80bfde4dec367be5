/**
 * The executor of Go's `text/template` (Go's `text/template/exec.go`): walks a parsed template over data
 * (see `GoValue.ts` for how JavaScript values map to Go's), with Go's evaluation of fields, methods, variables,
 * pipelines and function calls, and Go's execution errors.
 *
 * @internal
 */
import * as Result from "effect/Result"
import * as V from "../GoValue.ts"
import { builtins, dockerFunctions, FuncError, type GoFunc, headerFunctions, type ParamType } from "./funcs.ts"
import {
  type CommandNode,
  type ControlNode,
  type Node,
  nodeString,
  type NumberNode,
  type PipeNode,
  type VariableNode
} from "./node.ts"
import { type ParsedTemplate, type Template, TemplateError } from "./template.ts"

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
        if (decl.length > 1) {
          return this.errorf(`can't use ${V.formatValue(val)} to iterate over more than one variable`)
        }
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
        return typeof value === "string"
          ? value
          : value === null
          ? this.errorf("invalid value; expected string")
          : got()
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
