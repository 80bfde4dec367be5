/**
 * The images the Engine 28.5 tests (`*.engine28.test.ts`) need, made by the test setup on Docker Engine 28.5 with
 * the containerd image store (`DOCKHAND_DOCKER28_SOCK`), with the docker CLI 28.5 and its buildx plugin from the same
 * packages. Nothing here is a committed binary: images are built from Debian's static busybox (`/bin/busybox`), and
 * the tars that need a shape no tool writes (a legacy config without history, one without `created`, a pure OCI
 * layout) are written here, in memory, with effect's `Tar`.
 *
 * Building is idempotent: every fixture has a fixed name under `dockhand-fx28/` and the label
 * `dockhand.fixture28=<fixture>`, and {@link ensureFixtures} makes only those that are missing, so a second run (or
 * a run on another runtime: Node, Bun or Deno) reuses them. The fixtures are shared and read-only: a test that
 * tags, removes or prunes works on its own copies (`Conformance.runLabel` labels, removed by the sweeper).
 *
 * The docker CLI runs through `node:child_process` `spawnSync` with a private `DOCKER_CONFIG` (its
 * `cliPluginsExtraDirs` points at `DOCKHAND_DOCKER28_CLI_PLUGINS`) and `DOCKER_HOST` set to the 28.5 socket, so the
 * user's own docker settings never play a part. Only loopback traffic: the registry is `DOCKHAND_REGISTRY`.
 */
import { BuildkitTrace } from "@dockhand/codecs"
import type { JsonMessage } from "@dockhand/models"
import * as Effect from "effect/Effect"
import { Tar } from "effect/encoding"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import * as DockerHost from "../../src/DockerHost.ts"
import * as Images from "../../src/Images.ts"
import * as TempDirs from "../utils/TempDirs.ts"
import { BUSYBOX_PATH, EnginesMissing, Runtime } from "./Conformance.ts"

// ---------------------------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------------------------

/** What `scripts/engines/start.sh` exports for Engine 28.5, and the loopback registry. */
export interface Engine28 {
  /** The unix socket of dockerd 28.5 (containerd image store). */
  readonly sock: string
  /** The docker CLI 28.5. */
  readonly cli: string
  /** The directory holding `docker-buildx`. */
  readonly cliPlugins: string
  /** The plain loopback registry, `127.0.0.1:<port>`. */
  readonly registry: string
}

const REQUIRED = [
  "DOCKHAND_DOCKER28_SOCK",
  "DOCKHAND_DOCKER28_CLI",
  "DOCKHAND_DOCKER28_CLI_PLUGINS",
  "DOCKHAND_REGISTRY"
] as const

/** Reads the Engine 28.5 variables; throws (the tests fail, never skip) naming what is missing and what to do. */
export const readEngine28 = (): Engine28 => {
  const env = process.env
  const missing = REQUIRED.filter((name) => (env[name] ?? "") === "")
  if (missing.length > 0) {
    throw new Error(
      `The Engine 28.5 tests need the private engines, but ${missing.join(", ")} ` +
        `${missing.length === 1 ? "is" : "are"} not set. Start them with \`bash scripts/engines/start.sh\` and ` +
        "`source $DOCKHAND_ENGINES_DIR/env.sh` (scripts/test-all.sh does both)."
    )
  }
  const sock = env.DOCKHAND_DOCKER28_SOCK!
  if (!fs.existsSync(sock)) {
    throw new Error(`DOCKHAND_DOCKER28_SOCK=${sock} does not exist: start the engines with scripts/engines/start.sh`)
  }
  return {
    sock,
    cli: env.DOCKHAND_DOCKER28_CLI!,
    cliPlugins: env.DOCKHAND_DOCKER28_CLI_PLUGINS!,
    registry: env.DOCKHAND_REGISTRY!
  }
}

/**
 * The client's services for Engine 28.5 through this runtime's entry, at a fixed API version (`1.51`, the engine's
 * own, unless asked for an older one to see the shapes it sends there).
 */
