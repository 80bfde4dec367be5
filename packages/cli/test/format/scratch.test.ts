import { it } from "@effect/vitest"
import * as GoTemplate from "../../src/internal/format/GoTemplate.ts"
import * as V from "../../src/internal/format/GoValue.ts"

const show = (t: string, data: unknown = {}) => {
  const r = GoTemplate.render(t, data)
  console.log(JSON.stringify(t), "=>", r._tag === "Success" ? JSON.stringify(r.success) : "ERR " + r.failure.message)
}
it("scratch", () => {
  const s = V.makeStruct({ typeName: "*formatter.imageContext", fields: { ID: () => "87f03eaf3ad8", Repository: () => "dockhand-fmt/s999999", Tag: () => "latest", Size: () => "1e+03kB" } })
  for (const t of ['{{.Foo}}','{{foo .ID}}','{{.ID','{{end}}','{{if .ID}}x','{{.ID | lower 1}}','{{lower 1}}','{{lower}}','{{printf "%d" .ID}}','{{printf "%s %s" .ID}}','{{printf "%s" .ID 3}}','{{index .ID 1}}','{{len .ID}}','{{.ID.Foo}}','{{$x}}','{{.ID!}}','{{"abc}}','{{(.ID}}','{{.ID)}}','{{.ID |}}','{{| .ID}}','{{eq .ID 1}}','{{lt true false}}','{{range .ID}}x{{end}}','{{json .Repository}}','{{if}}{{end}}','{{else}}','{{3 | .ID}}','{{.ID 3}}','{{nil}}',
   '{{printf "%v|%5.2f|%x|%q|%t|%-8s|%08d|%+d|%e|%g" 1.5 3.14159 255 "a\\"b" true "ab" 42 7 1234.5678 0.00001}}',
   '{{print 1 2 "a" "b" 3 true}}','{{println 1 "a"}}','{{slice .ID 1 3}}','{{split .Repository "/"}}','{{join (split .Repository "/") "+"}}','{{title "hello wORLD foo-bar_baz x.y"}}','{{pad .Tag 2 3}}|{{truncate .ID 5}}|{{upper .Repository}}',
   '{{html "<a href=\\"x\\">&\'"}}|{{urlquery "a b&c=d/é"}}|{{js "a<b>\\"\'é"}}',
   '{{printf "%06s|%-06d|%06.2f|%6.2f|%-6s|%5.1s|%.2s|%x|%X|%#x|%o|%b|%c|%U|%q|%+q|%#q|%#U" "ab" 5 3.14159 -2.5 "x" "héllo" "日本語" 255 "日" 255 8 5 26085 26085 26085 "日" "ab" 26085}}',
   '{{printf "%5v|%-5v|%v|%d|%s|%v|%t|%v" (split "a,b" ",") (split "a,b" ",") 1.0 (split "a" ",") 5 nil 1 true}}',
   '{{printf "%e|%E|%.3e|%g|%G|%.3g|%f|%.0f|%.0f|%.0f|%8.3f|%+.2e|%g|%g|%v|%v" 123456.789 0.000123 1.0 1e21 1e-7 1234567.0 2.0 0.5 1.5 2.5 3.14159 12345.678 100000.0 1000000.0 1e20 0.0001}}',
   '{{printf "%d %d" 1}}|{{printf "%!"}}|{{printf "%z" 1}}|{{printf "%"}}|{{printf "%d%%" 50}}|{{printf "%*d" 5 3}}|{{printf "%-*d|" 4 3}}|{{printf "%[2]s %[1]s" "a" "b"}}|{{printf "%.*f" 2 3.14159}}',
   '{{printf "%s" true}}|{{printf "%d" "x"}}|{{printf "%s" 1.5}}|{{printf "%d" nil}}|{{printf "%s"}}|{{printf "%T %T %T %T %T" 1 1.5 "s" true nil}}',
   '{{printf "% d|%+d|% x|%#o|%08.3f|%-8.3f|%+08d|%x|%X" 5 -5 "abc" 8 -3.14159 3.14159 -42 -255 "hi"}}',
   '{{printf "%v %v %v %v" 1e6 1e-5 123456789.0 0.1}}|{{print 1.5 2.5 "x" 3}}|{{print "a" "b"}}|{{print 1 2}}',
   '{{printf "%5s|%-5s|%5q|%05d|%.3d|%8.3d|%x|% X|%#v|%+v" "日本" "日本" "a" -42 7 -7 "" "héllo" "s" "s"}}',
   '{{printf "%v|%s|%d" (index (split "a" ",") 0) (slice "hello" 1 3) (len "héllo")}}|{{index "héllo" 1}}|{{slice "héllo" 1 2}}|{{truncate "héllo" 2}}',
   '{{title "ǆemal élan o\'neil 3rd a1b"}}|{{lower "ÀÉ"}}|{{upper "straße"}}',
   '{{eq "a" "b" "a"}} {{ne 1 2}} {{lt "a" "b"}} {{le 2 2}} {{gt 1.5 1.0}} {{ge 1 2}} {{eq nil nil}} {{eq .ID nil}}','{{lt 1 1.5}}','{{eq 1}}',
   '{{- "  a  " -}}  {{/* comment */}} {{- /* c2 */ -}}   b','x  {{- 3}} {{-3}} {{3 -}}  y','{{$x := 1}}{{$x}}{{$x = 2}}{{$x}}{{if true}}{{$x = 3}}{{$y := 4}}{{end}}{{$x}}',
   '{{range 3}}{{.}}{{end}}','{{and 1 0 2}} {{or 0 "" "x"}} {{not 0}}','{{1.0}} {{1e3}} {{0x10}} {{\'a\'}} {{-0.0}} {{1.5e300}} {{100000000.0}}', '{{js "a&b=c"}}'
  ]) show(t, s)
  const d = { Config: { Labels: { "org.example.label": "a<b>&c" }, Env: ["A=1", "B=日本"], Cmd: ["/bin/busybox", "sh"], Entrypoint: null }, RepoTags: ["x:1", "y:2"] }
  for (const t of ['{{.Config.Labels}}','{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}','{{range .Config.Env}}[{{.}}]{{end}}','{{range $i, $e := .Config.Env}}{{$i}}:{{$e}} {{end}}','{{json .Config.Labels}}','{{json .Config.Env}}','{{json .}}',
    '{{index .Config.Labels "org.example.label"}}|{{index .Config.Labels "nope"}}|{{.Config.Labels.nope}}|{{.Nope}}','{{.Config.Labels.nope.x}}','{{with .Config.Entrypoint}}yes{{else}}no{{end}} {{if .Config.Cmd}}cmd{{end}}',
    '{{range $i, $e := .RepoTags}}{{if $i}}, {{end}}{{$e}}{{end}}','{{range $i, $e := .RepoTags}}{{break}}{{end}}','{{range .RepoTags}}{{if eq . "x:1"}}{{continue}}{{end}}{{.}}{{end}}','{{printf "%v %s %q" .Config.Cmd .Config.Cmd .Config.Cmd}}','{{.Config.Labels.x | printf "%v"}}|{{printf "%v" nil}}|{{print nil}}','{{index .Config.Env 5}}','{{range .Nope}}a{{else}}empty{{end}}','{{with $x := .RepoTags}}{{$x}}{{end}}', '{{range $i, $e := .}}{{$i}}{{end}}'
  ]) show(t, d)
})
