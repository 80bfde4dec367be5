/**
 * Access to the pinned Docker Engine OpenAPI specs and the moby fixtures, which live outside the repository in
 * `shared/` (a sibling of the clone: `<parent>/main` and `<parent>/shared`). Nothing here is copied into the repo.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"

// ---------------------------------------------------------------------------------------------------------------
// the Swagger 2 documents, as far as the contract tests read them
// ---------------------------------------------------------------------------------------------------------------

/** A Swagger 2 schema object. */
export interface SpecNode {
  readonly $ref?: string
  readonly type?: string
  readonly format?: string
  readonly enum?: ReadonlyArray<unknown>
  readonly items?: SpecNode
  readonly properties?: Readonly<Record<string, SpecNode>>
  readonly additionalProperties?: SpecNode | boolean
  readonly required?: ReadonlyArray<string>
  readonly example?: unknown
  readonly "x-nullable"?: boolean
  readonly "x-go-type"?: { readonly type?: string }
}

/** A parameter of an operation. */
export interface SpecParameter {
  readonly name: string
  readonly in: "query" | "header" | "path" | "body" | "formData"
  readonly required?: boolean
  readonly schema?: SpecNode
}

/** A response of an operation. */
export interface SpecResponse {
  readonly schema?: SpecNode
  readonly examples?: Readonly<Record<string, unknown>>
}

/** An operation (one method of one path). */
export interface SpecOperation {
  readonly operationId?: string
  readonly parameters?: ReadonlyArray<SpecParameter>
  readonly responses: Readonly<Record<string, SpecResponse>>
}

/** A parsed spec. */
export interface SpecDocument {
  readonly info: { readonly version: string }
  readonly definitions: Readonly<Record<string, SpecNode>>
  readonly paths: Readonly<Record<string, Readonly<Record<string, SpecOperation>>>>
}

/** The two API versions we hold a spec for. */
export type ApiVersion = "1.54" | "1.41"

const specFiles: Record<ApiVersion, string> = {
  "1.54": "engine-api.yaml",
  "1.41": "engine-api-v1.41.yaml"
}

// ---------------------------------------------------------------------------------------------------------------
// locating shared/
// ---------------------------------------------------------------------------------------------------------------

const marker = path.join("spec", "engine-api.yaml")

/**
 * The `shared/` folder: `$DOCKHAND_SHARED_DIR` if set, otherwise the first `shared/` next to this file or one of
 * its parent folders (locally `/work/shared` beside `/work/main`; in CI beside the clone).
 */
export const sharedDir = (): string => {
  const fromEnv = process.env["DOCKHAND_SHARED_DIR"]
  if (fromEnv !== undefined && fromEnv !== "") {
    if (existsSync(path.join(fromEnv, marker))) return fromEnv
    throw new Error(`DOCKHAND_SHARED_DIR=${fromEnv} has no ${marker}`)
  }
  const tried: Array<string> = []
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(dir, "shared")
    tried.push(candidate)
    if (existsSync(path.join(candidate, marker))) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new Error(
    `Cannot find the shared specs (${marker}). The contract tests expect the folder "shared/" as a sibling of the ` +
      `repository clone, or DOCKHAND_SHARED_DIR pointing at it. Looked in:\n  ${tried.join("\n  ")}`
  )
}

const cache = new Map<ApiVersion, SpecDocument>()

/** The parsed spec of one API version (parsed once per test file). */
export const loadSpec = (version: ApiVersion): SpecDocument => {
  const cached = cache.get(version)
  if (cached !== undefined) return cached
  const file = path.join(sharedDir(), "spec", specFiles[version])
  const doc = parse(readFileSync(file, "utf8")) as SpecDocument
  if (doc.info.version !== version) throw new Error(`${file} declares API ${doc.info.version}, expected ${version}`)
  cache.set(version, doc)
  return doc
}

