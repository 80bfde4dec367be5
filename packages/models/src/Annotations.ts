/**
 * The annotation keys the models put on their schemas for the other packages to read. Each key is declared here
 * once, so that `@dockhand/codecs` (which reads them) and the models (which set them) cannot drift apart.
 *
 * @since 0.1.0
 */

/**
 * Marks an optional key that the 1.54 spec nonetheless requires, because some real engine leaves it out. Lenient
 * decoding accepts the key missing; the strict decoder of `@dockhand/codecs` rejects that, as a check of an engine
 * against the spec.
 *
 * @category annotations
 * @since 0.1.0
 */
export const specRequired = "dockhand/specRequired"
