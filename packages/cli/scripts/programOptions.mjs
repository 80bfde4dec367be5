// The esbuild options of the CLI's program bundle (dist/dockhand.js and dist/chunks/), shared by scripts/bundle.mjs
// and by bench/start-floor.ts, which bundles its floor programs exactly as the program is bundled: the same target,
// minification and banner, and the plugins that make dependencies' start-up work lazy and leave out the modules
// nothing dockhand runs can reach.
import { readFileSync } from "node:fs"
import { dirname } from "node:path"

/**
 * Work that dependencies do when their module is evaluated, made lazy here because every command would pay for it
 * at start-up: each entry names the file, the exact text and what replaces it. A text that is not found (a new
 * version of the dependency) fails the build, so that nothing is silently left out or half-patched.
 *
 * - effect/cli's `CliOutput` builds an `Intl.Segmenter` (grapheme clusters, for the width of help texts) when it is
 *   loaded: this loads ICU's break-iterator data, 8–10 ms of Node's start-up (2–5 ms on Bun), needed only when a
 *   help text is laid out. It is now built on its first use.
 */
const lazyDependencyWork = [{
  file: /\/effect\/dist\/cli\/CliOutput\.js$/,
  text: `const graphemeSegmenter = /*#__PURE__*/new Intl.Segmenter(undefined, {
  granularity: "grapheme"
});`,
  replacement: `let graphemeSegmenterBuilt;
const graphemeSegmenter = {
  segment: (text) => (graphemeSegmenterBuilt ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })).segment(text)
};`
}]

/**
 * Node built-ins that the bundle imports at its top but uses only in some commands, loaded on first use instead:
 * each maps to the names the bundle uses (a new name fails the build, see `logOverride` below).
 *
 * - `node:crypto` (Node loads its X.509 and cipher tables with it, 3–5 ms of every start) is imported by effect's
 *   NodeFileSystem, `AtomicFile` and `LocalContext`, each for `randomBytes` (temporary file names) only.
 */
const lazyBuiltins = { "node:crypto": ["randomBytes"] }

/**
 * Modules of dependencies that nothing dockhand runs can reach, left out of the bundle because every command would
 * load and evaluate them: each is replaced by a module whose exports fail loudly (an error naming the module) if
 * they are ever called. Each maps to the names the bundle takes from it (a new name fails the build, see
 * `logOverride` below).
 *
 * - effect/cli's `--wizard` (`internal/wizard.js`, with the interactive prompts of `Prompt.js`) and `--completions`
 *   (`Completions.js`, with a script generator per shell) are built-in global flags that dockhand turns off
 *   (`CliConfig.builtIns` in src/Main.ts: only `--help` and `--version`); `dockhand completion` has its own
 *   scripts (src/internal/Completion.ts). `Command.runWith` and `GlobalFlag` import them for those flags only, and
 *   `Param.withFallbackPrompt`, which no dockhand flag uses. About 40 KB of minified code.
 */
const unreachableModules = [
  {
    file: /\/effect\/dist\/cli\/internal\/wizard\.js$/,
    names: ["run", "renderIntroduction", "renderCompletion", "renderQuit"]
  },
  { file: /\/effect\/dist\/cli\/Prompt\.js$/, names: ["Theme", "run", "Toggle", "isPrompt"] },
  { file: /\/effect\/dist\/cli\/Completions\.js$/, names: ["fromCommand", "generate"] }
]

/** The esbuild plugin that applies {@link unreachableModules}. */
export const unreachableDependencies = {
  name: "unreachable-dependency-modules",
  setup(build) {
    for (const { file, names } of unreachableModules) {
      build.onLoad({ filter: file }, (args) => {
        const module = args.path.replace(/^.*\/node_modules\//, "")
        return {
          contents: [
            `const unreachable = () => { throw new Error(${
              JSON.stringify(`dockhand: ${module} is left out of the bundle (packages/cli/scripts/programOptions.mjs)`)
            }) }`,
            // `Prompt.Theme` is yielded rather than called: a getter-less value that fails when iterated
            ...names.map((name) =>
              name === "Theme"
                ? `export const Theme = { [Symbol.iterator]: unreachable }`
                : `export const ${name} = unreachable`
            )
          ].join("\n"),
          loader: "js"
        }
      })
    }
  }
}

/**
 * The esbuild plugin that keeps the code every command loads in one chunk, given `program`: the modules whose static
 * imports are that code (the program without the call that starts it, and the client's runtime-independent layers).
 *
 * With code splitting, esbuild puts each module in a chunk by the set of entry points (the bundle's entry and every
 * dynamic `import()`) that reach it. The program's modules are reached from many different sets, because the lazy
 * modules share different parts of them, so the program used to load as some 20 files. Node resolves, compiles and
 * links each file on its own (about 0.4 ms a file when the files are tiny), and `image inspect` paid for ~25 files.
 * This plugin makes every module that is imported dynamically also import `program` statically: every module of the
 * program is then reached from the same set, so esbuild puts all of it in one chunk, loaded as one file. A lazy
 * module's own code is still reached only from its `import()` and stays in its own chunk, loaded when it is needed.
 *
 * @param {ReadonlyArray<string>} program the absolute paths of the program's modules, as esbuild resolves them
 * @returns {import("esbuild").Plugin}
 */
export const programInOneChunk = (program) => ({
  name: "program-in-one-chunk",
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== "dynamic-import" || args.pluginData?.lazyModule === true) return undefined
      const resolved = await build.resolve(args.path, {
        kind: "import-statement",
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { lazyModule: true }
      })
      if (resolved.errors.length > 0 || resolved.external) return resolved
      return { path: resolved.path, namespace: "lazy-module" }
    })
    // the lazy module as esbuild sees it: the program (already loaded when the module is imported), then the module
    // (`export *` leaves out a default export, which is named on its own)
    build.onLoad({ filter: /.*/, namespace: "lazy-module" }, (args) => {
      const module = JSON.stringify(args.path)
      const hasDefault = /\bexport\s+default\b|\bas\s+default\b/.test(readFileSync(args.path, "utf8"))
      return {
        contents: [
          // a namespace, not a bare import: a bare import of a package without side effects is dropped
          ...program.map((path, i) => `export * as __dockhandProgram${i} from ${JSON.stringify(path)}`),
          `export * from ${module}`,
          ...(hasDefault ? [`export { default } from ${module}`] : [])
        ].join("\n"),
        resolveDir: dirname(args.path),
        loader: "js"
      }
    })
  }
})

