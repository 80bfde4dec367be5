/**
 * `.dockerignore` as the docker CLI reads and applies it (moby's `ignorefile` and `patternmatcher`): one pattern a
 * line, `#` comments, `!` exceptions, paths cleaned and relative to the context; `*` and `?` within one path element,
 * `**` across any number of them; a later pattern overrides an earlier one, and a pattern that matches a directory
 * excludes everything below it.
 *
 * docker turns each pattern into a Go regular expression (RE2, linear time), so its quirks follow from Go's regexp
 * syntax: `[^a]` negates but `[!a]` is the set of `!` and `a`, `\d` is a digit, `[[:alpha:]]` a letter. This module
 * builds the same expression text and matches it with `GoRegexp` (a state-set simulation): matching takes
 * O(path length × pattern length) whatever the pattern — no backtracking. The same patterns (and the same matcher)
 * filter what a BuildKit session's filesync sends (the daemon's include and exclude patterns). Used by the CLI's
 * build context; it may change in any release.
 *
 * @stability unstable
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import * as GoPath from "./GoPath.ts"
import * as GoRegexp from "./internal/goRegexp.ts"

/**
 * A `.dockerignore` docker refuses, with docker's text: `reason` "LineTooLong" (`bufio.Scanner: token too long`, which
 * docker prints as `error reading .dockerignore: …`), "IllegalExclusion" (`illegal exclusion pattern: "!"`) or
 * "BadPattern" (`syntax error in pattern`; these two docker prints as `error checking context: …`).
 *
 * @since 0.1.0
 */
export class DockerIgnoreError extends Data.TaggedError("DockerIgnoreError")<{
  readonly reason: "LineTooLong" | "IllegalExclusion" | "BadPattern"
  readonly message: string
}> {}

const badPattern = () => new DockerIgnoreError({ reason: "BadPattern", message: "syntax error in pattern" })

// ---------------------------------------------------------------------------------------------------------------
// Go's strings and paths
// ---------------------------------------------------------------------------------------------------------------

/** Go's `unicode.IsSpace`, what `strings.TrimSpace` trims (not JavaScript's `trim`, which also drops U+FEFF). */
const isGoSpace = (c: number) =>
  (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000

/** Go's `strings.TrimSpace`. */
const trimSpace = (s: string): string => {
  let start = 0
  let end = s.length
  while (start < end && isGoSpace(s.charCodeAt(start))) start++
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--
  return s.slice(start, end)
}

/** Go's `filepath.Dir` for slash-separated paths. */
const goDir = (path: string): string => GoPath.clean(path.slice(0, path.lastIndexOf("/") + 1))

// ---------------------------------------------------------------------------------------------------------------
// Reading the file (ignorefile.ReadAll)
// ---------------------------------------------------------------------------------------------------------------

/** The longest line Go's `bufio.Scanner` reads by default, counting a `\r` before the `\n`. */
const maxLineBytes = 64 * 1024 - 1

/**
 * The patterns of a `.dockerignore` file's content, as docker's `ignorefile.ReadAll` reads them: lines split on `\n`
 * (one `\r` before it dropped), a UTF-8 BOM dropped from the first line, lines starting with `#` skipped before
 * trimming, then trimmed and empty ones skipped; a leading `!` (exception) kept in front of the rest, which is trimmed,
 * cleaned and stripped of one leading `/`. A line of 64 KiB or more fails as docker's reader does.
 *
 * @since 0.1.0
 */
export const readAll = (content: string | Uint8Array): Result.Result<ReadonlyArray<string>, DockerIgnoreError> => {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true }) // keeps a BOM on later lines, as Go does
  const patterns: Array<string> = []
  let start = 0
  let first = true
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    const next = end === -1 ? bytes.length : end + 1
    if (end === -1) end = bytes.length
    if (end - start > maxLineBytes) {
      return Result.fail(new DockerIgnoreError({ reason: "LineTooLong", message: "bufio.Scanner: token too long" }))
    }
    let line = bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end)
    start = next
    if (first && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3)
    first = false
    let pattern = decoder.decode(line)
    if (pattern.startsWith("#")) continue
    pattern = trimSpace(pattern)
    if (pattern === "") continue
    const invert = pattern.startsWith("!")
    if (invert) pattern = trimSpace(pattern.slice(1))
    if (pattern.length > 0) {
      pattern = GoPath.clean(pattern)
      if (pattern.length > 1 && pattern.startsWith("/")) pattern = pattern.slice(1)
    }
    patterns.push(invert ? `!${pattern}` : pattern)
  }
  return Result.succeed(patterns)
}

