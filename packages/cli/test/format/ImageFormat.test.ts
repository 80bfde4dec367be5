import type { Image } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as ImageFormat from "../../src/internal/format/ImageFormat.ts"
import * as Table from "../../src/internal/format/Table.ts"
import * as Units from "../../src/internal/format/Units.ts"

const digestA = "sha256:" + "a".repeat(64)
const digestB = "sha256:" + "b".repeat(64)
const summary = (overrides: Partial<Image.Summary>): Image.Summary => ({
  Containers: -1,
  Created: 1709287200,
  Id: "sha256:" + "1234567890ab".repeat(5) + "cdef",
  Labels: null,
  ParentId: "",
  RepoDigests: null,
  RepoTags: null,
  SharedSize: -1,
  Size: 1000,
  ...overrides
})
const now = Date.UTC(2026, 10, 26)
const text = (r: Result.Result<string, unknown>) => Result.isSuccess(r) ? r.success : `ERROR ${String(r.failure)}`
const rowsOf = (images: ReadonlyArray<Image.Summary>, showDigests: boolean, format = "table") =>
  ImageFormat.imageRows(images, { showDigests, format }).map((r) => `${r.repository} ${r.tag} ${r.digest}`)

describe("parseReference", () => {
  it("familiar names, tags and digests", () => {
    assert.deepStrictEqual(ImageFormat.parseReference("busybox:latest"), {
      familiarName: "busybox",
      tag: "latest",
      digest: undefined
    })
    assert.deepStrictEqual(ImageFormat.parseReference("docker.io/library/busybox:1"), {
      familiarName: "busybox",
      tag: "1",
      digest: undefined
    })
    assert.deepStrictEqual(ImageFormat.parseReference("index.docker.io/user/app:v2"), {
      familiarName: "user/app",
      tag: "v2",
      digest: undefined
    })
    assert.deepStrictEqual(ImageFormat.parseReference("docker.io/library/a/b:x"), {
      familiarName: "library/a/b",
      tag: "x",
      digest: undefined
    })
    assert.deepStrictEqual(ImageFormat.parseReference(`localhost:5000/team/app@${digestA}`), {
      familiarName: "localhost:5000/team/app",
      tag: undefined,
      digest: digestA
    })
    assert.deepStrictEqual(ImageFormat.parseReference(`[::1]:5000/app:t@${digestA}`), {
      familiarName: "[::1]:5000/app",
      tag: "t",
      digest: digestA
    })
    assert.deepStrictEqual(ImageFormat.parseReference("Registry.Example/app:1"), {
      familiarName: "Registry.Example/app",
      tag: "1",
      digest: undefined
    })
  })
  it("rejects what docker rejects", () => {
    for (
      const bad of [
        "<none>:<none>",
        "<none>@<none>",
        "UPPER:1",
        "a".repeat(64),
        "app:",
        `app@sha256:${"a".repeat(63)}`,
        `app@md5:${"a".repeat(32)}`,
        "app:-bad",
        "a//b"
      ]
    ) {
      assert.isUndefined(ImageFormat.parseReference(bad), bad)
    }
  })
})

describe("imageRows", () => {
  it("a dangling image is one <none> row, with or without <none> placeholders", () => {
    assert.deepStrictEqual(rowsOf([summary({})], false), ["<none> <none> <none>"])
    assert.deepStrictEqual(rowsOf([summary({ RepoTags: ["<none>:<none>"], RepoDigests: ["<none>@<none>"] })], true), [
      "<none> <none> <none>"
    ])
    assert.deepStrictEqual(rowsOf([summary({ RepoTags: [], RepoDigests: [] })], false), ["<none> <none> <none>"])
  })
  it("one row per tag; digests only when shown; digest-only repositories", () => {
    const image = summary({
      RepoTags: ["app:1", "app:2", "docker.io/library/other:x"],
      RepoDigests: [`app@${digestA}`, `app@${digestB}`, `mirror.example/app@${digestA}`]
    })
    assert.deepStrictEqual(rowsOf([image], false), [
      "app 1 <none>",
      "app 2 <none>",
      "other x <none>",
      "mirror.example/app <none> "
    ])
    assert.deepStrictEqual(rowsOf([image], true), [
      `app 1 ${digestA}`,
      `app 1 ${digestB}`,
      `app 2 ${digestA}`,
      `app 2 ${digestB}`,
      "other x <none>",
      `mirror.example/app <none> ${digestA}`
    ])
    // {{.Digest}} in the format pairs digests with tags, but digest-only rows keep an empty digest.
    assert.deepStrictEqual(rowsOf([image], false, "{{.Digest}}"), [
      `app 1 ${digestA}`,
      `app 1 ${digestB}`,
      `app 2 ${digestA}`,
      `app 2 ${digestB}`,
      "other x <none>",
      "mirror.example/app <none> "
    ])
  })
  it("skips references it cannot parse", () => {
    assert.deepStrictEqual(rowsOf([summary({ RepoTags: ["<none>:<none>"], RepoDigests: [`app@${digestA}`] })], true), [
      `app <none> ${digestA}`
    ])
    assert.deepStrictEqual(rowsOf([summary({ RepoTags: ["app@" + digestA], RepoDigests: null })], true), [])
  })
})

