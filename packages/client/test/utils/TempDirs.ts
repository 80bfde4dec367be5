/**
 * Temporary directories for a test file's fixtures, removed once the file's tests have run: a file that imports
 * this module gets an `afterAll` that removes every directory {@link make} gave it, so that nothing a test run
 * made is left in the machine's temporary directory.
 */
import { afterAll } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const made: Array<string> = []

/** A new directory in the system's temporary directory, named `prefix` and six random characters. */
export const make = (prefix: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}

afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})
