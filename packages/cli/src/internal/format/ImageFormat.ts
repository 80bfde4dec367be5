/**
 * docker's image output: the rows of `docker image ls` (one per repository and tag, `<none>` for what is missing,
 * digests paired with tags under `--digests`), `docker history`, and the image parts of `docker system df`, each as
 * docker's formatter context (so `--format` templates see `.ID`, `.Repository`, `.CreatedSince`, …) and rendered
 * through {@link Table.render}.
 *
 * @internal
 */
import * as Ref from "@dockhand/codecs/Reference"
import type { Image } from "@dockhand/models"
import * as Result from "effect/Result"
import * as V from "./GoValue.ts"
import { ellipsis } from "./RuneWidth.ts"
import * as Table from "./Table.ts"
import * as Units from "./Units.ts"

// ---------------------------------------------------------------------------------------------------------------
// References (read by the codecs' parser, distribution/reference's grammar)
// ---------------------------------------------------------------------------------------------------------------

/** A parsed image reference: its short ("familiar") repository name and its tag and digest when present. */
export interface Reference {
  /** `busybox`, `user/app`, `127.0.0.1:5000/team/app`. */
  readonly familiarName: string
  readonly tag: string | undefined
  readonly digest: string | undefined
}

const familiar = (result: Result.Result<Ref.Reference, Ref.InvalidReference>): Reference | undefined => {
  if (Result.isFailure(result)) return undefined
  const ref = result.success
  return { familiarName: Ref.familiarName(ref), tag: ref.tag, digest: ref.digest }
}

/**
 * `reference.ParseNormalizedNamed` followed by `FamiliarName` (the codecs' {@link Ref.parseNormalized}): docker.io
 * and `library/` are dropped from the name; `undefined` when the reference is invalid (such as `<none>:<none>`).
 * {@link parseReference} gives the same answers faster for lists of tags.
 */
export const parseReferenceByGrammar = (ref: string): Reference | undefined => familiar(Ref.parseNormalized(ref))

/** The parser of this process's listings: it remembers each repository name (a list has many tags of few). */
const parseNormalized = Ref.makeNormalizedParser()

/**
 * {@link parseReferenceByGrammar}, with the work on the repository name done once per name (the codecs'
 * {@link Ref.makeNormalizedParser}): a `name:tag` reference is its remembered name and a tag checked on its own.
 */
export const parseReference = (ref: string): Reference | undefined => familiar(parseNormalized(ref))

// ---------------------------------------------------------------------------------------------------------------
// docker image ls
// ---------------------------------------------------------------------------------------------------------------

/** docker's default `image ls` table. */
export const defaultImageTableFormat =
  "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}"
/** docker's `image ls --digests` table. */
export const defaultImageTableFormatWithDigest = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t" +
  "{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}"

/** The column titles of image rows (docker's `newImageContext` header). */
export const imageHeader: Readonly<Record<string, string>> = {
  ID: "IMAGE ID",
  Repository: "REPOSITORY",
  Tag: "TAG",
  Digest: "DIGEST",
  CreatedSince: "CREATED",
  CreatedAt: "CREATED AT",
  Size: "SIZE",
  Containers: "CONTAINERS",
  VirtualSize: "SIZE",
  SharedSize: "SHARED SIZE",
  UniqueSize: "UNIQUE SIZE"
}

/**
 * docker's `NewImageFormat`: the format `image ls` uses for a `--format` value (`table`, `raw` or a template),
 * `-q` and `--digests`; a custom table format gets a digest column appended under `--digests`.
 */
export const imageListFormat = (source: string, quiet: boolean, digest: boolean): string => {
  if (source === Table.TableFormatKey) {
    return quiet ? Table.DefaultQuietFormat : digest ? defaultImageTableFormatWithDigest : defaultImageTableFormat
  }
  if (source === Table.RawFormatKey) {
    if (quiet) return "image_id: {{.ID}}"
    return "repository: {{ .Repository }}\ntag: {{.Tag}}\n" + (digest ? "digest: {{.Digest}}\n" : "") +
      "image_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n"
  }
  if (Table.isTable(source) && digest && !source.includes("{{.Digest}}")) return source + "\t{{.Digest}}"
  return source
}

