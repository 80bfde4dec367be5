/**
 * Shared fixtures of the client conformance suite (`*.engine.test.ts` next to this file): which runtime runs and
 * which runtime entry of `@dockhand/client` goes with it, the engines `scripts/engines/start.sh` started (read from
 * `env.sh`, failing, never skipping, when they are missing), a run id that names and labels everything a run
 * creates, tar streams built on the fly (busybox from Debian's busybox-static), a sweeper that removes what a run
 * made, and process probes (open file descriptors, resident memory).
 *
 * Everything here goes through the public client API (the runtime entries, `Images`, `SystemApi`, `DockerEngine`).
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { Tar } from "effect/encoding"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import * as BunEntry from "../../src/bun.ts"
import * as DenoEntry from "../../src/deno.ts"
import * as DockerEngine from "../../src/DockerEngine.ts"
import type * as DockerError from "../../src/DockerError.ts"
import * as DockerHost from "../../src/DockerHost.ts"
import * as Images from "../../src/Images.ts"
import * as NodeEntry from "../../src/node.ts"

// ---------------------------------------------------------------------------------------------------------------
// Runtime
// ---------------------------------------------------------------------------------------------------------------

const runtimeGlobals = globalThis as { readonly Bun?: unknown; readonly Deno?: unknown }

/** The runtime this process really is: `bun`, `deno`, or `node<major>` (as `DOCKHAND_EXPECT_RUNTIME` names it). */
export const runtimeName: string = runtimeGlobals.Bun !== undefined
  ? "bun"
  : runtimeGlobals.Deno !== undefined
  ? "deno"
  : `node${process.versions.node.split(".")[0]}`

/** Which runtime entry of the package this runtime uses: `@dockhand/client/bun`, `/deno` or `/node`. */
export const entryName: "bun" | "deno" | "node" = runtimeGlobals.Bun !== undefined
  ? "bun"
  : runtimeGlobals.Deno !== undefined
  ? "deno"
  : "node"

/** The runtime entry itself (`layer`, `layerWith`, `layerFromOptions`, `transport`). */
export const Runtime: typeof NodeEntry = entryName === "bun" ? BunEntry : entryName === "deno" ? DenoEntry : NodeEntry

// ---------------------------------------------------------------------------------------------------------------
// Engines
// ---------------------------------------------------------------------------------------------------------------

/** Which Docker Engine `DOCKHAND_DOCKER_SOCK` is: 20.10 (graphdriver store) or 28.5 (containerd image store). */
export type EngineKind = "docker20" | "docker28"

/**
 * `DOCKHAND_ENGINE` (`docker20`, the default when unset, or `docker28`; scripts/test-all.sh sets it in each pass);
 * anything else throws. The version tests check it against the engine's own answer, so a wrong value fails them.
 */
export const engineKind = (): EngineKind => {
  const value = process.env["DOCKHAND_ENGINE"] ?? "docker20"
  if (value !== "docker20" && value !== "docker28") {
    throw new Error(`DOCKHAND_ENGINE must be docker20 or docker28, not ${JSON.stringify(value)}`)
  }
  return value
}

/** The API version the Docker Engine of this run speaks (and the client negotiates): 1.41 or 1.51. */
export const engineApiVersion = (): "1.41" | "1.51" => (engineKind() === "docker28" ? "1.51" : "1.41")

/** What `scripts/engines/start.sh` writes to `env.sh`. */
export interface Engines {
  readonly dockerSock: string
  readonly podmanSock: string
  /** The plain registry, `127.0.0.1:5000`. */
  readonly registry: string
  /** The TLS registry with htpasswd auth, `127.0.0.1:5443`. */
  readonly registryTls: string
  readonly registryUser: string
  readonly registryPasswordFile: string
  readonly registryPassword: Redacted.Redacted<string>
  readonly registryCa: string
  /** dockerd's TLS socket, `tcp://127.0.0.1:2376` (`--tlsverify`). */
  readonly dockerTlsHost: string
  /** `ca.pem`, `cert.pem`, `key.pem` of a client certificate dockerd accepts. */
  readonly dockerCertPath: string
  /** A CA that signed none of the engines' certificates. */
  readonly wrongCa: string
}

