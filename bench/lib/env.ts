/**
 * Where the tools are, and a header line saying on what the numbers were measured.
 */
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { socketPath } from "./engine.ts"

export const root = path.resolve(import.meta.dirname, "..", "..")
/** Node 24 and Bun from the repo's devDependencies. */
export const nodeBin = path.join(root, "node_modules", ".bin", "node")
export const bunBin = path.join(root, "node_modules", ".bin", "bun")
/** The bundled CLI (`npm run build` makes it), what the installed `dockhand` (bin/dockhand.js) imports. */
export const bundle = path.join(root, "packages", "cli", "dist", "dockhand.js")
/**
 * The standalone executable (`packages/cli/scripts/standalone.mjs` makes it from the bundle; linux-x64), what the
 * installed `dockhand` runs where the optional `@dockhand/cli-linux-x64` is installed; undefined when not built.
 */
export const standalone: string | undefined = (() => {
  const file = path.join(root, "packages", "cli-linux-x64", "bin", "dockhand")
  return existsSync(file) ? file : undefined
})()
/** The docker CLI to compare with (28.x here); `DOCKHAND_BENCH_DOCKER` overrides. */
export const dockerBin = process.env["DOCKHAND_BENCH_DOCKER"] ?? "/usr/local/bin/docker"

/** The environment the CLIs run with: both pointed at the private engine, nothing else changed. */
export const cliEnv = (): NodeJS.ProcessEnv => ({ ...process.env, DOCKER_HOST: `unix://${socketPath()}` })

export const requireFile = (file: string, hint: string): void => {
  if (!existsSync(file)) throw new Error(`${file} is missing: ${hint}`)
}

const version = (argv: ReadonlyArray<string>): string => {
  try {
    return execFileSync(argv[0]!, argv.slice(1), {
      encoding: "utf8",
      env: cliEnv(),
      stdio: ["ignore", "pipe", "ignore"]
    }).trim()
  } catch {
    return "?"
  }
}

/** The load average: other work on the machine shows here, and in the spread of the timings. */
export const loadLine = (): string =>
  `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores`

/** One paragraph: date, machine, runtimes, engine. */
export const header = (title: string): string => {
  const cpu = os.cpus()[0]?.model.replace(/\s+/g, " ") ?? "?"
  const engine = version([dockerBin, "version", "--format", "{{.Server.Version}} (API {{.Server.APIVersion}})"])
  const docker = version([dockerBin, "version", "--format", "{{.Client.Version}}"])
  let kernel = os.release()
  try {
    kernel = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim()
  } catch { /* not linux */ }
  return [
    `== ${title}`,
    `${new Date().toISOString()}  ${os.cpus().length}× ${cpu}, ${
      (os.totalmem() / 2 ** 30).toFixed(0)
    } GiB, Linux ${kernel}`,
    `node ${process.version} (this process), engine ${engine} on ${socketPath()}, docker CLI ${docker}`,
    loadLine()
  ].join("\n")
}

/** dockerode's constructor, or undefined (with a note) when the package is not installed. */
export const loadDockerode = async (): Promise<typeof import("dockerode").default | undefined> => {
  try {
    return (await import("dockerode")).default
  } catch {
    console.warn("note: dockerode is not installed (a root devDependency): its rows are left out")
    return undefined
  }
}
