/**
 * The `Dockerfile:N` excerpt buildx prints when a step fails: the file's name and the failing instruction's first
 * line, a `--------------------` rule, the instruction's lines marked `>>>` with a few lines around them, numbered,
 * and the rule again.
 *
 * buildx takes the lines from the solve error's source ranges, which reach it through BuildKit's gRPC API; the
 * Engine API's `/build` gives only the error's text and the trace names the failed step (`[stage 2/3] RUN make`).
 * dockhand has the Dockerfile, so it finds the instruction itself: it splits the file into instructions as
 * BuildKit's parser does (parser directives, line continuations with the escape character, comments and empty
 * lines inside them, heredocs), groups them into stages, and counts the stage's steps as BuildKit's Dockerfile
 * frontend numbers them. When that count does not agree with the step's name, or a step's number cannot be known
 * (a `WORKDIR` that may be `/` makes no step), there is no excerpt rather than a wrong one.
 *
 * @internal
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import * as Result from "effect/Result"

/** One instruction of a Dockerfile: its keyword in upper case, its words after the keyword, the lines it spans. */
export interface Instruction {
  readonly keyword: string
  readonly args: ReadonlyArray<string>
  /** The first line, from 1. */
  readonly start: number
  /** The last line (a heredoc's terminator included). */
  readonly end: number
}

/** A stage: its `AS` name (lower case, as BuildKit keeps it), its `FROM` and the instructions after it. */
export interface Stage {
  readonly name: string | undefined
  readonly from: Instruction
  readonly commands: ReadonlyArray<Instruction>
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/
const DIRECTIVES = new Set(["syntax", "escape", "check"])
const HEREDOC = /^(\d*)<<(-?)\s*([^<]*)$/
/** The instructions that may carry heredocs (also after `ONBUILD`). */
const HEREDOC_KEYWORDS = new Set(["ADD", "COPY", "RUN"])
/** The instructions BuildKit counts in a stage's step total (`[2/5]`). */
const COUNTED = new Set(["ADD", "COPY", "RUN", "WORKDIR"])

const trimNewline = (line: string) => line.replace(/[\r\n]+$/, "")
const isComment = (line: string) => line.trimStart().startsWith("#")

/**
 * A line's shell words as BuildKit's lexer splits them to look for heredocs (quotes and escapes kept), or
 * `undefined` when a quote is not closed.
 */
const words = (line: string): Array<string> | undefined => {
  const out: Array<string> = []
  let word = ""
  let inWord = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === " " || c === "\t") {
      if (inWord) out.push(word)
      word = ""
      inWord = false
      continue
    }
    inWord = true
    if (c === "\\" && i + 1 < line.length) {
      word += c + line[++i]
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1)
      if (close === -1) return undefined
      word += line.slice(i, close + 1)
      i = close
    } else if (c === "\"") {
      let j = i + 1
      while (j < line.length && line[j] !== "\"") j += line[j] === "\\" ? 2 : 1
      if (j >= line.length) return undefined
      word += line.slice(i, j + 1)
      i = j
    } else {
      word += c
    }
  }
  if (inWord) out.push(word)
  return out
}

/** A heredoc word's name with its quotes and escapes removed (`'EOF'` → `EOF`), or `undefined` if not one word. */
const heredocName = (rest: string): string | undefined => {
  const split = words(rest)
  if (split === undefined || split.length !== 1) return undefined
  let name = ""
  const word = split[0]!
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!
    if (c === "\\" && i + 1 < word.length) name += word[++i]
    else if (c !== "'" && c !== "\"") name += c
  }
  return name
}

/** The heredocs an instruction's text opens, in order: their terminators and whether leading tabs are dropped. */
const heredocs = (line: string): Array<{ readonly name: string; readonly chomp: boolean }> | undefined => {
  const split = words(line)
  if (split === undefined) return undefined
  const out: Array<{ readonly name: string; readonly chomp: boolean }> = []
  for (const word of split) {
    const match = HEREDOC.exec(word)
    if (match === null || match[3] === "") continue
    const name = heredocName(match[3]!)
    if (name !== undefined) out.push({ name, chomp: match[2] === "-" })
  }
  return out
}