export const layer28 = (engine: Engine28, apiVersion = "1.51") =>
  Runtime.layerFromOptions({ endpoint: new DockerHost.Unix({ path: engine.sock }), apiVersion })

/**
 * The unix socket of dockerd 28.5 alone, for the tests that need nothing else (the BuildKit session builds); throws
 * {@link EnginesMissing} (the tests fail, never skip) when it is not set or not there.
 */
export const socket28 = (): string => {
  const sock = process.env["DOCKHAND_DOCKER28_SOCK"] ?? ""
  if (sock === "" || !fs.existsSync(sock)) {
    throw new EnginesMissing(
      "The Engine 28.5 tests need DOCKHAND_DOCKER28_SOCK (a running dockerd 28.5): start the engines with " +
        "`bash scripts/engines/start.sh` and `source $DOCKHAND_ENGINES_DIR/env.sh`."
    )
  }
  return sock
}

/**
 * The client's services for Engine 28.5 ({@link socket28}) through this runtime's entry, the API version negotiated
 * as a user's client negotiates it.
 */
export const negotiatedLayer28 = () => Runtime.layerFromOptions({ endpoint: new DockerHost.Unix({ path: socket28() }) })

// ---------------------------------------------------------------------------------------------------------------
// BuildKit builds through a session
// ---------------------------------------------------------------------------------------------------------------

/** The start of a Dockerfile whose image has busybox as `/bin/sh` (from a context made by {@link busyboxContext}). */
export const BUSYBOX_BASE = "FROM scratch\nCOPY busybox /bin/sh\n"

/**
 * A build context in a new temp dir (named `prefix…`): busybox as `busybox`, `dockerfile` as `Dockerfile`, and
 * `files` (by path in the context, parent directories made).
 */
export const busyboxContext = (
  prefix: string,
  dockerfile: string,
  files: Readonly<Record<string, string>> = {}
): string => {
  const dir = TempDirs.make(prefix)
  fs.copyFileSync(BUSYBOX_PATH, nodePath.join(dir, "busybox"))
  fs.writeFileSync(nodePath.join(dir, "Dockerfile"), dockerfile)
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(nodePath.dirname(nodePath.join(dir, name)), { recursive: true })
    fs.writeFileSync(nodePath.join(dir, name), content)
  }
  return dir
}

/**
 * A BuildKit build of `session` (its context directory, secrets, agents) with `RUN` steps without network and
 * without cache, plus `options`; every message the build streams, collected.
 */
export const sessionBuild = (
  session: NonNullable<Images.BuildOptions["session"]>,
  options: Omit<Images.BuildOptions, "session"> = {}
) =>
  Effect.gen(function*() {
    const images = yield* Images.Images
    return yield* Stream.runCollect(
      images.build(Stream.empty, { version: "2", networkMode: "none", noCache: true, ...options, session }).messages
    )
  })

/** What the trace of a build's messages shows: its steps' names (each once, in order) and all output text. */
export const traceOutput = (messages: ReadonlyArray<JsonMessage.Message>) => {
  const lines: Array<string> = []
  const names: Array<string> = []
  for (const message of messages) {
    const read = BuildkitTrace.fromMessage(message)
    if (Result.isFailure(read) || Option.isNone(read.success)) continue
    for (const vertex of read.success.value.vertexes) names.push(vertex.name)
    for (const log of read.success.value.logs) lines.push(new TextDecoder().decode(log.data))
  }
  return { text: lines.join(""), names: [...new Set(names)] }
}

// ---------------------------------------------------------------------------------------------------------------
// The docker CLI 28.5
// ---------------------------------------------------------------------------------------------------------------

let configDir: string | undefined

/** A private `DOCKER_CONFIG` whose `cliPluginsExtraDirs` finds buildx; made once per process. */
const dockerConfig = (engine: Engine28): string => {
  if (configDir === undefined) {
    configDir = TempDirs.make("dockhand-fx28-config-")
    fs.writeFileSync(
      nodePath.join(configDir, "config.json"),
      JSON.stringify({ cliPluginsExtraDirs: [engine.cliPlugins] })
    )
  }
  return configDir
}

