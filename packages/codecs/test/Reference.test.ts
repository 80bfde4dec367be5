import { Reference } from "@dockhand/codecs"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"

const hex = (c: string, n: number) => c.repeat(n)
const sha = `sha256:${hex("a", 64)}`

const ok = (input: string): Reference.Reference => {
  const result = Reference.parseNormalized(input)
  if (Result.isFailure(result)) throw new Error(`${input}: ${result.failure.message}`)
  return result.success
}

const error = (input: string): Reference.InvalidReference => {
  const result = Reference.parseNormalized(input)
  if (Result.isSuccess(result)) throw new Error(`${input} should be rejected`)
  return result.failure
}

/**
 * What `docker tag x <input>` (docker CLI 28.2.2) answered for each input, with the CLI's own
 * `Error parsing reference: "<input>" is not a valid repository/tag: ` prefix removed. `null` means accepted
 * (the command then failed only because no daemon was reachable); these ran with no network and no daemon.
 */
const dockerCli: ReadonlyArray<readonly [string, string | null]> = [
  ["busybox", null],
  ["user/app", null],
  ["localhost:5000/x", null],
  ["127.0.0.1:5000/a/b:tag", null],
  ["a__b", null],
  ["a___b", "invalid reference format"],
  ["a--b", null],
  ["a---b", null],
  ["a..b", "invalid reference format"],
  ["a.b", null],
  ["a_b", null],
  ["a_.b", "invalid reference format"],
  ["-a", "invalid reference format"],
  ["a-", "invalid reference format"],
  ["a/", "invalid reference format"],
  ["/a", "invalid reference format"],
  ["a//b", "invalid reference format"],
  ["UPPER", "invalid reference format: repository name (library/UPPER) must be lowercase"],
  ["upper:UPPERTAG", null],
  ["host.com/UPPER", "invalid reference format: repository name (UPPER) must be lowercase"],
  ["Host.com/upper", null],
  ["Example.com/Aa", "invalid reference format: repository name (Aa) must be lowercase"],
  ["HOST:5000/x", null],
  ["LOCALHOST/x", null],
  ["Docker/foo", null],
  ["localhost:5000/Foo", "invalid reference format: repository name (Foo) must be lowercase"],
  ["Foo", "invalid reference format: repository name (library/Foo) must be lowercase"],
  ["[::1]:5000/x", null],
  ["[::1]/x", null],
  ["[fe80::1%eth0]/x", "invalid reference format"],
  ["example.com:port/x", "invalid reference format"],
  ["example.com:/x", "invalid reference format"],
  ["example.com:5000", null],
  [`x:${hex("a", 128)}`, null],
  [`x:${hex("a", 129)}`, "invalid reference format"],
  ["x:.tag", "invalid reference format"],
  ["x:-tag", "invalid reference format"],
  ["x:_tag", null],
  ["x:Tag", null],
  ["x:t@g", "invalid reference format"],
  ["x:tag:tag", "invalid reference format"],
  ["x:", "invalid reference format"],
  [":tag", "invalid reference format"],
  ["", "invalid reference format"],
  ["a b", "invalid reference format"],
  ["x y", "invalid reference format"],
  ["é", "invalid reference format"],
  [`x@${sha}`, null],
  [`x:tag@${sha}`, null],
  [`x@sha512:${hex("b", 128)}`, null],
  [`x@sha384:${hex("c", 96)}`, null],
  [`x@sha256+b64:${hex("a", 64)}`, "unsupported digest algorithm"],
  [`busybox@md5:${hex("a", 32)}`, "unsupported digest algorithm"],
  [`busybox@sha256:${hex("a", 40)}`, "invalid checksum digest length"],
  [`localhost:5000/x@sha256:${hex("a", 63)}`, "invalid checksum digest length"],
  [`busybox@sha256:${hex("A", 64)}`, "invalid checksum digest format"],
  [`x@sha256:${hex("a", 31)}`, "invalid reference format"],
  [`x@sha256:${hex("g", 64)}`, "invalid reference format"],
  [`x@${sha}:extra`, "invalid reference format"],
  ["x@sha256:short", "invalid reference format"],
  ["x@SHA256:abc", "invalid reference format: repository name (library/x@SHA256) must be lowercase"],
  [`x@Sha256:${hex("a", 64)}`, "invalid reference format: repository name (library/x@Sha256) must be lowercase"],
  ["X@sha256:short", "invalid reference format: repository name (library/X@sha256) must be lowercase"],
  ["localhost/x", null],
  ["localhost", null],
  ["localhost:5000", null],
  ["index.docker.io/library/x", null],
  ["index.docker.io/x", null],
  ["docker.io/x", null],
  ["docker.io/library/a/b", null],
  ["registry-1.docker.io/x", null],
  ["a-b.example.com/x", null],
  ["-bad.example.com/x", "invalid reference format"],
  ["bad-.example.com/x", "invalid reference format"],
  [sha, null],
  [`${hex("a", 64)}:tag`, null],
  [hex("a", 64), `invalid repository name (${hex("a", 64)}), cannot specify 64-byte hexadecimal strings`],
  [hex("A", 64), `invalid reference format: repository name (library/${hex("A", 64)}) must be lowercase`],
  [hex("a", 247), null],
  [hex("a", 248), "repository name must not be more than 255 characters"],
  [hex("a", 250), "repository name must not be more than 255 characters"],
  [`example.com/${hex("a", 255)}`, null],
  [`example.com/${hex("a", 256)}`, "repository name must not be more than 255 characters"]
]

