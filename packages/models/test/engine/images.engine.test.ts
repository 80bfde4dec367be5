/**
 * Every image endpoint against two real engines, Docker Engine 20.10 and Podman 4.3's Docker-compatible API, both
 * at API 1.41: each answer is decoded with its model from `@dockhand/models` and encoded again, and the result must
 * be the answer itself minus keys the models do not define; those keys must be listed in `OUTSIDE_API_1_54`.
 * Where Podman behaves differently, the test asserts what it really does and `PODMAN_DIFFERENCES` documents it.
 *
 * The tests build their own images (a tar written in memory with busybox from Debian's busybox-static), name them
 * `dockhand-test/<run id>-<engine>`, label everything `dockhand.test=<run id>`, and remove what they created in
 * `afterAll`, on failure too. They never touch anything else: prunes are filtered by that label.
 */
import { Build, Common, Container, Image, JsonMessage, Registry, System } from "@dockhand/models"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Fx from "./EngineFixtures.ts"
import * as Http from "./EngineHttp.ts"
import { roundTrip } from "./RoundTrip.ts"

type EngineName = Http.Engine["name"]

/** Which Docker Engine the `docker` suite faces (`DOCKHAND_ENGINE`; the ping and version tests check it). */
const KIND = Fx.engineKind()
/** The key of `OUTSIDE_API_1_54` for an engine of this run. */
const allowKey = (name: EngineName): Fx.EngineKind | "podman" => (name === "docker" ? KIND : "podman")

// ---------------------------------------------------------------------------------------------------------------
// What the engines send outside API 1.54, and where Podman differs
// ---------------------------------------------------------------------------------------------------------------

/**
 * Wire keys each engine sends that API 1.54 does not define, by the model that decodes them (paths as
 * `RoundTrip.restrictTo` reports them, `[]` standing for any array index). A dropped key not listed here fails the
 * test: either the model misses a real field or the engine changed.
 */
const OUTSIDE_API_1_54: Record<Fx.EngineKind | "podman", Readonly<Record<string, ReadonlyArray<string>>>> = {
  // Docker 20.10 sends nothing the API 1.54 models leave out (its 1.41-only keys, such as `VirtualSize`,
  // `ContainerConfig` or `BuilderSize`, are optional keys of the models).
  docker20: {},
  // Docker 28.5 (containerd image store) asked at API 1.41 sends nothing the models leave out either: it shapes its
  // answers for 1.41 (no `Manifests`, `Containers: -1`, the old `/system/df`), and what it adds (`Descriptor` in
  // `/system/df` images) is a field of the models. Its API 1.51 shapes are decoded by the engines28 tests.
  docker28: {},
  podman: {
    // libpod's own summary fields, added to the compat list: every name, the manifest digest, the name history and
    // (on untagged images) `Dangling: true`.
    "Image.Summary[]": ["[].Dangling", "[].Digest", "[].History", "[].Names"],
    // Every Podman error body is `{"cause", "message", "response": <status>}`.
    "Common.ErrorResponse": ["cause", "response"]
  }
}

/** One documented behaviour of Podman 4.3's compatible API that differs from Docker Engine 20.10 at API 1.41. */
interface PodmanDifference {
  readonly endpoint: string
  readonly docker: string
  readonly podman: string
}

/**
 * How Podman 4.3.1 (compat API, `/v1.41`) differs from Docker Engine 20.10.24 for the image endpoints, as these
 * tests observe it. Each row is asserted by the test named after the endpoint; the final test prints the table.
 */
export const PODMAN_DIFFERENCES = {
  "GET /_ping": {
    endpoint: "GET /_ping",
    docker: "`Ostype: linux`, `Server: Docker/20.10.24+dfsg1 (linux)`, `Docker-Experimental: false`",
    podman: "no `Ostype`; `Server: Libpod/4.3.1 (linux)`, `Libpod-Api-Version`, empty `Builder-Version`, " +
      "`Docker-Experimental: true`"
  },
  "POST /images/create?fromSrc=-": {
    endpoint: "POST /images/create?fromSrc=- (import)",
    docker: "names the image `<repo>:<tag>`; one chunked line `{\"status\":\"sha256:…\"}`",
    podman: "ignores `tag`: the image is `docker.io/<repo>:latest`; one line " +
      "`{\"status\",\"progress\":\"\",\"progressDetail\":{},\"id\"}`, not chunked"
  },
  "POST /build": {
    endpoint: "POST /build",
    docker: "`Step n/m :` lines, `---> <id>`, aux `{\"ID\"}`, `Successfully built/tagged`; HEALTHCHECK kept",
    podman: "`STEP n/m:` lines, `--> <id>`, `COMMIT`, then aux and Docker-style `Successfully …` lines; " +
      "HEALTHCHECK dropped (OCI image format); label `io.buildah.version` added"
  },
  "POST /images/{name}/tag": {
    endpoint: "POST /images/{name}/tag",
    docker: "201, empty body",
    podman: "201 with the body `\\n` (`Content-Length: 1`)"
  },
  "GET /images/json": {
    endpoint: "GET /images/json",
    docker: "without `all`, build steps are hidden; an untagged image has `RepoTags: [\"<none>:<none>\"]`, " +
      "`RepoDigests: [\"<none>@<none>\"]`; `Containers` and `SharedSize` are -1",
    podman: "without `all`, the childless build step libpod leaves behind (`<hash>-tmp`) shows; an untagged image " +
      "has `RepoTags: null`, `RepoDigests: []`; extra keys `Names`, `Digest`, `History`, `Dangling`; " +
      "`Containers` and `SharedSize` are 0"
  },
  "GET /images/json?filters={reference}": {
    endpoint: "GET /images/json?filters={reference}",
    docker: "`RepoTags` narrowed to the matching tags",
    podman: "`RepoTags` lists every tag of the image"
  },
  "GET /images/json?filters={bogus}": {
    endpoint: "GET /images/json?filters={unknown term}",
    docker: "400 `{\"message\":\"Invalid filter 'bogus'\"}`",
    podman: "500 `{\"cause\",\"message\":\"unsupported image filter \\\"bogus\\\"\",\"response\":500}`"
  },
  "GET /images/{name}/json": {
    endpoint: "GET /images/{name}/json",
    docker: "`Parent` is `sha256:…`; `Metadata.LastTagTime` set",
    podman: "`Parent` without `sha256:`; `LastTagTime` always `0001-01-01T00:00:00Z`; errors add `cause` and `response`"
  },
  "GET /images/{name}/history": {
    endpoint: "GET /images/{name}/history",
    docker: "`Id` `sha256:…` for every local step, `Tags` on the top item",
    podman: "`Id` without `sha256:` (or `<missing>`), `Tags` always null, `Comment` `FROM <parent>`"
  },
  "POST /images/{name}/push": {
    endpoint: "POST /images/{name}/push",
    docker: "per-layer `Preparing`/`Pushing`/`Pushed` lines, `<tag>: digest: … size: …`, " +
      "then aux `{Tag, Digest, Size}`",
    podman: "two lines only (`The push refers to repository [<name>:<tag>]`, `<tag>: digest: … size: …`); " +
      "no aux PushResult"
  },
  "POST /images/create?fromImage=": {
    endpoint: "POST /images/create?fromImage= (pull)",
    docker: "ends with `Digest: …` and `Status: Downloaded newer image for …`",
    podman: "layer lines only (`Already exists`, `Pulling fs layer`, `Download complete`); no `Digest:`/`Status:`"
  },
  "GET /distribution/{name}/json": {
    endpoint: "GET /distribution/{name}/json",
    docker: "200 DistributionInspect",
    podman: "404 `Not Found` (text/plain): route not implemented"
  },
  "POST /auth": {
    endpoint: "POST /auth (wrong password)",
    docker: "500 `login attempt to https://<host>/v2/ failed with status: 401 Unauthorized`",
    podman: "500 `login attempt to <host> failed with status: 401 Unauthorized` " +
      "(the same status as Docker 20.10: neither answers 401)"
  },
  "GET /images/search": {
    endpoint: "GET /images/search (v2-only registry)",
    docker: "500 `Unexpected status code 404` (v1 search API)",
    podman: "200 from the registry catalog, items `{Index, Name, Description, Stars, Official, Automated, Tag}`: " +
      "not registry.SearchResult"
  },
  "GET /images/{name}/get": {
    endpoint: "GET /images/{name}/get, GET /images/get",
    docker: "`Content-Type: application/x-tar`; layers as `<id>/layer.tar`",
    podman: "`Content-Type: application/octet; charset=us-ascii`; layers as `<diffid>.tar` (+ symlinks)"
  },
  "POST /images/load": {
    endpoint: "POST /images/load",
    docker: "one `Loaded image: <ref>\\n` line per tag",
    podman: "one line `Loaded image: <ref>,<ref>` (no `\\n` in the text), not chunked"
  },
  "POST /commit": {
    endpoint: "POST /commit",
    docker: "`Id` `sha256:…`; the JSON `Container.Config` body is merged (its `Labels` are in the image)",
    podman: "`Id` without `sha256:`; the JSON config body is ignored"
  },
  "GET /system/df": {
    endpoint: "GET /system/df",
    docker: "`LayersSize` > 0, `BuildCache: null`, images as in the list",
    podman: "`LayersSize: 0`, `BuildCache: []`, image `Id`s without `sha256:`, `RepoTags` holding bare tags"
  },
  "DELETE /images/{name}": {
    endpoint: "DELETE /images/{name}",
    docker: "`Untagged` per tag (and per digest reference), then `Deleted` for the image, each removed parent and " +
      "each removed layer (by chain id); 409 `conflict: unable to remove repository reference …`",
    podman: "`Deleted` (id without `sha256:`) first, then `Untagged` per tag; no digest references, no layers; " +
      "409 `image … is in use: …`"
  },
  "POST /build/prune": {
    endpoint: "POST /build/prune",
    docker: "200 `{\"CachesDeleted\":null,\"SpaceReclaimed\":0}`",
    podman: "404 `Not Found` (text/plain): route not implemented"
  },
  "POST /images/prune": {
    endpoint: "POST /images/prune",
    docker: "`dangling=false` + `label` removes every unused labelled image; `ImagesDeleted: null` when nothing",
    podman: "500 `specifying \\\"dangling\\\" filter more than once with different values is not supported` " +
      "for `dangling=false`; `ImagesDeleted: []` when nothing"
  }
} as const satisfies Record<string, PodmanDifference>

