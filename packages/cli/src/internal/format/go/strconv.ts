/**
 * Go's `strconv` as templates print with it: `FormatFloat` (exact, half-to-even rounding) and `Quote`/`QuoteRune`/
 * `CanBackquote`, with `unicode.IsPrint`.
 *
 * @internal
 */
import { codePoints } from "./utf8.ts"

/** Go's `strconv.FormatFloat`, owned by the client (its sizes are printed with it too). */
export { formatFloat } from "@dockhand/client/GoFloat"

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export const isPrint = (cp: number): boolean => cp === 0x20 || printable.test(String.fromCodePoint(cp))

/** Two-digit (or wider) lowercase hex, zero-padded, as Go's escapes write it. */
export const hex = (n: number, width: number) => n.toString(16).padStart(width, "0")

const escapeRune = (cp: number, quote: number, asciiOnly: boolean): string => {
  if (cp === quote || cp === 0x5c) return "\\" + String.fromCodePoint(cp)
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return String.fromCodePoint(cp)
  switch (cp) {
    case 0x07:
      return "\\a"
    case 0x08:
      return "\\b"
    case 0x0c:
      return "\\f"
    case 0x0a:
      return "\\n"
    case 0x0d:
      return "\\r"
    case 0x09:
      return "\\t"
    case 0x0b:
      return "\\v"
  }
  if (cp < 0x20 || cp === 0x7f) return "\\x" + hex(cp, 2)
  if (cp < 0x10000) return "\\u" + hex(cp, 4)
  return "\\U" + hex(cp, 8)
}

/** Go's `strconv.Quote` (or `QuoteToASCII`): a double-quoted Go string literal. */
export const quote = (s: string, asciiOnly = false): string =>
  "\"" + codePoints(s).map((cp) => escapeRune(cp, 0x22, asciiOnly)).join("") + "\""

/** Go's `strconv.QuoteRune`: a single-quoted Go rune literal. */
export const quoteRune = (cp: number, asciiOnly = false): string => {
  const r = cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp
  return "'" + escapeRune(r, 0x27, asciiOnly) + "'"
}

/** Whether Go's `strconv.CanBackquote` holds: a single-line string without backquotes or control characters. */
export const canBackquote = (s: string): boolean =>
  codePoints(s).every((cp) =>
    cp !== 0x60 && cp !== 0xfeff && (cp >= 0x20 || cp === 0x09) && cp !== 0x7f && cp !== 0xfffd
  )
