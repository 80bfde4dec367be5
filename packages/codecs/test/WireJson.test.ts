import { WireJson } from "@dockhand/codecs"
import * as Models from "@dockhand/models"
import { Build, Common, DockerSpec, Image, JsonMessage, Oci, Registry, System } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Formatter from "effect/Formatter"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaParser from "effect/SchemaParser"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { inspect } from "node:util"
import * as FastReader from "../src/internal/fastReader.ts"
import { bytes, fromTests, live } from "./utils/fixtures.ts"

const failure = <A>(result: Result.Result<A, WireJson.WireJsonError>): WireJson.WireJsonError => {
  if (Result.isSuccess(result)) throw new Error("expected a failure")
  return result.failure
}

const success = <A>(result: Result.Result<A, WireJson.WireJsonError>): A => {
  if (Result.isFailure(result)) throw new Error(`expected a success: ${result.failure.message}`)
  return result.success
}

describe("decoding fixtures", () => {
  it("reads moby's test bodies", () => {
    const history = success(
      WireJson.decodeResult(Schema.Array(Image.HistoryResponseItem))(
        fromTests("image-history-response.json")
      )
    )
    assert.deepStrictEqual(history.map((item) => item.Id), ["image_id1", "image_id2"])
    const config = WireJson.decodeResult(Schema.NullOr(DockerSpec.DockerOCIImageConfig), { strict: true })
    for (const name of ["lt-1.50", "1.50-1.51", "ge-1.52"]) {
      const value = success(config(fromTests(`image-inspect-Config-api-${name}.json`)))
      assert.deepStrictEqual(value?.Cmd, ["/bin/sh"])
    }
    assert.isNull(success(config(fromTests("image-inspect-Config-empty.json"))))
  })

  it("reads Engine 20.10 answers strictly", () => {
    const strict = { strict: true } as const
    const inspected = success(
      WireJson.decodeResult(Image.InspectResponse, strict)(live("GET-images-local-bb-1-json.json"))
    )
    assert.strictEqual(inspected.Config?.Labels?.["org.example"], "1")
    success(WireJson.decodeResult(Image.InspectResponse, strict)(live("GET-images-local-imp-1-json.json")))
    success(
      WireJson.decodeResult(Schema.Array(Image.Summary), strict)(live("GET-images-json-filters-map-reference.json"))
    )
    success(WireJson.decodeResult(System.VersionResponse, strict)(live("GET-version.json")))
  })

  it("accepts bytes as well as text", () => {
    const text = live("GET-images-local-bb-1-history.json")
    assert.deepStrictEqual(
      success(WireJson.decodeResult(Schema.Array(Image.HistoryResponseItem))(bytes(text))),
      success(WireJson.decodeResult(Schema.Array(Image.HistoryResponseItem))(text))
    )
  })

  it.effect("decode is an Effect that fails with WireJsonError", () =>
    Effect.gen(function*() {
      const decode = WireJson.decode(Common.ErrorResponse)
      assert.deepStrictEqual(yield* decode("{\"message\":\"x\"}"), { message: "x" })
      const error = yield* Effect.flip(decode("{\"message\":1}"))
      assert.strictEqual(error._tag, "WireJsonError")
      assert.strictEqual(error.reason, "Mismatch")
    }))
})

