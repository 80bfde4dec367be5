/**
 * Random bytes as a daemon's answer, on this runtime's entry of `@dockhand/client`: a seeded generator writes a few
 * hundred answers (random status lines and headers, JSON-ish garbage, bodies shorter than their `Content-Length`,
 * broken or cut chunked encoding, endless bodies) to list, inspect, history, pull and ping. Every call must end in
 * a valid result or a typed `DockerError`: never a defect, never an unhandled error, never a hang (each case has a
 * generous guard), never reading much past the limits. The daemon always ends what it writes (or writes until the client drops the connection); one
 * that stalls forever is a slow daemon, which the docker CLI waits for as well.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Stream from "effect/Stream"
import * as DockerHost from "../../src/DockerHost.ts"
import * as Images from "../../src/Images.ts"
import * as SystemApi from "../../src/SystemApi.ts"
import * as C from "./Conformance.ts"
import * as H from "./HostileDaemon.ts"

/** The seed of the whole run: change it to explore, keep it to reproduce. */
const SEED = 0x5eed_d0c5
const CASES = 300
const MiB = 1024 * 1024
/** Where an "endless" body stops after all, so that a client that reads on is caught rather than stuck. */
const ENDLESS = 128 * MiB
/**
 * The most a case's connections may take from the daemon: the 1 MiB limits (error answers, `maxBodySize`) or a
 * progress stream's first broken line, plus what socket buffers hold. A client that read on would take `ENDLESS`.
 */
const MOST_READ = 40 * MiB

/** mulberry32: a small seeded generator, so that a failing case can be replayed from its number. */
const generator = (seed: number) => {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (low: number, high: number) => low + Math.floor(next() * (high - low + 1))
  const pick = <A>(items: ReadonlyArray<A>): A => items[int(0, items.length - 1)]!
  const chance = (p: number) => next() < p
  return { next, int, pick, chance }
}
type Random = ReturnType<typeof generator>

/** Random bytes (as a latin1 string: every byte value can appear). */
const bytes = (r: Random, length: number) => {
  let out = ""
  for (let i = 0; i < length; i++) out += String.fromCharCode(r.int(0, 255))
  return out
}

/** Visible ASCII and spaces, mostly; now and then any byte but CR and LF (which most parsers refuse in a head). */
const texty = (r: Random, length: number) =>
  r.chance(0.9)
    ? Array.from({ length }, () => String.fromCharCode(r.int(0x20, 0x7e))).join("")
    : bytes(r, length).replace(/[\r\n]/g, "")

/** JSON-ish text: tokens of the daemon's answers thrown together, sometimes nested deep, sometimes cut. */
const jsonish = (r: Random): string => {
  const tokens = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"Id\"",
    "\"RepoTags\"",
    "\"status\"",
    "\"error\"",
    "\"errorDetail\"",
    "\"message\"",
    "\"progressDetail\"",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e999",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"sha256:\"",
    "\n",
    "\r\n",
    " ",
    "\"x\"",
    "1.5",
    "{\"status\":\"Pulling\"}\n",
    "{\"error\":\"boom\"}\n",
    "[]",
    "{}"
  ]
  if (r.chance(0.1)) return "[".repeat(r.int(100, 5000))
  let out = ""
  const n = r.int(0, 60)
  for (let i = 0; i < n; i++) out += r.pick(tokens)
  return out
}

/** A body that might even be valid for some call. */
const plausible = (r: Random): string =>
  r.pick([
    "[]",
    "{}",
    "[{}]",
    `[{"Id":"sha256:${"a".repeat(64)}","RepoTags":["app:1"],"Created":1,"Size":1,"ParentId":"","Containers":-1}]`,
    `{"Id":"sha256:${"a".repeat(64)}","RepoTags":[],"Size":1}`,
    `[{"Id":"<missing>","Created":1,"CreatedBy":"","Size":0,"Comment":"","Tags":null}]`,
    `{"status":"Pulling from library/busybox","id":"latest"}\r\n{"status":"Digest: sha256:${"b".repeat(64)}"}\r\n`,
    `{"message":"No such image: busybox:latest"}`,
    jsonish(r)
  ])

const statuses = [
  100,
  101,
  102,
  103,
  200,
  201,
  204,
  205,
  206,
  301,
  304,
  400,
  401,
  403,
  404,
  409,
  418,
  500,
  501,
  503,
  599,
  999
]

