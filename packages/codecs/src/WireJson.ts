/**
 * JSON bodies as the Docker Engine writes and reads them: decoding daemon bytes into schema values with errors that
 * say where and what (never the offending text), and encoding values into the exact JSON text Go's
 * `encoding/json` produces.
 *
 * This module holds the one place where daemon JSON text is parsed ({@link parse}); everything else in
 * `@dockhand/codecs` decodes through it.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import * as EscapedKeys from "./internal/escapedKeys.ts"
import * as FastReader from "./internal/fastReader.ts"
import * as GoJson from "./internal/goJson.ts"
import * as JsonSyntax from "./internal/jsonSyntax.ts"
import * as SchemaWalk from "./internal/schemaWalk.ts"
import * as Utf8 from "./internal/utf8.ts"

/**
 * How deeply arrays and objects may nest (512) before decoding or encoding gives up with a `TooDeep` error.
 * Real daemon payloads nest fewer than 20 levels; the limit keeps hostile input from exhausting the stack in
 * code that walks values recursively.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultMaxDepth = 512

/**
 * The most issues a {@link WireJsonError} lists (100); the message says how many more there were.
 *
 * @category constants
 * @since 0.1.0
 */
export const maxReportedIssues = 100

/**
 * The key annotation that marks keys the 1.54 spec requires but real engines may leave out. Strict decoding
 * rejects such keys when they are missing. It is `Annotations.specRequired` of `@dockhand/models`, re-exported.
 *
 * @category constants
 * @since 0.1.0
 */
export const specRequiredAnnotation: string = SchemaWalk.specRequiredAnnotation

/**
 * One problem found in a JSON text: where (`$[0].RepoTags`), what was expected, and what kind of thing was found
 * there (`string`, `number`, `missing`, `end of input`...). The offending value itself is never included.
 *
 * @category models
 * @since 0.1.0
 */
export const WireJsonIssue = Schema.Struct({
  path: Schema.String,
  expected: Schema.String,
  found: Schema.String
})
/**
 * @category models
 * @since 0.1.0
 */
export type WireJsonIssue = typeof WireJsonIssue.Type

/**
 * Why a JSON text could not be read or written:
 *
 * - `Malformed`: not JSON (the issue has the position);
 * - `Truncated`: the text ends in the middle of a value (a connection closed early);
 * - `TooDeep`: nested deeper than the allowed depth;
 * - `TooLarge`: longer than the runtime can hold as a string;
 * - `Mismatch`: valid JSON that does not have the expected shape (including unknown keys or keys the spec requires,
 *   in strict mode);
 * - `Unencodable`: a value that cannot be written (fails its schema, or holds NaN, `undefined`, class instances...).
 *
 * @category models
 * @since 0.1.0
 */
export const WireJsonErrorReason = Schema.Literals([
  "Malformed",
  "Truncated",
  "TooDeep",
  "TooLarge",
  "Mismatch",
  "Unencodable"
])
/**
 * @category models
 * @since 0.1.0
 */
export type WireJsonErrorReason = typeof WireJsonErrorReason.Type

/**
 * A JSON body that could not be decoded or encoded. `issues` lists where and what went wrong; `position`, `line`
 * and `column` locate syntax errors. Neither the message nor the issues contain the JSON's values, so secrets in
 * a body cannot leak through an error.
 *
 * @category errors
 * @since 0.1.0
 */
export class WireJsonError extends Schema.TaggedError<WireJsonError>()("WireJsonError", {
  reason: WireJsonErrorReason,
  message: Schema.String,
  issues: Schema.Array(WireJsonIssue),
  position: Schema.optionalKey(Schema.Int),
  line: Schema.optionalKey(Schema.Int),
  column: Schema.optionalKey(Schema.Int)
}) {}

/**
 * Options for reading JSON:
 *
 * - `strict`: check an engine against the spec. Unknown keys are errors, and so are missing keys the spec requires
 *   (those marked with {@link specRequiredAnnotation}). Also reports every issue, not only the first.
 * - `maxDepth`: the nesting limit, {@link defaultMaxDepth} by default.
 * - `errors`: `"first"` (the default when not strict) stops at the first problem; `"all"` collects them all.
 *
 * @category models
 * @since 0.1.0
 */
