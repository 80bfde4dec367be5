/**
 * `.dockerignore` as the docker CLI reads it: one pattern a line, `#` comments, `!` exceptions, paths cleaned and
 * relative to the context, `*` and `?` within one path element, `**` across any number of them; the last matching
 * pattern wins, and a pattern that matches a directory excludes everything below it.
 *
 * @internal
 */

/** One compiled pattern. */
interface Pattern {
  readonly exclusion: boolean
  readonly regex: RegExp
  /** How many path elements the pattern has, to also match a parent directory of a path. */
  readonly depth: number
}

/** Go's `filepath.Clean` for slash-separated relative paths. */
export const cleanPath = (path: string): string => {
  const out: Array<string> = []
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop()
      else if (!path.startsWith("/")) out.push("..")
      continue
    }
    out.push(part)
  }
  return out.join("/") || "."
}

const toRegex = (pattern: string): RegExp => {
  let re = "^"
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++
        if (pattern[i + 1] === "/") {
          i++
          re += "(?:.*/)?"
        } else re += ".*"
      } else re += "[^/]*"
    } else if (c === "?") re += "[^/]"
    else if (c === "\\" && i + 1 < pattern.length) re += `\\${pattern[++i]}`
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1)
      if (end === -1) re += "\\["
      else {
        const body = pattern.slice(i + 1, end).replace(/^\^/, "!")
        re += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`
        i = end
      }
    } else re += c.replace(/[.+^${}()|\]\\]/g, "\\$&")
  }
  return new RegExp(`${re}$`)
}

/** Reads a `.dockerignore` text into patterns. */
export const parse = (text: string): ReadonlyArray<Pattern> => {
  const patterns: Array<Pattern> = []
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim()
    if (line === "" || line.startsWith("#")) continue
    const exclusion = line.startsWith("!")
    if (exclusion) line = line.slice(1).trim()
    line = cleanPath(line.replace(/^\/+/, ""))
    if (line === ".") continue
    patterns.push({ exclusion, regex: toRegex(line), depth: line.split("/").length })
  }
  return patterns
}

/** Whether `path` (relative, slash-separated) is excluded by the patterns. */
export const isExcluded = (patterns: ReadonlyArray<Pattern>, path: string): boolean => {
  let excluded = false
  const parts = path.split("/")
  for (const pattern of patterns) {
    let match = pattern.regex.test(path)
    // A pattern naming a directory also matches what is inside it.
    for (let n = pattern.depth; !match && n < parts.length; n++) match = pattern.regex.test(parts.slice(0, n).join("/"))
    if (match) excluded = !pattern.exclusion
  }
  return excluded
}

/** Whether some exception could re-include something below the excluded directory `dir`. */
export const hasExceptionsBelow = (patterns: ReadonlyArray<Pattern>, dir: string): boolean =>
  patterns.some((p) => p.exclusion && (p.regex.source.includes(".*") || p.regex.source.startsWith(`^${dir.replace(/[.+^${}()|[\]\\]/g, "\\$&")}/`)))