type DifferenceKey = keyof typeof PODMAN_DIFFERENCES
const differencesSeen = new Set<DifferenceKey>()
/** Marks a Podman difference as observed; the final test checks that every row of the table was. */
const podmanDiffers = (key: DifferenceKey): PodmanDifference => {
  differencesSeen.add(key)
  return PODMAN_DIFFERENCES[key]
}

// ---------------------------------------------------------------------------------------------------------------
// Run-wide state: ids, samples for the summary, secrets that must never be printed
// ---------------------------------------------------------------------------------------------------------------

const RUN_ID = Fx.makeRunId()
const RUN_LABEL = `dockhand.test=${RUN_ID}`
const ENGINES: ReadonlyArray<{ readonly name: EngineName; readonly envVar: string }> = [
  { name: "docker", envVar: "DOCKHAND_DOCKER_SOCK" },
  { name: "podman", envVar: "DOCKHAND_PODMAN_SOCK" }
]

/** Real answers kept for the side-by-side summary. */
const samples: Record<EngineName, Map<string, unknown>> = { docker: new Map(), podman: new Map() }
/** Keys the models dropped, by engine and model. */
const droppedSeen: Record<EngineName, Map<string, Set<string>>> = { docker: new Map(), podman: new Map() }
/** Texts that must not appear in anything printed (the registry passwords, right and wrong). */
const secrets: Array<string> = []

const WRONG_PASSWORD = `wrong-${RUN_ID}`

/** Prints, after checking that no secret is in the text. */
const report = (text: string): void => {
  for (const secret of secrets) assert.notInclude(text, secret, "a registry password would have been printed")
  console.log(text)
}

const compact = (value: unknown, max = 700): string => {
  const text = value === undefined ? "(none)" : JSON.stringify(value)
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text
}

/** One item of the `manifest.json` in a `docker save` tar. */
interface SaveManifestItem {
  readonly Config: string
  readonly RepoTags: ReadonlyArray<string> | null
  readonly Layers: ReadonlyArray<string>
}

/** `sha256:` + hex, whether or not the engine sent the prefix (Podman leaves it out in places). */
const fullId = (id: string): string => (id.startsWith("sha256:") ? id : `sha256:${id}`)

