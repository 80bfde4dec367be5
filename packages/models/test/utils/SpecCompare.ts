/**
 * Compares a spec schema with the wire shape of one of our schemas and reports every difference as a
 * {@link Finding}. It judges nothing: the contract test decides which findings are failures, which are
 * documented leniencies and which are only worth printing.
 */
import * as SchemaAST from "effect/SchemaAST"
import type { Shape } from "./SchemaShape.ts"
import { ITEMS, joinPath, refName, resolve, type SpecDocument, type SpecNode, VALUES } from "./SharedSpec.ts"

/** What kind of difference a finding is. */
export type FindingKind =
  /** a spec property we do not have */
  | "missing"
  /** the spec `required` list names a key the spec never defines */
  | "undefinedRequired"
  /** JSON types that do not match (we reject a type the spec allows) */
  | "type"
  /** we accept JSON types the spec does not mention (besides `null`) */
  | "wider"
  /** we accept any JSON value where the spec has a type */
  | "opaque"
  /** a spec enum value we reject */
  | "enum"
  /** a `$ref` to a mapped definition that our schema does not point to */
  | "ref"
  /** spec-required, optional for us without the `specRequired` marker */
  | "optional"
  /** spec-required, optional for us with the `specRequired` marker (lenient, by design) */
  | "lenient"
  /** required by us, optional in the spec */
  | "stricter"
  /** carries the `specRequired` marker, but the spec does not require the key */
  | "marker"
  /** a key we have that the spec lacks */
  | "extra"
  /** the spec says `x-nullable: true`, we reject `null` */
  | "nullable"

/** One difference between the spec and our schema. */
export interface Finding {
  readonly kind: FindingKind
  /** e.g. `ImageInspect.RootFS.Type` */
  readonly path: string
  /** the segments below the compared root; for `extra`, the last one is the spec's name of the key */
  readonly segments: ReadonlyArray<string>
  readonly detail: string
}

/** How to read the spec against our schemas. */
export interface CompareOptions {
  /** The root's name in paths (use the 1.54 name for both versions, so that allowlists are shared). */
  readonly root: string
  /** Definitions that have their own entry: a `$ref` to one is only checked to point at that model. */
  readonly mappedDefinitions: ReadonlyMap<string, string>
  /** Inline objects that have their own entry (by path), checked the same way. */
  readonly mappedInline: ReadonlyMap<string, string>
  /** `x-go-type` names used for items, to their definition names. */
  readonly goTypes: ReadonlyMap<string, string>
  /** Spec property path → our JSON key, where the wire key differs from the spec's. */
  readonly aliases: ReadonlyMap<string, string>
  /** Keys at the root that are out of scope on both sides. */
  readonly skip?: ReadonlyArray<string>
}

/** Compares the spec schema `spec` with our shape `ours`. */
export const compare = (doc: SpecDocument, spec: SpecNode, ours: Shape, options: CompareOptions): Array<Finding> => {
  const findings: Array<Finding> = []
  const report = (kind: FindingKind, segments: ReadonlyArray<string>, detail: string) =>
    findings.push({ kind, path: joinPath(options.root, segments), segments, detail })
  compareNode({ doc, options, report }, [], spec, ours)
  return findings
}

interface Context {
  readonly doc: SpecDocument
  readonly options: CompareOptions
  readonly report: (kind: FindingKind, segments: ReadonlyArray<string>, detail: string) => void
}

const compareNode = (ctx: Context, at: ReadonlyArray<string>, node: SpecNode, ours: Shape): void => {
  if (ours.types.includes("unknown")) {
    const what = node.$ref !== undefined ? refName(node.$ref) : node.type
    if (what !== undefined) ctx.report("opaque", at, `spec ${what}, we accept any JSON value`)
    return
  }
  const mapped = mappedTarget(ctx, at, node)
  if (mapped !== undefined) {
    if (node["x-nullable"] === true && !ours.types.includes("null")) ctx.report("nullable", at, "spec x-nullable")
    if (ours.identifier !== mapped.identifier) {
      const found = ours.identifier ?? "another schema"
      ctx.report("ref", at, `spec ${mapped.name} is our ${mapped.identifier}, found ${found}`)
    }
    return
  }
  const spec = node.$ref === undefined ? node : { ...resolve(ctx.doc, node), ...withoutRef(node) }
  if (!compareTypes(ctx, at, spec, ours)) return
  if (spec.properties !== undefined) compareObject(ctx, at, spec, ours)
  else if (typeof spec.additionalProperties === "object") compareMap(ctx, at, spec.additionalProperties, ours)
  if (spec.items !== undefined) compareItems(ctx, at, spec.items, ours)
}

