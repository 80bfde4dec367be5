import type { Image } from "@dockhand/models"
import { assert, describe, it } from "@effect/vitest"
import * as ImageTree from "../../src/internal/format/ImageTree.ts"

const manifest = (
  id: string,
  platform: { os: string; architecture: string; variant?: string },
  options: { available?: boolean; containers?: Array<string>; kind?: "image" | "attestation" } = {}
): NonNullable<Image.Summary["Manifests"]>[number] =>
  ({
    ID: `sha256:${id.repeat(64).slice(0, 64)}`,
    Descriptor: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: "sha256:0", size: 1 },
    Available: options.available ?? true,
    Size: { Content: 1_080_000, Total: 3_070_000 },
    Kind: options.kind ?? "image",
    ...(options.kind === "attestation"
      ? { AttestationData: { For: "sha256:0" } }
      : { ImageData: { Platform: platform, Size: { Unpacked: 0 }, Containers: options.containers ?? [] } })
  }) as never

const summary = (
  id: string,
  tags: Array<string>,
  created: number,
  manifests: Array<ReturnType<typeof manifest>> = [],
  containers = 0
): Image.Summary =>
  ({
    Containers: containers,
    Created: created,
    Id: `sha256:${id.repeat(64).slice(0, 64)}`,
    Labels: {},
    ParentId: "",
    Manifests: manifests,
    RepoDigests: [],
    RepoTags: tags,
    SharedSize: -1,
    Size: 6_150_000
  }) as never

const amd64 = { os: "linux", architecture: "amd64" }
const arm64 = { os: "linux", architecture: "arm64", variant: "v8" }

describe("formatImageTree (docker CLI 28.5's image ls --tree)", () => {
  it("to a pipe: warning, legend, always-bold header, newest first, longest name first, attestation content counted", () => {
    const text = ImageTree.formatImageTree([
      summary("a", ["old:1"], 1, [manifest("b", amd64)]),
      summary("c", ["new:1", "new:a-longer-tag"], 2, [
        manifest("d", amd64, { containers: ["x"] }),
        manifest("e", arm64, { available: false }),
        manifest("f", { os: "unknown", architecture: "unknown" }, { kind: "attestation" })
      ])
    ], { all: false, isTerminal: false })
    const bold = (s: string) => `\x1b[39m\x1b[1m${s}\x1b[0m`
    assert.strictEqual(
      text,
      `${ImageTree.WARNING}\n${" ".repeat(61)} Info ->  U In Use \n\n` +
        `${bold("IMAGE")}${" ".repeat(19)}${bold("ID")}             ${bold("DISK USAGE")}   ${
          bold("CONTENT SIZE")
        }   ` +
        `${bold("EXTRA")}\n` +
        "new:a-longer-tag\n" +
        "new:1                   cccccccccccc       6.15MB         3.24MB   U    \n" +
        "├─ linux/amd64          dddddddddddd       3.07MB         1.08MB   U    \n" +
        "└─ linux/arm64/v8       eeeeeeeeeeee       3.07MB         1.08MB        \n" +
        "\n" +
        "old:1                   aaaaaaaaaaaa       6.15MB         1.08MB        \n" +
        "└─ linux/amd64          bbbbbbbbbbbb       3.07MB         1.08MB        \n" +
        "\n"
    )
  })

  it("drops dangling images without -a, shows them as <untagged> (cut to the column) with it", () => {
    const list = [summary("a", [], 1)]
    assert.isFalse(ImageTree.formatImageTree(list, { all: false, isTerminal: false }).includes("aaaaaaaaaaaa"))
    const lines = ImageTree.formatImageTree(list, { all: true, isTerminal: false }).split("\n")
    // No children anywhere: no blank line between images; the first column is as wide as "Image".
    assert.strictEqual(lines[4], "<unt…   aaaaaaaaaaaa       6.15MB             0B        ")
    assert.strictEqual(lines[5], "")
  })

  it("to a terminal: its width, docker's colours and chips, the unavailable platform faint", () => {
    const text = ImageTree.formatImageTree([
      summary("c", ["new:1"], 2, [
        manifest("d", amd64, { containers: ["x"] }),
        manifest("e", arm64, { available: false })
      ])
    ], { all: false, isTerminal: true, columns: 40 })
    const lines = text.split("\n")
    assert.strictEqual(lines[0], `\x1b[93m${ImageTree.WARNING}\x1b[0m`)
    assert.strictEqual(
      lines[1],
      " ".repeat(19) + "\x1b[1m\x1b[106m\x1b[30mi\x1b[0m\x1b[0m \x1b[96mInfo → \x1b[0m\x1b[0m " +
        "\x1b[38;5;0m\x1b[48;5;14m U \x1b[0m In Use "
    )
    // 40 columns leave room for IMAGE (12), ID and DISK USAGE only; a platform is cut to 12 columns.
    assert.strictEqual(
      lines[3],
      "\x1b[39m\x1b[1mIMAGE\x1b[0m          \x1b[39m\x1b[1mID\x1b[0m             \x1b[39m\x1b[1mDISK USAGE\x1b[0m"
    )
    assert.strictEqual(
      lines[4],
      "\x1b[34m\x1b[1mnew:1\x1b[0m          \x1b[39mcccccccccccc\x1b[0m       \x1b[39m6.15MB\x1b[0m"
    )
    assert.strictEqual(
      lines[6],
      "\x1b[39m\x1b[2m└─ linux/ar…\x1b[0m   \x1b[39m\x1b[2meeeeeeeeeeee\x1b[0m       \x1b[39m\x1b[2m3.07MB\x1b[0m"
    )
  })

  it("sorts as Go's sort.Slice does (insertion sort up to 12, pdqsort beyond)", () => {
    const few = ImageTree.goSortSlice([3, 1, 2, 1].map((n, i) => ({ n, i })), (a, b) => a.n > b.n)
    assert.deepStrictEqual(few.map((x) => x.i), [0, 2, 1, 3])
    const many = ImageTree.goSortSlice(Array.from({ length: 200 }, (_, i) => (i * 7919) % 101), (a, b) => a < b)
    assert.deepStrictEqual(many, [...many].sort((a, b) => a - b))
  })
})
