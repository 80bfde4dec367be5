/**
 * Field schemas shared by the models: 64-bit integers, RFC 3339 timestamps, the nullable lists and maps that
 * real daemons send, and the marker for keys the spec calls required but real engines leave out.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Annotations from "../Annotations.ts"

/** A Go `int64` on the wire: a JSON integer. Sizes, counts and Unix times; `-1` means "not computed". */
export const Int64 = Schema.Int.annotate({ format: "int64" })

/** A Go `uint64` on the wire: a non-negative JSON integer (`SpaceReclaimed`). */
export const Uint64 = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)).annotate({ format: "uint64" })

/**
 * A Go `time.Time` as `encoding/json` writes it: RFC 3339 with up to nine fractional digits and `Z` or an offset.
 * It stays a string so that encoding gives back the daemon's text exactly (nanoseconds, offset and the zero time
 * `0001-01-01T00:00:00Z` included).
 */
export const Timestamp = Schema.String.check(
  Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/, {
    expected: "an RFC 3339 timestamp"
  })
).annotate({ format: "date-time" })

/** A Go `[]string` without omitempty: `null` when the daemon's slice was nil. */
export const NullableStrings = Schema.NullOr(Schema.Array(Schema.String))

/** A Go `map[string]string` without omitempty: `null` when the daemon's map was nil. */
export const NullableLabels = Schema.NullOr(Schema.Record(Schema.String, Schema.String))

/** A Go `map[string]struct{}` (exposed ports, volumes): keys matter, each value is `{}`. */
export const KeySet = Schema.Record(Schema.String, Schema.Struct({}))

/**
 * An optional key that the spec nonetheless marks as required. Lenient decoding accepts it missing;
 * the strict decoder of `@dockhand/codecs` rejects that, as a check of an engine against the spec.
 */
export const specRequired = <S extends Schema.Top>(schema: S) =>
  Schema.optionalKey(schema).annotateKey({ [Annotations.specRequired]: true })
