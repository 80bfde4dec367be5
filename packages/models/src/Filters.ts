/**
 * The `filters` query value of list, prune, search and build-cache prune (`github.com/moby/moby/client` `Filters`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The canonical map-of-sets form the Go client sends: term → value → `true`,
 * e.g. `{"label": {"a=b": true}, "dangling": {"true": true}}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FilterSets = Schema.Record(Schema.String, Schema.Record(Schema.String, Schema.Boolean))
  .annotate({ identifier: "FilterSets" })
/**
 * @category models
 * @since 0.1.0
 */
export type FilterSets = typeof FilterSets.Type

/**
 * The older map-of-arrays form (the spec's `map[string][]string`), e.g. `{"label": ["a=b"]}`. Daemons read both.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FilterArrays = Schema.Record(Schema.String, Schema.Array(Schema.String))
  .annotate({ identifier: "FilterArrays" })
/**
 * @category models
 * @since 0.1.0
 */
export type FilterArrays = typeof FilterArrays.Type

/**
 * Either form, as a daemon accepts it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Filters = Schema.Union([FilterSets, FilterArrays]).annotate({ identifier: "Filters" })
/**
 * @category models
 * @since 0.1.0
 */
export type Filters = typeof Filters.Type
