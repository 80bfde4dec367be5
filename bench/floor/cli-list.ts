// The floor of `image ls` for a program built as dockhand is: the effect/cli command tree of cli.ts with the same
// platform services, whose `image ls` handler does what bench/floor/list-ids.mjs does (ping on DOCKER_HOST's socket,
// list, `JSON.parse`, print each row's short ID) with `node:http` and ping.mjs, nothing else. bench/cli-ls.ts runs it
// for `image ls`'s peak RSS: what effect, effect/cli and one parsed list of the fixture's images hold at once.
import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import * as http from "node:http"
import { ping, socketPath } from "./ping.mjs"
import * as Services from "./services.ts"

/** `GET path` on the socket: the body, or a failure for any status but 200. */
const get = (path: string) =>
  Effect.callback<string, Error>((resume) => {
    const request = http.request({ socketPath, method: "GET", path }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () =>
        resume(
          response.statusCode === 200
            ? Effect.succeed(Buffer.concat(chunks).toString("utf8"))
            : Effect.fail(new Error(`GET ${path}: ${response.statusCode}`))
        ))
    })
    request.on("error", (error) => resume(Effect.fail(error)))
    request.end()
  })

const ls = Command.make("ls", {}, () =>
  Effect.gen(function*() {
    const version = yield* Effect.promise(ping)
    const body = yield* get(`/v${version}/images/json`)
    let out = ""
    for (const image of JSON.parse(body) as Array<{ Id: string; RepoTags: Array<string> | null }>) {
      const id = image.Id.replace(/^sha256:/, "").slice(0, 12)
      for (let i = 0; i < Math.max(1, image.RepoTags?.length ?? 0); i++) out += `${id}\n`
    }
    yield* Effect.sync(() => process.stdout.write(out))
  }))

const floor = Command.make("floor").pipe(
  Command.withSubcommands([Command.make("image").pipe(Command.withSubcommands([ls]))])
)

Effect.runFork(Command.runWith(floor, { version: "0" })(process.argv.slice(2)).pipe(Effect.provide(Services.layer)))
