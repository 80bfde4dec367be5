import type { Image } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as GoTemplate from "../../src/internal/format/GoTemplate.ts"
import * as V from "../../src/internal/format/GoValue.ts"
import * as ImageFormat from "../../src/internal/format/ImageFormat.ts"

/** The rendered text, or `ERROR <Go's message>`. */
const run = (text: string, data: unknown, options?: GoTemplate.ExecuteOptions): string => {
  const r = GoTemplate.render(text, data, options)
  return Result.isSuccess(r) ? r.success : `ERROR ${r.failure.message}`
}

// The row docker rendered in the recordings below: `docker image ls dockhand-fmt/s999999 --format …` against an
// image imported from a 999999-byte file, about a minute after the import.
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
const row = ImageFormat.imageContext(
  { image: s999999, repository: "dockhand-fmt/s999999", tag: "latest", digest: "<none>" },
  true,
  { now: (1795707237 + 100) * 1000 }
)

describe("recorded from docker 28 (image ls --format over one image row)", () => {
  // Each pair: the template docker was given, and what it printed (without docker's `template parsing error: `
  // prefix on failures). docker turns `\t`/`\n` in --format into tabs/newlines first, which these avoid.
  const cases: ReadonlyArray<readonly [string, string]> = [
    [
      "{{.Foo}}",
      "ERROR template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.imageContext"
    ],
    ["{{foo .ID}}", "ERROR template: :1: function \"foo\" not defined"],
    ["{{.ID", "ERROR template: :1: unclosed action"],
    ["{{end}}", "ERROR template: :1: unexpected {{end}}"],
    ["{{if .ID}}x", "ERROR template: :1: unexpected EOF"],
    [
      "{{.ID | lower 1}}",
      "ERROR template: :1:8: executing \"\" at <lower>: wrong number of args for lower: want 1 got 2"
    ],
    ["{{lower 1}}", "ERROR template: :1:8: executing \"\" at <1>: expected string; found 1"],
    ["{{lower}}", "ERROR template: :1:2: executing \"\" at <lower>: wrong number of args for lower: want 1 got 0"],
    ["{{printf \"%d\" .ID}}", "%!d(string=87f03eaf3ad8)"],
    ["{{printf \"%s %s\" .ID}}", "87f03eaf3ad8 %!s(MISSING)"],
    ["{{printf \"%s\" .ID 3}}", "87f03eaf3ad8%!(EXTRA int=3)"],
    ["{{index .ID 1}}", "55"],
    ["{{len .ID}}", "12"],
    ["{{.ID.Foo}}", "ERROR template: :1:5: executing \"\" at <.ID.Foo>: can't evaluate field Foo in type string"],
    ["{{$x}}", "ERROR template: :1: undefined variable \"$x\""],
    ["{{.ID!}}", "ERROR template: :1: bad character U+0021 '!'"],
    ["{{\"abc}}", "ERROR template: :1: unterminated quoted string"],
    ["{{(.ID}}", "ERROR template: :1: unclosed left paren"],
    ["{{.ID)}}", "ERROR template: :1: unexpected right paren"],
    ["{{.ID |}}", "87f03eaf3ad8"],
    ["{{| .ID}}", "ERROR template: :1: unexpected \"|\" in command"],
    [
      "{{eq .ID 1}}",
      "ERROR template: :1:2: executing \"\" at <eq .ID 1>: error calling eq: incompatible types for comparison"
    ],
    [
      "{{lt true false}}",
      "ERROR template: :1:2: executing \"\" at <lt true false>: error calling lt: invalid type for comparison"
    ],
    ["{{range .ID}}x{{end}}", "ERROR template: :1:8: executing \"\" at <.ID>: range can't iterate over 87f03eaf3ad8"],
    [
      "{{json .}}",
      "{\"Containers\":\"N/A\",\"CreatedAt\":\"2026-11-26 15:33:57 +0000 UTC\",\"CreatedSince\":\"About a minute ago\"," +
      "\"Digest\":\"\\u003cnone\\u003e\",\"ID\":\"87f03eaf3ad8\",\"Repository\":\"dockhand-fmt/s999999\",\"SharedSize\":\"N/A\"," +
      "\"Size\":\"1e+03kB\",\"Tag\":\"latest\",\"UniqueSize\":\"N/A\",\"VirtualSize\":\"1000kB\"}"
    ],
    ["{{json .Repository}}", "\"dockhand-fmt/s999999\""],
    [
      "{{.}}",
      "{{<nil>} true {-1 1795707237 sha256:87f03eaf3ad8034b4cc6c953a4e52ad3e35fb523dd2972c0be65067927a7b3ee map[]  <nil> [] [] " +
      "[dockhand-fmt/s999999:latest] -1 999999 999999} dockhand-fmt/s999999 latest <none>}"
    ],
    ["{{if}}{{end}}", "ERROR template: :1: missing value for if"],
    ["{{else}}", "ERROR template: :1: unexpected {{else}}"],
    ["{{3 | .ID}}", "ERROR template: :1:6: executing \"\" at <.ID>: wrong number of args for ID: want 0 got 1"],
    ["{{.ID 3}}", "ERROR template: :1:2: executing \"\" at <.ID>: wrong number of args for ID: want 0 got 1"],
    ["{{nil}}", "ERROR template: :1:2: executing \"\" at <nil>: nil is not a command"],
    [
      "{{printf \"%v|%5.2f|%x|%q|%t|%-8s|%08d|%+d|%e|%g\" 1.5 3.14159 255 \"a\\\"b\" true \"ab\" 42 7 1234.5678 0.00001}}",
      "1.5| 3.14|ff|\"a\\\"b\"|true|ab      |00000042|+7|1.234568e+03|1e-05"
    ],
    ["{{print 1 2 \"a\" \"b\" 3 true}}", "1 2ab3 true"],
    ["{{println 1 \"a\"}}", "1 a\n"],
    ["{{slice .ID 1 3}}", "7f"],
    ["{{split .Repository \"/\"}}", "[dockhand-fmt s999999]"],
    ["{{join (split .Repository \"/\") \"+\"}}", "dockhand-fmt+s999999"],
    ["{{title \"hello wORLD foo-bar_baz x.y\"}}", "Hello WORLD Foo-Bar_baz X.Y"],
    ["{{pad .Tag 2 3}}|{{truncate .ID 5}}|{{upper .Repository}}", "  latest   |87f03|DOCKHAND-FMT/S999999"],
    [
      "{{html \"<a href=\\\"x\\\">&'\"}}|{{urlquery \"a b&c=d/é\"}}|{{js \"a<b>\\\"'é\"}}",
      "&lt;a href=&#34;x&#34;&gt;&amp;&#39;|a+b%26c%3Dd%2F%C3%A9|a\\u003Cb\\u003E\\\"\\'é"
    ],
    [
      "{{printf \"%06s|%-06d|%06.2f|%6.2f|%-6s|%5.1s|%.2s|%x|%X|%#x|%o|%b|%c|%U|%q|%+q|%#q|%#U\" \"ab\" 5 3.14159 -2.5 " +
      "\"x\" \"héllo\" \"日本語\" 255 \"日\" 255 8 5 26085 26085 26085 \"日\" \"ab\" 26085}}",
      "0000ab|5     |003.14| -2.50|x     |    h|日本|ff|E697A5|0xff|10|101|日|U+65E5|'日'|\"\\u65e5\"|`ab`|U+65E5 '日'"
    ],
    [
      "{{printf \"%5v|%-5v|%v|%d|%s|%v|%t|%v\" (split \"a,b\" \",\") (split \"a,b\" \",\") 1.0 (split \"a\" \",\") 5 nil 1 true}}",
      "[    a     b]|[a     b    ]|1|[%!d(string=a)]|%!s(int=5)|<nil>|%!t(int=1)|true"
    ],
    [
      "{{printf \"%e|%E|%.3e|%g|%G|%.3g|%f|%.0f|%.0f|%.0f|%8.3f|%+.2e|%g|%g|%v|%v\" 123456.789 0.000123 1.0 1e21 1e-7 " +
      "1234567.0 2.0 0.5 1.5 2.5 3.14159 12345.678 100000.0 1000000.0 1e20 0.0001}}",
      "1.234568e+05|1.230000E-04|1.000e+00|1e+21|1E-07|1.23e+06|2.000000|0|2|2|   3.142|+1.23e+04|100000|1e+06|1e+20|0.0001"
    ],
    [
      "{{printf \"%d %d\" 1}}|{{printf \"%!\"}}|{{printf \"%z\" 1}}|{{printf \"%\"}}|{{printf \"%d%%\" 50}}|" +
      "{{printf \"%*d\" 5 3}}|{{printf \"%-*d|\" 4 3}}|{{printf \"%[2]s %[1]s\" \"a\" \"b\"}}|{{printf \"%.*f\" 2 3.14159}}",
      "1 %!d(MISSING)|%!!(MISSING)|%!z(int=1)|%!(NOVERB)|50%|    3|3   ||b a|3.14"
    ],
    [
      "{{printf \"%s\" true}}|{{printf \"%d\" \"x\"}}|{{printf \"%s\" 1.5}}|{{printf \"%d\" nil}}|{{printf \"%s\"}}|" +
      "{{printf \"%T %T %T %T %T\" 1 1.5 \"s\" true nil}}",
      "%!s(bool=true)|%!d(string=x)|%!s(float64=1.5)|%!d(<nil>)|%!s(MISSING)|int float64 string bool <nil>"
    ],
    [
      "{{printf \"% d|%+d|% x|%#o|%08.3f|%-8.3f|%+08d|%x|%X\" 5 -5 \"abc\" 8 -3.14159 3.14159 -42 -255 \"hi\"}}",
      " 5|-5|61 62 63|010|-003.142|3.142   |-0000042|-ff|6869"
    ],
    [
      "{{printf \"%v %v %v %v\" 1e6 1e-5 123456789.0 0.1}}|{{print 1.5 2.5 \"x\" 3}}|{{print \"a\" \"b\"}}|{{print 1 2}}",
      "1e+06 1e-05 1.23456789e+08 0.1|1.5 2.5x3|ab|1 2"
    ],
    [
      "{{printf \"%5s|%-5s|%5q|%05d|%.3d|%8.3d|%x|% X|%#v|%+v\" \"日本\" \"日本\" \"a\" -42 7 -7 \"\" \"héllo\" \"s\" \"s\"}}",
      "   日本|日本   |  \"a\"|-0042|007|    -007||68 C3 A9 6C 6C 6F|\"s\"|s"
    ],
    [
      "{{printf \"%v|%s|%d\" (index (split \"a\" \",\") 0) (slice \"hello\" 1 3) (len \"héllo\")}}|{{index \"héllo\" 1}}",
      "a|el|6|195"
    ],
    [
      "{{title \"ǆemal élan o'neil 3rd a1b\"}}|{{lower \"ÀÉ\"}}|{{upper \"straße\"}}",
      "ǅemal Élan O'Neil 3rd A1b|àé|STRAßE"
    ],
    [
      "{{eq \"a\" \"b\" \"a\"}} {{ne 1 2}} {{lt \"a\" \"b\"}} {{le 2 2}} {{gt 1.5 1.0}} {{ge 1 2}} {{eq nil nil}} {{eq .ID nil}}",
      "true true true true true false true false"
    ],
    [
      "{{lt 1 1.5}}",
      "ERROR template: :1:2: executing \"\" at <lt 1 1.5>: error calling lt: incompatible types for comparison"
    ],
    ["{{eq 1}}", "ERROR template: :1:2: executing \"\" at <eq 1>: error calling eq: missing argument for comparison"]
  ]
  for (const [text, expected] of cases) {
    it(text, () => assert.strictEqual(run(text, row), expected))
  }
})