const REQUIRED = [
  "DOCKHAND_DOCKER_SOCK",
  "DOCKHAND_PODMAN_SOCK",
  "DOCKHAND_REGISTRY",
  "DOCKHAND_REGISTRY_TLS",
  "DOCKHAND_REGISTRY_USER",
  "DOCKHAND_REGISTRY_PASSWORD_FILE",
  "DOCKHAND_REGISTRY_CA",
  "DOCKHAND_DOCKER_TLS_HOST",
  "DOCKHAND_DOCKER_CERT_PATH",
  "DOCKHAND_WRONG_CA"
] as const

/** The engines are missing: every test that needs them fails with this (they never skip). */
export class EnginesMissing extends Error {}

/** Reads `env.sh`'s variables; throws {@link EnginesMissing} with what to do when one is missing. */
export const readEngines = (): Engines => {
  const env = process.env
  const missing = REQUIRED.filter((name) => (env[name] ?? "") === "")
  if (missing.length > 0) {
    throw new EnginesMissing(
      `The client conformance tests need the private engines, but ${missing.join(", ")} ` +
        `${missing.length === 1 ? "is" : "are"} not set. Start them with \`bash scripts/engines/start.sh\` and ` +
        "`source /tmp/dockhand-engines/env.sh` (scripts/test-all.sh does both)."
    )
  }
  const get = (name: (typeof REQUIRED)[number]) => env[name] as string
  const passwordFile = get("DOCKHAND_REGISTRY_PASSWORD_FILE")
  let password: string
  try {
    password = fs.readFileSync(passwordFile, "utf8").trim()
  } catch (cause) {
    throw new EnginesMissing(`cannot read DOCKHAND_REGISTRY_PASSWORD_FILE=${passwordFile}: ${String(cause)}`)
  }
  for (const name of ["DOCKHAND_DOCKER_SOCK", "DOCKHAND_PODMAN_SOCK"] as const) {
    if (!fs.existsSync(get(name))) {
      throw new EnginesMissing(`${name}=${get(name)} does not exist: start the engines with scripts/engines/start.sh`)
    }
  }
  return {
    dockerSock: get("DOCKHAND_DOCKER_SOCK"),
    podmanSock: get("DOCKHAND_PODMAN_SOCK"),
    registry: get("DOCKHAND_REGISTRY"),
    registryTls: get("DOCKHAND_REGISTRY_TLS"),
    registryUser: get("DOCKHAND_REGISTRY_USER"),
    registryPasswordFile: passwordFile,
    registryPassword: Redacted.make(password),
    registryCa: get("DOCKHAND_REGISTRY_CA"),
    dockerTlsHost: get("DOCKHAND_DOCKER_TLS_HOST"),
    dockerCertPath: get("DOCKHAND_DOCKER_CERT_PATH"),
    wrongCa: get("DOCKHAND_WRONG_CA")
  }
}

/** {@link readEngines} as an Effect: a missing engine is a defect that fails the test. */
export const engines: Effect.Effect<Engines> = Effect.sync(readEngines)

/** The client's services for the private Docker Engine's unix socket, through this runtime's entry. */
export const dockerLayer = Layer.unwrap(
  Effect.map(engines, (e) => Runtime.layerFromOptions({ endpoint: new DockerHost.Unix({ path: e.dockerSock }) }))
)

/** The client's services for Podman's unix socket, through this runtime's entry. */
export const podmanLayer = Layer.unwrap(
  Effect.map(engines, (e) => Runtime.layerFromOptions({ endpoint: new DockerHost.Unix({ path: e.podmanSock }) }))
)

// ---------------------------------------------------------------------------------------------------------------
// Run ids, names, labels
// ---------------------------------------------------------------------------------------------------------------

/** A layer that removes the run's images from Podman when the test file ends (errors ignored). */
export const podmanCleanupLayer = (runId: string) =>
  Layer.effectDiscard(
    Effect.addFinalizer(() =>
      Effect.gen(function*() {
        const images = yield* Images.Images
        for (const image of yield* images.list({ filters: { label: [runLabel(runId)] } })) {
          yield* images.remove(image.Id, { force: true })
        }
      }).pipe(Effect.provide(podmanLayer), Effect.ignore)
    )
  )

