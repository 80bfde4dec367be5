/**
 * The version `dockhand --version` and `dockhand version` print.
 *
 * @since 0.1.0
 */
export const version = "0.1.0"
