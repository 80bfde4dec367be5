/**
 * Go regular expressions (RE2 syntax with Go's Perl flags, as `regexp.Compile` reads them) matched in linear time:
 * the text is parsed into a small Thompson program, which runs as a set of states over the code points of the input,
 * O(input length × expression length) whatever the expression — nothing backtracks. Only what matching needs:
 * literals, `.`, classes (ranges, `[^…]`, `[:alpha:]`, `\d`, `\pL`), escapes, `^ $ \A \z \b \B`, `\Q…\E`, groups,
 * `|`, `* + ? {n,m}`; no flags or named groups (docker's `.dockerignore` expressions never produce them).
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"

/** A test of one code point. */
type CharTest = (c: number) => boolean

type AssertKind = "begin" | "end" | "word" | "notWord"

/** A parsed expression. */
type Node =
  | { readonly _tag: "Char"; readonly test: CharTest }
  | { readonly _tag: "Assert"; readonly kind: AssertKind }
  | { readonly _tag: "Concat"; readonly items: ReadonlyArray<Node> }
  | { readonly _tag: "Alt"; readonly items: ReadonlyArray<Node> }
  | { readonly _tag: "Repeat"; readonly min: number; readonly max: number; readonly item: Node } // max -1: no limit

/** Thrown inside the parser (and caught by `Result.try` in `compile`) for an expression Go's regexp rejects. */
class RegexpSyntax extends Data.TaggedError("RegexpSyntax") {}

