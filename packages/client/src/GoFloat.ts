/**
 * Go's `strconv.FormatFloat`: a float64 as Go prints it (exact decimal value, rounded half to even), which docker's
 * sizes ({@link HumanSize}) and the CLI's Go templates are built on, so that both print numbers as docker does.
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
  let digits: string
  let dp: number
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString()
    dp = digits.length
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString()
    dp = digits.length + exp
  }
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

/** The shortest decimal that reads back as the same double (JavaScript and Go agree on it). */
const shortestDecimal = (x: number): Decimal => {
  if (x === 0) return { digits: "", dp: 0 }
  const [mantissa, exponent] = x.toExponential().split("e") as [string, string]
  return { digits: mantissa.replace(".", "").replace(/0+$/, ""), dp: Number(exponent) + 1 }
}

const fmtE = (d: Decimal, prec: number, upper: boolean): string => {
  let s = d.digits.length === 0 ? "0" : d.digits[0]!
  if (prec > 0) {
    s += "."
    for (let i = 1; i <= prec; i++) s += i < d.digits.length ? d.digits[i] : "0"
  }
  const exp = d.digits.length === 0 ? 0 : d.dp - 1
  const abs = Math.abs(exp)
  return s + (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + (abs < 10 ? "0" + abs : String(abs))
}

const fmtF = (d: Decimal, prec: number): string => {
  let s = ""
  if (d.dp > 0) {
    for (let i = 0; i < d.dp; i++) s += i < d.digits.length ? d.digits[i] : "0"
  } else s = "0"
  if (prec > 0) {
    s += "."
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1
      s += j >= 0 && j < d.digits.length ? d.digits[j] : "0"
    }
  }
  return s
}

/**
 * Go's `strconv.FormatFloat(x, fmt, prec, 64)` for `e`, `E`, `f`, `F`, `g` and `G`: a negative `prec` asks for the
 * fewest digits that read back exactly; rounding is exact, half to even (so `%.3g` of 1.125 is `1.12`).
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatFloat = (x: number, fmt: "e" | "E" | "f" | "F" | "g" | "G", prec: number): string => {
  if (Number.isNaN(x)) return "NaN"
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf"
  const neg = x < 0 || Object.is(x, -0)
  const abs = Math.abs(x)
  const shortest = prec < 0
  let d: Decimal
  let p = prec
  if (shortest) {
    d = shortestDecimal(abs)
    p = fmt === "e" || fmt === "E"
      ? Math.max(d.digits.length - 1, 0)
      : fmt === "f" || fmt === "F"
      ? Math.max(d.digits.length - d.dp, 0)
      : d.digits.length
  } else {
    const exact = exactDecimal(abs)
    if (fmt === "e" || fmt === "E") d = roundDecimal(exact, p + 1)
    else if (fmt === "f" || fmt === "F") d = roundDecimal(exact, exact.dp + p)
    else {
      if (p === 0) p = 1
      d = roundDecimal(exact, p)
    }
  }
  let body: string
  if (fmt === "e" || fmt === "E") body = fmtE(d, p, fmt === "E")
  else if (fmt === "f" || fmt === "F") body = fmtF(d, p)
  else {
    let eprec = p
    if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length
    if (shortest) eprec = 6
    const exp = d.dp - 1
    if (exp < -4 || exp >= eprec) {
      body = fmtE(d, (p > d.digits.length ? d.digits.length : p) - 1, fmt === "G")
    } else {
      body = fmtF(d, Math.max((p > d.dp ? d.digits.length : p) - d.dp, 0))
    }
  }
  return (neg ? "-" : "") + body
}
