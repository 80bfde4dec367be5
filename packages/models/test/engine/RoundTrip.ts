/**
 * The round trip every engine answer goes through: decode it with its model, encode the result again, and compare.
 * The models strip keys they do not define (the default `onExcessProperty: "ignore"`), so the comparison is against
 * the wire value without those keys; which keys were dropped is returned, for the caller to check against the keys
 * known to lie outside API 1.54.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/** The decoded value and the paths of the wire keys the model does not define, e.g. `[].Names` or `cause`. */
export interface RoundTripResult<T> {
  readonly value: T
  readonly encoded: unknown
  /** `wire` without the dropped keys: what the re-encoded value must equal. */
  readonly expected: unknown
  readonly dropped: ReadonlyArray<string>
}

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const keyPath = (parent: string, key: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`
  return parent === "" ? key : `${parent}.${key}`
}

/**
 * `wire` restricted to the keys `encoded` has, recursively (array items by position). Keys of `wire` missing from
 * `encoded` are recorded in `dropped` by path, with `[]` for any array index.
 */
export const restrictTo = (wire: unknown, encoded: unknown, path: string, dropped: Set<string>): unknown => {
  if (Array.isArray(wire) && Array.isArray(encoded)) {
    return wire.map((item, i) => (i < encoded.length ? restrictTo(item, encoded[i], `${path}[]`, dropped) : item))
  }
  if (isPlainObject(wire) && isPlainObject(encoded)) {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(wire)) {
      const child = keyPath(path, key)
      if (Object.prototype.hasOwnProperty.call(encoded, key)) out[key] = restrictTo(value, encoded[key], child, dropped)
      else dropped.add(child)
    }
    return out
  }
  return wire
}

/**
 * Decodes `wire` with `schema`, encodes the result and works out which keys the model dropped. Fails with the
 * `SchemaError` when the answer does not fit the model.
 */
export const roundTrip = <T, E>(
  schema: Schema.Codec<T, E>,
  wire: unknown
): Effect.Effect<RoundTripResult<T>, Schema.SchemaError> =>
  Effect.gen(function*() {
    const value = yield* Schema.decodeUnknownEffect(schema)(wire)
    const encoded: unknown = yield* Schema.encodeEffect(schema)(value)
    const dropped = new Set<string>()
    const expected = restrictTo(wire, encoded, "", dropped)
    return { value, encoded, expected, dropped: [...dropped].sort() }
  })