/** A fresh id for this run (per test file): lower-case, as it goes into repository names. */
export const makeRunId = (): string => `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`

/** The label key every image and container of the suite carries, with the run id as its value. */
export const LABEL_KEY = "dockhand.test"

/** `dockhand.test=<run id>`, as a label filter and a Dockerfile `LABEL`. */
export const runLabel = (runId: string): string => `${LABEL_KEY}=${runId}`

// ---------------------------------------------------------------------------------------------------------------
// Tar streams
// ---------------------------------------------------------------------------------------------------------------

/** Where `scripts/engines/install.sh` puts Debian's static busybox. */
export const BUSYBOX_PATH = "/bin/busybox"

const busybox = (): Uint8Array => fs.readFileSync(BUSYBOX_PATH)

/** A tar written on the fly from entries, as the byte stream the client's uploads take (a tar failure is a defect). */
export const tarStream = (
  entries: ReadonlyArray<Tar.Entry<never, never>>
): Stream.Stream<Uint8Array, DockerError.DockerError> =>
  Stream.fromIterable(entries).pipe(Stream.pipeThroughChannel(Tar.encode()), Stream.orDie)

/** A root file system to import: busybox, a shell link and a file naming the run. */
export const rootfsEntries = (runId: string): ReadonlyArray<Tar.Entry> => [
  Tar.directory("bin"),
  Tar.file("bin/busybox", busybox(), { mode: 0o755 }),
  Tar.symlink("bin/sh", "busybox"),
  Tar.directory("etc"),
  Tar.file("etc/dockhand-run", `${runId}\n`)
]

/** A build context: the Dockerfile, busybox, and extra files. */
export const buildContext = (
  dockerfile: string,
  files: Readonly<Record<string, string>> = {}
): Stream.Stream<Uint8Array, DockerError.DockerError> =>
  tarStream([
    Tar.file("Dockerfile", dockerfile),
    Tar.file("busybox", busybox(), { mode: 0o755 }),
    ...Object.entries(files).map(([path, text]) => Tar.file(path, text))
  ])

/** Collects a byte stream into one buffer (small streams only). */
export const collectBytes = <E, R>(stream: Stream.Stream<Uint8Array, E, R>) =>
  Stream.runCollect(stream).pipe(Effect.map((chunks) => Buffer.concat(chunks)))

/** Lists the paths of a tar held in memory, reading `manifest.json` when there is one. */
export const readSavedTar = (bytes: Uint8Array) =>
  Stream.make(bytes).pipe(
    Stream.pipeThroughChannel(Tar.decode()),
    Stream.mapEffect((entry) =>
      entry.header.path === "manifest.json"
        ? Stream.runCollect(entry.body).pipe(
          Effect.map((chunks) => ({ path: entry.header.path, text: Buffer.concat(chunks).toString("utf8") }))
        )
        : Stream.runDrain(entry.body).pipe(
          Effect.as({ path: entry.header.path, text: undefined as string | undefined })
        )
    ),
    Stream.runCollect,
    Effect.map((entries) => {
      const manifest = entries.find((e) => e.text !== undefined)?.text
      return {
        paths: entries.map((e) => e.path),
        manifest: manifest === undefined
          ? []
          : JSON.parse(manifest) as Array<{ readonly Config: string; readonly RepoTags: Array<string> | null }>
      }
    }),
    Effect.orDie
  )

// ---------------------------------------------------------------------------------------------------------------
// Raw container calls (the client has no container service; these go through the engine's own connection)
// ---------------------------------------------------------------------------------------------------------------

/** `POST /containers/create` through `DockerEngine.execute`: a never-started container, no network. */
export const createContainer = (image: string, name: string, runId: string) =>
  Effect.gen(function*() {
    const engine = yield* DockerEngine.DockerEngine
    const request = HttpClientRequest.post("/containers/create").pipe(
      HttpClientRequest.setUrlParam("name", name),
      HttpClientRequest.bodyJsonUnsafe({
        Image: image,
        Cmd: ["/bin/busybox", "true"],
        NetworkDisabled: true,
        HostConfig: { NetworkMode: "none" },
        Labels: { [LABEL_KEY]: runId }
      })
    )
    const response = yield* engine.execute({ operation: "ContainerCreate" }, request)
    const body = (yield* Effect.orDie(response.json)) as { readonly Id: string }
    return body.Id
  })

