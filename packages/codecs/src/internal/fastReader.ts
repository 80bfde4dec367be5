/**
 * A quicker way to read parsed JSON into a schema's type, for the schemas the models are made of: structs, records,
 * arrays, unions, literals, strings, numbers and booleans, with checks but without transformations. `compile` turns
 * the schema's AST into plain functions once; each reads a value into the output Effect's parser builds (struct keys
 * in the schema's order, unknown keys left out, checks run) or gives up with {@link noFit} at the first thing that
 * does not fit. Where that output would be an exact copy of the input (the usual case for daemon JSON, whose keys
 * come in the models' order, and for records such as labels), the input itself is returned; the caller owns it, as it
 * comes from `JSON.parse`.
 * Giving up says nothing about why: the caller then runs Effect's parser, which finds and names the problem. A schema
 * with anything else (a transformation, a class, a suspended or template schema) does not compile.
 *
 * Effect's parser is general (effects, concurrency, issue trees); on the first, cold run of a CLI it reads the
 * 2,000 summaries of an image list in ~13 ms. These functions do the same checks in a few.
 *
 * @internal
 */
import type * as SchemaAST from "effect/SchemaAST"

/** What a reader returns when the value does not fit. */
export const noFit: unique symbol = Symbol.for("@dockhand/codecs/fastReader/noFit")

/** Reads a parsed JSON value into the schema's type, or returns {@link noFit}. */
export type Reader = (input: unknown) => unknown

const parseOptions: SchemaAST.ParseOptions = { onExcessProperty: "ignore", errors: "first" }

const flatten = (checks: ReadonlyArray<SchemaAST.Check<unknown>>): Array<SchemaAST.Filter<unknown>> =>
  checks.flatMap((check) => check._tag === "Filter" ? [check] : flatten(check.checks))

/** Effect's `isInt` check (`Schema.Int`): the one check on nearly every number of the models. */
const isIntFilter = (filter: SchemaAST.Filter<unknown>) =>
  (filter.annotations?.["representation"] as { readonly id?: unknown } | undefined)?.id === "effect/schema/isInt"

/** The node's own checks, run on the value its type produced. */
const withChecks = (ast: SchemaAST.AST, read: Reader): Reader => {
  if (ast.checks === undefined) return read
  const filters = flatten(ast.checks)
  if (ast._tag === "Number" && filters.length === 1 && isIntFilter(filters[0]!)) {
    // `Schema.Int` without a call per value into Effect's check (the same test: a safe integer)
    return (input) => typeof input === "number" && Number.isSafeInteger(input) ? input : noFit
  }
  return (input) => {
    const value = read(input)
    if (value === noFit) return noFit
    for (const filter of filters) if (filter.run(value, ast, parseOptions) !== undefined) return noFit
    return value
  }
}

const isRecord = (input: unknown): input is Record<string, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const hasOwn = Object.prototype.hasOwnProperty

/**
 * Sets `key` on a record being copied; a "__proto__" key (JSON.parse makes it an own key) stays a key, as Effect
 * keeps it.
 */
const put = (out: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__") {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  } else out[key] = value
}