export interface DecodeOptions {
  readonly strict?: boolean | undefined
  readonly maxDepth?: number | undefined
  readonly errors?: "first" | "all" | undefined
}

/**
 * Options for writing JSON:
 *
 * - `newline`: end the text with `"\n"` as Go's `json.Encoder` (and so the daemon) does; `true` by default.
 * - `maxDepth`: the nesting limit, {@link defaultMaxDepth} by default.
 *
 * @category models
 * @since 0.1.0
 */
export interface EncodeOptions {
  readonly newline?: boolean | undefined
  readonly maxDepth?: number | undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Describing problems
// ---------------------------------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/**
 * Writes a path as JSONPath, e.g. `$[0].RepoTags` or `$.Platform["os.version"]`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = "$"
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "symbol") out += `[${String(key)}]`
    else if (IDENTIFIER.test(key)) out += `.${key}`
    else out += `[${JSON.stringify(key)}]`
  }
  return out
}

/**
 * Names the JSON type of a value (`string`, `number`, `boolean`, `null`, `array`, `object`), or `missing` for
 * `undefined`. Used for the `found` part of issues; it never shows the value.
 *
 * @category formatting
 * @since 0.1.0
 */
export const describeType = (value: unknown): string => {
  if (value === undefined) return "missing"
  if (value === null) return "null"
  if (Array.isArray(value)) return "array"
  return typeof value
}

const valueAt = (root: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let current = root
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined
    if (typeof key === "symbol" || !Object.hasOwn(current, key)) return undefined
    current = (current as Record<string | number, unknown>)[key]
  }
  return current
}

const standardFormatter = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * Turns a schema issue into {@link WireJsonIssue}s, looking up what was found at each path in `input`. It is
 * meant for issues produced without `reportInput`, and reads only the types of the values in `input`, so
 * nothing secret ends up in the result.
 *
 * @category formatting
 * @since 0.1.0
 */
export const issuesOf = (issue: SchemaIssue.Issue, input: unknown): Array<WireJsonIssue> =>
  standardFormatter(issue).issues.map(({ message, path }) => {
    const keys = (path ?? []).map((segment) => typeof segment === "object" && segment !== null ? segment.key : segment)
    const at = formatPath(keys)
    if (message === "Missing key") return { path: at, expected: "the key to be present", found: "missing" }
    const found = describeType(valueAt(input, keys))
    if (message === "Expected no excess property") return { path: at, expected: "no such key", found }
    return { path: at, expected: message.startsWith("Expected ") ? message.slice(9) : message, found }
  })

const summarize = (issues: ReadonlyArray<WireJsonIssue>): string => {
  const [first] = issues
  if (first === undefined) return ""
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""
  return `expected ${first.expected} at ${first.path}, found ${first.found}${more}`
}

const nameOf = (ast: SchemaAST.AST): string => {
  const identifier = ast.annotations?.identifier
  return typeof identifier === "string" ? identifier : "the expected shape"
}

const capped = (issues: ReadonlyArray<WireJsonIssue>): { shown: Array<WireJsonIssue>; message: string } => {
  const message = summarize(issues)
  return { shown: issues.slice(0, maxReportedIssues), message }
}

const mismatch = (ast: SchemaAST.AST, issues: ReadonlyArray<WireJsonIssue>): WireJsonError => {
  const { message, shown } = capped(issues)
  return new WireJsonError({
    reason: "Mismatch",
    message: `JSON does not match ${nameOf(ast)}: ${message}`,
    issues: shown
  })
}

const syntaxError = (found: JsonSyntax.SyntaxProblem): WireJsonError => {
  const where = `line ${found.line}, column ${found.column} (offset ${found.position})`
  return new WireJsonError({
    reason: found.truncated ? "Truncated" : "Malformed",
    message: found.truncated
      ? `Truncated JSON: the text ends at ${where} where ${found.expected} was expected`
      : `Malformed JSON at ${where}: expected ${found.expected}, found ${found.found}`,
    issues: [{ path: "$", expected: found.expected, found: found.found }],
    position: found.position,
    line: found.line,
    column: found.column
  })
}

