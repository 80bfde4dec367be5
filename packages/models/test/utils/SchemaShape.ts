/**
 * Describes an Effect Schema as the JSON it accepts on the wire, in JSON-Schema-like terms, so that contract tests
 * can compare our models with the Docker Engine OpenAPI spec. Only the encoded side counts: a transformation
 * (`decodeTo`, `RedactedFromValue`, a `Class`) is described by what it decodes from.
 */
import { specRequired as specRequiredAnnotation } from "@dockhand/models/Annotations"
import * as SchemaAST from "effect/SchemaAST"

/** A kind of JSON value. `unknown` means "any JSON value" (`Schema.Unknown`, `Schema.Any`, opaque declarations). */
export type JsonType = "string" | "integer" | "number" | "boolean" | "array" | "object" | "null" | "unknown"

/** A literal value a schema may be limited to. */
export type LiteralValue = string | number | boolean

/** What a schema accepts on the wire. */
export interface Shape {
  /** Every JSON type accepted, sorted; `integer` means only whole numbers (`Schema.Int` and friends). */
  readonly types: ReadonlyArray<JsonType>
  /** Set when the schema accepts nothing but these literals. */
  readonly enum?: ReadonlyArray<LiteralValue>
  /** For arrays: the shape of every item. */
  readonly items?: Shape
  /** For structs: the named keys. */
  readonly properties?: Readonly<Record<string, PropertyShape>>
  /** For records (index signatures): the shape of every value. */
  readonly additionalProperties?: Shape
  /** The schema's `identifier` annotation, used to tell which model a property points to. */
  readonly identifier?: string
}

/** One key of a struct. */
export interface PropertyShape {
  readonly shape: Shape
  /** The key may be missing on the wire (`Schema.optionalKey`, `Schema.optional`). */
  readonly optional: boolean
  /** The key carries the `dockhand/specRequired` annotation: the spec requires it, we tolerate its absence. */
  readonly specRequired: boolean
}

/** Describes the wire shape of a schema. */
export const describeSchema = (schema: { readonly ast: SchemaAST.AST }): Shape => describeAst(schema.ast)

/** Describes the wire shape of a schema AST. */
export const describeAst = (ast: SchemaAST.AST): Shape => describeNode(ast, new Set())

/** The shape that accepts nothing (`Schema.Never`, `Schema.Undefined` as a JSON value). */
const nothing: Shape = { types: [] }

const describeNode = (ast: SchemaAST.AST, seen: Set<SchemaAST.AST>): Shape => {
  if (ast.encoding !== undefined) return describeNode(SchemaAST.toEncoded(ast), seen)
  const shape = describeBody(ast, seen)
  const identifier = identifierOf(ast)
  return identifier === undefined ? shape : { ...shape, identifier }
}

const describeBody = (ast: SchemaAST.AST, seen: Set<SchemaAST.AST>): Shape => {
  switch (ast._tag) {
    case "Null":
      return { types: ["null"] }
    case "String":
    case "TemplateLiteral":
      return { types: ["string"] }
    case "Number":
      return { types: [isInteger(ast.checks) ? "integer" : "number"] }
    case "Boolean":
      return { types: ["boolean"] }
    case "Literal":
      return literalShape([ast.literal])
    case "Enum":
      return literalShape(ast.enums.map(([, value]) => value))
    case "ObjectKeyword":
      return { types: ["object"] }
    case "Arrays":
      return { types: ["array"], items: mergeShapes([...ast.elements, ...ast.rest].map((t) => describeNode(t, seen))) }
    case "Objects":
      return describeObjects(ast, seen)
    case "Union":
      return mergeShapes(ast.types.map((t) => describeNode(t, seen)))
    case "Suspend":
      return describeSuspend(ast, seen)
    case "Undefined":
    case "Void":
    case "Never":
      return nothing
    case "Unknown":
    case "Any":
    case "Declaration":
    case "BigInt":
    case "Symbol":
    case "UniqueSymbol":
      return { types: ["unknown"] }
  }
}

const describeSuspend = (ast: SchemaAST.Suspend, seen: Set<SchemaAST.AST>): Shape => {
  if (seen.has(ast)) return { types: ["object"] }
  seen.add(ast)
  const shape = describeNode(ast.thunk(), seen)
  seen.delete(ast)
  return shape
}

const describeObjects = (ast: SchemaAST.Objects, seen: Set<SchemaAST.AST>): Shape => {
  const properties: Record<string, PropertyShape> = {}
  for (const ps of ast.propertySignatures) {
    if (typeof ps.name !== "string") continue
    properties[ps.name] = describeProperty(ps.type, seen)
  }
  const values = ast.indexSignatures.map((is) => describeNode(is.type, seen))
  return values.length === 0
    ? { types: ["object"], properties }
    : { types: ["object"], properties, additionalProperties: mergeShapes(values) }
}