/** `DELETE /containers/{id}?force=1&v=1` through `DockerEngine.execute`; a missing container is fine. */
export const removeContainer = (id: string) =>
  Effect.gen(function*() {
    const engine = yield* DockerEngine.DockerEngine
    const request = HttpClientRequest.delete(`/containers/${id}`).pipe(
      HttpClientRequest.setUrlParams({ force: "1", v: "1" })
    )
    yield* engine.execute({ operation: "ContainerDelete" }, request).pipe(
      Effect.catchReason("DockerError", "NotFound", () => Effect.void)
    )
  })

// ---------------------------------------------------------------------------------------------------------------
// Cleanup
// ---------------------------------------------------------------------------------------------------------------

/** What a test file created, removed by {@link sweeperLayer} when the file's layer closes (on failure too). */
export interface SweeperService {
  /** Remembers an image (name or id) to remove, children before parents (reverse order of tracking). */
  readonly image: (ref: string) => Effect.Effect<void>
  /** Remembers a container to remove first. */
  readonly container: (id: string) => Effect.Effect<void>
  /** Removes every tracked container and image, then every image labelled with the run; returns what is left. */
  readonly sweep: Effect.Effect<ReadonlyArray<string>>
}

export class Sweeper extends Context.Service<Sweeper, SweeperService>()("dockhand/conformance/Sweeper") {}

/** A sweeper for `runId`: tracked things and images labelled `dockhand.test=<runId>`, never anything else. */
export const sweeperLayer = (runId: string, what: string) =>
  Layer.effect(
    Sweeper,
    Effect.gen(function*() {
      const images = yield* Images.Images
      const engineContext = yield* Effect.context<DockerEngine.DockerEngine>()
      const trackedImages: Array<string> = []
      const trackedContainers: Array<string> = []
      const labelled = images.list({ all: true, filters: { label: [runLabel(runId)] } }).pipe(
        Effect.map((list) => list.map((image) => image.Id)),
        Effect.orElseSucceed((): ReadonlyArray<string> => [])
      )
      const sweep = Effect.gen(function*() {
        for (const id of [...trackedContainers].reverse()) {
          yield* removeContainer(id).pipe(Effect.provide(engineContext), Effect.ignore)
        }
        trackedContainers.length = 0
        let pending = [...new Set([...trackedImages].reverse())]
        for (let pass = 0; pass < 6; pass++) {
          pending = [...new Set([...pending, ...(yield* labelled)])]
          if (pending.length === 0) break
          const next: Array<string> = []
          for (const ref of pending) {
            yield* images.remove(ref, { force: true }).pipe(
              Effect.catchReason("DockerError", "NotFound", () => Effect.succeed([])),
              Effect.catch(() => Effect.sync(() => void next.push(ref)))
            )
          }
          pending = next
        }
        trackedImages.length = 0
        return [...new Set([...pending, ...(yield* labelled)])]
      })
      yield* Effect.addFinalizer(() =>
        sweep.pipe(
          Effect.flatMap((left) =>
            Effect.sync(() => {
              if (left.length > 0) console.error(`[${what}] cleanup could not remove: ${left.join(", ")}`)
            })
          )
        )
      )
      return Sweeper.of({
        image: (ref) => Effect.sync(() => void trackedImages.push(ref)),
        container: (id) => Effect.sync(() => void trackedContainers.push(id)),
        sweep
      })
    })
  )

// ---------------------------------------------------------------------------------------------------------------
// Process probes
// ---------------------------------------------------------------------------------------------------------------

/** How many file descriptors this process has open (Linux `/proc/self/fd`). */
export const openFds = (): number => fs.readdirSync("/proc/self/fd").length

