import { assert, describe, it } from "@effect/vitest"
import * as DockerConfig from "../src/DockerConfig.ts"
import * as GoPath from "../src/GoPath.ts"

/** What Go's `path.Clean` returns for each input (Go's own table, plus rooted and `..` edge cases). */
const cleaned: ReadonlyArray<readonly [string, string]> = [
  ["", "."],
  ["abc", "abc"],
  ["abc/def", "abc/def"],
  ["a/b/c", "a/b/c"],
  [".", "."],
  ["..", ".."],
  ["../..", "../.."],
  ["../../abc", "../../abc"],
  ["/abc", "/abc"],
  ["/", "/"],
  ["abc/", "abc"],
  ["abc/def/", "abc/def"],
  ["/abc/", "/abc"],
  ["//abc", "/abc"],
  ["///abc", "/abc"],
  ["//abc//", "/abc"],
  ["abc//def//ghi", "abc/def/ghi"],
  ["abc/./def", "abc/def"],
  ["/./abc/def", "/abc/def"],
  ["abc/.", "abc"],
  ["abc/def/ghi/../jkl", "abc/def/jkl"],
  ["abc/def/../ghi/../jkl", "abc/jkl"],
  ["abc/def/..", "abc"],
  ["abc/def/../..", "."],
  ["/abc/def/../..", "/"],
  ["abc/def/../../..", ".."],
  ["/abc/def/../../..", "/"],
  ["abc/def/../../../ghi/jkl/../../../mno", "../../mno"],
  ["abc/./../def", "def"],
  ["abc//./../def", "def"],
  ["abc/../../././../def", "../../def"],
  ["/..", "/"],
  ["/../a", "/a"],
  ["./", "."],
  ["./a", "a"]
]

describe("GoPath", () => {
  it("clean: Go's path.Clean", () => {
    for (const [input, output] of cleaned) assert.strictEqual(GoPath.clean(input), output, JSON.stringify(input))
  })

  it("clean is idempotent", () => {
    for (const [, output] of cleaned) assert.strictEqual(GoPath.clean(output), output, JSON.stringify(output))
  })

  it("join: Go's path.Join, empty elements skipped", () => {
    assert.strictEqual(GoPath.join(), "")
    assert.strictEqual(GoPath.join("", ""), "")
    assert.strictEqual(GoPath.join("a", "b"), "a/b")
    assert.strictEqual(GoPath.join("a", ""), "a")
    assert.strictEqual(GoPath.join("", "b"), "b")
    assert.strictEqual(GoPath.join("/", "a"), "/a")
    assert.strictEqual(GoPath.join("a/", "b"), "a/b")
    assert.strictEqual(GoPath.join("a/", ""), "a")
    assert.strictEqual(GoPath.join("/root/.docker", "contexts", "..", "x"), "/root/.docker/x")
  })

  it("DockerConfig no longer exports the removed cleanPath and joinPath aliases", () => {
    assert.notProperty(DockerConfig, "cleanPath")
    assert.notProperty(DockerConfig, "joinPath")
  })
})
