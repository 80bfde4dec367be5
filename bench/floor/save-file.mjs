// The floor of `image save -o FILE REF` on a runtime: what any client of the bare runtime does for it, with nothing
// else loaded. It pings the engine on DOCKER_HOST's socket (as docker's CLI does, to pick the API version), asks for
// the image's archive and writes every byte to FILE synchronously as it arrives (dockhand's way, and the fastest
// measured). Two ways to read, picked by the first argument:
//   http  `node:http` and its `data` events: one new buffer for each read of the socket
//   raw   a `node:net` socket reading into one reused 256 KiB buffer (`onread`), with the HTTP answer and its
//         chunked encoding parsed here: no allocation for each read, so no garbage to collect
//   native  (Bun only) Bun's `fetch`, its answer written by `Bun.write(FILE, response)`: no chunk through JavaScript
//   ping  only the ping, with both modules loaded: the floor program at rest, for the memory a transfer adds
// Plain JavaScript (Node would strip a .ts file's types first): run by bench/cli-save.ts beside the CLIs.
//
//   node bench/floor/save-file.mjs http|raw|native|ping FILE REF
import * as fs from "node:fs"
import * as http from "node:http"
import * as net from "node:net"
import { ping, socketPath } from "./ping.mjs"

const [mode, file, ref] = process.argv.slice(2)

const writeAll = (fd, bytes) => {
  for (let offset = 0; offset < bytes.byteLength;) offset += fs.writeSync(fd, bytes, offset)
}

const viaHttp = (path, fd) =>
  new Promise((resolve, reject) => {
    const request = http.request({ socketPath, method: "GET", path }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`GET ${path}: ${response.statusCode}`))
      response.on("data", (chunk) => writeAll(fd, chunk))
      response.on("end", resolve)
      response.on("error", reject)
    })
    request.on("error", reject)
    request.end()
  })

const viaRaw = (path, fd) =>
  new Promise((resolve, reject) => {
    let head = ""
    let inHead = true
    let state = "size" // size | data | crlf | trailer | done
    let sizeText = ""
    let remaining = 0
    let trailer = ""
    const onBody = (bytes) => {
      let at = 0
      while (at < bytes.length && state !== "done") {
        if (state === "size") {
          const end = bytes.indexOf(10, at)
          if (end === -1) {
            sizeText += bytes.toString("latin1", at, bytes.length)
            return
          }
          sizeText += bytes.toString("latin1", at, end)
          at = end + 1
          remaining = parseInt(sizeText.split(";")[0].trim(), 16)
          sizeText = ""
          state = remaining === 0 ? "trailer" : "data"
        } else if (state === "data") {
          const take = Math.min(remaining, bytes.length - at)
          writeAll(fd, bytes.subarray(at, at + take))
          at += take
          remaining -= take
          if (remaining === 0) {
            state = "crlf"
            remaining = 2
          }
        } else if (state === "crlf") {
          const take = Math.min(remaining, bytes.length - at)
          at += take
          remaining -= take
          if (remaining === 0) state = "size"
        } else {
          trailer += bytes.toString("latin1", at, bytes.length)
          at = bytes.length
          if (trailer === "\r\n" || trailer.endsWith("\r\n\r\n")) state = "done"
        }
      }
      if (state === "done") {
        socket.end()
        resolve()
      }
    }
    const socket = net.connect({
      path: socketPath,
      onread: {
        buffer: Buffer.allocUnsafe(Number(process.env.FLOOR_KIB ?? 256) * 1024),
        callback: (length, buffer) => {
          let bytes = buffer.subarray(0, length)
          if (inHead) {
            head += bytes.toString("latin1", 0, bytes.length)
            const end = head.indexOf("\r\n\r\n")
            if (end === -1) return
            inHead = false
            if (!head.startsWith("HTTP/1.1 200")) return reject(new Error(head.split("\r\n")[0]))
            if (!/\r\ntransfer-encoding: *chunked/i.test(head.slice(0, end))) return reject(new Error("not chunked"))
            bytes = bytes.subarray(bytes.length - (head.length - end - 4))
          }
          onBody(bytes)
        }
      }
    })
    socket.on("error", reject)
    socket.on("close", () => state === "done" || reject(new Error("the connection closed before the end")))
    socket.write(`GET ${path} HTTP/1.1\r\nHost: docker\r\n\r\n`)
  })

const version = await ping()
if (mode === "ping") process.exit(0)
const fd = fs.openSync(`${file}.tmp`, "w", 0o600)
const path = `/v${version}/images/${encodeURIComponent(ref)}/get`
if (mode === "native") {
  const response = await fetch(`http://docker${path}`, { unix: socketPath })
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`)
  await Bun.write(fd, response)
} else await (mode === "raw" ? viaRaw : viaHttp)(path, fd)
fs.closeSync(fd)
fs.renameSync(`${file}.tmp`, file)
