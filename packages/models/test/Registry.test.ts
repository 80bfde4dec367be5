import { Registry } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

describe("Registry.AuthConfig", () => {
  const wire = { username: "dockhand", password: "hunter2-secret", serveraddress: "127.0.0.1:5443" }

  it("hides secrets once decoded and gives them back on encode", () => {
    const auth = Schema.decodeUnknownSync(Registry.AuthConfig)(wire)
    assert.isTrue(Redacted.isRedacted(auth.password))
    assert.notInclude(String(auth.password), "hunter2")
    assert.notInclude(JSON.stringify(auth), "hunter2")
    assert.deepStrictEqual(Schema.encodeSync(Registry.AuthConfig)(auth), wire)
  })

  it("accepts identity tokens and the 1.41 email key", () => {
    const auth = Schema.decodeUnknownSync(Registry.AuthConfig)({ identitytoken: "tok-123", email: "a@b.c" })
    assert.strictEqual(Redacted.value(auth.identitytoken!), "tok-123")
  })
})

describe("Registry.SearchResult and DistributionInspect", () => {
  it("decodes snake_case search hits and a null platform list", () => {
    const hit = { star_count: 1, is_official: true, name: "busybox", is_automated: false, description: "tiny" }
    assert.deepStrictEqual(Schema.decodeUnknownSync(Registry.SearchResult)(hit), hit)
    const inspect = {
      Descriptor: {
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        digest: "sha256:" + "a".repeat(64),
        size: 527
      },
      Platforms: null
    }
    assert.deepStrictEqual(
      Schema.encodeSync(Registry.DistributionInspect)(Schema.decodeUnknownSync(Registry.DistributionInspect)(inspect)),
      inspect
    )
  })
})