describe("formatImageList", () => {
  it("prints only the header when there are no images", () => {
    assert.strictEqual(
      text(ImageFormat.formatImageList([], { now })),
      "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
    )
    assert.strictEqual(text(ImageFormat.formatImageList([], { now, quiet: true })), "")
  })
  it("N/A for an image without a creation time", () => {
    const zero = summary({ RepoTags: ["z:1"], Created: -62135596800 })
    assert.strictEqual(
      text(ImageFormat.formatImageList([zero], { now })),
      "REPOSITORY   TAG       IMAGE ID       CREATED   SIZE\nz            1         1234567890ab   N/A       1kB\n"
    )
  })
  it("counts and sizes from system df data", () => {
    const used = summary({ RepoTags: ["u:1"], Containers: 2, SharedSize: 400, Size: 1000 })
    assert.strictEqual(
      text(
        ImageFormat.formatImageList([used], {
          now,
          format: "{{.Containers}} {{.SharedSize}} {{.UniqueSize}} {{.VirtualSize}}"
        })
      ),
      "2 400B 600B 1kB\n"
    )
  })
  it("dates in the given zone", () => {
    const image = summary({ RepoTags: ["z:1"] })
    assert.strictEqual(
      text(
        ImageFormat.formatImageList([image], {
          now,
          timeZone: Units.ianaZone("Europe/Berlin"),
          format: "{{.CreatedAt}}"
        })
      ),
      "2024-03-01 11:00:00 +0100 CET\n"
    )
  })
  it("a format error is docker's message", () => {
    assert.strictEqual(
      text(
        ImageFormat.formatImageList([summary({})], { now, format: "{{.Nope}}" }).pipe(Result.mapError((e) => e.message))
      ),
      "ERROR template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.imageContext"
    )
  })
  it("imageListFormat (NewImageFormat)", () => {
    assert.strictEqual(ImageFormat.imageListFormat("table", true, true), "{{.ID}}")
    assert.strictEqual(ImageFormat.imageListFormat("table", false, true), ImageFormat.defaultImageTableFormatWithDigest)
    assert.strictEqual(ImageFormat.imageListFormat("table {{.ID}}", false, true), "table {{.ID}}\t{{.Digest}}")
    assert.strictEqual(
      ImageFormat.imageListFormat("table {{.ID}} {{.Digest}}", false, true),
      "table {{.ID}} {{.Digest}}"
    )
    assert.strictEqual(ImageFormat.imageListFormat("json", false, true), "json")
  })
})

