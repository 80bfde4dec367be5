/**
 * Where the CLI writes and reads: standard output and error as text or raw bytes, standard input as bytes, and
 * whether each is a terminal. A service, so tests can capture output and fake a terminal.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Memory from "./Memory.ts"

/** The process's standard streams. */
export interface Service {
  /** Writes text to standard output as is (add the newline yourself). */
  readonly out: (text: string) => Effect.Effect<void>
  /** Writes text to standard error as is. */
  readonly err: (text: string) => Effect.Effect<void>
  /** Copies a byte stream to standard output, waiting for the pipe to drain (back-pressure). */
  readonly outBytes: <E>(bytes: Stream.Stream<Uint8Array, E>) => Effect.Effect<void, E>
  /** Standard input as bytes. */
  readonly stdin: Stream.Stream<Uint8Array, Error>
  readonly stdoutIsTerminal: boolean
  readonly stdinIsTerminal: boolean
  /** The terminal's width in columns, when standard output is one. */
  readonly columns: number | undefined
  /** Environment variables (`NO_COLOR`, `DOCKER_*`). */
  readonly env: (name: string) => string | undefined
}

/** The standard streams service. */
export class Terminal extends Context.Service<Terminal, Service>()("@dockhand/cli/Terminal") {}

const write = (stream: NodeJS.WriteStream, chunk: string | Uint8Array) =>
  Effect.callback<void>((resume) => {
    if (stream.write(chunk)) resume(Effect.void)
    else stream.once("drain", () => resume(Effect.void))
  })

/** The real process streams (`node:process`, which Bun and Deno provide too). */
export const layer = Layer.sync(Terminal, () =>
  Terminal.of({
    out: (text) => write(process.stdout, text),
    err: (text) => write(process.stderr, text),
    outBytes: (bytes) => {
      const track = Memory.tracker()
      return Stream.runForEach(bytes, (chunk) => {
        track(chunk.byteLength)
        return write(process.stdout, chunk)
      })
    },
    stdin: Stream.fromAsyncIterable(process.stdin as AsyncIterable<Uint8Array>, (cause) =>
      cause instanceof Error ? cause : new Error(String(cause))),
    stdoutIsTerminal: process.stdout.isTTY === true,
    stdinIsTerminal: process.stdin.isTTY === true,
    columns: process.stdout.isTTY === true ? process.stdout.columns : undefined,
    env: (name) => process.env[name]
  }))

/** A fake terminal for tests: collects what is written; `stdin` yields the given bytes. */
export const makeTest = (options: {
  readonly stdin?: Uint8Array | undefined
  readonly stdoutIsTerminal?: boolean | undefined
  readonly stdinIsTerminal?: boolean | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
} = {}) => {
  const stdout: Array<string> = []
  const stderr: Array<string> = []
  const bytes: Array<Uint8Array> = []
  const service = Terminal.of({
    out: (text) => Effect.sync(() => void stdout.push(text)),
    err: (text) => Effect.sync(() => void stderr.push(text)),
    outBytes: (stream) => Stream.runForEach(stream, (chunk) => Effect.sync(() => void bytes.push(chunk))),
    stdin: options.stdin === undefined ? Stream.empty : Stream.make(options.stdin),
    stdoutIsTerminal: options.stdoutIsTerminal ?? false,
    stdinIsTerminal: options.stdinIsTerminal ?? false,
    columns: undefined,
    env: (name) => options.env?.[name]
  })
  return {
    layer: Layer.succeed(Terminal, service),
    stdout: () => stdout.join(""),
    stderr: () => stderr.join(""),
    bytes: () => bytes
  }
}
