import { RegistryAuth } from "@dockhand/codecs"
import { Registry } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Formatter from "effect/Formatter"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { inspect } from "node:util"
import { fixture } from "./utils/fixtures.ts"

/** Go's base64.URLEncoding (padded), computed independently with Node's Buffer. */
const goBase64Url = (text: string) =>
  Buffer.from(text, "utf8").toString("base64").replace(/\+/g, "-").replace(/\//g, "_")

const secret = "p@ss?w0rd>>~~"

const failure = <A>(result: Result.Result<A, RegistryAuth.RegistryAuthError>): RegistryAuth.RegistryAuthError => {
  if (Result.isSuccess(result)) throw new Error("expected a failure")
  return result.failure
}

describe("X-Registry-Auth", () => {
  it("encodes the JSON in Go's field order as padded base64url", () => {
    const header = RegistryAuth.encode({
      serveraddress: "registry.example.com",
      password: Redacted.make(secret),
      username: "u"
    })
    const json = `{"username":"u","password":"${secret}","serveraddress":"registry.example.com"}`
    assert.strictEqual(Redacted.value(header), goBase64Url(json))
    assert.match(Redacted.value(header), /^[A-Za-z0-9_-]*={0,2}$/)
    assert.include(Redacted.value(header), "_")
    assert.include(Redacted.value(header), "-")
  })

  it("keeps = padding (unlike Node's base64url)", () => {
    for (const username of ["a", "ab", "abc", "abcd"]) {
      const value = Redacted.value(RegistryAuth.encode({ username }))
      assert.strictEqual(value.length % 4, 0)
      assert.strictEqual(value, goBase64Url(`{"username":"${username}"}`))
    }
  })

  it("anonymous access is e30=", () => {
    assert.strictEqual(Redacted.value(RegistryAuth.empty), "e30=")
    assert.strictEqual(Redacted.value(RegistryAuth.encode({})), "e30=")
    assert.strictEqual(Redacted.value(RegistryAuth.encode({ username: "", password: Redacted.make("") })), "e30=")
  })

  it("encodes the spec's example", () => {
    const example = fixture("swagger-v1.54/definition-AuthConfig-example.json")
    const config = Result.getOrThrow(RegistryAuth.decode(goBase64Url(example)))
    assert.deepStrictEqual(
      JSON.parse(Buffer.from(Redacted.value(RegistryAuth.encode(config)), "base64url").toString()),
      JSON.parse(example)
    )
  })

  it("decodes with or without padding, Redacted or not", () => {
    const header = RegistryAuth.encode({ username: "u", identitytoken: Redacted.make(secret) })
    const unpadded = Redacted.value(header).replace(/=+$/, "")
    for (const input of [header, Redacted.value(header), unpadded]) {
      const config = Result.getOrThrow(RegistryAuth.decode(input))
      assert.strictEqual(config.username, "u")
      assert.strictEqual(Redacted.value(config.identitytoken!), secret)
    }
    assert.deepStrictEqual(RegistryAuth.decode(""), Result.succeed({}))
  })

  it("rejects standard base64, garbage and wrong JSON with typed errors", () => {
    const standard = Buffer.from(`{"username":"??>>"}`).toString("base64")
    assert.include(standard, "/")
    assert.strictEqual(failure(RegistryAuth.decode(standard)).reason, "Base64")
    assert.strictEqual(failure(RegistryAuth.decode("a")).reason, "Base64")
    assert.strictEqual(failure(RegistryAuth.decode(goBase64Url("{"))).reason, "Json")
    const wrongType = failure(RegistryAuth.decode(goBase64Url(`{"password":5}`)))
    assert.strictEqual(wrongType.reason, "Json")
    assert.deepStrictEqual(wrongType.issues, [{ path: "$.password", expected: "string", found: "number" }])
  })

  it.prop(
    "decode(encode(config)) gives the config back (Go drops empty strings)",
    [Registry.AuthConfig],
    ([config]) => {
      const back = Result.getOrThrow(RegistryAuth.decode(RegistryAuth.encode(config)))
      const plain = Schema.encodeSync(Registry.AuthConfig)
      const withoutEmpty = Object.fromEntries(Object.entries(plain(config)).filter(([, value]) => value !== ""))
      assert.deepStrictEqual(plain(back), withoutEmpty)
    },
    { arbitrary: { runs: 200 } }
  )
})

describe("X-Registry-Config", () => {
  it("encodes a map of registries, sorted as Go sorts map keys", () => {
    const header = RegistryAuth.encodeConfig({
      "registry.example.com": { username: "b" },
      "https://index.docker.io/v1/": { username: "a", password: Redacted.make(secret) }
    })
    assert.strictEqual(
      Redacted.value(header),
      goBase64Url(
        `{"https://index.docker.io/v1/":{"username":"a","password":"${secret}"},"registry.example.com":{"username":"b"}}`
      )
    )
    const back = Result.getOrThrow(RegistryAuth.decodeConfig(header))
    assert.deepStrictEqual(Object.keys(back), ["https://index.docker.io/v1/", "registry.example.com"])
    assert.strictEqual(Redacted.value(back["https://index.docker.io/v1/"]!.password!), secret)
    assert.strictEqual(Redacted.value(RegistryAuth.encodeConfig({})), "e30=")
    assert.strictEqual(failure(RegistryAuth.decodeConfig(goBase64Url(`{"a":[]}`))).reason, "Json")
  })
})

describe("secrets never leak", () => {
  const outputs = (
    value: unknown
  ) => [String(value), JSON.stringify(value), Formatter.format(value), inspect(value, { depth: 10 })]

  it("from encoded headers and decoded configs", () => {
    const config: Registry.AuthConfig = { username: "u", password: Redacted.make(secret), auth: Redacted.make(secret) }
    const header = RegistryAuth.encode(config)
    const decoded = Result.getOrThrow(RegistryAuth.decode(header))
    for (const value of [header, config, decoded, { header }, RegistryAuth.encodeConfig({ r: config })]) {
      for (const output of outputs(value)) {
        assert.notInclude(output, secret)
        assert.notInclude(output, Redacted.value(header))
      }
    }
  })

  it("from decoding errors", () => {
    const headers = [
      goBase64Url(`{"password":"${secret}"`),
      goBase64Url(`{"password":"${secret}","username":7}`),
      goBase64Url(`{"password":"${secret}"} ${secret}`),
      goBase64Url(`{"password":["${secret}"]}`),
      Buffer.from(`{"password":"${secret}"}`).toString("base64") + "*"
    ]
    for (const header of headers) {
      const error = failure(RegistryAuth.decode(header))
      for (const output of outputs(error)) {
        assert.notInclude(output, secret)
        assert.notInclude(output, header)
      }
    }
  })
})
