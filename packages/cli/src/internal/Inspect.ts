/**
 * `inspect` output as docker writes it: the daemon's JSON objects in a JSON array indented by four spaces, or each
 * object rendered through a `--format` Go template. Like docker, a template runs first on the typed value the docker
 * client decodes (Go field names, `{{json .Config}}` as Go encodes its struct) and, when that fails, on the raw JSON
 * with `missingkey=error` (so `{{.Id}}` works, and `{{.Nope}}` fails with `map has no entry for key "Nope"`).
 *
 * @internal
 */
import * as WireJson from "@dockhand/codecs/WireJson"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Failure from "./Failure.ts"
import * as GoTemplate from "./format/GoTemplate.ts"
import * as V from "./format/GoValue.ts"

/** Parses a raw JSON text (through the codecs, never `JSON.parse`). */
const parseOne = (raw: string) => {
  const parsed = WireJson.parse(raw)
  return Result.isSuccess(parsed)
    ? Effect.succeed(parsed.success)
    : Effect.fail(Failure.message(parsed.failure.message))
}

/**
 * The `--format` template, parsed before anything is asked of the daemon; `undefined` for the default JSON output.
 * A template that does not parse exits 64, as with docker.
 */
export const parseFormat = (
  format: Option.Option<string>
): Effect.Effect<GoTemplate.Template | undefined, Failure.CliFailure> => {
  if (Option.isNone(format) || format.value === "") return Effect.succeed(undefined)
  const template = GoTemplate.parse(format.value)
  return Result.isSuccess(template)
    ? Effect.succeed(template.success)
    : Effect.fail(Failure.message(`template parsing error: ${template.failure.message}`, 64))
}

/**
 * Indents a valid JSON text by four spaces a level, as Go's `json.Indent` does: string literals and numbers are kept
 * exactly as written (escapes included), white space between tokens is replaced, `[]` and `{}` stay on one line.
 */
export const indentJson = (text: string): string => {
  let out = ""
  let depth = 0
  const newline = () => "\n" + "    ".repeat(depth)
  const nextToken = (from: number) => {
    let i = from
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++
    return i
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === "\"") {
      let end = i + 1
      while (end < text.length && text[end] !== "\"") end += text[end] === "\\" ? 2 : 1
      out += text.slice(i, end + 1)
      i = end
    } else if (c === "{" || c === "[") {
      const next = nextToken(i + 1)
      if (text[next] === (c === "{" ? "}" : "]")) {
        out += c === "{" ? "{}" : "[]"
        i = next
      } else {
        depth++
        out += c + newline()
      }
    } else if (c === "}" || c === "]") {
      depth--
      out += newline() + c
    } else if (c === ",") out += "," + newline()
    else if (c === ":") out += ": "
    else if (!" \t\r\n".includes(c)) out += c
  }
  return out
}

/** What `inspect` prints: the output for the elements that rendered, and the errors in the order of the names. */
export interface Rendered {
  readonly output: string
  readonly errors: ReadonlyArray<string>
}

/**
 * The inspect output for `entries`, one per name asked for: the daemon's JSON text, or the error that name gave.
 * `typed` gives the value docker's client decodes a raw object into, which a template sees first.
 */
export const render = (
  entries: ReadonlyArray<Result.Result<string, string>>,
  template: GoTemplate.Template | undefined,
  typed: (raw: unknown) => unknown = (raw) => raw
): Effect.Effect<Rendered, Failure.CliFailure> =>
  Effect.gen(function*() {
    const values: Array<unknown> = []
    const errors: Array<string> = []
    let output = ""
    for (const entry of entries) {
      if (Result.isFailure(entry)) {
        errors.push(entry.failure)
        continue
      }
      const value = yield* parseOne(entry.success)
      if (template === undefined) {
        values.push(value)
        continue
      }
      const first = GoTemplate.execute(template, typed(value))
      const text = Result.isSuccess(first) ? first : GoTemplate.execute(template, value, { missingKey: "error" })
      if (Result.isFailure(text)) errors.push(`template parsing error: ${text.failure.message}`)
      else output += `${text.success}\n`
    }
    // docker prints `[]` when nothing was found, and an empty line when a template rendered nothing. The objects are
    // the daemon's own text, re-indented: its escapes (Engine 28.5 writes `<` as `\u003c`) and numbers stay as sent.
    if (template === undefined) {
      const found = entries.flatMap((entry) => (Result.isSuccess(entry) ? [entry.success] : []))
      output = values.length === 0 ? "[]\n" : `${indentJson(`[${found.join(",")}]`)}\n`
    } else if (output === "") output = "\n"
    return { output, errors }
  })

