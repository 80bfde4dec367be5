/**
 * `--secret` as `docker build` (buildx) reads it: comma-separated `key=value` fields (CSV, so a field may be
 * quoted), `id`, `src`/`source` (a file), `env` (an environment variable), `type=file|env`; without `src` or `env`
 * the variable named by the id if it is set, else the file of that name. A later secret with the same id replaces an
 * earlier one. The errors are buildx's texts.
 *
 * @internal
 */
import type { BuildSession } from "@dockhand/client"
import * as Result from "effect/Result"

/** Go's `csvvalue.Fields` for one line: commas split, a field starting with `"` is quoted (`""` inside is `"`). */
const csvFields = (text: string): Result.Result<ReadonlyArray<string>, string> => {
  const fields: Array<string> = []
  let i = 0
  while (i <= text.length) {
    if (text[i] === "\"") {
      let field = ""
      i++
      for (;;) {
        if (i >= text.length) {
          return Result.fail(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`)
        }
        if (text[i] === "\"") {
          if (text[i + 1] === "\"") {
            field += "\""
            i += 2
            continue
          }
          i++
          break
        }
        field += text[i++]
      }
      fields.push(field)
      i++
    } else {
      const end = text.indexOf(",", i)
      fields.push(text.slice(i, end === -1 ? text.length : end))
      i = end === -1 ? text.length + 1 : end + 1
    }
  }
  return Result.succeed(fields)
}

/** One `--secret` value, before its source is resolved. */
interface Spec {
  readonly id: string
  readonly file: string
  readonly env: string
}

const parseOne = (value: string): Result.Result<Spec, string> =>
  Result.flatMap(
    Result.mapError(csvFields(value), (why) => `failed to parse csv secret: ${why}`),
    (fields) => {
      let id = ""
      let file = ""
      let env = ""
      let type = ""
      for (const field of fields) {
        const eq = field.indexOf("=")
        if (eq === -1) return Result.fail(`invalid field '${field}' must be a key=value pair`)
        const key = field.slice(0, eq).toLowerCase()
        const v = field.slice(eq + 1)
        switch (key) {
          case "type":
            if (v !== "file" && v !== "env") return Result.fail(`unsupported secret type ${JSON.stringify(v)}`)
            type = v
            break
          case "id":
            id = v
            break
          case "source":
          case "src":
            file = v
            break
          case "env":
            env = v
            break
          default:
            return Result.fail(`unexpected key '${key}' in '${field}'`)
        }
      }
      if (type === "env" && env === "") return Result.succeed({ id, file: "", env: file })
      return Result.succeed({ id, file, env })
    }
  )

/**
 * The `--secret` values as the session's secrets, or buildx's error: a parse error (printed as `ERROR: …`), or,
 * with `failed to build: ` in front, a missing id or a file that cannot be found (checked before the build, as buildx
 * does). `env` looks up the environment as the process sees it.
 */
export const parse = (
  values: ReadonlyArray<string>,
  env: (name: string) => string | undefined,
  isFile: (path: string) => string | undefined
): Result.Result<ReadonlyArray<BuildSession.Secret>, { readonly message: string; readonly build: boolean }> => {
  const byId = new Map<string, Spec>()
  for (const value of values) {
    if (value === "") continue
    const spec = parseOne(value)
    if (Result.isFailure(spec)) return Result.fail({ message: spec.failure, build: false })
    byId.set(spec.success.id, spec.success)
  }
  const secrets: Array<BuildSession.Secret> = []
  for (let { env: name, file, id } of byId.values()) {
    if (id === "") return Result.fail({ message: "secret missing ID", build: true })
    if (name === "" && file === "") {
      if (env(id) !== undefined) name = id
      else file = id
    }
    if (file !== "") {
      const failure = isFile(file)
      if (failure !== undefined) return Result.fail({ message: `failed to stat ${file}: ${failure}`, build: true })
      secrets.push({ id, source: { _tag: "File", path: file } })
    } else secrets.push({ id, source: { _tag: "Env", name } })
  }
  return Result.succeed(secrets)
}
