// Bundles the CLI so that it starts fast and installs light: dist/dockhand.js is the entry (it sends the command's
// first read ahead, see src/internal/Prefetch.ts, then imports the program), and dist/chunks/ holds the program and
// the code loaded only when needed (each runtime's transport). Runs after `tsc -b`, from the compiled dist/.
import { build } from "esbuild"
import { rmSync } from "node:fs"

const dist = new URL("../dist/", import.meta.url).pathname
rmSync(`${dist}chunks`, { recursive: true, force: true })
const result = await build({
  entryPoints: { dockhand: `${dist}launch.js` },
  outdir: dist,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  minify: true,
  legalComments: "none",
  metafile: true,
  // Node built-ins stay imports; `require` is needed by a few CommonJS dependencies inside the bundle.
  banner: {
    js:
      "import { createRequire as __dockhandRequire } from 'node:module'; const require = __dockhandRequire(import.meta.url);"
  },
  logLevel: "warning"
})
const sizes = Object.entries(result.metafile.outputs).map(([file, { bytes }]) =>
  `${file.replace(/^.*\/dist\//, "")} ${(bytes / 1024).toFixed(0)} KiB`
)
console.log(`bundled ${sizes.join(", ")}`)