// ---------------------------------------------------------------------------------------------------------------
// Go's filepath.Match syntax check (what patternmatcher.New rejects)
// ---------------------------------------------------------------------------------------------------------------

/** Go's `scanChunk`: after the leading stars, the chunk up to the next `*` outside `[…]`, and the rest. */
const scanChunk = (pattern: string): { readonly chunk: string; readonly rest: string } => {
  let p = pattern
  while (p.startsWith("*")) p = p.slice(1)
  let inRange = false
  let i = 0
  scan: for (; i < p.length; i++) {
    switch (p[i]) {
      case "\\":
        if (i + 1 < p.length) i++
        break
      case "[":
        inRange = true
        break
      case "]":
        inRange = false
        break
      case "*":
        if (!inRange) break scan
    }
  }
  return { chunk: p.slice(0, i), rest: p.slice(i) }
}

/** Go's `getEsc`: one (possibly escaped) character of a `[…]` class and where it ends, or `undefined` if malformed. */
const classChar = (chunk: string, at: number): { readonly char: number; readonly end: number } | undefined => {
  let i = at
  if (i >= chunk.length || chunk[i] === "-" || chunk[i] === "]") return undefined
  if (chunk[i] === "\\") {
    i++
    if (i >= chunk.length) return undefined
  }
  const char = chunk.codePointAt(i)!
  const end = i + (char > 0xffff ? 2 : 1)
  return end >= chunk.length ? undefined : { char, end }
}

/**
 * Go's `matchChunk`: whether `chunk` (no `*` in it) matches the start of `name`, and what is left of the name; "bad"
 * for a malformed chunk (Go reads the whole chunk even once the match has failed).
 */
const matchChunk = (chunk: string, name: string): { readonly ok: boolean; readonly rest: string } | "bad" => {
  let failed = false
  let c = 0
  let i = 0
  while (c < chunk.length) {
    if (!failed && i >= name.length) failed = true
    const next = failed ? -1 : name.codePointAt(i)!
    const width = next > 0xffff ? 2 : 1
    if (chunk[c] === "[") {
      if (!failed) i += width
      c++
      const negated = chunk[c] === "^"
      if (negated) c++
      let match = false
      for (let ranges = 0;; ranges++) {
        if (chunk[c] === "]" && ranges > 0) {
          c++
          break
        }
        const lo = classChar(chunk, c)
        if (lo === undefined) return "bad"
        let hi = lo
        if (chunk[lo.end] === "-") {
          const upper = classChar(chunk, lo.end + 1)
          if (upper === undefined) return "bad"
          hi = upper
        }
        if (lo.char <= next && next <= hi.char) match = true
        c = hi.end
      }
      if (match === negated) failed = true
    } else if (chunk[c] === "?") {
      if (!failed) {
        if (next === 0x2f) failed = true
        i += width
      }
      c++
    } else {
      if (chunk[c] === "\\") {
        c++
        if (c >= chunk.length) return "bad"
      }
      if (!failed) {
        if (chunk[c] !== name[i]) failed = true
        i++
      }
      c++
    }
  }
  return failed ? { ok: false, rest: "" } : { ok: true, rest: name.slice(i) }
}

/**
 * Whether Go's `filepath.Match(pattern, ".")` reports a malformed pattern, which is how docker's `patternmatcher.New`
 * checks one. Go stops at the first chunk that cannot match, so a malformed part after it goes unnoticed (`b*[`
 * passes; its expression may still fail later).
 */
const goMatchRejects = (pattern: string): boolean => {
  let name = "."
  let rest = pattern
  chunks: while (rest.length > 0) {
    const star = rest.startsWith("*")
    const scanned = scanChunk(rest)
    rest = scanned.rest
    if (star && scanned.chunk === "") return false
    const here = matchChunk(scanned.chunk, name)
    if (here !== "bad" && here.ok && (here.rest.length === 0 || rest.length > 0)) {
      name = here.rest
      continue
    }
    if (here === "bad") return true
    if (star) {
      for (let i = 0; i < name.length && name[i] !== "/"; i++) {
        const skipped = matchChunk(scanned.chunk, name.slice(i + 1))
        if (skipped === "bad") return true
        if (skipped.ok) {
          if (rest.length === 0 && skipped.rest.length > 0) continue
          name = skipped.rest
          continue chunks
        }
      }
    }
    return false
  }
  return false
}

