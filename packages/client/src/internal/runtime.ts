/**
 * Which runtime this process is, and which runtime entry of the package fits it: the guard that makes
 * `@dockhand/client/bun` and `/deno` fail with a `WrongRuntime` reason elsewhere, instead of a confusing error at the
 * first request.
 *
 * @internal
 */
import * as DockerError from "../DockerError.ts"

/** A runtime with an entry of its own. */
export type Name = "node" | "bun" | "deno"

const globals = globalThis as { readonly Bun?: unknown; readonly Deno?: unknown }

/** The runtime this process is: Bun and Deno by their globals, Node otherwise. */
export const current = (): Name => globals.Bun !== undefined ? "bun" : globals.Deno !== undefined ? "deno" : "node"

const labels: Readonly<Record<Name, string>> = { node: "Node", bun: "Bun", deno: "Deno" }

/** The entry that fits a runtime: `@dockhand/client/node`, `/bun` or `/deno`. */
export const entryOf = (runtime: Name): string => `@dockhand/client/${runtime}`

/**
 * The `WrongRuntime` error for the entry made for `required` when this process is `actual`, or `undefined` when the
 * two are the same.
 */
export const mismatch = (required: Name, actual: Name = current()): DockerError.DockerError | undefined =>
  required === actual ? undefined : DockerError.make(
    new DockerError.WrongRuntime({
      message: `${entryOf(required)} runs on ${labels[required]} only, and this is ${labels[actual]}: ` +
        `import ${entryOf(actual)} instead`,
      operation: "layer",
      entry: entryOf(required),
      runtime: actual,
      use: entryOf(actual)
    })
  )