describe("recorded from docker 28 (image inspect --format over an image's config)", () => {
  // docker inspect renders its typed InspectResponse; these parts behave the same over plain values.
  const image = {
    Size: 1982317,
    RepoTags: ["127.0.0.1:5000/dockhand-fmt/built:1"],
    Config: {
      Labels: { "org.example.label": "a<b>&c" },
      Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "GREETING=héllo wörld 日本語"],
      Cmd: ["/bin/busybox", "sh"],
      // A nil slice in Go's data: an empty array here (null would be a nil interface, printed <nil>).
      Entrypoint: []
    }
  }
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["{{.Config.Labels}}", "map[org.example.label:a<b>&c]"],
    ["{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "org.example.label=a<b>&c;"],
    [
      "{{range .Config.Env}}[{{.}}]{{end}}",
      "[PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin][GREETING=héllo wörld 日本語]"
    ],
    [
      "{{range $i, $e := .Config.Env}}{{$i}}:{{$e}} {{end}}",
      "0:PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin 1:GREETING=héllo wörld 日本語 "
    ],
    ["{{json .Config.Labels}}", "{\"org.example.label\":\"a<b>&c\"}"],
    [
      "{{json .Config.Env}}",
      "[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"GREETING=héllo wörld 日本語\"]"
    ],
    ["{{.Size}} {{.Config.Cmd}} {{.Config.Entrypoint}} {{len .Config.Cmd}}", "1982317 [/bin/busybox sh] [] 2"],
    ["{{.Config.Labels.nope.x}}", "<no value>"],
    ["{{with .Config.Entrypoint}}yes{{else}}no{{end}} {{if .Config.Cmd}}cmd{{end}}", "no cmd"],
    ["{{range $i, $e := .RepoTags}}{{if $i}}, {{end}}{{$e}}{{end}}", "127.0.0.1:5000/dockhand-fmt/built:1"],
    ["{{- \"  a  \" -}}  {{/* comment */}} {{- /* c2 */ -}}   b", "  a  b"],
    ["x  {{- 3}} {{-3}} {{3 -}}  y", "x3 -3 3y"],
    ["{{$x := 1}}{{$x}}{{$x = 2}}{{$x}}{{if true}}{{$x = 3}}{{$y := 4}}{{end}}{{$x}}", "123"],
    ["{{range $i, $e := .RepoTags}}{{break}}{{end}}{{range 3}}{{.}}{{end}}", "012"],
    ["{{and 1 0 2}} {{or 0 \"\" \"x\"}} {{not 0}} {{and .Config.Cmd \"z\"}}", "0 x true z"],
    ["{{printf \"%v %s %d\" .Config.Cmd .Config.Cmd .Size}}", "[/bin/busybox sh] [/bin/busybox sh] 1982317"],
    ["{{printf \"%q %x %X % x\" .Config.Cmd \"hi\" \"hi\" \"hi\"}}", "[\"/bin/busybox\" \"sh\"] 6869 6869 68 69"],
    ["{{js \"a&b=c\"}}", "a\\u0026b\\u003Dc"],
    ["{{.Config.Labels.x | printf \"%v\"}}|{{printf \"%v\" nil}}|{{print nil}}", "<nil>|<nil>|<nil>"],
    [
      "{{index .Config.Env 5}}",
      "ERROR template: :1:2: executing \"\" at <index .Config.Env 5>: error calling index: index out of range: 5"
    ],
    ["{{1.0}} {{1e3}} {{0x10}} {{'a'}} {{-0.0}} {{1.5e300}} {{100000000.0}}", "1 1000 16 97 -0 1.5e+300 1e+08"]
  ]
  for (const [text, expected] of cases) {
    it(text, () => assert.strictEqual(run(text, image), expected))
  }
  it("missingkey=error, as docker's raw-JSON inspect fallback uses", () => {
    assert.strictEqual(
      run("{{index .Config.Labels \"org.example.label\"}}|{{.Config.Labels.nope}}", image, { missingKey: "error" }),
      "ERROR template: :1:54: executing \"\" at <.Config.Labels.nope>: map has no entry for key \"nope\""
    )
  })
})

