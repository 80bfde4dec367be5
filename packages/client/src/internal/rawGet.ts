/**
 * A GET without a body, sent on a plain socket (unix or TCP) that reads the answer into one buffer it reuses: the
 * status line, the headers and the body's framing (chunked, `Content-Length`, or up to the close) are parsed here,
 * and no buffer is allocated for each read of the socket, so a long download leaves nothing for the collector. On
 * Node, `node:http` allocates 64 KiB for every read and hands it on through a stream; for a 512 MiB image archive
 * that is about three times the CPU of this reader (`bench/floor/save-file.mjs`).
 *
 * The answer is a {@link RawMessage}, which behaves as the parts of Node's `IncomingMessage` that `nodeResponse.ts`
 * reads. By default its `data` chunks are copies; a reader that takes each read's chunks and is done with them
 * before it asks for more can switch it to lending with `lendChunks()`, after which the chunks are views of the
 * reused buffer, and the socket reads again only when the reader calls `resume()`. A reader that writes a success's
 * body somewhere at once (a download into a file) can take it with `writeTo(sink)` instead: each read's bytes go to
 * the sink as they are parsed, and the socket reads on without pausing.
 *
 * @internal
 */
import { EventEmitter } from "node:events"
import type * as Net from "node:net"

/** The size of the buffer each answer is read into. */
const bufferSize = 1024 * 1024

/** The most an answer's status line and headers may take. */
const maxHead = 1024 * 1024

/** The longest chunk-size line accepted, extensions included. */
const maxSizeLine = 1024

/** Whether `byte` is a blank that may surround a chunk's size (as JavaScript's `trim` takes them, in ASCII). */
const isBlank = (byte: number): boolean => byte === 32 || (byte >= 9 && byte <= 13)

/** The value of the hexadecimal digit `byte`, or -1. */
const hexDigit = (byte: number): number =>
  byte >= 48 && byte <= 57
    ? byte - 48
    : byte >= 97 && byte <= 102
    ? byte - 87
    : byte >= 65 && byte <= 70
    ? byte - 55
    : -1

/**
 * The chunk size that `line` (a size line without its LF, CR included) gives: 1 to 12 hexadecimal digits, blanks
 * around them, and any extensions after a `;`; -1 when it is not one. Read from the bytes: nothing is allocated for
 * each of the tens of thousands of chunks of an image archive.
 */
const chunkSize = (line: Uint8Array, length: number): number => {
  let end = length > 0 && line[length - 1] === 13 ? length - 1 : length
  for (let i = 0; i < end; i++) {
    if (line[i] === 59) {
      end = i
      break
    }
  }
  let start = 0
  while (start < end && isBlank(line[start]!)) start++
  while (end > start && isBlank(line[end - 1]!)) end--
  if (end - start < 1 || end - start > 12) return -1
  let size = 0
  for (let i = start; i < end; i++) {
    const digit = hexDigit(line[i]!)
    if (digit < 0) return -1
    size = size * 16 + digit
  }
  return size
}

/** The size part of a size line that {@link chunkSize} refused, as text for the error. */
const sizeText = (line: Uint8Array, length: number): string =>
  Buffer.from(line.buffer, line.byteOffset, length).toString("latin1").replace(/\r$/, "").split(";")[0]!.trim()

/** Where to connect: a unix socket, or a host and port over plain TCP. */
export type Target = { readonly path: string } | { readonly host: string; readonly port: number }

type Framing =
  | { readonly _tag: "Chunked" }
  | { readonly _tag: "Length"; readonly length: number }
  | { readonly _tag: "Close" }

/** An answer's head: the status and the headers, names in lower case (repeated ones joined with ", "). */
interface Head {
  readonly status: number
  readonly headers: Record<string, string>
  readonly framing: Framing
}

const hasControl = /[\r\n\0]/

/** The request's bytes: `GET path HTTP/1.1`, the headers given, and `Connection: close`. */
const requestText = (path: string, headers: Readonly<Record<string, string>>): string | Error => {
  let text = `GET ${path} HTTP/1.1\r\n`
  for (const [name, value] of Object.entries(headers)) {
    if (hasControl.test(name) || hasControl.test(value) || name.includes(":")) {
      return new Error(`invalid character in the header ${JSON.stringify(name)}`)
    }
    if (name.toLowerCase() === "connection") continue
    text += `${name}: ${value}\r\n`
  }
  return `${text}Connection: close\r\n\r\n`
}

