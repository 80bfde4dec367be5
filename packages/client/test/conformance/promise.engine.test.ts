/**
 * `@dockhand/client/promise` against the private Docker Engine and registry, on the runtime that runs the suite
 * (Node, Bun or Deno; `createClient` loads that runtime's entry itself): import, list, inspect, history, push with
 * docker's display, pull iterated and aborted, save and load back, and a missing image rejected with the
 * `DockerError` and its `NotFound` reason. Everything it makes is labelled with the run and removed at the end.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as DockerError from "../../src/DockerError.ts"
import * as DockerPromise from "../../src/promise.ts"
import * as C from "./Conformance.ts"

const RUN_ID = C.makeRunId()
const LABEL = C.runLabel(RUN_ID)

/** The rejection of `promise` (fails the test when it resolves). */
const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error
  )

describe(`@dockhand/client/promise on ${C.runtimeName} against Docker Engine`, () => {
  const engines = C.readEngines()
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "dockhand-promise-conformance-"))
  const docker = DockerPromise.createClient({ host: `unix://${engines.dockerSock}`, configDir })
  const repo = `${engines.registry}/dockhand-conformance/${RUN_ID}-promise`
  let imageId = ""

  beforeAll(async () => {
    const rootfs = await Effect.runPromise(C.collectBytes(C.tarStream(C.rootfsEntries(RUN_ID))))
    const outcome = await docker.images.import(rootfs, {
      reference: `${repo}:1`,
      changes: [`LABEL ${LABEL}`, `CMD ["/bin/busybox", "true"]`]
    }).done
    assert.match(outcome.imageId ?? "", /^sha256:[0-9a-f]{64}$/)
    imageId = outcome.imageId!
  }, 60_000)

  afterAll(async () => {
    const left = await docker.images.list({ all: true, filters: { label: [LABEL] } })
    for (const image of left) await docker.images.remove(image.Id, { force: true }).catch(() => undefined)
    await docker.close()
    fs.rmSync(configDir, { recursive: true, force: true })
  }, 60_000)

  it("list, inspect and history resolve with the models", async () => {
    const list = await docker.images.list({ filters: { label: [LABEL] } })
    assert.deepStrictEqual(list.map((image) => image.Id), [imageId])
    assert.deepStrictEqual(list[0]!.RepoTags, [`${repo}:1`])
    const inspected = await docker.images.inspect(`${repo}:1`)
    assert.strictEqual(inspected.Id, imageId)
    assert.strictEqual(inspected.Config?.Labels?.["dockhand.test"], RUN_ID)
    const history = await docker.images.history(imageId)
    assert.isAtLeast(history.length, 1)
    assert.strictEqual(history[0]!.Id, imageId)
  }, 30_000)

  it("a missing image rejects with the DockerError and its NotFound reason", async () => {
    const error = await rejectionOf(docker.images.inspect(`${repo}:missing`))
    assert.instanceOf(error, DockerError.DockerError)
    assert.isTrue(DockerPromise.isDockerError(error))
    const dockerError = error as DockerError.DockerError
    assert.strictEqual(dockerError.reason._tag, "NotFound")
    assert.match(dockerError.message, /^Error response from daemon: .*No such image: /)
    assert.include(dockerError.message, `${repo}:missing`)
  }, 30_000)

  it("push renders docker's display and gives the pushed digest; tag and remove resolve", async () => {
    const written: Array<string> = []
    const outcome = await docker.images.push(`${repo}:1`).render({ out: { write: (text) => written.push(text) } })
    assert.match(outcome.digest ?? "", /^sha256:[0-9a-f]{64}$/)
    assert.include(written.join(""), `The push refers to repository [${repo}]`)
    assert.include(written.join(""), `1: digest: ${outcome.digest} size:`)
    await docker.images.tag(`${repo}:1`, `${repo}:2`)
    const removed = await docker.images.remove(`${repo}:2`)
    assert.deepStrictEqual(removed, [{ Untagged: `${repo}:2` }])
  }, 60_000)

  it("pull: an aborted signal rejects with its reason; an iterated pull gives its messages and outcome", async () => {
    await docker.images.push(`${repo}:1`).done
    await docker.images.remove(`${repo}:1`)
    const reason = new Error("not now")
    const aborted = await rejectionOf(docker.images.pull(`${repo}:1`, { signal: AbortSignal.abort(reason) }).done)
    assert.strictEqual(aborted, reason)
    const controller = new AbortController()
    const stopped = await rejectionOf((async () => {
      for await (const _ of docker.images.pull(`${repo}:1`, { signal: controller.signal })) controller.abort(reason)
    })())
    assert.strictEqual(stopped, reason)
    const handle = docker.images.pull(`${repo}:1`)
    const statuses: Array<string> = []
    for await (const message of handle) statuses.push(message.status ?? "")
    const outcome = await handle.done
    assert.match(outcome.digest ?? "", /^sha256:[0-9a-f]{64}$/)
    assert.include(statuses, `Digest: ${outcome.digest}`)
    assert.strictEqual((await docker.images.inspect(`${repo}:1`)).Id, imageId)
  }, 60_000)

  it("save is a Web stream of a tar that load takes back", async () => {
    const bytes = new Uint8Array(await new Response(docker.images.save(`${repo}:1`)).arrayBuffer())
    const saved = await Effect.runPromise(C.readSavedTar(bytes))
    assert.deepStrictEqual(saved.manifest.map((entry) => entry.RepoTags), [[`${repo}:1`]])
    await docker.images.remove(`${repo}:1`)
    const outcome = await docker.images.load(new Blob([bytes]).stream()).done
    assert.deepStrictEqual(outcome.loaded, [`${repo}:1`])
  }, 60_000)
})