const tooDeep = (maxDepth: number, path: string): WireJsonError =>
  new WireJsonError({
    reason: "TooDeep",
    message: `JSON nests deeper than ${maxDepth} levels`,
    issues: [{ path, expected: `at most ${maxDepth} levels of nesting`, found: "deeper nesting" }]
  })

const tooLarge = (what: string): WireJsonError =>
  new WireJsonError({
    reason: "TooLarge",
    message: `JSON text too large for this runtime: ${what}`,
    issues: [{ path: "$", expected: "a text the runtime can hold", found: what }]
  })

// ---------------------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------------------

/** Whether any array or object in `root` sits deeper than `maxDepth`, checked without recursion. */
const nestsDeeperThan = (root: unknown, maxDepth: number): boolean => {
  const values: Array<object> = []
  const depths: Array<number> = []
  if (typeof root === "object" && root !== null) {
    values.push(root)
    depths.push(0)
  }
  while (values.length > 0) {
    const value = values.pop()!
    const depth = depths.pop()!
    if (depth >= maxDepth) return true
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i]
        if (typeof child === "object" && child !== null) {
          values.push(child)
          depths.push(depth + 1)
        }
      }
    } else {
      for (const key in value) {
        const child: unknown = (value as Record<string, unknown>)[key]
        if (typeof child === "object" && child !== null) {
          values.push(child)
          depths.push(depth + 1)
        }
      }
    }
  }
  return false
}

const textOf = (input: string | Uint8Array): Result.Result<string, WireJsonError> =>
  typeof input === "string"
    ? Result.succeed(input)
    : Result.try({
      try: () => Utf8.decoder.decode(input),
      catch: () => tooLarge(`${input.length} bytes`)
    })

const parseText = (text: string, maxDepth: number): Result.Result<unknown, WireJsonError> => {
  let parsed: Result.Result<unknown, undefined>
  if (EscapedKeys.hasEscapedKey(text)) {
    // rare: an object key with an escape sequence, which V8's JSON.parse can decode wrongly (see escapedKeys.ts)
    const found = JsonSyntax.locate(text)
    if (found) return Result.fail(syntaxError(found))
    parsed = Result.try({ try: () => EscapedKeys.parseValid(text), catch: () => undefined })
  } else {
    parsed = Result.try({ try: (): unknown => JSON.parse(text), catch: () => undefined })
  }
  if (Result.isFailure(parsed)) {
    const found = JsonSyntax.locate(text)
    return Result.fail(found ? syntaxError(found) : tooLarge(`${text.length} characters`))
  }
  // a text of fewer than 2 * (maxDepth + 1) characters cannot nest deeper than maxDepth
  if (text.length >= 2 * (maxDepth + 1) && nestsDeeperThan(parsed.success, maxDepth)) {
    return Result.fail(tooDeep(maxDepth, "$"))
  }
  return Result.succeed(parsed.success)
}

/**
 * Parses JSON text or UTF-8 bytes into a plain JSON value, with typed errors for malformed, truncated, too deep
 * and too large input. This is the only place daemon JSON is parsed.
 *
 * **Details**
 *
 * Invalid UTF-8 becomes U+FFFD, as in Go. A byte order mark is not skipped (Go rejects it too). Nesting is checked
 * after parsing, without recursion, against `maxDepth` ({@link defaultMaxDepth} by default).
 *
 * **Gotchas**
 *
 * V8's `JSON.parse` (Node 24 and later, Deno) can silently decode an escaped object key (`"\t"`, `"\""`) as a
 * different key that an earlier parse created (nodejs/node#63785). Texts with an escape inside an object key are
 * therefore parsed by a small non-recursive parser of our own; all other texts use the native parser.
 *
 * @category decoding
 * @since 0.1.0
 */
