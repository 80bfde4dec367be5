import { fileURLToPath } from "node:url"
import type { ViteUserConfig } from "vitest/config"

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src`, import.meta.url))

/** Shared vitest settings: tests import sibling packages from their sources, no build needed. */
export const shared: ViteUserConfig = {
  resolve: {
    alias: [
      { find: /^@dockhand\/(models|codecs|client|cli)$/, replacement: `${src("$1")}/index.ts` },
      { find: /^@dockhand\/(models|codecs|client|cli)\/(.*)$/, replacement: `${src("$1")}/$2.ts` }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.engine.test.ts", "test/**/*.engine28.test.ts", "**/node_modules/**"],
    testTimeout: 30_000
  }
}