describe("GoTemplate", () => {
  const data = {
    Name: "web",
    Tags: ["a", "b", "c"],
    Empty: [],
    Labels: { zeta: "1", alpha: "2", "with space": "3" },
    Nested: { Inner: { Value: 42 } },
    Count: 0,
    Ratio: new V.Float64(2),
    Flag: false,
    Nothing: null,
    Big: 9007199254740993n
  }

  it("parses once and renders many times", () => {
    const t = GoTemplate.parse("{{.Name}}-{{len .Tags}}")
    assert.isTrue(Result.isSuccess(t))
    if (Result.isFailure(t)) return
    assert.deepStrictEqual(GoTemplate.execute(t.success, data), Result.succeed("web-3"))
    assert.deepStrictEqual(GoTemplate.execute(t.success, { ...data, Name: "db" }), Result.succeed("db-3"))
  })

  it("if / else if / else with Go's truth", () => {
    const t = "{{if .Count}}count{{else if .Flag}}flag{{else if .Empty}}empty{{else if .Nothing}}nil{{else}}none{{end}}"
    assert.strictEqual(run(t, data), "none")
    assert.strictEqual(run(t, { ...data, Flag: true }), "flag")
    assert.strictEqual(
      run("{{if .Ratio}}float{{end}}{{if .Labels}} map{{end}}{{if .Nested}} struct{{end}}", data),
      "float map struct"
    )
  })

  it("with and else with set dot", () => {
    assert.strictEqual(run("{{with .Nested.Inner}}{{.Value}}{{end}}", data), "42")
    assert.strictEqual(run("{{with .Nothing}}x{{else with .Tags}}{{index . 1}}{{end}}", data), "b")
    assert.strictEqual(run("{{with .Empty}}x{{else}}none{{end}}", data), "none")
  })

  it("ranges over maps in sorted key order, with else for empty", () => {
    assert.strictEqual(run("{{range $k, $v := .Labels}}{{$k}}={{$v}} {{end}}", data), "alpha=2 with space=3 zeta=1 ")
    assert.strictEqual(run("{{range .Labels}}{{.}}{{end}}", data), "231")
    assert.strictEqual(run("{{range .Empty}}x{{else}}empty{{end}}", data), "empty")
    assert.strictEqual(run("{{range .Nothing}}x{{else}}nil{{end}}", data), "nil")
    assert.strictEqual(run("{{range .Missing}}x{{else}}missing{{end}}", data), "missing")
  })

  it("keeps $ as the root inside range and with", () => {
    assert.strictEqual(run("{{range .Tags}}{{.}}@{{$.Name}} {{end}}", data), "a@web b@web c@web ")
  })

  it("break and continue", () => {
    assert.strictEqual(run("{{range .Tags}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}", data), "ac")
    assert.strictEqual(run("{{range .Tags}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}", data), "a")
    assert.strictEqual(run("{{break}}", data), "ERROR template: :1: {{break}} outside {{range}}")
  })

  it("variables are scoped to their block", () => {
    assert.strictEqual(
      run("{{if true}}{{$v := 1}}{{end}}{{$v}}", data),
      "ERROR template: :1: undefined variable \"$v\""
    )
    assert.strictEqual(run("{{$n := .Name}}{{range .Tags}}{{$n}}{{end}}", data), "webwebweb")
    assert.strictEqual(run("{{range $i, $t := .Tags}}{{$i}}{{$t}}{{end}}", data), "0a1b2c")
    assert.strictEqual(run("{{range $t := .Tags}}{{$t}}{{end}}", data), "abc")
  })

  it("pipelines pass the value as the last argument", () => {
    assert.strictEqual(run("{{.Name | printf \"%s-%s\" \"x\"}}", data), "x-web")
    assert.strictEqual(
      run("{{.Tags | join \",\" | upper}}", data),
      "ERROR template: :1:15: executing \"\" at <\",\">: can't handle \",\" for arg of type []string"
    )
    assert.strictEqual(run("{{join .Tags \",\" | upper}}", data), "A,B,C")
  })

  it("parenthesized pipelines and fields of their results", () => {
    assert.strictEqual(run("{{(index .Tags 2)}}{{(.Nested).Inner.Value}}", data), "c42")
    assert.strictEqual(run("{{len (split \"a,b,c\" \",\")}}", data), "3")
  })

  it("prints Go's values", () => {
    assert.strictEqual(
      run("{{.Tags}} {{.Labels}} {{.Nothing}} {{.Missing}} {{.Ratio}} {{.Big}}", data),
      "[a b c] map[alpha:2 with space:3 zeta:1] <nil> <no value> 2 9007199254740993"
    )
    assert.strictEqual(run("{{.Nested}}", data), "map[Inner:map[Value:42]]")
  })

  it("missing map keys: default, zero and error", () => {
    assert.strictEqual(run("{{.Labels.nope}}", data), "<no value>")
    assert.strictEqual(run("{{.Labels.nope}}", data, { missingKey: "zero" }), "")
    assert.strictEqual(run("{{.Nested.nope}}", data, { missingKey: "zero" }), "<nil>")
    assert.strictEqual(
      run("{{.Labels.nope}}", data, { missingKey: "error" }),
      "ERROR template: :1:9: executing \"\" at <.Labels.nope>: map has no entry for key \"nope\""
    )
    assert.strictEqual(run("{{index .Labels \"nope\"}}|{{index .Nested \"nope\"}}", data), "|<nil>")
  })

  it("structs: fields, methods and their errors", () => {
    const s = V.makeStruct({ typeName: "*main.thing", fields: { Name: "x", Upper: () => "X", Inner: { A: 1 } } })
    assert.strictEqual(run("{{.Name}} {{.Upper}} {{.Inner.A}}", s), "x X 1")
    assert.strictEqual(
      run("{{.Nope}}", s),
      "ERROR template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *main.thing"
    )
    assert.strictEqual(
      run("{{.Name 1}}", s),
      "ERROR template: :1:2: executing \"\" at <.Name>: Name has arguments but cannot be invoked as function"
    )
    assert.strictEqual(run("{{json .}}", s), "{\"Name\":\"x\",\"Upper\":\"X\",\"Inner\":{\"A\":1}}")
    assert.strictEqual(run("{{.}}", s), "{x X map[A:1]}")
  })

  it("nil receivers", () => {
    assert.strictEqual(
      run("{{.Nothing.X}}", data),
      "ERROR template: :1:10: executing \"\" at <.Nothing.X>: nil pointer evaluating interface {}.X"
    )
  })

  it("errors come with line and byte column", () => {
    assert.strictEqual(
      run("a\nbé {{.Nope.X}}", { Nope: 1 }),
      "ERROR template: :2:11: executing \"\" at <.Nope.X>: can't evaluate field X in type int"
    )
    assert.strictEqual(run("a\n{{if}}", {}), "ERROR template: :2: missing value for if")
  })

  it("parse errors", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["{{.A | 3}}", "template: :1: non executable command in pipeline stage 2"],
      ["{{range $a, $b, $c := .}}{{end}}", "template: :1: too many declarations in range"],
      ["{{$a, $b := .}}", "template: :1: too many declarations in command"],
      ["{{/* open", "template: :1: unclosed comment"],
      ["{{/* x */ .A}}", "template: :1: comment ends before closing delimiter"],
      ["{{3x}}", "template: :1: bad number syntax: \"3x\""],
      ["{{\"a\".B}}", "template: :1: unexpected . after term \"\\\"a\\\"\""],
      ["{{if .A}}{{else}}{{else}}{{end}}", "template: :1: expected end; found {{else}}"],
      ["{{define \"x\"}}{{end}}", "template: :1: {{define}} is not supported"],
      ["{{.A\n", "template: :2: unclosed action started at :1"],
      ["{{'ab'}}", "template: :1: malformed character constant: 'ab'"],
      ["{{99999999999999999999}}", "template: :1: integer overflow: \"99999999999999999999\""]
    ]
    for (const [text, message] of cases) {
      const r = GoTemplate.parse(text)
      assert.isTrue(Result.isFailure(r), text)
      if (Result.isFailure(r)) {
        assert.strictEqual(r.failure.message, message, text)
        assert.strictEqual(r.failure.kind, "parse")
      }
    }
  })

  it("actions may span lines", () => {
    assert.strictEqual(run("{{ if\n .Name }}{{\n.Name\n}}{{ end }}", data), "web")
  })

  it("docker functions: edge cases", () => {
    assert.strictEqual(
      run("{{pad \"\" 3 3}}|{{truncate \"abc\" 9}}|{{split \"\" \",\"}}|{{split \"日本\" \"\"}}", data),
      "|abc|[]|[日 本]"
    )
    assert.strictEqual(run("{{json .Nothing}} {{json 1.5}} {{json \"<&>\"}}", data), "null 1.5 \"<&>\"")
    assert.strictEqual(run("{{join .Nothing \",\"}}", data), "")
    assert.strictEqual(
      run("{{lower .Count}}", data),
      "ERROR template: :1:8: executing \"\" at <.Count>: wrong type for value; expected string; got int"
    )
  })

  it("header functions keep column titles as they are", () => {
    const header = { Name: "NAME" }
    const t =
      "{{lower .Name}} {{upper .Name}} {{title .Name}} {{json .Name}} {{split .Name \",\"}} {{join .Name \",\"}} {{truncate .Name 1}} {{pad .Name 1 0}}"
    assert.strictEqual(run(t, header, { functions: "header" }), "NAME NAME NAME NAME NAME NAME NAME  NAME")
  })

  it("comparison of mixed kinds", () => {
    assert.strictEqual(run("{{eq 1 2 1}} {{ne \"a\" \"a\"}} {{eq .Nothing .Nothing}}", data), "true false true")
    assert.strictEqual(
      run("{{lt .Tags 1}}", data),
      "ERROR template: :1:2: executing \"\" at <lt .Tags 1>: error calling lt: invalid type for comparison"
    )
  })
})

describe("call", () => {
  it("calls a function value with arguments", () => {
    assert.strictEqual(run("{{call .F 2 3}}", { F: (a: number, b: number) => a * b }), "6")
    assert.strictEqual(
      run("{{call .X}}", { X: 1 }),
      "ERROR template: :1:2: executing \"\" at <call .X>: error calling call: non-function of type int"
    )
  })
})
