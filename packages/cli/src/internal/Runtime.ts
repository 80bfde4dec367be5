/**
 * The client layer for the runtime the CLI runs on: Bun's and Deno's own `fetch`, or Node's `node:http`.
 *
 * @internal
 */
import type { DockerSettings } from "@dockhand/client"
import * as BunClient from "@dockhand/client/bun"
import * as DenoClient from "@dockhand/client/deno"
import * as NodeClient from "@dockhand/client/node"

/** Which runtime this process is. */
export const name: "bun" | "deno" | "node" = (globalThis as { Bun?: unknown }).Bun !== undefined
  ? "bun"
  : (globalThis as { Deno?: unknown }).Deno !== undefined
  ? "deno"
  : "node"

/** Every client service, resolved from the global flags and the environment like the docker CLI. */
export const clientLayer = (flags: DockerSettings.Flags) =>
  name === "bun" ? BunClient.layerWith(flags) : name === "deno" ? DenoClient.layerWith(flags) : NodeClient.layerWith(flags)
