/**
 * `image ls --tree`: the image list as docker CLI 28.5 draws it (`cli/command/image/tree.go`): an experimental
 * warning, a legend (`Info ->  U In Use`), a header whose titles are always bold, then each image (its names, its ID,
 * disk usage, content size and an "in use" mark) with its platform variants below it (`├─ linux/amd64`), the ones
 * not present locally faint. Colours only to a terminal (docker's header excepted); docker ignores `NO_COLOR` here.
 *
 * @internal
 */
import type { Image, Oci } from "@dockhand/models"
import * as ControlChars from "../ControlChars.ts"
import { stringWidth } from "./RuneWidth.ts"
import { humanSizeWithPrecision, truncateId } from "./Units.ts"

/** Where the tree goes: a terminal (colours, its width) or a pipe (plain, 80 columns). */
export interface TreeOptions {
  /** Whether dangling images are shown (`-a`); without it they are dropped, as docker drops them. */
  readonly all: boolean
  readonly isTerminal: boolean
  /** The terminal's width in columns (ignored for a pipe). */
  readonly columns?: number | undefined
}

/** The warning docker 28.5 prints first. */
export const WARNING = "WARNING: This is an experimental feature. The output may change and shouldn't be depended on."

// aec's SGR sequences as docker composes them: each colour's codes one after the other, then the text, then a reset.
const RESET = "\x1b[0m"
const sgr = (...codes: ReadonlyArray<number | string>) => codes.map((code) => `\x1b[${code}m`).join("")
const paint = (codes: string) => (text: string) => codes + text + RESET
const plain = (text: string) => text
const TITLE = paint(sgr(39, 1))
const WARNING_COLOR = paint(sgr(93))
const TOP_NAME = paint(sgr(34, 1))
const SECONDARY = paint(sgr(39))
const TERTIARY = paint(sgr(39, 2))
const FAINT_SECONDARY = paint(sgr(39, 2))
const INFO_FANCY = sgr(1) + paint(sgr(106))(paint(sgr(30))("i")) + " " + paint(sgr(96))("Info → ") + RESET
const INFO_PLAIN = " Info -> "
const CHIP_FANCY = sgr("38;5;0") + sgr("48;5;14") + " U " + RESET
const COLUMN_SPACING = "   "

interface Details {
  readonly id: string
  readonly diskUsage: string
  readonly inUse: boolean
  readonly contentSize: string
}

interface Child {
  readonly platform: string
  readonly available: boolean
  readonly details: Details
}

interface Top {
  readonly names: ReadonlyArray<string>
  readonly details: Details
  readonly children: ReadonlyArray<Child>
  readonly created: number
}

type Align = "left" | "right"

interface Column {
  readonly title: string
  readonly width: number
  readonly align: Align
  readonly value?: ((details: Details) => string) | undefined
  /** A colour of its own (the chips column: none), instead of the row's. */
  readonly color?: ((text: string) => string) | undefined
}

/** containerd's `platforms.Format`: `os/arch/variant` without the empty parts, `unknown` without an OS. */
export const formatPlatform = (platform: Oci.Platform): string =>
  platform.os === "" ? "unknown" : [platform.os, platform.architecture, platform.variant ?? ""]
    .filter((part) => part !== "")
    .join("/")

/** Go's `formatter.isDangling`: no tags and no digests (or only the `<none>` placeholders). */
const isDangling = (image: Image.Summary): boolean => {
  const tags = image.RepoTags ?? []
  const digests = image.RepoDigests ?? []
  if (tags.length === 0 && digests.length === 0) return true
  return tags.length === 1 && tags[0] === "<none>:<none>" && digests.length === 1 && digests[0] === "<none>@<none>"
}

/** docker's column width measure: display width with SGR sequences (ESC … `m`) left out. */
const width = (text: string): number => stringWidth(text.includes("\x1b") ? text.replace(/\x1b[^m]*m/g, "") : text)

/**
 * docker's `tui.Ellipsis`: keeps `length - 1` characters and adds `…` once the text reaches `length` characters
 * (a length of 0 keeps everything), SGR sequences kept.
 */
const ellipsis = (text: string, length: number): string => {
  let out = ""
  let count = 0
  let inEscape = false
  let tooLong = false
  for (const ch of text) {
    if (ch === "\x1b") {
      out += ch
      inEscape = true
      continue
    }
    if (inEscape) {
      out += ch
      if (ch === "m") {
        inEscape = false
        if (tooLong) break
      }
      continue
    }
    count += 1
    if (count === length) tooLong = true
    if (!tooLong) out += ch
  }
  return tooLong ? out + "…" : out
}