describe("encoding like Go", () => {
  // Engine 20.10 writes these bodies with Go's encoder (map keys sorted, struct fields in order, trailing "\n")
  const roundTrips: ReadonlyArray<readonly [string, Schema.Codec<unknown, unknown>]> = [
    ["GET-images-json-filters-map-reference.json", Schema.Array(Image.Summary) as Schema.Codec<unknown, unknown>],
    ["GET-images-local-bb-1-history.json", Schema.Array(Image.HistoryResponseItem) as Schema.Codec<unknown, unknown>],
    ["GET-images-local-imp-1-history.json", Schema.Array(Image.HistoryResponseItem) as Schema.Codec<unknown, unknown>],
    ["GET-version.json", System.VersionResponse as Schema.Codec<unknown, unknown>],
    ["GET-images-doesnotexist-json-404.json", Common.ErrorResponse as Schema.Codec<unknown, unknown>],
    ["GET-images-json-invalid-filter-400.json", Common.ErrorResponse as Schema.Codec<unknown, unknown>]
  ]
  for (const [name, schema] of roundTrips) {
    it(`writes ${name} back byte for byte`, () => {
      const text = live(name)
      const value = success(WireJson.decodeResult(schema)(text))
      assert.strictEqual(success(WireJson.encodeResult(schema)(value)), text)
    })
  }

  it("keeps struct order, leaves absent keys out, sorts map keys", () => {
    const encode = WireJson.encodeResult(Oci.Descriptor, { newline: false })
    const text = success(encode({
      size: 3,
      annotations: { z: "1", a: "2", "é": "3", "\u{1F600}": "4", "\uFFFD": "5" },
      digest: "sha256:abc",
      mediaType: "m"
    }))
    assert.strictEqual(
      text,
      `{"mediaType":"m","digest":"sha256:abc","size":3,"annotations":{"a":"2","z":"1","é":"3","\uFFFD":"5","\u{1F600}":"4"}}`
    )
  })

  it("does not escape HTML, escapes U+2028/U+2029, keeps -0, ends with a newline by default", () => {
    const encode = WireJson.encodeResult(Schema.Unknown)
    assert.strictEqual(
      success(encode({ a: "<b>&</b>", b: "x\u2028y\u2029", c: -0, d: 1e21, e: 1e-7 })),
      `{"a":"<b>&</b>","b":"x\\u2028y\\u2029","c":-0,"d":1e+21,"e":1e-7}\n`
    )
    assert.strictEqual(success(WireJson.encodeResult(Schema.Unknown, { newline: false })([1])), "[1]")
  })

  it("refuses values JSON cannot carry", () => {
    const encode = WireJson.encodeResult(Schema.Unknown)
    for (
      const [value, path, found] of [
        [{ a: Number.NaN }, "$.a", "NaN"],
        [{ a: [1, undefined] }, "$.a[1]", "undefined"],
        [{ a: new Date(0) }, "$.a", "an instance of Date"],
        [{ a: 1n }, "$.a", "bigint"],
        [[() => 1], "$[0]", "function"]
      ] as const
    ) {
      const error = failure(encode(value))
      assert.strictEqual(error.reason, "Unencodable")
      assert.deepStrictEqual(error.issues[0]?.path, path)
      assert.deepStrictEqual(error.issues[0]?.found, found)
    }
  })

  it("reports values that fail their schema", () => {
    const error = failure(WireJson.encodeResult(Image.Summary)({ Id: 1 } as never))
    assert.strictEqual(error.reason, "Unencodable")
    assert.isTrue(error.issues.some((issue) => issue.path === "$.Id" && issue.found === "number"))
  })

  it.effect("encode is an Effect", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* WireJson.encode(Common.IDResponse)({ Id: "x" }), `{"Id":"x"}\n`)
    }))
})

