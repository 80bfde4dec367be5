/**
 * UTF-8 as Go sees a string (Go's `unicode/utf8`): code points, byte lengths and bytes, with U+FFFD for what is
 * not valid UTF-8.
 *
 * @internal
 */

/** The code points of a string; a lone surrogate becomes U+FFFD, as Go sees invalid UTF-8. */
export const codePoints = (s: string): Array<number> => {
  const out: Array<number> = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000)
        i++
        continue
      }
    }
    out.push(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c)
  }
  return out
}

const utf8Width = (cp: number) => cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4

/** The length of a string in UTF-8 bytes, which is what Go's `len` and byte offsets count. */
export const utf8Length = (s: string): number => {
  let n = 0
  for (const cp of codePoints(s)) n += utf8Width(cp)
  return n
}

/** A string's UTF-8 bytes. */
export const utf8Bytes = (s: string): Array<number> => {
  const out: Array<number> = []
  for (const cp of codePoints(s)) {
    if (cp < 0x80) out.push(cp)
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f))
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
    else {
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
    }
  }
  return out
}

/** Decodes UTF-8 bytes; each byte that is not part of a valid sequence becomes U+FFFD. */
export const fromUtf8Bytes = (bytes: ReadonlyArray<number>): string => {
  let out = ""
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1
    let cp = need === 0 ? b : need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07
    let ok = need >= 0 && i + need < bytes.length
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k]!
      if ((c & 0xc0) !== 0x80) ok = false
      else cp = (cp << 6) | (c & 0x3f)
    }
    if (ok && need > 0 && (cp < [0, 0x80, 0x800, 0x10000][need]! || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) {
      ok = false
    }
    if (!ok) {
      out += "\ufffd"
      i++
    } else {
      out += String.fromCodePoint(cp)
      i += need + 1
    }
  }
  return out
}