/** Where ages and dates are computed from. */
export interface Clock {
  /** The current time in milliseconds since the epoch (docker's `time.Now()`). */
  readonly now: number
  /** The zone dates print in (docker uses the local zone); UTC when absent. */
  readonly timeZone?: Units.TimeZone | undefined
}

/** One line of `image ls`: an image under one repository, tag and digest. */
export interface ImageRow {
  readonly image: Image.Summary
  readonly repository: string
  readonly tag: string
  readonly digest: string
}

const isDangling = (image: Image.Summary): boolean => {
  const tags = image.RepoTags ?? []
  const digests = image.RepoDigests ?? []
  if (tags.length === 0 && digests.length === 0) return true
  return tags.length === 1 && tags[0] === "<none>:<none>" && digests.length === 1 && digests[0] === "<none>@<none>"
}

/**
 * docker's `imageFormat`: the rows for each image. A dangling image gives one `<none>` row; otherwise one row per
 * tag of each repository, paired with each of that repository's digests when digests are shown (`showDigests`, or
 * `{{.Digest}}` in the format), and a `<none>`-tagged row per repository known only by digest. docker walks Go
 * maps here, so its order of repositories varies from run to run; this keeps the order of first appearance.
 */
export const imageRows = (
  images: ReadonlyArray<Image.Summary>,
  options: { readonly showDigests: boolean; readonly format: string }
): Array<ImageRow> => {
  const needDigest = options.showDigests || options.format.includes("{{.Digest}}")
  const rows: Array<ImageRow> = []
  for (const image of images) {
    if (isDangling(image)) {
      rows.push({ image, repository: "<none>", tag: "<none>", digest: "<none>" })
      continue
    }
    const tagRefs = image.RepoTags ?? []
    const digestRefs = image.RepoDigests ?? []
    if (tagRefs.length === 1 && digestRefs.length === 0) {
      // the usual image of a local engine: one tag and no digest
      const r = parseReference(tagRefs[0]!)
      if (r?.tag !== undefined) rows.push({ image, repository: r.familiarName, tag: r.tag, digest: "<none>" })
      continue
    }
    const repoTags = new Map<string, Array<string>>()
    const repoDigests = new Map<string, Array<string>>()
    for (const ref of tagRefs) {
      const r = parseReference(ref)
      if (r?.tag === undefined) continue
      const tags = repoTags.get(r.familiarName)
      if (tags === undefined) repoTags.set(r.familiarName, [r.tag])
      else tags.push(r.tag)
    }
    for (const ref of digestRefs) {
      const r = parseReference(ref)
      if (r?.digest === undefined) continue
      const digests = repoDigests.get(r.familiarName)
      if (digests === undefined) repoDigests.set(r.familiarName, [r.digest])
      else digests.push(r.digest)
    }
    for (const [repository, tags] of repoTags) {
      const digests = needDigest ? repoDigests.get(repository) ?? [] : []
      repoDigests.delete(repository)
      for (const tag of tags) {
        if (digests.length === 0) rows.push({ image, repository, tag, digest: "<none>" })
        else for (const digest of digests) rows.push({ image, repository, tag, digest })
      }
    }
    for (const [repository, digests] of repoDigests) {
      if (options.showDigests) { for (const digest of digests) rows.push({ image, repository, tag: "<none>", digest }) }
      else rows.push({ image, repository, tag: "<none>", digest: "" })
    }
  }
  return rows
}

const goZeroTime = -62135596800

const labelsText = (labels: Readonly<Record<string, string>> | null) => V.formatValue(labels ?? {})
const stringsText = (xs: ReadonlyArray<string> | null) => V.formatValue(xs ?? [])

/**
 * docker's `imageContext` for one row, as a template value: `.ID` (short unless `trunc` is false),
 * `.Repository`, `.Tag`, `.Digest`, `.CreatedSince`, `.CreatedAt`, `.Size`, `.Containers`, `.VirtualSize`,
 * `.SharedSize`, `.UniqueSize`; `{{json .}}` gives docker's object of all of them.
 */
