/**
 * What the engine tests build for themselves: the connection details from `env.sh`, a run id that names and labels
 * everything a run creates, tar archives made in memory (a busybox root file system, a build context), a reader
 * for the tars `GET /images/get` returns, and the `X-Registry-Auth` encoding.
 */
import * as Effect from "effect/Effect"
import { Tar } from "effect/encoding"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { createHash, randomBytes } from "node:crypto"
import { readFileSync } from "node:fs"

/** The variables `scripts/engines/start.sh` writes to `env.sh`. */
export interface EnginesEnv {
  readonly dockerSock: string
  readonly podmanSock: string
  /** The plain registry, `127.0.0.1:5000`. */
  readonly registry: string
  /** The TLS registry with htpasswd auth, `127.0.0.1:5443`. */
  readonly registryTls: string
  readonly registryUser: string
  readonly registryPassword: Redacted.Redacted<string>
}

const REQUIRED = [
  "DOCKHAND_DOCKER_SOCK",
  "DOCKHAND_PODMAN_SOCK",
  "DOCKHAND_REGISTRY",
  "DOCKHAND_REGISTRY_TLS",
  "DOCKHAND_REGISTRY_USER",
  "DOCKHAND_REGISTRY_PASSWORD_FILE"
] as const

/**
 * Reads the engine variables, throwing (so the tests fail, never skip) with what to do when one is missing.
 */
export const readEnginesEnv = (env: NodeJS.ProcessEnv = process.env): EnginesEnv => {
  const missing = REQUIRED.filter((name) => (env[name] ?? "") === "")
  if (missing.length > 0) {
    throw new Error(
      `The engine tests need real engines, but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set. ` +
        "Start them with `bash scripts/engines/install.sh && bash scripts/engines/start.sh` and " +
        "`source /tmp/dockhand-engines/env.sh` (scripts/test-all.sh does both)."
    )
  }
  const get = (name: (typeof REQUIRED)[number]) => env[name] as string
  let password: string
  try {
    password = readFileSync(get("DOCKHAND_REGISTRY_PASSWORD_FILE"), "utf8").trim()
  } catch (cause) {
    const file = get("DOCKHAND_REGISTRY_PASSWORD_FILE")
    throw new Error(`cannot read the TLS registry password from DOCKHAND_REGISTRY_PASSWORD_FILE=${file}: ${cause}`)
  }
  return {
    dockerSock: get("DOCKHAND_DOCKER_SOCK"),
    podmanSock: get("DOCKHAND_PODMAN_SOCK"),
    registry: get("DOCKHAND_REGISTRY"),
    registryTls: get("DOCKHAND_REGISTRY_TLS"),
    registryUser: get("DOCKHAND_REGISTRY_USER"),
    registryPassword: Redacted.make(password)
  }
}

/** Which Docker Engine `DOCKHAND_DOCKER_SOCK` is: 20.10 (graphdriver store) or 28.5 (containerd image store). */
export type EngineKind = "docker20" | "docker28"

/**
 * `DOCKHAND_ENGINE` (`docker20`, the default when unset, or `docker28`; scripts/test-all.sh sets it in each pass).
 * Anything else throws. The tests check it against the engine's own version, so a wrong value fails them.
 */
export const engineKind = (env: NodeJS.ProcessEnv = process.env): EngineKind => {
  const value = env["DOCKHAND_ENGINE"] ?? "docker20"
  if (value !== "docker20" && value !== "docker28") {
    throw new Error(`DOCKHAND_ENGINE must be docker20 or docker28, not ${JSON.stringify(value)}`)
  }
  return value
}

/** A fresh id for this run: lower-case (it goes into repository names) and unique enough across runs. */
export const makeRunId = (): string => `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`

/**
 * `X-Registry-Auth` for a JSON value: standard base64 with `+` → `-` and `/` → `_`, keeping the `=` padding
 * (base64url *with* padding, which the daemon's strict decoder needs; Node's `base64url` drops the padding).
 */
