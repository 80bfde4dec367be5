// Bundles the CLI into one ESM file (dist/dockhand.js) so that it starts fast and installs light: it loads one
// module instead of hundreds. Runs after `tsc -b`, from the compiled dist/bin.js.
import { build } from "esbuild"
import { statSync } from "node:fs"

const outfile = new URL("../dist/dockhand.js", import.meta.url).pathname
await build({
  entryPoints: [new URL("../dist/bin.js", import.meta.url).pathname],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  // Node built-ins stay imports; `require` is needed by a few CommonJS dependencies inside the bundle.
  banner: { js: "import { createRequire as __dockhandRequire } from 'node:module'; const require = __dockhandRequire(import.meta.url);" },
  logLevel: "warning"
})
console.log(`bundled ${outfile} (${(statSync(outfile).size / 1024).toFixed(0)} KiB)`)