describe("parseNormalized agrees with the docker CLI", () => {
  for (const [input, expected] of dockerCli) {
    it(JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input), () => {
      const result = Reference.parseNormalized(input)
      if (expected === null) {
        assert.isTrue(Result.isSuccess(result), Result.isFailure(result) ? result.failure.message : "")
      } else {
        assert.isTrue(Result.isFailure(result))
        if (Result.isFailure(result)) {
          assert.strictEqual(result.failure.message, expected)
          assert.strictEqual(result.failure.input, input)
          assert.strictEqual(result.failure._tag, "InvalidReference")
        }
      }
    })
  }
})

describe("normalisation", () => {
  it("adds Docker Hub, library/ and latest like docker pull", () => {
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ["busybox", "docker.io/library/busybox:latest", "busybox:latest"],
      ["user/app", "docker.io/user/app:latest", "user/app:latest"],
      ["docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"],
      ["index.docker.io/user/app", "docker.io/user/app:latest", "user/app:latest"],
      ["docker.io/library/a/b", "docker.io/library/a/b:latest", "library/a/b:latest"],
      ["localhost:5000/x", "localhost:5000/x:latest", "localhost:5000/x:latest"],
      ["localhost/x", "localhost/x:latest", "localhost/x:latest"],
      ["127.0.0.1:5000/a/b:tag", "127.0.0.1:5000/a/b:tag", "127.0.0.1:5000/a/b:tag"],
      [`x@${sha}`, `docker.io/library/x@${sha}`, `x@${sha}`],
      [`x:tag@${sha}`, `docker.io/library/x:tag@${sha}`, `x:tag@${sha}`],
      ["[::1]:5000/x", "[::1]:5000/x:latest", "[::1]:5000/x:latest"]
    ]
    for (const [input, full, familiar] of cases) {
      const ref = Result.getOrThrow(Reference.normalize(input))
      assert.strictEqual(Reference.format(ref), full, input)
      assert.strictEqual(Reference.familiar(ref), familiar, input)
      assert.deepStrictEqual(Result.getOrThrow(Reference.normalize(Reference.familiar(ref))), ref)
      assert.deepStrictEqual(Result.getOrThrow(Reference.normalize(Reference.format(ref))), ref)
    }
  })

  it("splits into domain, path, tag and digest", () => {
    assert.deepStrictEqual(ok("busybox"), { domain: "docker.io", path: "library/busybox" })
    assert.deepStrictEqual(ok("127.0.0.1:5000/a/b:tag"), { domain: "127.0.0.1:5000", path: "a/b", tag: "tag" })
    assert.deepStrictEqual(ok(`x:1@${sha}`), { domain: "docker.io", path: "library/x", tag: "1", digest: sha })
  })

  it("parse reads references as written, without Docker's defaults", () => {
    assert.deepStrictEqual(Result.getOrThrow(Reference.parse("busybox")), { domain: "", path: "busybox" })
    assert.deepStrictEqual(Result.getOrThrow(Reference.parse("library/x:1")), {
      domain: "library",
      path: "x",
      tag: "1"
    })
    assert.strictEqual(Reference.name(Result.getOrThrow(Reference.parse("busybox"))), "busybox")
    const errors = [
      ["", "repository name must have at least one component"],
      ["Busybox", "repository name must be lowercase"],
      ["a b", "invalid reference format"]
    ] as const
    for (const [input, message] of errors) {
      const result = Reference.parse(input)
      assert.isTrue(Result.isFailure(result) && result.failure.message === message, input)
    }
  })

  it("parseAny accepts image IDs and digests", () => {
    assert.deepStrictEqual(Result.getOrThrow(Reference.parseAny(hex("a", 64))), { _tag: "Digest", digest: sha })
    assert.deepStrictEqual(Result.getOrThrow(Reference.parseAny(sha)), { _tag: "Digest", digest: sha })
    const named = Result.getOrThrow(Reference.parseAny("busybox"))
    assert.strictEqual(named._tag, "Named")
    assert.isTrue(Result.isFailure(Reference.parseAny("a b")))
  })
})

