/**
 * The parse tree of Go's `text/template` (Go's `text/template/parse/node.go`): the node types the parser
 * builds and the executor walks, and `String()` of a node for error messages.
 *
 * @internal
 */

/** A sequence of nodes (Go's `ListNode`). */
export interface ListNode {
  readonly type: "list"
  readonly pos: number
  readonly nodes: Array<Node>
}
/** A pipeline with its optional variable declarations (Go's `PipeNode`). */
export interface PipeNode {
  readonly type: "pipe"
  readonly pos: number
  isAssign: boolean
  readonly decl: Array<VariableNode>
  readonly cmds: Array<CommandNode>
}
/** One command of a pipeline: a function, field or operand and its arguments (Go's `CommandNode`). */
export interface CommandNode {
  readonly type: "command"
  readonly pos: number
  readonly args: Array<Node>
}
/** A variable with an optional chain of fields: `$x.A.B` (Go's `VariableNode`). */
export interface VariableNode {
  readonly type: "variable"
  readonly pos: number
  readonly ident: ReadonlyArray<string>
}
/** A number literal, with every Go type it can stand for (Go's `NumberNode`). */
export interface NumberNode {
  readonly type: "number"
  readonly pos: number
  readonly text: string
  readonly isInt: boolean
  readonly isUint: boolean
  readonly int: bigint
  readonly isFloat: boolean
  readonly float: number
}
/** An `if`, `range` or `with` block (Go's `BranchNode`). */
export interface ControlNode {
  readonly type: "if" | "range" | "with"
  readonly pos: number
  readonly pipe: PipeNode
  readonly list: ListNode
  readonly elseList: ListNode | undefined
}

/** Any node of the parse tree. */
export type Node =
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
export const nodeString = (n: Node): string => {
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