describe("errors", () => {
  it("locates malformed JSON without quoting it", () => {
    const error = failure(WireJson.parse("{\n  \"password\": \"hunter2\" x}"))
    assert.strictEqual(error.reason, "Malformed")
    assert.deepStrictEqual([error.line, error.column, error.position], [2, 25, 26])
    assert.strictEqual(error.issues[0]?.found, "a letter")
    assert.notInclude(error.message, "hunter2")
  })

  it("tells truncated input from malformed input", () => {
    for (const text of ["{\"a\":", "{\"a\":\"secr", "[1,2", "", "  ", "{\"a\":tr", "\"\\u12"]) {
      const error = failure(WireJson.parse(text))
      assert.strictEqual(error.reason, "Truncated", text)
      assert.strictEqual(error.issues[0]?.found, "end of input")
    }
    for (
      const text of ["[1,]", "{'a':1}", "01", "[1] 2", "{\"a\" 1}", "tru", "nul!", "\"a\u0001\"", "\uFEFF{}", "NaN"]
    ) {
      const error = failure(WireJson.parse(text))
      assert.include(["Malformed", "Truncated"], error.reason, text)
      if (text !== "tru") assert.strictEqual(error.reason, "Malformed", text)
    }
  })

  it("names the path, the expected type and the type found", () => {
    const error = failure(
      WireJson.decodeResult(Schema.Array(Image.Summary), { errors: "all" })(
        "[{\"Containers\":1,\"Created\":1,\"Id\":\"x\",\"Labels\":null,\"ParentId\":\"\",\"RepoDigests\":[],\"RepoTags\":\"secret-tag\","
          + "\"SharedSize\":1,\"Size\":1.5}]"
      )
    )
    assert.strictEqual(error.reason, "Mismatch")
    assert.deepStrictEqual(error.issues, [
      { path: "$[0].RepoTags", expected: "array | null", found: "string" },
      { path: "$[0].Size", expected: "an integer", found: "number" }
    ])
    assert.strictEqual(
      error.message,
      "JSON does not match the expected shape: expected array | null at $[0].RepoTags, found string (and 1 more)"
    )
    assert.notInclude(error.message, "secret-tag")
  })

  it("turns a schema that throws into a typed error, both ways", () => {
    const Throwing = Schema.String.pipe(Schema.decodeTo(
      Schema.String,
      SchemaTransformation.transform({
        decode: (): string => {
          throw new Error("boom")
        },
        encode: (): string => {
          throw new Error("boom")
        }
      })
    ))
    const decoded = failure(WireJson.decodeResult(Throwing)("\"x\""))
    assert.deepStrictEqual([decoded.reason, decoded.issues[0]?.found], ["Mismatch", "a defect"])
    const encoded = failure(WireJson.encodeResult(Throwing)("x"))
    assert.deepStrictEqual([encoded.reason, encoded.issues[0]?.found], ["Unencodable", "a defect"])
  })

  it("quotes keys that are not identifiers", () => {
    const error = failure(WireJson.decodeResult(Oci.Platform)("{\"architecture\":\"a\",\"os\":\"b\",\"os.version\":1}"))
    assert.strictEqual(error.issues[0]?.path, "$[\"os.version\"]")
    assert.strictEqual(error.issues[0]?.found, "number")
  })

  const specRequired = <S extends Schema.Top>(schema: S) =>
    Schema.optionalKey(schema).annotateKey({ [WireJson.specRequiredAnnotation]: true })
  const Probe = Schema.Struct({
    a: specRequired(Schema.String),
    list: Schema.optionalKey(Schema.Array(Schema.Struct({ b: specRequired(Schema.Number) }))),
    maybe: Schema.NullOr(Schema.Struct({ c: specRequired(Schema.Boolean) })),
    map: Schema.optionalKey(Schema.Record(Schema.String, Schema.Struct({ d: specRequired(Schema.String) })))
  }).annotate({ identifier: "Probe" })

  it("strict mode rejects unknown keys and missing spec-required keys", () => {
    const lenient = WireJson.decodeResult(Probe)
    const strict = WireJson.decodeResult(Probe, { strict: true })
    const text = "{\"maybe\":{},\"list\":[{\"b\":1},{}],\"map\":{\"k\":{\"d\":\"x\"},\"l\":{}},\"Extra\":1}"
    assert.deepStrictEqual(success(lenient(text)), { maybe: {}, list: [{ b: 1 }, {}], map: { k: { d: "x" }, l: {} } })
    const error = failure(strict(text))
    assert.strictEqual(error.reason, "Mismatch")
    assert.deepStrictEqual(error.issues, [
      { path: "$.Extra", expected: "no such key", found: "number" },
      { path: "$.a", expected: "the key the API spec requires", found: "missing" },
      { path: "$.list[1].b", expected: "the key the API spec requires", found: "missing" },
      { path: "$.maybe.c", expected: "the key the API spec requires", found: "missing" },
      { path: "$.map.l.d", expected: "the key the API spec requires", found: "missing" }
    ])
    success(strict("{\"a\":\"x\",\"maybe\":null}"))
  })

  it("finds the spec-required keys of the models", () => {
    const marked: Array<readonly [Schema.Codec<unknown, unknown>, string]> = []
    for (const module of Object.values(Models)) {
      for (const value of Object.values(module)) {
        if (!Schema.isSchema(value) || !("fields" in value)) continue
        for (const [key, field] of Object.entries(value.fields as Record<string, Schema.Top>)) {
          const annotations = field.ast.context?.annotations as Record<string, unknown> | undefined
          for (const name of Object.keys(annotations ?? {})) {
            if (name.startsWith("dockhand/")) assert.strictEqual(name, WireJson.specRequiredAnnotation)
          }
          if (annotations?.[WireJson.specRequiredAnnotation] === true) {
            marked.push([value as unknown as Schema.Codec<unknown, unknown>, key])
          }
        }
      }
    }
    assert.isAbove(marked.length, 0)
    for (const [schema, key] of marked) {
      const error = failure(WireJson.decodeResult(schema, { strict: true })("{}"))
      assert.deepInclude(error.issues, {
        path: `$.${key}`,
        expected: "the key the API spec requires",
        found: "missing"
      })
    }
  })
})

