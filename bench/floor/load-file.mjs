// The floor of `image load -i FILE` on a runtime: what any client of the bare runtime does for it, with nothing else
// loaded. It pings the engine on DOCKER_HOST's socket (as docker's CLI does, to pick the API version), sends FILE as
// the body of `POST /images/load` (`node:http`, the file piped from `fs.createReadStream`) and reads the daemon's
// answer to its end, failing on any status but 200 or an error line in the answer.
// Plain JavaScript (Node would strip a .ts file's types first): run by bench/cli-save.ts beside the CLIs.
//
//   node bench/floor/load-file.mjs FILE
import * as fs from "node:fs"
import * as http from "node:http"

const [file] = process.argv.slice(2)
const socketPath = (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "")

const ping = () =>
  new Promise((resolve, reject) => {
    const request = http.request({ socketPath, method: "HEAD", path: "/_ping" }, (response) => {
      response.resume()
      response.on("end", () => resolve(String(response.headers["api-version"])))
    })
    request.on("error", reject)
    request.end()
  })

const version = await ping()
await new Promise((resolve, reject) => {
  const request = http.request({
    socketPath,
    method: "POST",
    path: `/v${version}/images/load?quiet=1`,
    headers: { "content-type": "application/x-tar" }
  }, (response) => {
    let answer = ""
    response.setEncoding("utf8")
    response.on("data", (text) => answer += text)
    response.on("end", () =>
      response.statusCode === 200 && !answer.includes(`"error"`)
        ? resolve()
        : reject(new Error(`POST /images/load: ${response.statusCode} ${answer.slice(0, 200)}`)))
  })
  request.on("error", reject)
  fs.createReadStream(file).pipe(request)
})