const cell = (column: Column, color: (text: string) => string, text: string): string => {
  const length = width(text)
  if (length > column.width) return color(ellipsis(text, column.width))
  const fill = " ".repeat(column.width - length)
  return column.align === "right" ? fill + color(text) : color(text) + fill
}

/** Builds docker's view of the list: dangling images dropped (without `-a`), newest first. */
const view = (list: ReadonlyArray<Image.Summary>, all: boolean) => {
  let spacing = false
  const tops: Array<Top> = []
  for (const image of list) {
    if (!all && isDangling(image)) continue
    let inUse = image.Containers > 0
    let content = 0
    const children: Array<Child> = []
    for (const manifest of image.Manifests ?? []) {
      content += manifest.Size.Content
      if (manifest.Kind !== "image") continue
      const used = (manifest.ImageData?.Containers ?? []).length > 0
      if (used) inUse = true
      children.push({
        platform: manifest.ImageData === undefined ? "unknown" : formatPlatform(manifest.ImageData.Platform),
        available: manifest.Available,
        details: {
          id: manifest.ID,
          diskUsage: humanSizeWithPrecision(manifest.Size.Total, 3),
          inUse: used,
          contentSize: humanSizeWithPrecision(manifest.Size.Content, 3)
        }
      })
      spacing = true
    }
    tops.push({
      names: image.RepoTags ?? [],
      details: {
        id: image.Id,
        diskUsage: humanSizeWithPrecision(image.Size, 3),
        inUse,
        contentSize: humanSizeWithPrecision(content, 3)
      },
      children,
      created: image.Created
    })
  }
  return { images: goSortSlice(tops, (a, b) => a.created > b.created), spacing }
}

/** The tree as docker CLI 28.5 prints it for `list` (the engine's answer with `manifests=1`). */
export const formatImageTree = (list: ReadonlyArray<Image.Summary>, options: TreeOptions): string => {
  const { images, spacing } = view(list, options.all)
  const term = options.isTerminal
  // Text from the daemon (names, platforms) is escaped for a terminal; docker's own codes are not.
  const safe = term ? ControlChars.escape : plain
  let screen = term ? options.columns ?? 0 : 0
  if (screen === 0) screen = 80
  if (screen < 20) screen = 20
  const topName = term ? TOP_NAME : plain
  const normal = term ? SECONDARY : plain
  const faint = term ? FAINT_SECONDARY : plain
  const untagged = term ? TERTIARY : plain
  const anyInUse = images.some((image) => image.details.inUse || image.children.some((child) => child.details.inUse))
  const chip = term ? CHIP_FANCY : "U"
  const placeholder = term ? "   " : " "

  const out: Array<string> = []
  out.push((term ? WARNING_COLOR : plain)(WARNING), "\n")
  const legend = (term ? INFO_FANCY : INFO_PLAIN) + " " + chip + " In Use "
  out.push(" ".repeat(Math.max(0, screen - width(legend))) + legend, "\n\n")

  let columns: Array<Column> = [
    { title: "Image", width: 0, align: "left" },
    { title: "ID", width: 12, align: "left", value: (d) => truncateId(d.id) },
    { title: "Disk usage", width: 10, align: "right", value: (d) => d.diskUsage },
    { title: "Content size", width: 12, align: "right", value: (d) => d.contentSize },
    {
      title: "Extra",
      width: Math.max("Extra".length, anyInUse ? width(chip) : 0),
      align: "left",
      color: plain,
      value: (d) => anyInUse ? (d.inUse ? chip : placeholder) : ""
    }
  ]
  // The first column gets what the others leave (columns that would leave it under 12 are dropped), at most the
  // widest name or platform (counted in bytes, as docker counts them).
  let nameWidth = screen
  for (let i = 1; i < columns.length; i++) {
    const needed = columns[i]!.width + COLUMN_SPACING.length
    if (nameWidth - needed < 12) {
      columns = columns.slice(0, i)
      break
    }
    nameWidth -= needed
  }
  let widest = "Image".length
  for (const image of images) {
    for (const name of image.names) widest = Math.max(widest, Buffer.byteLength(name))
    for (const child of image.children) widest = Math.max(widest, Buffer.byteLength(child.platform) + 7)
  }
  columns[0] = { ...columns[0]!, width: Math.min(nameWidth, widest) }

  out.push(columns.map((column) => cell(column, TITLE, column.title.toUpperCase())).join(COLUMN_SPACING), "\n")

  const details = (color: (text: string) => string, d: Details) => {
    for (const column of columns) {
      if (column.value !== undefined) out.push(COLUMN_SPACING, cell(column, column.color ?? color, column.value(d)))
    }
  }
  for (const image of images) {
    if (image.names.length === 0) out.push(cell(columns[0]!, untagged, "<untagged>"))
    const names = stableByLengthDescending(image.names.map(safe))
    names.forEach((name, i) => {
      if (i < names.length - 1) out.push(topName(ellipsis(name, term ? options.columns ?? 0 : 0)), "\n")
      else out.push(cell(columns[0]!, topName, name))
    })
    details(normal, image.details)
    if (image.children.length > 0 || spacing) out.push("\n")
    image.children.forEach((child, i) => {
      const color = child.available ? normal : faint
      const branch = i === image.children.length - 1 ? "└─ " : "├─ "
      out.push(cell(columns[0]!, color, branch + safe(child.platform)))
      details(color, child.details)
      out.push("\n")
    })
    out.push("\n")
  }
  return out.join("")
}