// ---------------------------------------------------------------------------------------------------------------
// Patterns (patternmatcher.New, Pattern.match, MatchesOrParentMatches)
// ---------------------------------------------------------------------------------------------------------------

/**
 * One compiled pattern: `text` is the cleaned pattern without its `!`. As docker does, a pattern without wildcards is
 * compared as it is (`exact`), `abc/**` by prefix and `**…` without further wildcards by suffix; any other through
 * its regular expression (`program`; `undefined` when Go's regexp rejects it, and matching then fails).
 *
 * @since 0.1.0
 */
export interface Pattern {
  readonly text: string
  readonly exclusion: boolean
  readonly kind: "exact" | "prefix" | "suffix" | "regexp"
  readonly program: GoRegexp.Program | undefined
}

/**
 * A compiled `.dockerignore`: its patterns in order, and whether any is an exception.
 *
 * @since 0.1.0
 */
export interface Matcher {
  readonly patterns: ReadonlyArray<Pattern>
  readonly exclusions: boolean
}

/**
 * Docker's translation of a pattern into Go regexp text, and which shortcut it is matched with: `**` and a `/` → any
 * directories or none, `**` at the end → `.*`, `*` → `[^/]*`, `?` → `[^/]`, `.+()$` escaped (but not `|{}`: in
 * docker 28 `a*|b` is an alternation and `a{2}` a repetition), `\x` kept as an escape, `[` and `]` passed through.
 */
const translate = (text: string): { readonly kind: Pattern["kind"]; readonly source: string } => {
  const chars = Array.from(text)
  let kind: Pattern["kind"] = "exact"
  let source = "^"
  let pos = 0
  for (let i = 0; pos < chars.length; i++) {
    const c = chars[pos++]!
    if (c === "*" && chars[pos] === "*") {
      pos++
      if (chars[pos] === "/") pos++
      if (pos < chars.length) {
        source += "(.*/)?"
        kind = "regexp"
      } else if (kind === "exact") kind = "prefix"
      else {
        source += ".*"
        kind = "regexp"
      }
      if (i === 0) kind = "suffix"
    } else if (c === "*" || c === "?") {
      source += c === "*" ? "[^/]*" : "[^/]"
      kind = "regexp"
    } else if (".+()$".includes(c)) {
      source += `\\${c}`
    } else if (c === "\\") {
      if (pos < chars.length) {
        source += `\\${chars[pos++]}`
        kind = "regexp"
      } else source += "\\"
    } else if (c === "[" || c === "]") {
      source += c
      kind = "regexp"
    } else source += c
  }
  return { kind, source: `${source}$` }
}

/**
 * Compiles pattern lines ({@link readAll}'s) as docker's `patternmatcher.New`: each trimmed, empty ones skipped, then
 * cleaned; `!` alone is an illegal exclusion, and a pattern Go's `filepath.Match` rejects a syntax error.
 *
 * @since 0.1.0
 */
export const compile = (lines: ReadonlyArray<string>): Result.Result<Matcher, DockerIgnoreError> => {
  const patterns: Array<Pattern> = []
  for (const line of lines) {
    let text = trimSpace(line)
    if (text === "") continue
    text = GoPath.clean(text)
    const exclusion = text.startsWith("!")
    if (exclusion) {
      if (text.length === 1) {
        return Result.fail(
          new DockerIgnoreError({ reason: "IllegalExclusion", message: `illegal exclusion pattern: "!"` })
        )
      }
      text = text.slice(1)
    }
    if (goMatchRejects(text)) return Result.fail(badPattern())
    const { kind, source } = translate(text)
    const program = kind === "regexp"
      ? Result.getOrUndefined(GoRegexp.compile(source))
      : undefined
    patterns.push({ text, exclusion, kind, program })
  }
  return Result.succeed({ patterns, exclusions: patterns.some((p) => p.exclusion) })
}

/**
 * Reads a `.dockerignore` file's content ({@link readAll}) and compiles its patterns ({@link compile}).
 *
 * @since 0.1.0
 */
export const parse = (content: string | Uint8Array): Result.Result<Matcher, DockerIgnoreError> =>
  Result.flatMap(readAll(content), compile)

