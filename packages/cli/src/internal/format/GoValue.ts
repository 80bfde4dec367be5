/**
 * Go values as docker's `--format` templates see them, and the Go text they print as: `fmt`'s `%v`/`Sprint`/
 * `Sprintf`, `strconv`'s float and quote formatting, and `encoding/json`. Template data is plain JavaScript: strings,
 * numbers (an integral number is a Go `int`, any other a `float64`; wrap in {@link Float64} to force a float),
 * booleans, `null` (Go `nil`), arrays (slices), plain objects and `Map`s (maps, printed and ranged over in sorted key
 * order) and {@link Struct}s (Go structs with fields and zero-argument methods, such as docker's formatter contexts).
 *
 * Split as Go's packages are, in `go/`: `utf8.ts`, `value.ts` (the value model), `strconv.ts`, `json.ts` and `fmt.ts`.
 * This module is their public surface.
 *
 * @internal
 */
export { formatValue, sprint, sprintf, sprintln } from "./go/fmt.ts"
export { encodeJson, intText, jsonString, JsonUnsupported } from "./go/json.ts"
export { canBackquote, formatFloat, isPrint, quote, quoteRune } from "./go/strconv.ts"
export { codePoints, fromUtf8Bytes, utf8Bytes, utf8Length } from "./go/utf8.ts"
export {
  compareStrings,
  Float64,
  isStringMap,
  isStringSlice,
  isTrue,
  type Kind,
  kindOf,
  makeStruct,
  mapEntries,
  mapGet,
  mapSize,
  NoValue,
  Struct,
  type StructOptions,
  toNumber,
  typeName
} from "./go/value.ts"
