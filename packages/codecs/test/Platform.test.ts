import { Platform } from "@dockhand/codecs"
import { Oci } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { fromTests } from "./utils/fixtures.ts"

describe("JSON form (push, history, inspect, save, load, delete)", () => {
  it("matches moby's request fixtures exactly", () => {
    assert.strictEqual(
      Platform.toQueryJson({ os: "linux", architecture: "arm64", variant: "v8" }),
      fromTests("request-platform-query-value.json")
    )
    assert.strictEqual(
      Platform.toQueryJson({ os: "linux", architecture: "amd64" }),
      fromTests("request-platforms-delete-value.json")
    )
  })

  it("writes keys in image-spec order and leaves empty optional keys out", () => {
    assert.strictEqual(
      Platform.toQueryJson({
        variant: "",
        "os.features": ["win32k"],
        "os.version": "10.0.17763.1",
        os: "windows",
        architecture: "amd64"
      }),
      `{"architecture":"amd64","os":"windows","os.version":"10.0.17763.1","os.features":["win32k"]}`
    )
    assert.strictEqual(
      Platform.toQueryJson({ os: "linux", architecture: "arm", "os.features": [], "os.version": "", variant: "v7" }),
      `{"architecture":"arm","os":"linux","variant":"v7"}`
    )
  })

  it("reads back", () => {
    assert.deepStrictEqual(
      Platform.fromQueryJson(fromTests("request-platform-query-value.json")),
      Result.succeed({ architecture: "arm64", os: "linux", variant: "v8" })
    )
    assert.isTrue(Result.isFailure(Platform.fromQueryJson("{\"os\":\"linux\"}")))
  })

  it.prop("fromQueryJson(toQueryJson(p)) keeps every non-empty field", [Oci.Platform], ([platform]) => {
    const back = Result.getOrThrow(Platform.fromQueryJson(Platform.toQueryJson(platform)))
    assert.strictEqual(back.os, platform.os)
    assert.strictEqual(back.architecture, platform.architecture)
    assert.strictEqual(back.variant ?? "", platform.variant ?? "")
    assert.strictEqual(back["os.version"] ?? "", platform["os.version"] ?? "")
    assert.deepStrictEqual(back["os.features"] ?? [], platform["os.features"] ?? [])
  }, { arbitrary: { runs: 200 } })
})

describe("string form (pull, import, build)", () => {
  it("writes os[/arch[/variant]], lower-cased", () => {
    assert.strictEqual(Platform.toQueryString({ os: "linux", architecture: "arm64", variant: "v8" }), "linux/arm64/v8")
    assert.strictEqual(Platform.toQueryString({ os: "linux", architecture: "amd64" }), "linux/amd64")
    assert.strictEqual(Platform.toQueryString({ os: "Linux", architecture: "" }), "linux")
    assert.strictEqual(Platform.toQueryString({ os: "", architecture: "arm64" }), "unknown/arm64")
    assert.strictEqual(
      Platform.toQueryString({ os: "windows", architecture: "amd64", "os.version": "10.0.17763.1" }),
      "windows/amd64"
    )
  })

  it("parses what users type for --platform", () => {
    assert.deepStrictEqual(
      Platform.parse("linux/arm64/v8"),
      Result.succeed({ architecture: "arm64", os: "linux", variant: "v8" })
    )
    assert.deepStrictEqual(Platform.parse("Linux/AMD64"), Result.succeed({ architecture: "amd64", os: "linux" }))
    assert.deepStrictEqual(Platform.parse("linux"), Result.succeed({ architecture: "", os: "linux" }))
  })

  it("rejects malformed platforms with a typed error", () => {
    for (
      const input of [
        "",
        "/",
        "linux/",
        "/amd64",
        "linux//v8",
        "linux/arm/v7/x",
        "linux amd64",
        "linux/amd64&x=1",
        "linux/é"
      ]
    ) {
      const result = Platform.parse(input)
      assert.isTrue(Result.isFailure(result), input)
      if (Result.isFailure(result)) {
        assert.strictEqual(result.failure._tag, "PlatformError")
        assert.strictEqual(result.failure.input, input)
      }
    }
  })

  const part = Schema.String.check(Schema.isPattern(/^[a-z0-9_.-]{1,12}$/))
  it.prop(
    "parse(toQueryString(p)) gives p back",
    [part, part, Schema.UndefinedOr(part)],
    ([os, architecture, variant]) => {
      const platform = variant === undefined ? { os, architecture } : { os, architecture, variant }
      assert.deepStrictEqual(Result.getOrThrow(Platform.parse(Platform.toQueryString(platform))), platform)
    },
    { arbitrary: { runs: 200 } }
  )
})