const objects = (ast: SchemaAST.Objects, compile: (ast: SchemaAST.AST) => Reader | undefined): Reader | undefined => {
  const { indexSignatures, propertySignatures } = ast
  if (propertySignatures.length === 0 && indexSignatures.length === 0) {
    // Effect keeps an empty struct's input as it is (any value but null and undefined)
    return (input) => input === null || input === undefined ? noFit : input
  }
  if (propertySignatures.length > 0 && indexSignatures.length > 0) return undefined
  if (indexSignatures.length > 0) {
    const [index] = indexSignatures
    if (indexSignatures.length > 1 || index!.parameter._tag !== "String" || index!.parameter.checks !== undefined) {
      return undefined
    }
    const value = compile(index!.type)
    if (value === undefined) return undefined
    return (input) => {
      if (!isRecord(input)) return noFit
      const keys = Object.keys(input)
      // copied only from the first value that reads as something else: a record of strings (labels) is the input
      let out: Record<string, unknown> | undefined
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!
        const before = input[key]
        const read = value(before)
        if (read === noFit) return noFit
        if (out === undefined && read !== before) {
          out = {}
          for (let j = 0; j < i; j++) put(out, keys[j]!, input[keys[j]!])
        }
        if (out !== undefined) put(out, key, read)
      }
      return out ?? input
    }
  }
  const fields: Array<{ readonly name: string; readonly optional: boolean; readonly read: Reader }> = []
  for (const property of propertySignatures) {
    if (typeof property.name !== "string" || property.name === "__proto__") return undefined
    const context = property.type.context
    if (context?.constructorDefault !== undefined) return undefined
    const read = compile(property.type)
    if (read === undefined) return undefined
    fields.push({ name: property.name, optional: context?.isOptional === true, read })
  }
  // Values read on the way, reused by every call: a struct cannot contain itself without `Schema.suspend`, which
  // does not compile, so a reader is never inside its own call.
  const values = new Array<unknown>(fields.length)
  return (input) => {
    if (!isRecord(input)) return noFit
    let changed = false
    for (let i = 0; i < fields.length; i++) {
      const { name, optional, read } = fields[i]!
      if (!hasOwn.call(input, name)) {
        if (!optional) return noFit
        values[i] = noFit
        continue
      }
      const before = input[name]
      const value = read(before)
      if (value === noFit) return noFit
      values[i] = value
      changed ||= value !== before
    }
    // The input itself is the answer when it has exactly these keys in the schema's order (what the daemon sends):
    // nothing is copied then.
    if (!changed) {
      // every key of the input, in order, is the next field present: then the input has no other key
      let i = 0
      let same = true
      for (const key in input) {
        while (i < fields.length && values[i] === noFit) i++
        if (i === fields.length || fields[i]!.name !== key) {
          same = false
          break
        }
        i++
      }
      if (same) return input
    }
    const out: Record<string, unknown> = {}
    for (let i = 0; i < fields.length; i++) if (values[i] !== noFit) out[fields[i]!.name] = values[i]
    return out
  }
}

const node = (ast: SchemaAST.AST, compile: (ast: SchemaAST.AST) => Reader | undefined): Reader | undefined => {
  switch (ast._tag) {
    case "String":
      return (input) => typeof input === "string" ? input : noFit
    case "Number":
      return (input) => typeof input === "number" ? input : noFit
    case "Boolean":
      return (input) => typeof input === "boolean" ? input : noFit
    case "Null":
      return (input) => input === null ? null : noFit
    case "Unknown":
    case "Any":
      return (input) => input
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal ? input : noFit
    }
    case "Arrays": {
      if (ast.elements.length > 0 || ast.rest.length !== 1) return undefined
      const item = compile(ast.rest[0]!)
      if (item === undefined) return undefined
      return (input) => {
        if (!Array.isArray(input)) return noFit
        let out: Array<unknown> | undefined
        for (let i = 0; i < input.length; i++) {
          const value = item(input[i])
          if (value === noFit) return noFit
          if (out === undefined && value !== input[i]) out = input.slice(0, i)
          if (out !== undefined) out.push(value)
        }
        return out ?? input
      }
    }
    case "Objects":
      return objects(ast, compile)
    case "Union": {
      if (ast.options?.mode === "oneOf") return undefined
      const members: Array<Reader> = []
      for (const type of ast.types) {
        const member = compile(type)
        if (member === undefined) return undefined
        members.push(member)
      }
      // Effect's union (anyOf) gives the first member that accepts the value
      return (input) => {
        for (const member of members) {
          const value = member(input)
          if (value !== noFit) return value
        }
        return noFit
      }
    }
    default:
      return undefined
  }
}

/**
 * A {@link Reader} for `ast`, or `undefined` when the schema has parts this module does not read the way Effect's
 * parser does (then use that parser alone).
 */
export const compile = (ast: SchemaAST.AST): Reader | undefined => {
  const seen = new Map<SchemaAST.AST, Reader | undefined>()
  const recur = (ast: SchemaAST.AST): Reader | undefined => {
    if (seen.has(ast)) return seen.get(ast)
    seen.set(ast, undefined)
    const read = ast.encoding === undefined ? node(ast, recur) : undefined
    const checked = read === undefined ? undefined : withChecks(ast, read)
    seen.set(ast, checked)
    return checked
  }
  return recur(ast)
}
