/**
 * The floor programs of bench/floor/*.ts, bundled as the CLI's program is (packages/cli/scripts/programOptions.mjs:
 * ESM, minified, dependencies' start-up work made lazy, unreachable modules left out), one file each, into a
 * scratch directory removed when the process exits.
 */
import { build } from "esbuild"
import { mkdtempSync, rmSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { programOptions } from "../../packages/cli/scripts/programOptions.mjs"
import { root } from "./env.ts"

/** Bundled floor programs: where each one is, the scratch directory, and each output's size in bytes. */
export interface Bundled<Name extends string> {
  readonly scratch: string
  readonly program: (name: Name) => string
  readonly sizes: ReadonlyArray<readonly [file: string, bytes: number]>
}

/** Bundles `bench/floor/<name>.ts` for each of `names`. */
export const bundle = async <const Name extends string>(names: ReadonlyArray<Name>): Promise<Bundled<Name>> => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "dockhand-bench-floor-"))
  process.on("exit", () => rmSync(scratch, { recursive: true, force: true }))
  const built = await build({
    ...programOptions,
    entryPoints: names.map((name) => path.join(root, "bench", "floor", `${name}.ts`)),
    outdir: scratch,
    outExtension: { ".js": ".mjs" },
    metafile: true
  })
  return {
    scratch,
    program: (name) => path.join(scratch, `${name}.mjs`),
    sizes: Object.entries(built.metafile.outputs).map(([file, output]) => [path.basename(file), output.bytes] as const)
  }
}