/** The model a node must point to, when it refers to something with its own entry. */
const mappedTarget = (ctx: Context, at: ReadonlyArray<string>, node: SpecNode) => {
  if (at.length === 0) return undefined
  const inline = ctx.options.mappedInline.get(joinPath(ctx.options.root, at))
  if (inline !== undefined) return { name: joinPath(ctx.options.root, at), identifier: inline }
  const goType = node["x-go-type"]?.type
  const name = node.$ref !== undefined
    ? refName(node.$ref)
    : goType !== undefined
    ? ctx.options.goTypes.get(goType)
    : undefined
  const identifier = name === undefined ? undefined : ctx.options.mappedDefinitions.get(name)
  return name === undefined || identifier === undefined ? undefined : { name, identifier }
}

const withoutRef = (node: SpecNode): SpecNode => {
  const { $ref: _, ...rest } = node
  return rest
}

/** Checks the JSON types; false when there is nothing more to compare below this node. */
const compareTypes = (ctx: Context, at: ReadonlyArray<string>, spec: SpecNode, ours: Shape): boolean => {
  const specType = spec.type ?? (spec.properties !== undefined ? "object" : undefined)
  if (spec["x-nullable"] === true && !ours.types.includes("null")) ctx.report("nullable", at, "spec x-nullable")
  if (specType === undefined) return true
  if (!accepts(ours, specType)) {
    ctx.report("type", at, `spec ${specType}, ours ${ours.types.join(" | ") || "nothing"}`)
    return false
  }
  const extra = ours.types.filter((t) => t !== "null" && t !== specType && !(specType === "number" && t === "integer"))
  if (extra.length > 0) ctx.report("wider", at, `spec ${specType}, ours also ${extra.join(" | ")}`)
  compareEnum(ctx, at, spec, ours)
  return true
}

const accepts = (ours: Shape, specType: string): boolean =>
  specType === "number" ? ours.types.includes("number") : ours.types.includes(specType as Shape["types"][number])

const compareEnum = (ctx: Context, at: ReadonlyArray<string>, spec: SpecNode, ours: Shape): void => {
  if (spec.enum === undefined || ours.enum === undefined) return
  for (const value of spec.enum) {
    if (typeof value === "object") continue // `enum: [{}]` marks the values of a Go map[string]struct{}
    if (!ours.enum.includes(value as string)) ctx.report("enum", at, `spec value ${JSON.stringify(value)} rejected`)
  }
}

const compareMap = (ctx: Context, at: ReadonlyArray<string>, values: SpecNode, ours: Shape): void => {
  if (ours.additionalProperties === undefined) {
    if (Object.keys(ours.properties ?? {}).length > 0) ctx.report("type", at, "spec map, ours a struct")
    return
  }
  compareNode(ctx, [...at, VALUES], values, ours.additionalProperties)
}

const compareItems = (ctx: Context, at: ReadonlyArray<string>, items: SpecNode, ours: Shape): void => {
  if (ours.items === undefined) ctx.report("type", at, "spec array items, ours none")
  else compareNode(ctx, [...at, ITEMS], items, ours.items)
}