describe("V8 escaped-key bug (nodejs/node#63785)", () => {
  it("decodes escaped keys right even after JSON.parse's key cache was poisoned", () => {
    // a parsed object whose key ends in a backslash makes V8 decode later escaped keys at that spot wrongly
    const poison = [
      JSON.parse("{\"p\":1,\"\\\\\":1}"),
      JSON.parse("{\"q\":{\"a\":1,\"x\\\\\":2}}")
    ]
    // on an affected V8, Object.keys(JSON.parse('{"p":1,"\\t":1}')) is now ["p", "\\"]
    assert.deepStrictEqual(Object.keys(success(WireJson.parse("{\"p\":1,\"\\t\":1}")) as object), ["p", "\t"])
    assert.deepStrictEqual(success(WireJson.parse("{\"q\":{\"a\":1,\"x\\u0041\":2,\"x\\\"\":3}}")), {
      q: { a: 1, xA: 2, "x\"": 3 }
    })
    assert.strictEqual(poison.length, 2)
  })

  it("parses texts with escaped keys like JSON.parse does otherwise", () => {
    const text =
      "{\"__proto__\":{\"a\\n\":[1,-0,2.5e3,true,false,null,\"\\u00e9\\ud83d\\ude00\"]},\"k\\\"\":{},\"k\\\"\":[],\"\":{\"\\\\\":\"\"}}"
    const value = success(WireJson.parse(text)) as Record<string, unknown>
    assert.strictEqual(Object.getPrototypeOf(value), Object.prototype)
    assert.deepStrictEqual(Object.keys(value), ["__proto__", "k\"", ""])
    assert.deepStrictEqual(value["k\""], [])
    assert.deepStrictEqual(value["__proto__"], { "a\n": [1, -0, 2500, true, false, null, "é😀"] })
    assert.deepStrictEqual(value[""], { "\\": "" })
  })

  it("reports syntax errors and depth on that path too", () => {
    assert.strictEqual(failure(WireJson.parse("{\"a\\t\":1,}")).reason, "Malformed")
    assert.strictEqual(failure(WireJson.parse("{\"a\\t\":")).reason, "Truncated")
    const deep = "{\"\\t\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"
    assert.strictEqual(failure(WireJson.parse(deep)).reason, "TooDeep")
  })

  it.prop("any JSON value survives stringify → parse", [Schema.Record(Schema.String, Schema.Unknown)], ([value]) => {
    const text = JSON.stringify(value)
    assert.strictEqual(JSON.stringify(success(WireJson.parse(text))), text)
  }, { arbitrary: { runs: 300 } })
})