const statusLine = (r: Random): string => {
  if (r.chance(0.05)) return bytes(r, r.int(0, 40))
  const version = r.chance(0.95) ? "HTTP/1.1" : r.pick(["HTTP/1.0", "HTTP/2", "HTTP/9.9", "http/1.1", "ICY"])
  const code = r.chance(0.9) ? String(r.pick(statuses)) : r.pick(["", "abc", "-1", "2000", String(r.int(0, 1000))])
  const reason = r.chance(0.8) ? "OK" : texty(r, r.int(0, 20))
  return `${version} ${code} ${reason}`
}

const randomHeaders = (r: Random): Array<string> => {
  const out: Array<string> = []
  const n = r.int(0, 5)
  for (let i = 0; i < n; i++) {
    out.push(r.pick([
      "Content-Type: application/json",
      "Content-Type: text/plain",
      `Content-Type: ${texty(r, 8)}`,
      `Api-Version: ${r.pick(["1.51", "1.12", "9.99", "", "x"])}`,
      "Ostype: linux",
      "Connection: close",
      "Connection: keep-alive",
      `X-${r.int(0, 99)}: ${texty(r, r.int(0, 30))}`,
      `${r.chance(0.8) ? texty(r, 6).replace(/[^A-Za-z0-9-]/g, "a") : texty(r, 6).replace(/:/g, "")}: x`,
      "Content-Encoding: gzip",
      `Docker-Experimental: ${r.pick(["true", "false", "maybe"])}`
    ]))
  }
  // Framing headers that contradict the answer's own, now and then (most such answers are refused by the parser).
  if (r.chance(0.1)) {
    out.push(r.pick([
      `Content-Length: ${r.pick(["-1", "abc", "99999999999999999999", "0", String(r.int(0, 100))])}`,
      "Transfer-Encoding: gzip",
      "Transfer-Encoding: chunked"
    ]))
  }
  return out
}

/** One answer: what to write, then whether to write forever, then how to end. */
interface Answer {
  readonly describe: string
  readonly run: (connection: H.Connection) => Promise<void>
}

const answerOf = (r: Random, forPull: boolean): Answer => {
  const line = statusLine(r)
  const headers = randomHeaders(r)
  const body = r.pick([() => plausible(r), () => jsonish(r), () => bytes(r, r.int(0, 2000)), () => ""])()
  const framing = r.pick([
    "length",
    "short",
    "huge",
    "chunked",
    "chunked-cut",
    "chunked-broken",
    "endless-chunked",
    "endless-close",
    "raw"
  ])
  // Endless bodies are random bytes (for a pull, lines of garbage), never an endless run of valid messages: a pull
  // that goes on for ever is a legitimate, slow pull. They come from a generator of their own, so that what they
  // write does not depend on how fast the client reads.
  const own = generator(r.int(0, 2 ** 31))
  const endlessChunk = forPull
    ? () => bytes(own, 1000) + "\n"
    : own.chance(0.5)
    ? () => "x".repeat(16 * 1024)
    : () => bytes(own, 16 * 1024)
  const head = (extra: Array<string>) => `${line}\r\n${[...headers, ...extra].join("\r\n")}\r\n\r\n`
  const close = r.chance(0.5) ? "end" : "end-after-garbage"
  const finish = async (connection: H.Connection) => {
    if (close === "end-after-garbage") await connection.write(bytes(r, r.int(1, 200)))
    connection.end()
  }
  const describe = `${JSON.stringify(line.slice(0, 40))} ${framing} ${
    JSON.stringify(headers).slice(0, 120)
  } body ${body.length}B`
  switch (framing) {
    case "length":
      return {
        describe,
        run: async (c) => (await c.write(head([`Content-Length: ${body.length}`]) + body), await finish(c))
      }
    case "short":
      return {
        describe,
        run: async (c) => (await c.write(head([`Content-Length: ${body.length + r.int(1, 5000)}`]) + body), c.end())
      }
    case "huge":
      return { describe, run: async (c) => (await c.write(head(["Content-Length: 9007199254740991"]) + body), c.end()) }
    case "chunked":
      return {
        describe,
        run: async (
          c
        ) => (await c.write(head(["Transfer-Encoding: chunked"]) + H.chunk(body) + "0\r\n\r\n"), await finish(c))
      }
    case "chunked-cut":
      return {
        describe,
        run: async (
          c
        ) => (await c.write(head(["Transfer-Encoding: chunked"]) + H.chunk(body).slice(0, r.int(0, body.length + 8))),
          c.end())
      }
    case "chunked-broken":
      return {
        describe,
        run: async (
          c
        ) => (await c.write(head(["Transfer-Encoding: chunked"]) + `${bytes(r, 4)}\r\n${body}\r\n`), c.end())
      }
    case "endless-chunked":
      return {
        describe,
        run: async (c) => {
          await c.write(head(["Transfer-Encoding: chunked"]))
          await c.writeForever(() => H.chunk(endlessChunk()), ENDLESS)
          c.end()
        }
      }
    case "endless-close":
      return {
        describe,
        run: async (c) => {
          await c.write(head(["Connection: close"]))
          await c.writeForever(endlessChunk, ENDLESS)
          c.end()
        }
      }
    default:
      return { describe, run: async (c) => (await c.write(bytes(r, r.int(0, 3000))), c.end()) }
  }
}

