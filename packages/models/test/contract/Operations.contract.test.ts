/**
 * Contract test: every operation of the image API that dockhand calls exists in the API 1.54 spec with its method,
 * path, success status, and the parameters we send; parameters documented as "≤1.41" exist in the 1.41 spec, newer
 * ones do not. The table below is the one the client milestone builds its requests from
 * (shared/docs/engine-api-images.md §2): lift it into a shared module when that code needs it.
 */
import { assert, describe, it } from "@effect/vitest"
import { loadSpec, operationAt, refName, type SpecDocument, type SpecOperation } from "../utils/SharedSpec.ts"

/** An API version as `1.NN`; `1.41` means "1.41 or older". */
type Since = `1.${number}`

/** One operation and what we rely on it to accept. */
interface Operation {
  readonly operationId: string
  readonly method: "get" | "head" | "post" | "delete"
  readonly path: string
  /** The success status code. */
  readonly status: string
  /** Query parameters we send, with the API version that introduced each. */
  readonly query?: Readonly<Record<string, Since>>
  /** Header parameters we send (all ≤1.41). */
  readonly headers?: ReadonlyArray<string>
  /** The definition of a JSON body. */
  readonly body?: string
  /** Parameters the daemon reads but the spec leaves out, and why we send them anyway. Asserted absent. */
  readonly unspecified?: Readonly<Record<string, string>>
  /** Parameters of the 1.41 spec that the 1.54 spec dropped, though daemons still read them. */
  readonly removed?: Readonly<Record<string, string>>
}

const imageOperations: ReadonlyArray<Operation> = [
  {
    operationId: "ImageList",
    method: "get",
    path: "/images/json",
    status: "200",
    query: { all: "1.41", filters: "1.41", "shared-size": "1.42", digests: "1.41", manifests: "1.47", identity: "1.54" }
  },
  {
    operationId: "ImageBuild",
    method: "post",
    path: "/build",
    status: "200",
    query: {
      dockerfile: "1.41",
      t: "1.41",
      extrahosts: "1.41",
      remote: "1.41",
      q: "1.41",
      nocache: "1.41",
      cachefrom: "1.41",
      pull: "1.41",
      rm: "1.41",
      forcerm: "1.41",
      memory: "1.41",
      memswap: "1.41",
      cpushares: "1.41",
      cpusetcpus: "1.41",
      cpuperiod: "1.41",
      cpuquota: "1.41",
      buildargs: "1.41",
      shmsize: "1.41",
      squash: "1.41",
      labels: "1.41",
      networkmode: "1.41",
      platform: "1.41",
      target: "1.41",
      outputs: "1.41",
      version: "1.41"
    },
    headers: ["Content-type", "X-Registry-Config"],
    unspecified: {
      cpusetmems: "§7.14 read by the daemon",
      cgroupparent: "§7.14 read by the daemon",
      ulimits: "§7.14 read by the daemon",
      isolation: "§7.14 read by the daemon",
      securityopt: "§7.14 read by the daemon",
      session: "§7.14 read by the daemon (BuildKit session)",
      buildid: "§7.14 read by the daemon; the handle for /build/cancel"
    }
  },
  {
    operationId: "BuildPrune",
    method: "post",
    path: "/build/prune",
    status: "200",
    query: {
      all: "1.41",
      filters: "1.41",
      "reserved-space": "1.48",
      "max-used-space": "1.48",
      "min-free-space": "1.48"
    },
    removed: { "keep-storage": "§2.3 the only size parameter before API 1.48; the 1.54 daemon still reads it" }
  },
  {
    operationId: "ImageCreate",
    method: "post",
    path: "/images/create",
    status: "200",
    query: {
      fromImage: "1.41",
      fromSrc: "1.41",
      repo: "1.41",
      tag: "1.41",
      message: "1.41",
      changes: "1.41",
      platform: "1.41"
    },
    headers: ["X-Registry-Auth"]
  },
  {
    operationId: "ImageInspect",
    method: "get",
    path: "/images/{name}/json",
    status: "200",
    query: { manifests: "1.48", platform: "1.49" }
  },
  {
    operationId: "ImageHistory",
    method: "get",
    path: "/images/{name}/history",
    status: "200",
    query: { platform: "1.48" }
  },
  {
    operationId: "ImagePush",
    method: "post",
    path: "/images/{name}/push",
    status: "200",
    query: { tag: "1.41", platform: "1.46" },
    headers: ["X-Registry-Auth"]
  },
  {
    operationId: "ImageTag",
    method: "post",
    path: "/images/{name}/tag",
    status: "201",
    query: { repo: "1.41", tag: "1.41" }
  },
  {
    operationId: "ImageDelete",
    method: "delete",
    path: "/images/{name}",
    status: "200",
    query: { force: "1.41", noprune: "1.41", platforms: "1.50" }
  },
  {
    operationId: "ImageSearch",
    method: "get",
    path: "/images/search",
    status: "200",
    query: { term: "1.41", limit: "1.41", filters: "1.41" },
    unspecified: { "X-Registry-Auth": "§1.6 the daemon reads it for search; the Go client always sends it" }
  },
  {
    operationId: "ImagePrune",
    method: "post",
    path: "/images/prune",
    status: "200",
    query: { filters: "1.41" }
  },
  {
    operationId: "ImageCommit",
    method: "post",
    path: "/commit",
    status: "201",
    query: {
      container: "1.41",
      repo: "1.41",
      tag: "1.41",
      comment: "1.41",
      author: "1.41",
      pause: "1.41",
      changes: "1.41"
    },
    body: "ContainerConfig"
  },
  {
    operationId: "ImageGet",
    method: "get",
    path: "/images/{name}/get",
    status: "200",
    query: { platform: "1.48" }
  },
  {
    operationId: "ImageGetAll",
    method: "get",
    path: "/images/get",
    status: "200",
    query: { names: "1.41", platform: "1.48" }
  },
  {
    operationId: "ImageLoad",
    method: "post",
    path: "/images/load",
    status: "200",
    query: { quiet: "1.41", platform: "1.48" }
  },
  {
    operationId: "DistributionInspect",
    method: "get",
    path: "/distribution/{name}/json",
    status: "200",
    unspecified: { "X-Registry-Auth": "§1.6/§2.15 the daemon reads it to reach private registries" }
  },
  {
    operationId: "SystemDataUsage",
    method: "get",
    path: "/system/df",
    status: "200",
    query: { type: "1.42", verbose: "1.52" }
  },
  { operationId: "SystemPing", method: "get", path: "/_ping", status: "200" },
  { operationId: "SystemPingHead", method: "head", path: "/_ping", status: "200" },
  { operationId: "SystemVersion", method: "get", path: "/version", status: "200" },
  { operationId: "SystemAuth", method: "post", path: "/auth", status: "200", body: "AuthConfig" }
]