/** docker sorts names longest first with `sort.Slice`, which is an insertion sort (stable) for up to 12 names. */
const stableByLengthDescending = (names: ReadonlyArray<string>): ReadonlyArray<string> =>
  goSortSlice([...names], (a, b) => a.length > b.length)

/**
 * Go's `sort.Slice` (pattern-defeating quicksort, `zsortfunc.go`): the same order as docker's for ties too, which a
 * stable sort would not give beyond 12 elements.
 */
export const goSortSlice = <A>(items: Array<A>, less: (a: A, b: A) => boolean): Array<A> => {
  const n = items.length
  const limit = n === 0 ? 0 : 32 - Math.clz32(n)
  pdqsort(items, less, 0, n, limit)
  return items
}

const swap = <A>(data: Array<A>, i: number, j: number) => {
  const t = data[i]!
  data[i] = data[j]!
  data[j] = t
}

const insertionSort = <A>(data: Array<A>, less: (a: A, b: A) => boolean, a: number, b: number) => {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && less(data[j]!, data[j - 1]!); j--) swap(data, j, j - 1)
  }
}

const siftDown = <A>(data: Array<A>, less: (a: A, b: A) => boolean, lo: number, hi: number, first: number) => {
  let root = lo
  for (;;) {
    let child = 2 * root + 1
    if (child >= hi) return
    if (child + 1 < hi && less(data[first + child]!, data[first + child + 1]!)) child++
    if (!less(data[first + root]!, data[first + child]!)) return
    swap(data, first + root, first + child)
    root = child
  }
}

const heapSort = <A>(data: Array<A>, less: (a: A, b: A) => boolean, a: number, b: number) => {
  const first = a
  const hi = b - a
  for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) siftDown(data, less, i, hi, first)
  for (let i = hi - 1; i >= 0; i--) {
    swap(data, first, first + i)
    siftDown(data, less, 0, i, first)
  }
}

const pdqsort = <A>(data: Array<A>, less: (a: A, b: A) => boolean, a0: number, b0: number, limit0: number) => {
  let a = a0
  let b = b0
  let limit = limit0
  const maxInsertion = 12
  let wasBalanced = true
  let wasPartitioned = true
  for (;;) {
    const length = b - a
    if (length <= maxInsertion) {
      insertionSort(data, less, a, b)
      return
    }
    if (limit === 0) {
      heapSort(data, less, a, b)
      return
    }
    if (!wasBalanced) {
      breakPatterns(data, a, b)
      limit--
    }
    let [pivot, hint] = choosePivot(data, less, a, b)
    if (hint === DECREASING) {
      reverseRange(data, a, b)
      pivot = b - 1 - (pivot - a)
      hint = INCREASING
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING) {
      if (partialInsertionSort(data, less, a, b)) return
    }
    if (a > 0 && !less(data[a - 1]!, data[pivot]!)) {
      const mid = partitionEqual(data, less, a, b, pivot)
      a = mid
      continue
    }
    const [mid, alreadyPartitioned] = partition(data, less, a, b, pivot)
    wasPartitioned = alreadyPartitioned
    const leftLen = mid - a
    const rightLen = b - mid
    const balanceThreshold = length >> 3
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold
      pdqsort(data, less, a, mid, limit)
      a = mid + 1
    } else {
      wasBalanced = rightLen >= balanceThreshold
      pdqsort(data, less, mid + 1, b, limit)
      b = mid
    }
  }
}

