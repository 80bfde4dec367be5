/**
 * Two engines in one program, through this runtime's entry: the private Docker Engine's `save` stream is the body of
 * Podman's `load`, with no queue or file between them. Each engine's requests must go to its own socket even when one
 * is made while the other's is running (the save is pulled by the load's upload). The Fetch transport (Bun, Deno)
 * once sent the save to Podman here (`image not known`).
 */
import { assert, describe, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Images from "../../src/Images.ts"
import * as C from "./Conformance.ts"

const RUN_ID = C.makeRunId()
const NAME = `dockhand-two-engines/${RUN_ID}:1`

const services = Layer.mergeAll(
  Layer.provideMerge(C.sweeperLayer(RUN_ID, "two-engines"), C.dockerLayer),
  C.podmanCleanupLayer(RUN_ID)
)

// unnamed: a layer that cannot be built (engines missing) fails every test instead of skipping them
describe("two engines in one program", () =>
  layer(services, { excludeTestServices: true })((it) => {
    it.effect("one engine's save stream is the body of the other's load, each request on its own socket", () =>
      Effect.gen(function*() {
        const docker = yield* Images.Images
        yield* docker.import({ _tag: "Stream", stream: C.tarStream(C.rootfsEntries(RUN_ID)) }, {
          reference: NAME,
          changes: [`LABEL ${C.runLabel(RUN_ID)}`]
        }).outcome
        const podman = Context.get(yield* Layer.build(C.podmanLayer), Images.Images)
        yield* podman.load(docker.save([NAME])).outcome
        const copied = yield* podman.inspect(NAME)
        const original = yield* docker.inspect(NAME)
        assert.deepStrictEqual(copied.RootFS?.Layers, original.RootFS?.Layers)
        assert.strictEqual(copied.Config?.Labels?.[C.LABEL_KEY], RUN_ID)
      }).pipe(Effect.scoped))
  }))