/** The code point of a one-character string. */
export const cp = (s: string): number => s.codePointAt(0)!
const range = (lo: number, hi: number): CharTest => (c) => c >= lo && c <= hi
const not = (test: CharTest): CharTest => (c) => !test(c)
const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
const isWordChar = (c: number) => isAlnum(c) || c === 0x5f
const isOctal = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x37
const hexValue = (c: number | undefined) => {
  if (c === undefined) return -1
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

/** Go's ASCII Perl classes `\d`, `\s`, `\w`. */
const perlClasses: Readonly<Record<string, CharTest>> = {
  d: range(0x30, 0x39),
  s: (c) => c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20,
  w: isWordChar
}

/** Go's POSIX classes inside `[…]`, e.g. `[[:alpha:]]`. */
const posixClasses: Readonly<Record<string, CharTest>> = {
  alnum: isAlnum,
  alpha: (c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a),
  ascii: range(0, 0x7f),
  blank: (c) => c === 0x09 || c === 0x20,
  cntrl: (c) => c <= 0x1f || c === 0x7f,
  digit: range(0x30, 0x39),
  graph: range(0x21, 0x7e),
  lower: range(0x61, 0x7a),
  print: range(0x20, 0x7e),
  punct: (c) => c >= 0x21 && c <= 0x7e && !isAlnum(c),
  space: (c) => (c >= 0x09 && c <= 0x0d) || c === 0x20,
  upper: range(0x41, 0x5a),
  word: isWordChar,
  xdigit: (c) => hexValue(c) >= 0
}

/** Go's Unicode general categories (the names `\p{…}` accepts besides scripts and `Any`). */
const unicodeCategories = new Set([
  "C",
  "Cc",
  "Cf",
  "Co",
  "Cs",
  "L",
  "Ll",
  "Lm",
  "Lo",
  "Lt",
  "Lu",
  "M",
  "Mc",
  "Me",
  "Mn",
  "N",
  "Nd",
  "Nl",
  "No",
  "P",
  "Pc",
  "Pd",
  "Pe",
  "Pf",
  "Pi",
  "Po",
  "Ps",
  "S",
  "Sc",
  "Sk",
  "Sm",
  "So",
  "Z",
  "Zl",
  "Zp",
  "Zs"
])

/**
 * A test of one code point against a Unicode category or script (`\pL`, `\p{Greek}`), by JavaScript's tables through
 * a one-character expression (nothing to backtrack); `undefined` for a name Go does not know.
 */
const unicodeClass = (name: string): CharTest | undefined => {
  if (name === "Any") return () => true
  // Go knows scripts by their long names (`Greek`, `Old_Italic`), not by four-letter codes such as `Grek`
  const source = unicodeCategories.has(name)
    ? `^\\p{gc=${name}}$`
    : /^[A-Z][a-z]+(?:_[A-Z][a-z]+)*$/.test(name)
    ? `^\\p{sc=${name}}$`
    : undefined
  if (source === undefined) return undefined
  const re = Result.try(() => new RegExp(source, "u"))
  return Result.isFailure(re) ? undefined : (c) => re.success.test(String.fromCodePoint(c))
}

/** Parses expression text as Go's `regexp/syntax` does with its Perl flags; throws `RegexpSyntax` where Go fails. */
const parseRegexp = (source: string): Node => {
  const cps = Array.from(source, cp)
  let pos = 0
  const fail = (): never => {
    throw new RegexpSyntax()
  }
  const peek = (offset = 0): number | undefined => cps[pos + offset]

  /** Go's `parseEscape` after the `\`: one character (octal, hex, control or punctuation), else a syntax error. */
  const escapedChar = (): number => {
    const c = cps[pos++]
    if (c === undefined) return fail()
    if (c < 0x80 && !isAlnum(c)) return c
    if (c >= cp("1") && c <= cp("7") && !isOctal(peek())) return fail() // a backreference
    if (isOctal(c)) {
      let r = c - 0x30
      for (let i = 1; i < 3 && isOctal(peek()); i++) r = r * 8 + cps[pos++]! - 0x30
      return r
    }
    if (c === cp("x")) {
      if (peek() === cp("{")) {
        pos++
        let r = 0
        let digits = 0
        while (peek() !== cp("}")) {
          const d = hexValue(cps[pos++])
          if (d < 0) return fail()
          r = r * 16 + d
          if (r > 0x10ffff) return fail()
          digits++
        }
        pos++
        return digits === 0 ? fail() : r
      }
      const x = hexValue(cps[pos++])
      const y = hexValue(cps[pos++])
      return x < 0 || y < 0 ? fail() : x * 16 + y
    }
    const controls: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 }
    return controls[String.fromCodePoint(c)] ?? fail()
  }

  /** `\d`, `\W`, `\pL`, `\p{Greek}`, `\P{^L}`… at `pos` (on the `\`), or `undefined` for another escape. */
  const classEscape = (): CharTest | undefined => {
    if (peek() !== cp("\\")) return undefined
    const letter = String.fromCodePoint(peek(1) ?? 0)
    if ("dswDSW".includes(letter)) {
      pos += 2
      const perl = perlClasses[letter.toLowerCase()]!
      return letter === letter.toLowerCase() ? perl : not(perl)
    }
    if (letter !== "p" && letter !== "P") return undefined
    pos += 2
    let negate = letter === "P"
    let name: string
    if (peek() === cp("{")) {
      const close = cps.indexOf(cp("}"), pos)
      if (close === -1) return fail()
      name = String.fromCodePoint(...cps.slice(pos + 1, close))
      pos = close + 1
    } else {
      const c = cps[pos++]
      if (c === undefined) return fail()
      name = String.fromCodePoint(c)
    }
    if (name.startsWith("^")) {
      negate = !negate
      name = name.slice(1)
    }
    const test = unicodeClass(name) ?? fail()
    return negate ? not(test) : test
  }

  /** A `[…]` class, `pos` after the `[`: `]` first is literal, `-` literal where no range can be. */
  const parseClass = (): Node => {
    let negated = false
    if (peek() === cp("^")) {
      negated = true
      pos++
    }
    const tests: Array<CharTest> = []
    let first = true
    while (first || peek() !== cp("]")) {
      if (peek() === undefined) return fail() // missing closing ]
      first = false
      if (peek() === cp("[") && peek(1) === cp(":")) {
        const close = cps.findIndex((c, i) => i >= pos + 2 && c === cp(":") && cps[i + 1] === cp("]"))
        if (close !== -1) {
          let name = String.fromCodePoint(...cps.slice(pos + 2, close))
          const negate = name.startsWith("^")
          if (negate) name = name.slice(1)
          const posix = posixClasses[name] ?? fail()
          tests.push(negate ? not(posix) : posix)
          pos = close + 2
          continue
        }
      }
      const escape = classEscape()
      if (escape !== undefined) {
        tests.push(escape)
        continue
      }
      const classChar = (): number => {
        const c = cps[pos++]
        if (c === undefined) return fail()
        return c === cp("\\") ? escapedChar() : c
      }
      const lo = classChar()
      let hi = lo
      if (peek() === cp("-") && peek(1) !== undefined && peek(1) !== cp("]")) {
        pos++
        hi = classChar()
        if (hi < lo) return fail() // invalid character class range
      }
      tests.push(range(lo, hi))
    }
    pos++
    const test: CharTest = (c) => tests.some((t) => t(c))
    return { _tag: "Char", test: negated ? not(test) : test }
  }

  const asserts: Readonly<Record<string, AssertKind>> = { A: "begin", z: "end", b: "word", B: "notWord" }

  const parseAtom = (): Node => {
    const c = cps[pos++]!
    switch (String.fromCodePoint(c)) {
      case "(": {
        if (peek() === cp("?")) return fail() // flags and named groups: never built from a pattern
        const inner = parseAlternation()
        if (peek() !== cp(")")) return fail() // missing closing )
        pos++
        return inner
      }
      case "[":
        return parseClass()
      case ".":
        return { _tag: "Char", test: (x) => x !== 0x0a }
      case "^":
        return { _tag: "Assert", kind: "begin" }
      case "$":
        return { _tag: "Assert", kind: "end" }
      case "\\": {
        pos--
        const cls = classEscape()
        if (cls !== undefined) return { _tag: "Char", test: cls }
        pos++
        const letter = String.fromCodePoint(peek() ?? 0)
        if (asserts[letter] !== undefined) {
          pos++
          return { _tag: "Assert", kind: asserts[letter] }
        }
        if (letter === "Q") {
          // \Q…\E: literal text up to \E or the end
          pos++
          const items: Array<Node> = []
          while (pos < cps.length && !(cps[pos] === cp("\\") && cps[pos + 1] === cp("E"))) {
            const lit = cps[pos++]!
            items.push({ _tag: "Char", test: (x) => x === lit })
          }
          if (pos < cps.length) pos += 2
          return { _tag: "Concat", items }
        }
        const lit = escapedChar()
        return { _tag: "Char", test: (x) => x === lit }
      }
      default:
        return { _tag: "Char", test: (x) => x === c }
    }
  }

  /** A repetition operator at `pos` (`*`, `+`, `?`, or a well-formed `{n}`, `{n,}`, `{n,m}`), consumed. */
  const repetition = (): { readonly min: number; readonly max: number } | undefined => {
    const c = peek()
    if (c === cp("*") || c === cp("+") || c === cp("?")) {
      pos++
      return c === cp("*") ? { min: 0, max: -1 } : c === cp("+") ? { min: 1, max: -1 } : { min: 0, max: 1 }
    }
    if (c !== cp("{")) return undefined
    // Go reads `{` as a literal unless a whole `{n}`, `{n,}` or `{n,m}` follows (no leading zeros)
    let at = pos + 1
    const number = (): number | undefined => {
      const from = at
      while (cps[at] !== undefined && cps[at]! >= 0x30 && cps[at]! <= 0x39) at++
      if (at === from || (at - from > 1 && cps[from] === 0x30)) return undefined
      return at - from > 8 ? Infinity : Number(String.fromCodePoint(...cps.slice(from, at)))
    }
    const min = number()
    if (min === undefined) return undefined
    let max: number | undefined = min
    if (cps[at] === cp(",")) {
      at++
      max = cps[at] === cp("}") ? -1 : number()
      if (max === undefined) return undefined
    }
    if (cps[at] !== cp("}")) return undefined
    pos = at + 1
    if (min > 1000 || max > 1000 || (max >= 0 && min > max)) return fail() // invalid repeat count
    return { min, max }
  }

  const parseConcat = (): Node => {
    const items: Array<Node> = []
    while (pos < cps.length && peek() !== cp("|") && peek() !== cp(")")) {
      const start = pos
      if (repetition() !== undefined) return fail() // missing argument to repetition operator
      pos = start
      let atom = parseAtom()
      let repeated = false
      for (let r = repetition(); r !== undefined; r = repetition()) {
        if (repeated) return fail() // invalid nested repetition operator
        atom = { _tag: "Repeat", min: r.min, max: r.max, item: atom }
        if (peek() === cp("?")) pos++ // non-greedy: the same set of matches
        repeated = true
      }
      items.push(atom)
    }
    return { _tag: "Concat", items }
  }

  const parseAlternation = (): Node => {
    const items = [parseConcat()]
    while (peek() === cp("|")) {
      pos++
      items.push(parseConcat())
    }
    return items.length === 1 ? items[0]! : { _tag: "Alt", items }
  }

  const node = parseAlternation()
  if (pos < cps.length) fail() // an unmatched )
  return node
}

