/**
 * Which runtime this process is: Bun, Deno or Node. Depends on nothing, so that the code loaded before the program
 * (`Prefetch`) can ask too.
 *
 * @internal
 */

/** `bun`, `deno` or `node`. */
export const name: "bun" | "deno" | "node" = (globalThis as { Bun?: unknown }).Bun !== undefined
  ? "bun"
  : (globalThis as { Deno?: unknown }).Deno !== undefined
  ? "deno"
  : "node"