/** Whether an instruction's arguments (after its flags; after `ONBUILD`'s keyword too) are a JSON array of strings. */
const isJson = (line: string, compound: boolean): boolean => {
  let rest = line.trim().replace(/^\S+\s*/, "")
  if (compound) rest = rest.replace(/^\S+\s*/, "")
  rest = rest.replace(/^(?:--\S+\s*)*/, "")
  if (!rest.startsWith("[")) return false
  const parsed = WireJson.parse(rest)
  return Result.isSuccess(parsed) && Array.isArray(parsed.success) &&
    parsed.success.every((item: unknown) => typeof item === "string")
}

/**
 * The instructions of a Dockerfile as BuildKit's parser reads them, with the lines each spans; `undefined` when the
 * file is not one BuildKit would parse (a repeated or invalid directive, a heredoc without its terminator, an
 * unclosed quote where a heredoc may start).
 */
export const instructions = (text: string): Array<Instruction> | undefined => {
  const lines = text.split("\n")
  if (lines.at(-1) === "") lines.pop()
  if (lines.length > 0) lines[0] = lines[0]!.replace(/^\uFEFF/, "")
  let continuation = /([^\\])\\[ \t]*$|^\\[ \t]*$/
  let directivesDone = false
  const seen = new Set<string>()
  /** Reads a line as a possible parser directive; `false` when it is an invalid one. */
  const directive = (line: string): boolean => {
    if (directivesDone) return true
    const match = DIRECTIVE.exec(line)
    const key = match?.[1]?.toLowerCase()
    if (match === null || key === undefined || !DIRECTIVES.has(key)) {
      directivesDone = true
      return true
    }
    if (seen.has(key)) return false
    seen.add(key)
    if (key === "escape") {
      if (match[2] === "`") continuation = /([^`])`[ \t]*$|^`[ \t]*$/
      else if (match[2] !== "\\") return false
    }
    return true
  }
  /** A line without its continuation character, and whether the instruction ends there. */
  const trimContinuation = (line: string): [string, boolean] =>
    continuation.test(line) ? [line.replace(continuation, "$1"), false] : [line, true]

  const out: Array<Instruction> = []
  let n = 0
  while (n < lines.length) {
    const first = trimNewline(lines[n]!).trimStart()
    if (!directive(first)) return undefined
    n++
    const start = n
    let [joined, ended] = trimContinuation(isComment(first) ? "" : first)
    if (ended && joined === "") continue
    while (!ended && n < lines.length) {
      const raw = lines[n]!
      const line = trimNewline(raw)
      if (!directive(line)) return undefined
      n++
      if (isComment(raw) || line.trimStart() === "") continue
      const [part, end] = trimContinuation(line)
      joined += part
      ended = end
    }
    const [keyword = "", ...args] = joined.trim().split(/[ \t\r\n\v\f]+/)
    const upper = keyword.toUpperCase()
    const heredocKeyword = upper === "ONBUILD" ? (args[0] ?? "").toUpperCase() : upper
    if (HEREDOC_KEYWORDS.has(heredocKeyword) && joined.includes("<<") && !isJson(joined, upper === "ONBUILD")) {
      const docs = heredocs(joined)
      if (docs === undefined) return undefined
      for (const doc of docs) {
        let terminated = false
        while (n < lines.length) {
          let line = trimNewline(lines[n]!)
          n++
          if (doc.chomp) line = line.replace(/^\t+/, "")
          if (line === doc.name) {
            terminated = true
            break
          }
        }
        if (!terminated) return undefined
      }
    }
    out.push({ keyword: upper, args, start, end: n })
  }
  return out
}

/** The stages of a Dockerfile's instructions (what comes before the first `FROM` is left out). */
export const stages = (list: ReadonlyArray<Instruction>): Array<Stage> | undefined => {
  const out: Array<{ name: string | undefined; from: Instruction; commands: Array<Instruction> }> = []
  for (const instruction of list) {
    if (instruction.keyword === "FROM") {
      const args = instruction.args.filter((arg) => !arg.startsWith("--"))
      if (args.length !== 1 && !(args.length === 3 && args[1]!.toLowerCase() === "as")) return undefined
      out.push({ name: args[2]?.toLowerCase(), from: instruction, commands: [] })
    } else {
      out.at(-1)?.commands.push(instruction)
    }
  }
  return out
}

/**
 * Whether a `WORKDIR` makes a step: it does unless its directory is `/`. `undefined` when that cannot be known here
 * (a variable, or a relative path with `.` or `..`, which depends on the directory before it).
 */
const workdirMakesStep = (instruction: Instruction): boolean | undefined => {
  const path = instruction.args.join(" ")
  if (path === "" || path.includes("$")) return undefined
  const parts = path.split("/").filter((part) => part !== "")
  if (path.startsWith("/")) {
    if (parts.includes("..")) return undefined
    return parts.some((part) => part !== ".")
  }
  if (parts.some((part) => part === "." || part === "..")) return undefined
  return parts.length > 0
}

const STEP = /^\[(?:([a-z][a-z0-9._-]*) )?\s*(\d+)\/(\d+)\] (?:LINK )?([A-Z]+)(?: |$)/

/**
 * The lines of the instruction a step's name (`[stage-1 2/3] RUN make`, `[2/2] COPY a b`) stands for in the
 * Dockerfile, or `undefined` when it cannot be told for certain.
 */
export const locate = (
  text: string,
  vertex: string
): { readonly start: number; readonly end: number } | undefined => {
  const match = STEP.exec(vertex)
  if (match === null) return undefined
  const [, token, indexText, totalText, keyword] = match
  const list = instructions(text)
  const all = list === undefined ? undefined : stages(list)
  if (all === undefined || all.length === 0) return undefined
  // BuildKit names a stage by its AS name, else `stage-N`; a Dockerfile of one stage gets no name in its steps
  let stage: Stage | undefined
  if (token === undefined) {
    if (all.length !== 1) return undefined
    stage = all[0]
  } else {
    const unnamed = /^stage-(\d+)$/.exec(token)
    const candidates = all.filter((s, i) =>
      s.name === token || (unnamed !== null && s.name === undefined && i === Number(unnamed[1]))
    )
    if (candidates.length !== 1) return undefined
    stage = candidates[0]
  }
  const index = Number(indexText)
  const total = Number(totalText)
  const counted = stage!.commands.filter((c) => COUNTED.has(c.keyword))
  // the total counts the FROM of an image (not scratch, not another stage): told by the total itself
  let steps: Array<Instruction>
  if (total === counted.length + 1) steps = [stage!.from, ...counted]
  else if (total === counted.length) steps = counted
  else return undefined
  let number = 0
  for (const step of steps) {
    if (step.keyword === "WORKDIR") {
      const makes = workdirMakesStep(step)
      if (makes === undefined) return undefined
      if (!makes) continue
    }
    number++
    if (number === index) return step.keyword === keyword ? { start: step.start, end: step.end } : undefined
  }
  return undefined
}

/**
 * The excerpt as BuildKit prints a source range: `name:start`, a rule, the lines from two before to two after a
 * one-line range (one around a longer one; fewer at the file's ends), each ` %3d | ` and `>>>` on the range's
 * lines, and the rule; empty when the range is not in the file.
 */
export const render = (name: string, text: string, range: { readonly start: number; readonly end: number }) => {
  const lines = text.split("\n")
  let start = range.start
  let end = Math.max(range.start, range.end)
  if (start > lines.length || start < 1) return ""
  if (end > lines.length) end = lines.length
  const pad = end === start ? 4 : 2
  let p = 0
  while (p < pad) {
    if (start > 1) {
      start--
      p++
    }
    if (end !== lines.length) {
      end++
      p++
    }
    p++
  }
  const rule = "--------------------\n"
  let out = `${name}:${range.start}\n${rule}`
  for (let i = start; i <= end; i++) {
    const marked = i >= range.start && i <= Math.max(range.start, range.end)
    out += ` ${String(i).padStart(3)} | ${marked ? ">>>" : "   "} ${lines[i - 1]}\n`
  }
  return out + rule
}

/**
 * The excerpt buildx prints for a failed step: `name` is the Dockerfile's name as buildx shows it, `text` its
 * content, `vertex` the failed step's name; empty when the step's instruction cannot be found for certain.
 */
export const excerpt = (name: string, text: string, vertex: string): string => {
  const range = locate(text, vertex)
  return range === undefined ? "" : render(name, text, range)
}
