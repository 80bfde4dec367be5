/**
 * `@dockhand/cli`: the `dockhand` program as a library, for embedding and tests.
 *
 * @since 0.1.0
 */

/** The docker CLI's global flags. @since 0.1.0 */
export * as GlobalFlags from "./GlobalFlags.ts"
/** The program: `Main.run(argv)`. @since 0.1.0 */
export * as Main from "./Main.ts"
