import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as Ssh from "../src/internal/build/Ssh.ts"

const env = (vars: Record<string, string>) => (name: string) => vars[name]
/** `/s*` are sockets, `/k*` plain files, anything else missing. */
const stat: Ssh.StatOf = (path) =>
  path.startsWith("/s") ? { socket: true } : path.startsWith("/k") ? { socket: false } : (
    `stat ${path}: no such file or directory`
  )

const failure = (values: ReadonlyArray<string>, vars: Record<string, string> = {}) => {
  const parsed = Ssh.parse(values, env(vars), stat)
  return Result.isFailure(parsed) ? parsed.failure : undefined
}

describe("--ssh as buildx parses it", () => {
  it("reads id[=socket]: no id is default, no socket (or an empty one) is SSH_AUTH_SOCK, empty values skipped", () => {
    const parsed = Ssh.parse(["default", "", "a=/s1"], env({ SSH_AUTH_SOCK: "/sa" }), stat)
    assert.deepStrictEqual(Result.getOrUndefined(parsed), [
      { id: "default", socket: "/sa" },
      { id: "a", socket: "/s1" }
    ])
    assert.deepStrictEqual(Result.getOrUndefined(Ssh.parse(["=/s2", "b="], env({ SSH_AUTH_SOCK: "/sa" }), stat)), [
      { id: "default", socket: "/s2" },
      { id: "b", socket: "/sa" }
    ])
  })

  it("fails with buildx's texts", () => {
    assert.strictEqual(
      failure(["default"]),
      "failed to convert agent config {default [] false}: invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set"
    )
    assert.strictEqual(
      failure(["a=,,"], { SSH_AUTH_SOCK: "/sa" }),
      "failed to convert agent config {a [  ] false}: invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set"
    )
    assert.strictEqual(
      failure(["default=/nonexist"]),
      "failed to convert agent config {default [/nonexist] false}: failed to convert agent config for ID: " +
        "\"default\": stat /nonexist: no such file or directory"
    )
    assert.strictEqual(
      failure(["a=/s1,/k1"]),
      "failed to convert agent config {a [/s1 /k1] false}: failed to convert agent config for ID: \"a\": " +
        "only single socket allowed"
    )
    assert.strictEqual(failure(["a=/s1", "a=/s2"]), "duplicate agent ID \"a\"")
    assert.strictEqual(failure(["=/s1", "default=/s2"]), "duplicate agent ID \"default\"")
  })

  it("refuses a key file (buildx would load it into an agent of its own) and says what to do instead", () => {
    const message = failure(["default=/k/id_ed25519"])
    assert.include(message, "failed to convert agent config for ID: \"default\": /k/id_ed25519 is not a socket")
    assert.include(message, "not key files (load the key into an agent with ssh-add")
  })
})