/** What one CLI run printed. */
export interface CliResult {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the docker CLI 28.5 against Engine 28.5 and waits for it (bytes on stdin when given). */
export const docker28 = (
  engine: Engine28,
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly input?: Uint8Array } = {}
): CliResult => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("DOCKER_") && !name.startsWith("BUILDX_")) env[name] = value
  }
  env.DOCKER_HOST = `unix://${engine.sock}`
  env.DOCKER_CONFIG = dockerConfig(engine)
  const result = spawnSync(engine.cli, [...args], {
    cwd: options.cwd,
    env,
    input: options.input,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000
  })
  if (result.error !== undefined) throw new Error(`docker ${args.join(" ")}: ${result.error.message}`)
  return { status: result.status ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
}

/** {@link docker28}, throwing with the CLI's output when it fails. */
export const docker28Ok = (
  engine: Engine28,
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly input?: Uint8Array } = {}
): string => {
  const result = docker28(engine, args, options)
  if (result.status !== 0) {
    throw new Error(`docker ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`)
  }
  return result.stdout
}

/** Whether an image (name or id) exists on Engine 28.5. */
export const imageExists = (engine: Engine28, ref: string): boolean =>
  docker28(engine, ["image", "inspect", "--format", "{{.Id}}", ref]).status === 0

// ---------------------------------------------------------------------------------------------------------------
// Tars written in memory
// ---------------------------------------------------------------------------------------------------------------

/** A tar of `entries`, in memory (deterministic: every mtime is the epoch). */
export const tarBytes = (entries: ReadonlyArray<Tar.Entry<never, never>>): Effect.Effect<Uint8Array> =>
  Stream.fromIterable(entries).pipe(
    Stream.pipeThroughChannel(Tar.encode()),
    Stream.runCollect,
    Effect.map((chunks) => new Uint8Array(Buffer.concat(chunks))),
    Effect.orDie
  )

const sha256 = (bytes: Uint8Array | string): string => createHash("sha256").update(bytes).digest("hex")

/** One small layer: a file naming the fixture, so every crafted image has its own diff id. */
const markerLayer = (name: string) => tarBytes([Tar.directory("etc"), Tar.file("etc/dockhand-fixture", `${name}\n`)])

/** The label every fixture carries, with the fixture's name as its value. */
export const FIXTURE_LABEL = "dockhand.fixture28"

/**
 * A legacy `docker save` tar (`manifest.json`, `<hex>.json` config, `<hex>/layer.tar`), for the configs no builder
 * writes. `shape` says what the config lacks: `history` (the engine answers `null` to `/history`), `created`
 * (inspect has no `Created`, the list says 0). `repoTags` may be empty: the image then loads dangling.
 */
export const legacyTar = (
  name: string,
  shape: "no-history" | "no-created",
  repoTags: ReadonlyArray<string>,
  labels: Readonly<Record<string, string>> = {}
): Effect.Effect<Uint8Array> =>
  Effect.gen(function*() {
    const layer = yield* markerLayer(name)
    const diffId = `sha256:${sha256(layer)}`
    const config: Record<string, unknown> = {
      architecture: "amd64",
      os: "linux",
      config: { Cmd: ["/bin/sh"], Labels: { [FIXTURE_LABEL]: name, ...labels } },
      rootfs: { type: "layers", diff_ids: [diffId] }
    }
    if (shape === "no-history") config.created = "2024-01-02T03:04:05Z"
    else config.history = [{ created_by: "dockhand fixture: a config without created", comment: name }]
    const configText = JSON.stringify(config)
    const configName = `${sha256(configText)}.json`
    const layerDir = sha256(layer)
    const manifest = [{
      Config: configName,
      RepoTags: repoTags.length === 0 ? null : repoTags,
      Layers: [`${layerDir}/layer.tar`]
    }]
    return yield* tarBytes([
      Tar.file(configName, configText),
      Tar.directory(layerDir),
      Tar.file(`${layerDir}/layer.tar`, layer),
      Tar.file("manifest.json", JSON.stringify(manifest))
    ])
  })