describe("hostile input", () => {
  const depth = 100_000

  it("rejects 100k levels of nesting with a typed error", () => {
    for (const text of ["[".repeat(depth) + "]".repeat(depth), "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)]) {
      const error = failure(WireJson.decodeResult(Schema.Unknown)(text))
      assert.strictEqual(error.reason, "TooDeep")
      const stream = failure(WireJson.decodeResult(JsonMessage.Message)(`{"aux":${text}}`))
      assert.strictEqual(stream.reason, "TooDeep")
    }
    // unbalanced and truncated: located by the non-recursive scanner
    assert.strictEqual(failure(WireJson.parse("[".repeat(depth))).reason, "Truncated")
  })

  it("accepts exactly the maximum depth", () => {
    const max = WireJson.defaultMaxDepth
    success(WireJson.parse("[".repeat(max) + "]".repeat(max)))
    assert.strictEqual(failure(WireJson.parse("[".repeat(max + 1) + "]".repeat(max + 1))).reason, "TooDeep")
    success(WireJson.parse("[[[1]]]", { maxDepth: 3 }))
    assert.strictEqual(failure(WireJson.parse("[[[[1]]]]", { maxDepth: 3 })).reason, "TooDeep")
  })

  it("rejects writing 100k levels of nesting and cycles", () => {
    let deep: unknown = 1
    for (let i = 0; i < depth; i++) deep = [deep]
    assert.strictEqual(failure(WireJson.encodeResult(Schema.Unknown)(deep)).reason, "TooDeep")
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    assert.strictEqual(failure(WireJson.encodeResult(Schema.Unknown)(cycle)).reason, "TooDeep")
  })

  it("handles a 50 MB string both ways", () => {
    const big = "x".repeat(50_000_000)
    const text = success(WireJson.encodeResult(Common.ErrorResponse)({ message: big }))
    assert.strictEqual(text.length, big.length + 15)
    assert.strictEqual(success(WireJson.decodeResult(Common.ErrorResponse)(text)).message.length, big.length)
    const cut = failure(WireJson.parse(text.slice(0, 40_000_000)))
    assert.strictEqual(cut.reason, "Truncated")
    assert.isBelow(cut.message.length, 200)
  })
})

describe("secrets", () => {
  const secret = "hunter2-s3cr3t"
  const outputs = (error: WireJson.WireJsonError) => [
    String(error),
    error.message,
    JSON.stringify(error),
    Formatter.format(error),
    inspect(error, { depth: 10 })
  ]

  it("never shows credential values in decoding errors", () => {
    const decode = WireJson.decodeResult(Registry.AuthConfig, { strict: true })
    for (
      const text of [
        `{"password":"${secret}","extra":"${secret}"}`,
        `{"password":"${secret}"`,
        `{"password":"${secret}" ${secret}}`,
        `{"password":["${secret}"]}`,
        `{"username":"${secret}","auth":5}`
      ]
    ) {
      const error = failure(decode(text))
      for (const output of outputs(error)) assert.notInclude(output, secret)
    }
  })

  it("decodes secrets into Redacted values and writes them back", () => {
    const config = success(WireJson.decodeResult(Registry.AuthConfig)(`{"username":"u","password":"${secret}"}`))
    assert.notInclude(Formatter.format(config), secret)
    assert.notInclude(inspect(config), secret)
    assert.strictEqual(Redacted.value(config.password!), secret)
    assert.strictEqual(
      success(WireJson.encodeResult(Registry.AuthConfig, { newline: false })(config)),
      `{"username":"u","password":"${secret}"}`
    )
  })

  it("never shows values in encoding errors", () => {
    const error = failure(WireJson.encodeResult(Schema.Struct({ token: Schema.Number }))({ token: secret } as never))
    for (const output of outputs(error)) assert.notInclude(output, secret)
  })
})

describe("formatting helpers", () => {
  it("formatPath", () => {
    assert.strictEqual(WireJson.formatPath([]), "$")
    assert.strictEqual(
      WireJson.formatPath([0, "RepoTags", " Parents", "os.version", 2]),
      "$[0].RepoTags[\" Parents\"][\"os.version\"][2]"
    )
  })

  it("describeType", () => {
    assert.deepStrictEqual(
      [undefined, null, [], {}, "s", 1, true].map(WireJson.describeType),
      ["missing", "null", "array", "object", "string", "number", "boolean"]
    )
  })

  it("lists at most maxReportedIssues issues", () => {
    const items = Array.from({ length: 300 }, () => 1)
    const error = failure(WireJson.decodeResult(Schema.Array(Schema.String), { errors: "all" })(JSON.stringify(items)))
    assert.strictEqual(error.issues.length, WireJson.maxReportedIssues)
    assert.include(error.message, "(and 299 more)")
  })

  it("is used by Build models too", () => {
    const error = failure(
      WireJson.decodeResult(Build.CachePruneReport)("{\"CachesDeleted\":null,\"SpaceReclaimed\":-1}")
    )
    assert.deepStrictEqual(error.issues, [
      { path: "$.SpaceReclaimed", expected: "a value greater than or equal to 0", found: "number" }
    ])
  })
})

describe("every models schema survives encode → JSON text → decode", () => {
  // Every exported schema derives an arbitrary, `Redacted` secrets included (Registry.AuthConfig,
  // Registry.AuthResponse): equality is checked on the encoded forms, where secrets are plain strings again.
  const schemas = Object.entries(Models).flatMap(([namespace, module]) =>
    Object.entries(module)
      .filter(([, value]) => Schema.isSchema(value))
      .map(([name, value]) => [`${namespace}.${name}`, value as Schema.Codec<unknown, unknown>] as const)
  )

  it("covers every module of @dockhand/models (but Annotations, which holds only annotation keys)", () => {
    assert.isAtLeast(schemas.length, 50)
    assert.deepStrictEqual(
      [...new Set(schemas.map(([name]) => name.split(".")[0]))].sort(),
      Object.keys(Models).filter((name) => name !== "Annotations").sort()
    )
  })

  for (const [name, schema] of schemas) {
    const encode = WireJson.encodeResult(schema)
    const decode = WireJson.decodeResult(schema)
    const encoded = Schema.encodeUnknownSync(schema)
    it.prop(name, [schema], ([value]) => {
      const text = success(encode(value))
      const back = success(decode(text))
      assert.deepStrictEqual(encoded(back), encoded(value))
      assert.strictEqual(success(encode(back)), text)
    }, { arbitrary: { runs: 100 } })
  }
})

describe("the quick reader gives what Effect's parser gives", () => {
  const schemas = Object.entries(Models).flatMap(([namespace, module]) =>
    Object.entries(module)
      .filter(([, value]) => Schema.isSchema(value))
      .map(([name, value]) => [`${namespace}.${name}`, value as Schema.Codec<unknown, unknown>] as const)
  )
  const compiled = schemas.filter(([, schema]) => FastReader.compile(schema.ast) !== undefined)

  it("reads the schemas of the hot paths, and refuses what it cannot read like Effect", () => {
    const names = compiled.map(([name]) => name)
    for (
      const name of [
        "Image.Summary",
        "Image.InspectResponse",
        "Image.HistoryResponseItem",
        "Image.DeleteResponse",
        "System.VersionResponse",
        "System.DiskUsage"
      ]
    ) {
      assert.include(names, name)
    }
    assert.isAtLeast(compiled.length, 40)
    // a transformation, a class and a suspended schema are left to Effect
    assert.isUndefined(FastReader.compile(Registry.AuthConfig.ast))
    assert.isUndefined(FastReader.compile(Schema.NumberFromString.ast))
    assert.isUndefined(FastReader.compile(Schema.suspend(() => Schema.String).ast))
  })

  it("hands back the parsed value itself when it already fits, and copies only what changes", () => {
    // an Engine 20.10 list: keys in the model's order, labels as a record of strings
    const list = JSON.parse(
      `[{"Containers":-1,"Created":1700000000,"Id":"sha256:${"a".repeat(64)}","Labels":{"a":"1","b":"2"},` +
        `"ParentId":"","RepoDigests":null,"RepoTags":["x:1"],"SharedSize":-1,"Size":3,"VirtualSize":3}]`
    ) as Array<Record<string, unknown>>
    const read = FastReader.compile(Schema.Array(Image.Summary).ast)!
    const same = read(list) as typeof list
    assert.strictEqual(same, list)
    assert.strictEqual(same[0]!["Labels"], list[0]!["Labels"])
    // a record whose second value loses a key: a new record, the first value kept as it was, the key order kept
    const records = FastReader.compile(Schema.Record(Schema.String, Schema.Struct({ a: Schema.String })).ast)!
    const input = JSON.parse(`{"x":{"a":"1"},"y":{"a":"2","extra":0},"__proto__":{"a":"3"}}`) as Record<
      string,
      Record<string, unknown>
    >
    const copied = records(input) as Record<string, Record<string, unknown>>
    assert.notStrictEqual(copied, input)
    assert.strictEqual(copied["x"], input["x"])
    assert.deepStrictEqual(copied["y"], { a: "2" })
    // JSON.parse makes "__proto__" an own key; the copy keeps it a key, not the prototype
    assert.deepStrictEqual(Object.keys(copied), ["x", "y", "__proto__"])
    assert.strictEqual(Object.getPrototypeOf(copied), Object.prototype)
    assert.strictEqual(copied["__proto__"], input["__proto__"])
  })

  /** Every place in a JSON value, as a path of keys and indexes. */
  const pathsOf = (value: unknown, at: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
    const here = [at]
    if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => pathsOf(item, [...at, i]))]
    if (typeof value === "object" && value !== null) {
      return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...at, key]))]
    }
    return here
  }
  const replacements: ReadonlyArray<unknown> = [null, 1.5, -1, "x", "", true, [], {}, ["x"], { k: "v" }]
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v)
  const reversed = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).reverse())
  /**
   * A copy of `value` with one change at `path`: the key deleted (kind 0), a key added (1), its object's keys in
   * reverse order (2), or a replacement.
   */
  const mutate = (value: unknown, path: ReadonlyArray<string | number>, kind: number): unknown => {
    const copy = JSON.parse(JSON.stringify(value)) as unknown
    if (path.length === 0) {
      if (kind === 2 && isObject(copy)) return reversed(copy)
      return kind <= 1 ? { ...(copy as object), extra: 1 } : replacements[kind % replacements.length]
    }
    let parent = copy as Record<string | number, unknown>
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
    const last = path[path.length - 1]!
    if (kind === 0 && !Array.isArray(parent)) delete parent[last]
    else if (kind === 1 && typeof parent[last] === "object" && parent[last] !== null && !Array.isArray(parent[last])) {
      ;(parent[last] as Record<string, unknown>)["added"] = 1
    } else if (kind === 2 && isObject(parent[last])) parent[last] = reversed(parent[last] as Record<string, unknown>)
    else parent[last] = replacements[kind % replacements.length]
    return copy
  }

  for (const [name, schema] of compiled) {
    const quick = FastReader.compile(schema.ast)!
    const effect = SchemaParser.decodeUnknownResult(schema, { onExcessProperty: "ignore", errors: "first" })
    const encode = WireJson.encodeResult(schema)
    it.prop(name, [
      schema,
      Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1000 })),
      Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 11 }))
    ], ([value, pick, kind]) => {
      const json = Result.getOrThrow(WireJson.parse(success(encode(value))))
      for (const input of [json, mutate(json, pathsOf(json)[pick % pathsOf(json).length]!, kind)]) {
        const fast = quick(input)
        const slow = effect(input)
        if (Result.isFailure(slow)) {
          assert.strictEqual(
            fast,
            FastReader.noFit,
            `quick reader accepted what Effect refuses: ${JSON.stringify(input)}`
          )
        } else if (fast !== FastReader.noFit) {
          // same value, same key order
          assert.strictEqual(JSON.stringify(fast), JSON.stringify(slow.success))
          assert.deepStrictEqual(fast, slow.success)
        } else {
          assert.fail(`quick reader refused what Effect reads: ${JSON.stringify(input)}`)
        }
      }
    }, { arbitrary: { runs: 60 } })
  }
})

