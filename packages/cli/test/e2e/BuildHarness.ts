/**
 * What the `build*.engine28.test.ts` files share: a world on Docker Engine 28.5 where both programs pick BuildKit
 * from the daemon's ping (docker CLI 28.5 with buildx first on PATH). A build runs in a real terminal with
 * `TmuxPane.inTerminal`.
 */
import * as Harness from "./Harness.ts"

/**
 * A file's world on Engine 28.5 (`Harness.makeWorld28`: the engine, docker CLI 28.5 as the reference, buildx
 * reachable) with `DOCKER_BUILDKIT` unset (empty) on both sides, and `env` added. Throws (tests fail) when the
 * engine's variables are missing.
 */
export const makeWorld = (name: string, env: Readonly<Record<string, string>> = {}): Harness.World => {
  const base = Harness.makeWorld28(name)
  return { ...base, env: { ...base.env, DOCKER_BUILDKIT: "", ...env } }
}