const compareObject = (ctx: Context, at: ReadonlyArray<string>, spec: SpecNode, ours: Shape): void => {
  const skip = new Set(at.length === 0 ? ctx.options.skip ?? [] : [])
  const ourProps = ours.properties ?? {}
  const specProps = spec.properties ?? {}
  const required = new Set(spec.required ?? [])
  const matched = new Set<string>()
  for (const [key, propSpec] of Object.entries(specProps)) {
    if (skip.has(key)) continue
    const ourKey = ctx.options.aliases.get(joinPath(ctx.options.root, [...at, key])) ?? key
    const prop = ourProps[ourKey]
    const here = [...at, key]
    if (prop === undefined) {
      ctx.report("missing", here, required.has(key) ? "spec-required" : "spec-optional")
      continue
    }
    matched.add(ourKey)
    compareNode(ctx, here, propSpec, prop.shape)
    if (required.has(key)) {
      if (prop.optional) ctx.report(prop.specRequired ? "lenient" : "optional", here, "spec-required")
    } else {
      if (!prop.optional) ctx.report("stricter", here, "required by us, optional in the spec")
      if (prop.specRequired) ctx.report("marker", here, "specRequired marker on a key the spec does not require")
    }
  }
  for (const name of required) {
    if (!(name in specProps)) ctx.report("undefinedRequired", [...at, name], `required but not defined by the spec`)
  }
  for (const key of Object.keys(ourProps)) {
    if (!matched.has(key) && !skip.has(key)) ctx.report("extra", [...at, specKeyOf(ctx, at, key)], "not in the spec")
  }
}

/** The spec's name for one of our keys (undoing an alias). */
const specKeyOf = (ctx: Context, at: ReadonlyArray<string>, ourKey: string): string => {
  const prefix = joinPath(ctx.options.root, at) + "."
  for (const [specPath, alias] of ctx.options.aliases) {
    if (alias === ourKey && specPath.startsWith(prefix) && !specPath.slice(prefix.length).includes(".")) {
      return specPath.slice(prefix.length)
    }
  }
  return ourKey
}

// ---------------------------------------------------------------------------------------------------------------
// examples in the YAML
// ---------------------------------------------------------------------------------------------------------------

/** An `example:` or enum value found in the spec and the part of our schema it should decode with. */
export interface SpecExample {
  readonly path: string
  readonly value: unknown
  readonly ast: SchemaAST.AST
}

/**
 * Collects the `example:` and `enum` values of a spec schema and of its inline properties and items, each paired
 * with the matching part of our schema. `$ref`s are not followed: referenced definitions are checked on their own.
 */
export const collectExamples = (
  spec: SpecNode,
  ast: SchemaAST.AST,
  root: string,
  aliases: ReadonlyMap<string, string>
): Array<SpecExample> => {
  const out: Array<SpecExample> = []
  const visit = (node: SpecNode, here: SchemaAST.AST, at: ReadonlyArray<string>) => {
    if (node.example !== undefined) out.push({ path: joinPath(root, at), value: node.example, ast: here })
    for (const value of node.enum ?? []) out.push({ path: `${joinPath(root, at)} enum`, value, ast: here })
    if (node.$ref !== undefined) return
    for (const [key, prop] of Object.entries(node.properties ?? {})) {
      const ourKey = aliases.get(joinPath(root, [...at, key])) ?? key
      const child = propertyAst(here, ourKey)
      if (child !== undefined) visit(prop, child, [...at, key])
    }
    const items = node.items === undefined ? undefined : itemsAst(here)
    if (node.items !== undefined && items !== undefined) visit(node.items, items, [...at, ITEMS])
  }
  visit(spec, ast, [])
  return out
}

/** The members of our schema that can hold an object or array (through unions and transformations). */
const candidates = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> => {
  const node = ast.encoding === undefined ? ast : SchemaAST.toEncoded(ast)
  return node._tag === "Union" ? node.types.flatMap(candidates) : node._tag === "Suspend" ? [node.thunk()] : [node]
}

/** Our schema of one key, looked up through unions. */
export const propertyAst = (ast: SchemaAST.AST, key: string): SchemaAST.AST | undefined => {
  for (const node of candidates(ast)) {
    if (node._tag !== "Objects") continue
    const found = node.propertySignatures.find((ps) => ps.name === key)
    if (found !== undefined) return found.type
  }
  return undefined
}

/** Our schema of array items, looked up through unions. */
export const itemsAst = (ast: SchemaAST.AST): SchemaAST.AST | undefined => {
  for (const node of candidates(ast)) {
    if (node._tag === "Arrays") return node.rest[0] ?? node.elements[0]
  }
  return undefined
}