const partition = <A>(
  data: Array<A>,
  less: (a: A, b: A) => boolean,
  a: number,
  b: number,
  pivot: number
): [number, boolean] => {
  swap(data, a, pivot)
  let i = a + 1
  let j = b - 1
  while (i <= j && less(data[i]!, data[a]!)) i++
  while (i <= j && !less(data[j]!, data[a]!)) j--
  if (i > j) {
    swap(data, j, a)
    return [j, true]
  }
  swap(data, i, j)
  i++
  j--
  for (;;) {
    while (i <= j && less(data[i]!, data[a]!)) i++
    while (i <= j && !less(data[j]!, data[a]!)) j--
    if (i > j) break
    swap(data, i, j)
    i++
    j--
  }
  swap(data, j, a)
  return [j, false]
}

const partitionEqual = <A>(data: Array<A>, less: (a: A, b: A) => boolean, a: number, b: number, pivot: number) => {
  swap(data, a, pivot)
  let i = a + 1
  let j = b - 1
  for (;;) {
    while (i <= j && !less(data[a]!, data[i]!)) i++
    while (i <= j && less(data[a]!, data[j]!)) j--
    if (i > j) break
    swap(data, i, j)
    i++
    j--
  }
  return i
}

const partialInsertionSort = <A>(data: Array<A>, less: (a: A, b: A) => boolean, a: number, b: number): boolean => {
  const maxSteps = 5
  const shortestShifting = 50
  let i = a + 1
  for (let j = 0; j < maxSteps; j++) {
    while (i < b && !less(data[i]!, data[i - 1]!)) i++
    if (i === b) return true
    if (b - a < shortestShifting) return false
    swap(data, i, i - 1)
    if (i - a >= 2) {
      for (let k = i - 1; k >= 1; k--) {
        if (!less(data[k]!, data[k - 1]!)) break
        swap(data, k, k - 1)
      }
    }
    if (b - i >= 2) {
      for (let k = i + 1; k < b; k++) {
        if (!less(data[k]!, data[k - 1]!)) break
        swap(data, k, k - 1)
      }
    }
  }
  return false
}

const breakPatterns = <A>(data: Array<A>, a: number, b: number) => {
  const length = b - a
  if (length >= 8) {
    // Go's xorshift on a uint64 seeded with the length; BigInt keeps the 64-bit arithmetic exact.
    let random = BigInt(length)
    const mask64 = (1n << 64n) - 1n
    const next = () => {
      random ^= (random << 13n) & mask64
      random ^= random >> 17n
      random ^= (random << 5n) & mask64
      return random
    }
    const modulus = 1n << BigInt(32 - Math.clz32(length))
    const idx = a + Math.floor(length / 4) * 2 - 1
    for (let i = 0; i < 3; i++) {
      let other = Number(next() & (modulus - 1n))
      if (other >= length) other -= length
      swap(data, idx + i, a + other)
    }
  }
}

const UNKNOWN = 0
const INCREASING = 1
const DECREASING = 2

const choosePivot = <A>(data: Array<A>, less: (a: A, b: A) => boolean, a: number, b: number): [number, number] => {
  const shortestNinther = 50
  const maxSwaps = 4 * 3
  const l = b - a
  let swaps = 0
  let i = a + Math.floor(l / 4) * 1
  let j = a + Math.floor(l / 4) * 2
  let k = a + Math.floor(l / 4) * 3
  const sort2 = (x: number, y: number): [number, number] => {
    if (less(data[y]!, data[x]!)) {
      swaps++
      return [y, x]
    }
    return [x, y]
  }
  const median = (x: number, y: number, z: number): number => {
    ;[x, y] = sort2(x, y)
    ;[y, z] = sort2(y, z)
    ;[x, y] = sort2(x, y)
    return y
  }
  const medianAdjacent = (x: number): number => median(x - 1, x, x + 1)
  if (l >= 8) {
    if (l >= shortestNinther) {
      i = medianAdjacent(i)
      j = medianAdjacent(j)
      k = medianAdjacent(k)
    }
    j = median(i, j, k)
  }
  switch (swaps) {
    case 0:
      return [j, INCREASING]
    case maxSwaps:
      return [j, DECREASING]
    default:
      return [j, UNKNOWN]
  }
}

const reverseRange = <A>(data: Array<A>, a: number, b: number) => {
  let i = a
  let j = b - 1
  while (i < j) {
    swap(data, i, j)
    i++
    j--
  }
}