describe("what pull, push and tag need", () => {
  it("pullParams: name without tag, then digest, tag or latest", () => {
    assert.deepStrictEqual(Reference.pullParams(ok("busybox")), {
      fromImage: "docker.io/library/busybox",
      tag: "latest"
    })
    assert.deepStrictEqual(Reference.pullParams(ok("user/app:1")), { fromImage: "docker.io/user/app", tag: "1" })
    assert.deepStrictEqual(Reference.pullParams(ok(`x:1@${sha}`)), { fromImage: "docker.io/library/x", tag: sha })
  })

  it("guards", () => {
    assert.isTrue(Reference.isNameOnly(ok("busybox")))
    assert.isTrue(Reference.isTagged(ok("busybox:1")))
    assert.isFalse(Reference.isDigested(ok("busybox:1")))
    assert.isTrue(Reference.isDigested(ok(`busybox@${sha}`)))
    assert.isFalse(Reference.isTagged(ok(`busybox@${sha}`)))
    assert.deepStrictEqual(Reference.withDefaultTag(ok(`busybox@${sha}`)), ok(`busybox@${sha}`))
    assert.strictEqual(Reference.familiarName(ok("docker.io/library/busybox")), "busybox")
    assert.strictEqual(Reference.familiarName(ok("example.com/a")), "example.com/a")
  })

  it.effect("errors are typed and yieldable", () =>
    Effect.gen(function*() {
      const failure = yield* Effect.flip(Effect.fromResult(Reference.normalize("Foo")))
      assert.strictEqual(failure.reason, "Uppercase")
      assert.strictEqual(
        String(failure),
        "InvalidReference: invalid reference format: repository name (library/Foo) must be lowercase"
      )
      assert.strictEqual(error("x@sha256:short").reason, "InvalidFormat")
      assert.strictEqual(error(hex("a", 64)).reason, "HexName")
    }))
})

