import * as GoPath from "@dockhand/client/GoPath"
import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as DockerIgnore from "../src/internal/DockerIgnore.ts"

/** The matcher of some pattern lines (as `.dockerignore` lines), failing the test if docker would refuse them. */
const matcher = (...lines: ReadonlyArray<string>) => Result.getOrThrow(DockerIgnore.parse(lines.join("\n")))

/** Whether docker excludes `path`, or docker's error text. */
const excluded = (lines: ReadonlyArray<string>, path: string): boolean | string => {
  const compiled = DockerIgnore.compile(lines)
  if (Result.isFailure(compiled)) return compiled.failure.message
  const result = DockerIgnore.isExcluded(compiled.success, path)
  return Result.isFailure(result) ? result.failure.message : result.success
}

/** Whether the one pattern matches `path` itself (not only a directory above it). */
const matchesItself = (pattern: string, path: string): boolean =>
  Result.getOrThrow(DockerIgnore.matches(Result.getOrThrow(DockerIgnore.compile([pattern])).patterns[0]!, path))

describe("DockerIgnore: moby's pattern tables", () => {
  // moby/patternmatcher TestMatches: "exact" matches the path itself, "inexact" only through a directory above it
  const table: ReadonlyArray<readonly [string, string, "exact" | "inexact" | "fail"]> = [
    ["**", "file", "exact"],
    ["**", "file/", "exact"],
    ["**/", "file", "exact"],
    ["**/", "file/", "exact"],
    ["**", "/", "exact"],
    ["**/", "/", "exact"],
    ["**", "dir/file", "exact"],
    ["**/", "dir/file", "exact"],
    ["**", "dir/file/", "exact"],
    ["**/", "dir/file/", "exact"],
    ["**/**", "dir/file", "exact"],
    ["**/**", "dir/file/", "exact"],
    ["dir/**", "dir/file", "exact"],
    ["dir/**", "dir/file/", "exact"],
    ["dir/**", "dir/dir2/file", "exact"],
    ["dir/**", "dir/dir2/file/", "exact"],
    ["**/dir", "dir", "exact"],
    ["**/dir", "dir/file", "inexact"],
    ["**/dir2/*", "dir/dir2/file", "exact"],
    ["**/dir2/*", "dir/dir2/file/", "inexact"],
    ["**/dir2/**", "dir/dir2/dir3/file", "exact"],
    ["**/dir2/**", "dir/dir2/dir3/file/", "exact"],
    ["**file", "file", "exact"],
    ["**file", "dir/file", "exact"],
    ["**/file", "dir/file", "exact"],
    ["**file", "dir/dir/file", "exact"],
    ["**/file", "dir/dir/file", "exact"],
    ["**/file*", "dir/dir/file", "exact"],
    ["**/file*", "dir/dir/file.txt", "exact"],
    ["**/file*txt", "dir/dir/file.txt", "exact"],
    ["**/file*.txt", "dir/dir/file.txt", "exact"],
    ["**/file*.txt*", "dir/dir/file.txt", "exact"],
    ["**/**/*.txt", "dir/dir/file.txt", "exact"],
    ["**/**/*.txt2", "dir/dir/file.txt", "fail"],
    ["**/*.txt", "file.txt", "exact"],
    ["**/**/*.txt", "file.txt", "exact"],
    ["a**/*.txt", "a/file.txt", "exact"],
    ["a**/*.txt", "a/dir/file.txt", "exact"],
    ["a**/*.txt", "a/dir/dir/file.txt", "exact"],
    ["a/*.txt", "a/dir/file.txt", "fail"],
    ["a/*.txt", "a/file.txt", "exact"],
    ["a/*.txt**", "a/file.txt", "exact"],
    ["a[b-d]e", "ae", "fail"],
    ["a[b-d]e", "ace", "exact"],
    ["a[b-d]e", "aae", "fail"],
    ["a[^b-d]e", "aze", "exact"],
    [".*", ".foo", "exact"],
    [".*", "foo", "fail"],
    ["abc.def", "abcdef", "fail"],
    ["abc.def", "abc.def", "exact"],
    ["abc.def", "abcZdef", "fail"],
    ["abc?def", "abcZdef", "exact"],
    ["abc?def", "abcdef", "fail"],
    ["**/foo/bar", "foo/bar", "exact"],
    ["**/foo/bar", "dir/foo/bar", "exact"],
    ["**/foo/bar", "dir/dir2/foo/bar", "exact"],
    ["abc/**", "abc", "fail"],
    ["abc/**", "abc/def", "exact"],
    ["abc/**", "abc/def/ghi", "exact"],
    ["**/.foo", ".foo", "exact"],
    ["**/.foo", "bar.foo", "fail"],
    ["a(b)c/def", "a(b)c/def", "exact"],
    ["a(b)c/def", "a(b)c/xyz", "fail"],
    ["a.|)$(}+{bc", "a.|)$(}+{bc", "exact"],
    [
      "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
      "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
      "exact"
    ],
    ["dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "exact"],
    ["a\\\\", "a\\", "exact"],
    ["a\\*b", "a*b", "exact"]
  ]
  it("TestMatches: each pattern against each path, itself or through a directory above it", () => {
    for (const [pattern, path, result] of table) {
      const what = `${pattern} ~ ${path}`
      assert.strictEqual(matchesItself(pattern, path), result === "exact", what)
      assert.strictEqual(excluded([pattern], path), result !== "fail", what)
    }
  })

  it("several patterns: the last one that applies wins, an exception only after an exclusion", () => {
    const whl = "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"
    assert.isFalse(excluded(["**", "!util/docker/web"], "util/docker/web/foo"))
    assert.isTrue(excluded(["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo"))
    assert.isFalse(excluded(["**", `!${whl}`], whl))
    assert.isFalse(excluded(["**", "!dist/*.whl"], whl))
    assert.isTrue(excluded(["!fileutils.go", "*.go"], "fileutils.go"))
    assert.isFalse(excluded(["*.go", "!fileutils.go"], "fileutils.go"))
    for (const first of ["docs", "docs/", "docs/*"]) {
      assert.isFalse(excluded([first, "!docs/README.md"], "docs/README.md"))
    }
  })

  // Go's filepath.Match table (moby's TestMatch runs it through the matcher): true, false, or a bad pattern
  const goTable: ReadonlyArray<readonly [string, string, boolean]> = [
    ["abc", "abc", true],
    ["*", "abc", true],
    ["*c", "abc", true],
    ["a*", "a", true],
    ["a*", "abc", true],
    ["a*", "ab/c", true],
    ["a*/b", "abc/b", true],
    ["a*/b", "a/c/b", false],
    ["a*b*c*d*e*/f", "axbxcxdxe/f", true],
    ["a*b*c*d*e*/f", "axbxcxdxexxx/f", true],
    ["a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false],
    ["a*b*c*d*e*/f", "axbxcxdxexxx/fff", false],
    ["a*b?c*x", "abxbbxdbxebxczzx", true],
    ["a*b?c*x", "abxbbxdbxebxczzy", false],
    ["ab[c]", "abc", true],
    ["ab[b-d]", "abc", true],
    ["ab[e-g]", "abc", false],
    ["ab[^c]", "abc", false],
    ["ab[^b-d]", "abc", false],
    ["ab[^e-g]", "abc", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "ab", false],
    ["a?b", "a☺b", true],
    ["a[^a]b", "a☺b", true],
    ["a???b", "a☺b", false],
    ["a[^a][^a][^a]b", "a☺b", false],
    ["[a-ζ]*", "α", true],
    ["*[a-ζ]", "A", false],
    ["a?b", "a/b", false],
    ["a*b", "a/b", false],
    ["[\\]a]", "]", true],
    ["[\\-]", "-", true],
    ["[x\\-]", "x", true],
    ["[x\\-]", "-", true],
    ["[x\\-]", "z", false],
    ["[\\-x]", "x", true],
    ["[\\-x]", "-", true],
    ["[\\-x]", "a", false],
    ["*x", "xxx", true]
  ]
  it("TestMatch (Go's filepath.Match cases)", () => {
    for (const [pattern, path, result] of goTable) {
      assert.strictEqual(excluded([pattern], path), result, `${pattern} ~ ${path}`)
    }
  })

  it("bad patterns fail as docker does: syntax error in pattern, illegal exclusion", () => {
    const bad = ["[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[", "foo/[", "a\\"]
    for (const pattern of bad) {
      const compiled = DockerIgnore.parse(pattern)
      assert.isTrue(Result.isFailure(compiled), pattern)
      if (Result.isFailure(compiled)) {
        assert.strictEqual(compiled.failure.reason, "BadPattern")
        assert.strictEqual(compiled.failure.message, "syntax error in pattern")
      }
    }
    for (const text of ["!", "! ", "foo\n!", "!/"]) {
      const compiled = DockerIgnore.parse(text)
      assert.isTrue(Result.isFailure(compiled) && compiled.failure.message === `illegal exclusion pattern: "!"`, text)
    }
  })

  it("a class Go's regexp rejects ([Local-Only], [z-a]) fails when it is looked at, not before", () => {
    for (const pattern of ["[Local-Only]/", "[z-a]", "\\e", "\\1", "[[:nope:]]"]) {
      const compiled = DockerIgnore.compile([pattern])
      assert.isTrue(Result.isSuccess(compiled), pattern)
      assert.strictEqual(excluded([pattern], "Dockerfile"), "syntax error in pattern", pattern)
    }
    // docker looks at an exception only once something is excluded, at an exclusion only while nothing is
    assert.isFalse(excluded(["![Local-Only]"], "Dockerfile"))
    assert.isTrue(excluded(["**", "[Local-Only]"], "Dockerfile"))
    assert.strictEqual(excluded(["**", "![Local-Only]"], "Dockerfile"), "syntax error in pattern")
  })
})

describe("DockerIgnore: Go regexp semantics, as docker applies them", () => {
  it("[!a] is the set of ! and a (docker does not negate it); [^a] negates", () => {
    assert.isTrue(excluded(["[!a]"], "!"))
    assert.isTrue(excluded(["[!a]"], "a"))
    assert.isFalse(excluded(["[!a]"], "b"))
    assert.isFalse(excluded(["[^a]"], "a"))
    assert.isTrue(excluded(["[^a]"], "b"))
    assert.isTrue(excluded(["x[!.]y"], "x!y"))
    assert.isFalse(excluded(["x[!.]y"], "xzy"))
  })

  it("what docker 28 does with Go regexp syntax in a pattern (checked against the docker CLI)", () => {
    // `**file` is a suffix match, `**file*` a regexp: docker's own shortcut
    assert.isTrue(excluded(["**file"], "xfile"))
    assert.isFalse(excluded(["**/file*"], "xfile"))
    // a pattern without wildcards is compared as it is, one with wildcards goes through the regexp, where ^ anchors
    assert.isTrue(excluded(["^foo"], "^foo"))
    assert.isTrue(excluded(["^foo*"], "foox"))
    assert.isFalse(excluded(["^foo*"], "^foox"))
    // escapes are Go's: \d a digit, \x41 "A", \n a newline, \b a word boundary; \e is an error
    assert.isTrue(excluded(["\\d"], "5"))
    assert.isFalse(excluded(["\\d"], "d"))
    assert.isTrue(excluded(["\\x41"], "A"))
    assert.isFalse(excluded(["a\\nb"], "anb"))
    assert.isTrue(excluded(["\\bx"], "x"))
    assert.isTrue(excluded(["\\pL"], "b"))
    assert.isFalse(excluded(["\\pL"], "1"))
    assert.isFalse(excluded(["\\Qa*\\E"], "a*"))
    assert.isTrue(excluded(["x*\\z"], "xy"))
    // `*` inside [] becomes `[^/]*` inside the class: [*] is the class {[ ^ /} repeated, then `]`
    assert.isTrue(excluded(["[*]"], "]"))
    assert.isTrue(excluded(["[*]"], "[]"))
    assert.isFalse(excluded(["[*]"], "*"))
    assert.isTrue(excluded(["[[:alpha:]]"], "b"))
    assert.isFalse(excluded(["[[:alpha:]]"], ":"))
    // `|` and `{` are not escaped: an alternation (each side a search, so an empty side matches anything), a repetition
    assert.isTrue(excluded(["a*|b"], "b"))
    assert.isTrue(excluded(["a*|b"], "ab"))
    assert.isTrue(excluded(["**/\\]|"], "anything"))
    assert.isTrue(excluded(["x?|y*"], "x.y"))
    assert.isFalse(excluded(["x?|y*"], "x"))
    assert.isTrue(excluded(["a?{2}"], "abc"))
    assert.isFalse(excluded(["a?{2}"], "ab"))
    assert.strictEqual(excluded(["a*{1}"], "a"), "syntax error in pattern")
    assert.isTrue(excluded(["a{1}"], "a{1}"))
    assert.isTrue(excluded(["\\p{Greek}"], "α"))
    assert.isTrue(excluded(["\\x{3b1}"], "α"))
    // `?` and a class are one code point
    assert.isTrue(excluded(["a?b"], "a😀b"))
    assert.isTrue(excluded(["a[^x]b"], "a😀b"))
  })
})

describe("DockerIgnore: bounded work", () => {
  it("a pattern whose expression would take more than 100 000 states is refused (docker's Go allows 3.3 million)", () => {
    assert.strictEqual(excluded(["?{1000}".repeat(200)], "a"), "syntax error in pattern")
    assert.isFalse(excluded(["?{1000}".repeat(20)], "a"))
  })
})

describe("DockerIgnore.readAll (docker's ignorefile.ReadAll)", () => {
  const read = (content: string | Uint8Array) => Result.getOrThrow(DockerIgnore.readAll(content))
  it("comments before trimming, trimming as Go's TrimSpace, ! exceptions, cleaned paths", () => {
    assert.deepStrictEqual(read("# comment\n  # not a comment\n\n \t \nfoo\r\nbar  \r\n"), [
      "# not a comment",
      "foo",
      "bar"
    ])
    assert.deepStrictEqual(read("!  foo/../bar/\n!/x\n/y\n//z/\n/\n./a/./b\n../c"), [
      "!bar",
      "!x",
      "y",
      "z",
      "/",
      "a/b",
      "../c"
    ])
    assert.deepStrictEqual(read("a\u0085\n\u00a0b\u3000\n\u2028"), ["a", "b"])
    // Go does not trim U+FEFF: a BOM is dropped from the first line only
    assert.deepStrictEqual(read("\ufeffa\n\ufeffb"), ["a", "\ufeffb"])
    assert.deepStrictEqual(read(new Uint8Array([0xef, 0xbb, 0xbf, 0x23, 0x0a, 0x63])), ["c"])
    assert.deepStrictEqual(read("!\n!  \n"), ["!", "!"])
  })

  it("a line of 64 KiB or more (counting a \\r) fails with bufio.Scanner's text", () => {
    const a = (n: number) => "a".repeat(n)
    for (const ok of [`${a(65535)}\n`, a(65535), `${a(65534)}\r\n`, `x\n${a(65535)}\ny`]) {
      assert.isTrue(Result.isSuccess(DockerIgnore.readAll(ok)))
    }
    for (const tooLong of [`${a(65536)}\n`, a(65536), `${a(65535)}\r\n`, `x\n${a(70000)}\ny`, "é".repeat(32768)]) {
      const result = DockerIgnore.readAll(tooLong)
      assert.isTrue(Result.isFailure(result))
      if (Result.isFailure(result)) {
        assert.strictEqual(result.failure.reason, "LineTooLong")
        assert.strictEqual(result.failure.message, "bufio.Scanner: token too long")
      }
    }
  })
})

describe("DockerIgnore.hasExceptionsBelow (when docker's walk enters an excluded directory)", () => {
  it("only when an exception's text names something at or below the directory", () => {
    assert.isFalse(DockerIgnore.hasExceptionsBelow(matcher("a"), "a"))
    assert.isTrue(DockerIgnore.hasExceptionsBelow(matcher("a", "!a/keep"), "a"))
    assert.isTrue(DockerIgnore.hasExceptionsBelow(matcher("a", "!a"), "a"))
    assert.isTrue(DockerIgnore.hasExceptionsBelow(matcher("a/b", "!a/b/c"), "a"))
    assert.isTrue(DockerIgnore.hasExceptionsBelow(matcher("a/b", "!a/b/c"), "a/b"))
    assert.isFalse(DockerIgnore.hasExceptionsBelow(matcher("a", "!**/keep"), "a"))
    assert.isFalse(DockerIgnore.hasExceptionsBelow(matcher("a", "!ab/keep"), "a"))
    assert.isFalse(DockerIgnore.hasExceptionsBelow(matcher("*", "!a*/keep"), "ab"))
    assert.isTrue(DockerIgnore.hasExceptionsBelow(matcher("*", "!/a/./keep/"), "a"))
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

/** Pattern pieces: wildcards that nest (`**`, `*`, `?`), literals, classes, separators. */
const piece = Schema.Literals(["**/", "**", "*", "?", "a", "b", ".", "/", "[a-c]", "[^a]", "[!a]", "\\*", "ab"])
/** Path elements. */
const element = Schema.Literals(["a", "b", "ab", "!", ".a", "ba", "*", "c"])

/**
 * A plain reference for short inputs: docker's steps one by one (each directory above the path tried on its own),
 * the expression run by JavaScript's backtracking RegExp, which is fine for a handful of characters.
 */
const reference = (lines: ReadonlyArray<string>, path: string): boolean => {
  const special = /[*?[\]\\]/
  const matchOne = (text: string, p: string): boolean => {
    if (!special.test(text)) return p === text
    if (text.startsWith("**") && !special.test(text.slice(2))) {
      const tail = text.slice(2)
      return p.endsWith(tail) || (tail.startsWith("/") && p === tail.slice(1))
    }
    if (text.endsWith("**") && !special.test(text.slice(0, -2))) return p.startsWith(text.slice(0, -2))
    let re = ""
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!
      if (c === "*" && text[i + 1] === "*") {
        i++
        if (text[i + 1] === "/") i++
        re += i === text.length - 1 ? ".*" : "(?:.*/)?"
      } else if (c === "*") re += "[^/]*"
      else if (c === "?") re += "[^/]"
      else if (c === ".") re += "\\."
      else if (c === "\\") re += `\\${text[++i]}`
      else re += c // classes as they are: [!a] is not a negation in a JavaScript RegExp either
    }
    return new RegExp(`^${re}$`, "u").test(p)
  }
  let matched = false
  for (const line of lines) {
    const exclusion = line.startsWith("!")
    const text = GoPath.clean(exclusion ? line.slice(1) : line)
    if (exclusion !== matched) continue
    let match = matchOne(text, path)
    const dirs = path.split("/").slice(0, -1)
    for (let i = 0; !match && i < dirs.length; i++) match = matchOne(text, dirs.slice(0, i + 1).join("/"))
    if (match) matched = !exclusion
  }
  return matched
}

describe("DockerIgnore properties", () => {
  it("14 × **/ against a 30-deep path finishes at once (the old backtracking expression never did)", () => {
    const deep = Array.from({ length: 30 }, (_, i) => `d${i}`).join("/") + "/file"
    for (const pattern of ["**/".repeat(14) + "x", "**/".repeat(14) + "*x", "a" + "**/".repeat(14) + "?x"]) {
      const start = performance.now()
      assert.isFalse(excluded([pattern], deep))
      assert.isBelow(performance.now() - start, 1000, pattern)
    }
  })

  it.prop("generated patterns against deep paths always finish quickly", [
    Schema.Array(piece).check(Schema.isMinLength(1), Schema.isMaxLength(40)),
    Schema.Array(element).check(Schema.isMinLength(20), Schema.isMaxLength(40))
  ], ([pieces, elements]) => {
    const compiled = DockerIgnore.compile([pieces.join("") + "x"])
    if (Result.isFailure(compiled)) return
    const start = performance.now()
    DockerIgnore.isExcluded(compiled.success, elements.join("/"))
    // a guard against blow-up (the old code took seconds on such inputs), not a speed test
    assert.isBelow(performance.now() - start, 2000)
  }, { arbitrary: { runs: 200 } })

  it.prop("on short inputs, the matcher agrees with a plain reference", [
    Schema.Array(
      Schema.Tuple([Schema.Boolean, Schema.Array(piece).check(Schema.isMinLength(1), Schema.isMaxLength(5))])
    )
      .check(Schema.isMinLength(1), Schema.isMaxLength(3)),
    Schema.Array(element).check(Schema.isMinLength(1), Schema.isMaxLength(4))
  ], ([patterns, elements]) => {
    // through `readAll` first, as the CLI reads a .dockerignore: it cleans a pattern after taking off its `!`, where
    // `compile` (docker's patternmatcher.New) cleans the whole line, so that `!./**` only means `!**` after `readAll`
    const raw = patterns.map(([exception, pieces]) => `${exception ? "!" : ""}${pieces.join("")}`)
    const lines = Result.getOrThrow(DockerIgnore.readAll(raw.join("\n")))
    const compiled = DockerIgnore.compile(lines)
    if (Result.isFailure(compiled)) return
    const path = elements.join("/")
    const actual = Result.getOrThrow(DockerIgnore.isExcluded(compiled.success, path))
    assert.strictEqual(actual, reference(lines, path), `${lines.join(" | ")} ~ ${path}`)
  }, { arbitrary: { runs: 500 } })
})
