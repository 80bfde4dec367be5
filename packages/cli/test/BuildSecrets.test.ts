import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as Secrets from "../src/internal/build/Secrets.ts"

const env = (vars: Record<string, string>) => (name: string) => vars[name]
const files = (existing: ReadonlyArray<string>) => (path: string) =>
  existing.includes(path) ? undefined : `stat ${path}: no such file or directory`

describe("--secret as buildx parses it", () => {
  it("reads id, src/source, env and type, and resolves a bare id as buildkit's store does", () => {
    const parsed = Secrets.parse(
      ["id=a,src=/f", "id=b,source=/f", "id=c,env=V", "type=env,id=d,src=W", "id=E", "id=F", "\"id=g\",src=/f"],
      env({ E: "x" }),
      files(["/f", "F"])
    )
    assert.deepStrictEqual(Result.getOrUndefined(parsed), [
      { id: "a", source: { _tag: "File", path: "/f" } },
      { id: "b", source: { _tag: "File", path: "/f" } },
      { id: "c", source: { _tag: "Env", name: "V" } },
      { id: "d", source: { _tag: "Env", name: "W" } },
      { id: "E", source: { _tag: "Env", name: "E" } },
      { id: "F", source: { _tag: "File", path: "F" } },
      { id: "g", source: { _tag: "File", path: "/f" } }
    ])
  })

  it("a later secret with the same id replaces the earlier one in its place", () => {
    const parsed = Secrets.parse(["id=a,src=/1", "id=b,env=B", "id=a,src=/2"], env({}), files(["/1", "/2"]))
    assert.deepStrictEqual(Result.getOrUndefined(parsed)?.map((s) => s.source), [
      { _tag: "File", path: "/2" },
      { _tag: "Env", name: "B" }
    ])
  })

  it("fails with buildx's texts", () => {
    const failure = (values: ReadonlyArray<string>) =>
      Result.match(Secrets.parse(values, env({}), files([])), { onSuccess: () => undefined, onFailure: (f) => f })
    assert.deepStrictEqual(failure(["foo=bar"]), { message: "unexpected key 'foo' in 'foo=bar'", build: false })
    assert.deepStrictEqual(failure(["type=bad,id=x"]), { message: "unsupported secret type \"bad\"", build: false })
    assert.deepStrictEqual(failure(["src"]), { message: "invalid field 'src' must be a key=value pair", build: false })
    assert.deepStrictEqual(failure(["src=/x"]), { message: "secret missing ID", build: true })
    assert.deepStrictEqual(failure(["id=x,src=/nope"]), {
      message: "failed to stat /nope: stat /nope: no such file or directory",
      build: true
    })
  })
})