/** What the open descriptors point at (sockets, pipes, files), for messages. */
export const describeFds = (): string => {
  const kinds = new Map<string, number>()
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    let target: string
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`)
    } catch {
      continue
    }
    const kind = target.replace(/\[\d+\]$/, "[]").replace(/^\/(?!dev|proc).*/, "file")
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
  }
  return [...kinds].map(([kind, n]) => `${kind}×${n}`).join(", ")
}

/**
 * Waits (polling every 50 ms, at most `timeoutMs`) until at most `limit` descriptors are open; returns the last
 * count, which the caller asserts (so a leak fails with the numbers, not a timeout).
 */
export const settledFds = (limit: number, timeoutMs = 5_000): Effect.Effect<number> =>
  Effect.gen(function*() {
    const deadline = performance.now() + timeoutMs
    let count = openFds()
    while (count > limit && performance.now() < deadline) {
      yield* Effect.sleep("50 millis")
      count = openFds()
    }
    return count
  })

/**
 * The number of open descriptors once it stops changing: polled every 25 ms until three readings agree (at most
 * `timeoutMs`), for a baseline taken while sockets of an earlier client may still be closing.
 */
export const stableFds = (timeoutMs = 1_000): Effect.Effect<number> =>
  Effect.gen(function*() {
    const deadline = performance.now() + timeoutMs
    const readings = [openFds()]
    while (
      performance.now() < deadline && !(readings.length >= 3 && readings.slice(-3).every((n) => n === readings.at(-1)))
    ) {
      yield* Effect.sleep("25 millis")
      readings.push(openFds())
    }
    return readings.at(-1)!
  })

/** Resident memory of the process, in bytes. */
export const rss = (): number => process.memoryUsage().rss

/** A resident-memory sampler: starts now, samples every `everyMs`, and reports the baseline and the peak. */
export const rssSampler = (everyMs = 50) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const state = { baseline: rss(), peak: rss(), samples: 0 }
      const timer = setInterval(() => {
        const now = rss()
        state.samples++
        if (now > state.peak) state.peak = now
      }, everyMs)
      return { state, timer }
    }),
    ({ timer }) => Effect.sync(() => clearInterval(timer))
  ).pipe(
    Effect.map(({ state }) => ({
      /** Samples once more and returns the growth over the baseline so far. */
      read: Effect.sync(() => {
        const now = rss()
        if (now > state.peak) state.peak = now
        return {
          baseline: state.baseline,
          peak: state.peak,
          growth: state.peak - state.baseline,
          samples: state.samples
        }
      })
    }))
  )

export const MiB = 1024 * 1024

/** Bytes as MiB with one decimal, for messages. */
export const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`

// ---------------------------------------------------------------------------------------------------------------
// Temporary directories
// ---------------------------------------------------------------------------------------------------------------

/** A temporary directory (mode 0700), removed with the scope. */
export const tempDir = (prefix: string) =>
  Effect.acquireRelease(
    Effect.sync(() => fs.mkdtempSync(nodePath.join(os.tmpdir(), `dockhand-conformance-${prefix}-`))),
    (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
  )

/**
 * Runs `self` with `process.env` changed by `vars` (`undefined` removes a variable), restoring it afterwards. The
 * runtime entries' `layer` / `layerWith` snapshot `process.env` when they are built, so building one inside gives
 * it this environment, as a user's shell would.
 */
export const withProcessEnv =
  (vars: Readonly<Record<string, string | undefined>>) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const saved: Record<string, string | undefined> = {}
        for (const [name, value] of Object.entries(vars)) {
          saved[name] = process.env[name]
          if (value === undefined) delete process.env[name]
          else process.env[name] = value
        }
        return saved
      }),
      () => self,
      (saved) =>
        Effect.sync(() => {
          for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[name]
            else process.env[name] = value
          }
        })
    )

/** Every DOCKER_* variable unset, so the host's own settings never leak into a test's layer. */
export const CLEAN_DOCKER_ENV: Readonly<Record<string, undefined>> = {
  DOCKER_HOST: undefined,
  DOCKER_CONTEXT: undefined,
  DOCKER_TLS_VERIFY: undefined,
  DOCKER_TLS: undefined,
  DOCKER_CERT_PATH: undefined,
  DOCKER_CONFIG: undefined,
  DOCKER_API_VERSION: undefined,
  DOCKER_AUTH_CONFIG: undefined
}