/** The head in `text` (everything before the blank line), or why it is not one. */
const parseHead = (text: string): Head | Error => {
  const lines = text.split("\r\n")
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0]!)
  if (status === null) return new Error(`malformed HTTP answer: ${JSON.stringify(lines[0]!.slice(0, 80))}`)
  const headers: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":")
    if (colon <= 0) return new Error(`malformed HTTP header: ${JSON.stringify(line.slice(0, 80))}`)
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  const code = Number(status[1])
  const encoding = headers["transfer-encoding"]
  if (encoding !== undefined) {
    if (encoding.toLowerCase().split(",").map((part) => part.trim()).at(-1) !== "chunked") {
      return new Error(`unsupported Transfer-Encoding: ${JSON.stringify(encoding)}`)
    }
    return { status: code, headers, framing: { _tag: "Chunked" } }
  }
  const length = headers["content-length"]
  if (code === 204 || code === 304) return { status: code, headers, framing: { _tag: "Length", length: 0 } }
  if (length !== undefined) {
    if (!/^\d{1,15}$/.test(length)) return new Error(`malformed Content-Length: ${JSON.stringify(length)}`)
    return { status: code, headers, framing: { _tag: "Length", length: Number(length) } }
  }
  return { status: code, headers, framing: { _tag: "Close" } }
}

/**
 * An answer's body read from the socket: `data` (`Uint8Array`), `end`, `error` and `close` events, `pause()` and
 * `resume()`, `destroy()`, as the `IncomingMessage` it stands in for. Reading starts when the first `data` listener
 * is added or `resume()` is called.
 */
export class RawMessage extends EventEmitter {
  readonly statusCode: number
  readonly headers: Record<string, string>
  readonly socket: Net.Socket
  readableEnded = false
  destroyed = false
  errored: Error | null = null
  private readonly framing: Framing
  /** What is left of the current chunk's data, or of a `Content-Length` body. */
  private remaining: number
  /** Where the chunked body is: a size line, the data, the CRLF after it, or the trailer. */
  private chunkState: "size" | "data" | "crlf" | "trailer" = "size"
  /** The size line being read, and how much of it has come. */
  private readonly sizeLine = new Uint8Array(maxSizeLine)
  private sizeLength = 0
  private trailer = ""
  /** Bytes of the last read not yet parsed (a view of the socket's buffer: the socket is paused meanwhile). */
  private pending: Buffer | undefined
  private flowing = false
  private paused = false
  private lending = false
  /** Lending, the chunks of the last read were handed on and the reader has not asked for more yet. */
  private lent = false
  /** The socket closed while bytes it read were still pending. */
  private socketClosed = false
  /** Where a success's body goes instead of `data` events (see {@link writeTo}). */
  private sink: ((bytes: Buffer) => Error | undefined) | undefined
  /** For the sink: the read being parsed, and how many bytes of the body it holds, moved to its start. */
  private reading: Buffer | undefined
  private sinkLength = 0

  constructor(socket: Net.Socket, head: Head, rest: Buffer) {
    super()
    this.socket = socket
    this.statusCode = head.status
    this.headers = head.headers
    this.framing = head.framing
    this.remaining = head.framing._tag === "Length" ? head.framing.length : 0
    this.pending = rest.byteLength > 0 ? rest : undefined
    if (this.framing._tag === "Length" && this.remaining === 0) this.finish()
  }

  /**
   * Makes `data` chunks views of the socket's buffer (see the module's description) when the answer is a success;
   * returns whether it does. An error's body, which its reader may keep in pieces, is always copied.
   */
  lendChunks(): boolean {
    this.lending = this.statusCode >= 200 && this.statusCode < 300
    return this.lending
  }

  /**
   * Hands a success's body to `sink` as it is read, instead of emitting `data`, and starts reading: `sink` gets views
   * of the socket's buffer and must be done with each before it returns, so the socket reads on without pausing. An
   * error `sink` returns stops the answer with it (`error`, then `close`); its end is `end` as usual. Returns false,
   * and changes nothing, for an answer that is not a success.
   */
  writeTo(sink: (bytes: Buffer) => Error | undefined): boolean {
    if (this.statusCode < 200 || this.statusCode >= 300) return false
    this.sink = sink
    this.resume()
    return true
  }

