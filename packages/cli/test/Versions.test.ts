/**
 * The versions the programs report are their packages' own: `scripts/sync-versions.mjs` writes them from each
 * `package.json`, and these tests fail when a release bumped a manifest without running it.
 */
import * as Constants from "@dockhand/client/Constants"
import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { version } from "../src/version.ts"

const manifestVersion = (pkg: string): string =>
  JSON.parse(readFileSync(new URL(`../../${pkg}/package.json`, import.meta.url), "utf8")).version

describe("versions follow package.json", () => {
  it("dockhand --version is @dockhand/cli's version", () => {
    assert.strictEqual(version, manifestVersion("cli"))
  })
  it("the client's version and user agent are @dockhand/client's version", () => {
    assert.strictEqual(Constants.version, manifestVersion("client"))
    assert.strictEqual(Constants.userAgent, `dockhand/${manifestVersion("client")}`)
  })
})