describe("formatHistory", () => {
  const item = (overrides: Partial<Image.HistoryResponseItem>): Image.HistoryResponseItem => ({
    Comment: "",
    Created: 1709287200,
    CreatedBy: "/bin/sh -c #(nop) CMD [\"sh\"]",
    Id: "<missing>",
    Size: 0,
    Tags: null,
    ...overrides
  })
  it("an empty history is the header alone", () => {
    assert.strictEqual(
      text(ImageFormat.formatHistory([], { now })),
      "IMAGE     CREATED   CREATED BY   SIZE      COMMENT\n"
    )
  })
  it("-q lists ids, <missing> included", () => {
    assert.strictEqual(
      text(ImageFormat.formatHistory([item({ Id: "sha256:" + "c".repeat(64) }), item({})], { now, quiet: true })),
      "cccccccccccc\n<missing>\n"
    )
  })
  it("tabs in CREATED BY become spaces; 2000-01-01 and before is N/A", () => {
    assert.strictEqual(
      text(
        ImageFormat.formatHistory([item({ CreatedBy: "a\tb", Created: 946684800 })], {
          now,
          format: "{{.CreatedBy}}|{{.CreatedSince}}"
        })
      ),
      "a b|N/A\n"
    )
    assert.strictEqual(
      text(ImageFormat.formatHistory([item({ Created: 946684801 })], { now, format: "{{.CreatedSince}}" })),
      "26 years ago\n"
    )
  })
  it("-H=false shows raw sizes and RFC 3339 dates in CreatedSince too", () => {
    assert.strictEqual(
      text(
        ImageFormat.formatHistory([item({ Size: 1234567 })], {
          now,
          human: false,
          format: "{{.CreatedSince}} {{.Size}}"
        })
      ),
      "2024-03-01T10:00:00Z 1234567\n"
    )
  })
})

describe("defaultHistoryTable (the default history tables without the template interpreter)", () => {
  const text32 = Schema.String.check(Schema.isMaxLength(60))
  const Item = Schema.Struct({
    Comment: Schema.Union([Schema.Literal(""), text32]),
    Created: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1_800_000_000 })),
    CreatedBy: Schema.Union([Schema.Literal("/bin/sh -c #(nop)  CMD [\"sh\"]"), text32]),
    Id: Schema.Union([Schema.Literal("<missing>"), Schema.String.check(Schema.isPattern(/^sha256:[a-f0-9]{64}$/))]),
    Size: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 ** 45 })),
    Tags: Schema.NullOr(Schema.Array(Schema.String))
  })
  /** What the template interpreter gives for the same format: the reference the shortcut must equal. */
  const interpreted = (items: ReadonlyArray<Image.HistoryResponseItem>, human: boolean, noTrunc: boolean) =>
    text(Table.render({
      format: ImageFormat.historyFormat("table", false, human),
      header: ImageFormat.historyHeader,
      rows: items.map((item) => ImageFormat.historyContext(item, !noTrunc, human, { now }))
    }))

  it.prop("prints what the template gives, human or not, truncated or not", [
    Schema.Array(Item),
    Schema.Boolean,
    Schema.Boolean
  ], ([items, human, noTrunc]) => {
    assert.strictEqual(
      text(ImageFormat.formatHistory(items, { now, human, noTrunc })),
      interpreted(items, human, noTrunc)
    )
  }, { arbitrary: { runs: 300 } })

  it("wide and truncated cells are measured in columns; a cell holding a line break goes the general way", () => {
    const items = [
      {
        Comment: "",
        Created: 1709287200,
        CreatedBy: "RUN echo 日本語 " + "x".repeat(60),
        Id: "<missing>",
        Size: 1,
        Tags: null
      },
      { Comment: "é", Created: 1709287200, CreatedBy: "a\tb", Id: "<missing>", Size: 2, Tags: null }
    ]
    const fast = ImageFormat.defaultHistoryTable(items, true, true, { now })
    assert.isDefined(fast)
    assert.strictEqual(fast, interpreted(items, true, false))
    const broken = [{ ...items[0]!, CreatedBy: "RUN <<EOF\necho\nEOF" }]
    assert.isUndefined(ImageFormat.defaultHistoryTable(broken, true, true, { now }))
    assert.strictEqual(text(ImageFormat.formatHistory(broken, { now })), interpreted(broken, true, false))
  })
})

