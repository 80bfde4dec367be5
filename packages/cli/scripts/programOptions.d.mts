// The types of programOptions.mjs, for the TypeScript that imports it (bench/start-floor.ts).
import type { BuildOptions, Plugin } from "esbuild"

/** The options every ESM bundle of the program is built with; the caller adds the entry points and the output. */
export declare const programOptions: BuildOptions
/** Makes the start-up work of dependencies lazy (`lazyDependencyWork`). */
export declare const lazyDependencies: Plugin
/** Loads the Node built-ins of `lazyBuiltins` on first use. */
export declare const lazyBuiltinModules: Plugin
/** Leaves out the dependency modules nothing dockhand runs can reach (`unreachableModules`). */
export declare const unreachableDependencies: Plugin
/** Keeps the code every command loads, the static imports of the modules at `program`, in one chunk. */
export declare const programInOneChunk: (program: ReadonlyArray<string>) => Plugin
