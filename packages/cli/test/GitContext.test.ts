import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as GitContext from "../src/internal/GitContext.ts"

describe("GitContext", () => {
  it("isGitUrl follows docker's urlutil.IsGitURL (its unescaped dot included)", () => {
    for (
      const url of [
        "https://example.com/repo.git",
        "http://h/r.git#main:sub",
        "git://h/r",
        "git@github.com:u/r.git",
        "github.com/u/r",
        "https://example.com/repoxgit"
      ]
    ) {
      assert.isTrue(GitContext.isGitUrl(url), url)
    }
    for (
      const url of [
        "https://example.com/ctx.tar.gz",
        "https://example.com/repo.git/",
        "ctx",
        "./repo.git",
        "ftp://h/r.git"
      ]
    ) {
      assert.isFalse(GitContext.isGitUrl(url), url)
    }
  })
  it("parseRemote: master by default, ref and subdir from the fragment, https:// added, no refs like flags", () => {
    assert.deepStrictEqual(Result.getOrThrow(GitContext.parseRemote("https://h/r.git")), {
      remote: "https://h/r.git",
      ref: "master",
      subdir: ""
    })
    assert.deepStrictEqual(Result.getOrThrow(GitContext.parseRemote("https://h/r.git#v1:a/b")), {
      remote: "https://h/r.git",
      ref: "v1",
      subdir: "a/b"
    })
    assert.deepStrictEqual(Result.getOrThrow(GitContext.parseRemote("https://h/r.git#:sub")), {
      remote: "https://h/r.git",
      ref: "master",
      subdir: "sub"
    })
    assert.deepStrictEqual(Result.getOrThrow(GitContext.parseRemote("github.com/u/r")), {
      remote: "https://github.com/u/r",
      ref: "master",
      subdir: ""
    })
    assert.deepStrictEqual(Result.getOrThrow(GitContext.parseRemote("git@github.com:u/r.git#dev")), {
      remote: "git@github.com:u/r.git",
      ref: "dev",
      subdir: ""
    })
    assert.deepStrictEqual(
      GitContext.parseRemote("https://h/r.git#--upload-pack=x"),
      Result.fail("invalid refspec: --upload-pack=x")
    )
  })
})
