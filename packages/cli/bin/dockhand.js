#!/usr/bin/env node
// The installed `dockhand`. Where the standalone executable for this machine is installed (the optional
// `@dockhand/cli-linux-x64`, Bun-compiled bytecode that starts in a fraction of Node's time), it runs that, passing
// on the arguments, the standard streams, a SIGTERM or SIGHUP sent to this process, and the exit status. Otherwise
// (another platform, or the optional package left out) it runs the JavaScript bundle here: the bundle's entry turns
// on Node's compile cache, sends the command's first read ahead and loads the program (packages/cli/src/launch.ts).
const standalone = process.platform === "linux" && process.arch === "x64" && !process.env.DOCKHAND_NO_STANDALONE
  ? (() => {
    try {
      return (process.getBuiltinModule?.("node:module") ?? {}).createRequire?.(import.meta.url)
        .resolve("@dockhand/cli-linux-x64/bin/dockhand")
    } catch {
      return undefined
    }
  })()
  : undefined

if (standalone === undefined) {
  await import("../dist/dockhand.js")
} else {
  const child = process.getBuiltinModule("node:child_process").spawn(standalone, process.argv.slice(2), {
    stdio: "inherit"
  })
  // A terminal's Ctrl-C reaches the whole process group, the executable included: it handles it (its finalizers run)
  // and this process waits for it. A signal sent to this process alone is passed on.
  process.on("SIGINT", () => {})
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal))
  child.on("error", (error) => {
    process.stderr.write(`dockhand: ${error.message}\n`)
    process.exit(1)
  })
  child.on("exit", (code, signal) => {
    process.exit(code ?? 128 + (process.getBuiltinModule("node:os").constants.signals[signal] ?? 0))
  })
}