export const imageContext = (row: ImageRow, trunc: boolean, clock: Clock): V.Struct => {
  const i = row.image
  const zone = clock.timeZone ?? Units.utc
  const methods = {
    Containers: () => i.Containers === -1 ? "N/A" : String(i.Containers),
    CreatedAt: () => Units.goTimeString(i.Created, zone),
    CreatedSince: () => i.Created === goZeroTime ? "" : Units.timeAgo(i.Created, clock.now),
    Digest: () => row.digest,
    ID: () => trunc ? Units.truncateId(i.Id) : i.Id,
    Repository: () => row.repository,
    SharedSize: () => i.SharedSize === -1 ? "N/A" : Units.humanSize(i.SharedSize),
    Size: () => Units.humanSizeWithPrecision(i.Size, 3),
    Tag: () => row.tag,
    UniqueSize: () => i.Size === -1 || i.SharedSize === -1 ? "N/A" : Units.humanSize(i.Size - i.SharedSize),
    VirtualSize: () => Units.humanSize(i.Size)
  }
  const json = Table.methodsJson(methods)
  const summaryText = () =>
    `{${i.Containers} ${i.Created} ${i.Id} ${labelsText(i.Labels)} ${i.ParentId} ` +
    `${i.Descriptor === undefined ? "<nil>" : "0xc000000000"} ${V.formatValue(i.Manifests ?? [])} ` +
    `${stringsText(i.RepoDigests)} ${stringsText(i.RepoTags)} ${i.SharedSize} ${i.Size} ${i.VirtualSize ?? 0}}`
  return V.makeStruct({
    typeName: "*formatter.imageContext",
    fields: {
      Header: null,
      FullHeader: () => null,
      MarshalJSON: () => V.utf8Bytes(json()),
      ...methods
    },
    json,
    text: () => `{{<nil>} ${trunc} ${summaryText()} ${row.repository} ${row.tag} ${row.digest}}`
  })
}

/** What `image ls` was asked for. */
export interface ImageListOptions extends Clock {
  /** `--format`, if given. */
  readonly format?: string | undefined
  /** `imagesFormat` from the CLI's config file, used when there is no `--format` and no `-q`. */
  readonly configFormat?: string | undefined
  readonly quiet?: boolean | undefined
  readonly digests?: boolean | undefined
  readonly noTrunc?: boolean | undefined
}

/** The whole output of `docker image ls` for the images the daemon listed (in the daemon's order). */
export const formatImageList = (
  images: ReadonlyArray<Image.Summary>,
  options: ImageListOptions
): Result.Result<string, Table.FormatError> => {
  const quiet = options.quiet === true
  const digests = options.digests === true
  let source = options.format ?? ""
  if (source === "") {
    source = options.configFormat !== undefined && options.configFormat !== "" && !quiet
      ? options.configFormat
      : Table.TableFormatKey
  }
  const format = imageListFormat(source, quiet, digests)
  const trunc = options.noTrunc !== true
  const rows = imageRows(images, { showDigests: digests, format })
  if (format === defaultImageTableFormat || format === defaultImageTableFormatWithDigest) {
    const table = defaultImageTable(rows, format === defaultImageTableFormatWithDigest, trunc, options)
    if (table !== undefined) return Result.succeed(table)
  }
  // `-q`: one ID a row (a tag, or the image itself when it has none), what `{{.ID}}` prints, without the interpreter
  if (format === Table.DefaultQuietFormat) {
    let ids = ""
    for (const { image } of rows) ids += `${trunc ? Units.truncateId(image.Id) : image.Id}\n`
    return Result.succeed(ids)
  }
  return Table.render({ format, header: imageHeader, rows: rows.map((row) => imageContext(row, trunc, options)) })
}

/**
 * docker's default `image ls` table (with the digest column when `withDigest`) computed cell by cell rather than
 * through the template interpreter: the same text as rendering {@link defaultImageTableFormat} or
 * {@link defaultImageTableFormatWithDigest} over {@link imageContext}, in a fraction of the time for thousands of
 * images. `undefined` when a cell needs the general path (see {@link Table.alignColumns}).
 */
export const defaultImageTable = (
  rows: ReadonlyArray<ImageRow>,
  withDigest: boolean,
  trunc: boolean,
  clock: Clock
): string | undefined => {
  const lines: Array<ReadonlyArray<string>> = [
    withDigest
      ? ["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"]
      : ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]
  ]
  const sizes = new Map<number, string>()
  for (const { digest, image, repository, tag } of rows) {
    const id = trunc ? Units.truncateId(image.Id) : image.Id
    const created = image.Created === goZeroTime ? "N/A" : Units.timeAgo(image.Created, clock.now)
    let size = sizes.get(image.Size)
    if (size === undefined) {
      size = Units.humanSizeWithPrecision(image.Size, 3)
      sizes.set(image.Size, size)
    }
    lines.push(withDigest ? [repository, tag, digest, id, created, size] : [repository, tag, id, created, size])
  }
  return Table.alignColumns(lines)
}

