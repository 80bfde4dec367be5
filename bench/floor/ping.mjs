// What every transfer floor (save-file.mjs, load-file.mjs) does first, as docker's CLI does: the engine's socket
// from DOCKER_HOST, and a `HEAD /_ping` on it for the API version to put in the request's path.
import * as http from "node:http"

/** The unix socket DOCKER_HOST names (docker's default without it). */
export const socketPath = (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "")

/** Pings the engine; resolves with its `Api-Version` header. */
export const ping = () =>
  new Promise((resolve, reject) => {
    const request = http.request({ socketPath, method: "HEAD", path: "/_ping" }, (response) => {
      response.resume()
      response.on("end", () => resolve(String(response.headers["api-version"])))
    })
    request.on("error", reject)
    request.end()
  })
