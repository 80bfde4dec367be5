/**
 * Reads the shared moby fixtures in place (`/work/shared/fixtures/moby`, next to the repository); they are never
 * copied into this package.
 */
import { readFileSync } from "node:fs"

const root = new URL("../../../../../shared/fixtures/moby/", import.meta.url)

/** The text of a fixture, e.g. `fixture("from-tests-v1.54.2/stream-status-line.json")`. */
export const fixture = (name: string): string => readFileSync(new URL(name, root), "utf8")

/** A fixture from moby's own tests at v1.54.2, without the newline the file ends with. */
export const fromTests = (name: string): string => fixture(`from-tests-v1.54.2/${name}`).trimEnd()

/** A response captured from the Engine 20.10.24 (API 1.41) test daemon, trailing newline included. */
export const live = (name: string): string => fixture(`live-dockerd-20.10.24-api1.41/${name}`)

const encoder = new TextEncoder()

/** UTF-8 bytes of a string. */
export const bytes = (text: string): Uint8Array => encoder.encode(text)