// ---------------------------------------------------------------------------------------------------------------
// The typed image: docker 28's `image.InspectResponse`
// ---------------------------------------------------------------------------------------------------------------

/** How a Go field is typed, as far as printing and JSON encoding differ. */
type Kind =
  | "string"
  | "bool"
  | "int"
  | "slice"
  | "map"
  | "time"
  | "any"
  | { readonly struct: StructType; readonly pointer: boolean }

interface FieldType {
  /** The Go field name, which templates use. */
  readonly go: string
  /** The JSON key, when it differs from the Go name. */
  readonly json?: string
  readonly omitempty?: boolean
  readonly kind: Kind
}

interface StructType {
  readonly typeName: string
  readonly fields: ReadonlyArray<FieldType>
  /** Embedded structs, printed as `{{...} {...}}` and encoded flat, their fields promoted. */
  readonly embedded?: ReadonlyArray<StructType>
}

const field = (go: string, kind: Kind, options: { json?: string; omitempty?: boolean } = {}): FieldType => ({
  go,
  kind,
  ...options
})

const record = (raw: unknown): Record<string, unknown> | undefined =>
  raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined

/** Go's `time.Time` of an RFC 3339 text: prints as `2006-01-02 15:04:05.999999999 -0700 MST`, encodes as the text. */
const timeValue = (raw: unknown): V.Struct => {
  const text = typeof raw === "string" && raw !== "" ? raw : "0001-01-01T00:00:00Z"
  const m = /^(\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text)
  const printed = m === null
    ? text
    : `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` +
      (m[7] !== undefined && /[1-9]/.test(m[7]) ? `.${m[7].replace(/0+$/, "")}` : "") +
      (m[8] === "Z" ? " +0000 UTC" : ` ${m[8]!.replace(":", "")} ${m[8]!.replace(":", "")}`)
  return V.makeStruct({
    typeName: "time.Time",
    fields: { Year: () => (m === null ? 0 : Number(m[1])), Unix: () => Math.floor(Date.parse(text) / 1000) },
    text: () => printed,
    json: () => V.jsonString(text, false)
  })
}

/** Go's zero value of a kind, for a missing key; `null` stands for a nil slice, map or pointer. */
const isEmpty = (kind: Kind, value: unknown): boolean => {
  if (value === null || value === undefined) return true
  if (kind === "string") return value === ""
  if (kind === "bool") return value === false
  if (kind === "int") return value === 0
  if (kind === "slice") return (value as Array<unknown>).length === 0
  if (kind === "map") return Object.keys(value as object).length === 0
  return false
}

/** A raw JSON value as the Go type decodes it: `null` for a missing or null slice, map or pointer. */
const decodeField = (kind: Kind, raw: unknown): unknown => {
  switch (kind) {
    case "string":
      return typeof raw === "string" ? raw : ""
    case "bool":
      return raw === true
    case "int":
      return typeof raw === "number" || typeof raw === "bigint" ? raw : 0
    case "slice":
      return Array.isArray(raw) ? raw : null
    case "map":
      return record(raw) ?? null
    case "time":
      return timeValue(raw)
    case "any":
      return raw === undefined ? null : raw
    default:
      return kind.pointer && record(raw) === undefined ? null : structValue(kind.struct, record(raw) ?? {})
  }
}

/** What a template sees for a field: a nil slice prints `[]` and a nil map `map[]`, as in Go. */
const templateField = (kind: Kind, value: unknown): unknown =>
  value === null ? (kind === "slice" ? [] : kind === "map" ? {} : null) : value

const encodeField = (value: unknown): string => {
  const encoded = V.encodeJson(value, false)
  return encoded instanceof V.JsonUnsupported ? "null" : encoded
}

/** All fields of a struct type, embedded ones promoted, in declaration order. */
const allFields = (type: StructType): ReadonlyArray<FieldType> => [
  ...(type.embedded ?? []).flatMap(allFields),
  ...type.fields
]

/** A Go struct value of `type` decoded from a raw JSON object. */
const structValue = (type: StructType, raw: Record<string, unknown>): V.Struct => {
  const decoded = allFields(type).map((f) => [f, decodeField(f.kind, raw[f.json ?? f.go])] as const)
  const json = () =>
    "{" +
    decoded
      .filter(([f, value]) => !(f.omitempty === true && isEmpty(f.kind, value)))
      .map(([f, value]) => `${V.jsonString(f.json ?? f.go, false)}:${encodeField(value)}`)
      .join(",") +
    "}"
  const fields: Record<string, unknown> = {}
  for (const [f, value] of decoded) fields[f.go] = templateField(f.kind, value)
  const embedded = type.embedded ?? []
  for (const inner of embedded) fields[inner.typeName.replace(/^.*\./, "")] = structValue(inner, raw)
  return V.makeStruct({
    typeName: type.typeName,
    fields,
    json,
    ...(embedded.length === 0 ? {} : {
      text: () =>
        "{" +
        [
          ...embedded.map((inner) => V.formatValue(structValue(inner, raw))),
          ...type.fields.map((f) => V.formatValue(fields[f.go]))
        ].join(" ") +
        "}"
    })
  })
}

