import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as Platforms from "../src/internal/Platforms.ts"

const parse = (text: string) => {
  const result = Platforms.parseContainerd(text)
  return Result.isSuccess(result) ? result.success : result.failure
}

describe("parseContainerd (containerd's platforms.Parse, as docker CLI 28.5 reads --platform)", () => {
  it("normalises as containerd does", () => {
    assert.deepStrictEqual(parse("linux/arm64"), { architecture: "arm64", os: "linux" })
    assert.deepStrictEqual(parse("Linux/AArch64"), { architecture: "arm64", os: "linux" })
    assert.deepStrictEqual(parse("linux/arm64/v8"), { architecture: "arm64", os: "linux", variant: "v8" })
    assert.deepStrictEqual(parse("linux/x86_64/v1"), { architecture: "amd64", os: "linux" })
    assert.deepStrictEqual(parse("linux/armhf"), { architecture: "arm", os: "linux" })
    assert.deepStrictEqual(parse("linux/arm/6"), { architecture: "arm", os: "linux", variant: "v6" })
    assert.deepStrictEqual(parse("windows(10.0.17763)/amd64"), {
      architecture: "amd64",
      os: "windows",
      "os.version": "10.0.17763"
    })
    assert.strictEqual((parse("linux") as { os: string }).os, "linux")
  })

  it("fails with containerd's words", () => {
    assert.strictEqual(
      parse("linux//"),
      `"" is an invalid component of "linux//": platform specifier component must match "^[A-Za-z0-9_.-]+$": ` +
        "invalid argument"
    )
    assert.strictEqual(
      parse("/amd64"),
      `"" is an invalid OS component of "/amd64": OSAndVersion specifier component must match ` +
        `"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$": invalid argument`
    )
    assert.strictEqual(parse("linux/*"), `"linux/*": wildcards not yet supported: invalid argument`)
    assert.strictEqual(parse("nonsense"), `"nonsense": unknown operating system or architecture: invalid argument`)
    assert.strictEqual(
      parse("linux/arm64/v8/x"),
      `"linux/arm64/v8/x": cannot parse platform specifier: invalid argument`
    )
  })
})
