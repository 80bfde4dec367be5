/**
 * docker's output formatting (`cli/command/formatter`): a `--format` value becomes a template (`table …` adds a
 * header row and aligns columns, `json` means `{{json .}}`, anything else is printed as is, one line per item),
 * and tables go through Go's `text/tabwriter` as docker configures it (minimum width 10, padding 3, spaces, cells
 * measured in terminal columns).
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import * as GoTemplate from "./GoTemplate.ts"
import * as V from "./GoValue.ts"
import { stringWidth } from "./RuneWidth.ts"

// ---------------------------------------------------------------------------------------------------------------
// text/tabwriter
// ---------------------------------------------------------------------------------------------------------------

/** How a {@link tabwrite} aligns: Go's `tabwriter.NewWriter(out, minWidth, tabWidth, padding, padChar, flags)`. */
export interface TabwriterOptions {
  /** Minimal cell width, padding included. */
  readonly minWidth: number
  /** Width of a tab when padding with tabs. */
  readonly tabWidth: number
  /** Added to the widest cell of a column. */
  readonly padding: number
  /** The padding character: `" "` or `"\t"`. */
  readonly padChar: string
  /** Pad on the left (Go's `AlignRight`). */
  readonly alignRight?: boolean | undefined
  /** Print `|` between columns (Go's `Debug`). */
  readonly debug?: boolean | undefined
}

/** docker's table settings: `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`. */
export const dockerTabwriter: TabwriterOptions = { minWidth: 10, tabWidth: 1, padding: 3, padChar: " " }

interface Cell {
  /** The cell's text. */
  readonly text: string
  /** Its width in columns (0 for the unterminated last cell of a line, as in Go). */
  readonly width: number
  /** Whether a tab (rather than a line end) ended it. */
  readonly htab: boolean
}

/**
 * Go's `text/tabwriter` over a whole text (Write then Flush): cells end with `\t` (or `\v`); a column is a run of
 * tab-terminated cells in consecutive lines and is as wide as its widest cell plus padding; a line's last cell is
 * not part of any column; `\f` or a line without tabs ends the column blocks. Widths are terminal columns.
 */
export const tabwrite = (text: string, options: TabwriterOptions): string => {
  const out: Array<string> = []
  let lines: Array<Array<Cell>> = [[]]
  let cellText = ""
  let widths: Array<number> = []

  const writePadding = (textWidth: number, cellWidth: number) => {
    if (options.padChar === "\t") {
      if (options.tabWidth === 0) return
      const cw = Math.ceil(cellWidth / options.tabWidth) * options.tabWidth
      out.push("\t".repeat(Math.ceil((cw - textWidth) / options.tabWidth)))
      return
    }
    out.push(options.padChar.repeat(Math.max(cellWidth - textWidth, 0)))
  }

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!
      line.forEach((c, j) => {
        if (j > 0 && options.debug === true) out.push("|")
        if (c.text.length === 0) {
          if (j < widths.length) writePadding(c.width, widths[j]!)
        } else if (options.alignRight !== true) {
          out.push(c.text)
          if (j < widths.length) writePadding(c.width, widths[j]!)
        } else {
          if (j < widths.length) writePadding(c.width, widths[j]!)
          out.push(c.text)
        }
      })
      if (i + 1 === lines.length) out.push(cellText)
      else out.push("\n")
    }
  }

  const format = (line0: number, line1: number) => {
    const column = widths.length
    let start = line0
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row]!.length - 1) continue
      // A cell in this column: this line starts a block of lines that have it.
      writeLines(start, row)
      start = row
      let width = options.minWidth
      let end = row
      for (; end < line1; end++) {
        const line = lines[end]!
        if (column >= line.length - 1) break
        width = Math.max(width, line[column]!.width + options.padding)
      }
      widths.push(width)
      format(start, end)
      widths.pop()
      start = end
      row = end - 1
    }
    writeLines(start, line1)
  }

  const flush = () => {
    if (cellText.length > 0) {
      lines[lines.length - 1]!.push({ text: cellText, width: 0, htab: false })
      cellText = ""
    }
    format(0, lines.length)
    lines = [[]]
    widths = []
  }

  let from = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch !== "\t" && ch !== "\v" && ch !== "\n" && ch !== "\f") continue
    cellText += text.slice(from, i)
    from = i + 1
    const line = lines[lines.length - 1]!
    line.push({ text: cellText, width: stringWidth(cellText), htab: ch === "\t" })
    cellText = ""
    if (ch === "\n" || ch === "\f") {
      const cells = line.length
      lines.push([])
      if (ch === "\f" || cells === 1) {
        // The finished line cannot affect later alignment: write out what is buffered.
        cellText = ""
        flush()
      }
    }
  }
  cellText += text.slice(from)
  flush()
  return out.join("")
}

/** Printable ASCII only: one terminal column per character. */
const plainAscii = /^[\x20-\x7e]*$/

/** What ends a cell or a line for {@link tabwrite}. */
const cellEnds = /[\t\n\v\f]/

/**
 * {@link tabwrite} with {@link dockerTabwriter} for a grid of one-line cells, without going through the
 * tab-separated text and its cell records: the same text as it gives for
 * `lines.map((cells) => cells.join("\t")).join("\n") + "\n"` (every column but the last padded to its widest cell
 * plus 3, at least 10), cells measured in terminal columns as it measures them (a line of printable ASCII, the usual
 * case, by length alone). `undefined` when a cell holds a tab, a line feed, a vertical tab or a form feed (they end
 * cells or lines there) or the lines do not all have the same number of cells; use {@link tabwrite} then.
 */
