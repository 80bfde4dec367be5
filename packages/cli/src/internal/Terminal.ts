/**
 * Where the CLI writes and reads: standard output and error as text or raw bytes, standard input as bytes, and
 * whether each is a terminal. A service, so tests can capture output and fake a terminal.
 *
 * Text written with `out` and `err` goes to a terminal with its control characters escaped (see `ControlChars`),
 * so that daemon-provided text in it cannot drive the terminal; to a pipe or a file it goes as is. Output that
 * carries control codes of its own (the progress display's redraws) uses `outRaw` / `errRaw` and escapes the
 * daemon's text inside itself.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as ControlChars from "./ControlChars.ts"
import * as LocalRead from "./LocalRead.ts"
import * as Memory from "./Memory.ts"

/** The process's standard streams. */
export interface Service {
  /**
   * Writes text to standard output (add the newline yourself): as is to a pipe or file, with control characters
   * other than tab and newline escaped to a terminal.
   */
  readonly out: (text: string) => Effect.Effect<void>
  /** Writes text to standard error, escaped as `out` escapes it when standard error is a terminal. */
  readonly err: (text: string) => Effect.Effect<void>
  /** Writes text to standard output as is, terminal or not: for output with cursor and line control of its own. */
  readonly outRaw: (text: string) => Effect.Effect<void>
  /** Writes text to standard error as is, terminal or not. */
  readonly errRaw: (text: string) => Effect.Effect<void>
  /** Copies a byte stream to standard output, waiting for the pipe to drain (back-pressure). */
  readonly outBytes: <E>(bytes: Stream.Stream<Uint8Array, E>) => Effect.Effect<void, E>
  /** Standard input as bytes. */
  readonly stdin: Stream.Stream<Uint8Array, Error>
  /**
   * A path that names standard input's bytes, when it is a regular file read from its start (`< FILE`):
   * `/dev/stdin`, for a transport that sends the file itself (see `LocalRead.stdinFile`).
   */
  readonly stdinPath: string | undefined
  readonly stdoutIsTerminal: boolean
  readonly stderrIsTerminal: boolean
  readonly stdinIsTerminal: boolean
  /** The terminal's width in columns, when standard output is one. */
  readonly columns: number | undefined
  /** The size of the terminal on standard error, when it is one (read at each call: a terminal can be resized). */
  readonly stderrSize: () => { readonly columns: number; readonly rows: number } | undefined
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

/** A stream's `out` / `err`: `write` itself for a pipe or a file, `write` of the escaped text for a terminal. */
const textWriter = (isTerminal: boolean, write: (text: string) => Effect.Effect<void>) =>
  isTerminal ? (text: string) => write(ControlChars.escape(text)) : write

/** The real process streams (`node:process`, which Bun and Deno provide too). */
export const layer = Layer.sync(Terminal, () => {
  const stdoutIsTerminal = process.stdout.isTTY === true
  const stderrIsTerminal = process.stderr.isTTY === true
  // whether standard input is a regular file, asked only by a command that reads it (not at every start)
  let probed = false
  let file: LocalRead.StdinFile | undefined
  const stdinFile = () => {
    if (!probed) file = Effect.runSync(LocalRead.stdinFile)
    probed = true
    return file
  }
  return Terminal.of({
    out: textWriter(stdoutIsTerminal, (text) => write(process.stdout, text)),
    err: textWriter(stderrIsTerminal, (text) => write(process.stderr, text)),
    outRaw: (text) => write(process.stdout, text),
    errRaw: (text) => write(process.stderr, text),
    outBytes: (bytes) => {
      const track = Memory.tracker()
      return Stream.runForEach(bytes, (chunk) => {
        track(chunk)
        return write(process.stdout, chunk)
      })
    },
    stdin: Stream.suspend(() => stdinFile()?.bytes ?? LocalRead.fromReadable(process.stdin)),
    get stdinPath() {
      return stdinFile()?.path
    },
    stdoutIsTerminal,
    stderrIsTerminal,
    stdinIsTerminal: process.stdin.isTTY === true,
    columns: stdoutIsTerminal ? process.stdout.columns : undefined,
    // 80×10 when the size cannot be read, as buildx's console does
    stderrSize: () =>
      stderrIsTerminal
        ? { columns: process.stderr.columns || 80, rows: process.stderr.rows || 10 }
        : undefined,
    env: (name) => process.env[name]
  })
})

/**
 * A fake terminal for tests: collects what is written (escaped as the real one escapes it when a stream is said to
 * be a terminal); `stdin` yields the given bytes.
 */
export const makeTest = (options: {
  readonly stdin?: Uint8Array | undefined
  readonly stdoutIsTerminal?: boolean | undefined
  readonly stderrIsTerminal?: boolean | undefined
  readonly stdinIsTerminal?: boolean | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly stderrSize?: { readonly columns: number; readonly rows: number } | undefined
} = {}) => {
  const stdout: Array<string> = []
  const stderr: Array<string> = []
  const bytes: Array<Uint8Array> = []
  const stdoutIsTerminal = options.stdoutIsTerminal ?? false
  const stderrIsTerminal = options.stderrIsTerminal ?? false
  const service = Terminal.of({
    out: textWriter(stdoutIsTerminal, (text) => Effect.sync(() => void stdout.push(text))),
    err: textWriter(stderrIsTerminal, (text) => Effect.sync(() => void stderr.push(text))),
    outRaw: (text) => Effect.sync(() => void stdout.push(text)),
    errRaw: (text) => Effect.sync(() => void stderr.push(text)),
    outBytes: (stream) => Stream.runForEach(stream, (chunk) => Effect.sync(() => void bytes.push(chunk))),
    stdin: options.stdin === undefined ? Stream.empty : Stream.make(options.stdin),
    stdinPath: undefined,
    stdoutIsTerminal,
    stderrIsTerminal,
    stdinIsTerminal: options.stdinIsTerminal ?? false,
    columns: undefined,
    stderrSize: () => stderrIsTerminal ? options.stderrSize ?? { columns: 80, rows: 10 } : undefined,
    env: (name) => options.env?.[name]
  })
  return {
    layer: Layer.succeed(Terminal, service),
    stdout: () => stdout.join(""),
    stderr: () => stderr.join(""),
    bytes: () => bytes
  }
}
