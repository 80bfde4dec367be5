/**
 * The entry of dockhand's Node start-up snapshot. `scripts/bundle.mjs` bundles it into one CommonJS file,
 * `dist/snapshot.cjs`, and `dockhand --node-snapshot` (bin/node-snapshot-build.js) runs that with
 * `node --build-snapshot`: the whole program is loaded and evaluated then, with the Node transport and the modules a
 * command loads on first use, and V8 saves the heap in a blob. `node --snapshot-blob BLOB -- ARGS…` starts from that
 * heap and runs `dockhand ARGS…` as the bundle's entry does (`launch.ts`): the version at once, else the request
 * sent ahead, then the program, which is already loaded.
 *
 * Nothing here reads the environment, the arguments or the standard streams while the snapshot is built: the
 * program reads them when it runs, from the process that starts from the snapshot.
 *
 * @since 0.1.0
 */
import * as NodeClient from "@dockhand/client/node"
import * as NodeDockerTransport from "@dockhand/client/NodeDockerTransport"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as v8 from "node:v8"
import * as Instant from "./internal/Instant.ts"
import * as Prefetch from "./internal/Prefetch.ts"
import * as Process from "./internal/Process.ts"

/** What `internal/Runtime.ts` imports on first use on Node: evaluated here, so that it is in the snapshot. */
const loadedOnFirstUse = [NodeClient.layerWith, NodeDockerTransport.fromIncomingMessage, HttpClientResponse.fromWeb]

if (!v8.startupSnapshot.isBuildingSnapshot() || loadedOnFirstUse.some((f) => typeof f !== "function")) {
  throw new Error("dockhand: dist/snapshot.cjs is run by `node --build-snapshot` only (bin/node-snapshot-build.js)")
}

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // `node --snapshot-blob BLOB -- ARGS…`: the arguments follow the runtime's path
  const argv = process.argv.slice(1)
  const instant = Instant.answer(argv)
  if (instant !== undefined) {
    // as the bundle's entry writes it: a reader that stops early is not an error
    const fs = process.getBuiltinModule("node:fs")
    void new Promise((resolve) => resolve(fs.writeSync(1, instant))).catch(() => undefined)
    return
  }
  void Prefetch.start(argv, process.env).then(() => Process.start(argv))
})
