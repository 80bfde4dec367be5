/**
 * What `dockhand` can answer before its program loads: `dockhand --version` (or `-v`) alone prints the version,
 * exactly as the program would (`Main.runWith`), without loading Effect or any command. Anything else, the version
 * flag among other words included, goes to the program.
 *
 * This module is loaded before Effect and everything else, so it depends on nothing but the version.
 *
 * @internal
 */
import { version } from "../version.ts"

/** The words that ask only for the version (docker's `-v, --version`). */
const versionFlags = new Set(["-v", "--version"])

/** What `argv` (the words after the program name) prints on standard output, when it can be answered at once. */
export const answer = (argv: ReadonlyArray<string>): string | undefined =>
  argv.length === 1 && versionFlags.has(argv[0]!) ? `dockhand version ${version}\n` : undefined