/**
 * A pure OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/…`, no `manifest.json`), as `buildx --output
 * type=oci` or skopeo write it: one linux/amd64 manifest, named by the `io.containerd.image.name` annotation.
 */
export const ociLayoutTar = (name: string, reference: string): Effect.Effect<Uint8Array> =>
  Effect.gen(function*() {
    const layer = yield* markerLayer(name)
    const config = JSON.stringify({
      architecture: "amd64",
      os: "linux",
      created: "2024-01-02T03:04:05Z",
      config: { Cmd: ["/bin/sh"], Labels: { [FIXTURE_LABEL]: name } },
      rootfs: { type: "layers", diff_ids: [`sha256:${sha256(layer)}`] },
      history: [{ created: "2024-01-02T03:04:05Z", created_by: "dockhand fixture: an OCI layout", comment: name }]
    })
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: `sha256:${sha256(config)}`,
        size: config.length
      },
      layers: [{
        mediaType: "application/vnd.oci.image.layer.v1.tar",
        digest: `sha256:${sha256(layer)}`,
        size: layer.byteLength
      }]
    })
    const tag = reference.slice(reference.lastIndexOf(":") + 1)
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [{
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: `sha256:${sha256(manifest)}`,
        size: manifest.length,
        annotations: { "io.containerd.image.name": reference, "org.opencontainers.image.ref.name": tag },
        platform: { architecture: "amd64", os: "linux" }
      }]
    })
    return yield* tarBytes([
      Tar.file("oci-layout", JSON.stringify({ imageLayoutVersion: "1.0.0" })),
      Tar.file("index.json", index),
      Tar.directory("blobs"),
      Tar.directory("blobs/sha256"),
      Tar.file(`blobs/sha256/${sha256(config)}`, config),
      Tar.file(`blobs/sha256/${sha256(manifest)}`, manifest),
      Tar.file(`blobs/sha256/${sha256(layer)}`, layer)
    ])
  })

/** A root file system to import: busybox and its shell link. */
export const rootfsTar = (name: string): Effect.Effect<Uint8Array> =>
  tarBytes([
    Tar.directory("bin"),
    Tar.file("bin/busybox", fs.readFileSync(BUSYBOX_PATH), { mode: 0o755 }),
    Tar.symlink("bin/sh", "busybox"),
    Tar.directory("etc"),
    Tar.file("etc/dockhand-fixture", `${name}\n`)
  ])

// ---------------------------------------------------------------------------------------------------------------
// The fixtures
// ---------------------------------------------------------------------------------------------------------------

/** The repository every fixture lives in. */
export const FIXTURE_REPO = "dockhand-fx28"

/** The two platforms of the multi-platform fixtures. */
export const AMD64 = { os: "linux", architecture: "amd64" } as const
export const ARM64 = { os: "linux", architecture: "arm64" } as const

/** The fixtures, by what each one is for. */
export interface Fixtures28 {
  readonly engine: Engine28
  /**
   * `dockhand-fx28/multi:1`: a multi-platform image index (linux/amd64 + linux/arm64) with one attestation manifest
   * per platform (buildx's default provenance), `FROM scratch` + `COPY` busybox. For `Manifests` in list and
   * inspect (`ImageData`, `AttestationData`, `Kind`), `platform` on inspect/history/save, `Descriptor`.
   */
  readonly multi: string
  /**
   * `<registry>/dockhand-fx28/partial:1`: another two-platform index, pushed to the loopback registry, removed and
   * pulled back with `--platform linux/arm64` alone: its amd64 manifest is in the index but "not available"
   * (`Available: false`). Also the reference for `distributionInspect` of an index.
   */
  readonly partial: string
  /** `dockhand-fx28/oci:1`: loaded from a pure OCI-layout tar (no `manifest.json`), see {@link ociLayoutTar}. */
  readonly oci: string
  /** `dockhand-fx28/legacy:no-history`: a legacy tar whose config has no `history` (`/history` answers `null`). */
  readonly noHistory: string
  /** `dockhand-fx28/legacy:no-created`: a legacy tar whose config has no `created` (inspect has no `Created`). */
  readonly noCreated: string
  /** The id of a dangling image (a legacy tar loaded without `RepoTags`), labelled `dockhand.fixture28=dangling`. */
  readonly dangling: string
  /** `dockhand-fx28/imported:1`: `docker import` of a busybox root file system with `--change` and a message. */
  readonly imported: string
  /** `dockhand-fx28/committed:1`: `docker commit` of a (never started) container of the multi image. */
  readonly committed: string
}

