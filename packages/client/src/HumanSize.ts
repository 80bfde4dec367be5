/**
 * Sizes as the docker CLI prints them (`github.com/docker/go-units`): decimal units (B, kB, MB, …) with Go's `%g`
 * rules, rounding the exact binary value half to even. The progress bars of {@link ProgressDisplay} and the CLI's
 * tables (`image ls`, `history`, `system df`) print sizes with it.
 *
 * @since 0.1.0
 */

/** A decimal: digits without leading or trailing zeros (empty for zero), the point after `dp` digits. */
interface Decimal {
  readonly digits: string
  readonly dp: number
}

/** The exact decimal value of a finite, non-negative double. */
const exactDecimal = (x: number): Decimal => {
  if (x === 0) return { digits: "", dp: 0 }
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let exp: number
  if (biased === 0) exp = -1074
  else {
    mant |= 1n << 52n
    exp = biased - 1075
  }
  const digits = exp >= 0 ? (mant << BigInt(exp)).toString() : (mant * 5n ** BigInt(-exp)).toString()
  const dp = exp >= 0 ? digits.length : digits.length + exp
  return { digits: digits.replace(/0+$/, ""), dp }
}

/** Rounds to `nd` significant digits, half to even on an exact tie (as Go's decimal rounding). */
const roundDecimal = (d: Decimal, nd: number): Decimal => {
  if (nd < 0 || nd >= d.digits.length) return d
  const next = d.digits.charCodeAt(nd) - 48
  const tie = next === 5 && nd + 1 === d.digits.length
  const up = next > 5 || (next === 5 && !tie) || (tie && nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1)
  if (!up) return { digits: d.digits.slice(0, nd).replace(/0+$/, ""), dp: d.digits.slice(0, nd) === "" ? 0 : d.dp }
  let i = nd - 1
  const chars = d.digits.slice(0, nd).split("")
  while (i >= 0 && chars[i] === "9") i--
  if (i < 0) return { digits: "1", dp: d.dp + 1 }
  chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1)
  return { digits: chars.slice(0, i + 1).join(""), dp: d.dp }
}

const digitAt = (d: Decimal, i: number) => i >= 0 && i < d.digits.length ? d.digits[i]! : "0"

/** Go's `strconv.FormatFloat(x, 'g', precision, 64)` of a finite, non-negative number. */
const formatG = (x: number, precision: number): string => {
  const p = precision === 0 ? 1 : precision
  const d = roundDecimal(exactDecimal(x), p)
  const eprec = p > d.digits.length && d.digits.length >= d.dp ? d.digits.length : p
  const exp = d.dp - 1
  if (exp < -4 || exp >= eprec) {
    const prec = (p > d.digits.length ? d.digits.length : p) - 1
    let s = d.digits.length === 0 ? "0" : d.digits[0]!
    if (prec > 0) s += "." + Array.from({ length: prec }, (_, i) => digitAt(d, i + 1)).join("")
    const e = d.digits.length === 0 ? 0 : exp
    return `${s}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`
  }
  const prec = Math.max((p > d.dp ? d.digits.length : p) - d.dp, 0)
  let s = d.dp > 0 ? Array.from({ length: d.dp }, (_, i) => digitAt(d, i)).join("") : "0"
  if (prec > 0) s += "." + Array.from({ length: prec }, (_, i) => digitAt(d, d.dp + i)).join("")
  return s
}

const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]

/**
 * go-units' `HumanSizeWithPrecision`: `size` bytes in decimal units with `precision` significant digits, e.g.
 * 1982256 → `1.98MB` at 3, 1125 → `1.12kB` (ties round to even), 999999 → `1e+03kB`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const humanSizeWithPrecision = (size: number, precision: number): string => {
  let value = size
  let i = 0
  while (value >= 1000 && i < units.length - 1) {
    value = value / 1000
    i++
  }
  // a negative size is never scaled (as in go-units), and Go's %g writes its sign
  return (value < 0 ? "-" + formatG(-value, precision) : formatG(value, precision)) + units[i]!
}

/**
 * go-units' `HumanSize`: {@link humanSizeWithPrecision} with 4 significant digits (1982256 → `1.982MB`, 999999 →
 * `1000kB`), as docker's progress bars and `system df` print sizes.
 *
 * @category formatting
 * @since 0.1.0
 */
export const humanSize = (size: number): string => humanSizeWithPrecision(size, 4)
