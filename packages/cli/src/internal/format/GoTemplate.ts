/**
 * Go's `text/template`, as the docker CLI runs `--format` templates: parse once, render over data as often as
 * needed. Text and `{{ }}` actions with `{{-`/`-}}` trimming and comments; fields and methods (`.A.B`), `.` and `$`;
 * variables (`$x := …`, `$x = …`); pipelines; `if`/`else if`/`else`/`with`/`else with`/`range` (slices, maps in key
 * order, integers; `$i, $e :=`; `break`/`continue`); literals; Go's builtins (`and`, `or`, `not`, `len`, `index`,
 * `slice`, `print`, `printf`, `println`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `html`, `js`, `urlquery`, `call`)
 * and docker's functions (`json`, `split`, `join`, `title`, `lower`, `upper`, `pad`, `truncate`), or docker's header
 * variants of them. Errors read as Go's: `template: :1: function "foo" not defined`,
 * `template: :1:2: executing "" at <.Foo>: can't evaluate field Foo in type *formatter.imageContext`.
 * `define`, `template` and `block` are not supported.
 *
 * The engine sits in `template/`, one module per file of Go's `text/template`: `lex.ts`, `node.ts`, `parse.ts`
 * (Go's `parse` package), `funcs.ts`, `template.ts` and `exec.ts`. This module is their public surface.
 *
 * @internal
 */
import * as Result from "effect/Result"
import { execute, type ExecuteOptions } from "./template/exec.ts"
import { parse, type TemplateError } from "./template/template.ts"

export { execute, type ExecuteOptions, executePartial, type FunctionSet, type MissingKey } from "./template/exec.ts"
export { parse, type Template, TemplateError } from "./template/template.ts"

/** Parses and renders in one step. */
export const render = (
  text: string,
  data: unknown,
  options: ExecuteOptions = {}
): Result.Result<string, TemplateError> => Result.flatMap(parse(text), (t) => execute(t, data, options))