/** The esbuild plugin that applies {@link lazyBuiltins}: each is a module of functions that load it when called. */
export const lazyBuiltinModules = {
  name: "lazy-builtins",
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(lazyBuiltins).join("|")})$`)
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: "lazy-builtin" }))
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({
      contents: [
        `const load = () => process.getBuiltinModule(${JSON.stringify(args.path)})`,
        ...lazyBuiltins[args.path].map((name) => `export const ${name} = (...args) => load().${name}(...args)`)
      ].join("\n"),
      loader: "js"
    }))
  }
}

/**
 * Node built-ins the bundle takes from `process.getBuiltinModule` rather than through an ESM `import`, each with the
 * getter properties it may read. Importing a built-in as ESM makes Node build a facade that reads every export once,
 * getters included: for `node:fs`, that loads its file streams (`ReadStream`, `WriteStream`), 3–4 ms of every start
 * that nothing at start-up needs. Each becomes a module that re-exports the built-in's plain properties as the
 * build's Node has them, but for those it omits (`fs.F_OK` and its kin, deprecated: Node 24 warns when they are
 * read, and `fs.constants` has them), and of its getters only those listed (`fs.promises`, which effect's file system
 * reads when it is loaded). A use of any other (the file stream classes, `fs.F_OK`) fails the build.
 */
const directBuiltins = {
  "node:fs": { getters: ["promises"], omit: ["F_OK", "R_OK", "W_OK", "X_OK"] }
}

/** The esbuild plugin that applies {@link directBuiltins}. */
export const directBuiltinModules = {
  name: "direct-builtins",
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(directBuiltins).join("|")})$`)
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: "direct-builtin" }))
    build.onLoad({ filter: /.*/, namespace: "direct-builtin" }, (args) => {
      const { getters, omit } = directBuiltins[args.path]
      const names = Object.entries(Object.getOwnPropertyDescriptors(process.getBuiltinModule(args.path)))
        .filter(([name, descriptor]) =>
          /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default" && !omit.includes(name) &&
          (descriptor.get === undefined || getters.includes(name))
        )
        .map(([name]) => name)
      return {
        contents: [
          `const builtin = process.getBuiltinModule(${JSON.stringify(args.path)})`,
          `export default builtin`,
          ...names.map((name) => `export const ${name} = builtin.${name}`)
        ].join("\n"),
        loader: "js"
      }
    })
  }
}

/** The esbuild plugin that applies {@link lazyDependencyWork}. */
export const lazyDependencies = {
  name: "lazy-dependency-work",
  setup(build) {
    for (const { file, text, replacement } of lazyDependencyWork) {
      build.onLoad({ filter: file }, (args) => {
        const source = readFileSync(args.path, "utf8")
        if (source.split(text).length !== 2) {
          throw new Error(`${args.path}: the text to make lazy is not found once; update scripts/programOptions.mjs`)
        }
        return { contents: source.replace(text, replacement), loader: "js" }
      })
    }
  }
}

/**
 * The options every ESM bundle of the program is built with; the caller adds the entry points and the output.
 *
 * @type {import("esbuild").BuildOptions}
 */
export const programOptions = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node22",
  minify: true,
  legalComments: "none",
  plugins: [lazyDependencies, lazyBuiltinModules, directBuiltinModules, unreachableDependencies],
  // a name the lazy built-ins do not provide must fail the build, not be undefined at run time
  logOverride: { "import-is-undefined": "error" },
  // Node built-ins stay imports; `require` is needed by a few CommonJS dependencies inside the bundle.
  banner: {
    js:
      "import { createRequire as __dockhandRequire } from 'node:module'; const require = __dockhandRequire(import.meta.url);"
  },
  logLevel: "warning"
}
