/**
 * The Go value model of template data (the part of Go's `reflect` that templates use): which Go kind a JavaScript
 * value stands for, Go structs, maps in sorted key order, Go's type names and Go's truth.
 *
 * @internal
 */
import { codePoints } from "./utf8.ts"

/** A Go `float64`, for a value that must stay a float even when it is integral (`1.0` prints `1`, `%d` rejects it). */
export class Float64 {
  readonly value: number
  constructor(value: number) {
    this.value = value
  }
}

/** The "no value" of a missing map key (an invalid `reflect.Value` in Go): prints as `<no value>`. */
export const NoValue: unique symbol = Symbol.for("@dockhand/cli/GoValue/NoValue")

/** How a {@link Struct} is described. */
export interface StructOptions {
  /** Go's name for the type, used in error messages: `*formatter.imageContext`. */
  readonly typeName: string
  /** Fields in declaration order; a function is a zero-argument method, called when the template reads it. */
  readonly fields: Readonly<Record<string, unknown>>
  /** The value's JSON as `{{json .}}` prints it, when the Go type has its own `MarshalJSON`. */
  readonly json?: (() => string) | undefined
  /** What `{{.}}` prints for the value, when Go's default `{field field}` rendering is not wanted. */
  readonly text?: (() => string) | undefined
}

/** A Go struct (or pointer to one): named fields and methods that templates reach with `.Name`. */
export class Struct {
  readonly typeName: string
  readonly fieldNames: ReadonlyArray<string>
  readonly json: (() => string) | undefined
  readonly text: (() => string) | undefined
  private readonly fields: Readonly<Record<string, unknown>>
  constructor(options: StructOptions) {
    this.typeName = options.typeName
    this.fields = options.fields
    this.fieldNames = Object.keys(options.fields)
    this.json = options.json
    this.text = options.text
  }
  /** Whether the struct has a field or method of that name. */
  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.fields, name)
  }
  /** The raw field: a value, or a function for a method. */
  raw(name: string): unknown {
    return this.fields[name]
  }
  /** The field's value, calling it if it is a method. */
  get(name: string): unknown {
    const v = this.fields[name]
    return typeof v === "function" ? (v as () => unknown)() : v
  }
}

/** Builds a {@link Struct}. */
export const makeStruct = (options: StructOptions): Struct => new Struct(options)

/** The Go kind of a template value. */
export type Kind = "invalid" | "nil" | "bool" | "int" | "float" | "string" | "slice" | "map" | "struct" | "func"

/** The Go kind a JavaScript value stands for. */
export const kindOf = (v: unknown): Kind => {
  if (v === NoValue) return "invalid"
  if (v === null || v === undefined) return "nil"
  switch (typeof v) {
    case "boolean":
      return "bool"
    case "number":
      return Number.isInteger(v) ? "int" : "float"
    case "bigint":
      return "int"
    case "string":
      return "string"
    case "function":
      return "func"
  }
  if (v instanceof Float64) return "float"
  if (Array.isArray(v)) return "slice"
  if (v instanceof Struct) return "struct"
  return "map"
}

/** The entries of a map value, sorted by key as Go's `fmt`, `range` and `encoding/json` sort them. */
export const mapEntries = (v: unknown): Array<readonly [string, unknown]> => {
  const entries: Array<readonly [string, unknown]> = v instanceof Map
    ? Array.from(v.entries(), ([k, x]) => [String(k), x] as const)
    : Object.entries(v as object)
  return entries.sort(([a], [b]) => compareStrings(a, b))
}

/** Compares strings by code point, as Go compares UTF-8 strings byte by byte. */
export const compareStrings = (a: string, b: string): number => {
  if (a === b) return 0
  const x = codePoints(a)
  const y = codePoints(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!
  }
  return x.length - y.length
}

/** The value at a key of a map value, or {@link NoValue} when absent. */
export const mapGet = (v: unknown, key: string): unknown => {
  if (v instanceof Map) return v.has(key) ? v.get(key) : NoValue
  return Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : NoValue
}

/** The number of entries of a map value. */
export const mapSize = (v: unknown): number => v instanceof Map ? v.size : Object.keys(v as object).length

/** Whether every element is a string: such an array is typed `[]string`, which `join` accepts. */
export const isStringSlice = (v: ReadonlyArray<unknown>): boolean => v.every((e) => typeof e === "string")

/** Whether every value is a string: such a map is typed `map[string]string` (a missing key indexes to `""`). */
export const isStringMap = (v: unknown): boolean => mapEntries(v).every(([, x]) => typeof x === "string")

/** Go's name for the type of a value, as error messages and `%T` print it. */
export const typeName = (v: unknown): string => {
  switch (kindOf(v)) {
    case "invalid":
      return "<invalid reflect.Value>"
    case "nil":
      return "<nil>"
    case "bool":
      return "bool"
    case "int":
      return "int"
    case "float":
      return "float64"
    case "string":
      return "string"
    case "func":
      return "func() interface {}"
    case "slice":
      return isStringSlice(v as Array<unknown>) ? "[]string" : "[]interface {}"
    case "map":
      return isStringMap(v) ? "map[string]string" : "map[string]interface {}"
    case "struct":
      return (v as Struct).typeName
  }
}

/** The number inside an int or float value. */
export const toNumber = (v: unknown): number =>
  v instanceof Float64 ? v.value : typeof v === "bigint" ? Number(v) : (v as number)

/** Go's truth: false for the zero value of the type (0, "", empty slice or map, nil), true for structs. */
export const isTrue = (v: unknown): boolean => {
  switch (kindOf(v)) {
    case "invalid":
    case "nil":
      return false
    case "bool":
      return v as boolean
    case "int":
    case "float":
      return toNumber(v) !== 0
    case "string":
      return (v as string).length > 0
    case "slice":
      return (v as Array<unknown>).length > 0
    case "map":
      return mapSize(v) > 0
    case "struct":
    case "func":
      return true
  }
}
