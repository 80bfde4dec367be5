/**
 * The `filters` query parameter of image list, image prune, search and build-cache prune: building filters,
 * writing them as the Go client does (map-of-sets JSON, sorted, left out when empty) and reading both forms
 * daemons accept.
 *
 * @since 0.1.0
 */
import { Filters as Wire } from "@dockhand/models"
import { dual } from "effect/Function"
import * as Result from "effect/Result"
import { compareCodePoints, quote } from "./internal/goJson.ts"
import { setOwn } from "./internal/record.ts"
import * as WireJson from "./WireJson.ts"

/**
 * Filters in their canonical form: term → value → `true` (the models' `Filters.FilterSets`).
 *
 * @category models
 * @since 0.1.0
 */
export type Filters = Wire.FilterSets

/**
 * A filter value as callers like to write it; booleans and numbers become their text (`true`, `3`).
 *
 * @category models
 * @since 0.1.0
 */
export type Value = string | number | boolean

/**
 * What {@link make} accepts: for each term one value or a list of values. Terms whose value is `undefined` or an
 * empty list are left out.
 *
 * @category models
 * @since 0.1.0
 */
export type Input = { readonly [term: string]: Value | ReadonlyArray<Value> | undefined }

/**
 * No filters at all.
 *
 * @category constructors
 * @since 0.1.0
 */
export const empty: Filters = {}

const valueText = (value: Value): string => (typeof value === "string" ? value : String(value))

/**
 * Adds values to a term, returning new filters (the input is not changed). Adding no values leaves the filters
 * as they are.
 *
 * **Example**
 *
 * ```ts
 * import { Filters } from "@dockhand/codecs"
 * import { pipe } from "effect/Function"
 *
 * const filters = pipe(Filters.empty, Filters.add("label", "a=b", "c"), Filters.add("dangling", true))
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const add: {
  (term: string, ...values: ReadonlyArray<Value>): (self: Filters) => Filters
  (self: Filters, term: string, ...values: ReadonlyArray<Value>): Filters
} = dual(
  (args) => typeof args[0] === "object",
  (self: Filters, term: string, ...values: ReadonlyArray<Value>): Filters => {
    if (values.length === 0) return self
    const set: Record<string, boolean> = { ...(Object.hasOwn(self, term) ? self[term] : undefined) }
    for (const value of values) setOwn(set, valueText(value), true)
    return { ...self, [term]: set }
  }
)

/**
 * Builds filters from an object of terms, e.g. `make({ label: ["a=b"], dangling: true })`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (input: Input): Filters => {
  const out: Record<string, Record<string, boolean>> = {}
  for (const term of Object.keys(input)) {
    const given = input[term]
    if (given === undefined) continue
    const values = Array.isArray(given) ? (given as ReadonlyArray<Value>) : [given as Value]
    if (values.length === 0) continue
    const set: Record<string, boolean> = Object.hasOwn(out, term) ? out[term]! : {}
    for (const value of values) setOwn(set, valueText(value), true)
    setOwn(out, term, set)
  }
  return out
}

/**
 * Whether there is nothing to filter on.
 *
 * @category guards
 * @since 0.1.0
 */
export const isEmpty = (self: Filters): boolean => Object.keys(self).length === 0

/**
 * The values of a term that are switched on, in code-point order.
 *
 * @category getters
 * @since 0.1.0
 */
export const values = (self: Filters, term: string): ReadonlyArray<string> => {
  const set = Object.hasOwn(self, term) ? self[term] : undefined
  return set === undefined ? [] : Object.keys(set).filter((value) => set[value] === true).sort(compareCodePoints)
}

/**
 * Writes filters as the value of the `filters` query parameter, exactly as the Go client does:
 * `{"dangling":{"true":true},"label":{"a=b":true}}` with terms and values sorted. Gives `undefined` when there
 * are no filters, because the Go client then leaves the parameter out (it never sends `{}`).
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode = (self: Filters): string | undefined => {
  const terms = Object.keys(self).sort(compareCodePoints)
  if (terms.length === 0) return undefined
  const parts = terms.map((term) => {
    const set = self[term]!
    const members = Object.keys(set).sort(compareCodePoints).map((value) => `${quote(value)}:${set[value] === true}`)
    return `${quote(term)}:{${members.join(",")}}`
  })
  return `{${parts.join(",")}}`
}

const readFilters = WireJson.decodeResult(Wire.Filters)

/**
 * Reads a `filters` value in either form daemons accept, the map-of-sets (`{"label":{"a=b":true}}`) or the older
 * map-of-arrays (`{"label":["a=b"]}`), into the canonical form.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode = (text: string): Result.Result<Filters, WireJson.WireJsonError> =>
  Result.map(readFilters(text), (filters) => {
    const out: Record<string, Record<string, boolean>> = {}
    for (const term of Object.keys(filters)) {
      const given = filters[term]!
      if (Array.isArray(given)) {
        const set: Record<string, boolean> = {}
        for (const value of given as ReadonlyArray<string>) setOwn(set, value, true)
        setOwn(out, term, set)
      } else {
        setOwn(out, term, { ...(given as Readonly<Record<string, boolean>>) })
      }
    }
    return out
  })
