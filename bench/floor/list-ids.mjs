// The floor of `images -q` on a runtime: what any client of the bare runtime does for it, with nothing else loaded.
// It pings the engine on DOCKER_HOST's socket (as docker's CLI does, to pick the API version), lists the images,
// parses the JSON and prints each row's short ID (one per tag, or one for an untagged image), as `images -q` does.
// Plain JavaScript (Node would strip a .ts file's types first, ~30 ms) and `node:http` on Node and Bun alike: run by
// bench/cli-ls.ts beside the CLIs.
import * as http from "node:http"

const socketPath = (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "")

/** One request on the socket: the `Api-Version` header and the body, or a failure for any status but 200. */
const get = (method, path) =>
  new Promise((resolve, reject) => {
    const request = http.request({ socketPath, method, path }, (response) => {
      const chunks = []
      response.on("data", (chunk) => chunks.push(chunk))
      response.on("end", () =>
        response.statusCode === 200
          ? resolve({ version: String(response.headers["api-version"]), body: Buffer.concat(chunks).toString("utf8") })
          : reject(new Error(`${method} ${path}: ${response.statusCode}`)))
    })
    request.on("error", reject)
    request.end()
  })

const { version } = await get("HEAD", "/_ping")
const { body } = await get("GET", `/v${version}/images/json`)
let out = ""
for (const image of JSON.parse(body)) {
  const id = image.Id.replace(/^sha256:/, "").slice(0, 12)
  for (let i = 0; i < Math.max(1, image.RepoTags?.length ?? 0); i++) out += `${id}\n`
}
process.stdout.write(out)
