/**
 * The benchmarks' own access to the private engine, through plain `node:http` on its unix socket: fixtures are made
 * and removed with it, so that no code under test takes part in the setup. Every image a benchmark makes carries the
 * label `dockhand.bench=1` and a per-run label `dockhand.bench.run=<id>`, and only those are ever removed.
 */
import { createHash } from "node:crypto"
import * as http from "node:http"
import type { Readable } from "node:stream"
import * as Tar from "./tar.ts"

/** The private engine's socket, from `scripts/engines/start.sh`'s env.sh. */
export const socketPath = (): string => {
  const socket = process.env["DOCKHAND_DOCKER_SOCK"]
  if (!socket) {
    throw new Error(
      "DOCKHAND_DOCKER_SOCK is not set: run `bash scripts/engines/start.sh && source /tmp/dockhand-engines/env.sh`"
    )
  }
  return socket
}

/** The API version every raw request names (Engine 20.10's). */
export const API = "/v1.41"

export interface Answer {
  readonly status: number
  readonly body: Buffer
}

/** One request over the socket, the whole answer in memory. */
export const request = (
  method: string,
  path: string,
  options: {
    readonly body?: Buffer | Readable
    readonly headers?: Record<string, string | number>
    readonly agent?: http.Agent
  } = {}
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = http.request({
      socketPath: socketPath(),
      method,
      path: API + path,
      headers: { host: "docker", ...options.headers },
      ...(options.agent ? { agent: options.agent } : {})
    }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
      res.on("error", reject)
    })
    req.on("error", reject)
    const body = options.body
    if (body === undefined) req.end()
    else if (Buffer.isBuffer(body)) req.end(body)
    else body.pipe(req)
  })

/**
 * The baseline the list benchmarks measure the client against: one GET with plain `node:http` on a unix socket, the
 * body joined, as any Node program would write it by hand; fails on an answer other than 200.
 */