/** One instruction of a Thompson program; `-1` targets are patched while compiling. */
type Inst =
  | { readonly _tag: "Char"; readonly test: CharTest; out: number }
  | { readonly _tag: "Split"; out: number; alt: number }
  | { readonly _tag: "Assert"; readonly kind: AssertKind; out: number }
  | { readonly _tag: "Match" }

/**
 * The most instructions a program may have. Go's own limit is larger (about 3.3 million); only counted repetitions
 * (`?{1000}` many times over) come near, and such a pattern is refused here rather than take memory and time.
 */
const maxProgram = 100_000

/** Compiles a parsed expression into a Thompson program: instruction 0 is the start, one instruction per node. */
const compileProgram = (node: Node): ReadonlyArray<Inst> => {
  const prog: Array<Inst> = []
  type Hole = { readonly inst: number; readonly field: "out" | "alt" }
  const patch = (holes: ReadonlyArray<Hole>, to: number) => {
    for (const h of holes) (prog[h.inst] as { out: number; alt: number })[h.field] = to
  }
  const split = () => {
    if (prog.length > maxProgram) throw new RegexpSyntax()
    prog.push({ _tag: "Split", out: -1, alt: -1 })
    return prog.length - 1
  }
  const emit = (n: Node): { readonly entry: number; readonly holes: ReadonlyArray<Hole> } => {
    switch (n._tag) {
      case "Char":
      case "Assert": {
        if (prog.length > maxProgram) throw new RegexpSyntax()
        prog.push(
          n._tag === "Char" ? { _tag: "Char", test: n.test, out: -1 } : { _tag: "Assert", kind: n.kind, out: -1 }
        )
        return { entry: prog.length - 1, holes: [{ inst: prog.length - 1, field: "out" }] }
      }
      case "Concat": {
        if (n.items.length === 0) {
          const s = split()
          return { entry: s, holes: [{ inst: s, field: "out" }, { inst: s, field: "alt" }] }
        }
        const first = emit(n.items[0]!)
        let holes = first.holes
        for (const item of n.items.slice(1)) {
          const next = emit(item)
          patch(holes, next.entry)
          holes = next.holes
        }
        return { entry: first.entry, holes }
      }
      case "Alt": {
        let current = emit(n.items[0]!)
        for (const item of n.items.slice(1)) {
          const s = split()
          const other = emit(item)
          ;(prog[s] as { out: number; alt: number }).out = current.entry
          ;(prog[s] as { out: number; alt: number }).alt = other.entry
          current = { entry: s, holes: [...current.holes, ...other.holes] }
        }
        return current
      }
      case "Repeat": {
        const { item, max, min } = n
        if (min <= 1 && (max === -1 || (min === 0 && max === 1))) {
          // x*, x+, x?
          const s = split()
          const body = emit(item)
          ;(prog[s] as { out: number }).out = body.entry
          if (max === 1) return { entry: s, holes: [...body.holes, { inst: s, field: "alt" }] }
          patch(body.holes, s)
          return { entry: min === 0 ? s : body.entry, holes: [{ inst: s, field: "alt" }] }
        }
        // x{n,m}: n copies of x, then x* or m-n nested optional copies, as Go expands it
        let rest: Node | undefined = max === -1 ? { _tag: "Repeat", min: 0, max: -1, item } : undefined
        for (let k = 0; max !== -1 && k < max - min; k++) {
          rest = {
            _tag: "Repeat",
            min: 0,
            max: 1,
            item: rest === undefined ? item : { _tag: "Concat", items: [item, rest] }
          }
        }
        const copies: Array<Node> = Array.from({ length: min }, () => item)
        return emit({ _tag: "Concat", items: rest === undefined ? copies : [...copies, rest] })
      }
    }
  }
  const start = split()
  const whole = emit(node)
  prog.push({ _tag: "Match" })
  patch(whole.holes, prog.length - 1)
  patch([{ inst: start, field: "out" }, { inst: start, field: "alt" }], whole.entry)
  return prog
}