export const parse = (
  input: string | Uint8Array,
  options?: { readonly maxDepth?: number | undefined }
): Result.Result<unknown, WireJsonError> => {
  const text = textOf(input)
  return Result.isFailure(text) ? text : parseText(text.success, options?.maxDepth ?? defaultMaxDepth)
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------------------

/**
 * Builds a reader of JSON text (or UTF-8 bytes) into `schema`'s type that returns a `Result`. Build it once and
 * reuse it: the schema's parser is compiled on the reader's first use (a module can build its readers when it is
 * loaded without slowing down the start of a program that never reads with them), then kept.
 *
 * **Details**
 *
 * Unknown keys are dropped unless `strict` is set. The error names the path, the expected type and the JSON type
 * found, never the value.
 *
 * **Example** (Reading an image list)
 *
 * ```ts
 * import { Image } from "@dockhand/models"
 * import { WireJson } from "@dockhand/codecs"
 * import * as Schema from "effect/Schema"
 *
 * const readList = WireJson.decodeResult(Schema.Array(Image.Summary))
 * const result = readList('[{"Id":"sha256:..."}]') // Result.fail: expected ... at $[0].Containers, found missing
 * ```
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeResult = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S,
  options?: DecodeOptions
): (input: string | Uint8Array) => Result.Result<S["Type"], WireJsonError> => {
  const strict = options?.strict === true
  const maxDepth = options?.maxDepth ?? defaultMaxDepth
  const compile = () => ({
    decodeValue: SchemaParser.decodeUnknownResult(schema, {
      onExcessProperty: strict ? "error" : "ignore",
      errors: options?.errors ?? (strict ? "all" : "first")
    }),
    wire: strict ? SchemaWalk.encodedAst(schema) : undefined,
    // Lenient reading of a plain (checks only) schema first tries the quick reader; what it cannot read goes to
    // Effect's parser, which gives the same value or says what is wrong.
    quick: strict ? undefined : FastReader.compile(schema.ast)
  })
  let compiled: ReturnType<typeof compile> | undefined
  return (input) => {
    const parsed = parse(input, { maxDepth })
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
    const { decodeValue, quick, wire } = compiled ??= compile()
    if (quick !== undefined) {
      const value = quick(parsed.success)
      if (value !== FastReader.noFit) return Result.succeed(value as S["Type"])
    }
    // a schema whose own code throws (a defect, not a mismatch) still gives a typed error
    const attempt = Result.try({ try: () => decodeValue(parsed.success), catch: () => undefined })
    if (Result.isFailure(attempt)) {
      return Result.fail(mismatch(schema.ast, [{ path: "$", expected: "a decodable value", found: "a defect" }]))
    }
    const decoded = attempt.success
    if (wire === undefined) {
      return Result.isSuccess(decoded)
        ? Result.succeed(decoded.success)
        : Result.fail(mismatch(schema.ast, issuesOf(decoded.failure, parsed.success)))
    }
    const issues = Result.isFailure(decoded) ? issuesOf(decoded.failure, parsed.success) : []
    for (const path of SchemaWalk.missingSpecRequired(wire, parsed.success, maxDepth)) {
      issues.push({ path: formatPath(path), expected: "the key the API spec requires", found: "missing" })
    }
    return issues.length > 0 || Result.isFailure(decoded)
      ? Result.fail(mismatch(schema.ast, issues))
      : Result.succeed(decoded.success)
  }
}

/**
 * Builds a reader of JSON text (or UTF-8 bytes) into `schema`'s type, as an Effect that fails with a
 * {@link WireJsonError}. Same behaviour as {@link decodeResult}.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S,
  options?: DecodeOptions
): (input: string | Uint8Array) => Effect.Effect<S["Type"], WireJsonError> => {
  const run = decodeResult(schema, options)
  return Effect.fn("WireJson.decode")(function*(input: string | Uint8Array) {
    return yield* Effect.fromResult(run(input))
  })
}

/**
 * Builds a reader of JSON text into `schema`'s type that throws the {@link WireJsonError}. Meant for tests and
 * scripts; library code should use {@link decode} or {@link decodeResult}.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeSync = <S extends Schema.ConstraintDecoder<unknown>>(
  schema: S,
  options?: DecodeOptions
): (input: string | Uint8Array) => S["Type"] => {
  const run = decodeResult(schema, options)
  return (input) => Result.getOrThrow(run(input))
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------------------------

const unencodable = (ast: SchemaAST.AST, issues: ReadonlyArray<WireJsonIssue>): WireJsonError => {
  const { message, shown } = capped(issues)
  return new WireJsonError({
    reason: "Unencodable",
    message: `Cannot write ${nameOf(ast)} as JSON: ${message}`,
    issues: shown
  })
}

/**
 * Builds a writer of `schema` values into JSON text exactly as the Go daemon and client write it, returning a
 * `Result`.
 *
 * **Details**
 *
 * - Struct keys come in the schema's field order (the Go struct's order); optional keys that are absent stay
 *   absent.
 * - Map keys (`Record`s) are sorted by code point, as Go sorts map keys.
 * - `<`, `>` and `&` are not escaped (the daemon turns HTML escaping off); U+2028 and U+2029 are escaped as Go
 *   always does; `-0` is written `-0`.
 * - The text ends with `"\n"` like Go's `json.Encoder`, unless `newline: false`.
 * - Values JSON cannot carry (NaN, Infinity, `undefined` array items, bigint, functions, class instances), nesting
 *   beyond `maxDepth` and values that fail the schema give a typed error.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeResult = <S extends Schema.ConstraintEncoder<unknown>>(
  schema: S,
  options?: EncodeOptions
): (value: S["Type"]) => Result.Result<string, WireJsonError> => {
  const newline = options?.newline ?? true
  const maxDepth = options?.maxDepth ?? defaultMaxDepth
  // compiled on first use, as in decodeResult
  const compile = () => ({
    encodeValue: SchemaParser.encodeUnknownResult(schema, { errors: "all" }),
    wire: SchemaWalk.encodedAst(schema)
  })
  let compiled: ReturnType<typeof compile> | undefined
  return (value) => {
    const { encodeValue, wire } = compiled ??= compile()
    const encoded = Result.try({ try: () => encodeValue(value), catch: () => undefined })
    if (Result.isFailure(encoded)) {
      return Result.fail(unencodable(schema.ast, [{ path: "$", expected: "an encodable value", found: "a defect" }]))
    }
    if (Result.isFailure(encoded.success)) {
      return Result.fail(unencodable(schema.ast, issuesOf(encoded.success.failure, value)))
    }
    const written = GoJson.write(wire, encoded.success.success, maxDepth)
    if (Result.isFailure(written)) {
      const { expected, found, kind, path } = written.failure
      return Result.fail(
        kind === "TooDeep"
          ? tooDeep(maxDepth, formatPath(path.slice(0, 8)) + (path.length > 8 ? "…" : ""))
          : unencodable(schema.ast, [{ path: formatPath(path), expected, found }])
      )
    }
    return Result.succeed(newline ? written.success + "\n" : written.success)
  }
}

/**
 * Builds a writer of `schema` values into JSON text as the Go daemon writes it, as an Effect that fails with a
 * {@link WireJsonError}. Same behaviour as {@link encodeResult}.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode = <S extends Schema.ConstraintEncoder<unknown>>(
  schema: S,
  options?: EncodeOptions
): (value: S["Type"]) => Effect.Effect<string, WireJsonError> => {
  const run = encodeResult(schema, options)
  return Effect.fn("WireJson.encode")(function*(value: S["Type"]) {
    return yield* Effect.fromResult(run(value))
  })
}

/**
 * Builds a writer of `schema` values into JSON text that throws the {@link WireJsonError}. Meant for tests and
 * scripts.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeSync = <S extends Schema.ConstraintEncoder<unknown>>(
  schema: S,
  options?: EncodeOptions
): (value: S["Type"]) => string => {
  const run = encodeResult(schema, options)
  return (value) => Result.getOrThrow(run(value))
}