/**
 * Whether `pattern` matches `path` or `path` cut short at one of `cuts` (lengths, in UTF-16 units, of its prefixes);
 * a failure when Go's regexp rejects the pattern.
 */
const matchCuts = (
  pattern: Pattern,
  path: string,
  cuts: ReadonlyArray<number>
): Result.Result<boolean, DockerIgnoreError> => {
  const text = pattern.text
  switch (pattern.kind) {
    case "exact":
      return Result.succeed(path === text || cuts.some((end) => end === text.length && path.startsWith(text)))
    case "prefix": {
      const head = text.slice(0, -2)
      // a prefix of the path starts with `head` only if the path does, and then the path itself matches
      return Result.succeed(path.startsWith(head))
    }
    case "suffix": {
      // `**foo`: ends with `foo`; `**/foo`: ends with `/foo` or is `foo`
      const tail = text.slice(2)
      const at = (end: number) =>
        path.endsWith(tail, end) || (tail.startsWith("/") && end === tail.length - 1 && path.startsWith(tail.slice(1)))
      return Result.succeed(at(path.length) || cuts.some(at))
    }
    case "regexp": {
      if (pattern.program === undefined) return Result.fail(badPattern())
      const codePoints: Array<number> = []
      const cutPoints = new Set<number>()
      const unitCuts = new Set(cuts)
      let units = 0
      for (const c of path) {
        if (unitCuts.has(units)) cutPoints.add(codePoints.length)
        codePoints.push(GoRegexp.cp(c))
        units += c.length
      }
      return Result.succeed(GoRegexp.run(pattern.program, codePoints, cutPoints))
    }
  }
}

/**
 * Whether one pattern matches `path` itself (moby's `Pattern.match`); a failure when Go's regexp rejects it.
 *
 * @since 0.1.0
 */
export const matches = (pattern: Pattern, path: string): Result.Result<boolean, DockerIgnoreError> =>
  matchCuts(pattern, path, [])

/**
 * Whether `pattern` matches `path` or one of the directories above it (`filepath.Dir` of the path, element by element,
 * as docker's `MatchesOrParentMatches`). For a clean path those are prefixes of it, all tried in the same pass.
 */
const matchesOrParent = (pattern: Pattern, path: string): Result.Result<boolean, DockerIgnoreError> => {
  const dir = goDir(path)
  if (dir === ".") return matches(pattern, path)
  if (!dir.startsWith("/") && path.startsWith(dir) && path[dir.length] === "/") {
    const cuts: Array<number> = []
    for (let i = dir.indexOf("/"); i !== -1; i = dir.indexOf("/", i + 1)) cuts.push(i)
    cuts.push(dir.length)
    return matchCuts(pattern, path, cuts)
  }
  // not a clean path: its directories one by one
  const direct = matches(pattern, path)
  if (Result.isFailure(direct) || direct.success) return direct
  const parts = dir.split("/")
  return Result.succeed(
    parts.some((_, i) => Result.getOrElse(matches(pattern, parts.slice(0, i + 1).join("/")), () => false))
  )
}

/**
 * Whether `path` (relative, slash-separated) is excluded, as docker's `MatchesOrParentMatches`: the patterns in order,
 * an exclusion looked at only while the path is not excluded and an exception only while it is, each matching the
 * path or a directory above it. Fails when a pattern looked at is one Go's regexp rejects (`[Local-Only]`).
 *
 * @since 0.1.0
 */
export const isExcluded = (matcher: Matcher, path: string): Result.Result<boolean, DockerIgnoreError> => {
  let matched = false
  for (const pattern of matcher.patterns) {
    if (pattern.exclusion !== matched) continue
    const match = matchesOrParent(pattern, path)
    if (Result.isFailure(match)) return match
    if (match.success) matched = !pattern.exclusion
  }
  return Result.succeed(matched)
}

/**
 * Whether the walk must still go into the excluded directory `dir`, as docker's context walk decides: never when no
 * pattern is an exception, else when some exception's text followed by `/` starts with `dir/` (so `!**\/keep` does
 * not bring anything back from an excluded directory).
 *
 * @since 0.1.0
 */
export const hasExceptionsBelow = (matcher: Matcher, dir: string): boolean =>
  matcher.exclusions && matcher.patterns.some((p) => p.exclusion && `${p.text}/`.startsWith(`${dir}/`))