describe("hostile input", () => {
  it("rejects huge inputs quickly (no regex blow-up)", () => {
    const inputs = [
      "a-".repeat(50_000) + "/x!",
      ("a" + "-".repeat(10)).repeat(10_000) + "!",
      "a.a-".repeat(25_000) + "!",
      "x@a" + "+a".repeat(50_000) + ":",
      ("a".repeat(1000) + "/").repeat(1000),
      "[" + "a:".repeat(50_000) + "/x"
    ]
    for (const input of inputs) {
      const start = performance.now()
      assert.isTrue(Result.isFailure(Reference.parseNormalized(input)))
      // a guard against regex blow-up (which takes minutes on these), not a speed test: loose for loaded machines
      assert.isBelow(performance.now() - start, 2000)
    }
  })

  it.prop("normalised references read back unchanged", [
    Schema.Array(Schema.Literals(["a", "b", "z9", "x-y", "x__y", "x.y"])).check(
      Schema.isMinLength(1),
      Schema.isMaxLength(4)
    ),
    Schema.Literals(["", "docker.io/", "localhost:5000/", "reg.example.com/", "[::1]/"]),
    Schema.Literals(["", ":latest", ":V1.2_rc", `@${sha}`, `:t@${sha}`])
  ], ([components, domain, suffix]) => {
    const input = domain + components.join("/") + suffix
    const ref = Result.getOrThrow(Reference.parseNormalized(input))
    assert.deepStrictEqual(Result.getOrThrow(Reference.parseNormalized(Reference.format(ref))), ref)
    // like Docker's, the familiar form of docker.io/x.y/z is x.y/z, which reads back as registry x.y
    const [first, ...rest] = Reference.familiarName(ref).split("/")
    if (ref.domain !== Reference.defaultDomain || rest.length === 0 || !/[.:]/.test(first!)) {
      assert.deepStrictEqual(Result.getOrThrow(Reference.parseNormalized(Reference.familiar(ref))), ref)
    }
  }, { arbitrary: { runs: 200 } })
})

describe("makeNormalizedParser (names remembered, tags checked alone)", () => {
  const sha = "sha256:" + "a".repeat(64)
  const piece = Schema.String.check(
    Schema.isPattern(
      /^(?:[a-z0-9]{1,5}|[A-Z]{1,2}|localhost|[0-9]{2,4}|[a-f0-9]{64}|[.:/@_<>-]{1,2}|__|sha256:[a-f0-9]{64}|\[::1\]){1,6}$/
    )
  )
  it.prop("answers as parseNormalized does, failures included, the first time and from memory", [
    Schema.Array(piece),
    Schema.Boolean
  ], ([pieces, twice]) => {
    const input = pieces.join("")
    const parse = Reference.makeNormalizedParser()
    if (twice) parse(input)
    assert.deepStrictEqual(parse(input), Reference.parseNormalized(input), input)
  }, { arbitrary: { runs: 2000 } })

  it("corner cases, with the name met first", () => {
    const parse = Reference.makeNormalizedParser()
    for (
      const input of [
        "localhost:5000:tag",
        "localhost:5000/app:1",
        `${"a".repeat(64)}:t`,
        "a:b/c:d",
        "app:",
        "app:-x",
        "x/Y:1",
        "UPPER:1",
        "<none>:<none>",
        `app@${sha}`,
        `app:1@${sha}`,
        "library/app:1",
        "docker.io/app:latest",
        "index.docker.io/user/app:v2",
        `${"a/".repeat(130)}b:1`,
        `localhost:5000/${"a".repeat(250)}:1`
      ]
    ) {
      const name = input.slice(0, Math.max(input.lastIndexOf(":"), 0))
      if (name !== "") parse(name)
      parse(`${name}:other`)
      assert.deepStrictEqual(parse(input), Reference.parseNormalized(input), input)
    }
    // the name is read once: the second tag of a name gives the same parts with its own tag
    assert.deepStrictEqual(Result.getOrThrow(parse("busybox:2")), {
      domain: "docker.io",
      path: "library/busybox",
      tag: "2"
    })
  })
})
