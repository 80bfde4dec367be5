/**
 * Walking a schema's *encoded* side (what is on the wire) next to a JSON value: which union member a value
 * belongs to, and which keys the spec requires although the schema lets them be missing.
 *
 * @internal
 */
import * as Annotations from "@dockhand/models/Annotations"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"

/** The key annotation that `@dockhand/models` puts on keys the 1.54 spec requires but some real engines leave out. */
export const specRequiredAnnotation: string = Annotations.specRequired

/** The wire side of a schema. */
export const encodedAst = (schema: { readonly ast: SchemaAST.AST }): SchemaAST.AST => SchemaAST.toEncoded(schema.ast)

const guards = new WeakMap<SchemaAST.AST, (u: unknown) => boolean>()

const guardOf = (ast: SchemaAST.AST): (u: unknown) => boolean => {
  let guard = guards.get(ast)
  if (guard === undefined) {
    guard = Schema.is(Schema.make<Schema.Top>(ast))
    guards.set(ast, guard)
  }
  return guard
}

/** Whether a member of a union could hold this JSON value at all, judged by its outer shape only. */
const couldHold = (ast: SchemaAST.AST, value: unknown): boolean => {
  switch (ast._tag) {
    case "Objects":
      return typeof value === "object" && value !== null && !Array.isArray(value)
    case "Arrays":
      return Array.isArray(value)
    case "Null":
      return value === null
    case "String":
    case "TemplateLiteral":
      return typeof value === "string"
    case "Number":
      return typeof value === "number"
    case "Boolean":
      return typeof value === "boolean"
    case "Literal":
      return value === ast.literal
    case "Undefined":
    case "Void":
      return value === undefined
    case "Never":
      return false
    default:
      return true
  }
}

/**
 * Follows suspensions and picks the union member a value belongs to (the first that accepts it, as the decoder
 * does). Returns `undefined` when no member fits, so callers fall back to treating the value as plain JSON.
 */
export const resolve = (ast: SchemaAST.AST | undefined, value: unknown): SchemaAST.AST | undefined => {
  let current = ast
  for (let hops = 0; current !== undefined && hops < 64; hops++) {
    if (current._tag === "Suspend") {
      current = current.thunk()
    } else if (current._tag === "Union") {
      const candidates = current.types.filter((member) => couldHold(member, value))
      current = candidates.length <= 1 ? candidates[0] : candidates.find((member) => guardOf(member)(value))
    } else {
      return current
    }
  }
  return current
}

/** The schema of a property of an object AST, from its named keys first and then its index signatures. */
export const propertyAst = (ast: SchemaAST.Objects, key: string): SchemaAST.AST | undefined => {
  for (const ps of ast.propertySignatures) {
    if (ps.name === key) return ps.type
  }
  return ast.indexSignatures[0]?.type
}

/** The schema of the element at `index` of an array AST. */
export const elementAst = (ast: SchemaAST.Arrays, index: number): SchemaAST.AST | undefined =>
  index < ast.elements.length ? ast.elements[index] : ast.rest[0]

const isSpecRequired = (ast: SchemaAST.AST): boolean => ast.context?.annotations?.[specRequiredAnnotation] === true

/**
 * Collects the paths of keys the spec requires that are missing from `value`, walking the encoded AST alongside
 * the value. Only keys whose parent object is present are reported.
 */
export const missingSpecRequired = (
  ast: SchemaAST.AST,
  value: unknown,
  maxDepth: number
): Array<ReadonlyArray<PropertyKey>> => {
  const found: Array<ReadonlyArray<PropertyKey>> = []
  const path: Array<PropertyKey> = []
  const visit = (node: SchemaAST.AST | undefined, v: unknown): void => {
    if (typeof v !== "object" || v === null || path.length > maxDepth) return
    const resolved = resolve(node, v)
    if (resolved === undefined) return
    if (resolved._tag === "Arrays" && Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i)
        visit(elementAst(resolved, i), v[i])
        path.pop()
      }
    } else if (resolved._tag === "Objects" && !Array.isArray(v)) {
      const record = v as Record<string, unknown>
      const named = new Set<PropertyKey>()
      for (const ps of resolved.propertySignatures) {
        named.add(ps.name)
        if (typeof ps.name !== "string") continue
        if (!Object.hasOwn(record, ps.name)) {
          if (isSpecRequired(ps.type)) found.push([...path, ps.name])
          continue
        }
        path.push(ps.name)
        visit(ps.type, record[ps.name])
        path.pop()
      }
      const rest = resolved.indexSignatures[0]
      if (rest !== undefined) {
        for (const key of Object.keys(record)) {
          if (named.has(key)) continue
          path.push(key)
          visit(rest.type, record[key])
          path.pop()
        }
      }
    }
  }
  visit(ast, value)
  return found
}