export const alignColumns = (lines: ReadonlyArray<ReadonlyArray<string>>): string | undefined => {
  const columns = lines[0]?.length ?? 0
  const widths = new Array<number>(Math.max(columns - 1, 0)).fill(0)
  // each line's cell widths, or `undefined` for a line of printable ASCII (widths are lengths)
  const cellWidths = new Array<Array<number> | undefined>(lines.length)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.length !== columns) return undefined
    // one test per line: a tab or line break inside a cell is not printable ASCII either
    if (plainAscii.test(line.join(" "))) {
      for (let c = 0; c < columns - 1; c++) if (line[c]!.length > widths[c]!) widths[c] = line[c]!.length
      continue
    }
    if (line.some((cell) => cellEnds.test(cell))) return undefined
    const measured = line.slice(0, -1).map((cell) => plainAscii.test(cell) ? cell.length : stringWidth(cell))
    for (let c = 0; c < columns - 1; c++) if (measured[c]! > widths[c]!) widths[c] = measured[c]!
    cellWidths[i] = measured
  }
  for (let c = 0; c < widths.length; c++) {
    widths[c] = Math.max(widths[c]! + dockerTabwriter.padding, dockerTabwriter.minWidth)
  }
  const out = new Array<string>(lines.length + 1)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const measured = cellWidths[i]
    let text = ""
    for (let c = 0; c < columns - 1; c++) {
      text += measured === undefined
        ? line[c]!.padEnd(widths[c]!, " ")
        : line[c]! + " ".repeat(widths[c]! - measured[c]!)
    }
    out[i] = text + line[columns - 1]!
  }
  out[lines.length] = ""
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------------------------------
// docker's formatter.Context
// ---------------------------------------------------------------------------------------------------------------

/** The `--format` value (and prefix) asking for an aligned table with a header. */
export const TableFormatKey = "table"
/** The `--format` value asking for docker's `key: value` lines. */
export const RawFormatKey = "raw"
/** The `--format` value meaning one JSON object per line. */
export const JSONFormatKey = "json"
/** The format of `-q`: `{{.ID}}`. */
export const DefaultQuietFormat = "{{.ID}}"
/** What `--format json` means: `{{json .}}`. */
export const JSONFormat = "{{json .}}"

/**
 * docker's `MarshalJSON` of a formatter context: every method's value under its name (give them in alphabetical
 * order, as Go's map encoding sorts them), as `{{json .}}` and `--format json` print it.
 */
export const methodsJson = (methods: Readonly<Record<string, () => unknown>>) => (): string => {
  const r = V.encodeJson(Object.fromEntries(Object.entries(methods).map(([k, f]) => [k, f()])), true)
  return typeof r === "string" ? r : "null"
}

/** Whether a format is a table format (it starts with `table`, as docker checks). */
export const isTable = (format: string): boolean => format.startsWith(TableFormatKey)

/** Whether a format is the `json` shorthand. */
export const isJson = (format: string): boolean => format === JSONFormatKey

/**
 * The template docker actually parses for a format: without the `table` prefix, `json` as `{{json .}}`, outer
 * spaces trimmed, and the two-character sequences `\t` and `\n` turned into a tab and a newline.
 */
export const templateText = (format: string): string => {
  let text = format
  if (isTable(format)) text = text.slice(TableFormatKey.length)
  else if (isJson(format)) text = JSONFormat
  text = text.replace(/^ +| +$/g, "")
  return text.replace(/\\[tn]/g, (m) => m === "\\t" ? "\t" : "\n")
}

/** A format that could not be parsed or rendered; `message` is what docker prints (`template parsing error: …`). */
export class FormatError extends Data.TaggedError("FormatError")<{
  readonly message: string
}> {}

/** What {@link render} formats. */
export interface RenderOptions {
  /** The resolved format: `table {{.ID}}\t{{.Tag}}`, `json`, or a plain template. */
  readonly format: string
  /** The value the header row is rendered over (docker's `SubHeaderContext`: field name → column title). */
  readonly header: unknown
  /** One value per output line (docker's formatter contexts). */
  readonly rows: Iterable<unknown>
}

/**
 * docker's `formatter.Context.Write`: renders every row (stopping at the first failure), then, for a table, renders
 * the header over `header` with docker's header functions (its failures ignored, as docker does) and aligns header
 * and rows with {@link dockerTabwriter}; otherwise returns the rows as they are, each followed by a newline.
 */
export const render = (options: RenderOptions): Result.Result<string, FormatError> => {
  const parsed = GoTemplate.parse(templateText(options.format))
  if (Result.isFailure(parsed)) {
    return Result.fail(new FormatError({ message: `template parsing error: ${parsed.failure.message}` }))
  }
  const template = parsed.success
  let body = ""
  for (const row of options.rows) {
    const line = GoTemplate.execute(template, row)
    if (Result.isFailure(line)) {
      return Result.fail(new FormatError({ message: `template parsing error: ${line.failure.message}` }))
    }
    body += line.success + "\n"
  }
  if (!isTable(options.format)) return Result.succeed(body)
  const header = GoTemplate.executePartial(template, options.header, { functions: "header" }).output
  return Result.succeed(tabwrite(header + "\n" + body, dockerTabwriter))
}