/** The folder of one fixture set under `shared/fixtures/moby/`. */
export const fixtureDir = (set: string): string => path.join(sharedDir(), "fixtures", "moby", set)

/** The `.json` files of one fixture set, sorted by name. */
export const fixtureFiles = (set: string): ReadonlyArray<string> =>
  readdirSync(fixtureDir(set)).filter((f) => f.endsWith(".json")).sort()

/** The parsed content of one fixture file. */
export const readFixture = (set: string, file: string): unknown =>
  JSON.parse(readFileSync(path.join(fixtureDir(set), file), "utf8"))

// ---------------------------------------------------------------------------------------------------------------
// navigating a spec
// ---------------------------------------------------------------------------------------------------------------

/** Where a schema sits in a spec: a definition or a response, then optionally a walk into it. */
export type SpecLocation =
  | { readonly definition: string; readonly at?: ReadonlyArray<string> }
  | {
    readonly method: string
    readonly path: string
    readonly status: string
    readonly at?: ReadonlyArray<string>
  }

/** Path segments: a property name, `[]` for array items, `{}` for map values. */
export const ITEMS = "[]"
/** See {@link ITEMS}. */
export const VALUES = "{}"

/** The definition name of a local `$ref` such as `#/definitions/ImageSummary`. */
export const refName = (ref: string): string => ref.replace(/^#\/definitions\//, "")

/** Follows `$ref`s to the schema they point at. */
export const resolve = (doc: SpecDocument, node: SpecNode): SpecNode => {
  let current = node
  for (let hops = 0; current.$ref !== undefined; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${node.$ref}`)
    const target = doc.definitions[refName(current.$ref)]
    if (target === undefined) throw new Error(`dangling $ref ${current.$ref}`)
    current = target
  }
  return current
}

/** Walks from a schema into a property, the items (`[]`) or the map values (`{}`); undefined if absent. */
export const walk = (doc: SpecDocument, node: SpecNode, at: ReadonlyArray<string>): SpecNode | undefined => {
  let current: SpecNode | undefined = node
  for (const segment of at) {
    if (current === undefined) return undefined
    const resolved: SpecNode = resolve(doc, current)
    current = segment === ITEMS
      ? resolved.items
      : segment === VALUES
      ? typeof resolved.additionalProperties === "object" ? resolved.additionalProperties : undefined
      : resolved.properties?.[segment]
  }
  return current
}

/** The operation at a method and path, if the spec has it. */
export const operationAt = (doc: SpecDocument, method: string, route: string): SpecOperation | undefined =>
  doc.paths[route]?.[method.toLowerCase()]

/** The response of a location that names one. */
export const responseAt = (doc: SpecDocument, location: SpecLocation): SpecResponse | undefined =>
  "definition" in location ? undefined : operationAt(doc, location.method, location.path)?.responses[location.status]

/** The schema at a location; throws when the spec has no such thing (a broken mapping table). */
export const schemaAt = (doc: SpecDocument, location: SpecLocation): SpecNode => {
  const base = "definition" in location ? doc.definitions[location.definition] : responseAt(doc, location)?.schema
  const node = base === undefined ? undefined : walk(doc, base, location.at ?? [])
  if (node === undefined) throw new Error(`API ${doc.info.version} spec has no schema at ${describeLocation(location)}`)
  return node
}

/** A location as text, e.g. `ImageInspect.RootFS` or `GET /images/search 200[]`. */
export const describeLocation = (location: SpecLocation): string => {
  const head = "definition" in location
    ? location.definition
    : `${location.method.toUpperCase()} ${location.path} ${location.status}`
  return joinPath(head, location.at ?? [])
}

/** Joins path segments for messages: `A.b[].c{}`. */
export const joinPath = (head: string, segments: ReadonlyArray<string>): string =>
  segments.reduce((acc, s) => (s === ITEMS || s === VALUES ? acc + s : `${acc}.${s}`), head)