export const rawGet = (
  path: string,
  options: { readonly socket?: string; readonly agent?: http.Agent | undefined; readonly api?: string } = {}
): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    http.get({
      socketPath: options.socket ?? socketPath(),
      path: (options.api ?? API) + path,
      agent: options.agent,
      headers: { host: "docker" }
    }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on(
        "end",
        () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}`)))
      )
      res.on("error", reject)
    }).on("error", reject)
  })

/** The answer, or an error naming `what` when its status is not 2xx. */
export const ok = (answer: Answer, what: string): Answer => {
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(`${what}: HTTP ${answer.status}: ${answer.body.toString().slice(0, 500)}`)
  }
  return answer
}

/** Checks a progress stream (JSON lines) for an in-band error; gives the messages. */
const progressMessages = (answer: Answer, what: string): Array<Record<string, unknown>> => {
  ok(answer, what)
  const messages = answer.body.toString().split("\n").filter((l) => l.trim() !== "").map((l) =>
    JSON.parse(l) as Record<string, unknown>
  )
  const failed = messages.find((m) => m["errorDetail"] !== undefined || m["error"] !== undefined)
  if (failed) throw new Error(`${what}: ${JSON.stringify(failed)}`)
  return messages
}

/** A fresh id for this run's image names and labels. */
export const runId = (): string => `${Date.now().toString(36)}${process.pid.toString(36)}`

export const goArch = (): string =>
  ({ x64: "amd64", arm64: "arm64", arm: "arm", ppc64: "ppc64le", s390x: "s390x" } as Record<string, string>)[
    process.arch
  ] ?? process.arch

export interface Fixture {
  readonly run: string
  /** The references made (`repo:tag`), to remove at the end. */
  readonly refs: ReadonlyArray<string>
  /** How long making them took, in milliseconds. */
  readonly setupMs: number
}

/**
 * `count` distinct images (distinct configs, so distinct ids) sharing one tiny layer, made with ONE `docker load`
 * of a tar written in memory: a `manifest.json` with `count` entries, `count` config files and one layer. The daemon
 * registers the layer once and writes `count` small configs, so 2,000 images take seconds, not minutes. They are
 * spread over repositories of `perRepo` tags each, as real hosts hold them.
 */
export const makeManyImages = async (
  count: number,
  options: { readonly perRepo?: number; readonly kind?: string } = {}
): Promise<Fixture> => {
  const started = performance.now()
  const run = runId()
  const perRepo = options.perRepo ?? 20
  const layer = Tar.small([["bench.txt", Buffer.from("dockhand bench fixture\n")]])
  const diffId = `sha256:${createHash("sha256").update(layer).digest("hex")}`
  const files: Array<readonly [string, Buffer]> = [["layer/layer.tar", layer]]
  const manifest: Array<{ Config: string; RepoTags: Array<string>; Layers: Array<string> }> = []
  const refs: Array<string> = []
  const base = Date.UTC(2026, 0, 1) / 1000
  for (let i = 0; i < count; i++) {
    const created = new Date((base + i * 60) * 1000).toISOString()
    const config = Buffer.from(JSON.stringify({
      architecture: goArch(),
      os: "linux",
      created,
      config: {
        Cmd: ["/bench.txt"],
        Labels: {
          "dockhand.bench": "1",
          "dockhand.bench.run": run,
          "dockhand.bench.kind": options.kind ?? "many",
          "dockhand.bench.n": String(i)
        }
      },
      rootfs: { type: "layers", diff_ids: [diffId] },
      history: [{ created, created_by: "dockhand bench fixture" }]
    }))
    const name = `${createHash("sha256").update(config).digest("hex")}.json`
    files.push([name, config])
    const ref = `dockhand-bench/${options.kind ?? "many"}-${run}-r${
      String(Math.floor(i / perRepo)).padStart(3, "0")
    }:t${String(i % perRepo).padStart(2, "0")}`
    refs.push(ref)
    manifest.push({ Config: name, RepoTags: [ref], Layers: ["layer/layer.tar"] })
  }
  files.push(["manifest.json", Buffer.from(JSON.stringify(manifest))])
  const tar = Tar.small(files)
  progressMessages(
    await request("POST", "/images/load?quiet=1", {
      body: tar,
      headers: { "content-type": "application/x-tar", "content-length": tar.length }
    }),
    "docker load of the fixture"
  )
  return { run, refs, setupMs: performance.now() - started }
}

/**
 * One image whose only layer is a single `size`-byte file, imported (`POST /images/create?fromSrc=-`) from a tar
 * streamed as the daemon reads it.
 */
export const makeBigImage = async (
  size: number,
  options: { readonly kind?: string } = {}
): Promise<Fixture & { readonly id: string }> => {
  const started = performance.now()
  const run = runId()
  const repo = `dockhand-bench/${options.kind ?? "big"}-${run}`
  const query = new URLSearchParams({ fromSrc: "-", repo, tag: "latest", message: "dockhand bench fixture" })
  for (
    const change of [
      `LABEL dockhand.bench=1 dockhand.bench.run=${run} dockhand.bench.kind=${options.kind ?? "big"}`,
      `CMD ["/payload.bin"]`
    ]
  ) query.append("changes", change)
  const messages = progressMessages(
    await request("POST", `/images/create?${query}`, {
      body: Tar.bigFile("payload.bin", size),
      headers: { "content-type": "application/x-tar", "content-length": Tar.bigFileLength(size) }
    }),
    "import of the big fixture"
  )
  const id = messages.map((m) => m["status"]).find((s): s is string => typeof s === "string" && s.startsWith("sha256:"))
  if (!id) throw new Error(`import of the big fixture: no image id in ${JSON.stringify(messages)}`)
  return { run, refs: [`${repo}:latest`], setupMs: performance.now() - started, id }
}

/** Removes the fixture's references (and so its images), `concurrency` at a time; gives the milliseconds taken. */
export const removeImages = async (refs: ReadonlyArray<string>, concurrency = 4): Promise<number> => {
  const started = performance.now()
  const queue = [...refs]
  const failures: Array<string> = []
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
      const answer = await request("DELETE", `/images/${encodeURIComponent(ref)}`)
      if (answer.status !== 200 && answer.status !== 404) {
        failures.push(`${ref}: HTTP ${answer.status} ${answer.body.toString().trim()}`)
      }
    }
  }))
  if (failures.length > 0) console.error(`could not remove ${failures.length} bench image(s), e.g. ${failures[0]}`)
  return performance.now() - started
}

/** Images labelled `dockhand.bench=1` other than this run's: leftovers of an interrupted run. */
export const leftovers = async (
  run?: string
): Promise<Array<{ Id: string; RepoTags: Array<string> | null; Labels: Record<string, string> | null }>> => {
  const filters = encodeURIComponent(JSON.stringify({ label: ["dockhand.bench=1"] }))
  const list = JSON.parse(
    ok(await request("GET", `/images/json?filters=${filters}`), "list bench images").body.toString()
  ) as Array<{
    Id: string
    RepoTags: Array<string> | null
    Labels: Record<string, string> | null
  }>
  return list.filter((image) => image.Labels?.["dockhand.bench.run"] !== run)
}

/** Warns about leftovers of interrupted runs (they would skew the list benchmarks) without touching them. */
export const warnLeftovers = async (): Promise<void> => {
  const stale = await leftovers()
  if (stale.length > 0) {
    console.warn(
      `note: ${stale.length} image(s) labelled dockhand.bench=1 are left from an interrupted run; remove them with \`node bench/cleanup.ts\``
    )
  }
}

/**
 * Runs `body` with a fixture and removes the fixture afterwards, also on failure and on Ctrl-C / SIGTERM.
 */
export const withFixture = async <F extends Fixture, A>(
  make: () => Promise<F>,
  body: (fixture: F) => Promise<A>
): Promise<A> => {
  const fixture = await make()
  let removed = false
  const remove = async () => {
    if (removed) return
    removed = true
    const ms = await removeImages(fixture.refs)
    console.log(`removed ${fixture.refs.length} bench image(s) in ${(ms / 1000).toFixed(1)} s`)
  }
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: removing the bench images`)
    remove().finally(() => process.exit(130))
  }
  process.once("SIGINT", onSignal)
  process.once("SIGTERM", onSignal)
  try {
    return await body(fixture)
  } finally {
    await remove()
    process.off("SIGINT", onSignal)
    process.off("SIGTERM", onSignal)
  }
}