/** Routes the daemon serves that no spec documents. Asserted absent, so that a spec update shows. */
const undocumentedRoutes: ReadonlyArray<{ readonly method: string; readonly path: string; readonly reason: string }> = [
  { method: "post", path: "/build/cancel", reason: "§2.3 cancels a build started with `buildid`; query `id`" }
]

const paramNames = (op: SpecOperation, where: "query" | "header"): ReadonlySet<string> =>
  new Set((op.parameters ?? []).filter((p) => p.in === where).map((p) => p.name.toLowerCase()))

const allParamNames = (op: SpecOperation | undefined): ReadonlySet<string> =>
  new Set((op?.parameters ?? []).map((p) => p.name.toLowerCase()))

/** What is wrong with one operation in the 1.54 spec. */
const problems154 = (doc: SpecDocument, operation: Operation): Array<string> => {
  const op = operationAt(doc, operation.method, operation.path)
  if (op === undefined) return [`no ${operation.method.toUpperCase()} ${operation.path} in the 1.54 spec`]
  const out: Array<string> = []
  if (op.operationId !== operation.operationId) out.push(`operationId is ${op.operationId}`)
  if (op.responses[operation.status] === undefined) out.push(`no ${operation.status} response`)
  const query = paramNames(op, "query")
  for (const name of Object.keys(operation.query ?? {})) {
    if (!query.has(name.toLowerCase())) out.push(`no query parameter ${name}`)
  }
  const headers = paramNames(op, "header")
  for (const name of operation.headers ?? []) if (!headers.has(name.toLowerCase())) out.push(`no header ${name}`)
  if (operation.body !== undefined) out.push(...bodyProblems(op, operation.body, "1.54"))
  for (const name of [...Object.keys(operation.unspecified ?? {}), ...Object.keys(operation.removed ?? {})]) {
    if (allParamNames(op).has(name.toLowerCase())) out.push(`${name} is documented now: move it into the table`)
  }
  return out
}

/** What is wrong with one operation in the 1.41 spec: older parameters present, newer ones absent. */
const problems141 = (doc: SpecDocument, operation: Operation): Array<string> => {
  const op = operationAt(doc, operation.method, operation.path)
  if (op === undefined) return [`no ${operation.method.toUpperCase()} ${operation.path} in the 1.41 spec`]
  const out: Array<string> = []
  const query = paramNames(op, "query")
  for (const [name, since] of Object.entries(operation.query ?? {})) {
    const present = query.has(name.toLowerCase())
    if (since === "1.41" && !present) out.push(`1.41 spec lacks query parameter ${name} (table says ≤1.41)`)
    if (since !== "1.41" && present) out.push(`1.41 spec has query parameter ${name} (table says ${since})`)
  }
  for (const name of Object.keys(operation.removed ?? {})) {
    if (!query.has(name.toLowerCase())) out.push(`1.41 spec lacks removed parameter ${name}`)
  }
  const headers = paramNames(op, "header")
  for (const name of operation.headers ?? []) {
    if (!headers.has(name.toLowerCase())) out.push(`1.41 spec lacks header ${name}`)
  }
  if (operation.body !== undefined) out.push(...bodyProblems(op, operation.body, "1.41"))
  return out
}

const bodyProblems = (op: SpecOperation, definition: string, version: string): Array<string> => {
  const body = (op.parameters ?? []).find((p) => p.in === "body")
  const ref = body?.schema?.$ref
  return ref !== undefined && refName(ref) === definition ? [] : [`${version} body is not a ${definition}`]
}

const assertNone = (title: string, problems: ReadonlyArray<string>): void => {
  if (problems.length > 0) assert.fail(`${title}: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`)
}

describe("image API operations exist in the specs", () => {
  for (const operation of imageOperations) {
    it(`${operation.operationId}: ${operation.method.toUpperCase()} ${operation.path}`, () => {
      assertNone(operation.operationId, [
        ...problems154(loadSpec("1.54"), operation),
        ...problems141(loadSpec("1.41"), operation)
      ])
    })
  }

  it("undocumented routes are still undocumented", () => {
    const documented = undocumentedRoutes.filter((r) =>
      [loadSpec("1.54"), loadSpec("1.41")].some((doc) => operationAt(doc, r.method, r.path) !== undefined)
    )
    assertNone("undocumented routes", documented.map((r) => `${r.method.toUpperCase()} ${r.path} is in a spec now`))
  })
})