export const encodeRegistryAuth = (config: unknown): string =>
  Buffer.from(JSON.stringify(config), "utf8").toString("base64").replace(/\+/g, "-").replace(/\//g, "_")

/** The anonymous `X-Registry-Auth`, the encoded `{}`. */
export const ANONYMOUS_AUTH = "e30="

/** Where install.sh puts Debian's static busybox. */
export const BUSYBOX_PATH = "/bin/busybox"

const busyboxBytes = (): Uint8Array => readFileSync(BUSYBOX_PATH)

/** Writes entries into an in-memory tar with `effect/encoding` Tar. */
export const makeTar = (entries: ReadonlyArray<Tar.Entry>): Effect.Effect<Buffer, Tar.TarError> =>
  Stream.fromIterable(entries).pipe(
    Stream.pipeThroughChannel(Tar.encode()),
    Stream.runCollect,
    Effect.map((chunks) => Buffer.concat(chunks))
  )

/** A root file system for `POST /images/create?fromSrc=-`: busybox, a shell link and two small files. */
export const rootfsTar = (runId: string): Effect.Effect<Buffer, Tar.TarError> =>
  makeTar([
    Tar.directory("bin"),
    Tar.file("bin/busybox", busyboxBytes(), { mode: 0o755 }),
    Tar.symlink("bin/sh", "busybox"),
    Tar.directory("etc"),
    Tar.file("etc/dockhand-run", `${runId}\n`),
    Tar.file("hello.txt", "hello from dockhand\n")
  ])

/** The Dockerfile of the build test: several `COPY` layers and every metadata instruction the models cover. */
export const dockerfile = (runId: string): string =>
  [
    "FROM scratch",
    `LABEL dockhand.test=${runId}`,
    "ARG GREETING=none",
    "COPY busybox /bin/busybox",
    "COPY files/a.txt /data/a.txt",
    "COPY files/b.txt /data/b.txt",
    "LABEL dockhand.stage=build",
    "ENV GREETING=$GREETING PATH=/bin",
    `HEALTHCHECK --interval=5s CMD ["/bin/busybox","true"]`,
    `ENTRYPOINT ["/bin/busybox"]`,
    `CMD ["sh"]`,
    "EXPOSE 8080/tcp",
    "VOLUME /data",
    "WORKDIR /data",
    ""
  ].join("\n")

/** The build context: the Dockerfile, busybox and two files. */
export const buildContextTar = (runId: string): Effect.Effect<Buffer, Tar.TarError> =>
  makeTar([
    Tar.file("Dockerfile", dockerfile(runId)),
    Tar.file("busybox", busyboxBytes(), { mode: 0o755 }),
    Tar.directory("files"),
    Tar.file("files/a.txt", "one\n"),
    Tar.file("files/b.txt", "two\n")
  ])

/** One entry of a tar read back: its header, and its content when it is a small regular file. */
export interface TarListing {
  readonly path: string
  readonly type: Tar.EntryType
  readonly size: number
  readonly content: Buffer | undefined
}

/** Lists a tar (reading the content of regular files up to `maxContent` bytes, skipping bigger ones). */
export const listTar = (
  bytes: Uint8Array,
  maxContent = 64 * 1024
): Effect.Effect<ReadonlyArray<TarListing>, Tar.TarError> =>
  Stream.make(bytes).pipe(
    Stream.pipeThroughChannel(Tar.decode()),
    Stream.mapEffect((entry): Effect.Effect<TarListing, Tar.TarError> => {
      const { path, type, size } = entry.header
      if (type !== "File" || size > maxContent) return Effect.succeed({ path, type, size, content: undefined })
      return Stream.runCollect(entry.body).pipe(
        Effect.map((chunks): TarListing => ({ path, type, size, content: Buffer.concat(chunks) }))
      )
    }),
    Stream.runCollect
  )

/**
 * The chain ids of an image's layers (`RootFS.Layers`, diff ids, bottom first): the first is its diff id, each next
 * one `sha256(<previous chain id> + " " + <diff id>)`. Docker reports removed layers under these ids.
 */
export const layerChainIds = (diffIds: ReadonlyArray<string>): Array<string> => {
  const out: Array<string> = []
  for (const diffId of diffIds) {
    const previous = out.at(-1)
    const next = previous === undefined ? diffId : createHash("sha256").update(`${previous} ${diffId}`).digest("hex")
    out.push(previous === undefined ? next : `sha256:${next}`)
  }
  return out
}