const parseLine = (line: string): unknown => {
  try {
    return JSON.parse(line)
  } catch {
    throw new Error(`a stream line is not JSON: ${JSON.stringify(line.slice(0, 300))}`)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One suite per engine
// ---------------------------------------------------------------------------------------------------------------

describe.each(ENGINES)("$name engine (API 1.41)", ({ name, envVar }) => {
  let engineOrUndefined: Http.Engine | undefined
  let env: Fx.EnginesEnv | undefined
  const repo = `dockhand-test/${RUN_ID}-${name}`
  /** Docker Engine 28.5 with the containerd image store (not 20.10, not Podman). */
  const docker28 = name === "docker" && KIND === "docker28"
  /** Podman qualifies short names with `docker.io/` in everything it returns. */
  const named = (ref: string) => (name === "podman" ? `docker.io/${ref}` : ref)

  /** Everything this suite created, in creation order, for the cleanup. */
  const createdImages: Array<string> = []
  const createdContainers: Array<string> = []
  const trackImage = (id: string) => {
    const full = fullId(id)
    if (!createdImages.includes(full)) createdImages.push(full)
  }
  const state: {
    importedId?: string
    importedLayers?: ReadonlyArray<string>
    builtId?: string
    intermediateIds?: ReadonlyArray<string>
    pushDigest?: string
    committedId?: string
    containerId?: string
    savedTar?: Buffer
  } = {}

  /** Why the engine is not usable; every test then fails with it (none is skipped). */
  let setupError: Error | undefined
  const engine = (): Http.Engine => {
    if (setupError !== undefined) throw setupError
    assert.isDefined(engineOrUndefined, `the ${name} engine was not set up`)
    return engineOrUndefined!
  }
  const enginesEnv = (): Fx.EnginesEnv => {
    if (setupError !== undefined) throw setupError
    assert.isDefined(env, "the engine environment was not read")
    return env!
  }
  const needs = <A>(value: A | undefined, what: string): A => {
    if (setupError !== undefined) throw setupError
    assert.isDefined(value, `this test needs ${what} from an earlier test of this suite`)
    return value!
  }

  const call = (request: Http.EngineRequest) => Http.request(engine(), request)
  const stream = (request: Http.EngineRequest) => Http.requestLines(engine(), request)

  /** Decodes and re-encodes one answer, checks the dropped keys against `OUTSIDE_API_1_54`, returns the value. */
  const check = <T, E>(model: string, schema: Schema.Codec<T, E>, wire: unknown) =>
    Effect.gen(function*() {
      const result = yield* roundTrip(schema, wire)
      assert.deepStrictEqual(result.encoded, result.expected, `${model}: encode(decode(x)) must give back x`)
      const allowed = OUTSIDE_API_1_54[allowKey(name)][model] ?? []
      const seen = droppedSeen[name].get(model) ?? new Set<string>()
      droppedSeen[name].set(model, seen)
      for (const key of result.dropped) {
        seen.add(key)
        assert.include(
          allowed,
          key,
          `${name}: ${model} dropped the wire key ${key}, which is not listed in ` +
            `OUTSIDE_API_1_54.${allowKey(name)}["${model}"]`
        )
      }
      return result.value
    })

  /** Decodes every line of a stream as a `JsonMessage.Message`. */
  const messagesOf = (response: Http.EngineLinesResponse) =>
    Effect.forEach(response.lines, (line) => check("JsonMessage.Message", JsonMessage.Message, parseLine(line)))

  /** Fails the test with the engine's words when a stream carries an error line. */
  const assertNoStreamError = (messages: ReadonlyArray<JsonMessage.Message>, what: string) => {
    const failed = messages.find((m) => m.errorDetail !== undefined || m.error !== undefined)
    assert.isUndefined(failed, `${what} failed inside the stream: ${compact(failed)}`)
  }

  const assertStatus = (response: Http.EngineResponse, status: number, what: string) =>
    assert.strictEqual(response.status, status, `${what}: ${response.status} ${compact(Http.text(response), 500)}`)

  const inspect = (ref: string) =>
    Effect.gen(function*() {
      const response = yield* call({ path: `/images/${ref}/json` })
      assertStatus(response, 200, `inspect ${ref}`)
      return yield* check("Image.InspectResponse", Image.InspectResponse, Http.json(response))
    })

  const errorBody = (response: Http.EngineResponse) =>
    check("Common.ErrorResponse", Common.ErrorResponse, Http.json(response))

  // -------------------------------------------------------------------------------------------------------------

  // Failing here would only mark the tests skipped; instead the error is kept and each test fails with it.
  beforeAll(async () => {
    try {
      env = Fx.readEnginesEnv()
      secrets.push(Redacted.value(env.registryPassword), WRONG_PASSWORD)
      const socket = name === "docker" ? env.dockerSock : env.podmanSock
      const candidate: Http.Engine = { name, socket }
      const exit = await Effect.runPromiseExit(Http.request(candidate, { path: "/_ping", idleTimeoutMs: 10_000 }))
      if (Exit.isFailure(exit)) {
        throw new Error(
          `The ${name} engine does not answer on ${envVar}=${socket}; start the engines with ` +
            `\`bash scripts/engines/start.sh\` and source env.sh.\n${String(exit.cause)}`
        )
      }
      if (exit.value.status !== 200) {
        throw new Error(`The ${name} engine answered GET /_ping with ${exit.value.status}: ${Http.text(exit.value)}`)
      }
      engineOrUndefined = candidate
    } catch (cause) {
      setupError = cause instanceof Error ? cause : new Error(String(cause))
    }
  })

  afterAll(async () => {
    if (engineOrUndefined === undefined) return
    const target = engineOrUndefined
    const problems: Array<string> = []
    const del = (path: string, query: Readonly<Record<string, Http.QueryValue>>) =>
      Effect.runPromise(Http.request(target, { method: "DELETE", path, query }))
    const labelledContainers = await Effect.runPromise(Http.request(target, {
      path: "/containers/json",
      query: { all: true, filters: JSON.stringify({ label: [RUN_LABEL] }) }
    }))
    const containers = [...createdContainers].reverse()
    if (labelledContainers.status === 200) {
      for (const { Id } of Http.json(labelledContainers) as Array<{ Id: string }>) {
        if (!containers.includes(Id)) containers.push(Id)
      }
    }
    for (const id of containers) {
      const response = await del(`/containers/${id}`, { force: true, v: true })
      if (![204, 404].includes(response.status)) {
        problems.push(`container ${id}: ${response.status} ${Http.text(response)}`)
      }
    }
    // Children before parents: the reverse creation order, retried while a parent still has a child. Then
    // whatever still carries this run's label (build steps, loaded images) was made by this run and goes too.
    const labelled = async () => {
      const listed = await Effect.runPromise(Http.request(target, {
        path: "/images/json",
        query: { all: true, filters: JSON.stringify({ label: [RUN_LABEL] }) }
      }))
      return listed.status === 200 ? (Http.json(listed) as Array<{ Id: string }>).map((i) => fullId(i.Id)) : []
    }
    let pending = [...createdImages].reverse()
    const swept = new Set<string>()
    for (let pass = 0; pass < 6; pass++) {
      const extra = (await labelled()).filter((id) => !pending.includes(id))
      for (const id of extra) if (!createdImages.includes(id)) swept.add(id)
      pending = [...pending, ...extra]
      if (pending.length === 0) break
      const next: Array<string> = []
      for (const id of pending) {
        const response = await del(`/images/${id}`, { force: true })
        if (![200, 404].includes(response.status)) next.push(id)
      }
      pending = next
    }
    for (const id of pending) problems.push(`image ${id} could not be removed`)
    report(
      `[${name}] cleanup: ${createdContainers.length} containers, ${createdImages.length} images tracked, ` +
        `${swept.size} untracked labelled images swept` +
        (problems.length > 0 ? `; PROBLEMS: ${problems.join("; ")}` : "")
    )
    if (problems.length > 0) throw new Error(`cleanup on ${name} left things behind: ${problems.join("; ")}`)
  })

  // ------------------------------------------------------------------------------------------------------- ping

  it.live("GET and HEAD /_ping answer 200 with the Api-Version header", () =>
    Effect.gen(function*() {
      const get = yield* call({ path: "/_ping" })
      assertStatus(get, 200, "GET /_ping")
      assert.strictEqual(Http.text(get), "OK")
      // The header names the engine's own (newest) API version, whatever version the request asked for.
      assert.strictEqual(Http.header(get, "api-version"), docker28 ? "1.51" : "1.41")
      const head = yield* call({ method: "HEAD", path: "/_ping" })
      assertStatus(head, 200, "HEAD /_ping")
      assert.strictEqual(head.body.length, 0)
      const interesting = [
        "api-version",
        "ostype",
        "server",
        "docker-experimental",
        "builder-version",
        "libpod-api-version",
        "cache-control"
      ]
      samples[name].set("GET /_ping headers", Object.fromEntries(interesting.map((h) => [h, Http.header(get, h)])))
      if (name === "docker") {
        assert.strictEqual(Http.header(get, "ostype"), "linux")
        assert.match(Http.header(get, "server") ?? "", /^Docker\//)
        assert.strictEqual(Http.header(get, "docker-experimental"), "false")
      } else {
        podmanDiffers("GET /_ping")
        assert.isUndefined(Http.header(get, "ostype"))
        assert.match(Http.header(get, "server") ?? "", /^Libpod\//)
        assert.isString(Http.header(get, "libpod-api-version"))
        assert.strictEqual(Http.header(get, "builder-version"), "")
        assert.strictEqual(Http.header(get, "docker-experimental"), "true")
      }
    }))

  // ---------------------------------------------------------------------------------------------------- version

  it.live("GET /version decodes as System.VersionResponse and reports API 1.41", () =>
    Effect.gen(function*() {
      const response = yield* call({ path: "/version" })
      assertStatus(response, 200, "GET /version")
      const version = yield* check("System.VersionResponse", System.VersionResponse, Http.json(response))
      samples[name].set("GET /version", Http.json(response))
      assert.strictEqual(version.ApiVersion, docker28 ? "1.51" : "1.41")
      assert.strictEqual(version.Os, "linux")
      assert.isAbove(version.Components?.length ?? 0, 0)
      if (docker28) assert.match(version.Version, /^28\.5\./)
      else if (name === "docker") assert.match(version.Version, /^20\.10\./)
      else assert.match(version.Version, /^4\./)
    }))

  // ----------------------------------------------------------------------------------------------------- import

  it.live("POST /images/create?fromSrc=- imports the tar; every line is a JsonMessage.Message, the last holds the id", () =>
    Effect.gen(function*() {
      const tar = yield* Fx.rootfsTar(RUN_ID)
      const response = yield* stream({
        method: "POST",
        path: "/images/create",
        query: {
          fromSrc: "-",
          repo,
          tag: "imported",
          message: `imported by ${RUN_ID}`,
          changes: [`CMD ["/bin/busybox","sh"]`, "ENV A=b", `LABEL ${RUN_LABEL}`, "LABEL dockhand.kind=imported"]
        },
        headers: { "Content-Type": "application/x-tar" },
        body: tar
      })
      assertStatus(response, 200, "import")
      const messages = yield* messagesOf(response)
      samples[name].set("POST /images/create?fromSrc=- stream", response.lines)
      assertNoStreamError(messages, "import")
      const id = messages.at(-1)?.status ?? ""
      assert.match(id, /^sha256:[0-9a-f]{64}$/, "the last status of an import is the new image id")
      trackImage(id)
      state.importedId = id

      const image = yield* inspect(id)
      assert.strictEqual(image.Id, id)
      assert.deepStrictEqual(image.Config?.Cmd, ["/bin/busybox", "sh"])
      assert.include(image.Config?.Env ?? [], "A=b")
      assert.strictEqual(image.Config?.Labels?.["dockhand.test"], RUN_ID)
      assert.strictEqual(image.Comment, `imported by ${RUN_ID}`)
      if (docker28) {
        // The containerd store counts content (manifest, config, the gzipped layer: busybox compresses to about
        // 1 MB) plus unpacked snapshots; an imported image is not unpacked until a container needs it.
        assert.isAbove(image.Size, 1_000_000, "busybox is in the image, compressed")
        assert.isBelow(image.Size, 1_900_000, "the imported image is not unpacked")
      } else assert.isAbove(image.Size, 1_900_000, "busybox is in the image")
      state.importedLayers = image.RootFS.Layers ?? []
      assert.lengthOf(messages, 1)
      if (name === "docker") {
        assert.deepStrictEqual(image.RepoTags, [`${repo}:imported`])
        assert.strictEqual(Http.header(response, "transfer-encoding"), "chunked")
      } else {
        podmanDiffers("POST /images/create?fromSrc=-")
        assert.deepStrictEqual(image.RepoTags, [named(`${repo}:latest`)])
        assert.strictEqual(messages[0]!.id, id)
        assert.strictEqual(messages[0]!.progress, "")
        assert.isUndefined(Http.header(response, "transfer-encoding"))
        assert.isString(Http.header(response, "content-length"))
      }
    }))

  // ------------------------------------------------------------------------------------------------------ build

  it.live("POST /build builds the Dockerfile; stream lines are Messages and the aux decodes as JsonMessage.BuildResult", () =>
    Effect.gen(function*() {
      const context = yield* Fx.buildContextTar(RUN_ID)
      const response = yield* stream({
        method: "POST",
        path: "/build",
        query: {
          ...(name === "docker" ? { version: "1" } : {}),
          t: [`${repo}:built`, `${repo}:built-2`],
          labels: JSON.stringify({ "dockhand.test": RUN_ID, "dockhand.kind": "built" }),
          buildargs: JSON.stringify({ GREETING: "hello" }),
          forcerm: true
        },
        headers: { "Content-Type": "application/x-tar" },
        body: context,
        idleTimeoutMs: 90_000
      })
      assertStatus(response, 200, "build")
      const messages = yield* messagesOf(response)
      samples[name].set("POST /build stream (last 4 lines)", response.lines.slice(-4))
      assertNoStreamError(messages, "build")
      const results = yield* Effect.forEach(
        messages.filter((m) => m.aux !== undefined),
        (m) => check("JsonMessage.BuildResult", JsonMessage.BuildResult, m.aux)
      )
      assert.lengthOf(results, 1, "one aux line names the built image")
      const id = results[0]!.ID
      assert.match(id, /^sha256:[0-9a-f]{64}$/)

      // The intermediate images of each step (` ---> abc` on Docker, `--> abc` on Podman) are ours too.
      const shortIds = messages.flatMap((m) => {
        const found = /^ ?-{2,3}> ([0-9a-f]{10,64})\s*$/.exec(m.stream ?? "")
        return found ? [found[1]!] : []
      })
      assert.isAbove(shortIds.length, 5, "the build reported its steps")
      const intermediates: Array<string> = []
      for (const short of shortIds) {
        const step = yield* call({ path: `/images/${short}/json` })
        if (step.status !== 200) continue
        const stepId = fullId((Http.json(step) as { Id: string }).Id)
        if (stepId !== id) intermediates.push(stepId)
        trackImage(stepId)
      }
      trackImage(id)
      state.builtId = id
      state.intermediateIds = intermediates

      const image = yield* inspect(`${repo}:built`)
      assert.strictEqual(image.Id, id)
      assert.includeMembers([...image.RepoTags], [named(`${repo}:built`), named(`${repo}:built-2`)])
      const config = image.Config!
      assert.deepStrictEqual(config.Entrypoint, ["/bin/busybox"])
      assert.deepStrictEqual(config.Cmd, ["sh"])
      assert.deepStrictEqual(config.ExposedPorts, { "8080/tcp": {} })
      assert.deepStrictEqual(config.Volumes, { "/data": {} })
      assert.strictEqual(config.WorkingDir, "/data")
      assert.include(config.Env ?? [], "GREETING=hello", "buildargs reached the ARG")
      assert.strictEqual(config.Labels?.["dockhand.test"], RUN_ID)
      assert.strictEqual(config.Labels?.["dockhand.stage"], "build")
      assert.strictEqual(config.Labels?.["dockhand.kind"], "built", "the labels query was applied")
      assert.lengthOf(image.RootFS.Layers ?? [], 3, "one layer per COPY")
      if (name === "docker") {
        assert.deepStrictEqual(config.Healthcheck, { Test: ["CMD", "/bin/busybox", "true"], Interval: 5_000_000_000 })
        assert.isTrue(messages.some((m) => m.stream?.startsWith("Successfully built ") ?? false))
        assert.isTrue(messages.some((m) => /^Step \d+\/\d+ : COPY /.test(m.stream ?? "")))
      } else {
        podmanDiffers("POST /build")
        assert.isUndefined(config.Healthcheck)
        assert.isString(config.Labels?.["io.buildah.version"])
        assert.isTrue(messages.some((m) => /^STEP \d+\/\d+: COPY /.test(m.stream ?? "")))
        assert.isTrue(messages.some((m) => m.stream?.startsWith("COMMIT ") ?? false))
        assert.isTrue(messages.some((m) => m.stream?.startsWith("Successfully built ") ?? false))
      }
    }))

  // -------------------------------------------------------------------------------------------------------- tag

  it.live("POST /images/{name}/tag answers 201 (no JSON body) and the new tag shows in the inspect", () =>
    Effect.gen(function*() {
      const importedId = needs(state.importedId, "the imported image")
      const response = yield* call({
        method: "POST",
        path: `/images/${importedId}/tag`,
        query: { repo, tag: "tagged" }
      })
      assertStatus(response, 201, "tag")
      if (name === "docker") assert.strictEqual(response.body.length, 0)
      else {
        podmanDiffers("POST /images/{name}/tag")
        assert.strictEqual(Http.text(response), "\n")
      }
      const image = yield* inspect(importedId)
      assert.include([...image.RepoTags], named(`${repo}:tagged`))
    }))

  // ------------------------------------------------------------------------------------------------------- list

  it.live("GET /images/json lists the run's images as Image.Summary[], all=1 adds the build steps", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      const importedId = needs(state.importedId, "the imported image")
      const plainResponse = yield* call({ path: "/images/json" })
      assertStatus(plainResponse, 200, "list")
      const plain = yield* check("Image.Summary[]", Schema.Array(Image.Summary), Http.json(plainResponse))
      const ids = plain.map((i) => fullId(i.Id))
      assert.includeMembers(ids, [builtId, importedId])
      const mine = (Http.json(plainResponse) as Array<{ Id: string }>).find((i) => fullId(i.Id) === builtId)
      samples[name].set("GET /images/json item (the built image)", mine)
      const built = plain.find((i) => fullId(i.Id) === builtId)!
      if (name === "docker") {
        assert.strictEqual(built.Containers, -1)
        assert.strictEqual(built.SharedSize, -1)
      } else {
        assert.strictEqual(built.Containers, 0)
        assert.strictEqual(built.SharedSize, 0)
      }

      const allResponse = yield* call({ path: "/images/json", query: { all: true } })
      assertStatus(allResponse, 200, "list all=1")
      const all = yield* check("Image.Summary[]", Schema.Array(Image.Summary), Http.json(allResponse))
      const allIds = all.map((i) => fullId(i.Id))
      assert.includeMembers(allIds, ids)
      const intermediates = needs(state.intermediateIds, "the build's intermediate images")
      assert.isTrue(intermediates.some((id) => allIds.includes(id)), "all=1 shows intermediate images")
      const shown = intermediates.filter((id) => ids.includes(id))
      if (name === "docker") assert.deepStrictEqual(shown, [], "the plain list hides intermediate images")
      else {
        // Only the one build image without children (libpod names it `<hash>-tmp`) shows, as a dangling image.
        podmanDiffers("GET /images/json")
        assert.isBelow(shown.length, intermediates.length)
        const wire = Http.json(plainResponse) as Array<{ Id: string; Dangling?: boolean; RepoTags: unknown }>
        for (const id of shown) {
          const item = wire.find((i) => fullId(i.Id) === id)
          assert.isTrue(item?.Dangling, `a build step in the plain list is dangling: ${compact(item)}`)
          assert.isNull(item?.RepoTags)
        }
      }
    }))

  it.live("GET /images/json?filters= selects by reference and by label in both the map-of-sets and map-of-arrays forms", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      const importedId = needs(state.importedId, "the imported image")
      const list = (filters: unknown) =>
        Effect.gen(function*() {
          const response = yield* call({ path: "/images/json", query: { filters: JSON.stringify(filters) } })
          assertStatus(response, 200, `list with filters ${JSON.stringify(filters)}`)
          return yield* check("Image.Summary[]", Schema.Array(Image.Summary), Http.json(response))
        })
      for (const filters of [{ reference: { [`${repo}:built`]: true } }, { reference: [`${repo}:built`] }]) {
        const found = yield* list(filters)
        assert.deepStrictEqual(found.map((i) => fullId(i.Id)), [builtId], JSON.stringify(filters))
        if (name === "docker") {
          // 20.10 narrows RepoTags to the tags that match the reference.
          assert.deepStrictEqual(found[0]!.RepoTags, [`${repo}:built`])
        } else {
          podmanDiffers("GET /images/json?filters={reference}")
          assert.includeMembers([...found[0]!.RepoTags ?? []], [named(`${repo}:built`), named(`${repo}:built-2`)])
        }
      }
      const bySets = yield* list({ label: { [RUN_LABEL]: true } })
      const byArrays = yield* list({ label: [RUN_LABEL] })
      assert.sameMembers(bySets.map((i) => i.Id), byArrays.map((i) => i.Id))
      assert.includeMembers(bySets.map((i) => fullId(i.Id)), [builtId, importedId])
      for (const image of bySets) assert.strictEqual(image.Labels?.["dockhand.test"], RUN_ID)
    }))

  it.live("GET /images/json with an unknown filter term fails with a Common.ErrorResponse", () =>
    Effect.gen(function*() {
      const response = yield* call({ path: "/images/json", query: { filters: JSON.stringify({ bogus: ["x"] }) } })
      samples[name].set("GET /images/json?filters={bogus}", { status: response.status, body: Http.json(response) })
      const error = yield* errorBody(response)
      if (name === "docker") {
        assertStatus(response, 400, "unknown filter")
        // 28.5 words it in lower case.
        assert.strictEqual(error.message, `${docker28 ? "i" : "I"}nvalid filter 'bogus'`)
      } else {
        podmanDiffers("GET /images/json?filters={bogus}")
        assertStatus(response, 500, "unknown filter")
        assert.include(error.message, "bogus")
      }
    }))

  // ---------------------------------------------------------------------------------------------------- inspect

  it.live("GET /images/{name}/json decodes as Image.InspectResponse; an unknown image is a 404 Common.ErrorResponse", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      const response = yield* call({ path: `/images/${repo}:built/json` })
      assertStatus(response, 200, "inspect")
      const image = yield* check("Image.InspectResponse", Image.InspectResponse, Http.json(response))
      const { Config, Metadata, Parent, Container } = Http.json(response) as Record<string, unknown>
      samples[name].set("GET /images/{name}/json (Parent, Container, Metadata, Config)", {
        Parent,
        Container,
        Metadata,
        Config
      })
      assert.strictEqual(image.Id, builtId)
      assert.strictEqual(image.Os, "linux")
      assert.strictEqual(image.RootFS.Type, "layers")
      if (name === "docker") {
        assert.notStrictEqual(image.Metadata.LastTagTime, "0001-01-01T00:00:00Z")
        assert.match(image.Parent ?? "", /^sha256:/)
      } else {
        podmanDiffers("GET /images/{name}/json")
        assert.strictEqual(image.Metadata.LastTagTime, "0001-01-01T00:00:00Z")
        assert.match(image.Parent ?? "", /^[0-9a-f]{64}$/)
      }

      const missing = yield* call({ path: `/images/${repo}:does-not-exist/json` })
      assertStatus(missing, 404, "inspect of a missing image")
      const error = yield* errorBody(missing)
      samples[name].set("GET /images/{name}/json 404", Http.json(missing))
      assert.include(error.message, `${repo}:does-not-exist`)
    }))

  // ---------------------------------------------------------------------------------------------------- history

  it.live("GET /images/{name}/history decodes as Image.HistoryResponseItem[], newest step first", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      const response = yield* call({ path: `/images/${repo}:built/history` })
      assertStatus(response, 200, "history")
      const history = yield* check(
        "Image.HistoryResponseItem[]",
        Schema.Array(Image.HistoryResponseItem),
        Http.json(response)
      )
      samples[name].set("GET /images/{name}/history (first and last)", [
        (Http.json(response) as Array<unknown>)[0],
        (Http.json(response) as Array<unknown>).at(-1)
      ])
      assert.isAtLeast(history.length, 12)
      assert.lengthOf(history.filter((h) => h.CreatedBy.includes("COPY")), 3)
      assert.isTrue(history.some((h) => h.Size >= 1_900_000), "one step added busybox")
      if (name === "docker") {
        assert.strictEqual(history[0]!.Id, builtId)
        assert.includeMembers([...history[0]!.Tags ?? []], [`${repo}:built`, `${repo}:built-2`])
      } else {
        podmanDiffers("GET /images/{name}/history")
        assert.isTrue(history.every((h) => h.Id === "<missing>" || /^[0-9a-f]{64}$/.test(h.Id)))
        assert.isTrue(history.every((h) => h.Tags === null))
        assert.match(history[0]!.Comment, /^FROM [0-9a-f]{12}$/)
      }
    }))

  // ---------------------------------------------------------------------------------------------- push and pull

  it.live("POST /images/{name}/push to the plain registry streams Messages; Docker ends with a JsonMessage.PushResult aux", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      const target = `${enginesEnv().registry}/${repo}`
      const tagged = yield* call({
        method: "POST",
        path: `/images/${builtId}/tag`,
        query: { repo: target, tag: "pushed" }
      })
      assertStatus(tagged, 201, "tag for the registry")
      const response = yield* stream({
        method: "POST",
        path: `/images/${target}/push`,
        query: { tag: "pushed" },
        headers: { "X-Registry-Auth": Fx.ANONYMOUS_AUTH }
      })
      assertStatus(response, 200, "push")
      const messages = yield* messagesOf(response)
      samples[name].set("POST /images/{name}/push stream (last 2 lines)", response.lines.slice(-2))
      assertNoStreamError(messages, "push")
      const done = messages.find((m) => /^pushed: digest: sha256:[0-9a-f]{64} size: \d+$/.test(m.status ?? ""))
      assert.isDefined(done, "the push reports the manifest digest")
      const digest = /sha256:[0-9a-f]{64}/.exec(done!.status!)![0]
      if (docker28) {
        // The containerd store's push sends no aux PushResult: the `<tag>: digest: … size: …` line is all.
        assert.isTrue(messages.every((m) => m.aux === undefined))
        assert.isTrue(messages.some((m) => m.status === "Pushed"), "per-layer progress is streamed")
      } else if (name === "docker") {
        const auxes = messages.filter((m) => m.aux !== undefined)
        assert.lengthOf(auxes, 1)
        const result = yield* check("JsonMessage.PushResult", JsonMessage.PushResult, auxes[0]!.aux)
        assert.strictEqual(result.Tag, "pushed")
        assert.strictEqual(result.Digest, digest)
        assert.isAbove(result.Size, 0)
        assert.isTrue(messages.some((m) => m.status === "Pushed"), "per-layer progress is streamed")
      } else {
        podmanDiffers("POST /images/{name}/push")
        assert.isTrue(messages.every((m) => m.aux === undefined))
        assert.lengthOf(messages, 2)
        assert.strictEqual(messages[0]!.status, `The push refers to repository [${target}:pushed]`)
      }
      state.pushDigest = digest
    }))

  it.live("DELETE of the registry tag, then POST /images/create?fromImage= pulls it back from the plain registry", () =>
    Effect.gen(function*() {
      needs(state.pushDigest, "the pushed image")
      const target = `${enginesEnv().registry}/${repo}`
      const removed = yield* call({ method: "DELETE", path: `/images/${target}:pushed` })
      assertStatus(removed, 200, "untag the registry reference")
      const deleted = yield* check("Image.DeleteResponse[]", Schema.Array(Image.DeleteResponse), Http.json(removed))
      assert.include(deleted.map((d) => d.Untagged), `${target}:pushed`)
      assert.isTrue(deleted.every((d) => d.Deleted === undefined), "the image itself is still tagged elsewhere")
      const gone = yield* call({ path: `/images/${target}:pushed/json` })
      assertStatus(gone, 404, "the registry reference is gone")

      const response = yield* stream({
        method: "POST",
        path: "/images/create",
        query: { fromImage: target, tag: "pushed" },
        headers: { "X-Registry-Auth": Fx.ANONYMOUS_AUTH }
      })
      assertStatus(response, 200, "pull")
      const messages = yield* messagesOf(response)
      samples[name].set("POST /images/create?fromImage= stream (last 2 lines)", response.lines.slice(-2))
      assertNoStreamError(messages, "pull")
      const image = yield* inspect(`${target}:pushed`)
      trackImage(image.Id)
      if (name === "docker") {
        assert.strictEqual(messages.at(-1)?.status, `Status: Downloaded newer image for ${target}:pushed`)
        assert.include([...image.RepoDigests], `${target}@${state.pushDigest}`)
      } else {
        podmanDiffers("POST /images/create?fromImage=")
        assert.isFalse(messages.some((m) => m.status?.startsWith("Status:") ?? false))
      }
    }))

  it.live("GET /distribution/{name}/json asks the plain registry and decodes as Registry.DistributionInspect", () =>
    Effect.gen(function*() {
      const digest = needs(state.pushDigest, "the pushed image")
      const target = `${enginesEnv().registry}/${repo}:pushed`
      const response = yield* call({
        path: `/distribution/${target}/json`,
        headers: { "X-Registry-Auth": Fx.ANONYMOUS_AUTH }
      })
      samples[name].set("GET /distribution/{name}/json", { status: response.status, body: Http.text(response) })
      if (name === "docker") {
        assertStatus(response, 200, "distribution inspect")
        const inspected = yield* check(
          "Registry.DistributionInspect",
          Registry.DistributionInspect,
          Http.json(response)
        )
        assert.strictEqual(inspected.Descriptor.digest, digest)
        // 28.5 reads no image config for a single-platform manifest: `Platforms: null`.
        if (docker28) assert.isNull(inspected.Platforms)
        else assert.deepStrictEqual(inspected.Platforms, [{ architecture: "amd64", os: "linux" }])
      } else {
        podmanDiffers("GET /distribution/{name}/json")
        assertStatus(response, 404, "distribution inspect")
        assert.strictEqual(Http.text(response).trim(), "Not Found")
        assert.match(Http.header(response, "content-type") ?? "", /^text\/plain/)
      }
    }))

  // ------------------------------------------------------------------------------------------------------- auth

  it.live("POST /auth accepts the TLS registry's credentials (Registry.AuthResponse) and rejects a wrong password", () =>
    Effect.gen(function*() {
      const { registryTls, registryUser, registryPassword } = enginesEnv()
      const body = (password: Redacted.Redacted<string>) =>
        Schema.encodeSync(Registry.AuthConfig)({ username: registryUser, password, serveraddress: registryTls })
      const ok = yield* call({ method: "POST", path: "/auth", json: body(registryPassword) })
      assertStatus(ok, 200, "login")
      const answer = yield* check("Registry.AuthResponse", Registry.AuthResponse, Http.json(ok))
      assert.strictEqual(answer.Status, "Login Succeeded")
      samples[name].set("POST /auth 200", Http.json(ok))

      const wrong = yield* call({ method: "POST", path: "/auth", json: body(Redacted.make(WRONG_PASSWORD)) })
      for (const secret of secrets) assert.notInclude(Http.text(wrong), secret, "the error must not echo a password")
      // Both engines answer 500 (not 401) at API 1.41: the registry's 401 only shows in the message.
      assertStatus(wrong, 500, "login with a wrong password")
      const error = yield* errorBody(wrong)
      if (docker28) {
        // 28.5 counts a loopback registry as insecure: after the 401 over TLS it tries plain HTTP, and reports that.
        assert.strictEqual(
          error.message,
          `login attempt to http://${registryTls}/v2/ failed with status: 400 Bad Request`
        )
      } else assert.include(error.message, "401 Unauthorized")
      samples[name].set("POST /auth with a wrong password", { status: wrong.status, body: Http.json(wrong) })
      if (name === "podman") podmanDiffers("POST /auth")
    }))

  it.live("push and pull through the TLS registry with X-Registry-Auth as padded base64url JSON", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      const { registryTls, registryUser, registryPassword } = enginesEnv()
      const auth = Fx.encodeRegistryAuth(
        Schema.encodeSync(Registry.AuthConfig)({
          username: registryUser,
          password: registryPassword,
          serveraddress: registryTls
        })
      )
      assert.notMatch(auth, /[+/]/, "URL alphabet")
      assert.strictEqual(auth.length % 4, 0, "padding kept")
      const target = `${registryTls}/${repo}`
      const tagged = yield* call({
        method: "POST",
        path: `/images/${builtId}/tag`,
        query: { repo: target, tag: "tls" }
      })
      assertStatus(tagged, 201, "tag")

      const pushed = yield* stream({
        method: "POST",
        path: `/images/${target}/push`,
        query: { tag: "tls" },
        headers: { "X-Registry-Auth": auth }
      })
      assertStatus(pushed, 200, "push to the TLS registry")
      const pushMessages = yield* messagesOf(pushed)
      assertNoStreamError(pushMessages, "push to the TLS registry")
      assert.isTrue(pushMessages.some((m) => m.status?.startsWith("tls: digest: sha256:") ?? false))
      if (docker28) assert.isTrue(pushMessages.every((m) => m.aux === undefined), "no PushResult on 28.5")
      else if (name === "docker") {
        const aux = pushMessages.find((m) => m.aux !== undefined)?.aux
        const result = yield* check("JsonMessage.PushResult", JsonMessage.PushResult, aux)
        assert.strictEqual(result.Tag, "tls")
      }

      assertStatus(yield* call({ method: "DELETE", path: `/images/${target}:tls` }), 200, "untag")
      const pulled = yield* stream({
        method: "POST",
        path: "/images/create",
        query: { fromImage: target, tag: "tls" },
        headers: { "X-Registry-Auth": auth }
      })
      assertStatus(pulled, 200, "pull from the TLS registry")
      const pullMessages = yield* messagesOf(pulled)
      assertNoStreamError(pullMessages, "pull from the TLS registry")
      const image = yield* inspect(`${target}:tls`)
      trackImage(image.Id)
      assert.include([...image.RepoTags], `${target}:tls`)
    }))

  // ----------------------------------------------------------------------------------------------------- search

  it.live("GET /images/search against the v2-only plain registry: Docker fails (ErrorResponse), Podman lists from the catalog", () =>
    Effect.gen(function*() {
      needs(state.pushDigest, "the pushed image")
      const term = `${enginesEnv().registry}/dockhand-test/${RUN_ID}`
      const response = yield* call({
        path: "/images/search",
        query: { term },
        headers: { "X-Registry-Auth": Fx.ANONYMOUS_AUTH }
      })
      samples[name].set("GET /images/search", { status: response.status, body: Http.json(response) })
      if (name === "docker") {
        assertStatus(response, 500, "search")
        const error = yield* errorBody(response)
        assert.strictEqual(error.message, "Unexpected status code 404")
      } else {
        podmanDiffers("GET /images/search")
        assertStatus(response, 200, "search")
        const decoded = Schema.decodeUnknownExit(Schema.Array(Registry.SearchResult))(Http.json(response))
        assert.isTrue(Exit.isFailure(decoded), "Podman's search items are not registry.SearchResult")
        const names = (Http.json(response) as Array<{ Name: string }>).map((r) => r.Name)
        assert.include(names, `${enginesEnv().registry}/${repo}`)
      }
    }))

  // ------------------------------------------------------------------------------------------------ save / load

  it.live("GET /images/{name}/get and GET /images/get?names=a&names=b return tars with a manifest.json", () =>
    Effect.gen(function*() {
      needs(state.builtId, "the built image")
      needs(state.importedId, "the tagged imported image")
      const manifestOf = (tar: Buffer) =>
        Effect.gen(function*() {
          const entries = yield* Fx.listTar(tar)
          const manifest = entries.find((e) => e.path === "manifest.json")
          assert.isDefined(manifest?.content, `manifest.json is in the tar (${entries.map((e) => e.path).join(", ")})`)
          return JSON.parse(manifest!.content!.toString("utf8")) as Array<SaveManifestItem>
        })
      const one = yield* call({ path: `/images/${repo}:built/get` })
      assertStatus(one, 200, "save one image")
      const oneManifest = yield* manifestOf(one.body)
      assert.lengthOf(oneManifest, 1)
      assert.include(oneManifest[0]!.RepoTags ?? [], named(`${repo}:built`))
      assert.lengthOf(oneManifest[0]!.Layers, 3)
      for (const layer of oneManifest[0]!.Layers) {
        // 28.5 saves an OCI layout (with a Docker manifest.json beside it): layers are its blobs.
        const pattern = docker28
          ? /^blobs\/sha256\/[0-9a-f]{64}$/
          : name === "docker"
          ? /^[0-9a-f]{64}\/layer\.tar$/
          : /^[0-9a-f]{64}\.tar$/
        assert.match(layer, pattern)
      }
      samples[name].set("GET /images/{name}/get content-type", Http.header(one, "content-type"))
      if (name === "docker") assert.strictEqual(Http.header(one, "content-type"), "application/x-tar")
      else {
        podmanDiffers("GET /images/{name}/get")
        assert.strictEqual(Http.header(one, "content-type"), "application/octet; charset=us-ascii")
      }

      const two = yield* call({ path: "/images/get", query: { names: [`${repo}:built`, `${repo}:tagged`] } })
      assertStatus(two, 200, "save two images")
      const twoManifest = yield* manifestOf(two.body)
      assert.lengthOf(twoManifest, 2)
      assert.sameMembers(
        twoManifest.flatMap((m) => m.RepoTags ?? []),
        [named(`${repo}:built`), named(`${repo}:tagged`)]
      )
      samples[name].set("GET /images/get manifest.json", twoManifest)
      state.savedTar = two.body
    }))

  it.live("POST /images/load?quiet=0 loads the saved tar and streams `Loaded image:` Messages", () =>
    Effect.gen(function*() {
      const tar = needs(state.savedTar, "the saved tar")
      const response = yield* stream({
        method: "POST",
        path: "/images/load",
        query: { quiet: false },
        headers: { "Content-Type": "application/x-tar" },
        body: tar
      })
      assertStatus(response, 200, "load")
      const messages = yield* messagesOf(response)
      samples[name].set("POST /images/load stream", response.lines)
      assertNoStreamError(messages, "load")
      const loaded = messages.flatMap((m) => m.stream?.startsWith("Loaded image: ") ? [m.stream] : [])
      if (name === "docker") {
        assert.sameMembers(loaded, [`Loaded image: ${repo}:built\n`, `Loaded image: ${repo}:tagged\n`])
      } else {
        podmanDiffers("POST /images/load")
        assert.isUndefined(Http.header(response, "transfer-encoding"))
        assert.lengthOf(response.lines, 1)
        assert.lengthOf(loaded, 1)
        assert.isFalse(loaded[0]!.endsWith("\n"))
        const names = loaded[0]!.slice("Loaded image: ".length).split(",")
        assert.sameMembers(names, [named(`${repo}:built`), named(`${repo}:tagged`)])
      }
    }))

  // ----------------------------------------------------------------------------------------------------- commit

  it.live("POST /commit makes an image (Common.IDResponse) from a never-started container, with changes and a Container.Config body", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      const created = yield* call({
        method: "POST",
        path: "/containers/create",
        query: { name: `dockhand-test-${RUN_ID}-${name}-commit` },
        json: {
          Image: builtId,
          Cmd: ["/bin/busybox", "true"],
          NetworkDisabled: true,
          HostConfig: { NetworkMode: "none" },
          Labels: { "dockhand.test": RUN_ID }
        }
      })
      assertStatus(created, 201, "container create")
      const containerId = (Http.json(created) as { Id: string }).Id
      createdContainers.push(containerId)
      state.containerId = containerId

      const config = Schema.encodeSync(Container.Config)({
        Labels: { "dockhand.test": RUN_ID, "dockhand.from-body": "yes" }
      })
      const response = yield* call({
        method: "POST",
        path: "/commit",
        query: {
          container: containerId,
          repo,
          tag: "committed",
          comment: `committed by ${RUN_ID}`,
          author: "dockhand tests",
          changes: ["ENV C=d", `CMD ["/bin/busybox","true"]`]
        },
        json: config
      })
      assertStatus(response, 201, "commit")
      const { Id } = yield* check("Common.IDResponse", Common.IDResponse, Http.json(response))
      samples[name].set("POST /commit", Http.json(response))
      trackImage(Id)
      state.committedId = fullId(Id)

      const image = yield* inspect(`${repo}:committed`)
      assert.strictEqual(image.Id, fullId(Id))
      assert.strictEqual(image.Comment, `committed by ${RUN_ID}`)
      assert.strictEqual(image.Author, "dockhand tests")
      assert.include(image.Config?.Env ?? [], "C=d")
      assert.deepStrictEqual(image.Config?.Cmd, ["/bin/busybox", "true"])
      assert.strictEqual(image.Config?.Labels?.["dockhand.test"], RUN_ID)
      if (name === "docker") {
        assert.match(Id, /^sha256:[0-9a-f]{64}$/)
        assert.strictEqual(image.Config?.Labels?.["dockhand.from-body"], "yes")
        assert.strictEqual(image.Parent, builtId)
      } else {
        podmanDiffers("POST /commit")
        assert.match(Id, /^[0-9a-f]{64}$/)
        assert.isUndefined(image.Config?.Labels?.["dockhand.from-body"])
      }
    }))

  // --------------------------------------------------------------------------------------------------------- df

  it.live("GET /system/df decodes as System.DiskUsage (the pre-1.52 shape) and lists the run's images", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      const response = yield* call({ path: "/system/df" })
      assertStatus(response, 200, "df")
      const usage = yield* check("System.DiskUsage", System.DiskUsage, Http.json(response))
      const wire = Http.json(response) as { Images: Array<{ Id: string }> }
      samples[name].set("GET /system/df (top-level keys, the built image)", {
        keys: Object.keys(wire),
        builtImage: wire.Images.find((i) => fullId(i.Id) === builtId)
      })
      assert.isUndefined(usage.ImageUsage, "API 1.41 has no ImageUsage")
      assert.include((usage.Images ?? []).map((i) => fullId(i.Id)), builtId)
      // 28.5 fills the old `BuilderSize` at API < 1.42 with the sum of the build cache records' sizes and leaves it
      // out when that is 0 (omitempty); the cache holds whatever BuildKit builds ran before on this engine.
      if (docker28) {
        const cacheSize = (usage.BuildCache ?? []).reduce((sum, record) => sum + (record.Size ?? 0), 0)
        if (cacheSize === 0) assert.isUndefined(usage.BuilderSize)
        else assert.strictEqual(usage.BuilderSize, cacheSize)
      } else assert.strictEqual(usage.BuilderSize, 0)
      if (name === "docker") {
        assert.isAbove(usage.LayersSize ?? 0, 0)
        // 28.5 sends a list (empty until a BuildKit build ran) where 20.10 sends null.
        if (docker28) assert.isArray(usage.BuildCache)
        else assert.isNull(usage.BuildCache)
      } else {
        podmanDiffers("GET /system/df")
        assert.strictEqual(usage.LayersSize, 0)
        assert.deepStrictEqual(usage.BuildCache, [])
        const built = usage.Images!.find((i) => fullId(i.Id) === builtId)!
        assert.notMatch(built.Id, /^sha256:/)
        assert.isAbove(built.RepoTags?.length ?? 0, 0)
        for (const tag of built.RepoTags ?? []) assert.notMatch(tag, /[/:]/, "Podman's df lists bare tags")
      }
    }))

  // ----------------------------------------------------------------------------------------------------- delete

  it.live("DELETE /images/{name}: 409 Common.ErrorResponse while a container uses it, then untag, noprune and force (Image.DeleteResponse[])", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      const importedId = needs(state.importedId, "the imported image")
      const committedId = needs(state.committedId, "the committed image")
      const del = (ref: string, query: Readonly<Record<string, Http.QueryValue>> = {}) =>
        call({ method: "DELETE", path: `/images/${ref}`, query })

      // A container of the committed image blocks its removal.
      const created = yield* call({
        method: "POST",
        path: "/containers/create",
        json: {
          Image: `${repo}:committed`,
          Cmd: ["/bin/busybox", "true"],
          NetworkDisabled: true,
          HostConfig: { NetworkMode: "none" },
          Labels: { "dockhand.test": RUN_ID }
        }
      })
      assertStatus(created, 201, "container create")
      const blocker = (Http.json(created) as { Id: string }).Id
      createdContainers.push(blocker)
      const conflict = yield* del(`${repo}:committed`)
      assertStatus(conflict, 409, "delete of an image in use")
      const conflictError = yield* errorBody(conflict)
      samples[name].set("DELETE /images/{name} 409", Http.json(conflict))
      assert.match(conflictError.message, /container/i)
      if (docker28) {
        assert.match(
          conflictError.message,
          new RegExp(
            `^conflict: unable to delete ${repo}:committed \\(must be forced\\) - container [0-9a-f]{12} is using its ` +
              "referenced image [0-9a-f]{12}$"
          )
        )
      } else if (name === "docker") {
        assert.match(conflictError.message, /^conflict: unable to remove repository reference /)
      } else assert.match(conflictError.message, /is in use: /)
      assertStatus(yield* call({ method: "DELETE", path: `/containers/${blocker}` }), 204, "container delete")

      // A second tag goes away on its own: only `Untagged`.
      const untag = yield* del(`${repo}:built-2`)
      assertStatus(untag, 200, "untag")
      const untagged = yield* check("Image.DeleteResponse[]", Schema.Array(Image.DeleteResponse), Http.json(untag))
      samples[name].set("DELETE /images/{name} (a second tag)", Http.json(untag))
      if (docker28) {
        // 28.5 also drops the `moby-dangling@<digest>` name the containerd store kept for the image (made when a
        // tag of it was removed earlier), and reports it.
        assert.deepStrictEqual(untagged[0], { Untagged: `${repo}:built-2` })
        for (const extra of untagged.slice(1)) assert.deepStrictEqual(extra, { Untagged: `moby-dangling@${builtId}` })
      } else assert.deepStrictEqual(untagged, [{ Untagged: named(`${repo}:built-2`) }])

      // The last tag with noprune=1: untagged and deleted, the parent stays.
      const noprune = yield* del(`${repo}:committed`, { noprune: true })
      assertStatus(noprune, 200, "delete with noprune")
      const noprunes = yield* check("Image.DeleteResponse[]", Schema.Array(Image.DeleteResponse), Http.json(noprune))
      samples[name].set("DELETE /images/{name}?noprune=1", Http.json(noprune))
      assert.include(noprunes.map((d) => d.Deleted && fullId(d.Deleted)), committedId)
      // Docker lists what it untagged first, Podman what it deleted.
      assert.isDefined(name === "docker" ? noprunes[0]!.Untagged : noprunes[0]!.Deleted)
      assertStatus(yield* call({ path: `/images/${builtId}/json` }), 200, "the parent is still there")

      // An image with several tags, by id with force=1: every tag untagged, then deleted.
      const force = yield* del(importedId, { force: true })
      assertStatus(force, 200, "delete with force")
      const forced = yield* check("Image.DeleteResponse[]", Schema.Array(Image.DeleteResponse), Http.json(force))
      samples[name].set("DELETE /images/{id}?force=1", Http.json(force))
      assert.include(forced.map((d) => d.Deleted && fullId(d.Deleted)), importedId)
      const importedLayers = needs(state.importedLayers, "the imported image's layers")
      const deletedIds = forced.flatMap((d) => (d.Deleted ? [d.Deleted] : []))
      if (docker28) {
        // The containerd store reports the image (its manifest digest) alone, no layers.
        assert.includeMembers(forced.map((d) => d.Untagged), [`${repo}:imported`, `${repo}:tagged`])
        assert.deepStrictEqual(deletedIds, [importedId])
      } else if (name === "docker") {
        assert.includeMembers(forced.map((d) => d.Untagged), [`${repo}:imported`, `${repo}:tagged`])
        // The layer the image alone used is reported too, under its chain id (= its diff id for a single layer).
        assert.includeMembers(deletedIds, Fx.layerChainIds(importedLayers))
      } else {
        podmanDiffers("DELETE /images/{name}")
        assert.includeMembers(forced.map((d) => d.Untagged), [named(`${repo}:latest`), named(`${repo}:tagged`)])
        assert.deepStrictEqual(deletedIds.map(fullId), [importedId])
        assert.notMatch(deletedIds[0]!, /^sha256:/)
      }
      assertStatus(yield* call({ path: `/images/${importedId}/json` }), 404, "the imported image is gone")

      // The commit container goes too, so that the prune below may take the built image.
      const containerId = needs(state.containerId, "the commit container")
      assertStatus(yield* call({ method: "DELETE", path: `/containers/${containerId}` }), 204, "container delete")
    }))

  // ------------------------------------------------------------------------------------------------------ prune

  it.live("POST /build/prune decodes as Build.CachePruneReport on Docker (classic builder); Podman has no such route", () =>
    Effect.gen(function*() {
      // Limited to a build-cache id that cannot exist, so nothing outside this run is touched.
      const response = yield* call({
        method: "POST",
        path: "/build/prune",
        query: { filters: JSON.stringify({ id: { [`dockhand-test-${RUN_ID}`]: true } }) }
      })
      samples[name].set("POST /build/prune", { status: response.status, body: Http.text(response) })
      if (name === "docker") {
        assertStatus(response, 200, "build prune")
        const report = yield* check("Build.CachePruneReport", Build.CachePruneReport, Http.json(response))
        assert.deepStrictEqual(report, { CachesDeleted: null, SpaceReclaimed: 0 })
      } else {
        podmanDiffers("POST /build/prune")
        assertStatus(response, 404, "build prune")
        assert.strictEqual(Http.text(response).trim(), "Not Found")
      }
    }))

  it.live("POST /images/prune filtered by the run label decodes as Image.PruneReport and deletes only this run's images", () =>
    Effect.gen(function*() {
      const builtId = needs(state.builtId, "the built image")
      // Two imports to the same name: the first becomes a dangling image of this run.
      const importOnce = Effect.gen(function*() {
        const response = yield* stream({
          method: "POST",
          path: "/images/create",
          query: { fromSrc: "-", repo: `${repo}-prune`, tag: "latest", changes: [`LABEL ${RUN_LABEL}`] },
          headers: { "Content-Type": "application/x-tar" },
          body: yield* Fx.rootfsTar(RUN_ID)
        })
        assertStatus(response, 200, "import")
        const id = (yield* messagesOf(response)).at(-1)?.status ?? ""
        assert.match(id, /^sha256:[0-9a-f]{64}$/)
        trackImage(id)
        return id
      })
      const dangling = yield* importOnce
      const current = yield* importOnce
      assert.notStrictEqual(dangling, current)

      // Before pruning: every dangling image that carries the run label is one this run made.
      const listed = yield* call({
        path: "/images/json",
        query: { filters: JSON.stringify({ label: [RUN_LABEL], dangling: ["true"] }) }
      })
      assertStatus(listed, 200, "list dangling")
      const danglingImages = yield* check("Image.Summary[]", Schema.Array(Image.Summary), Http.json(listed))
      const danglingIds = danglingImages.map((i) => fullId(i.Id))
      assert.include(danglingIds, dangling)
      const danglingItem = danglingImages.find((i) => fullId(i.Id) === dangling)!
      const danglingWire = (Http.json(listed) as Array<{ Id: string }>).find((i) => fullId(i.Id) === dangling)
      samples[name].set("GET /images/json?filters={dangling} item", danglingWire)
      if (name === "docker") {
        assert.deepStrictEqual(danglingItem.RepoTags, ["<none>:<none>"])
        assert.deepStrictEqual(danglingItem.RepoDigests, ["<none>@<none>"])
      } else {
        assert.isNull(danglingItem.RepoTags)
        assert.deepStrictEqual(danglingItem.RepoDigests, [])
      }
      for (const id of danglingIds) {
        assert.include(createdImages, id, "a dangling image with the run label that the run did not track")
      }

      // Docker also reports the layers it removed as `Deleted` (their chain ids): work those out for our images.
      const allowed = new Set(createdImages)
      for (const id of createdImages) {
        const found = yield* call({ path: `/images/${id}/json` })
        if (found.status !== 200) continue
        const layers = (Http.json(found) as { RootFS: { Layers?: Array<string> } }).RootFS.Layers ?? []
        for (const chainId of Fx.layerChainIds(layers)) allowed.add(chainId)
      }

      const prune = (filters: unknown) =>
        call({ method: "POST", path: "/images/prune", query: { filters: JSON.stringify(filters) } })
      // The label filter is honoured: a prune for a label nobody carries removes nothing.
      const nothing = yield* prune({ label: { [`${RUN_LABEL}-nobody`]: true } })
      assertStatus(nothing, 200, "prune of nothing")
      const empty = yield* check("Image.PruneReport", Image.PruneReport, Http.json(nothing))
      assert.deepStrictEqual(empty, { ImagesDeleted: name === "docker" ? null : [], SpaceReclaimed: 0 })
      const unusedFilter = { label: { [RUN_LABEL]: true }, dangling: { false: true } }
      let response = yield* prune(unusedFilter)
      if (name === "podman") {
        podmanDiffers("POST /images/prune")
        assertStatus(response, 500, "prune with dangling=false")
        const error = yield* errorBody(response)
        assert.include(error.message, "dangling")
        samples[name].set("POST /images/prune dangling=false", Http.json(response))
        response = yield* prune({ label: { [RUN_LABEL]: true } })
      }
      assertStatus(response, 200, "prune")
      const report = yield* check("Image.PruneReport", Image.PruneReport, Http.json(response))
      samples[name].set("POST /images/prune", Http.json(response))
      const deleted = (report.ImagesDeleted ?? []).flatMap((d) => (d.Deleted ? [fullId(d.Deleted)] : []))
      assert.include(deleted, dangling)
      for (const id of deleted) {
        assert.isTrue(allowed.has(id), `prune deleted ${id}, not an image or layer of this run: ${compact(report)}`)
      }
      assert.isAbove(report.SpaceReclaimed, 0)
      if (name === "docker") {
        // dangling=false takes every unused image of the run, the built one included.
        assert.include(deleted, builtId)
        assert.include(deleted, current)
      }
    }))
})

