/**
 * Sizes as the docker CLI prints them (`github.com/docker/go-units`): decimal units (B, kB, MB, …) with Go's `%g`
 * rules, rounding the exact binary value half to even. The progress bars of {@link ProgressDisplay} and the CLI's
 * tables (`image ls`, `history`, `system df`) print sizes with it.
 *
 * @since 0.1.0
 */
import { formatFloat } from "./GoFloat.ts"

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
  return formatFloat(value, "g", precision) + units[i]!
}

/**
 * go-units' `HumanSize`: {@link humanSizeWithPrecision} with 4 significant digits (1982256 → `1.982MB`, 999999 →
 * `1000kB`), as docker's progress bars and `system df` print sizes.
 *
 * @category formatting
 * @since 0.1.0
 */
export const humanSize = (size: number): string => humanSizeWithPrecision(size, 4)