describe("defaultImageTable (the default tables without the template interpreter)", () => {
  const name = Schema.String.check(
    Schema.isPattern(
      /^(?:(?:localhost:5000|127\.0\.0\.1:5000|docker\.io|index\.docker\.io)\/)?(?:library\/)?[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,4})?(?:\/[a-z0-9]{1,6})?$/
    )
  )
  const tag = Schema.String.check(Schema.isPattern(/^[\w][\w.-]{0,20}$/))
  const hex = Schema.String.check(Schema.isPattern(/^[a-f0-9]{64}$/))
  const Image = Schema.Struct({
    names: Schema.Array(Schema.Struct({ name, tag: Schema.UndefinedOr(tag), digest: Schema.UndefinedOr(hex) })),
    dangling: Schema.Boolean,
    id: hex,
    created: Schema.Union([
      Schema.Literal(-62135596800),
      Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1_800_000_000 }))
    ]),
    size: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 ** 45 }))
  })
  const toSummary = (image: typeof Image.Type): Image.Summary =>
    summary({
      Id: `sha256:${image.id}`,
      Created: image.created,
      Size: image.size,
      RepoTags: image.dangling ? null : image.names.flatMap((n) => n.tag === undefined ? [] : [`${n.name}:${n.tag}`]),
      RepoDigests: image.dangling
        ? null
        : image.names.flatMap((n) => n.digest === undefined ? [] : [`${n.name}@sha256:${n.digest}`])
    })
  /** What the template interpreter gives for the same format: the reference the shortcut must equal. */
  const interpreted = (images: ReadonlyArray<Image.Summary>, digests: boolean, noTrunc: boolean, quiet: boolean) => {
    const format = ImageFormat.imageListFormat("table", quiet, digests)
    const rows = ImageFormat.imageRows(images, { showDigests: digests, format })
    return text(Table.render({
      format,
      header: ImageFormat.imageHeader,
      rows: rows.map((row) => ImageFormat.imageContext(row, !noTrunc, { now }))
    }))
  }

  it.prop(
    "prints what the template gives (the table, or `{{.ID}}` a row for -q), with and without digests and truncation",
    [
      Schema.Array(Image),
      Schema.Boolean,
      Schema.Boolean,
      Schema.Boolean
    ],
    ([images, digests, noTrunc, quiet]) => {
      const summaries = images.map(toSummary)
      const fast = ImageFormat.formatImageList(summaries, { now, digests, noTrunc, quiet })
      assert.strictEqual(text(fast), interpreted(summaries, digests, noTrunc, quiet))
    },
    { arbitrary: { runs: 600 } }
  )

  it("an empty list is the header alone; a cell that is not plain ASCII is measured in terminal columns", () => {
    assert.strictEqual(text(ImageFormat.formatImageList([], { now })), interpreted([], false, false, false))
    const table = (tag: string) =>
      ImageFormat.defaultImageTable([{ image: summary({}), repository: "app", tag, digest: "" }], false, true, { now })
    // two wide characters take the four columns of "abcd": the columns line up as they do for it
    assert.strictEqual(table("日本"), table("abcd")?.replace("abcd", "日本"))
    assert.isUndefined(table("a\tb"))
    assert.isUndefined(Table.alignColumns([["a", "b"], ["c"]]))
    assert.strictEqual(
      Table.alignColumns([["a", "b"], ["long cell value", "c"]]),
      Table.tabwrite("a\tb\nlong cell value\tc\n", Table.dockerTabwriter)
    )
  })
})

describe("parseReference (the name remembered, the tag checked alone)", () => {
  const piece = Schema.String.check(
    Schema.isPattern(
      /^(?:[a-z0-9]{1,5}|[A-Z]{1,2}|localhost|[0-9]{2,4}|[a-f0-9]{64}|[.:/@_-]{1,2}|__|sha256:[a-f0-9]{64}|\[::1\]){1,6}$/
    )
  )
  it.prop("gives what the whole grammar gives", [Schema.Array(piece), Schema.Boolean], ([pieces, twice]) => {
    const ref = pieces.join("")
    // twice: the second answer comes from the remembered name
    if (twice) ImageFormat.parseReference(ref)
    assert.deepStrictEqual(ImageFormat.parseReference(ref), ImageFormat.parseReferenceByGrammar(ref), ref)
  }, { arbitrary: { runs: 2000 } })

  it("corner cases", () => {
    for (
      const ref of [
        "localhost:5000:tag",
        "localhost:5000/app:1",
        `${"a".repeat(64)}:t`,
        "a:b/c:d",
        "app:",
        "app:-x",
        "x/Y:1",
        `app@sha256:${"a".repeat(64)}`,
        "library/app:1",
        "docker.io/app:latest",
        `${"a/".repeat(130)}b:1`
      ]
    ) {
      assert.deepStrictEqual(ImageFormat.parseReference(ref), ImageFormat.parseReferenceByGrammar(ref), ref)
    }
  })
})