// ---------------------------------------------------------------------------------------------------------------
// The summary: what differs between the engines
// ---------------------------------------------------------------------------------------------------------------

describe("Docker and Podman side by side", () => {
  it("prints the real payloads that differ, the keys each model dropped and the PODMAN_DIFFERENCES table", () => {
    const lines: Array<string> = [`=== engine test run ${RUN_ID}: real payloads (docker | podman)`]
    const labels = new Set([...samples.docker.keys(), ...samples.podman.keys()])
    for (const label of labels) {
      const docker = compact(samples.docker.get(label))
      const podman = compact(samples.podman.get(label))
      if (docker === podman) continue
      lines.push(`--- ${label}`, `  docker: ${docker}`, `  podman: ${podman}`)
    }
    lines.push("=== wire keys the models dropped (outside API 1.54)")
    for (const engine of ["docker", "podman"] as const) {
      for (const [model, keys] of droppedSeen[engine]) {
        if (keys.size > 0) lines.push(`  ${engine} ${model}: ${[...keys].join(", ")}`)
      }
      for (const [model, keys] of Object.entries(OUTSIDE_API_1_54[allowKey(engine)])) {
        const unseen = keys.filter((k) => !droppedSeen[engine].get(model)?.has(k))
        if (unseen.length > 0) {
          lines.push(`  (listed for ${engine} ${model} but not seen this run: ${unseen.join(", ")})`)
        }
      }
    }
    lines.push("=== PODMAN_DIFFERENCES", "| endpoint | Docker 20.10 | Podman 4.3 |", "| --- | --- | --- |")
    for (const row of Object.values(PODMAN_DIFFERENCES) as Array<PodmanDifference>) {
      lines.push(`| ${row.endpoint} | ${row.docker} | ${row.podman} |`)
    }
    report(lines.join("\n"))
    const unobserved = (Object.keys(PODMAN_DIFFERENCES) as Array<DifferenceKey>).filter((k) => !differencesSeen.has(k))
    assert.deepStrictEqual(unobserved, [], "every documented Podman difference was asserted by a test of this run")
  })
})
