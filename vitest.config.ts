import { defineConfig } from "vitest/config"
import { shared } from "./vitest.shared.ts"

/**
 * One-shot runs from the root: the four unit projects, plus `engines`, the tests against the real Docker
 * Engine, registry and Podman that `scripts/engines/start.sh` starts (run serially: they share the daemons), and
 * `engines28`, the tests of Docker Engine 28.5 with the containerd image store.
 */
export default defineConfig({
  test: {
    projects: [
      "packages/models",
      "packages/codecs",
      "packages/client",
      "packages/cli",
      {
        resolve: shared.resolve ?? {},
        test: {
          name: "engines",
          include: ["packages/*/test/**/*.engine.test.ts"],
          exclude: ["**/node_modules/**"],
          fileParallelism: false,
          // Deno's worker_threads lacks `parentPort.removeAllListeners`, which vitest's thread pool calls.
          setupFiles: ["packages/client/test/conformance/DenoWorkerShim.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000
        }
      },
      {
        resolve: shared.resolve ?? {},
        test: {
          // Tests of what only Docker Engine 28.5 with the containerd image store shows (DOCKHAND_DOCKER28_*).
          name: "engines28",
          include: ["packages/*/test/**/*.engine28.test.ts"],
          exclude: ["**/node_modules/**"],
          fileParallelism: false,
          setupFiles: ["packages/client/test/conformance/DenoWorkerShim.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000
        }
      }
    ]
  }
})