const buildContext = (name: string, label: string, busybox: boolean): string => {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), `dockhand-fx28-${name}-`))
  if (busybox) fs.copyFileSync(BUSYBOX_PATH, nodePath.join(dir, "busybox"))
  fs.writeFileSync(nodePath.join(dir, "marker"), `${name}\n`)
  for (const arch of ["amd64", "arm64"]) fs.writeFileSync(nodePath.join(dir, `platform-${arch}`), `${name} ${arch}\n`)
  fs.writeFileSync(
    nodePath.join(dir, "Dockerfile"),
    [
      "FROM scratch",
      "ARG TARGETARCH",
      ...(busybox ? ["COPY busybox /bin/busybox", "COPY marker /etc/dockhand-fixture"] : []),
      // A layer of each platform's own, so that one platform's content can be present while the other's is not.
      "COPY platform-${TARGETARCH} /etc/dockhand-platform",
      `LABEL ${label}`,
      `CMD ["/bin/busybox", "sh"]`,
      ""
    ].join("\n")
  )
  return dir
}

/**
 * buildx: a two-platform index (linux/amd64 + linux/arm64) with attestations, loaded into the engine's image store,
 * `FROM scratch` + `COPY` busybox + a marker file holding `name` (so no two indexes share all their blobs), a file of
 * each platform's own (so the platforms do not share all their layers) and `label` (`key=value`, by default the
 * fixture label). No `RUN` step: nothing is emulated. Tests use it for indexes of their own.
 *
 * `busybox: false` leaves busybox and the marker out, so that no layer is shared with any other image nor between the
 * two platforms: removing a platform (`DELETE /images/{name}?platforms=…&force=1`) deletes that platform's blobs
 * from every image that references them.
 */
export const buildIndex = (
  engine: Engine28,
  name: string,
  reference: string,
  label = `${FIXTURE_LABEL}=${name}`,
  busybox = true
) => {
  const dir = buildContext(name, label, busybox)
  try {
    docker28Ok(engine, [
      "buildx",
      "build",
      "--builder",
      "default",
      "--platform",
      "linux/amd64,linux/arm64",
      "--provenance",
      "mode=min",
      // BuildKit's cache can name blobs the store no longer has (a forced platform removal deletes them from every
      // image): a cached build would then export an image whose layers are missing.
      "--no-cache",
      "--tag",
      reference,
      "--load",
      "."
    ], { cwd: dir })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Whether a fixture is there and whole: each image manifest's `Available` as `expected` says (all available unless
 * given, by architecture). A fixture whose content went missing (a platform removal with force deletes shared blobs
 * from every image) is removed, so that it is made again.
 */
const whole = (
  engine: Engine28,
  ref: string,
  expected: Readonly<Record<string, boolean>> = {}
): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    const images = yield* Images.Images
    const found = yield* images.list({
      manifests: true,
      filters: ref.startsWith("sha256:") ? {} : { reference: [ref] }
    })
    const image = found.find((summary) => ref.startsWith("sha256:") ? summary.Id === ref : true)
    if (image === undefined) return false
    const ok = (image.Manifests ?? []).every((m) =>
      m.Kind !== "image" || m.Available === (expected[m.ImageData?.Platform.architecture ?? ""] ?? true)
    )
    if (!ok) docker28Ok(engine, ["image", "rm", "--force", ref])
    return ok
  }).pipe(Effect.provide(layer28(engine)), Effect.orDie)

