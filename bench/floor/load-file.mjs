// The floor of `image load -i FILE` on a runtime: what any client of the bare runtime does for it, with nothing else
// loaded. It pings the engine on DOCKER_HOST's socket (as docker's CLI does, to pick the API version), sends FILE as
// the body of `POST /images/load?quiet=1` and reads the daemon's answer to its end, failing on any status but 200 or
// an error line in the answer. Two ways to send, picked by the first argument:
//   pipe  `node:http`, the file piped from `fs.createReadStream`
//   raw   a `node:net` socket: the request's head with the file's size as Content-Length, then the file read with
//         `readSync` into two 1 MiB buffers in turn, each written again only once the socket has taken it
//   native  (Bun only) a `fetch` whose body is `Bun.file(FILE)`: Bun sends it with `sendfile`
// Plain JavaScript (Node would strip a .ts file's types first): run by bench/cli-save.ts beside the CLIs.
//
//   node bench/floor/load-file.mjs pipe|raw|native FILE
import * as fs from "node:fs"
import * as http from "node:http"
import * as net from "node:net"
import { ping, socketPath } from "./ping.mjs"

const [mode, file] = process.argv.slice(2)

const version = await ping()
const path = `/v${version}/images/load?quiet=1`

/** Whether the daemon's answer (head and body, as text) says the load worked. */
const succeeded = (status, answer) => status === 200 && !answer.includes(`"error"`)

const viaPipe = () =>
  new Promise((resolve, reject) => {
    const request = http.request({
      socketPath,
      method: "POST",
      path,
      headers: { "content-type": "application/x-tar" }
    }, (response) => {
      let answer = ""
      response.setEncoding("utf8")
      response.on("data", (text) => answer += text)
      response.on("end", () =>
        succeeded(response.statusCode, answer)
          ? resolve()
          : reject(new Error(`POST /images/load: ${response.statusCode} ${answer.slice(0, 200)}`)))
    })
    request.on("error", reject)
    fs.createReadStream(file).pipe(request)
  })

const viaRaw = () =>
  new Promise((resolve, reject) => {
    const fd = fs.openSync(file, "r")
    const size = fs.fstatSync(fd).size
    const buffers = [Buffer.allocUnsafe(1024 * 1024), Buffer.allocUnsafe(1024 * 1024)]
    let answer = ""
    const socket = net.connect({ path: socketPath })
    socket.setEncoding("latin1")
    socket.on("data", (text) => answer += text)
    socket.on("error", reject)
    socket.on("end", () => {
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1])
      if (succeeded(status, answer)) resolve()
      else reject(new Error(`POST /images/load: ${answer.slice(0, 200)}`))
    })
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n` +
        `Content-Length: ${size}\r\nConnection: close\r\n\r\n`
    )
    // a buffer is read into again only once the write of its last bytes has called back
    const busy = [false, false]
    let turn = 0
    let done = false
    const next = () => {
      if (done) return
      const index = turn
      if (busy[index]) return
      const length = fs.readSync(fd, buffers[index], 0, buffers[index].length, null)
      if (length === 0) {
        done = true
        fs.closeSync(fd)
        return
      }
      busy[index] = true
      turn = 1 - turn
      socket.write(buffers[index].subarray(0, length), () => {
        busy[index] = false
        next()
      })
      next()
    }
    next()
  })

/** Bun only: a `fetch` whose body is `Bun.file(FILE)`, which Bun sends with `sendfile`. */
const viaNative = async () => {
  const response = await fetch(`http://docker${path}`, {
    unix: socketPath,
    method: "POST",
    body: Bun.file(file),
    headers: { "content-type": "application/x-tar" }
  })
  const answer = await response.text()
  if (!succeeded(response.status, answer)) {
    throw new Error(`POST /images/load: ${response.status} ${answer.slice(0, 200)}`)
  }
}

await (mode === "raw" ? viaRaw : mode === "native" ? viaNative : viaPipe)()
