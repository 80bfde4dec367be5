#!/usr/bin/env node
// The installed `dockhand`. Where the standalone executable for this machine is installed (the optional
// `@dockhand/cli-linux-x64`, Bun-compiled bytecode that starts in a fraction of Node's time), it runs that, passing
// on the arguments, the standard streams, a SIGTERM or SIGHUP sent to this process, and the exit status. Otherwise
// (another platform, or the optional package left out) it runs the JavaScript bundle here: the bundle's entry turns
// on Node's compile cache, sends the command's first read ahead and loads the program (packages/cli/src/launch.ts).
// On Node, when `dockhand --node-snapshot` has built a start-up snapshot for this Node and this bundle
// (bin/node-snapshot.js finds it), this process becomes `node --snapshot-blob BLOB -- ARGS…` instead (same process,
// streams and environment): that starts with the program already loaded. `DOCKHAND_NO_SNAPSHOT=1` turns that off.
//
// `dockhand --node-snapshot` (build it) and `dockhand --node-snapshot=remove` are this file's own, alone on the command
// line (docker has no such flags): bin/node-snapshot-build.js does the work. They are not a second bin, with which
// `npx @dockhand/cli …` and `pnpm dlx @dockhand/cli …` could not tell which bin to run.
const snapshotFlag = process.argv.length === 3 && /^--node-snapshot(=remove)?$/.test(process.argv[2])
  ? process.argv[2]
  : undefined
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

/** The snapshot to start from: not for `--version` alone, which the bundle's entry answers before loading anything. */
const snapshot = () => {
  const argv = process.argv.slice(2)
  if (typeof process.execve !== "function" || process.versions.bun || process.versions.deno) return undefined
  if (process.env.DOCKHAND_NO_SNAPSHOT) return undefined
  if (argv.length === 1 && (argv[0] === "-v" || argv[0] === "--version")) return undefined
  return import("./node-snapshot.js").then((module) => module.find())
}

if (snapshotFlag !== undefined) {
  process.argv.splice(2, 1, ...(snapshotFlag === "--node-snapshot=remove" ? ["--remove"] : []))
  await import("./node-snapshot-build.js")
} else if (standalone === undefined) {
  const blob = await snapshot()
  if (blob !== undefined) {
    process.execve(process.execPath, [
      process.execPath,
      ...process.execArgv,
      "--snapshot-blob",
      blob,
      "--",
      ...process.argv.slice(2)
    ])
  }
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