const ociImageConfig: StructType = {
  typeName: "v1.ImageConfig",
  fields: [
    field("User", "string", { omitempty: true }),
    field("ExposedPorts", "map", { omitempty: true }),
    field("Env", "slice", { omitempty: true }),
    field("Entrypoint", "slice", { omitempty: true }),
    field("Cmd", "slice", { omitempty: true }),
    field("Volumes", "map", { omitempty: true }),
    field("WorkingDir", "string", { omitempty: true }),
    field("Labels", "map", { omitempty: true }),
    field("StopSignal", "string", { omitempty: true }),
    field("ArgsEscaped", "bool", { omitempty: true })
  ]
}

const dockerImageConfigExt: StructType = {
  typeName: "v1.DockerOCIImageConfigExt",
  fields: [
    field("Healthcheck", "any", { omitempty: true }),
    field("OnBuild", "slice", { omitempty: true }),
    field("Shell", "slice", { omitempty: true })
  ]
}

/** `*v1.DockerOCIImageConfig` (github.com/moby/docker-image-spec): the OCI image config plus docker's extensions. */
const dockerImageConfig: StructType = {
  typeName: "*v1.DockerOCIImageConfig",
  fields: [],
  embedded: [ociImageConfig, dockerImageConfigExt]
}

/** `*container.Config`: the deprecated `ContainerConfig` that Engine 20.10 still sends. */
const containerConfig: StructType = {
  typeName: "*container.Config",
  fields: [
    field("Hostname", "string"),
    field("Domainname", "string"),
    field("User", "string"),
    field("AttachStdin", "bool"),
    field("AttachStdout", "bool"),
    field("AttachStderr", "bool"),
    field("ExposedPorts", "map", { omitempty: true }),
    field("Tty", "bool"),
    field("OpenStdin", "bool"),
    field("StdinOnce", "bool"),
    field("Env", "slice"),
    field("Cmd", "slice"),
    field("Healthcheck", "any", { omitempty: true }),
    field("ArgsEscaped", "bool", { omitempty: true }),
    field("Image", "string"),
    field("Volumes", "map"),
    field("WorkingDir", "string"),
    field("Entrypoint", "slice"),
    field("NetworkDisabled", "bool", { omitempty: true }),
    field("MacAddress", "string", { omitempty: true }),
    field("OnBuild", "slice"),
    field("Labels", "map"),
    field("StopSignal", "string", { omitempty: true }),
    field("StopTimeout", "any", { omitempty: true }),
    field("Shell", "slice", { omitempty: true })
  ]
}

/** docker CLI 28's `image.InspectResponse`, field by field. */
const inspectResponse: StructType = {
  typeName: "image.InspectResponse",
  fields: [
    field("ID", "string", { json: "Id" }),
    field("RepoTags", "slice"),
    field("RepoDigests", "slice"),
    field("Parent", "string"),
    field("Comment", "string"),
    field("Created", "string", { omitempty: true }),
    field("Container", "string", { omitempty: true }),
    field("ContainerConfig", { struct: containerConfig, pointer: true }, { omitempty: true }),
    field("DockerVersion", "string"),
    field("Author", "string"),
    field("Config", { struct: dockerImageConfig, pointer: true }),
    field("Architecture", "string"),
    field("Variant", "string", { omitempty: true }),
    field("Os", "string"),
    field("OsVersion", "string", { omitempty: true }),
    field("Size", "int"),
    field("VirtualSize", "int", { omitempty: true }),
    field("GraphDriver", {
      struct: { typeName: "storage.DriverData", fields: [field("Data", "map"), field("Name", "string")] },
      pointer: false
    }),
    field("RootFS", {
      struct: {
        typeName: "image.RootFS",
        fields: [field("Type", "string"), field("Layers", "slice", { omitempty: true })]
      },
      pointer: false
    }),
    field("Metadata", {
      struct: { typeName: "image.Metadata", fields: [field("LastTagTime", "time")] },
      pointer: false
    }),
    field("Descriptor", "any", { omitempty: true }),
    field("Manifests", "slice", { omitempty: true })
  ]
}

/** The value docker's client decodes an image's inspect JSON into, for templates. */
export const imageInspectResponse = (raw: unknown): unknown => structValue(inspectResponse, record(raw) ?? {})