describe("readers and writers are compiled on first use", () => {
  /** `schema`, counting how often its AST is read (what compiling a reader or writer does). */
  const counted = <S extends object>(schema: S) => {
    const reads = { ast: 0 }
    const proxy = new Proxy(schema, {
      get: (target, key, receiver) => {
        if (key === "ast") reads.ast++
        return Reflect.get(target, key, receiver)
      }
    })
    return { proxy, reads }
  }

  it("building a reader or a writer compiles nothing; the first use compiles once, later uses reuse it", () => {
    for (const strict of [false, true]) {
      const { proxy, reads } = counted(Schema.Struct({ Id: Schema.String }))
      const read = WireJson.decodeResult(proxy, { strict })
      assert.strictEqual(reads.ast, 0)
      assert.deepStrictEqual(success(read("{\"Id\":\"a\"}")), { Id: "a" })
      const afterFirst = reads.ast
      assert.isAbove(afterFirst, 0)
      assert.deepStrictEqual(success(read("{\"Id\":\"b\"}")), { Id: "b" })
      assert.strictEqual(reads.ast, afterFirst)
    }
    const { proxy, reads } = counted(Schema.Struct({ Id: Schema.String }))
    const write = WireJson.encodeResult(proxy)
    assert.strictEqual(reads.ast, 0)
    assert.strictEqual(success(write({ Id: "a" })), "{\"Id\":\"a\"}\n")
    const afterFirst = reads.ast
    assert.isAbove(afterFirst, 0)
    assert.strictEqual(success(write({ Id: "b" })), "{\"Id\":\"b\"}\n")
    assert.strictEqual(reads.ast, afterFirst)
  })
})
