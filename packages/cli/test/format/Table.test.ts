import type { Image } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as ImageFormat from "../../src/internal/format/ImageFormat.ts"
import * as Table from "../../src/internal/format/Table.ts"

const out = (r: Result.Result<string, Table.FormatError>): string =>
  Result.isSuccess(r) ? r.success : `ERROR ${r.failure.message}`

// The image behind the recordings below (`docker image ls dockhand-fmt/s999999 --format …`, about a minute after
// it was imported from a 999999-byte file).
const s999999: Image.Summary = {
  Containers: -1,
  Created: 1795707237,
  Id: "sha256:87f03eaf3ad8034b4cc6c953a4e52ad3e35fb523dd2972c0be65067927a7b3ee",
  Labels: null,
  ParentId: "",
  RepoDigests: null,
  RepoTags: ["dockhand-fmt/s999999:latest"],
  SharedSize: -1,
  Size: 999999,
  VirtualSize: 999999
}
const now = (1795707237 + 100) * 1000

describe("Table.render, recorded from docker 28", () => {
  const row = ImageFormat.imageContext(
    { image: s999999, repository: "dockhand-fmt/s999999", tag: "latest", digest: "<none>" },
    true,
    { now }
  )
  const render = (format: string) => out(Table.render({ format, header: ImageFormat.imageHeader, rows: [row] }))
  // The --format values are written as docker receives them from the shell: `\t` is backslash + t.
  const cases: ReadonlyArray<readonly [string, string]> = [
    [
      "table {{.Repository | lower}}\\t{{pad .Tag 1 1}}\\t{{truncate .ID 3}}\\t{{json .Size}}\\t{{split .ID \"a\"}}\\t{{.Containers}}",
      "REPOSITORY              TAG       IMAGE ID   SIZE        IMAGE ID         CONTAINERS\n" +
      "dockhand-fmt/s999999    latest    87f        \"1e+03kB\"   [87f03e f3 d8]   N/A\n"
    ],
    [
      "table {{json .}}",
      "\n{\"Containers\":\"N/A\",\"CreatedAt\":\"2026-11-26 15:33:57 +0000 UTC\",\"CreatedSince\":\"About a minute ago\"," +
      "\"Digest\":\"\\u003cnone\\u003e\",\"ID\":\"87f03eaf3ad8\",\"Repository\":\"dockhand-fmt/s999999\",\"SharedSize\":\"N/A\"," +
      "\"Size\":\"1e+03kB\",\"Tag\":\"latest\",\"UniqueSize\":\"N/A\",\"VirtualSize\":\"1000kB\"}\n"
    ],
    ["table   {{.ID}}  ", "IMAGE ID\n87f03eaf3ad8\n"],
    ["  {{.ID}}\\t{{.Tag}}\\n  ", "87f03eaf3ad8\tlatest\n\n"],
    [
      "table {{.Foo}}",
      "ERROR template parsing error: template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.imageContext"
    ],
    [
      "table {{.ID}}\\t{{printf \"%s\" .Tag}}\\t{{upper .Repository}}",
      "IMAGE ID       TAG       REPOSITORY\n87f03eaf3ad8   latest    DOCKHAND-FMT/S999999\n"
    ],
    ["table {{.ID}}\\t{{index .Tag 0}}\\tEND", "IMAGE ID       84        END\n87f03eaf3ad8   108       END\n"],
    [
      "json",
      "{\"Containers\":\"N/A\",\"CreatedAt\":\"2026-11-26 15:33:57 +0000 UTC\",\"CreatedSince\":\"About a minute ago\"," +
      "\"Digest\":\"\\u003cnone\\u003e\",\"ID\":\"87f03eaf3ad8\",\"Repository\":\"dockhand-fmt/s999999\",\"SharedSize\":\"N/A\"," +
      "\"Size\":\"1e+03kB\",\"Tag\":\"latest\",\"UniqueSize\":\"N/A\",\"VirtualSize\":\"1000kB\"}\n"
    ],
    ["JSON", "JSON\n"],
    ["tablex {{.ID}}", "x IMAGE ID\nx 87f03eaf3ad8\n"],
    ["{{foo}}", "ERROR template parsing error: template: :1: function \"foo\" not defined"]
  ]
  for (const [format, expected] of cases) {
    it(format, () => assert.strictEqual(render(format), expected))
  }
})

describe("image ls format selection, recorded from docker 28", () => {
  const list = (options: Omit<ImageFormat.ImageListOptions, "now">) =>
    out(ImageFormat.formatImageList([s999999], { now, ...options }))
  it("--format table is the default table", () => {
    assert.strictEqual(
      list({ format: "table" }),
      "REPOSITORY             TAG       IMAGE ID       CREATED              SIZE\n" +
        "dockhand-fmt/s999999   latest    87f03eaf3ad8   About a minute ago   1e+03kB\n"
    )
  })
  it("--format raw", () => {
    assert.strictEqual(
      list({ format: "raw" }),
      "repository: dockhand-fmt/s999999\ntag: latest\nimage_id: 87f03eaf3ad8\ncreated_at: 2026-11-26 15:33:57 +0000 UTC\n" +
        "virtual_size: 1e+03kB\n\n"
    )
  })
  it("--format raw --digests", () => {
    assert.strictEqual(
      list({ format: "raw", digests: true }),
      "repository: dockhand-fmt/s999999\ntag: latest\ndigest: <none>\nimage_id: 87f03eaf3ad8\n" +
        "created_at: 2026-11-26 15:33:57 +0000 UTC\nvirtual_size: 1e+03kB\n\n"
    )
  })
  it("-q --format raw", () => {
    assert.strictEqual(list({ format: "raw", quiet: true }), "image_id: 87f03eaf3ad8\n")
  })
  it("-q with a custom table format ignores -q", () => {
    assert.strictEqual(list({ format: "table {{.Repository}}", quiet: true }), "REPOSITORY\ndockhand-fmt/s999999\n")
  })
  it("--digests adds a DIGEST column to a custom table", () => {
    assert.strictEqual(
      list({ format: "table {{.Repository}}", digests: true }),
      "REPOSITORY             DIGEST\ndockhand-fmt/s999999   <none>\n"
    )
  })
  it("--digests leaves a non-table format alone", () => {
    assert.strictEqual(list({ format: "{{.Repository}}", digests: true }), "dockhand-fmt/s999999\n")
  })
  it("the config file's imagesFormat applies without --format, but not with -q", () => {
    assert.strictEqual(list({ configFormat: "{{.Tag}}" }), "latest\n")
    assert.strictEqual(list({ configFormat: "{{.Tag}}", quiet: true }), "87f03eaf3ad8\n")
    assert.strictEqual(list({ configFormat: "{{.Tag}}", format: "{{.ID}}" }), "87f03eaf3ad8\n")
  })
})