// ---------------------------------------------------------------------------------------------------------------
// docker history
// ---------------------------------------------------------------------------------------------------------------

/** docker's default `history` table. */
export const defaultHistoryTableFormat = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
/** docker's `history -H=false` table. */
export const nonHumanHistoryTableFormat = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"

/** The column titles of history rows. */
export const historyHeader: Readonly<Record<string, string>> = {
  ID: "IMAGE",
  CreatedSince: "CREATED",
  CreatedAt: "CREATED AT",
  CreatedBy: "CREATED BY",
  Size: "SIZE",
  Comment: "COMMENT"
}

/** docker's `NewHistoryFormat`. */
export const historyFormat = (source: string, quiet: boolean, human: boolean): string => {
  if (source !== Table.TableFormatKey) return source
  return quiet ? Table.DefaultQuietFormat : human ? defaultHistoryTableFormat : nonHumanHistoryTableFormat
}

/** Before this time (2000-01-01) docker shows a layer's age as `N/A`. */
const historyEpoch = 946684800

/** The methods of docker's `historyContext` for one layer (see {@link historyContext}), in alphabetical order. */
const historyMethods = (item: Image.HistoryResponseItem, trunc: boolean, human: boolean, clock: Clock) => {
  const zone = clock.timeZone ?? Units.utc
  const createdAt = () => Units.goTimeRFC3339(item.Created, zone)
  return {
    Comment: () => item.Comment,
    CreatedAt: createdAt,
    CreatedBy: () => {
      const createdBy = item.CreatedBy.replaceAll("\t", " ")
      return trunc ? ellipsis(createdBy, 45) : createdBy
    },
    CreatedSince: () =>
      !human ? createdAt() : item.Created <= historyEpoch ? "N/A" : Units.timeAgo(item.Created, clock.now),
    ID: () => trunc ? Units.truncateId(item.Id) : item.Id,
    Size: () => human ? Units.humanSizeWithPrecision(item.Size, 3) : String(item.Size)
  }
}

/**
 * docker's `historyContext` for one layer: `.ID` (`<missing>` stays as is), `.CreatedSince` (`N/A` before 2000;
 * the RFC 3339 time when not `human`), `.CreatedAt`, `.CreatedBy` (tabs as spaces, cut to 45 columns with `…`
 * when `trunc`), `.Size` (human or bytes), `.Comment`.
 */
export const historyContext = (
  item: Image.HistoryResponseItem,
  trunc: boolean,
  human: boolean,
  clock: Clock
): V.Struct => {
  const methods = historyMethods(item, trunc, human, clock)
  const json = Table.methodsJson(methods)
  return V.makeStruct({
    typeName: "*image.historyContext",
    fields: { Header: null, FullHeader: () => null, MarshalJSON: () => V.utf8Bytes(json()), ...methods },
    json,
    text: () =>
      `{{<nil>} ${trunc} ${human} {${item.Comment} ${item.Created} ${item.CreatedBy} ${item.Id} ${item.Size} ` +
      `${stringsText(item.Tags)}}}`
  })
}

/** What `history` was asked for. */
export interface HistoryOptions extends Clock {
  readonly format?: string | undefined
  readonly quiet?: boolean | undefined
  /** `-H` (default true): sizes and dates in human units. */
  readonly human?: boolean | undefined
  readonly noTrunc?: boolean | undefined
}

/** The whole output of `docker history` for the layers the daemon returned. */
export const formatHistory = (
  items: ReadonlyArray<Image.HistoryResponseItem>,
  options: HistoryOptions
): Result.Result<string, Table.FormatError> => {
  const human = options.human !== false
  const source = options.format === undefined || options.format === "" ? Table.TableFormatKey : options.format
  const format = historyFormat(source, options.quiet === true, human)
  const trunc = options.noTrunc !== true
  if (format === defaultHistoryTableFormat || format === nonHumanHistoryTableFormat) {
    const table = defaultHistoryTable(items, human, trunc, options)
    if (table !== undefined) return Result.succeed(table)
  }
  return Table.render({
    format,
    header: historyHeader,
    rows: items.map((item) => historyContext(item, trunc, human, options))
  })
}