/**
 * The reference grammar ImageFormat had of its own before it used the codecs' parser, kept as the oracle that the
 * listing's answers did not change (its one difference: it limited domain and path together to 255 characters,
 * where distribution/reference v0.6, as docker 28 vendors it, limits the path alone).
 */
const pathComponent = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
const domainAndPort = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`
const referencePattern = new RegExp(
  `^((?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*)` +
    "(?::([\\w][\\w.-]{0,127}))?" +
    "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$"
)
const namePattern = new RegExp(`^(?:(${domainAndPort})/)?(${pathComponent}(?:/${pathComponent})*)$`)
const digestLengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 }

const ownGrammar = (ref: string): ImageFormat.Reference | undefined => {
  if (/^[a-f0-9]{64}$/.test(ref)) return undefined
  const slash = ref.indexOf("/")
  let domain = "docker.io"
  let remainder = ref
  if (slash >= 0) {
    const first = ref.slice(0, slash)
    if (/[.:]/.test(first) || first === "localhost" || first.toLowerCase() !== first) {
      domain = first
      remainder = ref.slice(slash + 1)
    }
  }
  if (domain === "index.docker.io") domain = "docker.io"
  if (domain === "docker.io" && !remainder.includes("/")) remainder = "library/" + remainder
  const colon = remainder.indexOf(":")
  const remote = colon >= 0 ? remainder.slice(0, colon) : remainder
  if (remote.toLowerCase() !== remote) return undefined
  const m = referencePattern.exec(`${domain}/${remainder}`)
  if (m === null || m[1]!.length > 255) return undefined
  const digest = m[3]
  if (digest !== undefined) {
    const [algorithm, encoded] = digest.split(":") as [string, string]
    if (digestLengths[algorithm] !== encoded.length || !/^[a-f0-9]+$/.test(encoded)) return undefined
  }
  const name = namePattern.exec(m[1]!)!
  const nameDomain = name[1]
  let path = name[2]!
  let familiarName: string
  if (nameDomain === "docker.io") {
    if (path.startsWith("library/") && !path.slice("library/".length).includes("/")) {
      path = path.slice("library/".length)
    }
    familiarName = path
  } else familiarName = nameDomain === undefined ? path : `${nameDomain}/${path}`
  return { familiarName, tag: m[2], digest }
}

describe("image references through the codecs' parser: the listing's answers unchanged", () => {
  const piece = Schema.String.check(
    Schema.isPattern(
      /^(?:[a-z0-9]{1,5}|[A-Z]{1,2}|localhost|docker\.io|index\.docker\.io|library|[0-9]{2,4}|[a-f0-9]{64}|[.:/@_<>-]{1,2}|__|sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}|\[::1\]){1,6}$/
    )
  )
  // imageRows, defaultImageTable and diskUsageImageRows read references only through parseReference
  it.prop("parseReference and parseReferenceByGrammar give what the old grammar gave", [
    Schema.Array(piece),
    Schema.Boolean
  ], ([pieces, twice]) => {
    const ref = pieces.join("")
    if (twice) ImageFormat.parseReference(ref)
    const expected = ownGrammar(ref)
    assert.deepStrictEqual(ImageFormat.parseReference(ref), expected, ref)
    assert.deepStrictEqual(ImageFormat.parseReferenceByGrammar(ref), expected, ref)
  }, { arbitrary: { runs: 3000 } })

  it("a registry name and a path of 255 characters together over 255: listed, as docker 28 lists it", () => {
    const ref = `localhost:5000/${"a".repeat(250)}:1`
    assert.isUndefined(ownGrammar(ref))
    assert.deepStrictEqual(ImageFormat.parseReference(ref), {
      familiarName: `localhost:5000/${"a".repeat(250)}`,
      tag: "1",
      digest: undefined
    })
    assert.isUndefined(ImageFormat.parseReference(`localhost:5000/${"a".repeat(256)}:1`))
  })
})