  override on(event: string | symbol, listener: (...args: Array<any>) => void): this {
    super.on(event, listener)
    if (event === "data" && !this.paused) this.resume()
    return this
  }

  pause(): this {
    this.paused = true
    this.socket.pause()
    return this
  }

  resume(): this {
    this.paused = false
    this.lent = false
    if (!this.flowing) {
      this.flowing = true
      // like a stream, the first data is emitted after the listener's caller has returned
      queueMicrotask(() => this.pump())
      return this
    }
    this.pump()
    return this
  }

  destroy(): this {
    if (this.destroyed) return this
    this.destroyed = true
    this.pending = undefined
    this.socket.destroy()
    return this
  }

  /** Parses what is pending, then lets the socket read again if nobody holds it back. */
  private pump(): void {
    if (this.destroyed || this.readableEnded) return
    if (this.pending !== undefined) {
      const bytes = this.pending
      this.pending = undefined
      this.onBytes(bytes)
      if (this.socketClosed) return this.closed()
    }
    if (!this.paused && !this.lent && !this.destroyed && !this.readableEnded) this.socket.resume()
  }

  /** The socket read `bytes` (a view of its buffer, overwritten at the next read). */
  onRead(bytes: Buffer): void {
    if (this.destroyed || this.readableEnded) return
    if (!this.flowing || this.paused || this.lent) {
      this.pending = bytes
      this.socket.pause()
      return
    }
    this.onBytes(bytes)
    if (this.lent || this.paused) this.socket.pause()
  }

  /**
   * Hands on the body's bytes `bytes[start, end)`: to the sink, moved down to follow the body's bytes before them in
   * this read (a chunked answer's framing taken out, so that the read goes to the sink in one piece), or as `data`.
   */
  private emitData(bytes: Buffer, start: number, end: number): void {
    if (end <= start) return
    if (this.sink !== undefined) {
      if (start !== this.sinkLength) bytes.copyWithin(this.sinkLength, start, end)
      this.sinkLength += end - start
    } else if (this.lending) {
      this.lent = true
      this.emit("data", bytes.subarray(start, end))
    } else this.emit("data", Buffer.from(bytes.subarray(start, end)))
  }

  /** Parses one read; a sink gets the body's bytes it held once it is parsed, or before the body ends in it. */
  private onBytes(bytes: Buffer): void {
    this.reading = bytes
    this.sinkLength = 0
    this.parse(bytes)
    this.flush()
    this.reading = undefined
  }

  /** Gives the sink the body's bytes gathered from the read being parsed; false when it failed (the answer stops). */
  private flush(): boolean {
    if (this.sink === undefined || this.reading === undefined || this.sinkLength === 0 || this.destroyed) return true
    const length = this.sinkLength
    this.sinkLength = 0
    const error = this.sink(this.reading.subarray(0, length))
    if (error === undefined) return true
    this.fail(error)
    return false
  }

  private parse(bytes: Buffer): void {
    if (this.framing._tag === "Close") return this.emitData(bytes, 0, bytes.byteLength)
    if (this.framing._tag === "Length") {
      const take = Math.min(this.remaining, bytes.byteLength)
      this.remaining -= take
      this.emitData(bytes, 0, take)
      if (this.remaining === 0) this.finish()
      return
    }
    let at = 0
    while (at < bytes.byteLength && !this.readableEnded && !this.destroyed) {
      switch (this.chunkState) {
        case "size": {
          const newline = bytes.indexOf(10, at)
          const end = newline === -1 ? bytes.byteLength : newline
          if (this.sizeLength + end - at > maxSizeLine) {
            return this.fail(new Error("malformed chunked encoding: size line too long"))
          }
          for (let i = at; i < end; i++) this.sizeLine[this.sizeLength++] = bytes[i]!
          if (newline === -1) return
          at = newline + 1
          const size = chunkSize(this.sizeLine, this.sizeLength)
          if (size < 0) {
            const text = sizeText(this.sizeLine, this.sizeLength)
            return this.fail(new Error(`malformed chunked encoding: chunk size ${JSON.stringify(text.slice(0, 20))}`))
          }
          this.sizeLength = 0
          this.remaining = size
          this.chunkState = size === 0 ? "trailer" : "data"
          break
        }
        case "data": {
          const take = Math.min(this.remaining, bytes.byteLength - at)
          this.emitData(bytes, at, at + take)
          at += take
          this.remaining -= take
          if (this.remaining === 0) {
            this.chunkState = "crlf"
            this.remaining = 2
          }
          break
        }
        case "crlf": {
          while (this.remaining > 0 && at < bytes.byteLength) {
            const expected = this.remaining === 2 ? 13 : 10
            if (bytes[at] !== expected) return this.fail(new Error("malformed chunked encoding: no CRLF after a chunk"))
            at++
            this.remaining--
          }
          if (this.remaining === 0) this.chunkState = "size"
          break
        }
        case "trailer": {
          this.trailer += bytes.toString("latin1", at)
          at = bytes.byteLength
          if (this.trailer.length > maxHead) return this.fail(new Error("malformed chunked encoding: trailer too long"))
          if (this.trailer.startsWith("\r\n") || this.trailer.includes("\r\n\r\n")) this.finish()
          break
        }
      }
    }
  }

