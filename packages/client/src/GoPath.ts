/**
 * Slash-separated paths cleaned and joined as Go's `path.Clean` and `path.Join` do (`filepath` on Unix): what the
 * docker CLI does to `--config`, context store paths and `.dockerignore` patterns. Dependency-free.
 *
 * @since 0.1.0
 */

/**
 * The shortest path naming the same file, as Go's `path.Clean`: repeated and trailing slashes and `.` elements
 * dropped, `..` resolved lexically (dropped right after the root: `/..` is `/`), and `.` for an empty result.
 *
 * @category utils
 * @since 0.1.0
 */
export const clean = (path: string): string => {
  if (path === "") return "."
  const rooted = path.startsWith("/")
  const out: Array<string> = []
  for (const element of path.split("/")) {
    if (element === "" || element === ".") continue
    if (element === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop()
      else if (!rooted) out.push("..")
      continue
    }
    out.push(element)
  }
  const cleaned = (rooted ? "/" : "") + out.join("/")
  return cleaned === "" ? "." : cleaned
}

/**
 * The elements joined with `/` and {@link clean}ed, as Go's `path.Join`: empty elements are skipped, and no
 * elements (or only empty ones) give `""`.
 *
 * @category utils
 * @since 0.1.0
 */
export const join = (...elements: ReadonlyArray<string>): string => {
  const parts = elements.filter((element) => element !== "")
  return parts.length === 0 ? "" : clean(parts.join("/"))
}