/**
 * docker's default `history` table ({@link defaultHistoryTableFormat}, or {@link nonHumanHistoryTableFormat} when not
 * `human`) computed cell by cell rather than through the template interpreter: the same text as rendering the
 * format over {@link historyContext}, without loading or running the interpreter for a plain `history`. `undefined`
 * when a cell needs the general path (see {@link Table.alignColumns}).
 */
export const defaultHistoryTable = (
  items: ReadonlyArray<Image.HistoryResponseItem>,
  human: boolean,
  trunc: boolean,
  clock: Clock
): string | undefined => {
  const lines: Array<ReadonlyArray<string>> = [[
    historyHeader["ID"]!,
    human ? historyHeader["CreatedSince"]! : historyHeader["CreatedAt"]!,
    historyHeader["CreatedBy"]!,
    historyHeader["Size"]!,
    historyHeader["Comment"]!
  ]]
  for (const item of items) {
    const cell = historyMethods(item, trunc, human, clock)
    lines.push([
      cell.ID(),
      human ? cell.CreatedSince() : cell.CreatedAt(),
      cell.CreatedBy(),
      cell.Size(),
      cell.Comment()
    ])
  }
  return Table.alignColumns(lines)
}

// ---------------------------------------------------------------------------------------------------------------
// docker system df: the image parts
// ---------------------------------------------------------------------------------------------------------------

/** docker's `system df` summary table. */
export const defaultDiskUsageTableFormat = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}"
/** docker's `system df -v` image table. */
export const defaultDiskUsageImageTableFormat =
  "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t" +
  "{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}"

/** The column titles of the `system df` summary. */
export const diskUsageHeader: Readonly<Record<string, string>> = {
  Type: "TYPE",
  TotalCount: "TOTAL",
  Active: "ACTIVE",
  Size: "SIZE",
  Reclaimable: "RECLAIMABLE"
}

/**
 * docker's `diskUsageImagesContext`: the `Images` line of `system df` (`.Type`, `.TotalCount`, `.Active`, `.Size`,
 * `.Reclaimable`), from the daemon's `LayersSize` and images.
 */
export const diskUsageImagesContext = (layersSize: number, images: ReadonlyArray<Image.Summary>): V.Struct => {
  const methods = {
    Active: () => String(images.filter((i) => i.Containers > 0).length),
    Reclaimable: () => {
      let used = 0
      for (const i of images) {
        if (i.Containers !== 0 && i.Size !== -1 && i.SharedSize !== -1) used += i.Size - i.SharedSize
      }
      const reclaimable = layersSize - used
      if (layersSize > 0) return `${Units.humanSize(reclaimable)} (${Math.trunc((reclaimable * 100) / layersSize)}%)`
      return Units.humanSize(reclaimable)
    },
    Size: () => Units.humanSize(layersSize),
    TotalCount: () => String(images.length),
    Type: () => "Images"
  }
  const json = Table.methodsJson(methods)
  return V.makeStruct({
    typeName: "*formatter.diskUsageImagesContext",
    fields: { Header: null, FullHeader: () => null, MarshalJSON: () => V.utf8Bytes(json()), ...methods },
    json
  })
}

/**
 * The image rows of `docker system df -v`: one per image under its first tag (`<none>` when it has none, left out
 * when that tag does not parse), short IDs when `trunc`.
 */
export const diskUsageImageRows = (
  images: ReadonlyArray<Image.Summary>,
  trunc: boolean,
  clock: Clock
): Array<V.Struct> => {
  const rows: Array<V.Struct> = []
  for (const image of images) {
    let repository = "<none>"
    let tag = "<none>"
    const first = image.RepoTags?.[0]
    if (first !== undefined && !isDangling(image)) {
      const r = parseReference(first)
      if (r === undefined) continue
      if (r.tag !== undefined) {
        repository = r.familiarName
        tag = r.tag
      }
    }
    rows.push(imageContext({ image, repository, tag, digest: "" }, trunc, clock))
  }
  return rows
}