/** The id of the dangling fixture, if it exists. */
const findDangling = (engine: Engine28): string | undefined =>
  docker28Ok(engine, [
    "image",
    "ls",
    "--no-trunc",
    "--quiet",
    "--filter",
    "dangling=true",
    "--filter",
    `label=${FIXTURE_LABEL}=dangling`
  ]).split("\n").map((line) => line.trim()).find((line) => line !== "")

/**
 * Makes every missing fixture on Engine 28.5 and returns their names. Idempotent: a fixture that exists is kept.
 * Fails (a defect: the test fails) with the CLI's output when the engine or the CLI refuses.
 */
export const ensureFixtures = (engine: Engine28 = readEngine28()): Effect.Effect<Fixtures28> =>
  Effect.gen(function*() {
    const multi = `${FIXTURE_REPO}/multi:1`
    if (!(yield* whole(engine, multi))) buildIndex(engine, "multi", multi)

    const partial = `${engine.registry}/${FIXTURE_REPO}/partial:1`
    if (!(yield* whole(engine, partial, { amd64: false, arm64: true }))) {
      // A distinct index (its own marker), so that none of its blobs is in the store through `multi`.
      const source = `${FIXTURE_REPO}/partial-source:1`
      buildIndex(engine, "partial", source)
      docker28Ok(engine, ["image", "tag", source, partial])
      docker28Ok(engine, ["image", "push", "--quiet", partial])
      docker28Ok(engine, ["image", "rm", source, partial])
      docker28Ok(engine, ["image", "pull", "--quiet", "--platform", "linux/arm64", partial])
    }

    const oci = `${FIXTURE_REPO}/oci:1`
    if (!(yield* whole(engine, oci))) {
      docker28Ok(engine, ["image", "load", "--quiet"], { input: yield* ociLayoutTar("oci", `docker.io/${oci}`) })
    }

    const noHistory = `${FIXTURE_REPO}/legacy:no-history`
    if (!(yield* whole(engine, noHistory))) {
      docker28Ok(engine, ["image", "load", "--quiet"], {
        input: yield* legacyTar("no-history", "no-history", [noHistory])
      })
    }
    const noCreated = `${FIXTURE_REPO}/legacy:no-created`
    if (!(yield* whole(engine, noCreated))) {
      docker28Ok(engine, ["image", "load", "--quiet"], {
        input: yield* legacyTar("no-created", "no-created", [noCreated])
      })
    }

    let dangling = findDangling(engine)
    if (dangling !== undefined && !(yield* whole(engine, dangling))) dangling = undefined
    if (dangling === undefined) {
      docker28Ok(engine, ["image", "load", "--quiet"], { input: yield* legacyTar("dangling", "no-created", []) })
      dangling = findDangling(engine)
      if (dangling === undefined) {
        throw new Error("the dangling fixture was loaded but `image ls -f dangling=true` misses it")
      }
    }

    const imported = `${FIXTURE_REPO}/imported:1`
    if (!(yield* whole(engine, imported))) {
      docker28Ok(engine, [
        "image",
        "import",
        "--change",
        `LABEL ${FIXTURE_LABEL}=imported`,
        "--change",
        "CMD [\"/bin/sh\"]",
        "--message",
        "dockhand fixture: imported",
        "-",
        imported
      ], { input: yield* rootfsTar("imported") })
    }

    const committed = `${FIXTURE_REPO}/committed:1`
    if (!(yield* whole(engine, committed))) {
      const container = `dockhand-fx28-commit-${process.pid}`
      docker28Ok(engine, ["container", "create", "--network", "none", "--name", container, multi])
      try {
        docker28Ok(engine, [
          "container",
          "commit",
          "--change",
          `LABEL ${FIXTURE_LABEL}=committed`,
          "--message",
          "dockhand fixture: committed",
          container,
          committed
        ])
      } finally {
        docker28(engine, ["container", "rm", "--force", container])
      }
    }

    return { engine, multi, partial, oci, noHistory, noCreated, dangling, imported, committed }
  })