describe("tabwrite", () => {
  const tw = (text: string) => Table.tabwrite(text, Table.dockerTabwriter)

  it("pads each column to its widest cell plus 3, at least 10", () => {
    assert.strictEqual(tw("A\tBB\tC\nlonger-value\tx\ty\n"), "A              BB        C\nlonger-value   x         y\n")
  })

  it("does not pad the last cell of a line", () => {
    assert.strictEqual(tw("a\tb   \n"), "a         b   \n")
  })

  it("a line without tabs ends the column block", () => {
    assert.strictEqual(tw("a\tb\nplain line\nlong-cell-here\tc\n"), "a         b\nplain line\nlong-cell-here   c\n")
  })

  it("a column spans only the contiguous lines that have it", () => {
    // The third column exists in lines 1 and 2 only; line 3 has two cells.
    assert.strictEqual(
      tw("aaaa\tbbb\td\naa\tb\tdd\na\tccccccccccccc\n"),
      "aaaa      bbb       d\naa        b         dd\na         ccccccccccccc\n"
    )
  })

  it("counts wide characters as two columns and combining marks as none", () => {
    assert.strictEqual(tw("日本語\tx\nabc\ty\n"), "日本語    x\nabc       y\n")
    assert.strictEqual(
      tw("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301\tx\nabc\ty\n"),
      "e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301   x\nabc        y\n"
    )
    assert.strictEqual(tw("🐳🐳🐳🐳🐳\tx\nabc\ty\n"), "🐳🐳🐳🐳🐳   x\nabc          y\n")
  })

  it("empty cells are padded too", () => {
    assert.strictEqual(tw("\tb\nlonger\t\tc\n"), "          b\nlonger              c\n")
  })

  it("keeps text without a final newline", () => {
    assert.strictEqual(tw("a\tb\nc"), "a         b\nc")
  })

  it("honours other settings", () => {
    assert.strictEqual(
      Table.tabwrite("a\tbb\tc\n", {
        minWidth: 0,
        tabWidth: 8,
        padding: 1,
        padChar: ".",
        alignRight: true,
        debug: true
      }),
      ".a|.bb|c\n"
    )
    assert.strictEqual(Table.tabwrite("a\tb\n", { minWidth: 0, tabWidth: 8, padding: 1, padChar: "\t" }), "a\tb\n")
  })
})

describe("templateText", () => {
  it("strips table, expands json, trims spaces and unescapes \\t and \\n", () => {
    assert.strictEqual(Table.templateText("table {{.A}}\\t{{.B}}"), "{{.A}}\t{{.B}}")
    assert.strictEqual(Table.templateText("json"), "{{json .}}")
    assert.strictEqual(Table.templateText("  {{.A}}\\n  "), "{{.A}}\n")
    assert.strictEqual(Table.templateText("{{.A}}\\\\t"), "{{.A}}\\\t")
    assert.strictEqual(Table.templateText("\t{{.A}}\t"), "\t{{.A}}\t")
  })
  it("recognises formats as docker does", () => {
    assert.isTrue(Table.isTable("tablex"))
    assert.isFalse(Table.isJson("JSON"))
    assert.isTrue(Table.isJson("json"))
  })
})

describe("Table.render", () => {
  it("prints the header of a table with no rows", () => {
    assert.strictEqual(
      out(Table.render({ format: "table {{.A}}\\t{{.B}}", header: { A: "AA", B: "BB" }, rows: [] })),
      "AA        BB\n"
    )
    assert.strictEqual(out(Table.render({ format: "{{.A}}", header: { A: "AA" }, rows: [] })), "")
  })
  it("keeps what the header rendered before failing, as docker does", () => {
    assert.strictEqual(
      out(
        Table.render({ format: "table {{.A}}\\t{{.B.C}}\\t{{.D}}", header: { A: "AA", B: "BB", D: "DD" }, rows: [] })
      ),
      "AA        \n"
    )
  })
  it("a row failure fails the whole output", () => {
    const r = Table.render({ format: "{{.A.B}}", header: {}, rows: [{ A: { B: 1 } }, { A: 2 }] })
    assert.isTrue(Result.isFailure(r))
  })
  it("missing header titles print <no value>", () => {
    assert.strictEqual(
      out(Table.render({ format: "table {{.A}}\\t{{.X}}", header: { A: "AA" }, rows: [{ A: 1, X: 2 }] })),
      "AA        <no value>\n1         2\n"
    )
  })
})
