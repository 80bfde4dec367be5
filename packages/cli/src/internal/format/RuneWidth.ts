/**
 * How many terminal columns text takes, as the docker CLI measures it: East Asian wide and fullwidth characters
 * (CJK, Hangul, emoji shown as pictures) take two columns, control and format characters none, everything else
 * one. Used by the table writer (docker's fork of `text/tabwriter` measures cells with `go-runewidth`, one width
 * per grapheme cluster) and by docker's `Ellipsis` truncation.
 *
 * @internal
 */
import * as EastAsianWide from "./EastAsianWide.ts"

const mark = /^[\p{Mn}\p{Me}]$/u

/** Characters go-runewidth counts as zero columns besides the C0/C1 controls. */
const zeroRanges: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad],
  [0x070f, 0x070f],
  [0x180b, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x206a, 0x206f],
  [0xd800, 0xdfff],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0xfffe, 0xffff]
]

const inRanges = (cp: number, ranges: ReadonlyArray<readonly [number, number]>) =>
  ranges.some(([lo, hi]) => cp >= lo && cp <= hi)

/**
 * Whether a character is East Asian wide or fullwidth (two columns): its Unicode 15.0 East_Asian_Width is W or F, as
 * `golang.org/x/text/width` tells the docker CLI 28 (emoji shown as pictures are W; regional indicators are not).
 * The table is generated from pinned Unicode data by `scripts/gen-runewidth.mjs`.
 */
export const isWide = (cp: number): boolean => {
  if (cp < 0x1100) return false
  let lo = 0
  let hi = EastAsianWide.ranges.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const [first, last] = EastAsianWide.ranges[mid]!
    if (cp < first) hi = mid - 1
    else if (cp > last) lo = mid + 1
    else return true
  }
  return false
}

/** The columns one code point takes (go-runewidth's `RuneWidth` outside East Asian locales). */
export const runeWidth = (cp: number): number => {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return 0
  if (cp < 0x300) return cp === 0xad ? 0 : 1
  if (inRanges(cp, zeroRanges)) return 0
  if (mark.test(String.fromCodePoint(cp))) return 0
  return isWide(cp) ? 2 : 1
}

const printableAscii = /^[\x20-\x7e]*$/
let segmenter: Intl.Segmenter | undefined

/** The columns a string takes: per grapheme cluster, the width of its first character that has one. */
export const stringWidth = (s: string): number => {
  if (printableAscii.test(s)) return s.length
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })
  let width = 0
  for (const { segment } of segmenter.segment(s)) {
    for (const ch of segment) {
      const w = runeWidth(ch.codePointAt(0)!)
      if (w > 0) {
        width += w
        break
      }
    }
  }
  return width
}

/**
 * docker's `formatter.Ellipsis`: cuts a string to at most `maxWidth` columns (wide characters count two), ending it
 * with `…` when something was cut. A width of 1 keeps the first character; 0 or less gives "".
 */
export const ellipsis = (s: string, maxWidth: number): string => {
  if (maxWidth <= 0) return ""
  const runes = Array.from(s)
  if (maxWidth === 1) return runes[0] ?? ""
  if (/^[\x00-\x7f]*$/.test(s)) {
    if (s.length <= maxWidth) return s
    return runes.slice(0, maxWidth - 1).join("") + "…"
  }
  const display: Array<number> = []
  let total = 0
  for (const r of runes) {
    total += isWide(r.codePointAt(0)!) ? 2 : 1
    display.push(total)
  }
  if (total <= maxWidth) return s
  for (let i = 0; i + 1 < display.length; i++) {
    if (display[i]! <= maxWidth - 1 && display[i + 1]! > maxWidth - 1) return runes.slice(0, i + 1).join("") + "…"
  }
  return s
}