/**
 * A key's optionality is read from its encoded side (what the wire may leave out); its annotations from both
 * sides, because `toEncoded` does not carry key annotations across a transformation.
 */
const describeProperty = (type: SchemaAST.AST, seen: Set<SchemaAST.AST>): PropertyShape => {
  const encoded = type.encoding === undefined ? type : SchemaAST.toEncoded(type)
  return {
    shape: describeNode(type, seen),
    optional: SchemaAST.isOptional(encoded),
    specRequired: hasSpecRequired(type) || hasSpecRequired(encoded)
  }
}

const hasSpecRequired = (ast: SchemaAST.AST): boolean => ast.context?.annotations?.[specRequiredAnnotation] === true

/** `Schema.Int` is a Number node carrying the `isInt` check (possibly inside a group such as `isInt32`). */
const isInteger = (checks: SchemaAST.Checks | undefined): boolean => checks !== undefined && checks.some(isIntCheck)

const isIntCheck = (check: SchemaAST.Check<unknown>): boolean =>
  check._tag === "FilterGroup"
    ? check.checks.some(isIntCheck)
    : check.annotations?.representation?.id === "effect/schema/isInt"

const literalShape = (values: ReadonlyArray<SchemaAST.LiteralValue>): Shape => {
  const literals = values.filter((v): v is LiteralValue => typeof v !== "bigint")
  const types = literals.map((v): JsonType =>
    typeof v === "string" ? "string" : typeof v === "boolean" ? "boolean" : Number.isInteger(v) ? "integer" : "number"
  )
  return { types: sortedUnique(types), enum: literals }
}

/** An `identifier` set with `.annotate` lands on the node, or on its last check when the node has checks. */
const identifierOf = (ast: SchemaAST.AST): string | undefined => {
  const own = ast.annotations?.identifier
  if (typeof own === "string") return own
  const last = ast.checks?.[ast.checks.length - 1]
  const fromCheck = last?.annotations?.identifier
  return typeof fromCheck === "string" ? fromCheck : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// merging the members of a union
// ---------------------------------------------------------------------------------------------------------------

const order: ReadonlyArray<JsonType> = ["null", "boolean", "integer", "number", "string", "array", "object", "unknown"]

const sortedUnique = (types: ReadonlyArray<JsonType>): ReadonlyArray<JsonType> => order.filter((t) => types.includes(t))

/** The shape of a union: it accepts what any member accepts. */
export const mergeShapes = (shapes: ReadonlyArray<Shape>): Shape => {
  const members = shapes.filter((s) => s.types.length > 0)
  const types = sortedUnique(members.flatMap((s) => s.types))
  let out: Shape = { types }
  const valued = members.filter((s) => !(s.types.length === 1 && s.types[0] === "null"))
  if (valued.length > 0 && valued.every((s) => s.enum !== undefined)) {
    out = { ...out, enum: valued.flatMap((s) => s.enum ?? []) }
  }
  const items = members.flatMap((s) => (s.items === undefined ? [] : [s.items]))
  if (items.length > 0) out = { ...out, items: mergeShapes(items) }
  const structs = members.filter((s) => s.properties !== undefined)
  if (structs.length > 0) out = { ...out, properties: mergeProperties(structs) }
  const values = members.flatMap((s) => (s.additionalProperties === undefined ? [] : [s.additionalProperties]))
  if (values.length > 0) out = { ...out, additionalProperties: mergeShapes(values) }
  const identifiers = [...new Set(valued.flatMap((s) => (s.identifier === undefined ? [] : [s.identifier])))]
  if (identifiers.length === 1) out = { ...out, identifier: identifiers[0]! }
  return out
}

/** Keys of several struct members: a key is optional unless every member requires it. */
const mergeProperties = (structs: ReadonlyArray<Shape>): Record<string, PropertyShape> => {
  const keys = [...new Set(structs.flatMap((s) => Object.keys(s.properties ?? {})))]
  const out: Record<string, PropertyShape> = {}
  for (const key of keys) {
    const found = structs.map((s) => s.properties?.[key])
    const present = found.filter((p): p is PropertyShape => p !== undefined)
    out[key] = {
      shape: mergeShapes(present.map((p) => p.shape)),
      optional: present.length < structs.length || present.some((p) => p.optional),
      specRequired: present.some((p) => p.specRequired)
    }
  }
  return out
}
