/**
 * What an editor shows for the results of the image calls: the models' names (`readonly Summary[]`), not their
 * structure spelled out over 40 lines. The TypeScript compiler prints the types of a small program using the Effect
 * API and the promise entry, as a hover would; and the named model types are the schemas' decoded types.
 */
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import type * as Schema from "effect/Schema"
import * as path from "node:path"
import ts from "typescript"
import { Build, Image, JsonMessage, Oci, Registry } from "../../models/src/index.ts"

const root = path.resolve(import.meta.dirname, "../../..")

/** The program whose types are printed; it is type-checked with the repository's test settings. */
const probe = `
import { Images } from "@dockhand/client"
import { createClient } from "@dockhand/client/promise"
import type { Image } from "@dockhand/models"

declare const images: Images.Service
export const listed = images.list()
export const inspected = images.inspect("busybox")
export const history = images.history("busybox")
export const removed = images.remove("busybox")
export const pruned = images.prune()
export const searched = images.search("busybox")

const docker = createClient()
export const promisedList = docker.images.list()
export const promisedInspect = docker.images.inspect("busybox")
export const promisedHistory = docker.images.history("busybox")
export const promisedRemove = docker.images.remove("busybox")
export const promisedPrune = docker.images.prune()

declare const summary: Image.Summary
export const manifests = summary.Manifests
`

/** The printed type of every exported constant of {@link probe}, by name. */
const printedTypes = (): Readonly<Record<string, string>> => {
  const config = ts.readConfigFile(path.join(root, "tsconfig.test.json"), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  const file = path.join(root, "packages/client/test/hover-probe.ts")
  const host = ts.createCompilerHost(parsed.options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, version, onError, create) =>
    path.resolve(name) === file
      ? ts.createSourceFile(name, probe, version)
      : getSourceFile(name, version, onError, create)
  host.fileExists = ((exists) => (name: string) => path.resolve(name) === file || exists(name))(host.fileExists)
  const program = ts.createProgram([file], { ...parsed.options, noEmit: true }, host)
  const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(file))
  assert.deepStrictEqual(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), [])
  const checker = program.getTypeChecker()
  const printed: Record<string, string> = {}
  ts.forEachChild(program.getSourceFile(file)!, (node) => {
    if (!ts.isVariableStatement(node)) return
    for (const declaration of node.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue
      const type = checker.getTypeAtLocation(declaration.name)
      printed[declaration.name.text] = checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation)
    }
  })
  return printed
}

describe("hover types", () => {
  it("the image calls' results show the models' names, on the Effect API and the promise entry", () => {
    const printed = printedTypes()
    assert.deepStrictEqual(
      {
        listed: printed["listed"],
        inspected: printed["inspected"],
        history: printed["history"],
        removed: printed["removed"],
        pruned: printed["pruned"],
        searched: printed["searched"],
        promisedList: printed["promisedList"],
        promisedInspect: printed["promisedInspect"],
        promisedHistory: printed["promisedHistory"],
        promisedRemove: printed["promisedRemove"],
        promisedPrune: printed["promisedPrune"]
      },
      {
        listed: "Effect<readonly Summary[], DockerError, never>",
        inspected: "Effect<InspectResponse, DockerError, never>",
        history: "Effect<readonly HistoryResponseItem[], DockerError, never>",
        removed: "Effect<readonly DeleteResponse[], DockerError, never>",
        pruned: "Effect<PruneReport, DockerError, never>",
        searched: "Effect<readonly SearchResult[], DockerError, never>",
        promisedList: "Promise<readonly Summary[]>",
        promisedInspect: "Promise<InspectResponse>",
        promisedHistory: "Promise<readonly HistoryResponseItem[]>",
        promisedRemove: "Promise<readonly DeleteResponse[]>",
        promisedPrune: "Promise<PruneReport>"
      }
    )
  }, 120_000)

  it("the named model types are the schemas' decoded types", () => {
    expectTypeOf<Image.Summary>().toEqualTypeOf<Schema.Schema.Type<typeof Image.Summary>>()
    expectTypeOf<Image.InspectResponse>().toEqualTypeOf<Schema.Schema.Type<typeof Image.InspectResponse>>()
    expectTypeOf<Image.HistoryResponseItem>().toEqualTypeOf<Schema.Schema.Type<typeof Image.HistoryResponseItem>>()
    expectTypeOf<Image.DeleteResponse>().toEqualTypeOf<Schema.Schema.Type<typeof Image.DeleteResponse>>()
    expectTypeOf<Image.PruneReport>().toEqualTypeOf<Schema.Schema.Type<typeof Image.PruneReport>>()
    expectTypeOf<Image.ManifestSummary>().toEqualTypeOf<Schema.Schema.Type<typeof Image.ManifestSummary>>()
    expectTypeOf<Oci.Descriptor>().toEqualTypeOf<Schema.Schema.Type<typeof Oci.Descriptor>>()
    expectTypeOf<Oci.Platform>().toEqualTypeOf<Schema.Schema.Type<typeof Oci.Platform>>()
    expectTypeOf<Registry.SearchResult>().toEqualTypeOf<Schema.Schema.Type<typeof Registry.SearchResult>>()
    expectTypeOf<JsonMessage.Message>().toEqualTypeOf<Schema.Schema.Type<typeof JsonMessage.Message>>()
    expectTypeOf<Build.CachePruneReport>().toEqualTypeOf<Schema.Schema.Type<typeof Build.CachePruneReport>>()
  })
})