/**
 * Runs a program over `text` (code points) as Go's `MatchString` does (a match anywhere in the text): whether it
 * matches the text, or the text cut short at one of the positions `cuts` (as if it ended there). One pass holding a
 * set of states: O(text length × program length).
 */
export const run = (prog: Program, text: ReadonlyArray<number>, cuts: ReadonlySet<number>): boolean => {
  const n = text.length
  const seen = new Int32Array(prog.length).fill(-1)
  let stamp = 0
  /** Follows the states that move without input from `kernel` at `at` (the text ending there when `endHere`). */
  const closure = (kernel: ReadonlyArray<number>, at: number, endHere: boolean, into: Array<number>): boolean => {
    stamp++
    const prev = at > 0 ? text[at - 1]! : -1
    const next = endHere || at >= n ? -1 : text[at]!
    const stack = [...kernel]
    let matched = false
    while (stack.length > 0) {
      const i = stack.pop()!
      if (seen[i] === stamp) continue
      seen[i] = stamp
      const inst = prog[i]!
      switch (inst._tag) {
        case "Match":
          matched = true
          break
        case "Char":
          into.push(i)
          break
        case "Split":
          stack.push(inst.alt, inst.out)
          break
        case "Assert": {
          const boundary = (prev !== -1 && isWordChar(prev)) !== (next !== -1 && isWordChar(next))
          const holds = inst.kind === "begin"
            ? at === 0
            : inst.kind === "end"
            ? next === -1
            : boundary === (inst.kind === "word")
          if (holds) stack.push(inst.out)
        }
      }
    }
    return matched
  }
  let kernel: Array<number> = []
  for (let at = 0; at <= n; at++) {
    // a search: a match may start anywhere (`^` holds only at 0, but `^a|b` has a branch without it)
    kernel.push(0)
    if (cuts.has(at) && closure(kernel, at, true, [])) return true
    const states: Array<number> = []
    if (closure(kernel, at, false, states)) return true
    if (at === n) return false
    const c = text[at]!
    kernel = []
    for (const i of states) {
      const inst = prog[i] as { readonly test: CharTest; readonly out: number }
      if (inst.test(c)) kernel.push(inst.out)
    }
  }
  return false
}

/** A compiled expression, for {@link run}. */
export type Program = ReadonlyArray<Inst>

/** Compiles Go regexp text into a program, or fails (`undefined`) where Go's `regexp.Compile` reports an error. */
export const compile = (source: string): Result.Result<Program, undefined> =>
  Result.try({ try: () => compileProgram(parseRegexp(source)), catch: () => undefined })
