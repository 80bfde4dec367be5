/**
 * A parsed template (Go's `text/template/template.go`): `parse` runs the lexer and the parser with the
 * functions templates may call, and `TemplateError` carries Go's message of a parse or execution failure.
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import { defined } from "./funcs.ts"
import { lex } from "./lex.ts"
import type { ListNode } from "./node.ts"
import { Fail, Parser } from "./parse.ts"

/** A template that failed to parse (`kind: "parse"`) or to execute (`kind: "exec"`); `message` is Go's text. */
export class TemplateError extends Data.TaggedError("TemplateError")<{
  readonly kind: "parse" | "exec"
  readonly message: string
}> {}

/** A parsed template, ready to render over any number of values. */
export interface Template {
  readonly text: string
  readonly root: unknown
}

/** A {@link Template} as the parser made it: its root is the parse tree. */
export interface ParsedTemplate extends Template {
  readonly root: ListNode
}

/** Parses a template with Go's builtins and docker's template functions; a failure carries Go's message. */
export const parse = (text: string): Result.Result<Template, TemplateError> => {
  const root = new Parser(lex(text), defined).parse()
  if (root instanceof Fail) return Result.fail(new TemplateError({ kind: "parse", message: root.message }))
  const template: ParsedTemplate = { text, root }
  return Result.succeed(template)
}
