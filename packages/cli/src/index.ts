/**
 * `@dockhand/cli`: not yet implemented; the next milestone fills it.
 *
 * @since 0.0.0
 */
export {}