const calls = [
  ["list", Images.Images.use((images) => images.list())],
  ["inspect", Images.Images.use((images) => images.inspect("busybox"))],
  ["history", Images.Images.use((images) => images.history("busybox"))],
  ["pull", Images.Images.use((images) => Stream.runDrain(images.pull("busybox").messages))],
  ["ping", SystemApi.SystemApi.use((system) => system.ping)]
] as const

/** What is wrong with how a call ended, if anything: a defect, an interruption, or a failure that is not typed. */
const problemOf = (exit: Exit.Exit<unknown, unknown>): string | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  for (const reason of exit.cause.reasons) {
    if (reason._tag !== "Fail") return `not a typed failure: ${Cause.pretty(exit.cause).slice(0, 600)}`
    const error = reason.error as { readonly _tag?: unknown; readonly reason?: { readonly _tag?: unknown } }
    if (error._tag !== "DockerError" || typeof error.reason?._tag !== "string") {
      return `a failure that is not a DockerError: ${String(reason.error).slice(0, 300)}`
    }
  }
  return undefined
}

describe(`random daemon answers, ${C.runtimeName}`, () => {
  it.live(
    `${CASES} seeded cases (seed ${SEED}) end in a result or a typed DockerError, never a defect or a hang`,
    () =>
      Effect.gen(function*() {
        const unhandled: Array<string> = []
        const onUnhandled = (error: unknown) => unhandled.push(String(error))
        process.on("unhandledRejection", onUnhandled)
        process.on("uncaughtException", onUnhandled)
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => {
            process.off("unhandledRejection", onUnhandled)
            process.off("uncaughtException", onUnhandled)
          })
        )
        let answer: Answer = { describe: "", run: async (c) => c.end() }
        const daemon = yield* H.make((_, connection) => answer.run(connection))
        const problems: Array<string> = []
        const tally = { ok: 0, failed: new Map<string, number>() }
        for (let i = 0; i < CASES; i++) {
          const r = generator(SEED + i)
          const [name, call] = calls[i % calls.length]!
          // Each request of the case (a ping sends HEAD, then GET) gets its own answer from the case's generator.
          answer = { describe: "", run: (connection) => answerOf(r, name === "pull").run(connection) }
          const before = daemon.connections.length
          const described = answerOf(generator(SEED + i), name === "pull").describe
          const layer = C.Runtime.layerFromOptions({
            endpoint: new DockerHost.Unix({ path: daemon.socket }),
            ...(name === "ping" ? {} : { apiVersion: "1.51" }),
            maxBodySize: MiB
          })
          const exit = yield* (call as Effect.Effect<unknown, unknown, Images.Images | SystemApi.SystemApi>).pipe(
            Effect.provide(layer),
            Effect.exit,
            Effect.timeoutOrElse({
              duration: "15 seconds",
              orElse: () => Effect.succeed(Exit.die(new Error("no answer within 15 s: the client hung")))
            })
          )
          const read = daemon.connections.slice(before).reduce((sum, connection) => sum + connection.written(), 0)
          const problem = problemOf(exit) ??
            (read > MOST_READ
              ? `the client read ${read} bytes of an answer (at most ${MOST_READ} expected)`
              : undefined)
          if (problem !== undefined) problems.push(`case ${i} (${name}, ${described}): ${problem}`)
          else if (Exit.isSuccess(exit)) tally.ok++
          else {
            const tag =
              (exit.cause.reasons[0] as { readonly error: { readonly reason: { readonly _tag: string } } }).error.reason
                ._tag
            tally.failed.set(tag, (tally.failed.get(tag) ?? 0) + 1)
          }
        }
        console.log(
          `[${C.runtimeName}] fuzz: ${tally.ok} results, failures by reason ${JSON.stringify([...tally.failed])}`
        )
        assert.deepStrictEqual(problems, [])
        assert.deepStrictEqual(unhandled, [])
      }).pipe(Effect.scoped),
    600_000
  )
})
