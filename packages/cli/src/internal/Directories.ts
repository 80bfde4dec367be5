/**
 * Directory listings the platform service does not give (it lists files only): the stored contexts are
 * directories `contexts/meta/<sha256 of the name>/`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { readdirSync } from "node:fs"

/** The names of the directories in `dir`; none when it cannot be read. */
export const subdirectories = (dir: string): Effect.Effect<ReadonlyArray<string>> =>
  Effect.try(() =>
    readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
  ).pipe(Effect.orElseSucceed((): ReadonlyArray<string> => []))
