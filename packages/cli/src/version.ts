/**
 * The version `dockhand --version` and `dockhand version` print: the package's own, written here from its
 * `package.json` by `scripts/sync-versions.mjs` (a test checks that the two agree).
 *
 * @since 0.1.0
 */
export const version = "0.0.0"