  /** The body ended: `end`, then the socket is closed and `close` follows. */
  private finish(): void {
    if (this.readableEnded || !this.flush()) return
    this.readableEnded = true
    this.pending = undefined
    queueMicrotask(() => {
      this.emit("end")
      this.socket.destroy()
    })
  }

  /** The body cannot be read further: the socket is closed, `error` then `close` are emitted. */
  fail(error: Error): void {
    if (this.readableEnded || this.errored !== null) return
    this.errored = error
    this.destroy()
    if (this.listenerCount("error") > 0) this.emit("error", error)
  }

  /** The socket closed: an answer framed by the close ends there; any other one was cut. */
  onClose(): void {
    this.socketClosed = true
    if (this.pending === undefined) this.closed()
  }

  private closed(): void {
    if (!this.readableEnded && this.errored === null) {
      if (this.framing._tag === "Close") {
        this.readableEnded = true
        this.emit("end")
      } else this.fail(new Error("the connection closed before the end of the answer"))
    }
    this.destroyed = true
    this.emit("close")
  }
}

/**
 * Sends `GET path` with `headers` to `target` and calls `done` once with the answer's head parsed (a
 * {@link RawMessage} whose body is read as it is consumed), or with why there is none. Returns a function that
 * abandons the request, closing the socket.
 */
export const get = (
  target: Target,
  path: string,
  headers: Readonly<Record<string, string>>,
  done: (result: RawMessage | Error) => void
): () => void => {
  const net = process.getBuiltinModule("node:net")
  const request = requestText(path, headers)
  if (request instanceof Error) {
    done(request)
    return () => {}
  }
  let head = ""
  let message: RawMessage | undefined
  let settled = false
  const settle = (result: RawMessage | Error) => {
    if (settled) return
    settled = true
    done(result)
  }
  const socket: Net.Socket = net.connect({
    ...target,
    onread: {
      buffer: Buffer.allocUnsafe(bufferSize),
      // true: this reader pauses the socket itself when it must wait
      callback: (length: number, buffer: Buffer): boolean => {
        const bytes = buffer.subarray(0, length)
        if (message !== undefined) {
          message.onRead(bytes)
          return true
        }
        // where this read starts in `head` (negative once an interim answer took part of it)
        let before = head.length
        head += bytes.toString("latin1")
        for (;;) {
          const end = head.indexOf("\r\n\r\n")
          if (end === -1) {
            if (head.length > maxHead) {
              socket.destroy()
              settle(new Error("the answer's headers are too long"))
            }
            return true
          }
          const parsed = parseHead(head.slice(0, end))
          if (parsed instanceof Error) {
            socket.destroy()
            settle(parsed)
            return true
          }
          // an interim answer (100 Continue) comes before the real one
          if (parsed.status >= 100 && parsed.status < 200) {
            head = head.slice(end + 4)
            before -= end + 4
            continue
          }
          const rest = bytes.subarray(Math.max(0, end + 4 - before))
          message = new RawMessage(socket, parsed, rest)
          socket.pause()
          settle(message)
          return true
        }
      }
    }
  })
  socket.on("error", (error) => {
    if (message === undefined) settle(error)
    else message.fail(error)
  })
  socket.on("close", () => {
    if (message === undefined) settle(new Error("socket hang up"))
    else message.onClose()
  })
  socket.write(request)
  return () => {
    socket.destroy()
  }
}
